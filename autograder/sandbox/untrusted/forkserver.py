"""The zygote: a fork server for launchers, so that no worker pays Python's start.

It imports what submissions use once (numpy, sympy, IPython's shell), then forks one
launcher per request. No student code ever runs in this process: each launcher forked
from it isolates itself (``jail``) before its worker serves.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sys
from typing import NoReturn

from autograder.sandbox.untrusted.jail import jail
from autograder.sandbox.untrusted.protocol import (
    EXIT_LAUNCH_FAILED,
    LauncherConfig,
    SpawnRequest,
    ZygoteConfig,
)
from autograder.sandbox.untrusted.syscalls import PR_SET_PDEATHSIG, prctl


def zygote(config: ZygoteConfig) -> NoReturn:
    """Import the preloaded modules, then fork a launcher per request until the socket closes.

    Requests come on a Unix socket: a ``SpawnRequest`` with four descriptors (requests,
    results, output, exit status). The reply is the child's pid, with a pidfd for it
    where the kernel gives one.
    """
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # the grading process gone: so are we
    for name in config["preload"]:
        with contextlib.suppress(Exception):
            __import__(name)
    channel = socket.socket(fileno=config["socket_fd"])
    channel.sendall(b"ready\n")
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(channel, 1 << 20, 4)
        except OSError:
            os._exit(0)
        if not message:
            os._exit(0)
        child = os.fork()
        if child == 0:
            channel.close()
            _launch_forked(json.loads(message), fds)
        for fd in fds:
            os.close(fd)
        try:
            pidfds = [os.pidfd_open(child)]
        except (OSError, AttributeError):  # refused: the status pipe's end of file will do
            pidfds = []
        socket.send_fds(channel, [json.dumps({"pid": child}).encode()], pidfds)
        for pidfd in pidfds:
            os.close(pidfd)
        # Launchers that exited since the last request: their status went through their
        # status pipe. Until now they were zombies, so no pid the grading side holds was
        # reused while it might still signal it.
        with contextlib.suppress(ChildProcessError):
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass


def _launch_forked(spawn: SpawnRequest, fds: list[int]) -> NoReturn:
    """A launcher forked by the zygote: stdio, session, directory and environment, then jail."""
    try:
        request_fd, response_fd, output_fd, status_fd = fds
        os.setsid()  # its own process group, as a launcher started by the grading side
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(output_fd, 1)
        os.dup2(output_fd, 2)
        os.close(null)
        os.close(output_fd)
        os.chdir(spawn["cwd"])
        os.environ.clear()
        os.environ.update(spawn["config"]["env"])
        config: LauncherConfig = {
            **spawn["config"],
            "request_fd": request_fd,
            "response_fd": response_fd,
            "status_fd": status_fd,
        }
    except BaseException as error:
        print(f"sandbox launch failed: {error}", file=sys.stderr, flush=True)
        os._exit(EXIT_LAUNCH_FAILED)
    jail(config)
