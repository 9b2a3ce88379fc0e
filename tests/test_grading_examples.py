"""`autograder grade` on the bundled examples: the contract of results.json and scores.csv.

Expected scores are written out by hand from the points in the master
notebooks and from which parts each planted mistake breaks.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

pytestmark = pytest.mark.slow

Graded = dict[str, dict[str, dict[str, Any]]]

DISC05_PARTS = {
    "q1a_sigmoid: sigmoid": 1,
    "q1a_sigmoid: sigmoid_extremes": 1,
    "q1a_sigmoid: sigmoid_grad": 1,
    "q1a_sigmoid: sigmoid_grad_extremes": 1,
    "q1a_max: max": 1,
    "q1a_max: argmax": 1,
    "q1a_max: expr": 1,
    "q1b": 2,
    "q1c": 2,
    "q2_loss": 2,
    "q2a: dropout_to_tikhonov": 1,
    "q2a: tikhonov_gamma": 1,
    "q2b": 2,
    "q2c: column_norms": 1,
    "q2c: equal_column_norm": 1,
    # written questions: 0/0 entries pointing to the staff's manual grading
    "q1a_relu: written answer": 0,
    "q1c_written: written answer": 0,
    "q2c_written: written answer": 0,
}
DISC06_PARTS = {
    "q1a: ridge_prior": 1,
    "q1a: ridge_lambda": 1,
    "q1b: fully_connected": 1,
    "q1b: convolutional": 1,
    "q1b: recurrent": 1,
    "q2_forward: h": 1,
    "q2_forward: c": 1,
    **{f"q2_backward: {g}": 1 for g in ("dx", "dh_prev", "dc_prev", "dWx", "dWh", "db")},
    "q1a_written: written answer": 0,
    "q2_written: written answer": 0,
}
PARTS = {"disc05": DISC05_PARTS, "disc06": DISC06_PARTS}

# (assignment, example) -> the parts that must lose their credit; all others keep it.
LOST = {
    ("disc05", "solution"): set(),
    ("disc05", "blank"): {p for p, points in DISC05_PARTS.items() if points},
    ("disc05", "mistakes"): {
        "q1a_sigmoid: sigmoid_extremes",  # overflow warning at -1000
        "q1a_sigmoid: sigmoid_grad_extremes",  # sigmoid_grad calls the overflowing sigmoid
        "q1c",  # Jacobian without the identity
        "q2a: tikhonov_gamma",  # no sqrt((1 - p) / p)
    },
    ("disc05", "partial"): set(DISC05_PARTS)
    - {p for p in DISC05_PARTS if p.startswith(("q1a_sigmoid", "q1a_max", "q1b"))},
    ("disc06", "solution"): set(),
    ("disc06", "blank"): {p for p, points in DISC06_PARTS.items() if points},
    ("disc06", "lstm_mistakes"): {"q2_backward: dc_prev", "q2_backward: db"},
    ("disc06", "partial"): {
        "q1b: convolutional",
        "q1b: recurrent",
        *(f"q2_backward: {g}" for g in ("dx", "dh_prev", "dc_prev", "dWx", "dWh", "db")),
    },
}


@pytest.mark.parametrize(("assignment", "example"), sorted(LOST), ids=lambda v: str(v))
def test_each_part_scores_as_expected(
    graded_examples: Graded, assignment: str, example: str
) -> None:
    results = graded_examples[assignment][example]
    got = {test["name"]: test.get("score", 0) for test in results["tests"]}  # written: none
    expected = {
        name: 0 if name in LOST[(assignment, example)] else points
        for name, points in PARTS[assignment].items()
    }
    assert got == expected
    assert results["score"] == sum(expected.values())


@pytest.mark.parametrize("assignment", ["disc05", "disc06"])
def test_results_follow_gradescope_format(graded_examples: Graded, assignment: str) -> None:
    for stem, results in graded_examples[assignment].items():
        if stem == "__csv__":
            continue
        assert set(results) == {"score", "execution_time", "output", "tests", "extra_data"}
        assert results["extra_data"]["assignment"] == assignment
        assert results["extra_data"]["incidents"] == []
        assert results["execution_time"] > 0
        # every autograded part appears with its full max_score, defined or not
        assert {t["name"]: t.get("max_score", 0) for t in results["tests"]} == PARTS[assignment]
        for test in results["tests"]:
            assert test["output"], f"{stem}: {test['name']} has no feedback"
            if test.get("extra_data", {}).get("manual"):  # shown, never "passed" or scored
                assert set(test) == {"name", "output", "output_format", "visibility", "extra_data"}
                continue
            fields = {"name", "score", "max_score", "status", "output", "visibility"}
            assert set(test) - {"extra_data"} == fields
            assert test["status"] == ("passed" if test["score"] == test["max_score"] else "failed")


def test_failed_parts_say_what_is_wrong(graded_examples: Graded) -> None:
    tests = {t["name"]: t for t in graded_examples["disc06"]["lstm_mistakes"]["tests"]}
    assert "db" in tests["q2_backward: db"]["output"]
    assert "relative error" in tests["q2_backward: db"]["output"]
    blank = {t["name"]: t for t in graded_examples["disc06"]["blank"]["tests"]}
    assert "returned None" in blank["q2_forward: h"]["output"]
    assert "..." in blank["q1a: ridge_prior"]["output"]


def test_failures_never_show_the_reference_answer(graded_examples: Graded) -> None:
    for assignment in ("disc05", "disc06"):
        for stem, results in graded_examples[assignment].items():
            if stem == "__csv__":
                continue
            for test in results["tests"]:
                if test.get("extra_data", {}).get("manual"):
                    continue  # a written entry shows the student's own answer, whatever it says
                text = test["output"].lower()
                for answer in ("sigma**2/tau**2", "sqrt(p/(1 - p))", "'gaussian'", "1/4"):
                    assert answer not in text, (stem, test["name"], test["output"])


def test_scores_csv_has_one_row_per_submission(graded_examples: Graded) -> None:
    rows = list(csv.DictReader(io.StringIO(graded_examples["disc06"]["__csv__"]["text"])))
    assert [row["file"] for row in rows] == ["blank", "lstm_mistakes", "partial", "solution"]
    assert list(rows[0]) == ["file", "q1a", "q1b", "q2_forward", "q2_backward", "total", "max"]
    by_file = {row["file"]: row for row in rows}
    assert by_file["lstm_mistakes"]["q2_backward"] == "4"
    assert by_file["lstm_mistakes"]["total"] == "11"
    assert by_file["partial"]["total"] == "5"
    assert {row["max"] for row in rows} == {"13"}
