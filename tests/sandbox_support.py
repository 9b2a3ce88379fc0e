"""Helpers of the sandbox tests: limits that keep them fast, root-only tests, a second user."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
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


def run_unprivileged(script: str, timeout: float = 60.0) -> Any:
    """Run Python ``script`` as ``nobody`` and return the JSON it prints last.

    As root, in a private mount namespace where the interpreter and the repository are
    reachable for nobody (here Python lives under /root, mode 700): the way a grader
    without root runs.
    """
    reachable = [*interpreter_paths(), str(REPO)]
    launcher = f"""
import os, sys
from autograder.sandbox import worker as w
w._check(w._libc().unshare(w.CLONE_NEWNS), "unshare")
w._mount(None, "/", None, w.MS_REC | w.MS_PRIVATE)
w._make_reachable({reachable!r})
os.setgroups([]); os.setgid(65534); os.setuid(65534)
os.chdir("/tmp")
env = {{"PATH": "/usr/bin:/bin", "HOME": "/tmp"}}
os.execve(sys.executable, [sys.executable, "-c", {script!r}], env)
"""
    done = subprocess.run(
        [sys.executable, "-c", launcher], capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])
