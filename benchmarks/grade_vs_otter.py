"""Seconds per submission: `autograder grade` against `otter run`, side by side.

Both grade the same submissions with the same hidden tests (run from the
repository root after `autograder build`):

    python benchmarks/grade_vs_otter.py [--repeat N]

Machines here are noisy, so the two runs are interleaved and the script prints
the ratio; absolute seconds drift from run to run. It also checks that the two
graders gave the same per-question scores.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder.grading import GradingOptions, grade_batch, load_spec
from autograder.project import Project


def time_ours(
    project: Project, name: str, notebooks: list[Path]
) -> tuple[float, dict[str, dict[str, float]]]:
    spec = load_spec(project, name)
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        results = grade_batch(spec, notebooks, Path(out), GradingOptions())
        elapsed = time.perf_counter() - started
    return elapsed / len(notebooks), {r.submission: r.question_scores() for r in results}


def time_otter(
    project: Project, name: str, notebooks: list[Path]
) -> tuple[float, dict[str, dict[str, float]]]:
    scores: dict[str, dict[str, float]] = {}
    started = time.perf_counter()
    for notebook in notebooks:
        with tempfile.TemporaryDirectory() as out:
            subprocess.run(
                [sys.executable, "-m", "otter", "run", "--no-logo", "-a",
                 str(project.dist(name) / "otter-autograder.zip"), "-o", out, str(notebook)],
                check=True, capture_output=True,
            )  # fmt: skip
            tests = json.loads(Path(out, "results.json").read_text())["tests"]
            scores[notebook.stem] = {
                t["name"]: t["score"] for t in tests if t.get("score") is not None
            }
    return (time.perf_counter() - started) / len(notebooks), scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    project = Project.find()
    for name in project.assignment_names():
        notebooks = project.example_notebooks(name)
        ours, theirs = [], []
        for _ in range(args.repeat):
            seconds, our_scores = time_ours(project, name, notebooks)
            ours.append(seconds)
            seconds, otter_scores = time_otter(project, name, notebooks)
            theirs.append(seconds)
            same = all(
                {q: float(v) for q, v in otter_scores[s].items()} == our_scores[s]
                for s in our_scores
            )
            if not same:
                raise SystemExit(
                    f"{name}: scores differ\nours:  {our_scores}\notter: {otter_scores}"
                )
        a, b = statistics.median(ours), statistics.median(theirs)
        print(
            f"{name}: {len(notebooks)} submissions x {args.repeat}; seconds per submission: "
            f"autograder grade {a:.2f}, otter run {b:.2f}; otter/ours = {b / a:.1f}x; scores equal"
        )


if __name__ == "__main__":
    main()
