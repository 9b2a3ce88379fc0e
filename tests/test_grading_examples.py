"""`autograder grade` on the examples: the contract of results.json and scores.csv.

Expected scores come from the master, never from a table written here: the
parts and their points from the manifest the build wrote, what each derived
example must score from what it says it is (solution: full marks; blank: zero;
a catalogued mistake: it loses credit only in the questions its edits touch,
and its feedback names the mistake). Hand-made examples (examples/<name>/) are
checked for the format only.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import nbformat
import pytest

from autograder.assemble.examples import example_kind
from autograder.project import Project

pytestmark = pytest.mark.slow

Graded = dict[str, dict[str, dict[str, Any]]]


def parts_of(project: Project, name: str) -> dict[str, float]:
    """Every entry a results file must list, with its max score, as the manifest says."""
    manifest = json.loads(project.files(name).manifest.read_text())
    parts: dict[str, float] = {}
    for question in manifest["questions"]:
        if question["manual"]:
            parts[f"{question['name']}: written answer"] = 0
            continue
        graded = [p for p in question["parts"] if p["points"] > 0]
        for part in graded:
            label = question["name"] if len(graded) == 1 else f"{question['name']}: {part['part']}"
            parts[label] = part["points"]
    return parts


def derived(project: Project) -> list[tuple[str, str, dict[str, Any]]]:
    found = []
    for name in project.assignment_names():
        for path in project.example_notebooks(name):
            kind = example_kind(nbformat.read(path, as_version=4))
            if kind:
                found.append((name, path.stem, kind))
    return found


def test_every_assignment_has_derived_examples(built_project: Project) -> None:
    kinds = {(name, kind["kind"]) for name, _, kind in derived(built_project)}
    for name in built_project.assignment_names():
        assert {(name, "solution"), (name, "blank")} <= kinds


def test_derived_examples_score_as_their_master_says(
    built_project: Project, graded_examples: Graded
) -> None:
    checked = 0
    for name, stem, kind in derived(built_project):
        parts = parts_of(built_project, name)
        results = graded_examples[name][stem]
        got = {test["name"]: test.get("score", 0) for test in results["tests"]}  # written: none
        assert set(got) == set(parts), (name, stem)
        lost = {part for part, points in parts.items() if points and got[part] < points}
        if kind["kind"] == "solution":
            assert lost == set(), (name, stem, results["tests"])
            assert results["score"] == sum(parts.values())
        elif kind["kind"] == "blank":
            assert results["score"] == 0, (name, stem)
        else:
            assert lost, f"{name}/{stem}: the mistake loses no credit"
            touched = tuple(kind["questions"])
            assert all(part.split(":")[0] in touched for part in lost), (name, stem, lost)
            named = {
                m for t in results["tests"] for m in t.get("extra_data", {}).get("mistakes", [])
            }
            assert kind["mistake"] in named, (name, stem, results["tests"])
        checked += 1
    assert checked >= 2 * len(built_project.assignment_names())


def test_results_follow_gradescope_format(built_project: Project, graded_examples: Graded) -> None:
    for assignment in built_project.assignment_names():
        parts = parts_of(built_project, assignment)
        for stem, results in graded_examples[assignment].items():
            if stem == "__csv__":
                continue
            assert set(results) == {"score", "execution_time", "output", "tests", "extra_data"}
            assert results["extra_data"]["assignment"] == assignment
            assert results["extra_data"]["incidents"] == []
            assert results["execution_time"] > 0
            # every autograded part appears with its full max_score, defined or not
            assert {t["name"]: t.get("max_score", 0) for t in results["tests"]} == parts
            for test in results["tests"]:
                assert test["output"], f"{stem}: {test['name']} has no feedback"
                if test.get("extra_data", {}).get("manual"):  # shown, never "passed" or scored
                    fields = {"name", "output", "output_format", "visibility", "extra_data"}
                    assert set(test) == fields
                    continue
                fields = {"name", "score", "max_score", "status", "output", "visibility"}
                assert set(test) - {"extra_data"} == fields
                passed = test["score"] == test["max_score"]
                assert test["status"] == ("passed" if passed else "failed")


def test_failed_parts_say_what_is_wrong(graded_examples: Graded) -> None:
    mistakes = graded_examples["disc06"]["mistake-db_averaged"]["tests"]
    tests = {t["name"]: t for t in mistakes}
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


def test_scores_csv_has_one_row_per_submission(
    built_project: Project, graded_examples: Graded
) -> None:
    for name in built_project.assignment_names():
        rows = list(csv.DictReader(io.StringIO(graded_examples[name]["__csv__"]["text"])))
        stems = sorted(path.stem for path in built_project.example_notebooks(name))
        assert sorted(row["file"] for row in rows) == stems
        manifest = json.loads(built_project.files(name).manifest.read_text())
        autograded = [q for q in manifest["questions"] if not q["manual"]]
        assert list(rows[0]) == ["file", *(q["name"] for q in autograded), "total", "max"]
        top = sum(q["points"] for q in autograded)
        for row in rows:
            assert float(row["max"]) == top
            assert float(row["total"]) == graded_examples[name][row["file"]]["score"]
