"""Numeric checks: a student's array or number against the reference, in stages.

The stages run in order and the first one that fails is the feedback: is it an
array at all, does it have the right shape, a float dtype, only finite entries,
and finally is it close. Messages say what is wrong and how far off, never the
expected values.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import replace
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt
import sympy

from autograder.checks.result import CheckResult

FloatArray = npt.NDArray[np.float64]

# Norm-relative error ‖a-b‖/max(‖a‖,‖b‖). Measured in float64 (CONTENT.md): correct
# code matches a reference to ~1e-15 and central finite differences to ≤ 3e-9,
# while the subtlest common gradient bug seen in the course (a tanh left out of one
# gate's gradient) is at 6e-3 or more. 1e-6 leaves
# over two orders of magnitude on each side. An elementwise max-relative error
# would not do: correct code reaches 8e-5 on entries near zero.
DEFAULT_RTOL = 1e-6

_ARRAY_LIKE = (np.ndarray, list, tuple, numbers.Number, np.generic)


def relative_error(a: npt.ArrayLike, b: npt.ArrayLike) -> float:
    """‖a-b‖/max(‖a‖,‖b‖), 0 when both are zero; scaled first so huge entries cannot overflow."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    peak = max(float(np.max(np.abs(a), initial=0.0)), float(np.max(np.abs(b), initial=0.0)))
    if peak == 0.0:
        return 0.0
    a, b = a / peak, b / peak
    scale = max(float(np.linalg.norm(a)), float(np.linalg.norm(b)))
    return float(np.linalg.norm(a - b)) / scale


def describe(value: object) -> str:
    """A short name for what the student handed in, for messages."""
    if value is None:
        return "None"
    if value is Ellipsis:
        return "`...`"
    remote_type = getattr(value, "type_name", None)  # a sandbox handle says what it stands for
    handle = type(value).__name__ in {"StudentObject", "StudentFunction"}
    if handle and isinstance(remote_type, str):
        return f"a {remote_type[:60]!s} object"
    return f"a {type(value).__name__}"


@runtime_checkable
class UnreadableText(Protocol):
    """What the grading sandbox hands over for an expression whose text the parser
    rejected (``autograder.sandbox.values.UnreadableExpression``)."""

    text: str
    reason: str


def missing_answer(value: object, name: str) -> CheckResult | None:
    """The failure for an unanswered question (None or ``...``) or unreadable text, if it is one."""
    if value is None:
        return CheckResult.fail(
            "type",
            f"{name} is None: nothing was returned (is the body still `...`, "
            "or is a `return` missing?)",
        )
    if value is Ellipsis:
        return CheckResult.fail("type", f"{name} is still `...`: replace it with your answer")
    if isinstance(value, UnreadableText):
        return CheckResult.fail("syntax", f"{name} cannot be read: {value.reason}")
    return None


def check_array(
    student: object,
    reference: npt.ArrayLike,
    *,
    name: str = "your result",
    rtol: float = DEFAULT_RTOL,
) -> CheckResult:
    """Staged comparison of an array-like answer with a float reference array."""
    expected = np.asarray(reference, dtype=np.float64)
    loaded = _load_array(student, name)
    if isinstance(loaded, CheckResult):
        return loaded
    if loaded.shape != expected.shape:
        return CheckResult.fail(
            "shape", f"{name} has shape {loaded.shape} but should have shape {expected.shape}"
        )
    dtype_problem = _dtype_problem(loaded.dtype)
    if dtype_problem:
        return CheckResult.fail("dtype", f"{name} {dtype_problem}")
    bad = int(np.size(loaded) - np.count_nonzero(np.isfinite(loaded)))
    if bad:
        return CheckResult.fail(
            "finite", f"{name} has {bad} non-finite entries (nan or inf) out of {loaded.size}"
        )
    result = _close(relative_error(loaded, expected), rtol, name)
    if result.passed or loaded.ndim == 0:
        return result
    where = largest_difference(loaded, expected)
    return replace(
        result,
        message=f"{result.message}; the largest difference is at index {format_index(where)}",
        where=where,
    )


def largest_difference(a: npt.ArrayLike, b: npt.ArrayLike) -> tuple[int, ...]:
    """The index of the entry where two arrays of one shape differ most."""
    with np.errstate(over="ignore"):  # 1e308 - (-1e308) is inf, still the largest
        gap = np.abs(np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64))
    return tuple(int(k) for k in np.unravel_index(int(np.argmax(gap)), gap.shape))


def format_index(index: tuple[int, ...]) -> str:
    """``(2, 9)`` as a student indexes a numpy array: ``[2, 9]``."""
    return "[" + ", ".join(str(k) for k in index) + "]"


def check_scalar(
    student: object,
    reference: float | sympy.Expr,
    *,
    name: str = "your answer",
    rtol: float = DEFAULT_RTOL,
    scale: float = 0.0,
) -> CheckResult:
    """A single number: ``0.25``, ``1/4``, ``np.float64(0.25)`` and ``sympy.Rational(1, 4)`` agree.

    The error is |a-b|/max(|a|, |b|, scale): relative by default; a positive
    ``scale`` makes it absolute near zero, where a relative error means nothing
    (an answer of 1e-12 for a true 0 is right, relatively it is 100 % off).
    """
    value = _load_number(student, name)
    if isinstance(value, CheckResult):
        return value
    if not math.isfinite(value):
        return CheckResult.fail("finite", f"{name} is {value}, not a finite number")
    expected = float(reference)
    denominator = max(abs(value), abs(expected), scale)
    error = 0.0 if denominator == 0.0 else abs(value - expected) / denominator
    return _close(error, rtol, name)


def _close(error: float, rtol: float, name: str) -> CheckResult:
    if error <= rtol:
        return CheckResult.ok(error=error)
    return CheckResult.fail(
        "close", f"{name} is off: relative error {error:.1e} (tolerance {rtol:.0e})", error=error
    )


def _load_array(value: object, name: str) -> npt.NDArray[Any] | CheckResult:
    missing = missing_answer(value, name)
    if missing is not None:
        return missing
    if isinstance(value, (str, bytes)) or not isinstance(value, _ARRAY_LIKE):
        return CheckResult.fail("type", f"{name} is {describe(value)}, expected a numpy array")
    try:
        return np.asarray(value)
    except (ValueError, TypeError) as exc:
        return CheckResult.fail(
            "type", f"{name} cannot be read as an array (nested lists of unequal length?): {exc}"
        )


def _dtype_problem(dtype: np.dtype[Any]) -> str:
    problems = {
        "f": "",
        "i": f"has integer dtype {dtype}: expected floats (integer inputs or integer division?)",
        "u": f"has integer dtype {dtype}: expected floats",
        "b": "has boolean dtype: expected floats (a comparison instead of a value?)",
        "c": f"has complex dtype {dtype}: expected real floats",
        "O": "holds Python objects (dtype object): expected floats "
        "(is an entry None, a list, or a sympy number?)",
        "U": "holds strings: expected floats",
        "S": "holds bytes: expected floats",
    }
    return problems.get(dtype.kind, f"has dtype {dtype}: expected floats")


def _load_number(value: object, name: str) -> float | CheckResult:
    missing = missing_answer(value, name)
    if missing is not None:
        return missing
    if isinstance(value, np.ndarray):
        if value.ndim != 0:
            return CheckResult.fail(
                "type", f"{name} is an array of shape {value.shape}, expected a single number"
            )
        value = value[()]
    if isinstance(value, (bool, np.bool_)):
        return CheckResult.fail("type", f"{name} is a boolean, expected a number")
    if isinstance(value, sympy.Basic):
        return _sympy_number(value, name)
    if isinstance(value, (complex, np.complexfloating)):
        return CheckResult.fail("type", f"{name} is a complex number, expected a real number")
    if isinstance(value, (numbers.Real, np.integer, np.floating)):
        try:
            return float(value)
        except OverflowError:
            return CheckResult.fail("finite", f"{name} is too large to be a float")
    if isinstance(value, (str, bytes)):
        return CheckResult.fail(
            "type", f"{name} is a string, expected a number (write it without quotes)"
        )
    return CheckResult.fail("type", f"{name} is {describe(value)}, expected a number")


def _sympy_number(value: sympy.Basic, name: str) -> float | CheckResult:
    if not isinstance(value, sympy.Expr):
        return CheckResult.fail("type", f"{name} is a sympy {type(value).__name__}, not a number")
    if value.free_symbols:
        symbols = ", ".join(sorted(str(s) for s in value.free_symbols))
        return CheckResult.fail(
            "type", f"{name} is an expression in {symbols}, expected a single number"
        )
    number = sympy.N(value, 30)
    real, imaginary = number.as_real_imag()
    if imaginary != 0:
        return CheckResult.fail("type", f"{name} is not a real number")
    try:
        return float(real)
    except (TypeError, ValueError):
        return CheckResult.fail("finite", f"{name} is {value}, not a finite number")
