"""How fast the sandbox is: worker start to ready, and one call's round trip."""

from __future__ import annotations

import time
from dataclasses import dataclass

from autograder.sandbox.isolation import Protections
from autograder.sandbox.limits import Limits
from autograder.sandbox.sandbox import Sandbox
from autograder.sandbox.values import StudentFunction


@dataclass(frozen=True)
class SandboxTimings:
    start_seconds: float
    """Launch of the worker to its ready message (numpy already imported), best of the starts."""
    call_seconds: float
    """Mean round trip of one small call (a few floats each way)."""
    calls: int
    protections: Protections


def measure_sandbox(
    calls: int = 1000, starts: int = 3, limits: Limits | None = None
) -> SandboxTimings:
    """Start a sandbox ``starts`` times and make ``calls`` small calls into it."""
    best = float("inf")
    with Sandbox(limits=limits) as box:
        best = box.start_seconds
        for _ in range(starts - 1):
            box.restart()
            best = min(best, box.start_seconds)
        box.run_cells(["def scale(x, factor=2.0):\n    return x * factor"])
        scale = box.lookup(["scale"])["scale"]
        assert isinstance(scale, StudentFunction)
        began = time.perf_counter()
        for number in range(calls):
            scale(float(number))
        per_call = (time.perf_counter() - began) / max(calls, 1)
        return SandboxTimings(best, per_call, calls, box.protections)
