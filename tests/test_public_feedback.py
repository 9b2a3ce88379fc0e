"""The public tests of the master notebooks, run as a student's notebook runs them: right
answers in every style pass, and each known mistake they can see fails with an assert
message that names it (the same sentence the hidden tests give)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import nbformat
import numpy as np
import pytest
import sympy
from course import course
from mistakes import disc05 as answers05
from mistakes import lstm as lstm_mistakes

disc05 = course("disc05", "reference")
CATALOG = course("disc05", "mistakes").CATALOG
LSTM_MISTAKES = course("disc06", "mistakes").LSTM_MISTAKES

SOLUTIONS = Path(__file__).resolve().parents[1] / "solutions"


@cache
def public_test(assignment: str, cell_id: str) -> str:
    notebook = nbformat.read(SOLUTIONS / assignment / f"{assignment}.ipynb", as_version=4)
    for cell in notebook.cells:
        if cell.get("id") == cell_id:
            assert "points: 0" in cell.source and "import autograder" not in cell.source
            return str(cell.source)
    raise LookupError(cell_id)


def run_public_test(assignment: str, cell_id: str, answers: dict[str, Any]) -> str | None:
    """The assert message the public test fails with, or None if it passes."""
    namespace = {"np": np, "sympy": sympy, **answers}
    try:
        exec(public_test(assignment, cell_id), namespace)
    except AssertionError as failure:
        return str(failure)
    return None


def title_of(name: str) -> str:
    titles = {m.name: m.title for mistakes in CATALOG.values() for m in mistakes}
    titles.update({m.name: m.title for m in LSTM_MISTAKES})
    return titles[name]


# --- disc05 ------------------------------------------------------------------------------

RIGHT05: dict[str, Callable[..., Any]] = {
    "sigmoid": disc05.sigmoid,
    "sigmoid_grad": disc05.sigmoid_grad,
    "residual_block": disc05.residual_block,
    "residual_jacobian": disc05.residual_jacobian,
    "dropout_expected_loss": disc05.dropout_expected_loss,
    "dropout_to_tikhonov": disc05.dropout_to_tikhonov,
    "tikhonov_gamma": disc05.tikhonov_gamma,
    "ridge_data_matrix": disc05.ridge_data_matrix,
    "column_norms": disc05.column_norms,
}
PUBLIC05 = {
    "sigmoid": ("q1a-sigmoid-public-test", "q1a-sigmoid-public-test-3"),
    "sigmoid_grad": ("q1a-sigmoid-public-test-2", "q1a-sigmoid-public-test-3"),
    "residual_block": ("q1b-public-test",),
    "residual_jacobian": ("q1c-public-test",),
    "dropout_expected_loss": ("q2-loss-public-test",),
    "dropout_to_tikhonov": ("q2a-public-test",),
    "tikhonov_gamma": ("q2a-public-test-2",),
    "ridge_data_matrix": ("q2b-public-test", "q2b-public-test-2"),
    "column_norms": ("q2c-public-test",),
}


def first_failure05(function: str, student: Callable[..., Any]) -> str | None:
    answers = {**RIGHT05, function: student}
    for cell_id in PUBLIC05[function]:
        message = run_public_test("disc05", cell_id, answers)
        if message is not None:
            return message
    return None


@pytest.mark.parametrize(
    ("function", "student"),
    [
        *((name, function) for name, function in RIGHT05.items()),
        ("sigmoid", answers05.sigmoid_tanh),
        ("sigmoid", answers05.sigmoid_loop),
        ("sigmoid_grad", answers05.sigmoid_grad_cosh),
        ("residual_block", answers05.residual_block_mask),
        ("residual_jacobian", answers05.residual_jacobian_diag),
        ("residual_jacobian", answers05.residual_jacobian_loops),
        ("dropout_expected_loss", answers05.dropout_expected_loss_sums),
        ("tikhonov_gamma", answers05.tikhonov_gamma_right),
        ("ridge_data_matrix", answers05.ridge_data_matrix_inverse),
    ],
    ids=lambda v: getattr(v, "__name__", v),
)
def test_right_answers_pass_the_public_tests(function: str, student: Callable[..., Any]) -> None:
    assert first_failure05(function, student) is None


@pytest.mark.parametrize(
    ("function", "student", "says"),
    [
        ("sigmoid", answers05.sigmoid_naive, "sigmoid(x) fails at x = -1000"),
        ("sigmoid_grad", answers05.sigmoid_grad_naive, "sigmoid_grad(x) fails at x = -1000"),
        ("sigmoid_grad", answers05.sigmoid_grad_is_sigmoid, "sigmoid_grad_is_sigmoid"),
        ("residual_block", answers05.residual_block_without_skip, "residual_block_without_skip"),
        (
            "residual_jacobian",
            answers05.residual_jacobian_without_identity,
            "jacobian_without_identity",
        ),
        (
            "residual_jacobian",
            answers05.residual_jacobian_without_mask,
            "jacobian_without_relu_mask",
        ),
        (
            "residual_jacobian",
            answers05.residual_jacobian_without_identity_and_mask,
            "jacobian_without_identity_and_mask",
        ),
        (
            "dropout_expected_loss",
            answers05.dropout_expected_loss_without_variance,
            "expected_loss_without_variance",
        ),
        (
            "dropout_expected_loss",
            answers05.dropout_expected_loss_squared_p,
            "expected_loss_with_p_squared",
        ),
        (
            "dropout_to_tikhonov",
            answers05.dropout_to_tikhonov_divides,
            "tikhonov_weights_divided_by_p",
        ),
        ("tikhonov_gamma", answers05.tikhonov_gamma_without_factor, "gamma_without_factor"),
        (
            "ridge_data_matrix",
            answers05.ridge_data_matrix_gamma_times_x,
            "Gamma acts on X from the right",
        ),
        (
            "ridge_data_matrix",
            answers05.ridge_data_matrix_x_times_gamma,
            "ridge_matrix_x_times_gamma",
        ),
        (
            "ridge_data_matrix",
            answers05.ridge_data_matrix_diagonal_only,
            "ridge_matrix_diagonal_only",
        ),
        ("column_norms", answers05.column_norms_of_rows, "norms_of_rows"),
        ("column_norms", answers05.column_norms_squared, "squared_column_norms"),
    ],
    ids=lambda v: getattr(v, "__name__", None),
)
def test_public_tests_name_the_known_mistakes_they_see(
    function: str, student: Callable[..., Any], says: str
) -> None:
    message = first_failure05(function, student)
    assert message is not None
    if "_" in says and " " not in says:  # a catalog entry: the message names it
        says = f"{function} matches a known mistake, {title_of(says)}: "
    assert says in message, message


def test_an_unknown_public_mistake_says_where() -> None:
    def off(X0: Any, W1: Any, W2: Any) -> Any:
        J = disc05.residual_jacobian(X0, W1, W2)
        J[1, 0] -= 3.0
        return J

    message = first_failure05("residual_jacobian", off)
    assert message == "residual_jacobian(X0, W1, W2) is off, most at index [1, 0]"


# --- disc06: the LSTM step ---------------------------------------------------------------

FORWARD_TEST, BACKWARD_TEST = "q2-forward-public-test", "q2-backward-public-test"


def lstm_public_failures(student: lstm_mistakes.StudentLSTM) -> list[str]:
    answers = {"lstm_step_forward": student.forward, "lstm_step_backward": student.backward}
    messages = [run_public_test("disc06", cell, answers) for cell in (FORWARD_TEST, BACKWARD_TEST)]
    return [message for message in messages if message is not None]


@pytest.mark.parametrize("student", lstm_mistakes.CORRECT, ids=lambda c: c.__name__)
def test_right_lstms_pass_the_public_tests(student: type[lstm_mistakes.StudentLSTM]) -> None:
    assert lstm_public_failures(student()) == []


# What the public tests check: h and c, then dx and dc_prev (and the shapes of all six).
SEEN = frozenset({"h", "c", "dx", "dc_prev"})


@pytest.mark.parametrize("mistake", lstm_mistakes.MISTAKES, ids=lambda c: c.__name__)
def test_public_lstm_tests_name_each_mistake_they_can_see(
    mistake: type[lstm_mistakes.StudentLSTM],
) -> None:
    failures = lstm_public_failures(mistake())
    if mistake is lstm_mistakes.WeightXGradientTransposed:
        assert failures == [
            "dWx has shape (8, 3), expected (3, 8), the shape of the input it is the gradient of"
        ]
    elif mistake.fails & SEEN:
        assert failures, mistake.__name__
        assert f"matches a known mistake, {title_of(mistake.catalog_name)}: " in failures[0]
        others = {m.title for m in LSTM_MISTAKES} - {title_of(mistake.catalog_name)}
        assert not any(f"mistake, {title}:" in failures[0] for title in others)
    else:  # db averaged, dWh divided by N: public tests do not check those values
        assert failures == []


@pytest.mark.parametrize(
    ("maximum", "argmax", "says"),
    [
        (sympy.Rational(1, 4), 0, None),
        (..., 0, "sigmoid_grad_max must be a number, not Ellipsis"),
        (sympy.Rational(1, 4), sympy.Symbol("x"), "sigmoid_grad_argmax must be a number, not x"),
        (float("inf"), 0, "sigmoid_grad_max must be a finite number, not inf"),
    ],
)
def test_the_public_test_of_the_maximum_says_which_value_is_no_number(
    maximum: object, argmax: object, says: str | None
) -> None:
    answers = {"sigmoid_grad_max": maximum, "sigmoid_grad_argmax": argmax}
    assert run_public_test("disc05", "q1a-max-public-test", answers) == says
