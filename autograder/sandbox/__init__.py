"""The untrusted side of grading: a submission's code runs in a separate, isolated worker.

The grading process never executes student code. It starts a worker process
(the ``untrusted`` package, self-contained), sends it the notebook's cells, and then asks
it for names and calls: only plain data crosses, everything else stays in the
worker behind ``StudentObject`` references::

    with Sandbox(limits=Limits(), hide_paths=[tests_dir]) as box:
        outcomes = box.run_cells(cells)
        ns = box.lookup(["f", "y"])
        with box.deadline(10.0):
            out = ns["f"](np.ones(3))
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from autograder.sandbox.errors import (
        SandboxError,
        StudentCrash,
        StudentError,
        StudentTimeout,
    )
    from autograder.sandbox.isolation import (
        DEFAULT_SANDBOX_USER,
        Protections,
        SandboxUser,
        ensure_sandbox_user,
    )
    from autograder.sandbox.limits import Limits
    from autograder.sandbox.sandbox import CellOutcome, CellStatus, Sandbox, probe_isolation
    from autograder.sandbox.timing import SandboxTimings, measure_sandbox
    from autograder.sandbox.values import StudentFunction, StudentObject, UnreadableExpression

# Imported on first use: the sandbox pulls in numpy, and starting the worker pool
# (autograder.sandbox.zygote) must not wait for that.
_HOMES = {
    "SandboxError": "errors",
    "StudentCrash": "errors",
    "StudentError": "errors",
    "StudentTimeout": "errors",
    "DEFAULT_SANDBOX_USER": "isolation",
    "Protections": "isolation",
    "SandboxUser": "isolation",
    "ensure_sandbox_user": "isolation",
    "Limits": "limits",
    "CellOutcome": "sandbox",
    "CellStatus": "sandbox",
    "Sandbox": "sandbox",
    "probe_isolation": "sandbox",
    "SandboxTimings": "timing",
    "measure_sandbox": "timing",
    "StudentFunction": "values",
    "StudentObject": "values",
    "UnreadableExpression": "values",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


__all__ = [
    "DEFAULT_SANDBOX_USER",
    "CellOutcome",
    "CellStatus",
    "Limits",
    "Protections",
    "Sandbox",
    "SandboxError",
    "SandboxTimings",
    "SandboxUser",
    "StudentCrash",
    "StudentError",
    "StudentFunction",
    "StudentObject",
    "StudentTimeout",
    "UnreadableExpression",
    "ensure_sandbox_user",
    "measure_sandbox",
    "probe_isolation",
]
