"""Choice checks: single strings and rows of the inductive-bias table."""

from __future__ import annotations

import pytest
from course import course
from mistakes import disc06 as answers

from autograder.checks.choices import check_choice, check_choice_row, normalize_choice

disc06 = course("disc06", "reference")

OPTIONS = disc06.RIDGE_PRIOR_OPTIONS


def test_normalize_choice_ignores_case_and_surrounding_spaces_only() -> None:
    assert normalize_choice("  Gaussian\t") == "gaussian"
    assert normalize_choice("grid  elements") != normalize_choice("grid elements")


@pytest.mark.parametrize("answer", answers.RIDGE_PRIOR_RIGHT)
def test_check_choice_accepts_the_right_option_however_written(answer: str) -> None:
    assert check_choice(answer, "gaussian", options=OPTIONS).passed


@pytest.mark.parametrize(
    ("answer", "stage", "says"),
    [
        pytest.param("laplace", "close", "'laplace' is not the right choice", id="wrong-option"),
        pytest.param("normal", "options", "not one of the options ('gaussian'", id="not-an-option"),
        pytest.param(None, "type", "is None", id="none"),
        pytest.param(..., "type", "still `...`", id="ellipsis"),
        pytest.param(1, "type", "is a int, expected a string ('gaussian'", id="int"),
        pytest.param(["gaussian"], "type", "is a list", id="list"),
    ],
)
def test_check_choice_rejects_with_a_reason(answer: object, stage: str, says: str) -> None:
    result = check_choice(answer, "gaussian", options=OPTIONS, name="ridge_prior")
    assert not result.passed
    assert result.stage == stage
    assert says in result.message


def test_check_choice_without_options_only_compares() -> None:
    assert check_choice(" Yes", "yes").passed
    result = check_choice("no", "yes")
    assert not result.passed and "not the right choice" in result.message


def test_a_wrong_choice_does_not_reveal_the_right_one() -> None:
    result = check_choice("laplace", "gaussian", name="ridge_prior")
    assert "gaussian" not in result.message


# --- rows of a table ------------------------------------------------------------------


def _row(table: object, row: str) -> object:
    return check_choice_row(
        table,
        disc06.INDUCTIVE_BIAS_TABLE,
        row=row,
        options=disc06.INDUCTIVE_BIAS_OPTIONS,
        name="inductive_bias_table",
    )


@pytest.mark.parametrize("row", disc06.INDUCTIVE_BIAS_ROWS)
def test_right_rows_pass_in_any_case_and_spacing(row: str) -> None:
    assert _row(disc06.INDUCTIVE_BIAS_TABLE, row)
    assert _row(answers.table_right_loosely(), row)


def test_row_keys_match_ignoring_case_and_spaces() -> None:
    table = {
        " Recurrent ": {
            key.upper(): v for key, v in disc06.INDUCTIVE_BIAS_TABLE["recurrent"].items()
        }
    }
    assert _row(table, "recurrent")


def test_a_wrong_entry_is_named_without_its_right_value() -> None:
    table = answers.table_with("convolutional", invariance="time translation")
    result = check_choice_row(table, disc06.INDUCTIVE_BIAS_TABLE, row="convolutional")
    assert not result.passed
    assert result.message == "your table, row 'convolutional': wrong: invariance"
    assert "spatial" not in result.message
    assert _row(table, "recurrent") and _row(table, "fully_connected")


def test_every_problem_of_a_row_is_listed() -> None:
    table = answers.table_with(
        "recurrent",
        inputs=3,
        interactions="local",
        invariance="translation",
        inductive_bias=None,
        invariances="time translation",
    )
    result = _row(table, "recurrent")
    assert not result.passed
    for part in (
        "wrong: interactions",
        "missing: inductive_bias",
        "not a string: inputs (a int)",
        "not an option: invariance ('translation')",
        "unexpected keys: 'invariances'",
    ):
        assert part in result.message


def test_swapped_rows_fail_both_rows_and_pass_the_third() -> None:
    table = answers.table_with_rows_swapped()
    assert not _row(table, "convolutional")
    assert not _row(table, "recurrent")
    assert _row(table, "fully_connected")


@pytest.mark.parametrize(
    ("table", "says"),
    [
        pytest.param(None, "is None", id="none"),
        pytest.param(..., "still `...`", id="ellipsis"),
        pytest.param(
            [["units"]], "is a list, expected a dict with the keys fully_connected", id="list"
        ),
        pytest.param({"fully_connected": {}}, "has no row 'recurrent'", id="missing-row"),
        pytest.param(
            {"recurrent": "timesteps"}, "['recurrent'] is a str, expected a dict", id="row-not-dict"
        ),
        pytest.param({"recurrent": ...}, "['recurrent'] is `...`", id="row-ellipsis"),
        pytest.param(
            {"recurrent": {"inputs": ..., "interactions": None}},
            "missing: inputs, interactions, invariance, inductive_bias",
            id="row-unanswered",
        ),
    ],
)
def test_malformed_tables_fail_with_a_message(table: object, says: str) -> None:
    result = _row(table, "recurrent")
    assert not result.passed
    assert says in result.message
