"""The staged numeric checks, each stage proven on right and wrong answers."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pytest
import sympy

from autograder.checks.numeric import DEFAULT_RTOL, check_array, check_scalar, relative_error


@dataclass(frozen=True)
class Unreadable:
    """Like the sandbox's UnreadableExpression: text its parser rejected, and why."""

    text: str
    reason: str


REFERENCE = np.arange(15, dtype=np.float64).reshape(3, 5) / 7 - 1


# --- relative_error -------------------------------------------------------------------


def test_relative_error_is_norm_relative() -> None:
    assert relative_error([3.0, 4.0], [3.0, 4.0]) == 0.0
    assert relative_error([3.0, 4.0], [0.0, 0.0]) == 1.0
    assert relative_error([1.0, 0.0], [1.0, 0.1]) == pytest.approx(0.1 / np.hypot(1, 0.1))


def test_relative_error_of_two_zeros_is_zero() -> None:
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0


def test_relative_error_does_not_overflow_on_huge_entries() -> None:
    # np.linalg.norm of 1e300 entries overflows; warnings are errors in this run.
    assert relative_error([1e300, 1e300], [1e300, 2e300]) == pytest.approx(1 / np.sqrt(5))


# --- check_array: right answers ------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(REFERENCE.copy(), id="same-array"),
        pytest.param(REFERENCE.tolist(), id="nested-lists"),
        pytest.param(tuple(map(tuple, REFERENCE)), id="nested-tuples"),
        pytest.param(REFERENCE.astype(np.float32), id="float32"),
        pytest.param(REFERENCE * (1 + 1e-9), id="rounding-level-difference"),
        pytest.param(np.asfortranarray(REFERENCE), id="fortran-order"),
    ],
)
def test_check_array_accepts_right_answers(answer: object) -> None:
    result = check_array(answer, REFERENCE)
    assert result.passed, result.message
    assert result.score == 1.0 and result.error is not None and result.error <= DEFAULT_RTOL


# --- check_array: each stage rejects with its own message ------------------------------


@pytest.mark.parametrize(
    ("answer", "stage", "says"),
    [
        pytest.param(None, "type", "is None", id="none"),
        pytest.param(..., "type", "still `...`", id="ellipsis"),
        pytest.param("0.5", "type", "is a str", id="string"),
        pytest.param({"a": 1.0}, "type", "is a dict", id="dict"),
        pytest.param(sympy.Matrix([[1]]), "type", "expected a numpy array", id="sympy-matrix"),
        pytest.param([[1.0, 2.0], [3.0]], "type", "cannot be read as an array", id="ragged"),
        pytest.param(REFERENCE.T, "shape", "has shape (5, 3) but should have shape (3, 5)", id="T"),
        pytest.param(REFERENCE.ravel(), "shape", "has shape (15,)", id="flattened"),
        pytest.param(1.0, "shape", "has shape ()", id="scalar"),
        pytest.param(np.ones((3, 5), dtype=int), "dtype", "integer dtype int64", id="int"),
        pytest.param(np.ones((3, 5), dtype=bool), "dtype", "boolean", id="bool"),
        pytest.param(np.full((3, 5), None), "dtype", "dtype object", id="object"),
        pytest.param(REFERENCE + 0j, "dtype", "complex", id="complex"),
        pytest.param(np.full((3, 5), np.nan), "finite", "15 non-finite entries", id="nan"),
        pytest.param(np.where(REFERENCE > 0, np.inf, 0.0), "finite", "non-finite", id="inf"),
        pytest.param(
            REFERENCE * 1.01, "close", "relative error 9.9e-03 (tolerance 1e-06)", id="1%"
        ),
        pytest.param(-REFERENCE, "close", "relative error 2.0e+00", id="sign"),
    ],
)
def test_check_array_rejects_at_the_first_failing_stage(
    answer: object, stage: str, says: str
) -> None:
    result = check_array(answer, REFERENCE, name="h")
    assert not result.passed and result.score == 0.0
    assert result.stage == stage
    assert says in result.message
    assert result.message.startswith("h ")


def test_check_array_messages_never_show_expected_values() -> None:
    reference = np.array([0.123456789, 9.87654321])
    result = check_array(np.array([1.0, 2.0]), reference)
    assert not result.passed
    assert "0.12" not in result.message and "9.87" not in result.message


def test_check_array_tolerance_sits_at_the_threshold() -> None:
    just_inside = REFERENCE * (1 + 0.5 * DEFAULT_RTOL)
    just_outside = REFERENCE * (1 + 2 * DEFAULT_RTOL)
    assert check_array(just_inside, REFERENCE).passed
    assert not check_array(just_outside, REFERENCE).passed


def test_check_array_passes_two_zero_arrays() -> None:
    assert check_array(np.zeros(4), np.zeros(4)).passed
    assert not check_array(np.full(4, 1e-300), np.zeros(4)).passed


# --- check_scalar --------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(0.25, id="float"),
        pytest.param(1 / 4, id="division"),
        pytest.param(sympy.Rational(1, 4), id="sympy-rational"),
        pytest.param(sympy.Integer(1) / 4, id="sympy-division"),
        pytest.param(sympy.Float(0.25), id="sympy-float"),
        pytest.param(sympy.sin(sympy.pi / 6) ** 2, id="sympy-constant-expression"),
        pytest.param(np.float64(0.25), id="numpy-float"),
        pytest.param(np.float32(0.25), id="numpy-float32"),
        pytest.param(np.array(0.25), id="0-d-array"),
        pytest.param(Fraction(1, 4), id="fraction"),
    ],
)
def test_check_scalar_treats_all_forms_of_one_quarter_alike(answer: object) -> None:
    result = check_scalar(answer, sympy.Rational(1, 4))
    assert result.passed, result.message
    assert result.error == 0.0


@pytest.mark.parametrize(
    ("answer", "stage", "says"),
    [
        pytest.param(None, "type", "is None", id="none"),
        pytest.param(..., "type", "still `...`", id="ellipsis"),
        pytest.param("0.25", "type", "is a string", id="string"),
        pytest.param("1/4", "type", "is a string", id="string-fraction"),
        pytest.param(True, "type", "boolean", id="bool"),
        pytest.param(0.25 + 0j, "type", "complex", id="complex"),
        pytest.param(sympy.I / 4, "type", "not a real number", id="sympy-imaginary"),
        pytest.param(sympy.Symbol("x") / 4, "type", "expression in x", id="sympy-symbolic"),
        pytest.param(np.array([0.25]), "type", "array of shape (1,)", id="1-element-array"),
        pytest.param([0.25], "type", "is a list", id="list"),
        pytest.param(float("nan"), "finite", "not a finite number", id="nan"),
        pytest.param(float("inf"), "finite", "not a finite number", id="inf"),
        pytest.param(sympy.oo, "finite", "not a finite number", id="sympy-oo"),
        pytest.param(10**400, "finite", "too large", id="huge-int"),
        pytest.param(0.2, "close", "relative error 2.0e-01", id="wrong-number"),
        pytest.param(sympy.Rational(1, 2), "close", "relative error 5.0e-01", id="wrong-rational"),
        pytest.param(
            Unreadable("1/", "unexpected end"), "syntax", "cannot be read", id="unreadable"
        ),
    ],
)
def test_check_scalar_rejects_non_numbers_and_wrong_numbers(
    answer: object, stage: str, says: str
) -> None:
    result = check_scalar(answer, sympy.Rational(1, 4))
    assert not result.passed
    assert result.stage == stage
    assert says in result.message


def test_check_scalar_relative_error_of_a_zero_answer_needs_a_scale() -> None:
    assert not check_scalar(1e-12, 0).passed  # relatively 100 % off
    assert check_scalar(1e-12, 0, scale=1.0).passed
    assert check_scalar(0.0, 0, scale=1.0).passed
    result = check_scalar(0.5, 0, scale=1.0)
    assert not result.passed and result.error == 0.5


def test_check_array_says_where_the_largest_difference_is() -> None:
    wrong = REFERENCE.copy()
    wrong[0, 0] += 0.1
    wrong[2, 3] -= 1.0
    result = check_array(wrong, REFERENCE, name="h")
    assert result.where == (2, 3)
    assert result.message.endswith("the largest difference is at index [2, 3]")
    assert check_array(REFERENCE, REFERENCE).where is None
