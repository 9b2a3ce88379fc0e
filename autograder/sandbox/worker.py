"""The untrusted side of grading: runs a submission's cells, then serves lookups and calls.

This file is a script, copied next to the submission and started as
``python -I worker.py serve CONFIG`` (unprivileged) or ``python -I worker.py
jail CONFIG`` (as root: isolate, drop privileges, then exec ``serve``). It must
stay self-contained -- stdlib and numpy, plus IPython when a cell uses magics --
because the autograder package is hidden from it.

The grading process talks to it over two dedicated pipes with one JSON object
per line. Only plain data crosses; anything else stays here behind a numbered
handle. Everything in this process is the student's to tamper with once their
first cell has run, so the grading side trusts nothing it reads from here.
"""

from __future__ import annotations

import base64
import builtins
import contextlib
import ctypes
import io
import json
import os
import resource
import shutil
import signal
import stat
import sys
import traceback
import types
import warnings
from collections.abc import Callable, Iterator
from typing import Any, NoReturn

# -- wire format, shared with autograder/sandbox/values.py ------------------------------
# A JSON object on the wire is always a one-key tag; lists are lists.
TUPLE = "__tuple__"
DICT = "__dict__"
FLOAT = "__float__"  # "nan", "inf" or "-inf"; finite floats are JSON numbers
COMPLEX = "__complex__"  # [real, imag]
NDARRAY = "__ndarray__"  # {"dtype": name, "shape": [...], "data": base64}
SYMPY = "__sympy__"  # str(expression)
HANDLE = "__handle__"  # {"id", "type", "callable", "name", "note"}
GLOBAL = "__global__"  # a name in the submission's namespace (grading side to worker only)
ELLIPSIS = "__ellipsis__"  # null: the `...` that unanswered skeleton cells hold
ARRAY_DTYPES = frozenset(
    {
        "bool",
        *(f"int{bits}" for bits in (8, 16, 32, 64)),
        *(f"uint{bits}" for bits in (8, 16, 32, 64)),
        "float16",
        "float32",
        "float64",
        "complex64",
        "complex128",
    }
)
MAX_DEPTH = 64
MAX_TEXT = 2000  # exception messages, warnings, type names
MAX_WARNINGS = 50
MAX_INT_BITS = 8192

_EXIT_SIGNAL_BASE = 128  # the launcher reports a worker killed by signal N as status 128 + N


# -- worker side of the wire format --------------------------------------------------


class _TooLarge(Exception):
    pass


class Handles:
    """Objects that stay in this process; the grading side refers to them by number."""

    def __init__(self) -> None:
        self._objects: dict[int, object] = {}
        self._ids: dict[int, int] = {}  # id(object) -> handle; objects are kept alive

    def add(self, value: object) -> int:
        handle = self._ids.get(id(value))
        if handle is None:
            handle = len(self._objects) + 1
            self._objects[handle] = value
            self._ids[id(value)] = handle
        return handle

    def get(self, handle: int) -> object:
        try:
            return self._objects[handle]
        except KeyError:
            raise LookupError(f"no object with handle {handle}") from None


class Encoder:
    """Turns one value into wire data, keeping what is not plain data behind handles."""

    def __init__(self, handles: Handles, budget: int) -> None:
        self.handles = handles
        self.budget = budget

    def encode(self, value: object) -> Any:
        """Wire data for ``value``; over the budget, the whole value stays behind a handle."""
        budget = self.budget
        try:
            return self._encode(value, 0)
        except _TooLarge:
            self.budget = budget  # what was spent on the abandoned attempt is not gone
            return self._handle(value, f"too large to send (over {budget} bytes)")

    def _encode(self, value: object, depth: int) -> Any:
        import numpy as np

        self._spend(16)
        if value is None or type(value) is bool:
            return value
        if value is Ellipsis:
            return {ELLIPSIS: None}
        if type(value) is int:
            return value if value.bit_length() <= MAX_INT_BITS else self._handle(value, "too large")
        if type(value) is float:
            return encode_float(value)
        if type(value) is str:
            self._spend(len(value))
            return value
        if type(value) is complex:
            return {COMPLEX: [encode_float(value.real), encode_float(value.imag)]}
        if type(value) in (list, tuple, dict) and depth >= MAX_DEPTH:
            return self._handle(value, "nested too deeply to send")
        if type(value) is list:
            return [self._encode(item, depth + 1) for item in value]
        if type(value) is tuple:
            return {TUPLE: [self._encode(item, depth + 1) for item in value]}
        if type(value) is dict:
            if not all(type(key) is str for key in value):
                return self._handle(value, "a dict with keys that are not all strings")
            return {DICT: {key: self._encode(item, depth + 1) for key, item in value.items()}}
        if type(value) is np.ndarray:
            return self._array(value)
        if isinstance(value, np.generic):
            return self._numpy_scalar(value)
        if _is_sympy(value):
            return self._sympy(value)
        return self._handle(value, "")

    def _spend(self, size: int) -> None:
        self.budget -= size
        if self.budget < 0:
            raise _TooLarge

    def _array(self, array: Any) -> Any:
        if array.dtype.name not in ARRAY_DTYPES:
            return self._handle(array, f"an array of dtype {array.dtype} cannot be sent")
        if array.nbytes * 4 // 3 + 64 > self.budget:
            return self._handle(array, f"an array of {array.nbytes} bytes is too large to send")
        self._spend(array.nbytes * 4 // 3 + 64)
        native = array.astype(array.dtype.newbyteorder("="), copy=False)
        data = base64.b64encode(native.tobytes(order="C")).decode("ascii")
        return {NDARRAY: {"dtype": array.dtype.name, "shape": list(array.shape), "data": data}}

    def _numpy_scalar(self, value: Any) -> Any:
        import numpy as np

        if isinstance(value, np.bool_):
            return bool(value)
        if isinstance(value, np.integer):
            return int(value)
        if isinstance(value, np.floating):
            return encode_float(float(value))
        if isinstance(value, np.complexfloating):
            number = complex(value)
            return {COMPLEX: [encode_float(number.real), encode_float(number.imag)]}
        if isinstance(value, np.str_):
            return self._encode(str(value), 0)
        return self._handle(value, "")

    def _sympy(self, value: object) -> Any:
        try:
            text = str(value)
        except Exception as error:
            return self._handle(value, f"str() of this sympy object failed: {describe(error)}")
        if type(text) is not str:
            return self._handle(value, "str() of this sympy object is not a string")
        self._spend(len(text))
        return {SYMPY: text}

    def _handle(self, value: object, note: str) -> Any:
        kind = type(value)
        try:
            if callable(value):
                name = getattr(value, "__qualname__", "")
            elif kind is types.ModuleType:  # a test may want the same module (``np``)
                name = value.__name__  # type: ignore[attr-defined]
            else:
                name = ""
        except Exception:  # a hostile __getattribute__ costs the object its name only
            name = ""
        return {
            HANDLE: {
                "id": self.handles.add(value),
                "type": _clip(f"{kind.__module__}.{kind.__qualname__}"),
                "callable": callable(value),
                "name": _clip(name) if type(name) is str else "",
                "note": note,
            }
        }


def encode_float(number: float) -> Any:
    if number != number:
        return {FLOAT: "nan"}
    if number in (float("inf"), float("-inf")):
        return {FLOAT: "inf" if number > 0 else "-inf"}
    return number


def _is_sympy(value: object) -> bool:
    sympy = sys.modules.get("sympy")
    basic = getattr(sympy, "Basic", None)
    return isinstance(basic, type) and isinstance(value, basic)


def decode(node: Any, handles: Handles, namespace: dict[str, Any]) -> Any:
    """Wire data from the grading side (trusted) back into objects."""
    if isinstance(node, list):
        return [decode(item, handles, namespace) for item in node]
    if not isinstance(node, dict):
        return node
    ((tag, payload),) = node.items()
    if tag == TUPLE:
        return tuple(decode(item, handles, namespace) for item in payload)
    if tag == DICT:
        return {key: decode(item, handles, namespace) for key, item in payload.items()}
    if tag == FLOAT:
        return float(payload)
    if tag == ELLIPSIS:
        return Ellipsis
    if tag == COMPLEX:
        return complex(
            decode(payload[0], handles, namespace), decode(payload[1], handles, namespace)
        )
    if tag == NDARRAY:
        import numpy as np

        raw = bytearray(base64.b64decode(payload["data"]))
        return np.frombuffer(raw, dtype=np.dtype(payload["dtype"])).reshape(payload["shape"])
    if tag == SYMPY:
        import sympy

        return sympy.sympify(payload)
    if tag == HANDLE:
        return handles.get(payload)
    if tag == GLOBAL:
        if payload not in namespace:
            raise NameError(f"name {payload!r} is no longer defined in the notebook")
        return namespace[payload]
    raise ValueError(f"unknown tag {tag!r}")


# -- running cells ------------------------------------------------------------------


class BoundedText(io.TextIOBase):
    """A text stream that keeps the first ``limit`` characters written to it."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.parts: list[str] = []
        self.kept = 0
        self.dropped = 0

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        room = max(self.limit - self.kept, 0)
        if room:
            self.parts.append(text[:room])
            self.kept += min(room, len(text))
        self.dropped += max(len(text) - room, 0)
        return len(text)

    def writable(self) -> bool:
        return True

    def getvalue(self) -> str:
        text = "".join(self.parts)
        if self.dropped:
            text += f"\n[... {self.dropped} more characters of output dropped]\n"
        return text


@contextlib.contextmanager
def captured_output(limit: int) -> Iterator[BoundedText]:
    buffer = BoundedText(limit)
    saved = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = buffer
    try:
        yield buffer
    finally:
        sys.stdout, sys.stderr = saved


def describe(error: BaseException) -> str:
    """``Type: message (line N)`` for an exception, without trusting its ``__str__``."""
    try:
        text = str(error)
    except Exception:
        text = "<the exception's message could not be printed>"
    name = type(error).__name__
    line = next(
        (
            frame.lineno
            for frame in reversed(traceback.extract_tb(error.__traceback__))
            if frame.filename.startswith("<cell ")
        ),
        None,
    )
    where = f" (line {line})" if line is not None else ""
    if isinstance(error, SyntaxError) and error.lineno is not None:
        where = f" (line {error.lineno})"
        text = error.msg
    return _clip(f"{name}: {text}{where}" if text else f"{name}{where}")


def _clip(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


class CellRunner:
    """Executes cells in one module as an IPython kernel without a front end does."""

    def __init__(self, module: types.ModuleType) -> None:
        from IPython.core.inputtransformer2 import leading_empty_lines

        self.shell = _kernel_like_shell(module)
        # Line numbers in messages count from the cell's first line, blank or not.
        self.shell.input_transformer_manager.cleanup_transforms.remove(leading_empty_lines)
        self._skip_blank_lines: Callable[[list[str]], list[str]] = leading_empty_lines

    def run(self, index: int, source: str) -> str:
        """Run one cell; return ``""`` or the description of the exception it raised."""
        if source.lstrip().startswith("%%"):  # a cell magic must come first
            source = "".join(self._skip_blank_lines(source.splitlines(keepends=True)))
        self.shell.compile.cell_index = index
        result = self.shell.run_cell(source, store_history=True)
        error = result.error_before_exec or result.error_in_exec
        return describe(error) if error is not None else ""


NO_INPUT = "raw_input was called, but this frontend does not support input requests."
NO_GETPASS = "getpass was called, but this frontend does not support input requests."


def _kernel_like_shell(module: types.ModuleType) -> Any:
    """IPython's own shell, changed only where a kernel differs from a terminal.

    No front end: plots go through matplotlib_inline, off-screen, and appear as their
    text (``<Figure size 640x480 with 1 Axes>``), whatever backend ``%matplotlib`` names;
    ``input()`` raises as ipykernel's does. No terminal: shell escapes (``!cmd``, ``%sx``,
    ``%pip``, aliases such as ``%ls``) run through pipes (IPython's own non-pty path)
    instead of pexpect, which needs a pty the sandbox does not have.
    """
    from traitlets.config import Config

    _refuse_input()
    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "nocolor"
    shell: Any = _kernel_shell_class().instance(config=config, user_module=module)
    # Only the text of rich output is shown: no PNG of every figure is drawn for nobody.
    shell.display_formatter.active_types = ["text/plain"]
    return shell


def _refuse_input() -> None:
    """``input()`` and ``getpass()`` raise as in a kernel whose front end cannot answer."""
    import getpass

    from IPython.core.error import StdinNotImplementedError

    def no_input(prompt: object = "") -> str:
        raise StdinNotImplementedError(NO_INPUT)

    def no_getpass(prompt: str = "Password: ", stream: object = None) -> str:
        raise StdinNotImplementedError(NO_GETPASS)

    builtins.input = no_input
    getpass.getpass = no_getpass


def _kernel_shell_class() -> Any:
    import subprocess

    from IPython.core.compilerop import CachingCompiler
    from IPython.core.displayhook import DisplayHook
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils._process_common import getoutput, process_handler
    from IPython.utils.text import LSString, SList

    class CellNames(CachingCompiler):
        """Names cells ``<cell N>``, as the rest of grading does (tracebacks, messages)."""

        cell_index = 0

        def get_code_name(self, raw_code: str, transformed_code: str, number: int) -> str:
            return f"<cell {self.cell_index}>"

    class NoPrompt(DisplayHook):
        """A cell's value is shown without ``Out[N]:``, as a kernel's execute_result."""

        def write_output_prompt(self) -> None:
            pass

    class KernelShell(InteractiveShell):
        compiler_class = CellNames
        displayhook_class = NoPrompt

        def enable_gui(self, gui: str | None = None) -> None:
            """No event loop to run: there is no screen."""

        def _showtraceback(self, etype: type, evalue: BaseException, stb: list[str]) -> None:
            """As a kernel's: the error is the cell's result (its message), not its output."""

        def enable_matplotlib(self, gui: str | None = None) -> Any:
            """Whatever backend is asked for, the inline one: figures stay off-screen."""
            return super().enable_matplotlib("inline")  # type: ignore[no-untyped-call]

        def system_piped(self, cmd: str) -> None:
            if cmd.rstrip().endswith("&"):
                raise OSError("Background processes not supported.")
            command = self.var_expand(cmd, depth=1)  # type: ignore[no-untyped-call]
            code = process_handler(command, _print_output, subprocess.STDOUT)
            self.user_ns["_exit_code"] = code
            if self.system_raise_on_error and code != 0:
                raise subprocess.CalledProcessError(code or 0, cmd)

        system = system_piped

        def getoutput(self, cmd: str, split: bool = True, depth: int = 0) -> Any:
            if cmd.rstrip().endswith("&"):
                raise OSError("Background processes not supported.")
            command = self.var_expand(cmd, depth=depth + 1)  # type: ignore[no-untyped-call]
            out = getoutput(command)
            return SList(out.splitlines()) if split else LSString(out)

    return KernelShell


def _print_output(process: Any) -> int:
    """A shell escape's output into the cell's, as it comes; its exit status."""
    import codecs

    process.stdin.close()  # a command reading its input gets end of file, not a hang
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    for chunk in iter(lambda: process.stdout.read1(1 << 16), b""):
        sys.stdout.write(decoder.decode(chunk))
    sys.stdout.write(decoder.decode(b"", final=True))
    code: int = process.wait()
    return code


def install_otter_stand_in() -> None:
    """A do-nothing ``otter`` module: the hidden tests run in the grading process, not here."""

    class Notebook:
        def __init__(self, *args: object, **kwargs: object) -> None:
            pass

        def __getattr__(self, name: str) -> Callable[..., None]:
            return _do_nothing

    module = types.ModuleType("otter", "Stand-in for otter-grader inside the grading sandbox.")
    setattr(module, "Notebook", Notebook)  # noqa: B010 -- a module built at run time
    setattr(module, "__getattr__", _stand_in_attribute)  # noqa: B010
    sys.modules["otter"] = module


def _stand_in_attribute(name: str) -> Callable[..., None]:
    """Any function name does nothing; a module attribute (``__file__``) is missing, as
    tools that walk ``sys.modules``, such as autoreload, expect of a module without it."""
    if name.startswith("__"):
        raise AttributeError(name)
    return _do_nothing


def _do_nothing(*args: object, **kwargs: object) -> None:
    return None


# -- serving --------------------------------------------------------------------------


class Channel:
    """The worker's ends of the request and result pipes: one JSON object per line."""

    def __init__(self, request_fd: int, response_fd: int) -> None:
        self.request_fd = request_fd
        self.response_fd = response_fd
        self._buffer = bytearray()
        # Read into memory taken now: a submission that used up its address space must
        # still be able to receive the next cell (which may free it).
        self._chunk = bytearray(1 << 16)

    def receive(self) -> Any:
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
        return json.loads(line)

    def send(self, message: Any) -> None:
        data = memoryview(
            (json.dumps(message, allow_nan=False, separators=(",", ":")) + "\n").encode()
        )
        while data:
            data = data[os.write(self.response_fd, data) :]


class Worker:
    """The submission's namespace and the requests the grading side can make of it."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.output_bytes: int = config["limits"]["output_bytes"]
        self.budget: int = config["limits"]["message_bytes"] - (1 << 16)
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

    def handle(self, request: Any) -> Any:
        operation = {"exec": self.execute, "lookup": self.lookup, "call": self.call}
        try:
            return {"id": request["id"], "result": operation[request["op"]](request)}
        except BaseException as error:
            return {"id": request.get("id"), "failure": describe(error)}

    def execute(self, request: Any) -> Any:
        with captured_output(self.output_bytes) as output:
            message = self.cells.run(request["index"], request["source"])
        return {
            "status": "error" if message else "ok",
            "message": message,
            "output": output.getvalue(),
        }

    def lookup(self, request: Any) -> Any:
        encoder = Encoder(self.handles, self.budget)
        found = [name for name in request["names"] if name in self.namespace]
        return {"values": {name: encoder.encode(self.namespace[name]) for name in found}}

    def call(self, request: Any) -> Any:
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
        reply: dict[str, Any] = {"warnings": [_warning(item) for item in caught[:MAX_WARNINGS]]}
        if raised is not None:
            reply["raised"] = {"type": type(raised).__name__, "message": describe(raised)}
        else:
            reply["value"] = Encoder(self.handles, self.budget).encode(value)
        return reply


def _warning(record: warnings.WarningMessage) -> dict[str, str]:
    builtin = next(
        (cls.__name__ for cls in record.category.__mro__ if cls.__module__ == "builtins"),
        "Warning",
    )
    try:
        message = str(record.message)
    except Exception:
        message = "<unprintable warning>"
    return {"category": builtin, "message": _clip(message)}


def apply_limits(limits: dict[str, int]) -> dict[str, int]:
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


def serve(config: dict[str, Any]) -> NoReturn:
    pid = os.getpid()
    limits = apply_limits(config["limits"])
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # over-long writes fail with OSError instead
    _prctl(PR_SET_NO_NEW_PRIVS, 1)
    import faulthandler

    faulthandler.enable(file=2)
    import numpy  # noqa: F401  -- preloaded: most submissions import it first thing

    install_otter_stand_in()
    landlock = restrict_with_landlock(config["landlock"]) if "landlock" in config else None
    here = os.path.dirname(os.path.abspath(__file__))  # the grader's, not the submission's
    sys.path[:] = [os.getcwd(), *(entry for entry in sys.path if entry != here)]
    channel = Channel(config["request_fd"], config["response_fd"])
    worker = Worker(config)
    ready = {
        "uid": os.getuid(),
        "limits": limits,
        "no_new_privs": _prctl(PR_GET_NO_NEW_PRIVS) == 1,
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


# -- isolation: launcher, first process, the student's process --------------------------
#
# The grading side starts ``worker.py jail CONFIG`` (the launcher) in its own session,
# whatever its privileges. Each layer is used where the machine allows it; the ready
# message says which held and which did not, and why:
#
# 1. Namespaces. As root with CAP_SYS_ADMIN, plain ones; without root, inside a new user
#    namespace (never as root: the submission would own root's files). Mount: a fresh
#    root file system holding only the allow-list (pivot_root). PID: every process dies
#    with the sandbox's init. Network and IPC: nothing shared.
# 2. Another uid (root only: the sandbox user), and no new privileges.
# 3. Landlock (any user, kernel >= 5.13): files limited to the allow-list, read-only but
#    for the scratch directories; no TCP (ABI >= 4); no signals to, and no abstract
#    sockets of, processes outside the sandbox (ABI >= 6). Ptrace of them is refused too.
# 4. The launcher is a child subreaper: every process of the submission stays below it;
#    on SIGTERM, or once the worker ends, it kills and reaps them all, then exits.

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

SANDBOX_ROOT = "/tmp/sandbox"  # the launch directory's copy inside a fresh root
# Who is who: the fresh root has its own, naming only root and the submission's user.
ACCOUNT_FILES = ("/etc/passwd", "/etc/group", "/etc/nsswitch.conf")
DEVICES = ("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom")
# Reported to the grading side: which layers held, and why the others did not.
_REPORTED = ("user", "uid", "namespaces", "missing", "view", "scratch_bytes")


def _libc() -> ctypes.CDLL:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mount.argtypes = [ctypes.c_char_p] * 3 + [ctypes.c_ulong, ctypes.c_char_p]
    libc.umount2.argtypes = [ctypes.c_char_p, ctypes.c_int]
    libc.unshare.argtypes = [ctypes.c_int]
    libc.prctl.argtypes = [ctypes.c_int] + [ctypes.c_ulong] * 4
    libc.syscall.restype = ctypes.c_long
    return libc


def _check(result: int, what: str) -> None:
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


def _prctl(option: int, value: int = 0) -> int:
    """prctl(2), or -1 where it is unavailable."""
    try:
        result: int = _libc().prctl(option, value, 0, 0, 0)
    except (OSError, AttributeError):
        return -1
    return result


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str = "") -> None:
    encoded = [None if text is None else text.encode() for text in (source, target, fstype)]
    result = _libc().mount(*encoded, flags, data.encode() or None)
    _check(result, f"mount {fstype or 'bind'} on {target}")


def _exit_code(status: int) -> int:
    code = os.waitstatus_to_exitcode(status)
    return _EXIT_SIGNAL_BASE - code if code < 0 else code


def jail(config: dict[str, Any]) -> NoReturn:
    """The launcher: namespaces, the sandbox's first process, and the reaping at the end."""
    settings = config["jail"]
    _prctl(PR_SET_CHILD_SUBREAPER, 1)
    settings["namespaces"], settings["missing"] = _unshare()
    # Blocked before the fork, so that neither signal can slip by before sigwait.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGCHLD})
    first = os.fork()
    if first == 0:
        signal.pthread_sigmask(signal.SIG_SETMASK, set())
        if "status_fd" in config:  # the submission must not be able to report for us
            os.close(config["status_fd"])
        _first_process(config)
    os.close(config["request_fd"])
    os.close(config["response_fd"])
    status = _supervise(first)
    kill_descendants()
    code = _EXIT_SIGNAL_BASE + signal.SIGTERM if status is None else _exit_code(status)
    if "status_fd" in config:  # a zygote's child: the grading side is not our parent
        with contextlib.suppress(OSError):
            os.write(config["status_fd"], f"{code}\n".encode())
    os._exit(code)


def _unshare() -> tuple[list[str], dict[str, str]]:
    """New PID, network and IPC namespaces (a user namespace first, without root).

    The mount namespace is the first process's own, so that the launcher keeps the
    machine's file system (and its /proc) to find and kill what the sandbox leaves.
    """
    wanted = ((CLONE_NEWPID, "pid"), (CLONE_NEWNET, "network"), (CLONE_NEWIPC, "ipc"))
    libc = _libc()
    if os.geteuid() == 0:
        done, missing = [], {}
        for flag, name in wanted:
            try:
                _check(libc.unshare(flag), f"unshare({name})")
                done.append(name)
            except OSError as error:
                missing[name] = f"unshare({name}) failed: {error.strerror} (no CAP_SYS_ADMIN?)"
        return done, missing
    uid, gid = os.getuid(), os.getgid()
    flags = CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC
    try:
        _check(libc.unshare(flags), "unshare(user)")
        for name, text in (("uid_map", f"{uid} {uid} 1"), ("setgroups", "deny")):
            with open(f"/proc/self/{name}", "w") as map_file:
                map_file.write(text)
        with open("/proc/self/gid_map", "w") as map_file:
            map_file.write(f"{gid} {gid} 1")
    except OSError as error:
        why = (
            f"no unprivileged user namespace ({error.strerror}): enable "
            "kernel.unprivileged_userns_clone, or grade as root"
        )
        return [], {name: why for _, name in (*wanted, (CLONE_NEWNS, "mount"))}
    return ["user", *(name for _, name in wanted)], {}


def _supervise(first: int) -> int | None:
    """Reap orphans until ``first`` exits (its wait status) or SIGTERM comes (None)."""
    while True:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return None
            if pid == 0:
                break
            if pid == first:
                return status
        if signal.sigwait({signal.SIGTERM, signal.SIGCHLD}) == signal.SIGTERM:
            return None


def kill_descendants() -> None:
    """SIGKILL every process below this one and reap them, until none is left.

    This process is a child subreaper, so what its children leave behind becomes its
    child in turn: once ``waitpid`` says there are no children, nothing is left.
    """
    me = os.getpid()
    while True:
        for pid in _descendants(me):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def _descendants(ancestor: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as stat_file:
                    fields = stat_file.read().rsplit(b")", 1)[1].split()
            except (OSError, IndexError):
                continue  # gone meanwhile
            parents[int(entry)] = int(fields[1])
    found, frontier = [], [ancestor]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        found += children
        frontier += children
    return found


def _first_process(config: dict[str, Any]) -> NoReturn:
    """The sandbox's first process (PID 1 in its namespace): the view, then the worker."""
    settings = config["jail"]
    try:
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        workdir = _enter_view(settings)
        if "pid" not in settings["namespaces"]:
            _become_student(config, workdir)
        worker = os.fork()
        if worker == 0:
            _become_student(config, workdir)
    except BaseException as error:
        print(f"sandbox setup failed: {error}", file=sys.stderr, flush=True)
        os._exit(70)
    os.close(config["request_fd"])
    os.close(config["response_fd"])
    while True:  # init: reap orphans until the worker ends, then the namespace goes with us
        try:
            pid, status = os.waitpid(-1, 0)
        except ChildProcessError:
            os._exit(0)
        if pid == worker:
            os._exit(_exit_code(status))


# -- the file system view ---------------------------------------------------------------


def _enter_view(settings: dict[str, Any]) -> str:
    """A fresh root holding only the allow-list, else the launch directory; the workdir.

    Records in ``settings`` what the view is and which directories the worker may write.
    Where mounts are refused after all (a user namespace under AppArmor's restriction),
    the launch directory it is: Landlock still holds the allow-list there.
    """
    launch_dir = os.getcwd()
    try:
        _check(_libc().unshare(CLONE_NEWNS), "unshare(mount)")
        _fresh_root(settings)
    except _Unrecoverable:
        raise
    except OSError as error:
        settings["missing"].setdefault("mount", f"no fresh root: {error}")
        settings["view"] = "launch directory"
        os.chdir(launch_dir)
        os.chmod(launch_dir, 0o755)
        settings["writable"] = [f"{launch_dir}/work", f"{launch_dir}/tmp"]
        settings["tmp"] = f"{launch_dir}/tmp"
        _hand_over(settings["writable"], settings)
        return f"{launch_dir}/work"
    settings["namespaces"].append("mount")
    settings["view"] = "fresh root"
    settings["writable"] = ["/tmp", "/dev/shm"]  # mode 1777: only the work tree is handed over
    settings["tmp"] = "/tmp"
    _hand_over([f"{SANDBOX_ROOT}/work"], settings)
    return f"{SANDBOX_ROOT}/work"


class _Unrecoverable(Exception):
    """The root was already switched when setting it up failed: no view to fall back to."""


def _fresh_root(settings: dict[str, Any]) -> None:
    """pivot_root into a tmpfs holding the allow-list (read-only), devices and scratch space."""
    launch_dir = os.getcwd()
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    root = os.path.join(launch_dir, "root")  # empty: a restart's mounts were in its namespace
    os.makedirs(root, exist_ok=True)
    _mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,mode=755")
    # Scratch first: readable trees under /tmp (a venv made there) are bound inside it.
    size = f"size={settings['scratch_bytes']},mode=1777"
    for scratch in ("/tmp", "/dev/shm"):
        os.makedirs(root + scratch, exist_ok=True)
        _mount("tmpfs", root + scratch, "tmpfs", MS_NOSUID | MS_NODEV, size)
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
    if "pid" in settings["namespaces"]:
        os.makedirs(root + "/proc", exist_ok=True)
        try:
            _mount("proc", root + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
        except OSError as error:
            settings["missing"]["proc"] = f"no private /proc ({error.strerror}): none at all"
    _write_accounts(root, settings)
    os.chdir(root)
    number = SYS_PIVOT_ROOT.get(os.uname().machine)
    if number is None:
        raise OSError(f"pivot_root: unknown system call number on {os.uname().machine}")
    _check(_libc().syscall(number, b".", b"."), "pivot_root")
    try:
        _check(_libc().umount2(b".", MNT_DETACH), "umount old root")
        os.chdir("/")
        _mount(None, "/", None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
    except OSError as error:
        raise _Unrecoverable(str(error)) from None


def outermost(paths: list[str]) -> list[str]:
    """``paths`` without those inside another one of them."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not any(path == outer or path.startswith(outer.rstrip("/") + "/") for outer in kept):
            kept.append(path)
    return kept


def _bind_into(root: str, path: str, read_only: bool = True) -> None:
    """Make ``path`` (no symbolic link) appear at the same place under ``root``."""
    if not os.path.exists(path) or os.path.lexists(root + path):
        return
    os.makedirs(root + os.path.dirname(path), exist_ok=True)
    if os.path.isdir(path):
        os.mkdir(root + path)
    else:
        os.close(os.open(root + path, os.O_CREAT | os.O_WRONLY, 0o644))
    _mount(path, root + path, None, MS_BIND | MS_REC)
    if read_only:
        _mount(None, root + path, None, MS_REMOUNT | MS_BIND | MS_RDONLY | _locked_flags(path))


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
        _mount("tmpfs", path, "tmpfs", flags, "size=4k,mode=555")
    else:
        _mount("/dev/null", path, None, MS_BIND)


def _write_accounts(root: str, settings: dict[str, Any]) -> None:
    """/etc/passwd and /etc/group naming only root and the submission's user."""
    os.makedirs(root + "/etc", exist_ok=True)
    uid, gid = os.getuid(), os.getgid()
    if _drops_privileges(settings):
        uid, gid = settings["uid"], settings["gid"]
    name = settings.get("user") or "student"
    home = f"{SANDBOX_ROOT}/work"
    with open(root + "/etc/passwd", "w") as passwd:
        passwd.write(
            f"root:x:0:0:root:/:/usr/sbin/nologin\n{name}:x:{uid}:{gid}::{home}:/bin/false\n"
        )
    with open(root + "/etc/group", "w") as group:
        group.write(f"root:x:0:\n{name}:x:{gid}:\n")


def _drops_privileges(settings: dict[str, Any]) -> bool:
    """As root (not in a user namespace of its own), the worker runs as the sandbox user."""
    return os.geteuid() == 0 and "user" not in settings["namespaces"]


def _hand_over(paths: list[str], settings: dict[str, Any]) -> None:
    """Give the scratch trees to the sandbox user (as root; otherwise they are ours already)."""
    if not _drops_privileges(settings):
        return
    for top in paths:
        for where, dirs, files in os.walk(top):
            for name in [where, *(os.path.join(where, entry) for entry in dirs + files)]:
                os.lchown(name, settings["uid"], settings["gid"])


def _become_student(config: dict[str, Any], workdir: str) -> NoReturn:
    """Drop privileges, then serve in this very process (no second interpreter start)."""
    settings = config["jail"]
    try:
        if _drops_privileges(settings):
            os.setgroups([])
            os.setgid(settings["gid"])
            os.setuid(settings["uid"])
            if 0 in (os.getuid(), os.geteuid(), os.getgid()):
                raise OSError("still root after setuid")
        _prctl(PR_SET_NO_NEW_PRIVS, 1)
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        os.chdir(workdir)
        unreadable = [path for path in settings["readable"] if not os.access(path, os.R_OK)]
        if not os.access(settings["python"], os.X_OK) or unreadable:
            raise PermissionError(f"cannot read {(unreadable or [settings['python']])[0]}")
        places = {
            "HOME": workdir,
            "IPYTHONDIR": f"{workdir}/.ipython",
            "TMPDIR": settings["tmp"],
            "MPLCONFIGDIR": f"{settings['tmp']}/matplotlib",  # else it warns: HOME may be read-only
        }
        os.environ.clear()
        os.environ.update(config["env"] | places)
    except BaseException as error:
        closed = [found for found in map(_closed_ancestor, settings["readable"]) if found]
        hint = (
            f" ({closed[0]} is closed to other users and there was no mount namespace to open "
            "a way: make the Python installation readable by others)"
            if closed
            else ""
        )
        message = f"cannot start the worker as uid {os.getuid()}: {error}{hint}"
        print(f"sandbox setup failed: {message}", file=sys.stderr, flush=True)
        os._exit(71)
    serve(
        {
            **config,
            "jail": {key: settings[key] for key in _REPORTED if key in settings},
            "landlock": {
                "readable": [*settings["readable"], *ACCOUNT_FILES],
                "excluded": settings["excluded"],
                "writable": settings["writable"],
                "devices": [device for device in DEVICES if os.path.exists(device)],
                # Only a private /proc (fresh root in a PID namespace) shows nothing of others.
                "proc": settings["view"] == "fresh root"
                and "pid" in settings["namespaces"]
                and "proc" not in settings["missing"],
            },
        }
    )


def _closed_ancestor(path: str) -> str | None:
    """The first directory above ``path`` that other users may not enter."""
    parts = path.strip("/").split("/")
    for depth in range(len(parts)):
        directory = "/" + "/".join(parts[:depth])
        with contextlib.suppress(OSError):
            if not os.stat(directory).st_mode & stat.S_IXOTH:
                return directory
    return None


# -- Landlock ---------------------------------------------------------------------------

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
        version = _libc().syscall(LANDLOCK_CREATE_RULESET, None, 0, LANDLOCK_CREATE_RULESET_VERSION)
    except (OSError, AttributeError):
        return 0
    return max(int(version), 0)


def restrict_with_landlock(rules: dict[str, Any]) -> dict[str, Any]:
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
    libc = _libc()
    ruleset = int(libc.syscall(LANDLOCK_CREATE_RULESET, ctypes.byref(attr), size, 0))
    if ruleset < 0:
        return {"abi": abi, "error": os.strerror(ctypes.get_errno())}
    try:
        reading = FS_EXECUTE | FS_READ_FILE | FS_READ_DIR
        readable = allowed_paths(rules["readable"], rules["excluded"])
        for path in readable:
            _landlock_allow(libc, ruleset, path, reading & fs_rights)
        for path in _holding_excluded(rules["readable"], rules["excluded"]):
            _landlock_allow(libc, ruleset, path, FS_READ_DIR)  # imports list site-packages
        for path in rules["writable"]:
            _landlock_allow(libc, ruleset, path, fs_rights)
        for path in rules["devices"]:
            _landlock_allow(libc, ruleset, path, (FS_READ_FILE | FS_WRITE_FILE | FS_TRUNCATE))
        if rules.get("proc"):
            _landlock_allow(libc, ruleset, "/proc", FS_READ_FILE | FS_READ_DIR)
        _prctl(PR_SET_NO_NEW_PRIVS, 1)
        _check(int(libc.syscall(LANDLOCK_RESTRICT_SELF, ruleset, 0)), "landlock_restrict_self")
    finally:
        os.close(ruleset)
    return {"abi": abi, "rules": len(readable), "net": abi >= 4, "scoped": abi >= 6}


def _landlock_allow(libc: ctypes.CDLL, ruleset: int, path: str, rights: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return  # not there (or not reachable): nothing to allow
    try:
        if not stat.S_ISDIR(os.fstat(fd).st_mode):
            rights &= FILE_RIGHTS
        rule = _PathBeneathAttr(rights, fd)
        result = libc.syscall(
            LANDLOCK_ADD_RULE, ruleset, LANDLOCK_RULE_PATH_BENEATH, ctypes.byref(rule), 0
        )
        _check(int(result), f"landlock_add_rule({path})")
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


def within(path: str, tree: str) -> bool:
    """``path`` is ``tree`` or lies inside it."""
    return path == tree or path.startswith(tree.rstrip("/") + "/")


# -- the zygote: a fork server for launchers ----------------------------------------------


def zygote(config: dict[str, Any]) -> NoReturn:
    """Import what submissions use once, then fork one launcher per request.

    Requests come on a Unix socket: a JSON object (``cwd``, ``config``) with four
    descriptors (requests, results, output, exit status). The reply is the child's pid,
    with a pidfd for it where the kernel gives one. No student code ever runs in this
    process: each launcher forked from it isolates itself (``jail``) before its worker
    serves.
    """
    import socket

    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # the grading process gone: so are we
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


def _launch_forked(spawn: dict[str, Any], fds: list[int]) -> NoReturn:
    """A launcher forked by the zygote: stdio, session, directory and environment, then jail."""
    try:
        request_fd, response_fd, output_fd, status_fd = fds
        os.setsid()  # its own process group, as a launcher started by the grading side
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(output_fd, 1)
        os.dup2(output_fd, 2)
        os.close(null)
        os.close(output_fd)
        os.chdir(spawn["cwd"])
        os.environ.clear()
        os.environ.update(spawn["config"]["env"])
        config = {
            **spawn["config"],
            "request_fd": request_fd,
            "response_fd": response_fd,
            "status_fd": status_fd,
        }
    except BaseException as error:
        print(f"sandbox launch failed: {error}", file=sys.stderr, flush=True)
        os._exit(72)
    jail(config)


def main(argv: list[str]) -> NoReturn:
    mode, config = argv[1], json.loads(argv[2])
    if mode == "zygote":
        zygote(config)
    if mode == "jail":
        jail(config)
    serve(config)


if __name__ == "__main__":
    main(sys.argv)
