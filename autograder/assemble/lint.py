"""Step 1: judge the master notebook before otter sees it.

Every problem is collected, then all are raised together in one
``BuildError``, each line naming the notebook, the cell, the question and
what to do. The rules are those the rest of the pipeline and the graders rely
on: known config keys, named questions with points, at least one hidden test
per autograded question, hidden points adding up to the question's points,
distinct credit names (``part``) within a question, public tests that are
self-contained (no import of this package or of the course's modules).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterator
from typing import Any

from autograder.assemble.context import BuildContext
from autograder.assemble.master import (
    FEEDBACK_KEY,
    MUTATION_BAR_KEY,
    OWN_ASSIGNMENT_KEYS,
    PART_KEY,
    MasterNotebook,
    Question,
    TestCase,
    Where,
    syntax_error,
)
from autograder.course import module_files
from autograder.errors import BuildError
from autograder.feedback import FEEDBACK_LEVELS
from autograder.otter_api import Assignment, QuestionConfig

TEST_CONFIG_KEYS = frozenset({"hidden", "points", "success_message", "failure_message", PART_KEY})

# What the later steps need from the assignment config, with the reason to give.
REQUIRED_CONFIG = {
    ("tests", "files"): (True, "the graders read the tests from tests/<question>.py files"),
    ("tests", "ok_format"): (True, "the graders read OK-format test files"),
}


def run(context: BuildContext) -> None:
    course = module_files(context.project.course_dir(context.name))
    problems = list(lint_master(context.master, context.name, frozenset(course)))
    if problems:
        raise BuildError(
            f"{context.master.display_path} has {len(problems)} problem(s):\n"
            + "\n".join(f"  - {problem}" for problem in problems)
        )


def lint_master(
    master: MasterNotebook, expected_name: str, course_modules: frozenset[str] = frozenset()
) -> Iterator[str]:
    yield from _lint_config(master, expected_name)
    seen: dict[str, Where] = {}
    for question in master.questions:
        name = question.name
        if name is not None and name in seen:
            yield (
                f"{question.where}: the name {name} is already used by the question at cell "
                f"{seen[name].cell}; question names must be unique, rename one"
            )
        elif name is not None:
            seen[name] = question.where
        yield from _lint_question(question, course_modules)


def _lint_config(master: MasterNotebook, expected_name: str) -> Iterator[str]:
    where, config = master.config_where, master.config
    otters = {key: value for key, value in config.items() if key not in OWN_ASSIGNMENT_KEYS}
    unknown = list(unknown_keys(otters, config_schema(Assignment)))
    for key in unknown:
        yield f"{where}: unknown ASSIGNMENT CONFIG key {key!r}; check its spelling in otter's docs"
    yield from _lint_feedback(config, str(where))
    if not unknown:
        try:
            Assignment(require_valid_keys=True).update(copy.deepcopy(otters))
        except Exception as error:  # fica raises ValueError/TypeError subclasses of its own
            yield f"{where}: otter rejects the ASSIGNMENT CONFIG: {error}"
    if config.get("name") != expected_name:
        yield (
            f"{where}: the config says name: {config.get('name')!r} but the file is "
            f"{expected_name}.ipynb; set name: {expected_name}"
        )
    if config.get("generate") is False:
        yield f"{where}: generate: false, but the build needs otter's autograder; remove the key"
    for path, (wanted, reason) in REQUIRED_CONFIG.items():
        value: Any = config
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if value != wanted:
            yield f"{where}: set {'.'.join(path)}: {str(wanted).lower()} ({reason})"


def _lint_question(question: Question, course_modules: frozenset[str]) -> Iterator[str]:
    where = question.where
    if question.name is None:
        yield f"{where}: the question has no name; add 'name: <identifier>' to its config"
    known = {**config_schema(QuestionConfig), MUTATION_BAR_KEY: None, FEEDBACK_KEY: None}
    yield from _lint_feedback(question.config, str(where))
    for key in unknown_keys(question.config, known):
        names = ", ".join(sorted(known))
        yield f"{where}: unknown question config key {key!r}; known keys: {names}"
    yield from _lint_mutation_bar(question)
    if question.points is None:
        yield f"{where}: the question has no points; add 'points: <number>' to its config"
    for case in question.tests:
        yield from _lint_case(case, course_modules)
    if question.manual:
        if question.tests:
            yield f"{where}: a manual question has tests; remove them or set manual: false"
        return
    hidden = [case for case in question.tests if case.hidden]
    if not hidden:
        yield (
            f"{where}: an autograded question needs at least one hidden test (test config "
            "'hidden: true'); add one, or set manual: true"
        )
    elif question.points is not None and all(case.points is not None for case in hidden):
        total = sum(case.points or 0 for case in hidden)
        if not math.isclose(total, question.points):
            yield (
                f"{where}: its hidden tests carry {_number(total)} points but the question is "
                f"worth {_number(question.points)}; make them add up"
            )
    yield from _duplicate_parts(question)


def _lint_mutation_bar(question: Question) -> Iterator[str]:
    if MUTATION_BAR_KEY not in question.config:
        return
    bar = question.mutation_bar
    if bar is None or not 0 < bar <= 1:
        yield (
            f"{question.where}: {MUTATION_BAR_KEY}: {question.config[MUTATION_BAR_KEY]!r} is not "
            "a fraction; give the share of mutants the hidden tests must kill, e.g. 0.9"
        )
    elif question.manual:
        yield f"{question.where}: a manual question has no mutants; remove {MUTATION_BAR_KEY}"


def _lint_feedback(config: dict[str, Any], where: str) -> Iterator[str]:
    level = config.get(FEEDBACK_KEY)
    if level is not None and level not in FEEDBACK_LEVELS:
        yield (
            f"{where}: {FEEDBACK_KEY}: {level!r} is not a feedback level; use name (the mistake "
            "only), hint (and the concept it missed) or answer (and the formula)"
        )


def _lint_case(case: TestCase, course_modules: frozenset[str]) -> Iterator[str]:
    where, kind = case.where, "hidden" if case.hidden else "public"
    for key in sorted(set(case.config) - TEST_CONFIG_KEYS):
        yield f"{where}: unknown test config key {key!r}; known keys: {sorted(TEST_CONFIG_KEYS)}"
    error = syntax_error(case.code)
    if error:
        yield f"{where}: this {kind} test is not valid Python: {error}"
        return
    if case.hidden:
        if case.points is None:
            yield f"{where}: this hidden test has no points; add 'points: <number>' to its config"
        helper_parts = case.helper_parts
        if case.configured_part is not None and helper_parts - {case.configured_part}:
            yield (
                f"{where}: the test config names this credit {case.configured_part!r} but "
                f"the helper gets part={sorted(helper_parts)[0]!r}; give one name"
            )
        elif case.configured_part is None and len(helper_parts) > 1:
            yield (
                f"{where}: this hidden test passes several part= names {sorted(helper_parts)}; "
                f"name its credit once, with '{PART_KEY}: <name>' in its test config"
            )
        return
    if case.points not in (None, 0):
        yield (
            f"{where}: this public test carries {case.points} points; public tests are worth "
            "'points: 0' (the credit is in the hidden tests)"
        )
    imported = case.imported_modules()
    if "autograder" in imported:
        yield (
            f"{where}: this public test imports autograder, which students do not have; "
            "public tests must be self-contained (make it a hidden test, or inline the check)"
        )
    for module in sorted(imported & course_modules):
        yield (
            f"{where}: this public test imports the course module {module!r}, which students "
            "do not have (it holds what grading hides); make it a hidden test, or inline the check"
        )


def _duplicate_parts(question: Question) -> Iterator[str]:
    seen: set[str] = set()
    for case in question.tests:
        part = case.part if case.hidden else None
        if part is not None and part in seen:
            yield f"{case.where}: part {part!r} is used by two hidden tests; parts must differ"
        if part is not None:
            seen.add(part)


Schema = dict[str, "Schema | None"]


def config_schema(config_class: Any) -> Schema:
    """The keys a fica config class accepts, nested where a key has subkeys."""
    schema: Schema = {}
    for klass in reversed(config_class.__mro__):
        for attribute, key in vars(klass).items():
            if type(key).__name__ == "Key" and hasattr(key, "get_name"):
                container = key.get_subkey_container()
                name = key.get_name(attribute)
                schema[name] = config_schema(container) if container is not None else None
    return schema


def unknown_keys(config: dict[str, Any], schema: Schema, prefix: str = "") -> Iterator[str]:
    for key, value in config.items():
        if key not in schema:
            yield prefix + str(key)
            continue
        subschema = schema[key]
        if subschema is not None and isinstance(value, dict):
            yield from unknown_keys(value, subschema, f"{prefix}{key}.")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
