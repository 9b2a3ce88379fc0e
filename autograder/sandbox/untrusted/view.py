"""The file system the worker sees: a fresh root holding only the allow-list, or else the
launch directory (where Landlock alone holds the allow-list).

``enter_view`` reads the jail's settings and returns a ``View``: what it is, where the
worker works and writes, and which layers it could not put in place.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from autograder.sandbox.untrusted.protocol import JailSettings, outermost
from autograder.sandbox.untrusted.syscalls import (
    CLONE_NEWNS,
    MNT_DETACH,
    MS_BIND,
    MS_NOATIME,
    MS_NODEV,
    MS_NODIRATIME,
    MS_NOEXEC,
    MS_NOSUID,
    MS_PRIVATE,
    MS_RDONLY,
    MS_REC,
    MS_RELATIME,
    MS_REMOUNT,
    mount,
    pivot_root,
    unmount,
    unshare,
)

SANDBOX_ROOT = "/tmp/sandbox"  # the launch directory's copy inside a fresh root
# Who is who: the fresh root has its own, naming only root and the submission's user.
ACCOUNT_FILES = ("/etc/passwd", "/etc/group", "/etc/nsswitch.conf")
DEVICES = ("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom")


@dataclass(frozen=True)
class View:
    """The view the sandbox's first process entered."""

    kind: Literal["fresh root", "launch directory"]
    workdir: str
    writable: list[str]
    tmp: str
    namespaces: list[str] = field(default_factory=list)  # added: "mount" for a fresh root
    missing: dict[str, str] = field(default_factory=dict)  # layer -> why it is missing


def enter_view(settings: JailSettings, namespaces: Sequence[str]) -> View:
    """A fresh root holding only the allow-list, else the launch directory.

    ``namespaces`` are those the launcher already has. Where mounts are refused after all
    (a user namespace under AppArmor's restriction), the launch directory it is: Landlock
    still holds the allow-list there.
    """
    launch_dir = os.getcwd()
    missing: dict[str, str] = {}
    try:
        unshare(CLONE_NEWNS, "unshare(mount)")
        _fresh_root(settings, namespaces, missing)
    except _Unrecoverable:
        raise
    except OSError as error:
        missing["mount"] = f"no fresh root: {error}"
        os.chdir(launch_dir)
        os.chmod(launch_dir, 0o755)
        writable = [f"{launch_dir}/work", f"{launch_dir}/tmp"]
        hand_over(writable, settings, namespaces)
        return View(
            "launch directory", f"{launch_dir}/work", writable, f"{launch_dir}/tmp", [], missing
        )
    workdir = f"{SANDBOX_ROOT}/work"
    hand_over([workdir], settings, namespaces)  # /tmp and /dev/shm are mode 1777
    return View("fresh root", workdir, ["/tmp", "/dev/shm"], "/tmp", ["mount"], missing)


class _Unrecoverable(Exception):
    """The root was already switched when setting it up failed: no view to fall back to."""


def _fresh_root(settings: JailSettings, namespaces: Sequence[str], missing: dict[str, str]) -> None:
    """pivot_root into a tmpfs holding the allow-list (read-only), devices and scratch space."""
    launch_dir = os.getcwd()
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    root = os.path.join(launch_dir, "root")  # empty: a restart's mounts were in its namespace
    os.makedirs(root, exist_ok=True)
    mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,mode=755")
    # Scratch first: readable trees under /tmp (a venv made there) are bound inside it.
    size = f"size={settings['scratch_bytes']},mode=1777"
    for scratch in ("/tmp", "/dev/shm"):
        os.makedirs(root + scratch, exist_ok=True)
        mount("tmpfs", root + scratch, "tmpfs", MS_NOSUID | MS_NODEV, size)
    for path in outermost([os.path.realpath(path) for path in settings["readable"]]):
        _bind_into(root, path)
    for path in settings["readable"]:  # /lib -> usr/lib and the like
        if os.path.islink(path) and not os.path.lexists(root + path):
            os.makedirs(root + os.path.dirname(path), exist_ok=True)
            os.symlink(os.readlink(path), root + path)
    for path in settings["excluded"]:
        if os.path.lexists(root + path):
            _cover(root + path)
    for device in DEVICES:
        if os.path.exists(device):
            _bind_into(root, device, read_only=False)
    shutil.copytree(launch_dir, root + SANDBOX_ROOT, ignore=lambda d, names: ["root"])
    os.chmod(root + SANDBOX_ROOT, 0o755)
    if "pid" in namespaces:
        os.makedirs(root + "/proc", exist_ok=True)
        try:
            mount("proc", root + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
        except OSError as error:
            missing["proc"] = f"no private /proc ({error.strerror}): none at all"
    _write_accounts(root, settings, namespaces)
    os.chdir(root)
    pivot_root()
    try:
        unmount(".", MNT_DETACH, "umount old root")
        os.chdir("/")
        mount(None, "/", None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
    except OSError as error:
        raise _Unrecoverable(str(error)) from None


def _bind_into(root: str, path: str, read_only: bool = True) -> None:
    """Make ``path`` (no symbolic link) appear at the same place under ``root``."""
    if not os.path.exists(path) or os.path.lexists(root + path):
        return
    os.makedirs(root + os.path.dirname(path), exist_ok=True)
    if os.path.isdir(path):
        os.mkdir(root + path)
    else:
        os.close(os.open(root + path, os.O_CREAT | os.O_WRONLY, 0o644))
    mount(path, root + path, None, MS_BIND | MS_REC)
    if read_only:
        mount(None, root + path, None, MS_REMOUNT | MS_BIND | MS_RDONLY | _locked_flags(path))


def _locked_flags(path: str) -> int:
    """The mount flags a remount must keep (in a user namespace they are locked)."""
    current = os.statvfs(path).f_flag
    flags = MS_NOSUID | MS_NODEV
    for statvfs_flag, mount_flag in (
        (os.ST_NOEXEC, MS_NOEXEC),
        (os.ST_NOATIME, MS_NOATIME),
        (os.ST_NODIRATIME, MS_NODIRATIME),
        (os.ST_RELATIME, MS_RELATIME),
    ):
        if current & statvfs_flag:
            flags |= mount_flag
    return flags


def _cover(path: str) -> None:
    """Cover ``path`` with something empty and read-only."""
    if os.path.isdir(path):
        flags = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC
        mount("tmpfs", path, "tmpfs", flags, "size=4k,mode=555")
    else:
        mount("/dev/null", path, None, MS_BIND)


def _write_accounts(root: str, settings: JailSettings, namespaces: Sequence[str]) -> None:
    """/etc/passwd and /etc/group naming only root and the submission's user."""
    os.makedirs(root + "/etc", exist_ok=True)
    uid, gid = os.getuid(), os.getgid()
    if drops_privileges(settings, namespaces):
        uid, gid = student_ids(settings)
    name = settings.get("user") or "student"
    home = f"{SANDBOX_ROOT}/work"
    with open(root + "/etc/passwd", "w") as passwd:
        passwd.write(
            f"root:x:0:0:root:/:/usr/sbin/nologin\n{name}:x:{uid}:{gid}::{home}:/bin/false\n"
        )
    with open(root + "/etc/group", "w") as group:
        group.write(f"root:x:0:\n{name}:x:{gid}:\n")


def drops_privileges(settings: JailSettings, namespaces: Sequence[str]) -> bool:
    """As root (not in a user namespace of its own), the worker runs as the sandbox user."""
    return os.geteuid() == 0 and "user" not in namespaces


def hand_over(paths: list[str], settings: JailSettings, namespaces: Sequence[str]) -> None:
    """Give the scratch trees to the sandbox user (as root; otherwise they are ours already)."""
    if not drops_privileges(settings, namespaces):
        return
    uid, gid = student_ids(settings)
    for top in paths:
        for where, dirs, files in os.walk(top):
            for name in [where, *(os.path.join(where, entry) for entry in dirs + files)]:
                os.lchown(name, uid, gid)


def student_ids(settings: JailSettings) -> tuple[int, int]:
    """The sandbox user's uid and gid, which the grading side gives whenever it is root."""
    uid, gid = settings["uid"], settings["gid"]
    if uid is None or gid is None:
        raise OSError("running as root, but no sandbox user was given to run the worker as")
    return uid, gid
