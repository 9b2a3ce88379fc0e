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

_EXIT_SIGNAL_BASE = 128  # a jailed worker killed by signal N is reported as exit status 128 + N


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
            name = getattr(value, "__qualname__", "") if callable(value) else ""
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
    """Executes cells in one module: plain ``exec``, or IPython for cells that need it."""

    def __init__(self, module: types.ModuleType) -> None:
        self.module = module
        self.namespace = module.__dict__
        self._shell: Any = None

    def run(self, index: int, source: str) -> str:
        """Run one cell; return ``""`` or the description of the exception it raised.

        Plain Python runs with ``exec``; only what is not Python (``%magic``, ``!cmd``,
        ``x?``, top-level ``await``) goes to IPython, which is slow to start.
        """
        try:
            code = compile(source, f"<cell {index}>", "exec")
        except SyntaxError as error:
            if not _ipython_available():
                return describe(error)
            return self._run_with_ipython(source)
        try:
            exec(code, self.namespace)
        except BaseException as error:
            return describe(error)
        return ""

    def _run_with_ipython(self, source: str) -> str:
        if self._shell is None:
            self._shell = _start_ipython(self.module)
        result = self._shell.run_cell(source, store_history=False)
        error = result.error_before_exec or result.error_in_exec
        return describe(error) if error is not None else ""


def _ipython_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("IPython") is not None


def _start_ipython(module: types.ModuleType) -> Any:
    import importlib

    config = importlib.import_module("traitlets.config").Config()
    config.HistoryManager.enabled = False
    shell_class = importlib.import_module("IPython.core.interactiveshell").InteractiveShell
    return shell_class.instance(config=config, user_module=module)


def install_otter_stand_in() -> None:
    """A do-nothing ``otter`` module: the hidden tests run in the grading process, not here."""

    def nothing(*args: object, **kwargs: object) -> None:
        return None

    class Notebook:
        def __init__(self, *args: object, **kwargs: object) -> None:
            pass

        def __getattr__(self, name: str) -> Callable[..., None]:
            return nothing

    module = types.ModuleType("otter", "Stand-in for otter-grader inside the grading sandbox.")
    setattr(module, "Notebook", Notebook)  # noqa: B010 -- a module built at run time
    setattr(module, "__getattr__", lambda name: nothing)  # noqa: B010
    sys.modules["otter"] = module


def _display(*objects: object, **options: object) -> None:
    for item in objects:
        print(repr(item))


# -- serving --------------------------------------------------------------------------


class Channel:
    """The worker's ends of the request and result pipes: one JSON object per line."""

    def __init__(self, request_fd: int, response_fd: int) -> None:
        self.request_fd = request_fd
        self.response_fd = response_fd
        self._buffer = bytearray()

    def receive(self) -> Any:
        """The next request, or ``None`` when the grading side has gone."""
        end = self._buffer.find(b"\n")
        while end < 0:
            chunk = os.read(self.request_fd, 1 << 20)
            if not chunk:
                return None
            self._buffer += chunk
            if b"\n" in chunk:
                end = self._buffer.find(b"\n")
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
        self.namespace.update(__builtins__=builtins, display=_display)
        self.cells = CellRunner(main)
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
    sys.path.insert(0, os.getcwd())  # as in a notebook kernel: modules next to the notebook
    channel = Channel(config["request_fd"], config["response_fd"])
    worker = Worker(config)
    ready = {
        "uid": os.getuid(),
        "limits": limits,
        "no_new_privs": _prctl(PR_GET_NO_NEW_PRIVS) == 1,
        "jail": config.get("jail"),
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


# -- isolation (root only): namespaces, mounts, privilege drop -------------------------

CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_RDONLY = 0x1
MS_NOSUID = 0x2
MS_NODEV = 0x4
MS_NOEXEC = 0x8
MS_REMOUNT = 0x20
MS_BIND = 0x1000
MS_REC = 0x4000
MS_PRIVATE = 0x40000
PR_SET_PDEATHSIG = 1
PR_SET_NO_NEW_PRIVS = 38
PR_GET_NO_NEW_PRIVS = 39

SANDBOX_ROOT = "/tmp/sandbox"  # the jail's copy of the launch directory, on a private tmpfs
SCRATCH_DIRS = ("/tmp", "/var/tmp", "/dev/shm", "/run/lock")  # world-writable: shared otherwise


def _libc() -> ctypes.CDLL:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mount.argtypes = [ctypes.c_char_p] * 3 + [ctypes.c_ulong, ctypes.c_char_p]
    libc.unshare.argtypes = [ctypes.c_int]
    libc.prctl.argtypes = [ctypes.c_int] + [ctypes.c_ulong] * 4
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


def _cover(directory: str, keep: set[str], flags: int, options: str) -> None:
    """Mount a tmpfs over ``directory``, with only its entries ``keep`` bound back in."""
    kept = {name: os.open(os.path.join(directory, name), os.O_PATH) for name in sorted(keep)}
    _mount("tmpfs", directory, "tmpfs", flags, options)
    for name, fd in kept.items():
        target = os.path.join(directory, name)
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            os.mkdir(target)
        else:
            os.close(os.open(target, os.O_CREAT | os.O_WRONLY, 0o644))
        _mount(f"/proc/self/fd/{fd}", target, None, MS_BIND | MS_REC)
        os.close(fd)


def _hide(path: str) -> None:
    """Cover ``path`` with something empty and read-only."""
    if os.path.isdir(path):
        flags = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC
        _mount("tmpfs", path, "tmpfs", flags, "size=4k,mode=555")
    else:
        _mount("/dev/null", path, None, MS_BIND)
        _mount(None, path, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NODEV | MS_NOSUID)


def _closed_ancestor(path: str) -> tuple[str, str] | None:
    """The first directory above ``path`` that others may not enter, and the entry under it."""
    parts = path.strip("/").split("/")
    for depth in range(len(parts) - 1):
        directory = "/" + "/".join(parts[:depth])
        if not os.stat(directory).st_mode & stat.S_IXOTH:
            return directory, parts[depth]
    return None


def _make_reachable(paths: list[str]) -> None:
    """Let an unprivileged user reach ``paths`` (the Python install) through closed parents.

    A closed parent such as ``/root`` (mode 700) is covered by a read-only tmpfs holding only
    the entries that lead to ``paths``: the rest of it disappears from the jail.
    """
    for _ in range(16):
        closed: dict[str, set[str]] = {}
        for path in paths:
            found = _closed_ancestor(path)
            if found:
                closed.setdefault(found[0], set()).add(found[1])
        if not closed:
            return
        for directory, keep in sorted(closed.items()):
            _cover(directory, keep, MS_NOSUID | MS_NODEV, "size=64k,mode=755")
            _mount(None, directory, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
    raise OSError(f"could not make {paths} reachable")


def _entries_towards(directory: str, paths: list[str]) -> set[str]:
    """The entries of ``directory`` that lie on the way to any of ``paths``."""
    prefix = directory.rstrip("/") + "/"
    return {path[len(prefix) :].split("/")[0] for path in paths if path.startswith(prefix)}


def _hide_all_but(path: str, needed: list[str]) -> None:
    """Hide ``path``, except what the worker's Python needs inside it (a venv in a repo)."""
    keep = _entries_towards(path, needed)
    if not keep:
        _hide(path)
        return
    _cover(path, keep, MS_NOSUID | MS_NODEV, "size=64k,mode=755")
    _mount(None, path, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)


def _private_scratch(needed: list[str], size: int) -> list[str]:
    """Fresh size-limited tmpfs on the world-writable directories (kept entries bound back)."""
    covered = []
    for directory in SCRATCH_DIRS:
        if os.path.isdir(directory) and not os.path.islink(directory):
            keep = _entries_towards(directory, needed)
            _cover(directory, keep, MS_NOSUID | MS_NODEV, f"size={size},mode=1777")
            covered.append(directory)
    return covered


def _exit_code(status: int) -> int:
    code = os.waitstatus_to_exitcode(status)
    return _EXIT_SIGNAL_BASE - code if code < 0 else code


def jail(config: dict[str, Any]) -> NoReturn:
    """As root: new namespaces, then an init process that mounts, then the unprivileged worker.

    Each step that fails is reported in the worker's ready message, except the privilege
    drop: without it nothing runs.
    """
    settings = config["jail"]
    done: list[str] = []
    missing: dict[str, str] = {}
    for flag, name in (
        (CLONE_NEWNS, "mount"),
        (CLONE_NEWPID, "pid"),
        (CLONE_NEWNET, "network"),
        (CLONE_NEWIPC, "ipc"),
    ):
        try:
            _check(_libc().unshare(flag), f"unshare({name})")
            done.append(name)
        except OSError as error:
            missing[name] = f"unshare({name}): {error.strerror}"
    settings["namespaces"] = done
    settings["missing"] = missing
    init = os.fork()
    if init == 0:
        _init(config)
    os.close(config["request_fd"])
    os.close(config["response_fd"])
    _, status = os.waitpid(init, 0)
    os._exit(_exit_code(status))


def _init(config: dict[str, Any]) -> NoReturn:
    """Process 1 of the jail: prepare the mounts, start the worker, reap orphans until it ends."""
    try:
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        workdir = _prepare_mounts(config["jail"])
        worker = os.fork()
        if worker == 0:
            _become_student(config, workdir)
    except BaseException as error:
        print(f"sandbox setup failed: {error}", file=sys.stderr, flush=True)
        os._exit(70)
    os.close(config["request_fd"])
    os.close(config["response_fd"])
    while True:
        try:
            pid, status = os.waitpid(-1, 0)
        except ChildProcessError:
            os._exit(0)
        if pid == worker:
            os._exit(_exit_code(status))


def _prepare_mounts(settings: dict[str, Any]) -> str:
    """Hide, expose and scratch mounts; returns the worker's working directory."""
    if "mount" not in settings["namespaces"]:  # no private tmpfs: work in the launch directory
        os.chmod(".", 0o755)
        return _hand_over(os.path.join(os.getcwd(), "work"), settings)
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    if "pid" in settings["namespaces"]:
        _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    hidden = []
    for path in settings["hide"]:
        if os.path.lexists(path):
            _hide_all_but(path, settings["reachable"])
            hidden.append(path)
    settings["hidden"] = hidden
    _make_reachable(settings["reachable"])
    launch_dir = os.getcwd()  # still usable through the cwd once /tmp is covered
    settings["scratch"] = _private_scratch(settings["reachable"], settings["scratch_bytes"])
    shutil.copytree(".", SANDBOX_ROOT, dirs_exist_ok=True)
    os.chmod(SANDBOX_ROOT, 0o755)
    os.chdir("/")
    settings["launch_dir"] = launch_dir
    return _hand_over(os.path.join(SANDBOX_ROOT, "work"), settings)


def _hand_over(work: str, settings: dict[str, Any]) -> str:
    """Give the working directory tree to the sandbox user."""
    for root, dirs, files in os.walk(work):
        for name in [root, *(os.path.join(root, entry) for entry in dirs + files)]:
            os.lchown(name, settings["uid"], settings["gid"])
    return work


# What the worker passes on to the grading side about its jail.
_REPORTED = ("user", "uid", "namespaces", "missing", "hidden", "scratch", "scratch_bytes")


def _become_student(config: dict[str, Any], workdir: str) -> NoReturn:
    settings = config["jail"]
    try:
        os.setgroups([])
        os.setgid(settings["gid"])
        os.setuid(settings["uid"])
        if os.getuid() == 0 or os.geteuid() == 0 or os.getgid() == 0:
            raise OSError("still root after setuid")
        _prctl(PR_SET_NO_NEW_PRIVS, 1)
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        os.chdir(workdir)
        script = os.path.join(os.path.dirname(workdir), "worker.py")
        served = {**config, "jail": {key: settings[key] for key in _REPORTED if key in settings}}
        argv = [settings["python"], "-I", "-B", script, "serve", json.dumps(served)]
        os.execve(settings["python"], argv, config["env"] | {"HOME": workdir})
    except BaseException as error:
        closed = [found[0] for found in map(_closed_ancestor, settings["reachable"]) if found]
        hint = (
            f" ({closed[0]} is closed to other users and there was no mount namespace to open "
            "a way: make the Python installation readable by others)"
            if closed
            else ""
        )
        message = f"cannot start the worker as uid {settings['uid']}: {error}{hint}"
        print(f"sandbox setup failed: {message}", file=sys.stderr, flush=True)
        os._exit(71)


def main(argv: list[str]) -> NoReturn:
    mode, config = argv[1], json.loads(argv[2])
    if mode == "jail":
        jail(config)
    serve(config)


if __name__ == "__main__":
    main(sys.argv)
