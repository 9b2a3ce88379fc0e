"""Gradescope entry point: grade /autograder/submission, always write results/results.json.

``run_autograder`` in the autograder zip runs ``python -m autograder.gradescope``.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from autograder.grading import GradingOptions, SubmissionResult, grade_safely, load_spec_from
from autograder.grading.results import zero_result
from autograder.grading.spec import AssignmentSpec


def load_gradescope_spec(root: Path) -> AssignmentSpec:
    source = root / "source"
    return load_spec_from(source / "tests", source / "manifest.json")


def grade_gradescope(root: Path, spec: AssignmentSpec) -> SubmissionResult:
    """Grade the upload as ``autograder grade`` grades a folder: the notebook in it, or the
    one in an uploaded zip (otter's export), picked as uploads.pick_submission says."""
    source = root / "source"
    options = GradingOptions(hide_paths=(source.resolve(), (root / "results").resolve()))
    return grade_safely(spec, root / "submission", options)


def _refusal() -> dict[str, object] | None:
    """A results file that grades nothing, where the submission could not be confined."""
    from autograder.sandbox import probe_isolation

    protections = probe_isolation()
    if protections.full:
        return None
    print(f"refusing to grade: {protections.missing['file view']}", file=sys.stderr)
    return {
        "score": 0,
        "execution_time": 0,
        "output": "The autograder could not run your notebook safely on this machine, so it "
        "did not run it. This is not your fault: the course staff will regrade it.",
        "tests": [],
        "extra_data": {"isolation": {"held": protections.held, "missing": protections.missing}},
    }


def _emergency_result(spec: AssignmentSpec | None, message: str) -> dict[str, object]:
    if spec is not None:
        return zero_result(spec, "submission", message).to_json()
    return {"score": 0, "execution_time": 0, "output": message, "tests": []}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.gradescope")
    parser.add_argument("--root", type=Path, default=Path("/autograder"))
    parser.add_argument(
        "--require-isolation",
        action="store_true",
        help="grade nothing where the submission cannot be confined to the allow-listed view",
    )
    args = parser.parse_args(argv)
    from autograder.sandbox.zygote import warm_up

    warm_up()  # the worker pool's imports overlap with the grading side's
    root: Path = args.root
    results_path = root / "results" / "results.json"
    results_path.parent.mkdir(parents=True, exist_ok=True)
    spec: AssignmentSpec | None = None
    try:
        spec = load_gradescope_spec(root)
        refusal = _refusal() if args.require_isolation else None
        payload = refusal or grade_gradescope(root, spec).to_json()
    except Exception as exc:
        traceback.print_exc()
        message = (
            f"The autograder could not run ({type(exc).__name__}: {exc}). Tell the course staff."
        )
        payload = _emergency_result(spec, message)
    results_path.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"wrote {results_path}: score {payload['score']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
