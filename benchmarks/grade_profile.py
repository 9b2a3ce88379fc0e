"""Where the time of grading one submission goes, stage by stage, in one process.

    python benchmarks/grade_profile.py [NAME [NOTEBOOK]]   (default: disc06 and its solution)

The stages are those of ``autograder.grading.grade.grade_notebook`` (read ->
sandbox start -> notebook cells -> each question's hidden cases -> close),
timed from outside; plus the interpreter's start and the imports before them.
Run it a few times: the machine's noise is of the same order as some stages.
"""

from __future__ import annotations

import sys
import time

STARTED = time.perf_counter()

from pathlib import Path  # noqa: E402

import autograder.grading.grade as grade  # noqa: E402
from autograder.grading import GradingOptions, load_spec  # noqa: E402
from autograder.grading.preload import start_importing  # noqa: E402
from autograder.grading.submission import read_submission  # noqa: E402
from autograder.project import Project  # noqa: E402
from autograder.sandbox import Sandbox  # noqa: E402

IMPORTED = time.perf_counter()


def main(argv: list[str]) -> None:
    name = argv[1] if len(argv) > 1 else "disc06"
    project = Project.find()
    notebook = Path(argv[2]) if len(argv) > 2 else project.example(name, "solution")
    stages: list[tuple[str, float]] = [("imports (grading, sandbox)", IMPORTED - STARTED)]

    def stage(label: str, since: float) -> float:
        now = time.perf_counter()
        stages.append((label, now - since))
        return now

    mark = time.perf_counter()
    spec = load_spec(project, name)
    mark = stage("load the spec (OK-format test files)", mark)
    submission = read_submission(notebook)
    mark = stage("read the notebook", mark)
    options = GradingOptions(hide_paths=(project.root,))
    importing = start_importing(spec)
    with Sandbox(limits=options.limits, hide_paths=[spec.tests_dir.resolve()]) as box:
        mark = stage("sandbox start (worker ready)", mark)
        box.run_cells(list(submission.code_cells))
        mark = stage(f"notebook cells ({len(submission.code_cells)})", mark)
        if importing is not None:
            importing.join()
        mark = stage("wait for the hidden tests' imports (numpy, sympy)", mark)
        for question in spec.questions:
            grade._grade_question(box, question, options)
            mark = stage(f"question {question.name} ({len(question.graded_cases)} cases)", mark)
    stage("sandbox close", mark)
    total = sum(seconds for _, seconds in stages)
    for label, seconds in stages:
        print(f"{seconds * 1000:7.0f} ms  {label}")
    print(f"{total * 1000:7.0f} ms  in all, after the interpreter started")


if __name__ == "__main__":
    main(sys.argv)
