"""Step 6: the public tests students run, as short checks.

otter writes a student's public tests in its OK format: doctests, which
``grader.check`` reports as the whole doctest transcript (every statement of
the test with its data, then the traceback: 126 lines for one gradient check,
with the expected arrays and the table of known mistakes in it). otter's
exception-based format, which ``grader.check`` reads just as well, reports a
failed check as the line that failed and its message. This step rewrites each
``assignments/<name>/tests/<question>.py`` into that format, one test function
per public case. A file whose tests compare printed output with an expected
one (a doctest ``>>> f(2)`` then ``4``) stays a doctest: that comparison is
what doctest does. The graders keep reading the OK-format files of
``dist/<name>/tests/``, which hold the hidden cases too.

A public test that names a known mistake of the course's catalog words it as
the catalog does at the ``answer`` level (``Misconception.sentence``); here
each such sentence is reworded at the question's feedback level, so that the
public checks give away no more than the hidden feedback.
"""

from __future__ import annotations

import doctest
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from autograder.assemble.catalog import course_mistakes
from autograder.assemble.context import BuildContext
from autograder.assemble.files import ok_test_dict
from autograder.errors import BuildError
from autograder.feedback import DEFAULT_FEEDBACK, FeedbackLevel
from autograder.hidden.mistakes import Misconception
from autograder.source_names import free_names

HEADER = '''\
"""Public tests of {name}: `grader.check("{name}")` runs them.

A failed check prints the line that failed and its message.
"""

from otter.test_files import test_case

OK_FORMAT = False

name = {name!r}
points = {points!r}


def _defined(env, variable):
    if variable not in env:
        raise NameError(f"{{variable}} is not defined: run the cell that defines it first")
    return env[variable]
'''


def run(context: BuildContext) -> None:
    mistakes = course_mistakes(context.project.course_dir(context.name))
    levels = {q.name: context.master.feedback(q) for q in context.master.questions}
    for path in sorted((context.student_dir / "tests").glob("*.py")):
        text = exception_test_file(path) or path.read_text(encoding="utf-8")
        level = levels.get(path.stem, DEFAULT_FEEDBACK)
        path.write_text(worded(text, mistakes, level), encoding="utf-8")


def worded(text: str, mistakes: Sequence[Misconception], level: FeedbackLevel) -> str:
    """``text`` with each mistake's ``answer``-level sentence put at ``level``."""
    for mistake in sorted(mistakes, key=lambda m: -len(m.sentence("answer"))):
        full = mistake.sentence("answer")
        if full in text:
            text = text.replace(full, mistake.sentence(level))
    return text


def exception_test_file(path: Path) -> str | None:
    """The exception-based test file holding the public cases of the OK-format ``path``;
    None when a case compares printed output (it stays a doctest)."""
    test = _ok_test(path)
    parts = [HEADER.format(name=test["name"], points=test.get("points"))]
    for number, case in enumerate(test["suites"][0]["cases"], start=1):
        if case.get("hidden", True):
            raise BuildError(f"{path}: a hidden case in a student test file")
        examples = doctest.DocTestParser().get_examples(case["code"])
        if any(example.want.strip() for example in examples):
            return None
        code = "".join(example.source for example in examples)
        parts.append(_case_function(number, code, case.get("points")))
    return "\n".join(parts)


def _case_function(number: int, code: str, points: Any) -> str:
    reads = free_names(code)
    bindings = "".join(f"    {name} = _defined(env, {name!r})\n" for name in reads)
    return (
        f"\n@test_case(points={points!r}, hidden=False)\n"
        f"def public_{number}(env):\n{bindings}{textwrap.indent(code, '    ')}"
    )


def _ok_test(path: Path) -> dict[str, Any]:
    test = ok_test_dict(path.read_text(encoding="utf-8"))
    if test is None:
        raise BuildError(f"{path}: otter wrote no `test = {{...}}` here")
    return test
