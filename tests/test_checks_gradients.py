"""Gradient-check helpers: finite differences, and the diagnosis a mismatch gets."""

from __future__ import annotations

import numpy as np
import pytest
from course import course
from mistakes import lstm as lstm_mistakes

from autograder.checks.gradients import central_difference
from autograder.checks.numeric import relative_error

disc06 = course("disc06", "reference")
lstm = course("disc06", "lstm")
LSTM_GRADIENTS = lstm.LSTM_GRADIENTS
check_lstm_gradient = lstm.check_lstm_gradient
lstm_numeric_gradient = lstm.lstm_numeric_gradient
random_lstm_problem = lstm.random_lstm_problem
student_numeric_gradient = lstm.student_numeric_gradient


def test_central_difference_of_a_known_function() -> None:
    point = np.array([[0.3, -1.2], [2.0, 0.5]])
    numeric = central_difference(lambda v: float(np.sum(np.sin(v) * v)), point)
    assert relative_error(numeric, np.cos(point) * point + np.sin(point)) < 1e-9


def test_central_difference_leaves_its_argument_unchanged() -> None:
    point = np.array([1.0, 2.0])
    central_difference(lambda v: float(v @ v), point)
    assert point.tolist() == [1.0, 2.0]


def test_lstm_problem_has_the_contract_shapes_with_d_not_4h() -> None:
    problem = random_lstm_problem(np.random.default_rng(0))
    assert problem.x.shape == (3, 5) and problem.h_prev.shape == (3, 4)
    assert problem.Wx.shape == (5, 16) and problem.Wh.shape == (4, 16)
    assert problem.b.shape == (16,)


def _diagnose(student: lstm_mistakes.StudentLSTM, gradient: str, seed: int = 0) -> str:
    problem = random_lstm_problem(np.random.default_rng(seed))
    _, _, cache = student.forward(*problem.inputs())
    given = student.backward(problem.dh, problem.dc_next, cache)
    _, _, reference_cache = disc06.lstm_step_forward(*problem.inputs())
    expected = disc06.lstm_step_backward(problem.dh, problem.dc_next, reference_cache)
    position = LSTM_GRADIENTS.index(gradient)
    result = check_lstm_gradient(
        gradient,
        given[position],
        expected[position],
        lambda: student_numeric_gradient(student.forward, problem, gradient),
    )
    assert not result.passed
    return result.message


def test_a_consistent_but_wrong_lstm_is_sent_to_its_forward_pass() -> None:
    message = _diagnose(lstm_mistakes.GateOrderIFGO(), "dx")
    assert "consistent with finite differences of your own lstm_step_forward" in message
    assert "gate order i, f, o, g" in message


def test_a_wrong_backward_under_a_right_forward_is_sent_to_the_backward_pass() -> None:
    message = _diagnose(lstm_mistakes.OutputGradientUsesC(), "dWh")
    assert "your lstm_step_forward is right" in message
    assert "the bug is in lstm_step_backward" in message


def test_wrong_forward_and_wrong_backward_are_both_reported() -> None:
    class Both(lstm_mistakes.GateOrderIFGO, lstm_mistakes.BiasGradientAveraged):
        pass

    message = _diagnose(Both(), "db")
    assert "the bug is in lstm_step_backward" in message
    assert "forward pass differs" in message


def test_a_shape_error_is_reported_without_finite_differences() -> None:
    calls: list[int] = []

    def numeric() -> None:
        calls.append(1)

    result = check_lstm_gradient("dWx", np.zeros((16, 5)), np.ones((5, 16)), numeric)
    assert result.stage == "shape" and calls == []


def test_finite_differences_are_skipped_when_the_students_forward_is_unusable() -> None:
    problem = random_lstm_problem(np.random.default_rng(0))

    def broken(*args: object) -> None:
        raise ZeroDivisionError

    def warns(*args: object) -> tuple[np.ndarray, np.ndarray, None]:
        return np.exp(np.full((3, 4), 1e4)), np.zeros((3, 4)), None

    assert student_numeric_gradient(broken, problem, "dx") is None
    assert student_numeric_gradient(warns, problem, "dx") is None  # overflow -> inf
    assert student_numeric_gradient(None, problem, "dx") is None
    result = check_lstm_gradient(
        "dx",
        np.ones((3, 5)),
        np.zeros((3, 5)),
        lambda: student_numeric_gradient(broken, problem, "dx"),
    )
    assert result.stage == "close" and "finite differences" not in result.message


@pytest.mark.parametrize("gradient", LSTM_GRADIENTS)
def test_student_finite_differences_of_a_right_forward_match_the_reference(gradient: str) -> None:
    problem = random_lstm_problem(np.random.default_rng(4))
    student = lstm_mistakes.LoopLSTM()  # returns lists from its forward
    numeric = student_numeric_gradient(student.forward, problem, gradient)
    _, _, cache = disc06.lstm_step_forward(*problem.inputs())
    expected = disc06.lstm_step_backward(problem.dh, problem.dc_next, cache)
    assert numeric is not None
    assert relative_error(numeric, expected[LSTM_GRADIENTS.index(gradient)]) < 1e-8
    reference_numeric = lstm_numeric_gradient(disc06.lstm_step_forward, problem, gradient)
    assert relative_error(numeric, reference_numeric) < 1e-8


@pytest.mark.parametrize(("column", "gate"), [(0, "i"), (5, "f"), (11, "o"), (15, "g")])
def test_a_wrong_entry_of_a_4h_wide_gradient_is_placed_in_its_gate_block(
    column: int, gate: str
) -> None:
    expected = np.ones((5, 16))
    given = expected.copy()
    given[3, column] += 1.0
    result = check_lstm_gradient("dWx", given, expected, lambda: None, hidden_size=4)
    start = "ifog".index(gate) * 4
    assert result.message.endswith(
        f"at index [3, {column}], in the block of the {gate} gate (columns {start}:{start + 4})"
    )
    without_size = check_lstm_gradient("dWx", given, expected, lambda: None)
    assert "gate" not in without_size.message
