"""How a worker is started, and what that protects against.

As root the worker is jailed: private mount, PID, network and IPC namespaces,
hidden paths covered by empty read-only mounts, a private size-limited /tmp
holding its working directory, and an unprivileged user. Without root it is
only a separate process with rlimits, an isolated interpreter, a minimal
environment and a fresh working directory; ``missing`` says so in words.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import site
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.sandbox.errors import SandboxError
from autograder.sandbox.limits import GiB, KiB, Limits, MiB
from autograder.sandbox.worker import SANDBOX_ROOT

DEFAULT_SANDBOX_USER = "autograder-student"
FALLBACK_USER = "nobody"
THREAD_VARIABLES = (
    "OPENBLAS_NUM_THREADS",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
)


@dataclass(frozen=True)
class SandboxUser:
    name: str
    uid: int
    gid: int


def ensure_sandbox_user(name: str = DEFAULT_SANDBOX_USER) -> SandboxUser:
    """The unprivileged account submissions run as, created if it is missing.

    As root, a missing account is created as a system user with its own group, no
    home directory and no login shell. When it can be neither found nor created,
    ``nobody`` stands in.
    """
    found = _user(name)
    if found is None and os.geteuid() == 0:
        useradd = shutil.which("useradd") or "/usr/sbin/useradd"
        command = [useradd, "--system", "--user-group", "--no-create-home"]
        command += ["--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", name]
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            subprocess.run(command, capture_output=True, check=False, timeout=30)
        found = _user(name)  # created now, or by a concurrent grader
    found = found or _user(FALLBACK_USER)
    if found is None:
        raise SandboxError(f"there is no user {name!r} or {FALLBACK_USER!r} to run submissions as")
    if found.uid == 0:
        raise SandboxError(f"the sandbox user {found.name!r} is root")
    return found


def _user(name: str) -> SandboxUser | None:
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        return None
    return SandboxUser(entry.pw_name, entry.pw_uid, entry.pw_gid)


@dataclass(frozen=True)
class LaunchPlan:
    """The command, configuration and environment that start one worker."""

    argv: list[str]
    config: dict[str, Any]
    env: dict[str, str]
    cwd: str
    jailed: bool


def plan_launch(
    launch_dir: Path, limits: Limits, hide_paths: Iterable[Path], user: SandboxUser | None
) -> LaunchPlan:
    """A jailed launch when ``user`` is given (root), a plain one otherwise.

    ``launch_dir`` holds ``worker.py`` and ``work/`` (the submission's working directory).
    """
    script = str(launch_dir / "worker.py")
    config: dict[str, Any] = {"limits": limits.for_worker()}
    prefix = [sys.executable, "-I", "-B", script]
    if user is None:
        work = str(launch_dir / "work")
        env = worker_environment(home=work, tmp=str(launch_dir / "tmp"))
        return LaunchPlan([*prefix, "serve"], config, env, work, jailed=False)
    reachable = interpreter_paths()
    hidden = _hide_list(hide_paths, reachable)
    work = f"{SANDBOX_ROOT}/work"
    env = worker_environment(home=work, tmp="/tmp")
    config["env"] = env
    config["jail"] = {
        "user": user.name,
        "uid": user.uid,
        "gid": user.gid,
        "python": sys.executable,
        "hide": hidden,
        "reachable": reachable,
        "scratch_bytes": limits.scratch_bytes,
    }
    return LaunchPlan([*prefix, "jail"], config, env, str(launch_dir), jailed=True)


def worker_environment(home: str, tmp: str) -> dict[str, str]:
    """A minimal environment: no variable of the grading process leaks through."""
    return {
        "PATH": f"{os.path.dirname(sys.executable)}:/usr/local/bin:/usr/bin:/bin",
        "HOME": home,
        "TMPDIR": tmp,
        "LANG": "C.UTF-8",
        "MPLBACKEND": "Agg",
        "IPYTHONDIR": f"{home}/.ipython",
        **dict.fromkeys(THREAD_VARIABLES, "1"),
    }


def interpreter_paths() -> list[str]:
    """Directories the worker's Python needs: they must stay reachable inside the jail.

    Besides the installation: package directories that a .pth file put on ``sys.path``
    (they can be anywhere, /tmp included). Other ``sys.path`` entries, such as the
    directory the grader was started from, are not the worker's business.
    """
    package_dirs = (
        entry
        for entry in sys.path
        if os.path.isabs(entry) and os.path.basename(entry) in {"site-packages", "dist-packages"}
    )
    candidates = {
        os.path.dirname(os.path.realpath(sys.executable)),
        sys.prefix,
        sys.base_prefix,
        sys.exec_prefix,
        sys.base_exec_prefix,
        *site.getsitepackages(),
        *package_dirs,
    }
    return sorted({os.path.realpath(path) for path in candidates if os.path.isdir(path)})


def _hide_list(hide_paths: Iterable[Path], reachable: list[str]) -> list[str]:
    """Real paths to hide. One may hold the Python installation (the jail keeps the way to
    it visible), but it may not be part of it."""
    hidden = sorted({os.path.realpath(path) for path in hide_paths})
    for path in hidden:
        if path in reachable:
            raise SandboxError(f"cannot hide {path}: the worker's Python installation needs it")
    return hidden


# -- what is protected -------------------------------------------------------------------


def describe_protections(
    ready: dict[str, Any], limits: Limits, jailed: bool
) -> tuple[list[str], list[str]]:
    """(protections in force, protections missing with why) from the worker's ready report."""
    rlimits = ready["limits"]
    protections = [
        "separate worker process: the submission's code never runs in the grading process",
        "only plain data crosses the channel; other objects stay in the worker behind handles",
        f"wall-clock limits: {limits.cell_timeout:g} s per cell, {limits.call_timeout:g} s per "
        f"call, {limits.submission_timeout:g} s per submission",
        f"rlimits: {_size(rlimits['RLIMIT_AS'])} address space, {rlimits['RLIMIT_CPU']} s CPU, "
        f"{rlimits['RLIMIT_NPROC']} processes, {_size(rlimits['RLIMIT_FSIZE'])} per file, "
        f"{rlimits['RLIMIT_NOFILE']} open files, no core dumps",
        "isolated interpreter (python -I), minimal environment, fresh working directory",
    ]
    if ready.get("no_new_privs"):
        protections.append("no new privileges: setuid programs cannot raise privileges")
    if not jailed:
        return protections, [
            "not root: the submission ran as the grading user and could read files that user "
            "can read, including the hidden paths",
            "not root: no private network namespace, the submission had network access",
            "not root: processes the submission starts outside its process group may outlive "
            "the sandbox",
            "not root: /tmp and /dev/shm are shared with other processes of the grading user",
        ]
    jail = ready["jail"]
    missing = [
        f"{CONSEQUENCES.get(name, name)}: no {name} namespace ({why})"
        for name, why in jail["missing"].items()
    ]
    if ready["uid"] == jail["uid"] != 0:
        protections.append(f"runs as the unprivileged user {jail['user']} (uid {jail['uid']})")
    namespaces = jail["namespaces"]
    if "mount" in namespaces:
        hidden = len(jail.get("hidden", []))
        protections.append(
            f"private mount namespace: {hidden} hidden path(s) covered by empty read-only mounts"
        )
        scratch = ", ".join(jail.get("scratch", []))
        protections.append(
            f"private {scratch} on a {_size(jail['scratch_bytes'])} tmpfs, with the working "
            "directory: nothing shared with other submissions"
        )
    if "pid" in namespaces:
        protections.append(
            "private PID namespace: no other process is visible, and every process the "
            "submission starts dies with the worker"
        )
    if "network" in namespaces:
        protections.append("no network: private network namespace without interfaces")
    if "ipc" in namespaces:
        protections.append("private IPC namespace")
    return protections, missing


# What a jail lacks without each namespace.
CONSEQUENCES = {
    "mount": "hide_paths were not hidden, and /tmp and /dev/shm were shared",
    "pid": "processes the submission starts outside its process group may outlive the sandbox",
    "network": "the submission had network access",
    "ipc": "System V IPC was shared with other processes",
}


def _size(count: int) -> str:
    for unit, name in ((GiB, "GiB"), (MiB, "MiB"), (KiB, "KiB")):
        if count >= unit:
            return f"{count / unit:g} {name}"
    return f"{count} bytes"
