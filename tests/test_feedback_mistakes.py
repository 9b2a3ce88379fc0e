"""Feedback that names the mistake: every catalogued mistake is recognised as itself and as
nothing else, a wrong answer that is no known mistake keeps the staged message and says
where it is most wrong, and the LSTM feedback says which of the six gradients are right."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import pytest
import sympy
from course import course
from mistakes import disc05 as answers05
from mistakes import disc06 as answers06
from mistakes import lstm as lstm_mistakes

from autograder.checks.result import CheckFailed
from autograder.hidden import FEEDBACK_LEVELS, FeedbackLevel, feedback_level, same_values

disc05 = course("disc05", "reference")
disc06 = course("disc06", "reference")
lstm = course("disc06", "lstm")
LSTM_GRADIENTS = lstm.LSTM_GRADIENTS
random_lstm_problem = lstm.random_lstm_problem
hidden05 = course("disc05", "helpers")
hidden06 = course("disc06", "helpers")
CATALOG = course("disc05", "mistakes").CATALOG
CATALOG06 = course("disc06", "mistakes").CATALOG
LSTM_MISTAKES = course("disc06", "mistakes").LSTM_MISTAKES

SEEDS = (0, 1)
x, p = sympy.Symbol("x"), sympy.Symbol("p")
sigma, tau = sympy.Symbol("sigma", positive=True), sympy.Symbol("tau")


def failure_of(run: Callable[[], None]) -> CheckFailed:
    try:
        run()
    except CheckFailed as failure:
        return failure
    raise AssertionError("the answer passed")


# --- LSTM ----------------------------------------------------------------------------------


def run_lstm(student: lstm_mistakes.StudentLSTM, part: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    if part in ("h", "c"):
        hidden06.lstm_forward(student.forward, output=part, part=part, rng=rng)
    else:
        hidden06.lstm_backward(student.forward, student.backward, part=part, rng=rng)


def test_every_lstm_mistake_of_the_catalog_is_exercised() -> None:
    named = sorted(mistake.catalog_name for mistake in lstm_mistakes.MISTAKES)
    assert named == sorted(m.name for m in LSTM_MISTAKES)


LSTM_CASES = [
    pytest.param(mistake, part, seed, id=f"{mistake.__name__}-{part}-{seed}")
    for mistake in lstm_mistakes.MISTAKES
    for part in sorted(mistake.fails)
    for seed in SEEDS
]


@pytest.mark.parametrize(("mistake", "part", "seed"), LSTM_CASES)
def test_each_lstm_mistake_is_named_as_itself_and_nothing_else(
    mistake: type[lstm_mistakes.StudentLSTM], part: str, seed: int
) -> None:
    failure = failure_of(lambda: run_lstm(mistake(), part, seed))
    assert failure.result.mistakes == (mistake.catalog_name,), failure.result.message
    assert failure.result.message.startswith(f"{part} matches a known mistake, ")


MISTAKE = "dc_prev matches a known mistake, the gradient without the forget gate"
FORGET_GATE = {  # what each level adds to the mistake's name (name: nothing, a full stop)
    "name": f"{MISTAKE}. ",
    "hint": "the gradient must pass through the forget gate to reach c_prev",
    "answer": "dc_prev = dc⊙f",
}
SHOWN = {"name": {"name"}, "hint": {"hint"}, "answer": {"hint", "answer"}}


@pytest.mark.parametrize("level", FEEDBACK_LEVELS)
def test_the_forget_gate_mistake_is_worded_at_the_courses_level(level: FeedbackLevel) -> None:
    with feedback_level(level):
        failure = failure_of(lambda: run_lstm(lstm_mistakes.CellPrevWithoutF(), "dc_prev", 0))
    message = failure.result.message
    assert message.startswith(MISTAKE)
    for other in FEEDBACK_LEVELS:
        assert (FORGET_GATE[other] in message) == (other in SHOWN[level]), (level, message)
    assert "Of the six gradients, dx, dh_prev, dWx, dWh, db are right and dc_prev is not." in (
        message
    )
    assert failure.result.mistakes == ("dc_prev_without_forget_gate",)  # named at every level


def test_the_default_level_explains_without_the_formula() -> None:
    failure = failure_of(lambda: run_lstm(lstm_mistakes.CellPrevWithoutF(), "dc_prev", 0))
    assert FORGET_GATE["hint"] in failure.result.message
    assert FORGET_GATE["answer"] not in failure.result.message


def test_the_lstm_feedback_lists_the_right_gradients_when_several_are_wrong() -> None:
    class TwoMistakes(lstm_mistakes.CellPrevWithoutF, lstm_mistakes.BiasGradientAveraged):
        """Two mistakes at once: dc_prev without f and db averaged."""

    for part, name in (("dc_prev", "dc_prev_without_forget_gate"), ("db", "db_averaged")):
        failure = failure_of(partial(run_lstm, TwoMistakes(), part, 0))
        assert failure.result.mistakes == (name,)
        assert "dx, dh_prev, dWx, dWh are right and dc_prev, db are not" in failure.result.message


class BumpedBias(lstm_mistakes.StudentLSTM):
    """No known mistake: db is off in one entry, the second of the forget gate's block."""

    def bias_gradient(self, da: Any) -> Any:
        db = da.sum(axis=0)
        db[len(db) // 4 + 1] += 1.0
        return db


def test_an_unknown_lstm_mistake_keeps_the_staged_message_and_names_the_gate_block() -> None:
    failure = failure_of(lambda: run_lstm(BumpedBias(), "db", 0))
    message = failure.result.message
    assert failure.result.mistakes == ()
    assert "known mistake" not in message
    assert message.startswith("Of the six gradients, dx, dh_prev, dc_prev, dWx, dWh are right")
    assert "db is off: relative error" in message
    assert "the largest difference is at index [5], in the block of the f gate (columns 4:8)" in (
        message
    )
    assert "the bug is in lstm_step_backward" in message


# --- disc05 ----------------------------------------------------------------------------------

# (helper, the student's function, the catalog entry it must be named as)
DISC05_MISTAKES = [
    ("sigmoid_extremes", answers05.sigmoid_naive, "sigmoid_overflows"),
    ("sigmoid_grad", answers05.sigmoid_grad_is_sigmoid, "sigmoid_grad_is_sigmoid"),
    ("sigmoid_grad_extremes", answers05.sigmoid_grad_is_sigmoid, "sigmoid_grad_is_sigmoid"),
    ("sigmoid_grad_extremes", answers05.sigmoid_grad_naive, "sigmoid_grad_exp_ratio"),
    (
        "sigmoid_grad_extremes",
        answers05.sigmoid_grad_of_naive_sigmoid,
        "sigmoid_grad_inherits_overflow",
    ),
    ("residual_block", answers05.residual_block_without_skip, "residual_block_without_skip"),
    (
        "residual_jacobian",
        answers05.residual_jacobian_without_identity,
        "jacobian_without_identity",
    ),
    ("residual_jacobian", answers05.residual_jacobian_without_mask, "jacobian_without_relu_mask"),
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
    ("dropout_to_tikhonov", answers05.dropout_to_tikhonov_divides, "tikhonov_weights_divided_by_p"),
    ("tikhonov_gamma", answers05.tikhonov_gamma_without_factor, "gamma_without_factor"),
    ("ridge_data_matrix", answers05.ridge_data_matrix_gamma_times_x, "ridge_matrix_gamma_times_x"),
    ("ridge_data_matrix", answers05.ridge_data_matrix_x_times_gamma, "ridge_matrix_x_times_gamma"),
    ("ridge_data_matrix", answers05.ridge_data_matrix_diagonal_only, "ridge_matrix_diagonal_only"),
    ("column_norms", answers05.column_norms_of_rows, "norms_of_rows"),
    ("column_norms", answers05.column_norms_squared, "squared_column_norms"),
]


# (helper, a wrong value as students write it, the catalog entry it must be named as)
VALUE_MISTAKES = [
    ("grad_expr", 1 / (1 + sympy.exp(-x)), "grad_expr_is_sigmoid"),
    ("grad_expr", "1/(1 + exp(-x))", "grad_expr_is_sigmoid"),
    ("equal_column_norm", sympy.sqrt((1 - p) / p), "column_norm_inverted"),
    ("equal_column_norm", sympy.sqrt(1 - p) / sympy.sqrt(p), "column_norm_inverted"),
    ("equal_column_norm", p / (1 - p), "column_norm_squared"),
    ("ridge_lambda", tau**2 / sigma**2, "lambda_inverted"),
    ("ridge_lambda", (tau / sigma) ** 2, "lambda_inverted"),
    ("ridge_lambda", sigma / tau, "lambda_not_squared"),
    ("ridge_prior", " Laplace", "prior_laplace"),
    ("ridge_prior", "uniform", "prior_uniform"),
]
VALUE_HELPERS = {
    "grad_expr": hidden05.grad_expr,
    "equal_column_norm": hidden05.equal_column_norm,
    "ridge_lambda": hidden06.ridge_lambda,
    "ridge_prior": hidden06.ridge_prior,
}
SUBJECTS = {"grad_expr": "sigmoid_grad_expr"}


@pytest.mark.parametrize(
    ("helper", "value", "name"),
    [pytest.param(*case, id=f"{case[0]}-{case[1]}") for case in VALUE_MISTAKES],
)
def test_each_value_mistake_is_named_as_itself_and_nothing_else(
    helper: str, value: object, name: str
) -> None:
    failure = failure_of(lambda: VALUE_HELPERS[helper](value, part=helper))
    assert failure.result.mistakes == (name,), failure.result.message
    subject = SUBJECTS.get(helper, helper)
    assert failure.result.message.startswith(f"{subject} matches a known mistake, ")


@pytest.mark.parametrize(
    ("helper", "value"),
    [("grad_expr", sympy.exp(-x) / (1 + sympy.exp(-x))), ("ridge_lambda", sigma**2)],
)
def test_an_unknown_wrong_expression_keeps_its_counterexample(helper: str, value: object) -> None:
    failure = failure_of(lambda: VALUE_HELPERS[helper](value, part=helper))
    assert failure.result.mistakes == ()
    assert "for example at " in failure.result.message


def test_every_mistake_of_the_value_and_disc05_catalogs_is_exercised() -> None:
    exercised = {(helper, name) for helper, _, name in (*DISC05_MISTAKES, *VALUE_MISTAKES)}
    catalogued = {
        (helper, m.name)
        for catalog in (CATALOG, CATALOG06)
        for helper, mistakes in catalog.items()
        for m in mistakes
    }
    assert exercised == catalogued


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(
    ("helper", "student", "name"),
    [pytest.param(*case, id=f"{case[0]}-{case[2]}") for case in DISC05_MISTAKES],
)
def test_each_disc05_mistake_is_named_as_itself_and_nothing_else(
    helper: str, student: Callable[..., Any], name: str, seed: int
) -> None:
    failure = failure_of(
        lambda: getattr(hidden05, helper)(student, part=helper, rng=np.random.default_rng(seed))
    )
    assert failure.result.mistakes == (name,), failure.result.message
    subject = "sigmoid_grad" if helper.startswith("sigmoid_grad") else helper.split("_extremes")[0]
    assert failure.result.message.startswith(f"{subject} matches a known mistake, ")


def test_a_quiet_overflow_is_still_named_by_its_nan() -> None:
    def quiet_naive(x: Any) -> Any:
        with np.errstate(all="ignore"):
            return answers05.sigmoid_grad_naive(x)

    failure = failure_of(lambda: hidden05.sigmoid_grad_extremes(quiet_naive, part="p"))
    assert failure.result.stage == "finite"
    assert failure.result.mistakes == ("sigmoid_grad_exp_ratio",)


def test_right_values_with_other_warnings_are_no_overflow_mistake() -> None:
    def chatty(x: Any) -> Any:
        import warnings

        warnings.warn("student says hello", UserWarning, stacklevel=1)
        return disc05.sigmoid(x)

    failure = failure_of(lambda: hidden05.sigmoid_extremes(chatty, part="p"))
    assert failure.result.stage == "warning" and failure.result.mistakes == ()


def test_an_unknown_disc05_mistake_keeps_the_staged_message_and_says_where() -> None:
    def off_in_one_entry(X0: Any, W1: Any, W2: Any) -> Any:
        J = disc05.residual_jacobian(X0, W1, W2)
        J[2, 1] += 0.5
        return J

    failure = failure_of(
        lambda: hidden05.residual_jacobian(off_in_one_entry, part="p", rng=np.random.default_rng(0))
    )
    assert failure.result.mistakes == ()
    assert failure.result.message.startswith("residual_jacobian(X0, W1, W2) is off: relative error")
    assert failure.result.message.endswith("the largest difference is at index [2, 1]")
    assert failure.result.where == (2, 1)


def test_a_scalar_mistake_has_no_index() -> None:
    failure = failure_of(
        lambda: hidden05.dropout_expected_loss(
            lambda X, y, w, p: 1.0, part="p", rng=np.random.default_rng(0)
        )
    )
    assert failure.result.mistakes == () and failure.result.where is None
    assert "index" not in failure.result.message


def test_no_catalog_entry_computes_the_right_answer() -> None:
    """Else a right answer that failed elsewhere could be named as that mistake."""
    rng = np.random.default_rng(0)
    inputs = hidden05._residual_inputs(rng)
    for mistake in CATALOG["residual_jacobian"]:
        assert not np.allclose(mistake.variant(*inputs), disc05.residual_jacobian(*inputs))
    problem = random_lstm_problem(rng)
    h, c, cache = disc06.lstm_step_forward(*problem.inputs())
    right = dict(
        zip(
            ("h", "c", *LSTM_GRADIENTS),
            (h, c, *disc06.lstm_step_backward(problem.dh, problem.dc_next, cache)),
            strict=True,
        )
    )
    for mistake in LSTM_MISTAKES:
        outputs = mistake.variant(problem)
        assert any(not same_values(outputs[k], right[k]) for k in right), mistake.name


@pytest.mark.parametrize(
    ("row", "other"),
    [(r, o) for r in disc06.INDUCTIVE_BIAS_ROWS for o in disc06.INDUCTIVE_BIAS_ROWS if r != o],
)
def test_a_table_row_holding_another_networks_entries_is_named(row: str, other: str) -> None:
    table = answers06.table_with(row, **disc06.INDUCTIVE_BIAS_TABLE[other])
    failure = failure_of(lambda: hidden06.inductive_bias_row(table, row=row, part=row))
    assert failure.result.mistakes == (f"{row}_row_holds_{other}",)
    assert failure.result.message.startswith(
        f"inductive_bias_table[{row!r}] matches a known mistake, the entries of the "
    )


def test_a_single_wrong_table_entry_is_no_known_mistake() -> None:
    table = answers06.table_with("recurrent", invariance="none")
    failure = failure_of(lambda: hidden06.inductive_bias_row(table, row="recurrent", part="r"))
    assert failure.result.mistakes == ()
    assert failure.result.message == "inductive_bias_table, row 'recurrent': wrong: invariance"
