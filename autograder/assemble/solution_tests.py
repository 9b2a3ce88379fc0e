"""Step 4: the solution must pass every test, under otter's own grader.

``otter run`` grades otter's autograder notebook (the master's solutions)
with the zip otter just built; its results file is read per question and each
failing case is traced back to its test cell in the master, so the message
names the question and the part instead of showing a traceback.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from typing import Any

from autograder.assemble.context import BuildContext
from autograder.assemble.master import Question
from autograder.assemble.otter_assign import last_exception, otter_command, otter_zip
from autograder.errors import BuildError


def run(context: BuildContext) -> None:
    results_dir = context.work / "solution-results"
    results_dir.mkdir()
    notebook = context.otter_autograder_dir / f"{context.name}.ipynb"
    command = [*otter_command(), "run", "-a", str(otter_zip(context)), "-o", str(results_dir)]
    done = subprocess.run([*command, str(notebook)], capture_output=True, text=True, check=False)
    results_file = results_dir / "results.json"
    if done.returncode != 0 or not results_file.is_file():
        raise BuildError(
            f"otter could not grade the solutions of {context.master.display_path}: "
            f"{last_exception(done.stderr or done.stdout)}"
        )
    results = json.loads(results_file.read_text(encoding="utf-8"))
    problems = list(_failures(results, context.master.questions))
    if problems:
        raise BuildError(
            f"the solutions in {context.master.display_path} fail their own tests:\n"
            + "\n".join(f"  - {problem}" for problem in problems)
            + "\nfix the solution or the test, then build again"
        )


def _failures(results: dict[str, Any], questions: tuple[Question, ...]) -> Iterator[str]:
    by_name = {question.name: question for question in questions}
    for entry in results.get("tests", []):
        question = by_name.get(entry.get("name"))
        score, max_score = entry.get("score"), entry.get("max_score")
        if question is None or score is None or score >= max_score:
            continue
        failed = list(_failed_cases(entry.get("output", ""), question))
        if not failed:
            yield f"{question.where}: the solution scores {score}/{max_score}"
        yield from failed


_CASE_RESULT = re.compile(r"^\s*(?P<name>\S+) - (?P<number>\d+) result:\s*$")


def _failed_cases(output: str, question: Question) -> Iterator[str]:
    """otter reports case N (from 1, in test-cell order) as ``<question> - N result:``,
    followed by a line with a cross mark when it failed."""
    blocks: list[tuple[int, list[str]]] = []
    for line in output.splitlines():
        match = _CASE_RESULT.match(line)
        if match and match["name"] == question.name:
            blocks.append((int(match["number"]), []))
        elif blocks:
            blocks[-1][1].append(line)
    for number, lines in blocks:
        if not any("❌" in line or "failed" in line.lower() for line in lines[:2]):
            continue
        case = question.tests[number - 1] if 0 < number <= len(question.tests) else None
        if case is None:
            yield f"{question.where}: test case {number} fails on the solution"
            continue
        kind = f"hidden test (part {case.part!r})" if case.hidden else "public test"
        yield f"{case.where}: this {kind} fails on the solution{doctest_failure(lines)}"


def doctest_failure(lines: list[str]) -> str:
    """`` at `<line>`: <exception or output>`` from a doctest failure report."""
    stripped = [line.strip() for line in lines]
    if "Failed example:" not in stripped:
        return f": {last_exception(chr(10).join(lines))}"
    start = stripped.index("Failed example:") + 1
    ends = ("Exception raised:", "Expected:", "Expected nothing")
    end = next((i for i in range(start, len(stripped)) if stripped[i].startswith(ends)), None)
    end = len(stripped) if end is None else end
    example = " ".join(line for line in stripped[start:end] if line)
    rest = stripped[end:]
    if rest and rest[0] == "Exception raised:":
        found = [line for line in rest[1:] if line]
        error = found[-1] if found else "an exception"
    else:
        shown = " ".join(line for line in rest if line)
        error = f"its output differs ({shown})" if shown else "its output differs"
    return f" at `{example}`: {error}"
