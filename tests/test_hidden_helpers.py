"""The hidden-test helpers, proven both ways: right code in several styles passes, every
typical mistake loses exactly the credits it should, and malformed answers fail cleanly.
The last test measures the margins between right and wrong code for every check."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import pytest
from course import course
from mistakes import disc05 as answers05
from mistakes import disc06 as answers06
from mistakes import lstm as lstm_mistakes

from autograder.checks.numeric import DEFAULT_RTOL, relative_error
from autograder.checks.result import CheckFailed, CheckResult
from autograder.checks.symbolic import POINT_RTOL
from autograder.hidden.support import recording

disc05 = course("disc05", "reference")
disc06 = course("disc06", "reference")
lstm = course("disc06", "lstm")
LSTM_GRADIENTS = lstm.LSTM_GRADIENTS
lstm_numeric_gradient = lstm.lstm_numeric_gradient
random_lstm_problem = lstm.random_lstm_problem
hidden05 = course("disc05", "helpers")
hidden06 = course("disc06", "helpers")

SEED = 20240518


def rng(offset: int = 0) -> np.random.Generator:
    return np.random.default_rng(SEED + offset)


def verdict(run: Callable[[], None]) -> CheckFailed | None:
    """None if the helper passes, its CheckFailed if not; anything else propagates."""
    try:
        run()
    except CheckFailed as failure:
        return failure
    return None


# --- LSTM: every implementation against every credit ----------------------------------


class ReferenceLSTM(lstm_mistakes.StudentLSTM):
    def forward(self, *args: Any) -> Any:
        return disc06.lstm_step_forward(*args)

    def backward(self, *args: Any) -> Any:
        return disc06.lstm_step_backward(*args)


LSTM_IMPLEMENTATIONS = (ReferenceLSTM, *lstm_mistakes.CORRECT, *lstm_mistakes.MISTAKES)
LSTM_PARTS = ("h", "c", *LSTM_GRADIENTS)


def run_lstm_part(implementation: lstm_mistakes.StudentLSTM, part: str, seed: int = 0) -> None:
    if part in ("h", "c"):
        hidden06.lstm_forward(implementation.forward, output=part, part=part, rng=rng(seed))
    else:
        hidden06.lstm_backward(
            implementation.forward, implementation.backward, part=part, rng=rng(seed)
        )


@pytest.mark.parametrize("part", LSTM_PARTS)
@pytest.mark.parametrize("implementation", LSTM_IMPLEMENTATIONS, ids=lambda c: c.__name__)
def test_lstm_credit_is_lost_exactly_where_the_mistake_is(
    implementation: type[lstm_mistakes.StudentLSTM], part: str
) -> None:
    failure = verdict(lambda: run_lstm_part(implementation(), part))
    if part in implementation.fails:
        assert failure is not None, f"{implementation.__name__} keeps credit {part}"
        assert failure.part == part and str(failure).startswith(f"{part}: ")
    else:
        assert failure is None, str(failure)


def test_the_subtlest_lstm_bug_is_sent_to_the_backward_pass() -> None:
    failure = verdict(lambda: run_lstm_part(lstm_mistakes.OutputGradientUsesC(), "dx"))
    assert failure is not None
    assert "the bug is in lstm_step_backward" in str(failure)


def test_a_consistent_gate_order_mistake_is_sent_to_the_forward_pass() -> None:
    failure = verdict(lambda: run_lstm_part(lstm_mistakes.GateOrderIFGO(), "db"))
    assert failure is not None
    assert "gate order i, f, o, g" in str(failure)


def test_a_transposed_dwx_fails_on_shape() -> None:
    failure = verdict(lambda: run_lstm_part(lstm_mistakes.WeightXGradientTransposed(), "dWx"))
    assert failure is not None
    assert "has shape (16, 5) but should have shape (5, 16)" in str(failure)


# --- disc05 functions -------------------------------------------------------------------

Helper = Callable[..., None]


@dataclass(frozen=True)
class Case:
    helper: str
    student: Callable[..., Any]
    passes: bool

    @property
    def id(self) -> str:
        author = "reference" if self.student.__module__.startswith("autograder") else "student"
        outcome = "passes" if self.passes else "fails"
        return f"{author}.{self.student.__name__}-{outcome}-{self.helper}"


def cases(
    helpers: Iterable[str], student: Callable[..., Any], *, fails: Iterable[str] = ()
) -> list[Case]:
    failing = set(fails)
    return [Case(helper, student, helper not in failing) for helper in helpers]


SIGMOID = ("sigmoid", "sigmoid_extremes")
SIGMOID_GRAD = ("sigmoid_grad", "sigmoid_grad_extremes")
DISC05_CASES = [
    *cases(SIGMOID, disc05.sigmoid),
    *cases(SIGMOID, answers05.sigmoid_tanh),
    *cases(SIGMOID, answers05.sigmoid_loop),
    *cases(SIGMOID, answers05.sigmoid_naive, fails={"sigmoid_extremes"}),
    *cases(SIGMOID_GRAD, disc05.sigmoid_grad),
    *cases(SIGMOID_GRAD, answers05.sigmoid_grad_from_sigmoid),
    *cases(SIGMOID_GRAD, answers05.sigmoid_grad_cosh),
    *cases(SIGMOID_GRAD, answers05.sigmoid_grad_naive, fails={"sigmoid_grad_extremes"}),
    *cases(SIGMOID_GRAD, answers05.sigmoid_grad_is_sigmoid, fails=SIGMOID_GRAD),
    *cases(SIGMOID_GRAD, answers05.sigmoid_grad_of_naive_sigmoid, fails={"sigmoid_grad_extremes"}),
    *cases(["residual_block"], disc05.residual_block),
    *cases(["residual_block"], answers05.residual_block_loops),
    *cases(["residual_block"], answers05.residual_block_mask),
    *cases(["residual_block"], answers05.residual_block_without_skip, fails={"residual_block"}),
    *cases(["residual_jacobian"], disc05.residual_jacobian),
    *cases(["residual_jacobian"], answers05.residual_jacobian_diag),
    *cases(["residual_jacobian"], answers05.residual_jacobian_loops),
    *cases(
        ["residual_jacobian"],
        answers05.residual_jacobian_without_identity,
        fails={"residual_jacobian"},
    ),
    *cases(
        ["residual_jacobian"], answers05.residual_jacobian_without_mask, fails={"residual_jacobian"}
    ),
    *cases(
        ["residual_jacobian"],
        answers05.residual_jacobian_without_identity_and_mask,
        fails={"residual_jacobian"},
    ),
    *cases(["dropout_expected_loss"], disc05.dropout_expected_loss),
    *cases(["dropout_expected_loss"], answers05.dropout_expected_loss_sums),
    *cases(
        ["dropout_expected_loss"],
        answers05.dropout_expected_loss_without_variance,
        fails={"dropout_expected_loss"},
    ),
    *cases(
        ["dropout_expected_loss"],
        answers05.dropout_expected_loss_squared_p,
        fails={"dropout_expected_loss"},
    ),
    *cases(["dropout_to_tikhonov"], disc05.dropout_to_tikhonov),
    *cases(["dropout_to_tikhonov"], answers05.dropout_to_tikhonov_times),
    *cases(
        ["dropout_to_tikhonov"],
        answers05.dropout_to_tikhonov_divides,
        fails={"dropout_to_tikhonov"},
    ),
    *cases(["tikhonov_gamma"], disc05.tikhonov_gamma),
    *cases(["tikhonov_gamma"], answers05.tikhonov_gamma_right),
    *cases(["tikhonov_gamma"], answers05.tikhonov_gamma_without_factor, fails={"tikhonov_gamma"}),
    *cases(["ridge_data_matrix"], disc05.ridge_data_matrix),
    *cases(["ridge_data_matrix"], answers05.ridge_data_matrix_inverse),
    *cases(
        ["ridge_data_matrix"],
        answers05.ridge_data_matrix_gamma_times_x,
        fails={"ridge_data_matrix"},
    ),
    *cases(
        ["ridge_data_matrix"],
        answers05.ridge_data_matrix_x_times_gamma,
        fails={"ridge_data_matrix"},
    ),
    *cases(
        ["ridge_data_matrix"],
        answers05.ridge_data_matrix_diagonal_only,
        fails={"ridge_data_matrix"},
    ),
    *cases(["column_norms"], disc05.column_norms),
    *cases(["column_norms"], answers05.column_norms_loop),
    *cases(["column_norms"], answers05.column_norms_of_rows, fails={"column_norms"}),
    *cases(["column_norms"], answers05.column_norms_squared, fails={"column_norms"}),
]


def run_disc05(helper: str, student: object, seed: int = 0) -> None:
    getattr(hidden05, helper)(student, part=helper, rng=rng(seed))


@pytest.mark.parametrize("case", DISC05_CASES, ids=lambda case: case.id)
def test_disc05_functions(case: Case) -> None:
    failure = verdict(lambda: run_disc05(case.helper, case.student))
    if case.passes:
        assert failure is None, str(failure)
    else:
        assert failure is not None
        assert failure.part == case.helper


def test_sigmoid_overflow_is_reported_as_the_warning_it_raises() -> None:
    failure = verdict(lambda: run_disc05("sigmoid_extremes", answers05.sigmoid_naive))
    assert failure is not None and failure.result.stage == "warning"
    assert "RuntimeWarning: overflow encountered in exp" in str(failure)


def test_sigmoid_grad_nan_at_extremes_is_caught() -> None:
    def quiet_naive(x: Any) -> Any:
        with np.errstate(all="ignore"):
            return answers05.sigmoid_grad_naive(x)

    failure = verdict(lambda: run_disc05("sigmoid_grad_extremes", quiet_naive))
    assert failure is not None and failure.result.stage == "finite"


def test_gamma_times_x_fails_naming_the_exception() -> None:
    failure = verdict(
        lambda: run_disc05("ridge_data_matrix", answers05.ridge_data_matrix_gamma_times_x)
    )
    assert failure is not None
    assert failure.result.mistakes == ("ridge_matrix_gamma_times_x",)


# --- values: numbers, expressions, choices ----------------------------------------------

VALUE_HELPERS: dict[str, Callable[[object, str], None]] = {
    "grad_max": lambda v, part: hidden05.grad_max(v, part=part),
    "grad_argmax": lambda v, part: hidden05.grad_argmax(v, part=part),
    "grad_expr": lambda v, part: hidden05.grad_expr(v, part=part),
    "equal_column_norm": lambda v, part: hidden05.equal_column_norm(v, part=part),
    "ridge_prior": lambda v, part: hidden06.ridge_prior(v, part=part),
    "ridge_lambda": lambda v, part: hidden06.ridge_lambda(v, part=part),
}


def value_cases(helper: str, right: Iterable[object], wrong: Iterable[object]) -> list[Any]:
    return [
        pytest.param(
            helper, value, passes, id=f"{helper}-{'right' if passes else 'wrong'}-{value!s:.40}"
        )
        for values, passes in ((right, True), (wrong, False))
        for value in values
    ]


VALUE_CASES = [
    *value_cases("grad_max", answers05.GRAD_MAX_RIGHT, answers05.GRAD_MAX_WRONG),
    *value_cases("grad_argmax", answers05.GRAD_ARGMAX_RIGHT, answers05.GRAD_ARGMAX_WRONG),
    *value_cases("grad_expr", answers05.GRAD_EXPR_RIGHT, answers05.GRAD_EXPR_WRONG),
    *value_cases(
        "equal_column_norm", answers05.EQUAL_COLUMN_NORM_RIGHT, answers05.EQUAL_COLUMN_NORM_WRONG
    ),
    *value_cases("ridge_prior", answers06.RIDGE_PRIOR_RIGHT, answers06.RIDGE_PRIOR_WRONG),
    *value_cases("ridge_lambda", answers06.RIDGE_LAMBDA_RIGHT, answers06.RIDGE_LAMBDA_WRONG),
]


@pytest.mark.parametrize(("helper", "value", "passes"), VALUE_CASES)
def test_value_answers(helper: str, value: object, passes: bool) -> None:
    failure = verdict(lambda: VALUE_HELPERS[helper](value, helper))
    if passes:
        assert failure is None, str(failure)
    else:
        assert failure is not None and failure.part == helper


@pytest.mark.parametrize("row", disc06.INDUCTIVE_BIAS_ROWS)
@pytest.mark.parametrize(
    ("table", "wrong_rows"),
    [
        pytest.param(disc06.INDUCTIVE_BIAS_TABLE, set(), id="reference"),
        pytest.param(answers06.table_right_loosely(), set(), id="other-case-and-spaces"),
        pytest.param(
            answers06.table_with_rows_swapped(), {"convolutional", "recurrent"}, id="rows-swapped"
        ),
        pytest.param(
            answers06.table_with("fully_connected", invariance="spatial translation"),
            {"fully_connected"},
            id="fc-invariance",
        ),
        pytest.param(
            answers06.table_with("recurrent", inputs=None),
            {"recurrent"},
            id="recurrent-missing-key",
        ),
        pytest.param(
            answers06.table_with("convolutional", inductive_bias=...),
            {"convolutional"},
            id="conv-unanswered",
        ),
        pytest.param(None, set(disc06.INDUCTIVE_BIAS_ROWS), id="none"),
        pytest.param(..., set(disc06.INDUCTIVE_BIAS_ROWS), id="ellipsis"),
    ],
)
def test_inductive_bias_rows(table: object, wrong_rows: set[str], row: str) -> None:
    failure = verdict(lambda: hidden06.inductive_bias_row(table, row=row, part=row))
    assert (failure is not None) == (row in wrong_rows), str(failure)


# --- malformed answers and hostile students -----------------------------------------------


class StudentError(Exception):
    """Stands in for whatever a sandbox proxy raises when the student's code fails."""


class Proxy:
    """A callable that behaves like our grader's proxy to a sandboxed function."""

    def __init__(self, result: Any = None, error: Exception | None = None) -> None:
        self.result, self.error = result, error

    def __call__(self, *args: Any) -> Any:
        if self.error is not None:
            raise self.error
        return self.result


def _forward_returning(value: Any) -> Callable[..., Any]:
    return lambda *args: value


GOOD = lstm_mistakes.StudentLSTM()
ZEROS = np.zeros((3, 4))


@pytest.mark.parametrize(
    ("run", "says"),
    [
        pytest.param(
            lambda: hidden05.sigmoid(Proxy(None), part="p"),
            "is None: nothing was returned",
            id="returns-None",
        ),
        pytest.param(
            lambda: hidden05.sigmoid(Proxy(...), part="p"), "is still `...`", id="returns-Ellipsis"
        ),
        pytest.param(
            lambda: hidden05.sigmoid(..., part="p"),
            "sigmoid is `...`, expected a function",
            id="not-defined",
        ),
        pytest.param(
            lambda: hidden05.sigmoid(None, part="p"), "expected a function", id="function-is-None"
        ),
        pytest.param(
            lambda: hidden05.sigmoid(Proxy("0.5"), part="p"),
            "is a str, expected a numpy array",
            id="returns-str",
        ),
        pytest.param(
            lambda: hidden05.sigmoid(answers05.sigmoid_as_list, part="p", rng=rng()),
            "has shape (12,) but should have shape (3, 4)",
            id="flat-list",
        ),
        pytest.param(
            lambda: hidden05.sigmoid(Proxy(error=StudentError("boom")), part="p"),
            "sigmoid raised StudentError: boom",
            id="proxy-raises",
        ),
        pytest.param(
            lambda: hidden05.sigmoid(Proxy(error=AssertionError("x")), part="p"),
            "sigmoid raised AssertionError",
            id="raises-assertion",
        ),
        pytest.param(
            lambda: hidden05.sigmoid(Proxy(error=ValueError("y" * 1000)), part="p"),
            "yyy...",
            id="long-exception-text",
        ),
        pytest.param(
            lambda: hidden05.dropout_expected_loss(Proxy([1.0]), part="p"),
            "is a list, expected a number",
            id="loss-list",
        ),
        pytest.param(
            lambda: hidden05.grad_max(None, part="p"),
            "sigmoid_grad_max is None",
            id="grad-max-None",
        ),
        pytest.param(
            lambda: hidden05.grad_expr(..., part="p"),
            "sigmoid_grad_expr is still `...`",
            id="grad-expr-Ellipsis",
        ),
        pytest.param(
            lambda: hidden05.grad_expr("exp(-x", part="p"),
            "cannot be read: unclosed '(' at position 3",
            id="grad-expr-syntax",
        ),
        pytest.param(
            lambda: hidden06.ridge_prior(..., part="p"),
            "ridge_prior is still `...`",
            id="prior-Ellipsis",
        ),
        pytest.param(
            lambda: hidden06.lstm_forward(Proxy(None), output="h", part="p"),
            "lstm_step_forward returned None, expected a tuple (h, c, cache)",
            id="forward-None",
        ),
        pytest.param(
            lambda: hidden06.lstm_forward(Proxy((ZEROS, ZEROS)), output="h", part="p"),
            "returned 2 values, expected 3: (h, c, cache)",
            id="forward-pair",
        ),
        pytest.param(
            lambda: hidden06.lstm_forward(Proxy({"h": ZEROS}), output="h", part="p"),
            "returned a dict, expected a tuple",
            id="forward-dict",
        ),
        pytest.param(
            lambda: hidden06.lstm_forward(Proxy((None, None, None)), output="c", part="p"),
            "c of lstm_step_forward is None",
            id="forward-Nones",
        ),
        pytest.param(
            lambda: hidden06.lstm_forward(Proxy(error=StudentError("no")), output="h", part="p"),
            "lstm_step_forward raised StudentError: no",
            id="forward-raises",
        ),
        pytest.param(
            lambda: hidden06.lstm_backward(GOOD.forward, Proxy(None), part="dx"),
            "lstm_step_backward returned None",
            id="backward-None",
        ),
        pytest.param(
            lambda: hidden06.lstm_backward(GOOD.forward, Proxy((ZEROS,) * 5), part="dx"),
            "returned 5 values, expected 6: (dx, dh_prev, dc_prev, dWx, dWh, db)",
            id="backward-5",
        ),
        pytest.param(
            lambda: hidden06.lstm_backward(GOOD.forward, Proxy((...,) * 6), part="db"),
            "db is still `...`",
            id="backward-Ellipses",
        ),
        pytest.param(
            lambda: hidden06.lstm_backward(
                GOOD.forward, Proxy(error=StudentError("bad")), part="dWh"
            ),
            "lstm_step_backward raised StudentError: bad",
            id="backward-raises",
        ),
        pytest.param(
            lambda: hidden06.lstm_backward(Proxy(error=KeyError("k")), GOOD.backward, part="dx"),
            "lstm_step_forward raised KeyError",
            id="backward-forward-raises",
        ),
        pytest.param(
            lambda: hidden06.inductive_bias_row("units", row="recurrent", part="p"),
            "is a str, expected a dict",
            id="table-str",
        ),
    ],
)
def test_malformed_answers_fail_with_a_clear_message(run: Callable[[], None], says: str) -> None:
    failure = verdict(run)
    assert failure is not None
    assert says in str(failure), str(failure)
    assert len(str(failure)) < 600


def test_student_warnings_do_not_leak_or_fail_outside_the_extremes_check() -> None:
    def chatty(x: Any) -> Any:
        warnings.warn("student says hello", UserWarning, stacklevel=1)
        return disc05.sigmoid(x)

    # Warnings are errors in this test run: a leaked warning would fail the test.
    hidden05.sigmoid(chatty, part="p", rng=rng())
    failure = verdict(lambda: hidden05.sigmoid_extremes(chatty, part="p", rng=rng()))
    assert failure is not None and "UserWarning: student says hello" in str(failure)


def test_each_call_draws_fresh_inputs() -> None:
    seen: list[np.ndarray] = []

    def recorder(x: Any) -> Any:
        seen.append(np.array(x))
        return disc05.sigmoid(x)

    hidden05.sigmoid(recorder, part="p")
    hidden05.sigmoid(recorder, part="p")
    assert len(seen) == 6
    assert not np.array_equal(seen[0], seen[3])


def test_students_cannot_spoil_the_inputs_by_writing_into_them() -> None:
    def vandal_forward(x: Any, h_prev: Any, c_prev: Any, Wx: Any, Wh: Any, b: Any) -> Any:
        result = disc06.lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b)
        for array in (x, h_prev, c_prev, Wx, Wh, b):
            array[...] = 0.0
        return result

    hidden06.lstm_forward(vandal_forward, output="c", part="c", rng=rng())


@pytest.mark.parametrize(
    "run",
    [
        pytest.param(
            lambda: hidden06.lstm_backward(GOOD.forward, GOOD.backward, part="dz"),
            id="unknown-gradient",
        ),
        pytest.param(
            lambda: hidden06.lstm_forward(GOOD.forward, output="cache", part="p"),
            id="unknown-output",
        ),
        pytest.param(
            lambda: hidden06.inductive_bias_row({}, row="graph", part="p"), id="unknown-row"
        ),
    ],
)
def test_instructor_mistakes_raise_value_error_not_check_failed(run: Callable[[], None]) -> None:
    with pytest.raises(ValueError):
        run()


# --- margins: how far apart right and wrong code are, per check --------------------------

MARGIN_SEEDS = range(4)


@dataclass
class Margin:
    tolerance: float
    correct: list[float]
    mistakes: list[float]
    other_stage: list[str]


def _measure(
    margins: dict[str, Margin], check: str, tolerance: float, run: Callable[[], None], correct: bool
) -> None:
    margin = margins.setdefault(check, Margin(tolerance, [], [], []))
    with recording() as results:
        failure = verdict(run)
    assert (failure is None) == correct, (check, str(failure))
    if correct:
        margin.correct.extend(r.error for r in results if r.error is not None)
    else:
        last: CheckResult = results[-1]
        if last.error is None or last.stage != "close":
            margin.other_stage.append(last.stage)
        else:
            margin.mistakes.append(last.error)


def _measure_finite_differences(margins: dict[str, Margin]) -> None:
    """The diagnosis threshold: a gradient against finite differences of its own forward."""
    margin = margins.setdefault("lstm gradient vs own forward FD", Margin(DEFAULT_RTOL, [], [], []))
    backward_bugs = [m for m in lstm_mistakes.MISTAKES if m.fails and not m.fails & {"h", "c"}]
    for seed in MARGIN_SEEDS:
        problem = random_lstm_problem(rng(seed))
        for implementation in (*LSTM_IMPLEMENTATIONS[:3], *backward_bugs):
            student = implementation()
            _, _, cache = student.forward(*problem.inputs())
            gradients = student.backward(problem.dh, problem.dc_next, cache)
            for position, gradient in enumerate(LSTM_GRADIENTS):
                numeric = lstm_numeric_gradient(student.forward, problem, gradient)
                given = np.asarray(gradients[position], dtype=float)
                if given.shape != numeric.shape:
                    continue
                error = relative_error(given, numeric)
                if gradient in implementation.fails:
                    margin.mistakes.append(error)
                else:
                    margin.correct.append(error)


def test_margins_between_right_and_wrong_code(capsys: pytest.CaptureFixture[str]) -> None:
    margins: dict[str, Margin] = {}
    for seed in MARGIN_SEEDS:
        for implementation in LSTM_IMPLEMENTATIONS:
            for part in LSTM_PARTS:
                correct = part not in implementation.fails
                run = partial(run_lstm_part, implementation(), part, seed)
                _measure(margins, f"lstm {part}", DEFAULT_RTOL, run, correct)
                if not correct:  # each mistake's smallest error over the credits it loses
                    _measure(margins, f"  {implementation.__name__}", DEFAULT_RTOL, run, False)
        for case in DISC05_CASES:
            run = partial(run_disc05, case.helper, case.student, seed)
            _measure(margins, case.helper, DEFAULT_RTOL, run, case.passes)
    for helper in ("grad_max", "grad_argmax", "grad_expr", "equal_column_norm", "ridge_lambda"):
        tolerance = (
            POINT_RTOL
            if helper in ("grad_expr", "equal_column_norm", "ridge_lambda")
            else DEFAULT_RTOL
        )
        for param in VALUE_CASES:
            name, value, passes = param.values
            if name == helper:
                run = partial(VALUE_HELPERS[helper], value, helper)
                _measure(margins, helper, tolerance, run, passes)

    _measure_finite_differences(margins)
    header = f"{'check':32} {'tolerance':>9} {'largest correct':>16} {'smallest mistake':>17}"
    lines = [f"{header}  other stages"]
    for check, margin in margins.items():
        largest = max(margin.correct, default=float("nan"))
        smallest = min(margin.mistakes, default=float("nan"))
        others = ", ".join(sorted(set(margin.other_stage))) or "-"
        lines.append(
            f"{check:32} {margin.tolerance:9.0e} {largest:16.1e} {smallest:17.1e}  {others}"
        )
        assert largest <= margin.tolerance or not margin.correct, check
        assert smallest > 100 * margin.tolerance or not margin.mistakes, check
    with capsys.disabled():
        print("\n" + "\n".join(lines))
