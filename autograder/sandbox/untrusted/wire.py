"""Values on the wire: the worker's encoder and decoder, and the encodings both sides share.

The worker encodes what it sends (``Encoder``: plain data as values, everything else
behind a numbered handle) and decodes what the grading side sends (``decode``, trusting
it). The grading side's own halves are in ``autograder/sandbox/values.py``; floats,
complex numbers and arrays are encoded the same way on both sides, by the functions here.
"""

from __future__ import annotations

import base64
import sys
import traceback
import types
from typing import Any

from autograder.sandbox.untrusted.protocol import (
    ARRAY_DTYPES,
    COMPLEX,
    DICT,
    ELLIPSIS,
    FLOAT,
    GLOBAL,
    HANDLE,
    MAX_DEPTH,
    MAX_INT_BITS,
    MAX_TEXT,
    NDARRAY,
    SYMPY,
    TUPLE,
    ArrayPayload,
    HandlePayload,
)


def encode_float(number: float) -> Any:
    if number != number:
        return {FLOAT: "nan"}
    if number in (float("inf"), float("-inf")):
        return {FLOAT: "inf" if number > 0 else "-inf"}
    return number


def encode_complex(number: complex) -> Any:
    return {COMPLEX: [encode_float(number.real), encode_float(number.imag)]}


def encode_array(array: Any) -> dict[str, ArrayPayload]:
    """A numpy array whose dtype is in ``ARRAY_DTYPES`` (the caller checks), as wire data."""
    native = array.astype(array.dtype.newbyteorder("="), copy=False)
    data = base64.b64encode(native.tobytes(order="C")).decode("ascii")
    return {NDARRAY: {"dtype": array.dtype.name, "shape": list(array.shape), "data": data}}


def encoded_size(array: Any) -> int:
    """What sending ``array`` costs of a message's budget (base64 and the rest)."""
    size: int = array.nbytes * 4 // 3 + 64
    return size


def is_sympy(value: object) -> bool:
    """A sympy object, without importing sympy (where it was not imported, none can exist)."""
    sympy = sys.modules.get("sympy")
    basic = getattr(sympy, "Basic", None)
    return isinstance(basic, type) and isinstance(value, basic)


def clip(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


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
    return clip(f"{name}: {text}{where}" if text else f"{name}{where}")


# -- the worker's side --------------------------------------------------------------------


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
            return encode_complex(value)
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
        if is_sympy(value):
            return self._sympy(value)
        return self._handle(value, "")

    def _spend(self, size: int) -> None:
        self.budget -= size
        if self.budget < 0:
            raise _TooLarge

    def _array(self, array: Any) -> Any:
        if array.dtype.name not in ARRAY_DTYPES:
            return self._handle(array, f"an array of dtype {array.dtype} cannot be sent")
        if encoded_size(array) > self.budget:
            return self._handle(array, f"an array of {array.nbytes} bytes is too large to send")
        self._spend(encoded_size(array))
        return encode_array(array)

    def _numpy_scalar(self, value: Any) -> Any:
        import numpy as np

        if isinstance(value, np.bool_):
            return bool(value)
        if isinstance(value, np.integer):
            return int(value)
        if isinstance(value, np.floating):
            return encode_float(float(value))
        if isinstance(value, np.complexfloating):
            return encode_complex(complex(value))
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

    def _handle(self, value: object, note: str) -> dict[str, HandlePayload]:
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
                "type": clip(f"{kind.__module__}.{kind.__qualname__}"),
                "callable": callable(value),
                "name": clip(name) if type(name) is str else "",
                "note": note,
            }
        }


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
