"""Work in a child process with a deadline: ask, wait until the deadline, end the child.

The pool's grading processes, the equivalence oracle and the symbolic checks
all run something that may not finish (a stuck sandbox, a looping mutant, a
sympy simplification of a hostile expression), so each runs it in a child it
can kill. ``Child`` is that child and its two pipes: requests in, replies out.
A reply, the child's end (a crash, a memory limit) and the deadline are told
apart by ``receive``.

There are two ways to start one, because the callers need different things:

* ``Child.fresh("package.module:function")`` starts a new Python
  (``python -c``) that imports the module and calls the function with the two
  pipes. For long-lived workers serving request after request (the pool, the
  equivalence oracle): they run code that changes process-wide state, and a
  fresh interpreter inherits nothing of ours (threads, locks, an open
  sandbox). Not multiprocessing's spawn or forkserver: they re-run the
  parent's ``__main__`` script in every child (a benchmark, pytest, the
  console script), and spawn pickles its target. A memory limit and a
  function to call first (to start slow imports early) are options.
* ``Child.forked(function)`` forks, for a one-off task that must start in
  milliseconds and needs this process's objects as they are (a closure over
  sympy expressions): a symbolic check, many per submission. Forking a
  process with threads (numpy's BLAS pools) is safe for a child that only
  computes and never takes a lock those threads may hold; a deadlock would
  still end at the deadline.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import resource
import signal
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

# multiprocessing.connection is imported where it is used: a fresh child calls its first
# function before anything it does not need is imported.
if TYPE_CHECKING:
    from collections.abc import Callable
    from multiprocessing.connection import Connection

    #: A child's main function: it reads requests from the first pipe and writes replies to
    #: the second; ``Child.stop`` sends it None when there is nothing more to do.
    Serve = Callable[[Connection, Connection], None]


@dataclass(frozen=True)
class Reply:
    """A message the child sent in time."""

    message: Any


@dataclass(frozen=True)
class Ended:
    """The child exited, or closed its pipe, without replying."""


@dataclass(frozen=True)
class TimedOut:
    """The deadline passed with the child still working."""


class Child:
    """A child process, the pipes to it and the deadline of what it is working on."""

    def __init__(
        self,
        process: subprocess.Popen[bytes] | Any,
        requests: Connection,
        replies: Connection,
    ) -> None:
        self._process = process  # a Popen (fresh) or a multiprocessing Process (forked)
        self._requests = requests
        self.replies = replies  # for multiprocessing.connection.wait over several children
        self.deadline = time.monotonic()

    @classmethod
    def fresh(
        cls, entry: str, *, first: str | None = None, memory_limit: int | None = None
    ) -> Child:
        """A new Python calling ``entry`` ("module:function", a ``Serve``).

        ``first`` ("module:function") is called before the entry's module is imported;
        ``memory_limit`` (bytes of address space) applies once it is imported.
        """
        from multiprocessing.connection import Connection

        requests_read, requests_write = os.pipe()
        replies_read, replies_write = os.pipe()
        argv = [str(requests_read), str(replies_write), entry, first or "", str(memory_limit or 0)]
        try:
            process = subprocess.Popen(
                [sys.executable, "-c", _BOOTSTRAP, *argv],
                pass_fds=(requests_read, replies_write),
                stdin=subprocess.DEVNULL,
            )
        finally:
            os.close(requests_read)
            os.close(replies_write)
        return cls(
            process,
            Connection(requests_write, readable=False),
            Connection(replies_read, writable=False),
        )

    @classmethod
    def forked(cls, serve: Serve, *, name: str) -> Child:
        """A fork of this process calling ``serve``."""
        import multiprocessing  # only forking needs it

        context = multiprocessing.get_context("fork")
        requests_read, requests_write = context.Pipe(duplex=False)
        replies_read, replies_write = context.Pipe(duplex=False)
        process = context.Process(target=serve, args=(requests_read, replies_write), name=name)
        with warnings.catch_warnings():
            # Python >= 3.12 warns about forking a process with threads: see the module's doc.
            warnings.simplefilter("ignore", DeprecationWarning)
            process.start()
        requests_read.close()
        replies_write.close()
        return cls(process, requests_write, replies_read)

    def send(self, message: object) -> None:
        with contextlib.suppress(OSError):  # a dead child shows at the next receive
            self._requests.send(message)

    def give(self, message: object, time_limit: float) -> None:
        """Send ``message`` and allow ``time_limit`` seconds from now for the reply."""
        self.allow(time_limit)
        self.send(message)

    def allow(self, time_limit: float) -> None:
        self.deadline = time.monotonic() + time_limit

    def receive(self, *, block: bool = True) -> Reply | Ended | TimedOut | None:
        """The child's next message; or its end; or, past the deadline, TimedOut.

        ``block``: wait for one of them. Otherwise None when the child is still working.
        """
        wait = max(0.0, self.deadline - time.monotonic()) if block else 0.0
        if self.replies.poll(wait):
            try:
                return Reply(self.replies.recv())
            except (EOFError, OSError):
                return Ended()
        if self.exit_code() is not None:
            return Ended()
        if time.monotonic() > self.deadline or block:
            return TimedOut()
        return None

    @property
    def alive(self) -> bool:
        return self.exit_code() is None

    def exit_code(self) -> int | None:
        """None while the child runs; then its status, or minus the signal that ended it."""
        if isinstance(self._process, subprocess.Popen):
            return self._process.poll()
        code: int | None = self._process.exitcode
        return code

    def wait(self, timeout: float | None) -> bool:
        """Wait up to ``timeout`` seconds (None: as long as it takes) for the child to exit."""
        if isinstance(self._process, subprocess.Popen):
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout)
        else:
            self._process.join(timeout)
        return not self.alive

    def terminate(self) -> None:
        """SIGTERM: the child may clean up on its way out."""
        if self.alive:
            self._process.terminate()

    def kill(self) -> None:
        """SIGKILL, wait for the end, close the pipes."""
        if self.alive:
            self._process.kill()
        self.wait(None)
        self._close()

    def stop(self, grace: float, *, busy: bool = False, terminate: bool = True) -> None:
        """End the child, politely first.

        It is sent None (its cue to return) and ``grace`` seconds to exit; then, if
        ``terminate``, SIGTERM and ``grace`` seconds more; then SIGKILL. A ``busy`` child
        will not read the None: it gets SIGTERM at once (and again after ``grace``).
        """
        self.send(None)
        self._requests.close()
        if busy and terminate:
            self.terminate()
        if not self.wait(grace) and terminate:
            self.terminate()
            self.wait(grace)
        self.kill()

    def _close(self) -> None:
        self._requests.close()
        self.replies.close()


def describe_exit(code: int | None) -> str:
    """Why a child stopped, from its exit code."""
    if code is None:
        return "it stopped answering"
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"it was killed by {signal.Signals(-code).name}"
    return f"it exited with status {code}"


def _function(name: str) -> Callable[..., Any]:
    module, _, function = name.partition(":")
    found: Callable[..., Any] = getattr(importlib.import_module(module), function)
    return found


def main(argv: list[str]) -> None:
    """A fresh child: ``python -c _BOOTSTRAP REQUESTS_FD REPLIES_FD ENTRY FIRST MEMORY_LIMIT``."""
    requests, replies, entry, first, memory_limit = argv
    if first:
        _function(first)()
    from multiprocessing.connection import Connection

    serve = _function(entry)
    if int(memory_limit):
        resource.setrlimit(resource.RLIMIT_AS, (int(memory_limit), int(memory_limit)))
    serve(Connection(int(requests), writable=False), Connection(int(replies), readable=False))


_BOOTSTRAP = "import sys; from autograder.child import main; main(sys.argv[1:])"
