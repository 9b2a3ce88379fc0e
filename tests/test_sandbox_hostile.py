"""Submissions that attack or break the worker: the grading process must not care."""

from __future__ import annotations

import contextlib
import io
import json
import resource
import sys
import textwrap
import warnings
from typing import Any

import numpy as np
import pytest
from sandbox_support import FAST, IS_ROOT, run_unprivileged

from autograder.sandbox import (
    Limits,
    Sandbox,
    StudentCrash,
    StudentError,
    StudentFunction,
    StudentObject,
)

# The worker's own result channel, found the way an attacker would: among live objects.
RESPONSE_FD = (
    "import gc, json, os, sys\n"
    "fd = next(o for o in gc.get_objects() if type(o).__name__ == 'Channel').response_fd\n"
)


def statuses(box: Sandbox, cells: list[str]) -> list[str]:
    return [outcome.status for outcome in box.run_cells(cells)]


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_process_exits_and_segfaults_are_crashes() -> None:
    cells = [
        "a = 1",
        "import ctypes\nctypes.string_at(0)",
        "import os\nos._exit(0)",
        "import os, signal\nos.kill(os.getpid(), signal.SIGABRT)",
        "b = a + 1",
    ]
    with Sandbox(limits=FAST) as box:
        outcomes = box.run_cells(cells)
        assert [outcome.status for outcome in outcomes] == [
            "ok",
            "crashed",
            "crashed",
            "crashed",
            "ok",
        ]
        assert "segmentation fault (SIGSEGV)" in outcomes[1].message
        assert "Segmentation fault" in outcomes[1].output  # faulthandler's report
        assert box.lookup(["b"]) == {"b": 2}


def test_a_segfault_in_a_call_is_a_crash_and_restart_recovers() -> None:
    with Sandbox(limits=FAST) as box:
        box.run_cells(
            ["import ctypes\ndef crash():\n    ctypes.string_at(0)\ndef ok():\n    return 1"]
        )
        found: dict[str, Any] = box.lookup(["crash", "ok"])
        with pytest.raises(StudentCrash, match="SIGSEGV"):
            found["crash"]()
        box.restart()
        assert found["ok"]() == 1


def test_memory_bombs_are_bounded_by_the_address_space_limit() -> None:
    limits = Limits(cell_timeout=10.0, memory_bytes=512 << 20)
    before = peak_rss_mib()
    with Sandbox(limits=limits) as box:
        outcomes = box.run_cells(
            [
                "big = bytearray(50 * 2**30)",
                "grow = []\nwhile True:\n    grow.append(b' ' * 10**7)",
                "del grow\nsmall = 1",
            ]
        )
        assert outcomes[0].status == "error" and outcomes[0].message.startswith("MemoryError")
        assert outcomes[1].status in ("error", "crashed")
        assert outcomes[2].status == "ok"
    assert peak_rss_mib() - before < 100


# RLIMIT_NPROC binds the sandbox user (as root) or the grading user (without root); the
# launcher kills whatever the bomb made when the cell times out.
def test_fork_bombs_are_bounded() -> None:
    bomb = "import os\nwhile True:\n    os.fork()"
    stubborn = (
        "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass"
    )
    with Sandbox(limits=Limits(cell_timeout=2.0)) as box:
        outcomes = box.run_cells([bomb, stubborn, "alive = True"])
        assert outcomes[0].status in ("error", "timeout", "crashed")
        assert outcomes[1].status in ("timeout", "crashed")
        assert outcomes[2].status == "ok"


def test_printing_100_mb_is_cut_and_costs_the_grader_nothing() -> None:
    before = peak_rss_mib()
    with Sandbox(limits=Limits(cell_timeout=10.0)) as box:
        outcomes = box.run_cells(
            [
                "print('x' * 100_000_000)",
                "import os\nos.write(1, b'y' * 100_000_000)",
                "import sys\nfor _ in range(100_000):\n    sys.stderr.write('z' * 1000)",
            ]
        )
        assert [outcome.status for outcome in outcomes] == ["ok"] * 3
        for outcome in outcomes:
            assert len(outcome.output) < 1.1 * Limits().output_bytes
            assert "dropped" in outcome.output
    assert peak_rss_mib() - before < 150


CLOSE_AND_HANG = """
import json, time
from autograder.sandbox import Limits, Sandbox
with Sandbox(limits=Limits(cell_timeout=1.0)) as box:
    cpu = time.process_time()
    outcome = box.run_cells(["import os\\nos.close(1)\\nos.close(2)\\nwhile True:\\n    pass"])[0]
    print(json.dumps([outcome.status, time.process_time() - cpu]))
"""


def test_closing_stdout_and_stderr_then_hanging_is_just_a_timeout() -> None:
    """The worker closes its output and hangs: the grading process must wait, not spin."""
    if IS_ROOT:  # as an unprivileged grader, the case this was first seen in
        status, cpu_seconds = run_unprivileged(CLOSE_AND_HANG)
    else:
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            exec(CLOSE_AND_HANG, {})
        status, cpu_seconds = json.loads(output.getvalue())
    assert status == "timeout"
    assert cpu_seconds < 0.5


def test_huge_files_hit_the_file_size_limit() -> None:
    with Sandbox(limits=Limits(cell_timeout=10.0, file_size_bytes=1 << 20)) as box:
        outcomes = box.run_cells(
            ["with open('big', 'wb') as f:\n    f.write(b'0' * (2 << 20))", "still = 'here'"]
        )
        assert outcomes[0].status == "error"
        assert outcomes[0].message.startswith("OSError: [Errno 27] File too large")
        assert box.lookup(["still"]) == {"still": "here"}


def test_monkeypatching_numpy_in_the_worker_changes_nothing_here() -> None:
    with Sandbox(limits=FAST) as box:
        cells = [
            "import numpy as np\nnp.allclose = lambda *a, **k: True\nnp.array_equal = np.allclose",
            "import builtins\nbuiltins.isinstance = lambda *a: True",
        ]
        assert statuses(box, cells)[0] == "ok"  # the second breaks the worker itself
    assert not np.allclose(np.zeros(1), np.ones(1))
    assert not np.array_equal(np.zeros(1), np.ones(1))
    assert not isinstance(1, str)


def test_breaking_the_workers_own_json_is_a_crash_not_a_grader_error() -> None:
    with Sandbox(limits=FAST) as box:
        outcomes = box.run_cells(
            ["a = 1", "import json\njson.dumps = lambda *a, **k: 'garbage'", "b = a"]
        )
        assert [outcome.status for outcome in outcomes] == ["ok", "crashed", "ok"]
        assert "not JSON" in outcomes[1].message


MALICIOUS_CELL = """
import numpy as np

class Evil:
    def __eq__(self, other):
        open('eq-ran', 'w').close()
        return True
    __hash__ = None
    def __array__(self, dtype=None, copy=None):
        open('array-ran', 'w').close()
        return np.zeros(3)
    def __float__(self):
        open('float-ran', 'w').close()
        return 0.0
    def __reduce__(self):
        open('reduce-ran', 'w').close()
        return (print, ('pickled',))

class EvilFloat(float):
    def __eq__(self, other):
        return True

class EvilArray(np.ndarray):
    pass

def evil():
    return Evil()

def disguised():
    return [EvilFloat(1.0), np.zeros(2).view(EvilArray), {'k': Evil()}]

def ran():
    import os
    return sorted(name for name in os.listdir('.') if name.endswith('-ran'))
"""


def test_objects_with_malicious_methods_arrive_as_handles() -> None:
    with Sandbox(limits=FAST) as box:
        box.run_cells([MALICIOUS_CELL])
        found: dict[str, Any] = box.lookup(["evil", "disguised", "ran"])
        evil: Any = found["evil"]()
        assert (evil == 0) is False
        assert np.asarray(evil).dtype == object
        with pytest.raises(TypeError):
            float(evil)
        assert type(evil) is StudentObject and evil.type_name == "__main__.Evil"
        disguised = found["disguised"]()
        assert [type(item) for item in disguised] == [StudentObject, StudentObject, dict]
        assert found["ran"]() == []


def test_forged_results_are_at_worst_a_student_error() -> None:
    forge_cell = RESPONSE_FD + (
        "def forge():\n"
        "    request = sys._getframe(1).f_locals['request']\n"
        "    reply = {'id': request['id'], 'result': {'warnings': [], 'value': 42}}\n"
        "    os.write(fd, (json.dumps(reply) + '\\n').encode())\n"
        "    return 1\n"
        "def ok():\n"
        "    return 'ok'\n"
    )
    with Sandbox(limits=FAST) as box:
        outcomes = box.run_cells(
            [forge_cell, RESPONSE_FD + 'os.write(fd, b\'{"id": "guess", "result": {}}\\n\')']
        )
        assert [outcome.status for outcome in outcomes] == ["ok", "crashed"]
        assert "not asked" in outcomes[1].message
        found: dict[str, Any] = box.lookup(["forge", "ok"])
        assert found["forge"]() == 42  # plain data, as if forge had returned it
        with pytest.raises(StudentCrash):  # the real reply to forge() is now out of turn
            found["ok"]()
        box.restart()
        assert found["ok"]() == "ok"


def test_oversized_or_truncated_messages_are_crashes() -> None:
    with Sandbox(limits=Limits(call_timeout=2.0, message_bytes=1 << 20)) as box:
        outcomes = box.run_cells(
            [
                RESPONSE_FD + "os.write(fd, b'[' * (2 << 20))",
                RESPONSE_FD + "os.close(fd)",
                "after = 1",
            ]
        )
        assert [outcome.status for outcome in outcomes] == ["crashed", "crashed", "ok"]
        assert "over 1048576 bytes" in outcomes[0].message


def test_warnings_from_a_student_are_only_text() -> None:
    with Sandbox(limits=FAST) as box:
        box.run_cells(
            [
                "import warnings\n"
                "class Sneaky(RuntimeWarning):\n"
                "    def __str__(self):\n"
                "        return 'sneaky'\n"
                "def warn():\n"
                "    warnings.warn(Sneaky('x'))\n"
                "    return 0"
            ]
        )
        warn = box.lookup(["warn"])["warn"]
        assert isinstance(warn, StudentFunction)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert warn() == 0
        assert [(w.category, str(w.message)) for w in caught] == [(RuntimeWarning, "sneaky")]


def test_tampering_with_the_worker_machinery_is_a_student_error() -> None:
    tamper = (
        "import gc\n"
        "worker = next(o for o in gc.get_objects() if type(o).__name__ == 'Worker')\n"
        "worker.handles = None\n"
        "def f():\n"
        "    return 1"
    )
    with Sandbox(limits=FAST) as box:
        assert statuses(box, [tamper]) == ["ok"]
        with pytest.raises(StudentError, match="the sandbox failed while reading"):
            box.lookup(["f"])


def test_notebook_classes_live_in_main_as_in_a_kernel() -> None:
    with Sandbox(limits=FAST) as box:
        cells = [
            "import pickle\nclass Point:\n    pass\n"
            "round_trip = type(pickle.loads(pickle.dumps(Point())))",
            "import __main__\nsame = __main__.Point is Point",
        ]
        assert statuses(box, cells) == ["ok", "ok"]
        assert box.lookup(["same"]) == {"same": True}


WITHOUT_PIDFD = textwrap.dedent(
    """
    import json, os, subprocess
    from autograder.sandbox import Limits, Sandbox
    try:
        os.close(os.pidfd_open(os.getpid()))
        pidfd = "allowed"
    except PermissionError:
        pidfd = "refused"
    with Sandbox(limits=Limits(cell_timeout=2.0)) as box:
        outcomes = box.run_cells([
            "import subprocess\\nsubprocess.Popen(['sleep', '888.5'], start_new_session=True)",
            "while True:\\n    pass",
            "import os\\nos._exit(3)",
            "x = 41 + 1",
        ])
        x = box.lookup(["x"])["x"]
    left = subprocess.run(["pgrep", "-x", "-f", "sleep 888.5"], capture_output=True).stdout
    print(json.dumps({"statuses": [o.status for o in outcomes], "crash": outcomes[2].message,
                      "x": x, "left": left.decode(), "pidfd": pidfd}))
    """
)


def test_without_pidfds_launchers_are_still_watched_and_reaped() -> None:
    """A seccomp profile that refuses pidfds: the launcher's status pipe tells its exit."""
    from sandbox_support import run_in_mode

    done = run_in_mode("root", [sys.executable, "-c", WITHOUT_PIDFD], deny=["pidfd_open"])
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["pidfd"] == "refused"
    assert report["statuses"] == ["ok", "timeout", "crashed", "ok"]
    assert "exited with status 3" in report["crash"]
    assert report["x"] == 42
    assert report["left"] == ""
