"""Grading one submission: read -> execute in the sandbox -> run the hidden cases -> score."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from autograder.course import CourseModules, course_modules
from autograder.feedback import feedback_level
from autograder.grading.cases import (
    CaseOutcome,
    describe_exception,
    run_case,
    stop_kind,
    trusted_values,
)
from autograder.grading.preload import start_importing
from autograder.grading.results import (
    CaseResult,
    Incident,
    SubmissionResult,
    Visibility,
    manual_entries,
    zero_result,
)
from autograder.grading.spec import AssignmentSpec, Case, Question, free_names
from autograder.grading.submission import Submission, SubmissionProblem, read_submission
from autograder.sandbox import CellOutcome, Limits, Sandbox, StudentCrash, StudentTimeout


@dataclass(frozen=True)
class GradingOptions:
    """How one submission is graded; the defaults are the course's policy."""

    limits: Limits = field(default_factory=Limits)
    question_timeout: float = 60.0  # wall clock for all the cases of one question
    visibility: Visibility = "visible"
    #: Besides the package and the hidden tests: the course repository (masters hold answers),
    #: the results directory.
    hide_paths: tuple[Path, ...] = ()


def grade_notebook(
    spec: AssignmentSpec, path: Path, options: GradingOptions, stem: str = ""
) -> SubmissionResult:
    """Grade one notebook (or the zip or folder holding it), reported as ``stem`` (default: the
    file's). Never raises for a bad submission: the result says what went wrong."""
    started = time.monotonic()
    stem = stem or path.stem
    try:
        submission = read_submission(path, spec.name)
    except SubmissionProblem as problem:
        result = zero_result(spec, stem, str(problem), options.visibility)
    else:
        result = _grade_in_sandbox(spec, submission, stem, options)
        result.other_assignment = _other_assignment(spec, submission)
        result.messages[:0] = _upload_notes(spec, submission, result.other_assignment)
    result.execution_time = time.monotonic() - started
    return result


def _other_assignment(spec: AssignmentSpec, submission: Submission) -> str:
    """The assignment the notebook's metadata names, when it is not this one ("" if none)."""
    named = submission.assignment_name
    return named if named and named != spec.name else ""


def _upload_notes(spec: AssignmentSpec, submission: Submission, named: str) -> list[str]:
    """What the student must know about which notebook was graded, first in the output."""
    notes = [submission.note] if submission.note else []
    if named:
        notes.insert(
            0,
            f"Warning: this notebook is for {named}, but it was graded as {spec.name}. "
            f"If you meant to submit {spec.name}, submit your {spec.name}.ipynb to {spec.name}.",
        )
    return notes


def _grade_in_sandbox(
    spec: AssignmentSpec, submission: Submission, stem: str, options: GradingOptions
) -> SubmissionResult:
    # The sandbox hides the autograder package itself; the tests are ours to name.
    hide = [*spec.hidden_paths, *options.hide_paths]
    importing = start_importing(spec)  # overlaps with the worker's start and the notebook
    with Sandbox(limits=options.limits, hide_paths=hide) as box:
        outcomes = box.run_cells(list(submission.code_cells))
        if importing is not None:
            importing.join()
        messages = _cell_messages(submission, outcomes)
        incidents = _cell_incidents(submission, outcomes)
        tests: list[CaseResult] = []
        course = course_modules(spec.course_dir)
        for question in spec.questions:
            results, incident = _grade_question(box, question, options, course)
            tests.extend(results)
            incidents.extend([incident] if incident else [])
        protections = box.protections
    return SubmissionResult(
        submission=stem,
        tests=[*tests, *manual_entries(spec, options.visibility, _written(spec, submission))],
        messages=messages,
        assignment=spec.name,
        incidents=incidents,
        # How the worker was isolated is for the staff: it would tell an attacker what is open.
        isolation={"held": protections.held, "missing": protections.missing},
    )


def _written(spec: AssignmentSpec, submission: Submission) -> dict[str, str]:
    """Each written question's answer as the results entry shows it (HTML)."""
    if not spec.manual_questions:
        return {}
    from autograder.written_answers.entry import answers_for_results  # markdown, math: lazily

    return answers_for_results(submission.raw_cells, [q.name for q in spec.manual_questions])


def _grade_question(
    box: Sandbox, question: Question, options: GradingOptions, course: CourseModules
) -> tuple[list[CaseResult], Incident | None]:
    cases = question.graded_cases
    names = list(dict.fromkeys(name for case in cases for name in free_names(case.source)))
    outcomes: list[CaseOutcome] = []
    try:
        with box.deadline(options.question_timeout), feedback_level(question.feedback):
            namespace = trusted_values(box.lookup(names))
            for case in cases:
                outcome = run_case(case, namespace, course)
                if box.broken:  # a helper may have turned the timeout or crash into feedback
                    outcome = replace(outcome, sandbox_broken=True)
                outcomes.append(outcome)
                if outcome.sandbox_broken:
                    break
    except (StudentTimeout, StudentCrash) as error:
        outcomes.append(CaseOutcome(False, describe_exception(error), True, stop_kind(error)))
    broken = bool(outcomes) and outcomes[-1].sandbox_broken
    incident = None
    if broken:
        last = outcomes[-1]
        incident = Incident(last.stopped_by or "crash", question.name, last.message)
    if len(outcomes) < len(cases):  # cases the dead or timed-out process never reached
        unreached = CaseOutcome(False, f"not graded, because {outcomes[-1].message}")
        outcomes.extend([unreached] * (len(cases) - len(outcomes)))
    if broken:
        box.restart()
    results = [
        _case_result(case, outcome, options) for case, outcome in zip(cases, outcomes, strict=True)
    ]
    return results, incident


def _case_result(case: Case, outcome: CaseOutcome, options: GradingOptions) -> CaseResult:
    score = case.points if outcome.passed else 0.0
    return CaseResult(
        case.label,
        case.question,
        score,
        case.points,
        outcome.message,
        options.visibility,
        mistakes=outcome.mistakes,
    )


def _cell_incidents(submission: Submission, outcomes: Sequence[CellOutcome]) -> list[Incident]:
    """Cells that timed out or crashed the process; the first cell skipped for lack of time."""
    incidents = []
    for outcome in outcomes:
        where = submission.describe_cell(outcome.index)
        if outcome.status == "timeout":
            incidents.append(Incident("timeout", where, outcome.message))
        elif outcome.status == "crashed":
            incidents.append(Incident("crash", where, outcome.message))
        elif outcome.status == "skipped":
            incidents.append(Incident("timeout", where, outcome.message))
            break  # the rest were skipped for the same reason
    return incidents


def _cell_messages(submission: Submission, outcomes: Sequence[CellOutcome]) -> list[str]:
    return [
        f"{submission.describe_cell(o.index)}: {o.status}: {o.message}"
        for o in outcomes
        if o.status != "ok"
    ]
