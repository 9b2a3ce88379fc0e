"""`autograder grade` on the demo's typical-mistake examples: through the sandbox, every
planted mistake is named in the feedback of each part it loses."""

from __future__ import annotations

from typing import Any

import pytest
from course import course

CATALOG = course("disc05", "mistakes").CATALOG
LSTM_MISTAKES = course("disc06", "mistakes").LSTM_MISTAKES

pytestmark = pytest.mark.slow

Graded = dict[str, dict[str, dict[str, Any]]]

TITLES = {m.name: m.title for mistakes in CATALOG.values() for m in mistakes} | {
    m.name: m.title for m in LSTM_MISTAKES
}

# (assignment, example) -> part -> (the subject, the known mistake its feedback names)
PLANTED = {
    ("disc05", "mistake-sigmoid_overflows"): {
        "q1a_sigmoid: sigmoid_extremes": ("sigmoid", "sigmoid_overflows"),
        "q1a_sigmoid: sigmoid_grad_extremes": ("sigmoid_grad", "sigmoid_grad_inherits_overflow"),
    },
    ("disc05", "mistake-jacobian_without_identity"): {
        "q1c": ("residual_jacobian", "jacobian_without_identity"),
    },
    ("disc05", "mistake-gamma_without_factor"): {
        "q2a: tikhonov_gamma": ("tikhonov_gamma", "gamma_without_factor"),
    },
    ("disc06", "mistake-dc_prev_without_forget_gate"): {
        "q2_backward: dc_prev": ("dc_prev", "dc_prev_without_forget_gate"),
    },
    ("disc06", "mistake-db_averaged"): {
        "q2_backward: db": ("db", "db_averaged"),
    },
}


@pytest.mark.parametrize(("assignment", "example"), sorted(PLANTED), ids=str)
def test_demo_mistakes_are_named_in_the_feedback(
    graded_examples: Graded, assignment: str, example: str
) -> None:
    tests = {t["name"]: t for t in graded_examples[assignment][example]["tests"]}
    failed = {name for name, test in tests.items() if test.get("status") == "failed"}
    assert failed == set(PLANTED[(assignment, example)])
    for part, (subject, mistake) in PLANTED[(assignment, example)].items():
        output = tests[part]["output"]
        assert output.startswith(f"{subject} matches a known mistake, {TITLES[mistake]}: "), output
        assert output.count("known mistake") == 1, output
        assert tests[part]["extra_data"]["mistakes"] == [mistake]  # for the class report


def test_the_dc_prev_feedback_names_the_forget_gate_and_the_right_gradients(
    graded_examples: Graded,
) -> None:
    example = graded_examples["disc06"]["mistake-dc_prev_without_forget_gate"]
    tests = {t["name"]: t for t in example["tests"]}
    output = tests["q2_backward: dc_prev"]["output"]
    assert "the gradient without the forget gate" in output
    assert "Of the six gradients, dx, dh_prev, dWx, dWh, db are right and dc_prev is not." in output
