"""What the isolation costs per submission: an isolated worker's start against a bare one.

python benchmarks/isolation_cost.py [starts]

Both sides start the same worker script with the same interpreter, limits and numpy
preload, alternately, so machine noise hits both alike. The bare side is
``worker.py serve`` with no launcher: no namespaces, no fresh root, no other uid, no
Landlock, no subreaper. Prints the medians, the difference in ms and the ratio, then
how the isolated side was protected here (run it as root, in a container, as a user).
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from autograder.sandbox import Limits, Sandbox
from autograder.sandbox.isolation import worker_environment
from autograder.sandbox.process import WorkerProcess


def isolated_start(limits: Limits) -> float:
    with Sandbox(limits=limits) as box:
        return box.start_seconds


def bare_start(limits: Limits) -> float:
    launch_dir = Path(tempfile.mkdtemp(prefix="autograder-bare-"))
    try:
        script = Path(__file__).resolve().parents[1] / "autograder" / "sandbox" / "worker.py"
        (launch_dir / "work").mkdir()
        env = worker_environment(home=str(launch_dir / "work"), tmp=str(launch_dir))
        started = time.monotonic()
        worker = WorkerProcess(
            [sys.executable, "-I", "-B", str(script), "serve"],
            {"limits": limits.for_worker()},
            cwd=str(launch_dir / "work"),
            env=env,
            message_bytes=limits.message_bytes,
            output_bytes=limits.output_bytes,
        )
        worker.exchange(None, started + 30)
        elapsed = time.monotonic() - started
        worker.kill()
        return elapsed
    finally:
        shutil.rmtree(launch_dir, ignore_errors=True)


def main(argv: list[str]) -> None:
    starts = int(argv[1]) if len(argv) > 1 else 20
    limits = Limits()
    isolated, bare = [], []
    for _ in range(starts):
        isolated.append(isolated_start(limits))
        bare.append(bare_start(limits))
    iso, plain = statistics.median(isolated), statistics.median(bare)
    print(f"bare worker start to ready:     {plain * 1000:6.1f} ms (median of {starts})")
    print(f"isolated worker start to ready: {iso * 1000:6.1f} ms (median of {starts})")
    print(f"isolation cost per start:       {(iso - plain) * 1000:6.1f} ms")
    with Sandbox(limits=limits) as box:
        for line in box.protections.lines():
            print(f"  {line}")
    print(f"ratio isolated/bare: {iso / plain:.2f}")


if __name__ == "__main__":
    main(sys.argv)
