"""Resource limits for one submission's worker process."""

from __future__ import annotations

from dataclasses import dataclass, fields

from autograder.sandbox.untrusted.protocol import WorkerLimits

KiB = 1 << 10
MiB = 1 << 20
GiB = 1 << 30


@dataclass(frozen=True)
class Limits:
    """What one submission may use. The defaults suit numpy homework on a 2-core, 24 GiB box.

    Wall-clock limits are enforced by the grading process (it kills the worker's
    process group); the others are rlimits the worker cannot raise again.
    """

    cell_timeout: float = 60.0
    """Seconds of wall-clock time for one notebook cell."""
    call_timeout: float = 30.0
    """Seconds of wall-clock time for one call of a student function (or one lookup)."""
    submission_timeout: float = 600.0
    """Seconds of wall-clock time the submission's code may use in total: cells, replays after
    a restart, lookups and calls."""
    cpu_seconds: int = 600
    """RLIMIT_CPU of each worker process (restarts start afresh)."""
    memory_bytes: int = 2 * GiB
    """RLIMIT_AS: address space of the worker (python and numpy with one BLAS thread: ~140 MiB)."""
    max_processes: int = 8
    """RLIMIT_NPROC: processes and threads of the sandbox user (of the grading user when not
    root, counting its own). RLIMIT_AS binds each process, so ``memory_bytes`` times this
    bounds the memory a forking submission can take: 16 GiB by default, under the box's 24."""
    file_size_bytes: int = 64 * MiB
    """RLIMIT_FSIZE: largest file the submission may write."""
    open_files: int = 256
    """RLIMIT_NOFILE: open file descriptors of the worker."""
    output_bytes: int = 1 * MiB
    """Printed output kept per cell (characters); the rest is counted and dropped."""
    message_bytes: int = 64 * MiB
    """Largest message accepted from the worker; bigger values stay behind a handle."""
    scratch_bytes: int = 256 * MiB
    """Disk space of the working directory and /tmp: the size of each private tmpfs where the
    worker has a fresh root (as root, or unprivileged with user namespaces); elsewhere (a
    container without CAP_SYS_ADMIN) measured from outside while the submission runs, and the
    worker stopped above it."""

    def __post_init__(self) -> None:
        problems = [
            f"{f.name}={getattr(self, f.name)!r}"
            for f in fields(self)
            if getattr(self, f.name) <= 0
        ]
        if problems:
            raise ValueError(f"sandbox limits must be positive: {', '.join(problems)}")
        if self.message_bytes < MiB:
            raise ValueError(f"message_bytes={self.message_bytes} is below the 1 MiB minimum")

    def for_worker(self) -> WorkerLimits:
        """The limits the worker applies to itself, as the protocol names them."""
        return {
            "cpu_seconds": self.cpu_seconds,
            "memory_bytes": self.memory_bytes,
            "max_processes": self.max_processes,
            "file_size_bytes": self.file_size_bytes,
            "open_files": self.open_files,
            "output_bytes": self.output_bytes,
            "message_bytes": self.message_bytes,
        }
