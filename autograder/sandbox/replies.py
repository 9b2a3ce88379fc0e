"""Reading the worker's replies: untrusted data, checked as it is read.

A reply that lacks what it must hold is the submission's doing (it tampered with its
worker): it becomes a ``StudentError``, never a crash of the grading process.
"""

from __future__ import annotations

import warnings
from typing import Any

from autograder.sandbox.errors import StudentError
from autograder.sandbox.values import clean_text

MAX_MESSAGE = 2000

_WARNING_CLASSES: dict[str, type[Warning]] = {
    cls.__name__: cls
    for cls in (
        Warning,
        UserWarning,
        DeprecationWarning,
        PendingDeprecationWarning,
        SyntaxWarning,
        RuntimeWarning,
        FutureWarning,
        ImportWarning,
        UnicodeWarning,
        BytesWarning,
        ResourceWarning,
    )
}


def reemit_warnings(items: list[Any]) -> None:
    """Warn here what a call warned in the worker, with a builtin category."""
    for item in items:
        if type(item) is dict:
            category = _WARNING_CLASSES.get(str(item.get("category")), UserWarning)
            warnings.warn(reply_text(item.get("message")), category, stacklevel=4)


def reply_field(message: Any, key: str, kind: type) -> Any:
    """``message[key]``, which must be a ``kind``."""
    if type(message) is not dict or type(message.get(key)) is not kind:
        raise StudentError(f"the submission's process sent a malformed reply (no {key})")
    return message[key]


def reply_text(value: object, limit: int = MAX_MESSAGE) -> str:
    """``value`` if it is text (cut to ``limit``), else nothing."""
    text = clean_text(value) if isinstance(value, str) else ""
    return text if len(text) <= limit else text[:limit] + " [...]"
