"""How a worker is started, and what that protects against.

Every worker starts through its launcher (``untrusted/jail.py``), which layers what
the machine allows: namespaces with a fresh root holding only the allow-list
(as root, or in an unprivileged user namespace), another uid (as root), Landlock
(any user), a subreaper that leaves no process behind. This side computes the
allow-list and turns the worker's ready report into ``Protections``: words for
the staff, aspect by aspect, saying what held and what to enable where not.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import site
import subprocess
import sys
import sysconfig
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.sandbox.errors import SandboxError
from autograder.sandbox.limits import GiB, KiB, Limits, MiB
from autograder.sandbox.untrusted.protocol import LaunchConfig, ReadyReport, within

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
    """The configuration (the worker's environment included) and directory that start one
    worker."""

    config: LaunchConfig
    cwd: str


def plan_launch(
    launch_dir: Path, limits: Limits, hide_paths: Iterable[Path], user: SandboxUser | None
) -> LaunchPlan:
    """Start the worker through its launcher (``untrusted/jail.py``), whatever our privileges.

    ``launch_dir`` holds ``work/`` (the submission's working directory) and ``tmp/``.
    ``user`` is who the submission runs as when we are root. The launcher puts every
    isolation layer the machine allows in place (see there).
    """
    readable = readable_paths()
    config: LaunchConfig = {
        "limits": limits.for_worker(),
        "env": worker_environment(home=str(launch_dir / "work"), tmp=str(launch_dir / "tmp")),
        "jail": {
            "user": user.name if user else None,
            "uid": user.uid if user else None,
            "gid": user.gid if user else None,
            "python": sys.executable,
            "readable": readable,
            "excluded": excluded_paths(hide_paths, readable),
            "scratch_bytes": limits.scratch_bytes,
        },
    }
    return LaunchPlan(config, str(launch_dir))


def worker_environment(home: str, tmp: str) -> dict[str, str]:
    """A minimal environment: no variable of the grading process leaks through."""
    return {
        "PATH": f"{os.path.dirname(sys.executable)}:/usr/local/bin:/usr/bin:/bin",
        "HOME": home,
        "TMPDIR": tmp,
        "LANG": "C.UTF-8",
        # A kernel's default: figures shown as cell output (as text here), never a window
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "IPYTHONDIR": f"{home}/.ipython",
        **dict.fromkeys(THREAD_VARIABLES, "1"),
    }


def interpreter_paths() -> list[str]:
    """What the worker's Python needs of its installation: the core of the allow-list.

    Its executable, standard library, shared library directory and site-packages, plus
    package directories that a .pth file put on ``sys.path`` (they can be anywhere, /tmp
    included). Not its whole prefix: for Debian's Python that is all of /usr. Other
    ``sys.path`` entries, such as the directory the grader was started from, are not the
    worker's business.
    """
    installed = (
        entry
        for entry in sys.path
        if os.path.isabs(entry) and os.path.basename(entry) in {"site-packages", "dist-packages"}
    )
    candidates = {
        os.path.dirname(os.path.realpath(sys.executable)),
        os.path.dirname(os.path.abspath(sys.executable)),
        os.path.join(sys.prefix, "pyvenv.cfg"),
        sysconfig.get_path("stdlib"),
        sysconfig.get_path("platstdlib"),
        str(sysconfig.get_config_var("LIBDIR") or ""),
        *site.getsitepackages(),
        *installed,
    }
    return sorted({os.path.realpath(path) for path in candidates if os.path.exists(path)})


# What any dynamically linked Python needs besides its own files: shared libraries (and
# system programs, which hold no course files).
SYSTEM_PATHS = (
    "/bin",  # programs: IPython's !command, subprocess
    "/usr/bin",
    "/usr/local/bin",
    "/lib",
    "/lib32",
    "/lib64",
    "/usr/lib",
    "/usr/lib32",
    "/usr/lib64",
    "/usr/local/lib",
    "/etc/ld.so.cache",
    # matplotlib asks fontconfig (fc-list) for system fonts once
    "/etc/fonts",
    "/usr/share/fonts",
)


def readable_paths() -> list[str]:
    """The allow-list: all the worker may read (nothing of it may it write).

    The Python installation, the system's shared libraries and the dynamic linker's
    cache. Symbolic links among them (``/lib -> usr/lib``) are kept as given: the
    fresh root re-creates them.
    """
    system = [path for path in SYSTEM_PATHS if os.path.lexists(path)]
    return sorted({*interpreter_paths(), *system})


def excluded_paths(hide_paths: Iterable[Path], readable: list[str]) -> list[str]:
    """What to cut out of the allow-list: this package (installed beside numpy on
    Gradescope), any other installed copy of it (last term's, installed system-wide),
    and any hidden path inside the readable trees.

    Hidden paths elsewhere need nothing: the allow-list does not reach them. One that
    the Python installation itself needs is an error.
    """
    package = Path(__file__).resolve().parent.parent
    candidates = {package, *package.parent.glob(f"{package.name}-*.dist-info")}
    for packages in package_dirs(readable):
        candidates.update(packages.glob(f"{package.name}"))
        candidates.update(packages.glob(f"{package.name}-*.dist-info"))
    candidates.update(Path(path) for path in hide_paths)
    excluded = sorted({os.path.realpath(path) for path in candidates})
    inside = [path for path in excluded if any(within(path, tree) for tree in readable)]
    core = interpreter_paths()
    for path in inside:
        if any(within(needed, path) for needed in core):
            raise SandboxError(f"cannot hide {path}: the worker's Python installation needs it")
    return inside


def package_dirs(readable: list[str]) -> set[Path]:
    """Where Python packages are installed under the readable trees (the usual layouts)."""
    found = set()
    for tree in map(Path, readable):
        if tree.name in PACKAGE_DIR_NAMES:
            found.add(tree)
        for pattern in ("python3*/*-packages", "python3/dist-packages", "lib/python3*/*-packages"):
            found.update(path for path in tree.glob(pattern) if path.name in PACKAGE_DIR_NAMES)
    return found


PACKAGE_DIR_NAMES = frozenset({"site-packages", "dist-packages"})


# -- what is protected -------------------------------------------------------------------


@dataclass(frozen=True)
class Protections:
    """What held around one worker, in words, for the staff (never for the student).

    ``held`` maps each aspect (file view, signals, network, processes, environment,
    memory, disk) to how it is protected; ``missing`` to what is open and what to install or
    enable to close it.
    """

    held: dict[str, str]
    missing: dict[str, str]

    @property
    def full(self) -> bool:
        """True when the allow-list file view held (fresh root or Landlock)."""
        return "file view" in self.held

    def summary(self) -> str:
        """One line: the aspects protected, and those that are not, with why."""
        open_ = ", ".join(f"{aspect} ({why})" for aspect, why in self.missing.items())
        return f"isolation: protected {', '.join(self.held)}; not protected: {open_ or 'none'}"

    def lines(self) -> list[str]:
        return [f"{aspect}: {how}" for aspect, how in self.held.items()] + [
            f"{aspect}: NOT PROTECTED: {why}" for aspect, why in self.missing.items()
        ]


def describe_protections(ready: ReadyReport, limits: Limits) -> Protections:
    """How each aspect was protected, from the worker's ready report (untrusted: a missing
    part counts as a missing layer)."""
    jail: Mapping[str, Any] = ready.get("jail") or {}
    namespaces = set(jail.get("namespaces", []))
    missing_ns: dict[str, str] = jail.get("missing", {})
    landlock = ready.get("landlock") or {"abi": 0}
    abi = int(landlock.get("abi", 0)) if "error" not in landlock else 0
    other_uid = jail.get("uid") is not None and ready.get("uid") == jail.get("uid")
    own_userns = "user" in namespaces
    held: dict[str, str] = {}
    missing: dict[str, str] = {}

    view = []
    if "mount" in namespaces:
        view.append(
            "a fresh root (pivot_root) holding only Python and shared libraries, "
            "read-only, with a private size-limited /tmp"
        )
    if abi:
        view.append(f"Landlock ABI {abi}: reads limited to that allow-list, writes to scratch")
    if other_uid:
        view.append(f"runs as {jail.get('user')} (uid {jail.get('uid')})")
    if "mount" in namespaces or abi:
        held["file view"] = "; ".join(view)
    else:
        missing["file view"] = (
            "the submission could read every file the grading user can read "
            f"({missing_ns.get('mount', 'no mount namespace')}; no Landlock): use a kernel "
            "with Landlock enabled (Linux >= 5.13, lsm=...,landlock) or allow user namespaces"
        )

    signals = []
    if "pid" in namespaces:
        signals.append("private PID namespace: no other process is visible")
    if abi >= 6:
        signals.append("Landlock scope: no signal, ptrace or abstract socket outside")
    if other_uid:
        signals.append("another user than the grader")
    if own_userns:
        signals.append("its own user namespace: no privilege outside it")
    if signals:
        held["signals"] = "; ".join(signals)
    else:
        missing["signals"] = (
            "the submission could signal the grader's processes and read their /proc entries "
            "(same user, no PID namespace, Landlock ABI < 6): use Linux >= 6.12 or allow "
            "unprivileged user namespaces"
        )

    if "network" in namespaces:
        held["network"] = "private network namespace without interfaces"
    elif abi >= 4:
        held["network"] = "Landlock: no TCP connect or bind (UDP is not covered)"
    else:
        missing["network"] = (
            "the submission had network access: allow user namespaces, or use Linux >= 6.7 "
            "(Landlock ABI 4) to block TCP"
        )

    held["processes"] = (
        "PID namespace: every process dies with the sandbox"
        if "pid" in namespaces
        else "the launcher is a child subreaper: every process of the submission is killed "
        "and reaped before grading goes on"
    )
    held["environment"] = "minimal environment; no variable of the grader; fresh working directory"
    rlimits = ready["limits"]
    held["memory"] = (
        f"rlimits: {_size(rlimits['RLIMIT_AS'])} address space, {rlimits['RLIMIT_CPU']} s CPU, "
        f"{rlimits['RLIMIT_NPROC']} processes, {_size(rlimits['RLIMIT_FSIZE'])} per file, "
        f"{rlimits['RLIMIT_NOFILE']} open files; wall clock {limits.cell_timeout:g} s per "
        f"cell, {limits.call_timeout:g} s per call, {limits.submission_timeout:g} s in all"
    )
    held["disk"] = (
        f"private tmpfs mounts of {_size(limits.scratch_bytes)} for /tmp and the working directory"
        if "mount" in namespaces
        else f"{_size(limits.scratch_bytes)} of scratch on the grader's disk, measured from "
        "outside while the submission runs: stopped and its files deleted above it"
    )
    return Protections(held, missing)


def _size(count: int) -> str:
    for unit, name in ((GiB, "GiB"), (MiB, "MiB"), (KiB, "KiB")):
        if count >= unit:
            return f"{count / unit:g} {name}"
    return f"{count} bytes"
