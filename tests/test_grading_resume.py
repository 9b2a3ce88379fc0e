"""Which results files a rerun keeps, and that every results file is written atomically."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from autograder.grading import resume
from autograder.grading.results import SubmissionResult, zero_result
from autograder.grading.resume import (
    finished_result,
    remove_stale_temporaries,
    stamp_of,
    write_atomically,
    write_result,
)
from autograder.grading.spec import AssignmentSpec, load_spec_from


def make_spec(folder: Path, hidden_code: str = '>>> h.check(f, part="a")\n') -> AssignmentSpec:
    tests = folder / "tests"
    tests.mkdir(parents=True, exist_ok=True)
    cases = [
        {"code": hidden_code, "hidden": True, "points": 1},
        {"code": '>>> h.check(f, part="b")\n', "hidden": True, "points": 2},
    ]
    test = {"name": "q1", "points": 3, "suites": [{"cases": cases, "type": "doctest"}]}
    (tests / "q1.py").write_text(f"OK_FORMAT = True\n\ntest = {test!r}\n")
    manifest = {
        "assignment": "hw",
        "questions": [{"name": "q1", "points": 3}, {"name": "essay", "points": 2, "manual": True}],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return load_spec_from(tests, folder / "manifest.json")


@pytest.fixture
def spec(tmp_path: Path) -> AssignmentSpec:
    return make_spec(tmp_path / "course")


@pytest.fixture
def submission(tmp_path: Path) -> Path:
    path = tmp_path / "alice.ipynb"
    path.write_text('{"cells": [], "nbformat": 4}')
    return path


def graded(spec: AssignmentSpec) -> SubmissionResult:
    result = zero_result(spec, "alice", "nothing to grade")
    result.tests[1].score = 2.0  # part b passed
    result.isolation = {"held": {"network": "private namespace"}, "missing": {}}
    return result


def test_a_stamped_result_of_the_same_submission_is_kept(
    spec: AssignmentSpec, submission: Path, tmp_path: Path
) -> None:
    path = tmp_path / "alice.json"
    write_result(path, graded(spec), stamp_of(spec, submission))
    kept = finished_result(spec, path, stamp_of(spec, submission))
    assert kept is not None
    assert kept.question_scores() == graded(spec).question_scores() == {"q1": 2.0}
    assert [(t.name, t.manual) for t in kept.tests] == [
        ("q1: a", False),
        ("q1: b", False),
        ("essay: written answer", True),
    ]
    assert [i.kind for i in kept.incidents] == ["unreadable"]
    assert kept.isolation == graded(spec).isolation  # the staff's summary line reads it


def test_a_changed_submission_is_graded_again(
    spec: AssignmentSpec, submission: Path, tmp_path: Path
) -> None:
    path = tmp_path / "alice.json"
    write_result(path, graded(spec), stamp_of(spec, submission))
    submission.write_text('{"cells": [], "nbformat": 4, "metadata": {}}')
    assert finished_result(spec, path, stamp_of(spec, submission)) is None


def test_a_result_graded_by_other_tests_is_graded_again(
    spec: AssignmentSpec, submission: Path, tmp_path: Path
) -> None:
    path = tmp_path / "alice.json"
    write_result(path, graded(spec), stamp_of(spec, submission))
    rebuilt = make_spec(tmp_path / "rebuilt", hidden_code='>>> h.check(g, part="a")\n')
    assert finished_result(rebuilt, path, stamp_of(rebuilt, submission)) is None


def test_the_same_bytes_under_another_name_are_graded_again(
    spec: AssignmentSpec, submission: Path, tmp_path: Path
) -> None:
    path = tmp_path / "alice.json"
    write_result(path, graded(spec), stamp_of(spec, submission))
    other = tmp_path / "bob.ipynb"
    other.write_bytes(submission.read_bytes())
    assert finished_result(spec, path, stamp_of(spec, other)) is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # cut short (not written by us: ours are atomic)
        lambda text: "",
        lambda text: text.replace('"graded"', '"ungraded"'),
        lambda text: text.replace('"q1: a"', '"q9: a"'),
        lambda text: text.replace('"score": 2.0', '"score": "two"'),
        lambda text: "[]",
    ],
    ids=["truncated", "empty", "no-stamp", "unknown-test", "bad-score", "not-a-result"],
)
def test_a_damaged_results_file_is_graded_again(
    spec: AssignmentSpec, submission: Path, tmp_path: Path, damage: Callable[[str], str]
) -> None:
    path = tmp_path / "alice.json"
    write_result(path, graded(spec), stamp_of(spec, submission))
    path.write_text(damage(path.read_text()))
    assert finished_result(spec, path, stamp_of(spec, submission)) is None


def test_a_result_written_without_a_stamp_is_not_finished(
    spec: AssignmentSpec, submission: Path, tmp_path: Path
) -> None:
    path = tmp_path / "alice.json"
    write_result(path, graded(spec), stamp=None)  # the autograder failed on it
    assert json.loads(path.read_text())["score"] == 2.0
    assert finished_result(spec, path, stamp_of(spec, submission)) is None


def test_an_atomic_write_that_fails_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "alice.json"
    write_atomically(path, "old\n")
    with pytest.raises(UnicodeEncodeError):
        write_atomically(path, "new \udc80\n")  # a lone surrogate cannot be encoded
    assert path.read_text() == "old\n"
    assert os.listdir(tmp_path) == ["alice.json"]
    write_atomically(path, "new\n")
    assert path.read_text() == "new\n"
    assert os.listdir(tmp_path) == ["alice.json"]


def test_temporaries_of_a_killed_run_are_removed_and_results_are_not(tmp_path: Path) -> None:
    (tmp_path / "alice.json").write_text("{}")
    (tmp_path / ".alice.json.x1y2.tmp").write_text('{"sco')
    (tmp_path / "notes.tmp").write_text("the instructor's")
    remove_stale_temporaries(tmp_path)
    assert sorted(os.listdir(tmp_path)) == ["alice.json", "notes.tmp"]


def test_a_result_scored_by_other_scoring_code_is_graded_again(
    spec: AssignmentSpec, submission: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "alice.json"
    write_result(path, graded(spec), stamp_of(spec, submission))
    monkeypatch.setattr(resume, "SCORING_PACKAGES", ("hidden",))  # the checks differ
    resume.scoring_code_digest.cache_clear()
    try:
        assert finished_result(spec, path, stamp_of(spec, submission)) is None
    finally:
        resume.scoring_code_digest.cache_clear()
