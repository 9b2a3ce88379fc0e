"""What a worker's start costs: the pooled, isolated start against a bare one.

python benchmarks/isolation_cost.py [starts]

Both sides start the same worker code with the same interpreter and limits,
alternately, so machine noise hits both alike. The bare side is a fresh
``python untrusted/__main__.py serve`` (imports numpy, no isolation at all: what a naive grader
pays per submission). The isolated side is a Sandbox: forked from the warm pool's
zygote (numpy and sympy already imported), then namespaces, fresh root, other uid,
Landlock and subreaper, as far as the machine allows. Prints the medians and their
ratio, then how the isolated side was protected (run it as root, in a container, as
a user).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder.sandbox import Limits, Sandbox
from autograder.sandbox.isolation import worker_environment
from autograder.sandbox.untrusted.protocol import SERVE, ServeConfig
from autograder.sandbox.zygote import WORKER_MAIN


def isolated_start(limits: Limits) -> float:
    with Sandbox(limits=limits) as box:
        return box.start_seconds


def bare_start(limits: Limits) -> float:
    """A fresh ``python untrusted/__main__.py serve``: no launcher or pool; until it is ready."""
    launch_dir = Path(tempfile.mkdtemp(prefix="autograder-bare-"))
    try:
        script = WORKER_MAIN
        request_read, request_write = os.pipe()
        response_read, response_write = os.pipe()
        config: ServeConfig = {
            "limits": limits.for_worker(),
            "request_fd": request_read,
            "response_fd": response_write,
        }
        env = worker_environment(home=str(launch_dir), tmp=str(launch_dir))
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-I", "-B", str(script), SERVE, json.dumps(config)],
            cwd=launch_dir,
            env=env,
            pass_fds=(request_read, response_write),
        )
        os.close(request_read)
        os.close(response_write)
        with os.fdopen(response_read, "rb") as replies:
            replies.readline()
        elapsed = time.monotonic() - started
        os.close(request_write)  # end of requests: it exits
        process.wait()
        return elapsed
    finally:
        shutil.rmtree(launch_dir, ignore_errors=True)


def main(argv: list[str]) -> None:
    starts = int(argv[1]) if len(argv) > 1 else 20
    limits = Limits()
    isolated, bare = [], []
    isolated_start(limits)  # the pool's zygote starts once per grading process
    for _ in range(starts):
        isolated.append(isolated_start(limits))
        bare.append(bare_start(limits))
    iso, plain = statistics.median(isolated), statistics.median(bare)
    print(f"bare worker start to ready:     {plain * 1000:6.1f} ms (median of {starts})")
    print(f"isolated worker start to ready: {iso * 1000:6.1f} ms (median of {starts})")
    print(f"saved per start:                {(plain - iso) * 1000:6.1f} ms")
    with Sandbox(limits=limits) as box:
        for line in box.protections.lines():
            print(f"  {line}")
    print(f"ratio isolated/bare: {iso / plain:.2f}")


if __name__ == "__main__":
    main(sys.argv)
