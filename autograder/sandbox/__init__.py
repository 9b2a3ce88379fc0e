"""The untrusted side of grading: a submission's code runs in a separate, isolated worker.

The grading process never executes student code. It starts a worker process
(``worker.py``, self-contained), sends it the notebook's cells, and then asks
it for names and calls: only plain data crosses, everything else stays in the
worker behind ``StudentObject`` references::

    with Sandbox(limits=Limits(), hide_paths=[tests_dir]) as box:
        outcomes = box.run_cells(cells)
        ns = box.lookup(["f", "y"])
        with box.deadline(10.0):
            out = ns["f"](np.ones(3))
"""

from autograder.sandbox.errors import SandboxError, StudentCrash, StudentError, StudentTimeout
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
