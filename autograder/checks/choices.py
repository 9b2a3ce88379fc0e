"""Choice checks: strings picked from option lists, alone or in a table.

Choices are compared ignoring case and surrounding spaces (``"Gaussian "`` is
``"gaussian"``). A wrong choice is named, never corrected: the feedback says
which entries are wrong, not what the right option is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from autograder.checks.numeric import describe, missing_answer
from autograder.checks.result import CheckResult


def normalize_choice(text: str) -> str:
    return text.strip().casefold()


def check_choice(
    student: object,
    reference: str,
    *,
    options: Sequence[str] = (),
    name: str = "your answer",
) -> CheckResult:
    """One string against the right option; ``options`` (if given) are the ones shown."""
    missing = missing_answer(student, name)
    if missing is not None:
        return missing
    if not isinstance(student, str):
        return CheckResult.fail(
            "type", f"{name} is {describe(student)}, expected a string{_among(options)}"
        )
    problem = _choice_problem(student, reference, options)
    if problem:
        return CheckResult.fail(problem[0], f"{name} {problem[1]}")
    return CheckResult.ok()


def check_choice_row(
    student_table: object,
    reference_table: Mapping[str, Mapping[str, str]],
    *,
    row: str,
    options: Mapping[str, Sequence[str]] | None = None,
    name: str = "your table",
) -> CheckResult:
    """Row ``row`` of a dict of dicts of strings; says which keys are wrong or missing."""
    missing = missing_answer(student_table, name)
    if missing is not None:
        return missing
    expected_row = reference_table[row]
    if not isinstance(student_table, Mapping):
        return CheckResult.fail(
            "type",
            f"{name} is {describe(student_table)}, expected a dict with the keys "
            f"{', '.join(reference_table)}",
        )
    student_row = _lookup(student_table, row)
    if student_row is None:
        return CheckResult.fail("missing", f"{name} has no row {row!r}")
    if not isinstance(student_row, Mapping):
        return CheckResult.fail(
            "type",
            f"{name}[{row!r}] is {describe(student_row)}, expected a dict with the keys "
            f"{', '.join(expected_row)}",
        )
    problems = _row_problems(student_row, expected_row, options or {})
    if problems:
        return CheckResult.fail("close", f"{name}, row {row!r}: " + "; ".join(problems))
    return CheckResult.ok()


def _row_problems(
    student_row: Mapping[object, object],
    expected_row: Mapping[str, str],
    options: Mapping[str, Sequence[str]],
) -> list[str]:
    found: dict[str, list[str]] = {
        "wrong": [],
        "missing": [],
        "not a string": [],
        "not an option": [],
    }
    for column, right in expected_row.items():
        value = _lookup(student_row, column)
        if value is None or value is Ellipsis:
            found["missing"].append(column)
        elif not isinstance(value, str):
            found["not a string"].append(f"{column} ({describe(value)})")
        else:
            problem = _choice_problem(value, right, options.get(column, ()))
            if problem and problem[0] == "options":
                found["not an option"].append(f"{column} ({value.strip()!r})")
            elif problem:
                found["wrong"].append(column)
    known = {normalize_choice(column) for column in expected_row}
    unexpected = [
        repr(key)
        for key in student_row
        if not (isinstance(key, str) and normalize_choice(key) in known)
    ]
    problems = [f"{kind}: {', '.join(items)}" for kind, items in found.items() if items]
    if problems and unexpected:
        problems.append(f"unexpected keys: {', '.join(unexpected)}")
    return problems


def _choice_problem(student: str, reference: str, options: Sequence[str]) -> tuple[str, str] | None:
    chosen = normalize_choice(student)
    if options and chosen not in {normalize_choice(option) for option in options}:
        return "options", f"{student.strip()!r} is not one of the options{_among(options)}"
    if chosen != normalize_choice(reference):
        return "close", f"{student.strip()!r} is not the right choice"
    return None


def _among(options: Sequence[str]) -> str:
    return f" ({', '.join(repr(option) for option in options)})" if options else ""


def _lookup(mapping: Mapping[object, object], key: str) -> object:
    """``mapping[key]``, also when the student's key differs in case or surrounding spaces."""
    if key in mapping:
        return mapping[key]
    wanted = normalize_choice(key)
    for candidate, value in mapping.items():
        if isinstance(candidate, str) and normalize_choice(candidate) == wanted:
            return value
    return None
