"""Resumable batches: each results file records what it graded, and is written atomically.

A killed ``autograder grade`` leaves complete results files and no half-written
ones (every file is a temporary file renamed over the target). Run again, the
batch keeps a result when its file parses and records the same submission
bytes (sha256), the same file name and the same hidden tests: the test files
(the spec's fingerprint, which covers the course modules too) and the code that
decides a score (``autograder.hidden``, ``checks``). Anything else, including
results of a grading that failed on our side, is graded again.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import autograder
from autograder.grading.results import CaseResult, Incident, SubmissionResult, manual_entries
from autograder.grading.spec import AssignmentSpec

#: The key of ``extra_data`` under which a finished result records what it graded.
STAMP_KEY = "graded"
#: Subpackages of ``autograder`` that decide scores: the hidden tests' helpers and what they use.
SCORING_PACKAGES = ("hidden", "checks")


@dataclass(frozen=True)
class Stamp:
    """What a results file says it graded: the submission's name and bytes, and the tests."""

    file: str
    sha256: str
    tests: str  # the test files and the scoring code (see the module's docstring)

    def to_json(self) -> dict[str, str]:
        return {"file": self.file, "sha256": self.sha256, "tests": self.tests}


def stamp_of(spec: AssignmentSpec, path: Path) -> Stamp:
    """What ``path`` (a notebook or zip; a folder: every file in it) holds, and the tests."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        if path.is_dir():
            digest.update(f"{file.relative_to(path).as_posix()}\0".encode())
        with file.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    tests = hashlib.sha256(f"{spec.fingerprint} {scoring_code_digest()}".encode())
    return Stamp(path.name, digest.hexdigest(), tests.hexdigest())


@functools.cache
def scoring_code_digest() -> str:
    """A digest of the packages whose code decides a score besides the test files."""
    package = Path(autograder.__file__).parent
    digest = hashlib.sha256()
    for folder in SCORING_PACKAGES:
        for path in sorted((package / folder).rglob("*.py")):
            digest.update(f"{path.relative_to(package).as_posix()}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def write_result(path: Path, result: SubmissionResult, stamp: Stamp | None) -> None:
    """Write ``result`` atomically; with a stamp, it counts as finished for a later run."""
    payload = result.to_json()
    if stamp is not None:
        payload.setdefault("extra_data", {})[STAMP_KEY] = stamp.to_json()
    write_atomically(path, json.dumps(payload, indent=2) + "\n")


def write_atomically(path: Path, text: str) -> None:
    """Readers see the old file or the new one, never part of one (same directory: one fs)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def remove_stale_temporaries(out_dir: Path) -> None:
    """Temporary files a killed run left behind (never renamed, so never a result)."""
    for leftover in out_dir.glob(".*.json.*.tmp"):
        with contextlib.suppress(OSError):
            leftover.unlink()


def finished_result(spec: AssignmentSpec, path: Path, stamp: Stamp) -> SubmissionResult | None:
    """The result in ``path`` if it is a finished grading of exactly this submission."""
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        recorded = payload["extra_data"][STAMP_KEY]
        if recorded != stamp.to_json():
            return None
        return _result_from_json(spec, path.stem, payload)
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _result_from_json(spec: AssignmentSpec, submission: str, payload: Any) -> SubmissionResult:
    """The result a results file describes; KeyError/TypeError/ValueError if it is not one."""
    questions = {case.label: q.name for q in spec.questions for case in q.graded_cases}
    questions.update({entry.name: entry.question for entry in manual_entries(spec)})
    tests = []
    for entry in payload["tests"]:
        extra = entry.get("extra_data", {})
        tests.append(
            CaseResult(
                name=str(entry["name"]),
                question=questions[entry["name"]],
                score=float(entry.get("score", 0.0)),  # a written question's entry has none
                max_score=float(entry.get("max_score", 0.0)),
                output=str(entry["output"]),
                visibility=entry["visibility"],
                mistakes=tuple(extra.get("mistakes", ())),
                manual=bool(extra.get("manual", False)),
                output_format=entry.get("output_format", "text"),
                staff_note=str(extra.get("staff", "")),
            )
        )
    if [t.name for t in tests if not t.manual] != spec.case_labels:
        raise ValueError("the results file grades other tests than the assignment has")
    extra = payload.get("extra_data", {})
    return SubmissionResult(
        submission=submission,
        tests=tests,
        execution_time=float(payload.get("execution_time", 0.0)),
        messages=[payload["output"]] if payload.get("output") else [],
        assignment=str(extra.get("assignment", spec.name)),
        incidents=[Incident(**incident) for incident in extra.get("incidents", [])],
        isolation=dict(extra.get("isolation", {})),
        other_assignment=str(extra.get("notebook_assignment", "")),
    )
