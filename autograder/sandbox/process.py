"""One running worker process, seen from the grading side: start, exchange, kill.

The worker gets two dedicated pipes (requests in, results out: one JSON object
per line) and one more for its stdout and stderr, which is drained and cut to
a byte limit. Every wait has a deadline; the grading side polls, never blocks.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import select
import signal
import time
from collections.abc import Callable
from typing import Any

from autograder.sandbox.untrusted.protocol import EXIT_SIGNAL_BASE, LaunchConfig, Request
from autograder.sandbox.zygote import Zygote

_READ_CHUNK = 1 << 20
_WRITE_CHUNK = 1 << 16
_REAP_SECONDS = 5.0
_TAIL_BYTES = 4096
WATCH_SECONDS = 0.05
"""How often an exchange's ``watch`` runs while the worker works."""


class WorkerTimedOut(Exception):
    """The deadline passed before the worker answered."""


class WorkerGone(Exception):
    """The worker exited or closed its end of the channel; the message says how."""


class ProtocolViolation(Exception):
    """The worker wrote something that is not the answer that was asked for."""


class WorkerProcess:
    """A started worker: its launcher, its channel, and what it printed.

    The launcher is forked by the zygote (``zygote.py``), not by us: we know it by a
    pidfd, which becomes readable when it exits, and it writes its exit status to a
    pipe of its own before exiting.
    """

    def __init__(
        self,
        zygote: Zygote,
        config: LaunchConfig,
        *,
        cwd: str,
        message_bytes: int,
        output_bytes: int,
    ) -> None:
        self.message_bytes = message_bytes
        self.output_bytes = output_bytes
        request_read, self._to_worker = _pipe()
        self._from_worker, response_write = _pipe()
        self._output, output_write = _pipe()
        self._status, status_write = _pipe()
        theirs = [request_read, response_write, output_write, status_write]
        try:
            spawned = zygote.spawn(config, cwd, theirs)
        except BaseException:
            for fd in (self._to_worker, self._from_worker, self._output, self._status):
                os.close(fd)
            raise
        finally:
            for fd in theirs:
                os.close(fd)
        for fd in (self._to_worker, self._from_worker, self._output, self._status):
            os.set_blocking(fd, False)
        self.pid = spawned.pid
        self._pidfd = spawned.pidfd
        # Readable once the launcher has exited: its pidfd, or else the end of its status pipe.
        self._exited: int | None = spawned.pidfd if spawned.pidfd is not None else self._status
        self._status_text = b""
        self.returncode: int | None = None
        self._buffer = bytearray()
        self._scanned = 0  # how much of the buffer is known to hold no newline
        self._captured = bytearray()
        self._dropped = 0
        self._tail = b""
        self._output_closed = False
        self.alive = True

    # -- exchanging messages ------------------------------------------------------------

    def exchange(
        self,
        message: Request | None,
        deadline: float,
        watch: Callable[[], None] | None = None,
    ) -> Any:
        """Send ``message`` (if any) and return the next line the worker writes, parsed.

        ``watch`` is called every ``WATCH_SECONDS`` meanwhile; what it raises ends the
        exchange. Raises WorkerTimedOut, WorkerGone or ProtocolViolation; after any of
        them (or of ``watch``'s) the process must be killed.
        """
        if self._buffer:
            raise ProtocolViolation("it wrote data that nobody asked for")
        pending = b""
        if message is not None:
            pending = (json.dumps(message, allow_nan=False, separators=(",", ":")) + "\n").encode()
        line = self._pump(memoryview(pending), deadline, watch)
        try:
            return json.loads(line, parse_constant=_reject_constant)
        except (ValueError, RecursionError) as error:
            raise ProtocolViolation(f"it wrote a line that is not JSON ({error})"[:200]) from None

    def _pump(
        self, pending: memoryview, deadline: float, watch: Callable[[], None] | None
    ) -> bytes:
        poller = select.poll()
        poller.register(self._from_worker, select.POLLIN)
        if not self._output_closed:
            poller.register(self._output, select.POLLIN)
        if pending:
            poller.register(self._to_worker, select.POLLOUT)
        if self._exited is not None:
            poller.register(self._exited, select.POLLIN)
        next_watch = time.monotonic() + WATCH_SECONDS
        while True:
            now = time.monotonic()
            remaining = deadline - now
            if remaining <= 0:
                raise WorkerTimedOut
            if watch is not None:
                if now >= next_watch:
                    watch()
                    next_watch = now + WATCH_SECONDS
                remaining = min(remaining, next_watch - now)
            for fd, events in poller.poll(max(1, int(remaining * 1000) + 1)):
                if fd == self._to_worker:
                    pending = self._write(pending, events)
                    if not pending:
                        poller.unregister(fd)
                elif fd == self._from_worker:
                    line = self._read_result()
                    if line is not None:
                        if pending:
                            raise ProtocolViolation("it answered before reading the request")
                        return line
                elif fd == self._output:
                    self._drain_output()
                    if self._output_closed:  # else poll reports the hang-up again and again
                        poller.unregister(fd)
                else:  # the process exited: it will never answer now
                    self._drain_output()
                    line = self._read_result()
                    if line is not None and not pending:
                        return line
                    raise WorkerGone(self._death())

    def _write(self, pending: memoryview, events: int) -> memoryview:
        if events & (select.POLLERR | select.POLLHUP):
            raise WorkerGone(self._death())
        try:
            written = os.write(self._to_worker, pending[:_WRITE_CHUNK])
        except BlockingIOError:
            return pending
        except BrokenPipeError:
            raise WorkerGone(self._death()) from None
        return pending[written:]

    def _read_result(self) -> bytes | None:
        """The first complete line, once there is one; WorkerGone at end of file."""
        while True:
            try:
                chunk = os.read(self._from_worker, _READ_CHUNK)
            except BlockingIOError:
                break
            if not chunk:
                if b"\n" in self._buffer:
                    break
                raise WorkerGone(self._death(closed_channel=True))
            self._buffer += chunk
            if b"\n" in chunk or len(self._buffer) > self.message_bytes:
                break
        end = self._buffer.find(b"\n", self._scanned)  # not again through what had no newline
        if end < 0:
            if len(self._buffer) > self.message_bytes:
                raise ProtocolViolation(f"it sent a message over {self.message_bytes} bytes")
            self._scanned = len(self._buffer)
            return None
        if end > self.message_bytes:
            raise ProtocolViolation(f"it sent a message over {self.message_bytes} bytes")
        line = bytes(self._buffer[:end])
        del self._buffer[: end + 1]
        self._scanned = 0
        return line

    def _drain_output(self) -> None:
        while self.alive and not self._output_closed:
            try:
                chunk = os.read(self._output, _READ_CHUNK)
            except BlockingIOError:
                return
            if not chunk:
                self._output_closed = True
                return
            room = self.output_bytes - len(self._captured)
            self._captured += chunk[: max(room, 0)]
            self._dropped += max(len(chunk) - max(room, 0), 0)
            self._tail = (self._tail + chunk)[-_TAIL_BYTES:]

    def take_output(self) -> str:
        """What the process wrote to its stdout and stderr since the last call (cut)."""
        self._drain_output()
        text = self._captured.decode("utf-8", "replace")
        if self._dropped:
            text += f"\n[... {self._dropped} more bytes of output dropped]\n"
        self._captured.clear()
        self._dropped = 0
        return text

    @property
    def output_tail(self) -> str:
        """The last few KiB the process wrote to stdout or stderr."""
        self._drain_output()
        return self._tail.decode("utf-8", "replace")

    # -- ending -------------------------------------------------------------------------

    def _death(self, closed_channel: bool = False) -> str:
        """How the process ended (waiting a little for it); kills what is left of it."""
        exited = self._wait_exit(_REAP_SECONDS if closed_channel else 1.0)
        self.kill()
        if not exited:
            return "closed its result channel" if closed_channel else "stopped answering"
        if self.returncode is None:
            return "was killed by a signal"
        return describe_exit(self.returncode)

    def _wait_exit(self, seconds: float) -> bool:
        """Wait up to ``seconds`` for the launcher to exit; read its status if it did."""
        assert self._exited is not None
        deadline = time.monotonic() + max(seconds, 0)
        while True:
            ready, _, _ = select.select([self._exited], [], [], max(deadline - time.monotonic(), 0))
            if not ready:
                return False
            try:
                chunk = os.read(self._status, 64)
            except BlockingIOError:
                chunk = None  # a pidfd said it exited, and it wrote nothing
            except OSError:
                chunk = b""
            if chunk:
                self._status_text += chunk
                if self._exited == self._status:
                    continue  # its end of file follows
            text = self._status_text.decode("ascii", "replace").strip()
            if text.lstrip("-").isdigit():
                self.returncode = int(text)
            return True

    def kill(self) -> None:
        """Stop the worker and every process it started; release everything. Idempotent.

        The launcher kills and reaps the whole sandbox when told to stop, and exits only
        then: waiting for it is waiting for the last process of the submission. Should it
        not exit in time, its process group is killed.
        """
        if not self.alive:
            return
        assert self._exited is not None
        with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
            if self._pidfd is not None:
                signal.pidfd_send_signal(self._pidfd, signal.SIGTERM)
            elif not self._wait_exit(0):  # its pid is its own until it has exited
                os.kill(self.pid, signal.SIGTERM)
        if not self._wait_exit(_REAP_SECONDS):
            # Still running, so its pid (and process group, from its setsid) is still its own.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, signal.SIGKILL)
            self._wait_exit(_REAP_SECONDS)
        self._drain_output()
        self.alive = False
        for fd in (self._to_worker, self._from_worker, self._output, self._status, self._pidfd):
            if fd is not None:
                os.close(fd)
        self._exited = self._pidfd = None


def describe_exit(code: int) -> str:
    """Words for a worker's exit status; the launcher reports signal N as 128 + N."""
    signum = -code if code < 0 else None
    if code > EXIT_SIGNAL_BASE:
        signum = code - EXIT_SIGNAL_BASE
    if signum is None:
        return f"exited with status {code}"
    try:
        name = signal.Signals(signum).name
    except ValueError:
        name = f"signal {signum}"
    reasons: dict[int, str] = {
        signal.SIGSEGV: "crashed with a segmentation fault",
        signal.SIGBUS: "crashed with a bus error",
        signal.SIGABRT: "aborted, for example after running out of memory",
        signal.SIGKILL: "was killed, for example for using too much memory",
        signal.SIGXCPU: "used up its CPU time limit",
        signal.SIGXFSZ: "wrote a file over the size limit",
    }
    return f"{reasons.get(signum, 'was killed by a signal')} ({name})"


def _pipe() -> tuple[int, int]:
    """A pipe whose ends are not 0, 1 or 2 (which the child's stdio will take)."""
    ends = []
    for fd in os.pipe():
        if fd < 3:
            high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 3)
            os.close(fd)
            fd = high
        ends.append(fd)
    return ends[0], ends[1]


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not allowed")
