"""The main job on bundled data: build every assignment, grade examples/, print the tables,
write the written answers and the class report of each assignment."""

from __future__ import annotations

import os
from pathlib import Path

from rich.console import Console

from autograder.class_report import write_report
from autograder.errors import AutograderError
from autograder.grading import GradingOptions, SubmissionResult, grade_batch, load_spec
from autograder.grading.batch import Progress
from autograder.project import Project
from autograder.report import describe_build, print_scores
from autograder.written_answers import WRITTEN_LAYOUT, write_written_answers


def run_demo(
    project: Project, out: Path, on_result: Progress | None = None
) -> dict[str, list[SubmissionResult]]:
    from autograder.assemble import build
    from autograder.grading.validity import sandbox_grader

    console = Console() if Console().is_terminal else Console(width=140)
    console.print(describe_build(build(project, None, grader=sandbox_grader)))
    graded: dict[str, list[SubmissionResult]] = {}
    reports: list[Path] = []
    for name in project.assignment_names():
        examples = project.example_notebooks(name)
        if not examples:
            raise AutograderError(
                f"no example submissions of {name}: the build derives them in "
                f"{project.files(name).examples_dir}; build it again"
            )
        spec = load_spec(project, name)
        options = GradingOptions(hide_paths=(project.root,))
        # A demo grades afresh (no results kept from an earlier run), all cores at once.
        jobs = os.cpu_count() or 1
        graded[name] = grade_batch(
            spec, examples, out / name, options, on_result, jobs=jobs, regrade=True
        )
        print_scores(spec, graded[name], console)
        console.print(f"results: {out / name}/ (one .json per submission, scores.csv)")
        solution = project.files(name).solution_notebook
        written = write_written_answers(spec, solution, examples, out / name)
        console.print(f"written answers: {written.folder}/ ({WRITTEN_LAYOUT})")
        reports.append(write_report(out / name).page)
        console.print(f"class report: {reports[-1]}\n")
    console.print("Open the class reports in a browser:", *map(str, reports), sep="\n  ")
    return graded
