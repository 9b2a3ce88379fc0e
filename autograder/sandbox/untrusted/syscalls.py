"""The system calls Python lacks (mount, pivot_root, prctl, Landlock's), through one libc.

Every libc function used here has its argument types declared and fails the Python way:
-1 raises ``OSError`` with errno's reason. The wrappers add what was being done to the
message (``mount tmpfs on /x: Operation not permitted``).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
from collections.abc import Iterator
from typing import Any

CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_RDONLY = 0x1
MS_NOSUID = 0x2
MS_NODEV = 0x4
MS_NOEXEC = 0x8
MS_REMOUNT = 0x20
MS_NOATIME = 0x400
MS_NODIRATIME = 0x800
MS_BIND = 0x1000
MS_REC = 0x4000
MS_PRIVATE = 0x40000
MS_RELATIME = 0x200000
MNT_DETACH = 2
PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38
PR_GET_NO_NEW_PRIVS = 39
SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41, "riscv64": 41}


def _raise_on_failure(result: int, function: Any, arguments: tuple[Any, ...]) -> int:
    if result == -1:
        error = ctypes.get_errno()
        raise OSError(error, os.strerror(error))
    return result


@functools.cache
def libc() -> ctypes.CDLL:
    """The C library, once per process, its functions declared (``errcheck``: -1 raises)."""
    library = ctypes.CDLL(None, use_errno=True)
    library.mount.argtypes = [ctypes.c_char_p] * 3 + [ctypes.c_ulong, ctypes.c_char_p]
    library.umount2.argtypes = [ctypes.c_char_p, ctypes.c_int]
    library.unshare.argtypes = [ctypes.c_int]
    library.prctl.argtypes = [ctypes.c_int] + [ctypes.c_ulong] * 4
    library.syscall.restype = ctypes.c_long
    for function in (library.mount, library.umount2, library.unshare, library.prctl):
        function.errcheck = _raise_on_failure  # type: ignore[assignment]
    library.syscall.errcheck = _raise_on_failure  # type: ignore[assignment]
    return library


@contextlib.contextmanager
def described(what: str) -> Iterator[None]:
    """An ``OSError`` inside says ``what: reason``."""
    try:
        yield
    except OSError as error:
        code = error.errno or 0
        raise OSError(code, f"{what}: {os.strerror(code)}") from None


def check(result: int, what: str) -> None:
    """For a libc function called without ``errcheck``: a nonzero result raises."""
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


def mount(source: str | None, target: str, fstype: str | None, flags: int, data: str = "") -> None:
    encoded = [None if text is None else text.encode() for text in (source, target, fstype)]
    with described(f"mount {fstype or 'bind'} on {target}"):
        libc().mount(*encoded, flags, data.encode() or None)


def unmount(target: str, flags: int, what: str) -> None:
    with described(what):
        libc().umount2(target.encode(), flags)


def unshare(flags: int, what: str) -> None:
    """unshare(2): ``os.unshare`` where Python has it (3.12), else libc's."""
    call = getattr(os, "unshare", None) or libc().unshare
    with described(what):
        call(flags)


def prctl(option: int, value: int = 0) -> int:
    """prctl(2), or -1 where it is unavailable or fails."""
    try:
        result: int = libc().prctl(option, value, 0, 0, 0)
    except (OSError, AttributeError):
        return -1
    return result


def syscall(number: int, *arguments: Any) -> int:
    """syscall(2) by number (-1 raises OSError)."""
    result: int = libc().syscall(number, *arguments)
    return result


def pivot_root() -> None:
    """pivot_root(".", "."): the current directory becomes the root, the old one above it."""
    number = SYS_PIVOT_ROOT.get(os.uname().machine)
    if number is None:
        raise OSError(f"pivot_root: unknown system call number on {os.uname().machine}")
    with described("pivot_root"):
        syscall(number, b".", b".")
