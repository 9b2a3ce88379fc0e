"""The grading side of the wire format: what is sent to the worker, what comes back.

Only plain data crosses: None, ``...``, bool, int, float, complex, str, list, tuple,
dicts with str keys, numpy arrays of bool/int/uint/float/complex dtype, and
sympy expressions as text. Decoding builds nothing but those from validated
JSON and never evaluates what it reads; every other object stays in the
worker, and the grading side holds a ``StudentObject`` that refers to it.
"""

from __future__ import annotations

import base64
import binascii
import math
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from autograder.sandbox.errors import StudentError
from autograder.sandbox.untrusted.protocol import (
    ARRAY_DTYPES,
    COMPLEX,
    DICT,
    ELLIPSIS,
    FLOAT,
    GLOBAL,
    HANDLE,
    MAX_DEPTH_READ,
    NDARRAY,
    SYMPY,
    TUPLE,
)
from autograder.sandbox.untrusted.wire import encode_array, encode_complex, encode_float, is_sympy

MAX_NODES = 1_000_000
MAX_NDIM = 32
MAX_NAME = 300


class _Caller(Protocol):
    def call(self, function: StudentObject, /, *args: object, **kwargs: object) -> object: ...


class StudentObject:
    """An object that stayed in the worker: here only a reference to pass back to it.

    ``type_name`` and ``name`` are what the worker says the object is (text from the
    submission, not to be trusted); ``note`` says why it was not sent as a value when
    that is not simply its type (too large, nested too deeply...).
    """

    __slots__ = ("_generation", "_handle", "_origin", "_owner", "name", "note", "type_name")

    def __init__(
        self,
        owner: _Caller,
        generation: int,
        handle: int,
        *,
        type_name: str,
        name: str = "",
        note: str = "",
        origin: str | None = None,
    ) -> None:
        self._owner = owner
        self._generation = generation
        self._handle = handle
        self._origin = origin  # the notebook name it was looked up by: survives a restart
        self.type_name = type_name
        self.name = name
        self.note = note

    def __repr__(self) -> str:
        note = f" ({self.note})" if self.note else ""
        return f"<student object of type {self.type_name}{note}>"

    @property
    def label(self) -> str:
        """How to name this object to a student: its notebook name when known."""
        return self._origin or self.name or f"the {self.type_name} object"


class StudentFunction(StudentObject):
    """A callable that stayed in the worker; calling it runs it there.

    Arguments go as plain data (or StudentObjects); the result comes back the same way.
    An exception in the submission's code raises ``StudentError``; a timeout or a dead
    worker raises ``StudentTimeout`` or ``StudentCrash``; warnings the call raised are
    re-emitted here.
    """

    __slots__ = ()

    def __call__(self, *args: object, **kwargs: object) -> object:
        return self._owner.call(self, *args, **kwargs)

    def __repr__(self) -> str:
        return f"<student function {self.label}>"


@dataclass(frozen=True)
class UnreadableExpression:
    """A sympy expression the worker sent as text that the expression parser rejected."""

    text: str
    reason: str


# -- grading side -> worker ------------------------------------------------------------


def encode_argument(value: object, owner: object, generation: int) -> Any:
    """Wire data for an argument of a call (raises TypeError for what cannot be sent)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if value is Ellipsis:
        return {ELLIPSIS: None}
    if isinstance(value, StudentObject):
        return _reference(value, owner, generation)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return encode_float(float(value))
    if isinstance(value, (complex, np.complexfloating)):
        return encode_complex(complex(value))
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (list, tuple)):
        items = [encode_argument(item, owner, generation) for item in value]
        return items if isinstance(value, list) else {TUPLE: items}
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise TypeError("only dicts with str keys can be sent to the sandbox")
        return {
            DICT: {key: encode_argument(item, owner, generation) for key, item in value.items()}
        }
    if isinstance(value, np.ndarray):
        if value.dtype.name not in ARRAY_DTYPES:
            raise TypeError(f"arrays of dtype {value.dtype} cannot be sent to the sandbox")
        return encode_array(value)
    if is_sympy(value):
        return {SYMPY: str(value)}
    raise TypeError(f"a {type(value).__name__} cannot be sent to the sandbox: only plain data")


def _reference(value: StudentObject, owner: object, generation: int) -> Any:
    if value._owner is not owner:
        raise TypeError(f"{value!r} belongs to another sandbox")
    if value._generation == generation:
        return {HANDLE: value._handle}
    if value._origin is not None:
        return {GLOBAL: value._origin}
    raise StudentError(
        f"{value.label} came from a run of the notebook that was stopped (after a timeout or "
        "crash) and no longer exists"
    )


# -- worker -> grading side ------------------------------------------------------------


class Decoder:
    """Validates wire data from the worker and builds plain values and StudentObjects.

    Anything malformed or over the caps raises ``StudentError``: it can only come from
    a submission that tampered with its worker.
    """

    def __init__(self, owner: _Caller, generation: int, array_bytes: int) -> None:
        self.owner = owner
        self.generation = generation
        self.array_bytes = array_bytes
        self.nodes = 0

    def decode(self, node: Any, origin: str | None = None) -> object:
        try:
            return self._decode(node, 0, origin)
        except RecursionError:
            raise malformed("nested too deeply") from None

    def _decode(self, node: Any, depth: int, origin: str | None = None) -> object:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise malformed(f"more than {MAX_NODES} values")
        if depth > MAX_DEPTH_READ:
            raise malformed(f"nested more than {MAX_DEPTH_READ} deep")
        if node is None or type(node) in (bool, int, float):
            return node
        if type(node) is str:
            return clean_text(node)
        if type(node) is list:
            return [self._decode(item, depth + 1) for item in node]
        if type(node) is not dict or len(node) != 1:
            raise malformed(f"unexpected {type(node).__name__}")
        ((tag, payload),) = node.items()
        if tag == TUPLE:
            return tuple(self._decode(item, depth + 1) for item in expect(payload, list, tag))
        if tag == DICT:
            items = expect(payload, dict, tag).items()
            return {clean_text(key): self._decode(item, depth + 1) for key, item in items}
        if tag == FLOAT:
            return decode_float(node)
        if tag == ELLIPSIS:
            if payload is not None:
                raise malformed("the ellipsis tag carries null")
            return Ellipsis
        if tag == COMPLEX:
            parts = expect(payload, list, tag)
            if len(parts) != 2:
                raise malformed("a complex number needs two parts")
            return complex(decode_float(parts[0]), decode_float(parts[1]))
        if tag == NDARRAY:
            return self._array(expect(payload, dict, tag))
        if tag == SYMPY:
            return parse_sympy_text(clean_text(expect(payload, str, tag)))
        if tag == HANDLE:
            return self._handle(expect(payload, dict, tag), origin)
        raise malformed(f"unknown tag {clean_text(str(tag))[:40]!r}")

    def _array(self, payload: dict[str, Any]) -> np.ndarray[Any, Any]:
        if set(payload) != {"dtype", "shape", "data"}:
            raise malformed("an array needs exactly dtype, shape and data")
        name, shape, data = payload["dtype"], payload["shape"], payload["data"]
        if type(name) is not str or name not in ARRAY_DTYPES:
            raise malformed(f"arrays of dtype {clean_text(str(name))[:40]!r} are not accepted")
        if type(shape) is not list or len(shape) > MAX_NDIM:
            raise malformed("bad array shape")
        if not all(type(size) is int and 0 <= size <= self.array_bytes for size in shape):
            raise malformed("bad array shape")
        if type(data) is not str or len(data) > 4 * (self.array_bytes // 3 + 1):
            raise malformed(f"array data over {self.array_bytes} bytes")
        try:
            raw = bytearray(base64.b64decode(data, validate=True))
        except (binascii.Error, ValueError):
            raise malformed("array data is not base64") from None
        dtype = np.dtype(name)
        if len(raw) != math.prod(shape) * dtype.itemsize:
            raise malformed("array data does not match its shape")
        return np.frombuffer(raw, dtype=dtype).reshape(shape)

    def _handle(self, payload: dict[str, Any], origin: str | None) -> StudentObject:
        if set(payload) != {"id", "type", "callable", "name", "note"}:
            raise malformed("a handle needs exactly id, type, callable, name and note")
        handle, is_callable = payload["id"], payload["callable"]
        texts = [payload[key] for key in ("type", "name", "note")]
        if type(handle) is not int or type(is_callable) is not bool:
            raise malformed("bad handle")
        if not all(type(text) is str for text in texts):
            raise malformed("bad handle")
        type_name, name, note = (clean_text(text)[:MAX_NAME] for text in texts)
        kind = StudentFunction if is_callable else StudentObject
        return kind(
            self.owner,
            self.generation,
            handle,
            type_name=type_name,
            name=name,
            note=note,
            origin=origin,
        )


def decode_float(node: Any) -> float:
    if type(node) in (int, float):
        return float(node)
    if type(node) is dict and len(node) == 1 and node.get(FLOAT) in ("nan", "inf", "-inf"):
        return float(node[FLOAT])
    raise malformed("bad float")


def parse_sympy_text(text: str) -> object:
    """A sympy expression from the worker's text, or ``UnreadableExpression``: never raises."""
    from autograder.expressions import MAX_LENGTH, parse_expression  # sympy: lazily

    try:
        return parse_expression(text)
    except Exception as error:  # the parser's business is to reject (too long...), ours to report
        return UnreadableExpression(text[:MAX_LENGTH], str(error))


def clean_text(text: str) -> str:
    """``text`` with lone surrogates replaced, so that it can be written out as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text


def expect(payload: Any, kind: type, tag: str) -> Any:
    if type(payload) is not kind:
        raise malformed(f"{tag} needs a {kind.__name__}")
    return payload


def malformed(reason: str) -> StudentError:
    return StudentError(f"the submission's process sent unreadable data: {reason}")
