"""The disk a submission uses, measured from outside, where no tmpfs bounds it.

As root or in a user namespace the worker writes only to tmpfs mounts of
``Limits.scratch_bytes`` in its fresh root. Without mounts (a container without
CAP_SYS_ADMIN) it writes to the launch directory on the grading machine's disk: the
grading side measures that tree while a request runs and stops the worker above the
limit. A walk can be as long as the submission makes it, so each measurement goes on
by a bounded number of entries and resumes at the next one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

BLOCK = 512  # st_blocks counts 512-byte units whatever the file system's block size


class DiskMeter:
    """Allocated bytes (not apparent sizes: a sparse file costs what it holds) of some trees."""

    def __init__(self, roots: Sequence[Path]) -> None:
        self._roots = [str(root) for root in roots]
        self._pending: list[str] = []
        self._current: Iterator[os.DirEntry[str]] | None = None
        self._partial = 0  # this walk so far
        self._complete = 0  # the last complete walk

    def step(self, entries: int) -> int:
        """Walk on by up to ``entries`` entries; the bytes known to be in use now.

        That is the larger of the last complete walk and the current one so far: files
        deleted meanwhile may still count until the walk ends, files added behind it
        count from the next walk.
        """
        if self._current is None and not self._pending:
            self._complete, self._partial = self._partial, 0
            self._pending = list(self._roots)
        while entries > 0 and (self._current is not None or self._pending):
            if self._current is None:
                self._current = _entries(self._pending.pop())
            entry = next(self._current, None)
            if entry is None:
                self._current = None
                continue
            entries -= 1
            with contextlib.suppress(OSError):  # gone meanwhile
                self._partial += entry.stat(follow_symlinks=False).st_blocks * BLOCK
                if entry.is_dir(follow_symlinks=False):
                    self._pending.append(entry.path)
        return max(self._complete, self._partial)

    def reset(self) -> None:
        """Forget what was measured (the trees were emptied)."""
        self._current = None
        self._pending = []
        self._partial = self._complete = 0


def _entries(directory: str) -> Iterator[os.DirEntry[str]]:
    try:
        listing = os.scandir(directory)
    except PermissionError:
        try:
            _reopen(directory)
            listing = os.scandir(directory)
        except OSError:
            return
    except OSError:
        return
    with listing:
        yield from listing


def _reopen(directory: str) -> None:
    """Make a directory the submission closed (chmod 000, same uid as ours) readable again.

    Never through a symbolic link the submission may have put there meanwhile.
    """
    fd = os.open(directory, os.O_PATH | os.O_NOFOLLOW | os.O_DIRECTORY)
    try:
        os.chmod(f"/proc/self/fd/{fd}", 0o700)
    finally:
        os.close(fd)


def remove_tree(path: Path) -> None:
    """Delete ``path`` and all below it, even directories the submission closed (same uid).

    Only once the submission's processes are gone: nothing changes the tree meanwhile.
    """
    with contextlib.suppress(OSError):
        _reopen(str(path))
    for top, dirs, _ in os.walk(path):
        for name in dirs:
            with contextlib.suppress(OSError):
                _reopen(os.path.join(top, name))
    shutil.rmtree(path, ignore_errors=True)
