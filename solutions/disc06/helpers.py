"""Hidden-test helpers for disc06 (inductive biases, LSTM gradients).

Each helper takes the student's object (a function or a value) and the
keyword ``part``; it returns None when the answer is right and raises
``CheckFailed`` otherwise. ``rng`` is for tests only: by default every call
draws fresh random inputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import numpy as np
import numpy.typing as npt

from autograder.checks.choices import check_choice, check_choice_row
from autograder.checks.numeric import check_array
from autograder.checks.symbolic import POSITIVE, check_expression
from autograder.hidden import name_mistakes, recognize_choice, recognize_expression
from autograder.hidden import call_student, fresh_generator, require, unpack

import reference
from lstm import (
    LSTM_GRADIENTS,
    LSTMProblem,
    check_lstm_gradient,
    random_lstm_problem,
    student_numeric_gradient,
)
from mistakes import CATALOG, TABLE_ROWS, recognize_lstm

Generator = np.random.Generator
FloatArray = npt.NDArray[np.float64]

# Several independent draws: one lucky draw must not hide a bug (CONTENT.md).
TRIALS = 3
FORWARD_OUTPUTS = ("h", "c", "cache")
LAMBDA_DOMAIN = {"sigma": POSITIVE, "tau": POSITIVE}


def ridge_prior(ridge_prior: object, *, part: str) -> None:
    result = check_choice(
        ridge_prior,
        reference.RIDGE_PRIOR,
        options=reference.RIDGE_PRIOR_OPTIONS,
        name="ridge_prior",
    )
    if not result.passed:
        result = name_mistakes(
            result, "ridge_prior", recognize_choice(CATALOG["ridge_prior"], ridge_prior)
        )
    require(result, part)


def ridge_lambda(ridge_lambda: object, *, part: str) -> None:
    result = check_expression(
        ridge_lambda,
        reference.ridge_lambda,
        domain=LAMBDA_DOMAIN,
        name="ridge_lambda",
    )
    if not result.passed and result.stage == "close":
        found = recognize_expression(CATALOG["ridge_lambda"], ridge_lambda, LAMBDA_DOMAIN)
        result = name_mistakes(result, "ridge_lambda", found)
    require(result, part)


def inductive_bias_row(inductive_bias_table: object, *, row: str, part: str) -> None:
    if row not in reference.INDUCTIVE_BIAS_ROWS:
        raise ValueError(f"row must be one of {reference.INDUCTIVE_BIAS_ROWS}, not {row!r}")
    result = check_choice_row(
        inductive_bias_table,
        reference.INDUCTIVE_BIAS_TABLE,
        row=row,
        options=reference.INDUCTIVE_BIAS_OPTIONS,
        name="inductive_bias_table",
    )
    if not result.passed and result.stage == "close":
        found = tuple(
            mistake
            for mistake in TABLE_ROWS[row]
            if check_choice_row(inductive_bias_table, {row: mistake.variant()}, row=row).passed
        )
        result = name_mistakes(result, f"inductive_bias_table[{row!r}]", found)
    require(result, part)


def lstm_forward(
    lstm_step_forward: object, *, output: str, part: str, rng: Generator | None = None
) -> None:
    """``output`` ("h" or "c") of the student's forward step against the reference."""
    if output not in ("h", "c"):
        raise ValueError(f"output must be 'h' or 'c', not {output!r}")
    generator = fresh_generator(rng)
    for _ in range(TRIALS):
        problem = random_lstm_problem(generator)
        h, c, _ = _student_forward(lstm_step_forward, problem, part)
        expected_h, expected_c, _ = reference.lstm_step_forward(*problem.inputs())
        student, expected = (h, expected_h) if output == "h" else (c, expected_c)
        result = check_array(student, expected, name=f"{output} of lstm_step_forward")
        if not result.passed:
            found = recognize_lstm(output, {"h": h, "c": c}, problem)
            result = name_mistakes(result, output, found)
        require(result, part)


def lstm_backward(
    lstm_step_forward: object,
    lstm_step_backward: object,
    *,
    part: str,
    rng: Generator | None = None,
) -> None:
    """The gradient named ``part`` (dx, dh_prev, dc_prev, dWx, dWh or db), through the
    student's own forward cache, against the reference and finite differences."""
    if part not in LSTM_GRADIENTS:
        raise ValueError(f"part must be one of {LSTM_GRADIENTS}, not {part!r}")
    position = LSTM_GRADIENTS.index(part)
    generator = fresh_generator(rng)
    for _ in range(TRIALS):
        problem = random_lstm_problem(generator)
        h, c, cache = _student_forward(lstm_step_forward, problem, part)
        returned = call_student(
            lstm_step_backward,
            "lstm_step_backward",
            problem.dh.copy(),
            problem.dc_next.copy(),
            cache,
            part=part,
        )
        gradients = unpack(returned.value, LSTM_GRADIENTS, "lstm_step_backward", part)
        _, _, reference_cache = reference.lstm_step_forward(*problem.inputs())
        expected = reference.lstm_step_backward(problem.dh, problem.dc_next, reference_cache)
        result = check_lstm_gradient(
            part,
            gradients[position],
            expected[position],
            partial(student_numeric_gradient, lstm_step_forward, problem, part),
            hidden_size=problem.h_prev.shape[1],
        )
        if not result.passed:
            outputs = {"h": h, "c": c, **dict(zip(LSTM_GRADIENTS, gradients, strict=True))}
            found = recognize_lstm(part, outputs, problem)
            result = name_mistakes(result, part, found, _right_gradients(gradients, expected))
        require(result, part)


def _right_gradients(gradients: Sequence[object], expected: Sequence[FloatArray]) -> str:
    """Which of the six gradients are right on this draw, as a sentence."""
    right = [
        name
        for name, given, correct in zip(LSTM_GRADIENTS, gradients, expected, strict=True)
        if check_array(given, correct, name=name).passed
    ]
    wrong = [name for name in LSTM_GRADIENTS if name not in right]
    if not right:
        return "None of the six gradients is right."
    verb = {1: "is"}
    return (
        f"Of the six gradients, {', '.join(right)} {verb.get(len(right), 'are')} right "
        f"and {', '.join(wrong)} {verb.get(len(wrong), 'are')} not."
    )


def _student_forward(forward: object, problem: LSTMProblem, part: str) -> tuple[object, ...]:
    returned = call_student(forward, "lstm_step_forward", *problem.inputs(), part=part)
    return unpack(returned.value, FORWARD_OUTPUTS, "lstm_step_forward", part)
