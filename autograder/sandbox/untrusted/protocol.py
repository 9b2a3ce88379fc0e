"""What the grading side and the worker say to each other, and how they start it.

The grading process talks to the worker over two dedicated pipes, one JSON object per
line: a request (``ExecRequest``, ``LookupRequest``, ``CallRequest``) goes in, a ``Reply``
comes out. The first line the worker writes is its ``ReadyMessage``. Values inside
requests and replies are wire data (see ``wire``): a JSON object on the wire is always a
one-key tag below; lists are lists.

This module is shared by both sides: the standard library only, and no behaviour but the
path arithmetic that defines what the allow-list's ``readable`` and ``excluded`` mean.
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict

# -- wire tags --------------------------------------------------------------------------

TUPLE = "__tuple__"
DICT = "__dict__"
FLOAT = "__float__"  # "nan", "inf" or "-inf"; finite floats are JSON numbers
COMPLEX = "__complex__"  # [real, imag]
NDARRAY = "__ndarray__"  # ArrayPayload
SYMPY = "__sympy__"  # str(expression)
HANDLE = "__handle__"  # HandlePayload from the worker; the bare id back to it
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
"""Containers the worker sends as values nest at most this deep; deeper ones stay behind a
handle (at that depth)."""
MAX_DEPTH_READ = 100
"""The grading side rejects wire data from the worker nested deeper than this: room above
``MAX_DEPTH``, which an honest worker never exceeds, so only a tampered one meets it."""
MAX_TEXT = 2000  # exception messages, warnings, type names
MAX_WARNINGS = 50
MAX_INT_BITS = 8192


class ArrayPayload(TypedDict):
    dtype: str  # one of ARRAY_DTYPES
    shape: list[int]
    data: str  # base64 of the C-order bytes in native byte order


class HandlePayload(TypedDict):
    """An object that stayed in the worker: what it says the object is (not to be trusted)."""

    id: int
    type: str
    callable: bool
    name: str
    note: str  # why it was not sent as a value, when that is not simply its type


# -- requests and replies -----------------------------------------------------------------

EXEC: Literal["exec"] = "exec"
LOOKUP: Literal["lookup"] = "lookup"
CALL: Literal["call"] = "call"


class ExecRequest(TypedDict):
    """Run one cell."""

    id: str
    op: Literal["exec"]
    index: int
    source: str


class LookupRequest(TypedDict):
    """The values of these names in the submission's namespace (missing ones left out)."""

    id: str
    op: Literal["lookup"]
    names: list[str]


class CallRequest(TypedDict):
    """Call a function (wire data: a handle or a global) with wire-data arguments."""

    id: str
    op: Literal["call"]
    function: Any
    args: list[Any]
    kwargs: dict[str, Any]


Request = ExecRequest | LookupRequest | CallRequest

CELL_OK: Literal["ok"] = "ok"
CELL_ERROR: Literal["error"] = "error"


class ExecResult(TypedDict):
    status: Literal["ok", "error"]
    message: str  # the exception's description; empty when ok
    output: str  # what the cell printed, cut to the output limit


class LookupResult(TypedDict):
    values: dict[str, Any]  # name -> wire data


class WarningRecord(TypedDict):
    category: str  # the nearest builtin warning class's name
    message: str


class Raised(TypedDict):
    type: str
    message: str


class _CallResultBase(TypedDict):
    warnings: list[WarningRecord]


class CallResult(_CallResultBase, total=False):
    raised: Raised  # the call raised: no value
    value: Any  # wire data


class Success(TypedDict):
    id: str
    result: ExecResult | LookupResult | CallResult


class Failure(TypedDict):
    id: str | None
    failure: str  # the request itself failed (malformed, unknown handle...)


Reply = Success | Failure


# -- starting the worker ----------------------------------------------------------------

ZYGOTE = "zygote"  # fork server: forks one launcher per request
JAIL = "jail"  # launcher: isolate, then serve in the sandbox
SERVE = "serve"  # serve at once, without any isolation

EXIT_SIGNAL_BASE = 128
"""The launcher reports a worker killed by signal N as exit status 128 + N."""
EXIT_SETUP_FAILED = 70  # the sandbox's first process could not set up the view
EXIT_START_FAILED = 71  # the worker could not start as the submission's user
EXIT_LAUNCH_FAILED = 72  # a launcher forked by the zygote could not start


class WorkerLimits(TypedDict):
    cpu_seconds: int
    memory_bytes: int
    max_processes: int
    file_size_bytes: int
    open_files: int
    output_bytes: int
    message_bytes: int


class JailSettings(TypedDict):
    """What the grading side decided for the launcher; the launcher only reads it."""

    user: str | None  # who the worker runs as when the launcher is root
    uid: int | None
    gid: int | None
    python: str
    readable: list[str]  # the allow-list, read-only
    excluded: list[str]  # cut out of it (this package, hidden tests): inside ``readable``
    scratch_bytes: int


class LaunchConfig(TypedDict):
    """A launcher's configuration, without the descriptors the fork server adds."""

    limits: WorkerLimits
    env: dict[str, str]
    jail: JailSettings


class _LauncherConfigBase(LaunchConfig):
    request_fd: int
    response_fd: int


class LauncherConfig(_LauncherConfigBase, total=False):
    status_fd: int  # forked by the zygote: the grading side is not its parent


class SpawnRequest(TypedDict):
    """What the grading side sends the fork server for one launcher (with four fds)."""

    cwd: str
    config: LaunchConfig


class ZygoteConfig(TypedDict):
    preload: list[str]
    socket_fd: int


class LandlockRules(TypedDict):
    readable: list[str]
    excluded: list[str]
    writable: list[str]
    devices: list[str]  # read and written
    proc: bool  # /proc may be read (a private one: it shows nothing of others)


class LandlockReport(TypedDict, total=False):
    abi: int  # 0: no Landlock at all
    error: str  # the ruleset could not be created
    rules: int
    net: bool
    scoped: bool


class JailReport(TypedDict):
    """Which layers held around the worker, and why the others did not."""

    user: str | None
    uid: int | None
    namespaces: list[str]
    missing: dict[str, str]  # layer -> why it is missing
    view: Literal["fresh root", "launch directory"]
    scratch_bytes: int


class _ServeConfigBase(TypedDict):
    limits: WorkerLimits
    request_fd: int
    response_fd: int


class ServeConfig(_ServeConfigBase, total=False):
    jail: JailReport
    landlock: LandlockRules


class ReadyReport(TypedDict):
    uid: int
    limits: dict[str, int]  # RLIMIT_* -> the soft limit in force
    no_new_privs: bool
    jail: JailReport | None  # None: started without the launcher
    landlock: LandlockReport | None


class ReadyMessage(TypedDict):
    ready: ReadyReport


# -- the allow-list's paths -------------------------------------------------------------


def within(path: str, tree: str) -> bool:
    """``path`` is ``tree`` or lies inside it."""
    return path == tree or path.startswith(tree.rstrip("/") + "/")


def outermost(paths: list[str]) -> list[str]:
    """``paths`` without those inside another one of them."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not any(within(path, outer) for outer in kept):
            kept.append(path)
    return kept
