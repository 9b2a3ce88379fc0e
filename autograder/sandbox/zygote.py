"""The warm pool: one fork server per grading process, from which every worker is forked.

Starting Python and importing numpy and sympy takes most of a worker's start (about
0.25 s here). The zygote (``untrusted/forkserver.py``) pays that once: it imports what
submissions commonly use, then forks a launcher per sandbox, which isolates itself
(uid, namespaces, Landlock: see ``untrusted/jail.py``) before any student code runs in it. No
student code ever runs in the zygote, and each submission gets a fresh fork, so
nothing passes from one submission to the next.
"""

from __future__ import annotations

import atexit
import json
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from autograder.sandbox.errors import SandboxError
from autograder.sandbox.untrusted.protocol import ZYGOTE, LaunchConfig, SpawnRequest, ZygoteConfig

PRELOAD = (
    "numpy",
    "sympy",
    # every worker runs its cells in IPython's shell: what making one imports
    "IPython.core.interactiveshell",
    "IPython.core.application",
    "IPython.core.completer",
    "IPython.core.magics",
    "IPython.display",
    "getpass",
)
"""Modules the zygote imports for every worker: nearly every submission imports numpy and
sympy."""
READY_SECONDS = 60.0
WORKER_MAIN = Path(__file__).with_name("untrusted") / "__main__.py"
"""Started as a path: ``-m`` would import ``autograder`` into the worker (see there)."""


@dataclass(frozen=True)
class Spawned:
    """A launcher forked by the zygote: its pid, and a pidfd for it where the kernel (or a
    container's seccomp profile) allows one."""

    pid: int
    pidfd: int | None


class Zygote:
    """A running fork server and the socket to it. Thread-safe."""

    def __init__(self, env: dict[str, str]) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        config: ZygoteConfig = {"preload": list(PRELOAD), "socket_fd": theirs.fileno()}
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-I", "-B", str(WORKER_MAIN), ZYGOTE, json.dumps(config)],
                env=env,
                stdin=subprocess.DEVNULL,
                pass_fds=(theirs.fileno(),),
                start_new_session=True,  # the submissions' signals to our group miss it
                cwd="/",
            )
        finally:
            theirs.close()
        self._socket = ours
        self._lock = threading.Lock()
        self._ready = False

    def spawn(self, config: LaunchConfig, cwd: str, fds: list[int]) -> Spawned:
        """Fork a launcher that will run ``jail(config)`` in ``cwd`` with these four
        descriptors (its environment is ``config["env"]``)."""
        request: SpawnRequest = {"config": config, "cwd": cwd}
        message = json.dumps(request).encode()
        with self._lock:
            try:
                self._await_ready()
                socket.send_fds(self._socket, [message], fds)
                reply, pidfds, _, _ = socket.recv_fds(self._socket, 4096, 1)
            except OSError as error:
                raise SandboxError(f"the worker pool's fork server failed: {error}") from None
        if not reply:
            raise SandboxError("the worker pool's fork server stopped")
        return Spawned(int(json.loads(reply)["pid"]), pidfds[0] if pidfds else None)

    def _await_ready(self) -> None:
        if self._ready:
            return
        self._socket.settimeout(READY_SECONDS)
        try:
            line = self._socket.recv(6)
        finally:
            self._socket.settimeout(None)
        if line != b"ready\n":
            raise OSError("it did not start (its output is above)")
        self._ready = True

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        """Stop the fork server; launchers it forked die with it (their parent-death signal)."""
        self._socket.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


_shared: Zygote | None = None
_shared_lock = threading.Lock()


def shared_zygote(env: dict[str, str]) -> Zygote:
    """This process's fork server, started on first use (and again if it died)."""
    global _shared
    with _shared_lock:
        if _shared is None or not _shared.alive:
            if _shared is not None:
                _shared.close()
            _shared = Zygote(env)
        return _shared


def warm_up() -> None:
    """Start this process's fork server now, so that its imports overlap with ours."""
    from autograder.sandbox.isolation import worker_environment

    shared_zygote(worker_environment(home="/", tmp="/tmp"))


def stop_shared_zygote() -> None:
    global _shared
    with _shared_lock:
        if _shared is not None:
            _shared.close()
            _shared = None


atexit.register(stop_shared_zygote)
