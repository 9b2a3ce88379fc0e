"""Landlock: the kernel's own allow-list for a process and its children (Linux >= 5.13).

Reading only the allow-list, writing only scratch; no TCP with ABI >= 4; no signal to,
ptrace of or abstract socket of a process outside with ABI >= 6.
"""

from __future__ import annotations

import ctypes
import os
import stat

from autograder.sandbox.untrusted.protocol import LandlockReport, LandlockRules, outermost, within
from autograder.sandbox.untrusted.syscalls import PR_SET_NO_NEW_PRIVS, described, prctl, syscall

LANDLOCK_CREATE_RULESET, LANDLOCK_ADD_RULE, LANDLOCK_RESTRICT_SELF = 444, 445, 446
LANDLOCK_CREATE_RULESET_VERSION = 1
LANDLOCK_RULE_PATH_BENEATH = 1
FS_EXECUTE = 1 << 0
FS_WRITE_FILE = 1 << 1
FS_READ_FILE = 1 << 2
FS_READ_DIR = 1 << 3
FS_TRUNCATE = 1 << 14
NET_BIND_TCP = 1 << 0
NET_CONNECT_TCP = 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0
SCOPE_SIGNAL = 1 << 1
FILE_RIGHTS = FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE | (1 << 15)


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def landlock_abi() -> int:
    """The kernel's Landlock ABI version; 0 where there is none."""
    try:
        version = syscall(LANDLOCK_CREATE_RULESET, None, 0, LANDLOCK_CREATE_RULESET_VERSION)
    except (OSError, AttributeError):
        return 0
    return max(version, 0)


def restrict_with_landlock(rules: LandlockRules) -> LandlockReport:
    """Limit this process and its future children to ``rules``; what it did, for the report.

    Reading: the allow-list (``readable`` minus ``excluded``); everything: ``writable``;
    reading and writing: ``devices``. With ABI >= 4 no TCP, with ABI >= 6 no signal to
    and no abstract socket of a process outside.
    """
    abi = landlock_abi()
    if abi < 1:
        return {"abi": 0}
    fs_rights = (1 << 13) - 1  # ABI 1: execute ... make_sym
    for version, right in ((2, 1 << 13), (3, FS_TRUNCATE), (5, 1 << 15)):
        if abi >= version:
            fs_rights |= right
    attr = _RulesetAttr(fs_rights, NET_BIND_TCP | NET_CONNECT_TCP if abi >= 4 else 0, 0)
    if abi >= 6:
        attr.scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL
    size = 8 if abi < 4 else 16 if abi < 6 else 24
    try:
        ruleset = syscall(LANDLOCK_CREATE_RULESET, ctypes.byref(attr), size, 0)
    except OSError as error:
        return {"abi": abi, "error": error.strerror or ""}
    try:
        reading = FS_EXECUTE | FS_READ_FILE | FS_READ_DIR
        readable = allowed_paths(rules["readable"], rules["excluded"])
        for path in readable:
            _allow(ruleset, path, reading & fs_rights)
        for path in _holding_excluded(rules["readable"], rules["excluded"]):
            _allow(ruleset, path, FS_READ_DIR)  # imports list site-packages
        for path in rules["writable"]:
            _allow(ruleset, path, fs_rights)
        for path in rules["devices"]:
            _allow(ruleset, path, (FS_READ_FILE | FS_WRITE_FILE | FS_TRUNCATE))
        if rules["proc"]:
            _allow(ruleset, "/proc", FS_READ_FILE | FS_READ_DIR)
        prctl(PR_SET_NO_NEW_PRIVS, 1)
        with described("landlock_restrict_self"):
            syscall(LANDLOCK_RESTRICT_SELF, ruleset, 0)
    finally:
        os.close(ruleset)
    return {"abi": abi, "rules": len(readable), "net": abi >= 4, "scoped": abi >= 6}


def _allow(ruleset: int, path: str, rights: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return  # not there (or not reachable): nothing to allow
    try:
        if not stat.S_ISDIR(os.fstat(fd).st_mode):
            rights &= FILE_RIGHTS
        rule = _PathBeneathAttr(rights, fd)
        with described(f"landlock_add_rule({path})"):
            syscall(LANDLOCK_ADD_RULE, ruleset, LANDLOCK_RULE_PATH_BENEATH, ctypes.byref(rule), 0)
    finally:
        os.close(fd)


def allowed_paths(readable: list[str], excluded: list[str]) -> list[str]:
    """The trees of ``readable`` with ``excluded`` cut out, as a list of whole trees and files."""
    result: list[str] = []
    for path in outermost(readable):
        result += _without(path, [x for x in excluded if within(x, path)])
    return result


def _without(path: str, excluded: list[str]) -> list[str]:
    if not excluded:
        return [path]
    if path in excluded or not os.path.isdir(path) or os.path.islink(path):
        return []
    kept = []
    for entry in sorted(os.listdir(path)):
        child = os.path.join(path, entry)
        kept += _without(child, [x for x in excluded if within(x, child)])
    return kept


def _holding_excluded(readable: list[str], excluded: list[str]) -> list[str]:
    """The readable trees that had something cut out: they stay listable (names only)."""
    return [
        outer
        for outer in outermost(readable)
        if os.path.isdir(outer) and any(within(path, outer) for path in excluded)
    ]
