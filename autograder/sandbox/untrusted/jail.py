"""The launcher, the sandbox's first process, and the student's process.

The grading side has the fork server fork a launcher (``jail``) in its own session,
whatever its privileges. Each layer is used where the machine allows it; the ready
message says which held and which did not, and why:

1. Namespaces. As root with CAP_SYS_ADMIN, plain ones; without root, inside a new user
   namespace (never as root: the submission would own root's files). Mount: a fresh
   root file system holding only the allow-list (pivot_root, see ``view``). PID: every
   process dies with the sandbox's init. Network and IPC: nothing shared.
2. Another uid (root only: the sandbox user), and no new privileges.
3. Landlock (any user, kernel >= 5.13, see ``landlock``): files limited to the
   allow-list, read-only but for the scratch directories; no TCP (ABI >= 4); no signals
   to, and no abstract sockets of, processes outside the sandbox (ABI >= 6). Ptrace of
   them is refused too.
4. The launcher is a child subreaper: every process of the submission stays below it;
   on SIGTERM, or once the worker ends, it kills and reaps them all, then exits.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import sys
from collections.abc import Sequence
from typing import NoReturn

from autograder.sandbox.untrusted.protocol import (
    EXIT_SETUP_FAILED,
    EXIT_SIGNAL_BASE,
    EXIT_START_FAILED,
    JailReport,
    JailSettings,
    LandlockRules,
    LauncherConfig,
)
from autograder.sandbox.untrusted.serve import serve
from autograder.sandbox.untrusted.syscalls import (
    CLONE_NEWIPC,
    CLONE_NEWNET,
    CLONE_NEWNS,
    CLONE_NEWPID,
    CLONE_NEWUSER,
    PR_SET_CHILD_SUBREAPER,
    PR_SET_NO_NEW_PRIVS,
    PR_SET_PDEATHSIG,
    prctl,
    unshare,
)
from autograder.sandbox.untrusted.view import (
    ACCOUNT_FILES,
    DEVICES,
    View,
    drops_privileges,
    enter_view,
    student_ids,
)


def _exit_code(status: int) -> int:
    """A wait status as an exit status: killed by signal N is ``EXIT_SIGNAL_BASE + N``."""
    code = os.waitstatus_to_exitcode(status)
    return EXIT_SIGNAL_BASE - code if code < 0 else code


def jail(config: LauncherConfig) -> NoReturn:
    """The launcher: namespaces, the sandbox's first process, and the reaping at the end."""
    prctl(PR_SET_CHILD_SUBREAPER, 1)
    namespaces, missing = unshare_namespaces()
    # Blocked before the fork, so that neither signal can slip by before sigwait.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGCHLD})
    first = os.fork()
    if first == 0:
        signal.pthread_sigmask(signal.SIG_SETMASK, set())
        if "status_fd" in config:  # the submission must not be able to report for us
            os.close(config["status_fd"])
        _first_process(config, namespaces, missing)
    os.close(config["request_fd"])
    os.close(config["response_fd"])
    status = _supervise(first)
    kill_descendants()
    code = EXIT_SIGNAL_BASE + signal.SIGTERM if status is None else _exit_code(status)
    if "status_fd" in config:  # a zygote's child: the grading side is not our parent
        with contextlib.suppress(OSError):
            os.write(config["status_fd"], f"{code}\n".encode())
    os._exit(code)


def unshare_namespaces() -> tuple[list[str], dict[str, str]]:
    """New PID, network and IPC namespaces (a user namespace first, without root): those
    made, and why the others were not.

    The mount namespace is the first process's own, so that the launcher keeps the
    machine's file system (and its /proc) to find and kill what the sandbox leaves.
    """
    wanted = ((CLONE_NEWPID, "pid"), (CLONE_NEWNET, "network"), (CLONE_NEWIPC, "ipc"))
    if os.geteuid() == 0:
        done, missing = [], {}
        for flag, name in wanted:
            try:
                unshare(flag, f"unshare({name})")
                done.append(name)
            except OSError as error:
                missing[name] = f"unshare({name}) failed: {error.strerror} (no CAP_SYS_ADMIN?)"
        return done, missing
    uid, gid = os.getuid(), os.getgid()
    try:
        unshare(CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC, "unshare(user)")
        for name, text in (("uid_map", f"{uid} {uid} 1"), ("setgroups", "deny")):
            with open(f"/proc/self/{name}", "w") as map_file:
                map_file.write(text)
        with open("/proc/self/gid_map", "w") as map_file:
            map_file.write(f"{gid} {gid} 1")
    except OSError as error:
        why = (
            f"no unprivileged user namespace ({error.strerror}): enable "
            "kernel.unprivileged_userns_clone, or grade as root"
        )
        return [], {name: why for _, name in (*wanted, (CLONE_NEWNS, "mount"))}
    return ["user", *(name for _, name in wanted)], {}


def _supervise(first: int) -> int | None:
    """Reap orphans until ``first`` exits (its wait status) or SIGTERM comes (None)."""
    while True:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return None
            if pid == 0:
                break
            if pid == first:
                return status
        if signal.sigwait({signal.SIGTERM, signal.SIGCHLD}) == signal.SIGTERM:
            return None


def kill_descendants() -> None:
    """SIGKILL every process below this one and reap them, until none is left.

    This process is a child subreaper, so what its children leave behind becomes its
    child in turn: once ``waitpid`` says there are no children, nothing is left.
    """
    me = os.getpid()
    while True:
        for pid in _descendants(me):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def _descendants(ancestor: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as stat_file:
                    fields = stat_file.read().rsplit(b")", 1)[1].split()
            except (OSError, IndexError):
                continue  # gone meanwhile
            parents[int(entry)] = int(fields[1])
    found, frontier = [], [ancestor]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        found += children
        frontier += children
    return found


def _first_process(
    config: LauncherConfig, namespaces: list[str], missing: dict[str, str]
) -> NoReturn:
    """The sandbox's first process (PID 1 in its namespace): the view, then the worker."""
    settings = config["jail"]
    try:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        view = enter_view(settings, namespaces)
        report: JailReport = {
            "user": settings["user"],
            "uid": settings["uid"],
            "namespaces": [*namespaces, *view.namespaces],
            "missing": missing | {k: v for k, v in view.missing.items() if k not in missing},
            "view": view.kind,
            "scratch_bytes": settings["scratch_bytes"],
        }
        if "pid" not in namespaces:
            _become_student(config, view, report)
        worker = os.fork()
        if worker == 0:
            _become_student(config, view, report)
    except BaseException as error:
        print(f"sandbox setup failed: {error}", file=sys.stderr, flush=True)
        os._exit(EXIT_SETUP_FAILED)
    os.close(config["request_fd"])
    os.close(config["response_fd"])
    while True:  # init: reap orphans until the worker ends, then the namespace goes with us
        try:
            pid, status = os.waitpid(-1, 0)
        except ChildProcessError:
            os._exit(0)
        if pid == worker:
            os._exit(_exit_code(status))


def _become_student(config: LauncherConfig, view: View, report: JailReport) -> NoReturn:
    """Drop privileges, then serve in this very process (no second interpreter start)."""
    settings = config["jail"]
    try:
        if drops_privileges(settings, report["namespaces"]):
            uid, gid = student_ids(settings)
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)
            if 0 in (os.getuid(), os.geteuid(), os.getgid()):
                raise OSError("still root after setuid")
        prctl(PR_SET_NO_NEW_PRIVS, 1)
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        os.chdir(view.workdir)
        unreadable = [path for path in settings["readable"] if not os.access(path, os.R_OK)]
        if not os.access(settings["python"], os.X_OK) or unreadable:
            raise PermissionError(f"cannot read {(unreadable or [settings['python']])[0]}")
        places = {
            "HOME": view.workdir,
            "IPYTHONDIR": f"{view.workdir}/.ipython",
            "TMPDIR": view.tmp,
            "MPLCONFIGDIR": f"{view.tmp}/matplotlib",  # else it warns: HOME may be read-only
        }
        os.environ.clear()
        os.environ.update(config["env"] | places)
    except BaseException as error:
        closed = [found for found in map(_closed_ancestor, settings["readable"]) if found]
        hint = (
            f" ({closed[0]} is closed to other users and there was no mount namespace to open "
            "a way: make the Python installation readable by others)"
            if closed
            else ""
        )
        message = f"cannot start the worker as uid {os.getuid()}: {error}{hint}"
        print(f"sandbox setup failed: {message}", file=sys.stderr, flush=True)
        os._exit(EXIT_START_FAILED)
    serve(
        {
            "limits": config["limits"],
            "request_fd": config["request_fd"],
            "response_fd": config["response_fd"],
            "jail": report,
            "landlock": _landlock_rules(settings, view, report["namespaces"], report["missing"]),
        }
    )


def _landlock_rules(
    settings: JailSettings, view: View, namespaces: Sequence[str], missing: dict[str, str]
) -> LandlockRules:
    return {
        "readable": [*settings["readable"], *ACCOUNT_FILES],
        "excluded": settings["excluded"],
        "writable": view.writable,
        "devices": [device for device in DEVICES if os.path.exists(device)],
        # Only a private /proc (fresh root in a PID namespace) shows nothing of others.
        "proc": view.kind == "fresh root" and "pid" in namespaces and "proc" not in missing,
    }


def _closed_ancestor(path: str) -> str | None:
    """The first directory above ``path`` that other users may not enter."""
    parts = path.strip("/").split("/")
    for depth in range(len(parts)):
        directory = "/" + "/".join(parts[:depth])
        with contextlib.suppress(OSError):
            if not os.stat(directory).st_mode & stat.S_IXOTH:
                return directory
    return None
