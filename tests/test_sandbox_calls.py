"""Calling student functions from the grading process: results, exceptions, warnings, time."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from sandbox_support import FAST

from autograder.sandbox import (
    Limits,
    Sandbox,
    SandboxError,
    StudentCrash,
    StudentError,
    StudentFunction,
    StudentObject,
    StudentTimeout,
)

LSTM_CELL = '''
import numpy as np

class Cache:
    """Holds what the backward pass needs; its lambda makes it unpicklable."""
    def __init__(self, x, h_prev, gates):
        self.x, self.h_prev, self.gates = x, h_prev, gates
        self.activation = lambda v: np.tanh(v)

def step_forward(x, h_prev, W):
    gates = x @ W + h_prev
    return np.tanh(gates), Cache(x, h_prev, gates)

def step_backward(dh, cache):
    da = dh * (1 - cache.activation(cache.gates) ** 2)
    return da @ np.ones((cache.gates.shape[1], cache.x.shape[1])), da
'''

FUNCTIONS_CELL = """
import warnings
import numpy as np
np.seterr(all="ignore")  # the worker turns numpy's warnings back on for every call

def double(x):
    return 2 * x

def fails(x):
    if x < 0:
        raise ValueError(f"negative input {x}")
    return x

def leaves():
    raise SystemExit(0)

def interrupts():
    raise KeyboardInterrupt

class Unprintable(Exception):
    def __str__(self):
        raise RuntimeError("no")

def unprintable():
    raise Unprintable()

def overflows(x):
    return 1 / (1 + np.exp(-x))

def many_warnings():
    warnings.warn("custom", DeprecationWarning)
    warnings.warn("plain")
    return np.float64(1.0) / 0.0

def warns_then_fails():
    warnings.warn("first")
    raise TypeError("then this")

def hang():
    while True:
        pass

def slow(seconds):
    import time
    time.sleep(seconds)
    return seconds
"""


@pytest.fixture(scope="module")
def box() -> Iterator[Sandbox]:
    with Sandbox(limits=FAST) as sandbox:
        outcomes = sandbox.run_cells([FUNCTIONS_CELL, LSTM_CELL])
        assert [outcome.status for outcome in outcomes] == ["ok", "ok"]
        yield sandbox


def function(box: Sandbox, name: str) -> Any:
    """The student function ``name`` (typed Any: what it returns is up to the student)."""
    found = box.lookup([name])[name]
    assert isinstance(found, StudentFunction)
    return found


def test_a_call_returns_plain_data(box: Sandbox) -> None:
    result = function(box, "double")(np.ones(3))
    assert isinstance(result, np.ndarray)
    assert result.tolist() == [2.0, 2.0, 2.0]


def test_an_unpicklable_cache_goes_back_by_handle(box: Sandbox) -> None:
    rng = np.random.default_rng(0)
    x, h_prev, weights = rng.normal(size=(2, 3)), rng.normal(size=(2, 4)), rng.normal(size=(3, 4))
    h, cache = function(box, "step_forward")(x, h_prev, weights)
    assert isinstance(h, np.ndarray) and h.shape == (2, 4)
    assert isinstance(cache, StudentObject) and cache.type_name == "__main__.Cache"
    dx, da = function(box, "step_backward")(np.ones((2, 4)), cache=cache)
    assert np.allclose(da, 1 - h**2)
    assert dx.shape == (2, 3)


def test_student_exceptions_are_student_errors(box: Sandbox) -> None:
    assert function(box, "fails")(1) == 1
    with pytest.raises(
        StudentError, match=r"^fails raised ValueError: negative input -1 \(line 11\)$"
    ):
        function(box, "fails")(-1)
    with pytest.raises(StudentError, match=r"^leaves raised SystemExit: 0"):
        function(box, "leaves")()
    with pytest.raises(StudentError, match=r"^interrupts raised KeyboardInterrupt"):
        function(box, "interrupts")()
    with pytest.raises(StudentError, match="could not be printed"):
        function(box, "unprintable")()
    with pytest.raises(StudentError, match="TypeError"):
        function(box, "double")(1, 2, 3)
    assert function(box, "double")(4) == 8  # still usable: an exception breaks nothing


def test_warnings_come_back_and_are_re_emitted(box: Sandbox) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = function(box, "overflows")(np.array([-1000.0, 0.0]))
    assert np.allclose(value, [0.0, 0.5])
    assert [(w.category, str(w.message)) for w in caught] == [
        (RuntimeWarning, "overflow encountered in exp")
    ]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert function(box, "many_warnings")() == float("inf")
    assert [w.category for w in caught] == [DeprecationWarning, UserWarning, RuntimeWarning]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(StudentError, match="then this"):
            function(box, "warns_then_fails")()
    assert [str(w.message) for w in caught] == ["first"]


def test_warnings_point_at_the_caller(box: Sandbox) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        function(box, "overflows")(np.array([-1000.0]))
    assert caught[0].filename == __file__


def test_a_hanging_call_times_out_and_restart_brings_the_names_back() -> None:
    with Sandbox(limits=Limits(call_timeout=1.0)) as box:
        box.run_cells([FUNCTIONS_CELL, "kept = 41"])
        found = box.lookup(["hang", "double"])
        hang, double = found["hang"], found["double"]
        assert isinstance(hang, StudentFunction) and isinstance(double, StudentFunction)
        with pytest.raises(StudentTimeout, match=r"^hang did not finish within 1 s$"):
            hang()
        with pytest.raises(SandboxError, match="restart"):
            double(1)
        box.restart()
        assert double(2) == 4  # looked up by name: found again in the new worker
        assert box.lookup(["kept"]) == {"kept": 41}


def test_objects_from_a_stopped_worker_are_gone() -> None:
    with Sandbox(limits=FAST) as box:
        box.run_cells([LSTM_CELL, FUNCTIONS_CELL])
        forward = function(box, "step_forward")
        _, cache = forward(np.ones((1, 2)), np.ones((1, 3)), np.ones((2, 3)))
        box.restart()
        backward = function(box, "step_backward")
        with pytest.raises(StudentError, match="no longer exists"):
            backward(np.ones((1, 3)), cache)


def test_a_question_deadline_bounds_all_calls_inside_it() -> None:
    with Sandbox(limits=Limits(call_timeout=5.0)) as box:
        box.run_cells([FUNCTIONS_CELL])
        slow = box.lookup(["slow"])["slow"]
        assert isinstance(slow, StudentFunction)
        with (
            pytest.raises(StudentTimeout, match="this question's 1 s time budget"),
            box.deadline(1.0),
        ):
            assert slow(0.6) == 0.6
            slow(0.6)
        box.restart()
        with box.deadline(10.0):
            assert slow(0.1) == 0.1


def test_the_submission_budget_bounds_calls() -> None:
    with Sandbox(limits=Limits(call_timeout=5.0, submission_timeout=1.0)) as box:
        box.run_cells([FUNCTIONS_CELL])
        slow = box.lookup(["slow"])["slow"]
        assert isinstance(slow, StudentFunction)
        with pytest.raises(StudentTimeout, match="used up its 1 s time budget"):
            slow(3)


def test_a_worker_killed_during_a_call_is_a_crash() -> None:
    with Sandbox(limits=FAST) as box:
        box.run_cells(["import os, signal\ndef die():\n    os.kill(os.getpid(), signal.SIGKILL)"])
        die: Any = box.lookup(["die"])["die"]
        with pytest.raises(StudentCrash):
            die()


def test_proxies_belong_to_their_sandbox() -> None:
    with Sandbox(limits=FAST) as first, Sandbox(limits=FAST) as second:
        first.run_cells(["def f(x):\n    return x"])
        second.run_cells(["def g(x):\n    return x"])
        f, g = first.lookup(["f"])["f"], second.lookup(["g"])["g"]
        assert isinstance(g, StudentFunction)
        with pytest.raises(TypeError, match="another sandbox"):
            g(f)
