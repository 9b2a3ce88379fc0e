"""Step 9: nothing a student receives may give away the answers.

Every file staged under ``assignments/<name>/`` is read line by line and
compared with what must stay with the instructor:

* hidden tests: any import of ``autograder`` or of the course's own modules
  (``import helpers``, ``from reference import ...``), the lines of each hidden
  test cell, a hidden case in a test file;
* solutions: the lines inside ``BEGIN/END SOLUTION`` (in-cell or whole solution
  cells) and ``# SOLUTION`` lines of the master;
* reference code: the statements of the functions in the assignment's reference
  modules (``solutions/<name>/reference*.py``; helpers and mistake catalogs
  hold the names students use too, so their lines are not secrets).

Lines too short to be an answer (``...``, ``pass``, ``return x``, brackets,
imports, comments) are ignored. A leak is a ``BuildError`` naming the file,
the cell and question it sits in, and the master cell it came from.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from autograder.assemble.context import BuildContext
from autograder.assemble.files import ok_test_dict, read_notebook, tree_files
from autograder.assemble.master import MasterNotebook, SecretLine
from autograder.course import module_files
from autograder.errors import BuildError

MIN_SECRET_CHARS = 8
"""A line with fewer non-blank characters (``return h``, ``x = 1``) is no answer."""

MIN_SUBSTRING_CHARS = 20
"""A secret this long also leaks when it sits inside a longer line."""

_TRIVIAL = re.compile(r"^(#.*|\.\.\.|pass|return|return None|(import|from)\s.*|[\W_]*)$")


def hidden_marks(course_modules: Iterable[str]) -> list[tuple[re.Pattern[str], str]]:
    """Lines that only a hidden test holds: imports of this package or of a course module."""
    marks = [
        (re.compile(r"\b(import\s+autograder|from\s+autograder)\b"), "an import of autograder")
    ]
    for name in sorted(course_modules):
        pattern = re.compile(rf"^\s*(import\s+{name}\b|from\s+{name}\s+import\b)")
        marks.append((pattern, f"an import of the course module {name}"))
    return marks


@dataclass(frozen=True)
class Secret:
    text: str
    origin: str  # "a solution line of solutions/x.ipynb, cell 7, question q1"


@dataclass(frozen=True)
class Lines:
    """Some text a student receives, with where it is."""

    where: str
    lines: tuple[str, ...]
    hidden_case: bool = False


def run(context: BuildContext) -> None:
    course = module_files(context.project.course_dir(context.name))
    secrets = [*master_secrets(context.master), *course_secrets(course)]
    leaks = sorted(set(find_leaks(student_lines(context), secrets, hidden_marks(course))))
    if leaks:
        raise BuildError(
            f"the student files built from {context.master.display_path} leak answers:\n"
            + "\n".join(f"  - {leak}" for leak in leaks)
            + "\nremove the line from what students see (a prompt, a public test, a setup "
            "cell); if it is meant to be shown, take it out of the solution block"
        )


def normalize(line: str) -> str:
    return " ".join(line.split())


def is_trivial(line: str) -> bool:
    text = normalize(line)
    return len(text.replace(" ", "")) < MIN_SECRET_CHARS or bool(_TRIVIAL.match(text))


def master_secrets(master: MasterNotebook) -> Iterator[Secret]:
    for secret in master.secrets:
        if not is_trivial(secret.text):
            yield Secret(normalize(secret.text), _origin(secret))


def _origin(secret: SecretLine) -> str:
    return f"a {secret.kind} of {secret.where}"


def course_secrets(modules: Mapping[str, Path]) -> Iterator[Secret]:
    """The function bodies of the reference modules (a syntax error is reported elsewhere)."""
    for name, path in modules.items():
        if not name.startswith("reference"):
            continue
        try:
            lines = list(_function_body_lines(path.read_text(encoding="utf-8")))
        except (SyntaxError, ValueError):
            continue
        for line, number in lines:
            if not is_trivial(line):
                origin = f"reference code ({path.parent.name}/{path.name}, line {number})"
                yield Secret(normalize(line), origin)


def _function_body_lines(source: str) -> Iterator[tuple[str, int]]:
    lines = source.splitlines()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        body = node.body[1:] if ast.get_docstring(node) is not None else node.body
        for statement in body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue  # walked on its own
            end = statement.end_lineno or statement.lineno
            for number in range(statement.lineno, end + 1):
                yield lines[number - 1], number


def find_leaks(
    texts: Iterable[Lines],
    secrets: list[Secret],
    marks: list[tuple[re.Pattern[str], str]] | None = None,
) -> Iterator[str]:
    exact = {secret.text: secret for secret in secrets}
    long_secrets = [secret for secret in secrets if len(secret.text) >= MIN_SUBSTRING_CHARS]
    for text in texts:
        if text.hidden_case:
            yield f"{text.where}: a hidden test case (hidden: True) in a student test file"
        for line in text.lines:
            for pattern, what in marks if marks is not None else hidden_marks(()):
                if pattern.search(line):
                    yield f"{text.where}: {what}: {line.strip()!r}"
            normal = normalize(line)
            found = exact.get(normal) or next(
                (secret for secret in long_secrets if secret.text in normal), None
            )
            if found is not None and normal:
                yield f"{text.where}: {found.text!r} is {found.origin}"


def student_lines(context: BuildContext) -> Iterator[Lines]:
    root, shown = context.student_dir, f"assignments/{context.name}"
    for relative in tree_files(root):
        path, where = root / relative, f"{shown}/{relative}"
        if relative.endswith(".ipynb"):
            yield from _notebook_lines(path, where, context.master)
        elif relative.endswith(".py") and relative.startswith("tests/"):
            yield from _test_file_lines(path, where)
        else:
            text = path.read_text(encoding="utf-8", errors="replace")
            yield Lines(where, tuple(text.split("\n")))


def _notebook_lines(path: Path, where: str, master: MasterNotebook) -> Iterator[Lines]:
    nb = read_notebook(path)
    for index, cell in enumerate(nb.cells, start=1):
        found = master.question_of_cell_id(cell.get("id", ""))
        question = found[1] if found else None
        located = f"{where}, cell {index}" + (f" (question {question})" if question else "")
        yield Lines(located, tuple(cell.source.split("\n")))
    yield Lines(f"{where}, notebook metadata", tuple(json.dumps(nb.metadata, indent=1).split("\n")))


def _test_file_lines(path: Path, where: str) -> Iterator[Lines]:
    source = path.read_text(encoding="utf-8")
    question = path.stem
    test = ok_test_dict(source)
    if test is None:
        yield Lines(f"{where} (question {question})", tuple(source.split("\n")))
        return
    for suite in test.get("suites", []):
        for number, case in enumerate(suite.get("cases", []), start=1):
            code = [re.sub(r"^(>>> |\.\.\. )", "", line) for line in case["code"].split("\n")]
            located = f"{where} (question {question}), case {number}"
            yield Lines(located, tuple(code), hidden_case=bool(case.get("hidden")))
