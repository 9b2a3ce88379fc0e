"""How fast the grading sandbox is here: worker start to ready, and one call's round trip.

python benchmarks/sandbox_timing.py [calls]
"""

from __future__ import annotations

import sys

from autograder.sandbox import measure_sandbox


def main(argv: list[str]) -> None:
    calls = int(argv[1]) if len(argv) > 1 else 1000
    timings = measure_sandbox(calls=calls, starts=5)
    print(f"worker start to ready: {timings.start_seconds * 1000:.0f} ms (best of 5)")
    print(f"call round trip:       {timings.call_seconds * 1e6:.0f} us (mean of {calls})")
    print("protections:")
    for line in timings.protections.lines():
        print(f"  {line}")


if __name__ == "__main__":
    main(sys.argv)
