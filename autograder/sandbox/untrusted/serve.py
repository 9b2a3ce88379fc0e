"""The worker's request loop: the submission's namespace, served over two pipes.

Every request gets one reply (``protocol.Reply``); only plain data crosses, anything else
stays here behind a numbered handle. Everything in this process is the student's to
tamper with once their first cell has run, so the grading side trusts nothing it reads
from here.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import types
import warnings
from typing import Any, NoReturn

from autograder.sandbox.untrusted.cells import CellRunner, captured_output, install_otter_stand_in
from autograder.sandbox.untrusted.landlock import restrict_with_landlock
from autograder.sandbox.untrusted.protocol import (
    CALL,
    CELL_ERROR,
    CELL_OK,
    EXEC,
    LOOKUP,
    MAX_WARNINGS,
    CallRequest,
    CallResult,
    ExecRequest,
    ExecResult,
    LookupRequest,
    LookupResult,
    ReadyMessage,
    ReadyReport,
    Reply,
    Request,
    ServeConfig,
    WarningRecord,
    WorkerLimits,
)
from autograder.sandbox.untrusted.syscalls import PR_GET_NO_NEW_PRIVS, PR_SET_NO_NEW_PRIVS, prctl
from autograder.sandbox.untrusted.wire import Encoder, Handles, clip, decode, describe


class Channel:
    """The worker's ends of the request and result pipes: one JSON object per line."""

    def __init__(self, request_fd: int, response_fd: int) -> None:
        self.request_fd = request_fd
        self.response_fd = response_fd
        self._buffer = bytearray()
        # Read into memory taken now: a submission that used up its address space must
        # still be able to receive the next cell (which may free it).
        self._chunk = bytearray(1 << 16)

    def receive(self) -> Request | None:
        """The next request, or ``None`` when the grading side has gone."""
        end = self._buffer.find(b"\n")
        while end < 0:
            size = os.readv(self.request_fd, [self._chunk])
            if not size:
                return None
            start = len(self._buffer)
            self._buffer += memoryview(self._chunk)[:size]
            end = self._buffer.find(b"\n", start)
        line = bytes(self._buffer[:end])
        del self._buffer[: end + 1]
        request: Request = json.loads(line)
        return request

    def send(self, message: Reply | ReadyMessage) -> None:
        data = memoryview(
            (json.dumps(message, allow_nan=False, separators=(",", ":")) + "\n").encode()
        )
        while data:
            data = data[os.write(self.response_fd, data) :]


class Worker:
    """The submission's namespace and the requests the grading side can make of it."""

    def __init__(self, limits: WorkerLimits) -> None:
        self.output_bytes = limits["output_bytes"]
        self.budget = limits["message_bytes"] - (1 << 16)
        # As in a notebook kernel, the cells run in the __main__ module (pickle and
        # multiprocessing look classes up there), which is no longer this script.
        main = types.ModuleType("__main__")
        sys.modules["__main__"] = main
        self.namespace: dict[str, Any] = main.__dict__
        self.cells = CellRunner(main)
        # A kernel's cells see display (and get_ipython) through builtins: the student's
        # functions, called later from the hidden tests, must see them too.
        from IPython.display import display

        given = {"display": display, "get_ipython": self.cells.shell.get_ipython}
        self.namespace.update(given)
        self.cells.shell.user_ns_hidden.update(given)  # %who does not list them
        self.handles = Handles()

    def handle(self, request: Request) -> Reply:
        try:
            return {"id": request["id"], "result": self._perform(request)}
        except BaseException as error:
            return {"id": request.get("id"), "failure": describe(error)}

    def _perform(self, request: Request) -> ExecResult | LookupResult | CallResult:
        if request["op"] == EXEC:
            return self.execute(request)
        if request["op"] == LOOKUP:
            return self.lookup(request)
        if request["op"] == CALL:
            return self.call(request)
        raise KeyError(request["op"])

    def execute(self, request: ExecRequest) -> ExecResult:
        with captured_output(self.output_bytes) as output:
            message = self.cells.run(request["index"], request["source"])
        return {
            "status": CELL_ERROR if message else CELL_OK,
            "message": message,
            "output": output.getvalue(),
        }

    def lookup(self, request: LookupRequest) -> LookupResult:
        encoder = Encoder(self.handles, self.budget)
        found = [name for name in request["names"] if name in self.namespace]
        return {"values": {name: encoder.encode(self.namespace[name]) for name in found}}

    def call(self, request: CallRequest) -> CallResult:
        import numpy as np

        function = decode(request["function"], self.handles, self.namespace)
        args = decode(request["args"], self.handles, self.namespace)
        kwargs = {
            key: decode(value, self.handles, self.namespace)
            for key, value in request["kwargs"].items()
        }
        raised: BaseException | None = None
        with (
            captured_output(0),
            warnings.catch_warnings(record=True) as caught,
            np.errstate(all="warn", under="ignore"),
        ):
            warnings.simplefilter("always")
            try:
                value = function(*args, **kwargs)
            except BaseException as error:
                raised = error
        reply: CallResult = {"warnings": [_warning(item) for item in caught[:MAX_WARNINGS]]}
        if raised is not None:
            reply["raised"] = {"type": type(raised).__name__, "message": describe(raised)}
        else:
            reply["value"] = Encoder(self.handles, self.budget).encode(value)
        return reply


def _warning(record: warnings.WarningMessage) -> WarningRecord:
    builtin = next(
        (cls.__name__ for cls in record.category.__mro__ if cls.__module__ == "builtins"),
        "Warning",
    )
    try:
        message = str(record.message)
    except Exception:
        message = "<unprintable warning>"
    return {"category": builtin, "message": clip(message)}


def apply_limits(limits: WorkerLimits) -> dict[str, int]:
    """Set this process's resource limits (soft = hard, so they cannot be raised again)."""
    wanted = {
        "RLIMIT_CPU": limits["cpu_seconds"],
        "RLIMIT_AS": limits["memory_bytes"],
        "RLIMIT_NPROC": limits["max_processes"],
        "RLIMIT_FSIZE": limits["file_size_bytes"],
        "RLIMIT_NOFILE": limits["open_files"],
        "RLIMIT_CORE": 0,
    }
    for name, value in wanted.items():
        kind = getattr(resource, name)
        hard = resource.getrlimit(kind)[1]
        if hard != resource.RLIM_INFINITY:  # unprivileged: the hard limit cannot be raised
            value = min(value, hard)
        resource.setrlimit(kind, (value, value))
    return {name: resource.getrlimit(getattr(resource, name))[0] for name in wanted}


def serve(config: ServeConfig) -> NoReturn:
    """Apply the limits and Landlock's rules, report ready, then answer until end of input."""
    pid = os.getpid()
    limits = apply_limits(config["limits"])
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # over-long writes fail with OSError instead
    prctl(PR_SET_NO_NEW_PRIVS, 1)
    import faulthandler

    faulthandler.enable(file=2)
    import numpy  # noqa: F401  -- preloaded: most submissions import it first thing

    install_otter_stand_in()
    landlock = restrict_with_landlock(config["landlock"]) if "landlock" in config else None
    here = os.path.dirname(os.path.abspath(__file__))  # the grader's, not the submission's
    sys.path[:] = [os.getcwd(), *(entry for entry in sys.path if entry != here)]
    channel = Channel(config["request_fd"], config["response_fd"])
    worker = Worker(config["limits"])
    ready: ReadyReport = {
        "uid": os.getuid(),
        "limits": limits,
        "no_new_privs": prctl(PR_GET_NO_NEW_PRIVS) == 1,
        "jail": config.get("jail"),
        "landlock": landlock,
    }
    channel.send({"ready": ready})
    while True:
        request = channel.receive()
        if request is None:
            os._exit(0)
        reply = worker.handle(request)
        if os.getpid() != pid:  # a process the submission forked came back here: not ours
            os._exit(0)
        channel.send(reply)
