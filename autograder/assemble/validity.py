"""Step 12: the built tests must tell a right answer from no answer.

A grader (``autograder.grading``, plugged in by the caller) grades the
solution notebook, which must get full marks on every autograded question,
and the untouched student notebook, which must get zero on every one. A test
that passes on ``...`` or fails on the solution is a broken test; so is a
grader whose maximum disagrees with the manifest.

The step runs only when ``build`` is given a grader (``otter_grader`` uses
otter's own); ``check_validity`` is the same check for callers that hold the
notebooks themselves.
"""

from __future__ import annotations

import json
import math
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from autograder.assemble.context import BuildContext, GradeFunction, Scores
from autograder.assemble.manifest import Manifest
from autograder.assemble.otter_assign import otter_command
from autograder.errors import BuildError


def run(context: BuildContext) -> None:
    if context.grader is None:
        return
    grade = context.grader(context.dist_dir)
    check_validity(
        Manifest.load(context.staged.manifest),
        solution=context.staged.solution_notebook,
        student=context.staged.student_notebook,
        grade=grade,
        master=context.master.display_path,
    )


def check_validity(
    manifest: Manifest,
    *,
    solution: Path,
    student: Path,
    grade: GradeFunction,
    master: str = "the master notebook",
) -> None:
    """Raise ``BuildError`` listing every question whose grading is not valid."""
    problems = [
        *_problems(manifest, grade(solution), full_marks=True, label="the solution notebook"),
        *_problems(manifest, grade(student), full_marks=False, label="the blank student notebook"),
    ]
    if problems:
        raise BuildError(
            f"the tests built from {master} do not grade validly:\n"
            + "\n".join(f"  - {problem}" for problem in problems)
            + "\nfix the hidden tests (or the solution) of these questions"
        )


def _problems(manifest: Manifest, scores: Scores, *, full_marks: bool, label: str) -> Iterator[str]:
    for question in manifest.autograded:
        if question.name not in scores:
            yield f"question {question.name}: the grader reports no score for {label}"
            continue
        entry = scores[question.name]
        score, max_score = entry[0], entry[1]
        why = "".join(f"\n      {failure}" for failure in (entry[2] if len(entry) > 2 else ()))
        if not math.isclose(max_score, question.points):
            yield (
                f"question {question.name}: the grader says it is worth {max_score} points, "
                f"the manifest {question.points}"
            )
        if full_marks and not math.isclose(score, question.points):
            yield (
                f"question {question.name}: {label} scores {score}/{question.points}; "
                f"the solution must get full marks{why}"
            )
        if not full_marks and score != 0:
            yield (
                f"question {question.name}: {label} scores {score}/{question.points}; "
                "an unanswered question must get zero (a hidden test passes on '...')"
            )


def otter_grader(dist_dir: Path) -> GradeFunction:
    """A grade function that runs ``otter run`` with ``dist/<name>/otter-autograder.zip``:
    the reference the course's own grader is compared with."""

    def grade(notebook: Path) -> Scores:
        with tempfile.TemporaryDirectory(prefix="autograder-otter-run-") as out:
            command = [*otter_command(), "run", "-a", str(dist_dir / "otter-autograder.zip")]
            done = subprocess.run(
                [*command, "-o", out, str(notebook)], capture_output=True, text=True, check=False
            )
            results = Path(out) / "results.json"
            if done.returncode != 0 or not results.is_file():
                raise BuildError(f"otter run could not grade {notebook}: {done.stderr.strip()}")
            tests = json.loads(results.read_text(encoding="utf-8")).get("tests", [])
        return {
            test["name"]: (float(test["score"]), float(test["max_score"]))
            for test in tests
            if test.get("max_score") is not None
        }

    return grade
