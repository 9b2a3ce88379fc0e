"""Helpers of the sandbox tests: limits that keep them fast, root-only tests, a second user."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pytest

from autograder.sandbox import Limits
from autograder.sandbox.isolation import interpreter_paths

REPO = Path(__file__).resolve().parents[1]
FAST = Limits(cell_timeout=2.0, call_timeout=2.0, submission_timeout=60.0)
IS_ROOT = os.geteuid() == 0

F = TypeVar("F", bound=Callable[..., Any])


def needs_root(test: F) -> F:
    """Mark a test as needing root (privilege drop, namespaces) and skip it otherwise."""
    skipped = pytest.mark.skipif(not IS_ROOT, reason="needs root")(test)
    marked: F = pytest.mark.root(skipped)
    return marked


def same(a: object, b: object) -> bool:
    """Equal with the same types all the way down (nan equals nan, arrays by dtype too)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray)
        nan_ok = a.dtype.kind in "fc"
        return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b, equal_nan=nan_ok)
    if isinstance(a, (list, tuple)):
        assert isinstance(b, (list, tuple))
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        assert isinstance(b, dict)
        return a.keys() == b.keys() and all(same(a[key], b[key]) for key in a)
    if isinstance(a, float) and a != a:
        return b != b
    if isinstance(a, complex):
        assert isinstance(b, complex)
        return same(a.real, b.real) and same(a.imag, b.imag)
    return a == b


# -- the three places grading runs, reproduced here as root --------------------------------

MODES = ("root", "container", "user")
"""root: a VM, full root. container: root without CAP_SYS_ADMIN, as in a default Docker
container (Gradescope). user: an unprivileged user, as on a TA's laptop."""
TA_USER = "autograder-ta"

# Run by root: a private mount namespace in which the given paths are reachable for other
# users (Python lives under /root here, closed to others: on the machines the modes stand
# for, the grader's Python is readable), then the command in the mode.
_HARNESS = """
import json, os, stat, sys
from autograder.sandbox.untrusted import syscalls as w
mode, argv, reachable, env, ta, denied = json.loads(sys.argv[1])
w.unshare(w.CLONE_NEWNS, "unshare(mount)")
w.mount(None, "/", None, w.MS_REC | w.MS_PRIVATE)

def closed_ancestor(path):
    parts = path.strip("/").split("/")
    for depth in range(len(parts)):
        directory = "/" + "/".join(parts[:depth])
        if not os.stat(directory).st_mode & stat.S_IXOTH:
            return directory, parts[depth]
    return None

for _ in range(16):
    closed = {}
    for path in reachable:
        found = closed_ancestor(path)
        if found:
            closed.setdefault(found[0], set()).add(found[1])
    if not closed:
        break
    for directory, keep in sorted(closed.items()):
        kept = {name: os.open(os.path.join(directory, name), os.O_PATH) for name in keep}
        w.mount("tmpfs", directory, "tmpfs", w.MS_NOSUID | w.MS_NODEV, "size=64k,mode=755")
        for name, fd in kept.items():
            target = os.path.join(directory, name)
            os.mkdir(target)
            w.mount(f"/proc/self/fd/{fd}", target, None, w.MS_BIND | w.MS_REC)
if denied:  # system calls refused with EPERM, as a seccomp profile or AppArmor would
    import ctypes
    class Filter(ctypes.Structure):
        _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8),
                    ("k", ctypes.c_uint32)]
    class Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(Filter))]
    EPERM = 1
    code = [Filter(0x20, 0, 0, 0)]  # load the system call number
    for number in denied:  # equal: return EPERM; else go on
        code += [Filter(0x15, 0, 1, number), Filter(0x06, 0, 0, 0x00050000 | EPERM)]
    code.append(Filter(0x06, 0, 0, 0x7FFF0000))  # allow the rest
    program = Program(len(code), (Filter * len(code))(*code))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong,
                           ctypes.c_ulong]
    w.check(libc.prctl(38, 1, None, 0, 0), "no_new_privs")
    w.check(libc.prctl(22, 2, ctypes.addressof(program), 0, 0), "seccomp")
if mode == "container":
    argv = ["setpriv", "--bounding-set", "-sys_admin", *argv]
elif mode == "user":
    argv = ["setpriv", f"--reuid={ta[0]}", f"--regid={ta[1]}", "--clear-groups", *argv]
os.execvpe(argv[0], argv, env)
"""


SYSCALLS_X86_64 = {"mount": 165, "pidfd_open": 434, "pidfd_send_signal": 424}


def ta_user() -> tuple[int, int]:
    """The unprivileged account of the ``user`` mode (created once)."""
    import pwd

    try:
        entry = pwd.getpwnam(TA_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--user-group", "--no-create-home", TA_USER], check=True
        )
        entry = pwd.getpwnam(TA_USER)
    return entry.pw_uid, entry.pw_gid


def skip_unless_mode_possible(mode: str) -> None:
    if not IS_ROOT:
        pytest.skip("reproducing the grading modes needs root")
    if mode != "root" and shutil.which("setpriv") is None:
        pytest.skip("needs setpriv (util-linux) to drop CAP_SYS_ADMIN or become another user")


def run_in_mode(
    mode: str,
    argv: Sequence[str],
    reachable: Sequence[str | os.PathLike[str]] = (),
    env: dict[str, str] | None = None,
    timeout: float = 300.0,
    deny: Sequence[str] = (),
) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` as the grader would in ``mode``; ``reachable`` paths must be readable.

    ``deny`` names system calls refused to the command and all it starts (x86_64 only).
    """
    skip_unless_mode_possible(mode)
    if deny and os.uname().machine != "x86_64":
        pytest.skip("the seccomp filter is written for x86_64 system call numbers")
    denied = [SYSCALLS_X86_64[name] for name in deny]
    paths = [*interpreter_paths(), str(REPO), *(str(path) for path in reachable)]
    environment = {"PATH": f"{os.path.dirname(sys.executable)}:/usr/bin:/bin", "HOME": "/"}
    environment.update(env or {})
    spec = [mode, list(argv), paths, environment, list(ta_user()), denied]
    return subprocess.run(
        [sys.executable, "-c", _HARNESS, json.dumps(spec)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def run_unprivileged(script: str, timeout: float = 60.0) -> Any:
    """Run Python ``script`` as an unprivileged grader; the JSON it prints last."""
    done = run_in_mode("user", [sys.executable, "-c", script], timeout=timeout)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])
