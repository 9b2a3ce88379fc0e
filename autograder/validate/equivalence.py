"""Is a mutant equivalent to the solution? Compare them on fresh random inputs.

A worker process (a fresh Python, memory-limited, killed after a timeout: a
mutant may loop) runs the solution notebook's code once and learns, by running
the hidden tests on it, which calls the tests make: which functions, with
arguments of which types and shapes, and which arguments were produced by an
earlier call (a cache returned by a forward step and passed to the backward step). It then draws
*fresh* arguments of the same structure from its own generator, not the
tests' values, so that a test with too narrow inputs cannot make its own
blind spots look equivalent. For each mutant it runs the notebook with the
mutated cell and compares, on every fresh call, what the question's own
outputs give: values (strings ignoring case and spaces, sympy expressions by
value at random points, numbers and arrays to 1e-9), the exception type if
one is raised, and the warnings. Agreement everywhere means equivalent.
"""

from __future__ import annotations

import contextlib
import copy
import io
import math
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import numpy as np

from autograder.child import Child, Reply
from autograder.validate.mutants import Mutant

#: Calls compared per distinct argument structure, and fresh draws per call.
CALLS_PER_SHAPE = 3
VARIANTS = 4
#: The last variant scales arrays up, to reach the overflowing tails.
TAIL_SCALE = 30.0
RELATIVE_TOLERANCE = 1e-9
MEMORY_LIMIT = 4 * 2**30
SETUP_TIMEOUT = 300.0


@dataclass(frozen=True)
class Setup:
    """What the worker needs: the solution's code cells and the tests' code."""

    cells: tuple[tuple[str, str], ...]  # (cell id, source) in notebook order
    outputs: Mapping[str, tuple[str, ...]]  # question -> the names its answer defines
    probes: tuple[tuple[str, tuple[str, ...]], ...]  # (test code, names it reads)
    seed: int
    course_dir: str | None = None  # the course modules the tests import by bare name


@dataclass(frozen=True)
class Verdict:
    equivalent: bool
    reason: str


class EquivalenceOracle:
    """A worker process judging mutants one by one; restarted after a timeout."""

    def __init__(self, setup: Setup, timeout: float = 20.0) -> None:
        self.setup = setup
        self.timeout = timeout
        self._worker: Child | None = None

    def __enter__(self) -> EquivalenceOracle:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def judge(self, mutant: Mutant) -> Verdict:
        worker = self._start()
        worker.give((mutant.question, mutant.cell_id, mutant.source), self.timeout)
        outcome = worker.receive()
        if isinstance(outcome, Reply):
            verdict: Verdict = outcome.message
            return verdict
        # Past the timeout, or the worker died (memory limit, a crash in C code).
        self.close()
        return Verdict(False, f"the mutant did not finish within {self.timeout:g} s")

    def _start(self) -> Child:
        if self._worker is not None and self._worker.alive:
            return self._worker
        self.close()
        self._worker = Child.fresh(
            "autograder.validate.equivalence:serve", memory_limit=MEMORY_LIMIT
        )
        self._worker.give(self.setup, SETUP_TIMEOUT)
        ready = self._worker.receive()
        if not isinstance(ready, Reply):
            self.close()
            raise RuntimeError("the equivalence worker did not start")
        if ready.message != "ready":
            self.close()
            raise RuntimeError(
                f"the equivalence worker could not run the solution: {ready.message}"
            )
        return self._worker

    def close(self) -> None:
        if self._worker is not None:
            self._worker.stop(1.0, terminate=False)
            self._worker = None


# --- the worker ---------------------------------------------------------------------


def serve(requests: Connection, replies: Connection) -> None:
    """The worker (``autograder.child`` starts it, memory-limited): the setup, then mutants."""
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            setup: Setup = requests.recv()
            judge = _Judge(setup)
        except EOFError:
            return
        except Exception as error:  # the solution itself must run; say why not
            replies.send(f"{type(error).__name__}: {error}")
            return
        replies.send("ready")
        while (message := _next(requests)) is not None:
            question, cell_id, source = message
            replies.send(judge.judge(question, cell_id, source))


def _next(requests: Connection) -> Any:
    """The next request; None when the parent says so or is gone."""
    try:
        return requests.recv()
    except EOFError:
        return None


@dataclass(frozen=True)
class _Produced:
    """An argument that an earlier call returned (item ``position`` of call ``call``)."""

    call: int
    position: int | None


@dataclass
class _Call:
    name: str
    args: tuple[Any, ...]  # deep copies, with _Produced in place of produced objects


@dataclass
class _Recorder:
    calls: list[_Call] = field(default_factory=list)
    produced: dict[int, _Produced] = field(default_factory=dict)
    alive: list[Any] = field(default_factory=list)  # keeps ids unique while recording

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def recorded(*args: Any) -> Any:
            described = tuple(self._describe(arg) for arg in args)
            result = function(*args)
            index = len(self.calls)
            self.calls.append(_Call(name, described))
            self.alive.append(result)
            self._remember(result, _Produced(index, None))
            if isinstance(result, tuple):
                for position, item in enumerate(result):
                    self._remember(item, _Produced(index, position))
            return result

        return recorded

    def _remember(self, value: Any, where: _Produced) -> None:
        # Immutable scalars are shared objects (small ints...): an equal id proves nothing.
        if not isinstance(value, (int, float, complex, str, bytes, type(None))):
            self.produced[id(value)] = where

    def _describe(self, value: Any) -> Any:
        if id(value) in self.produced:
            return self.produced[id(value)]
        return copy.deepcopy(value)


class _Judge:
    def __init__(self, setup: Setup) -> None:
        from autograder.course import course_modules
        from autograder.hidden.support import seeded_draws

        self.setup = setup
        course = course_modules(Path(setup.course_dir) if setup.course_dir else None)
        self.solution = _run_cells(setup.cells)
        recorder = _Recorder()
        with seeded_draws(setup.seed):
            for code, names in setup.probes:
                scope = {
                    name: recorder.wrap(name, value) if callable(value) else value
                    for name, value in self.solution.items()
                    if name in names
                }
                scope["__builtins__"] = course.builtins
                with contextlib.suppress(Exception):
                    exec(compile(code, "<hidden test>", "exec"), scope)
        self.calls = recorder.calls
        self.probe_calls = _probe_calls(recorder.calls)
        rng = np.random.default_rng(setup.seed + 1)  # not the tests' draws
        self.inputs = {
            index: [_fresh(self.calls[index].args, rng, _scale(v)) for v in range(VARIANTS)]
            for index in self._needed(self.probe_calls)
        }
        self.expected: dict[tuple[int, int], _Outcome] = {}

    def _needed(self, calls: Sequence[int]) -> list[int]:
        """The probe calls and every call that produced one of their arguments."""
        needed: set[int] = set()
        pending = list(calls)
        while pending:
            index = pending.pop()
            if index not in needed:
                needed.add(index)
                pending.extend(p.call for p in _produced_in(self.calls[index].args))
        return sorted(needed)

    def judge(self, question: str, cell_id: str, source: str) -> Verdict:
        cells = tuple((i, source if i == cell_id else s) for i, s in self.setup.cells)
        mutant = _run_cells(cells)
        compared = 0
        for name in self.setup.outputs.get(question, ()):
            if name not in mutant:
                return Verdict(False, f"{name} is no longer defined")
            expected = self.solution.get(name)
            if not callable(expected):
                if not _same(mutant[name], expected):
                    return Verdict(False, f"{name} has another value")
                compared += 1
                continue
            calls = [index for index in self.probe_calls if self.calls[index].name == name]
            if not calls:
                return Verdict(False, f"the tests never call {name}, so it cannot be compared")
            for index in calls:
                for variant in range(VARIANTS):
                    theirs = self._outcome(mutant, index, variant, {})
                    ours = self._expected(index, variant)
                    if not _same_outcome(theirs, ours):
                        return Verdict(False, f"{name} differs on fresh inputs ({theirs.summary})")
                    compared += 1
        return Verdict(True, f"agrees on {compared} fresh comparisons")

    def _expected(self, index: int, variant: int) -> _Outcome:
        key = (index, variant)
        if key not in self.expected:
            self.expected[key] = self._outcome(self.solution, index, variant, {})
        return self.expected[key]

    def _outcome(
        self, names: Mapping[str, Any], index: int, variant: int, memo: dict[int, _Outcome]
    ) -> _Outcome:
        if index in memo:
            return memo[index]
        call = self.calls[index]
        arguments: list[Any] = []
        for arg in self.inputs[index][variant]:
            if isinstance(arg, _Produced):
                made = self._outcome(names, arg.call, variant, memo)
                if made.error is not None:
                    return made
                value = made.value if arg.position is None else made.value[arg.position]
                arguments.append(value)
            else:
                arguments.append(copy.deepcopy(arg))
        outcome = _call(names.get(call.name), arguments)
        memo[index] = outcome
        return outcome


@dataclass(frozen=True)
class _Outcome:
    value: Any = None
    error: str | None = None
    warned: frozenset[str] = frozenset()

    @property
    def summary(self) -> str:
        if self.error is not None:
            return f"raises {self.error}"
        return f"warns {sorted(self.warned)}" if self.warned else "another value"


def _call(function: Any, arguments: list[Any]) -> _Outcome:
    if not callable(function):
        return _Outcome(error="not a function")
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="warn"):
        warnings.simplefilter("always")
        try:
            value = function(*arguments)
        except Exception as error:
            return _Outcome(error=type(error).__name__)
    return _Outcome(value=value, warned=frozenset(w.category.__name__ for w in caught))


def _run_cells(cells: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """The notebook's namespace after its cells; a failing cell does not stop the next."""
    names: dict[str, Any] = {"__name__": "__main__"}
    for _, source in cells:
        with contextlib.suppress(Exception):
            exec(compile(source, "<cell>", "exec"), names)
    return names


def _probe_calls(calls: Sequence[_Call]) -> list[int]:
    """The first few calls of each function for each structure of arguments."""
    seen: dict[tuple[str, str], int] = {}
    chosen = []
    for index, call in enumerate(calls):
        key = (call.name, _structure(call.args))
        if seen.get(key, 0) < CALLS_PER_SHAPE:
            seen[key] = seen.get(key, 0) + 1
            chosen.append(index)
    return chosen


def _structure(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"array{value.shape}"
    if isinstance(value, (tuple, list)):
        return f"{type(value).__name__}({','.join(_structure(item) for item in value)})"
    return type(value).__name__


def _produced_in(value: Any) -> Iterator[_Produced]:
    if isinstance(value, _Produced):
        yield value
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _produced_in(item)


def _scale(variant: int) -> float:
    return TAIL_SCALE if variant == VARIANTS - 1 else 1.0


def _fresh(value: Any, rng: np.random.Generator, scale: float) -> Any:
    """A random value of the same structure: same shapes, types and rough size."""
    if isinstance(value, _Produced):
        return value
    if isinstance(value, np.ndarray) and np.issubdtype(value.dtype, np.floating):
        size = float(np.sqrt(np.mean(value**2))) if value.size else 1.0
        return rng.normal(size=value.shape) * (size or 1.0) * scale
    if isinstance(value, (float, np.floating)):
        if 0.0 < value < 1.0:  # a probability, as far as the tests show
            return float(rng.uniform(0.05, 0.95))
        return float(rng.normal() * (abs(value) or 1.0) * scale)
    if isinstance(value, (tuple, list)):
        return type(value)(_fresh(item, rng, scale) for item in value)
    if isinstance(value, dict):
        return {key: _fresh(item, rng, scale) for key, item in value.items()}
    return copy.deepcopy(value)


# --- comparing ----------------------------------------------------------------------


def _same_outcome(a: _Outcome, b: _Outcome) -> bool:
    if a.error is not None or b.error is not None:
        return a.error == b.error
    return a.warned == b.warned and _same(a.value, b.value)


def _same(a: Any, b: Any) -> bool:
    import sympy

    if isinstance(a, sympy.Basic) or isinstance(b, sympy.Basic):
        return _same_expression(a, b)
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and a.strip().lower() == b.strip().lower()
    if isinstance(a, dict) or isinstance(b, dict):
        return (
            isinstance(a, dict)
            and isinstance(b, dict)
            and a.keys() == b.keys()
            and all(_same(a[key], b[key]) for key in a)
        )
    x, y = _numeric(a), _numeric(b)
    if x is not None and y is not None:
        return x.shape == y.shape and bool(
            np.allclose(x, y, rtol=RELATIVE_TOLERANCE, atol=1e-12, equal_nan=True)
        )
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(_same(p, q) for p, q in zip(a, b, strict=True))
    try:
        return bool(a == b)
    except Exception:
        return False


def _numeric(value: Any) -> np.ndarray[Any, Any] | None:
    if value is None or isinstance(value, (str, dict)):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None


def _same_expression(a: Any, b: Any) -> bool:
    import sympy

    try:
        x, y = sympy.sympify(a), sympy.sympify(b)
    except (sympy.SympifyError, TypeError):
        return False
    names = sorted({s.name for s in x.free_symbols} | {s.name for s in y.free_symbols})
    rng = np.random.default_rng(0)
    for _ in range(5):
        point = {name: float(rng.uniform(0.05, 0.95)) for name in names}
        try:
            u = complex(x.subs({s: point[s.name] for s in x.free_symbols}).evalf())
            v = complex(y.subs({s: point[s.name] for s in y.free_symbols}).evalf())
        except (TypeError, ValueError):
            return False
        if not math.isclose(abs(u - v), 0.0, abs_tol=RELATIVE_TOLERANCE * max(1.0, abs(v))):
            return False
    return True
