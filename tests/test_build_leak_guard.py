"""The leak guard on planted leaks: staged student files that give answers away."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from build_support import MASTERS, project_with

from autograder.assemble.context import BuildContext
from autograder.assemble.leak_guard import is_trivial, run
from autograder.assemble.master import read_master
from autograder.errors import BuildError

PUBLIC_CASE = {"code": ">>> assert square(2) == 4\n", "hidden": False, "locked": False}


REFERENCE = "def square(x):\n    squared_value = x * x\n    return squared_value\n"


def staged(
    tmp_path: Path, cells: list[str], cases: list[dict[str, object]], *, modules: bool = False
) -> BuildContext:
    """A build context whose staged assignments/toy/ holds these cells and test cases;
    with ``modules``, the toy assignment has a folder with reference.py and helpers.py."""
    project = project_with(tmp_path / "course", "toy")
    if modules:
        folder = project.solutions_dir / "toy"
        folder.mkdir()
        (project.solutions_dir / "toy.ipynb").rename(folder / "toy.ipynb")
        (folder / "reference.py").write_text(REFERENCE)
        (folder / "helpers.py").write_text("from reference import square\n")
    master = read_master(MASTERS / "toy.ipynb", "solutions/toy.ipynb")
    context = BuildContext(project, "toy", master, tmp_path / "work")
    context.student_dir.joinpath("tests").mkdir(parents=True)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(source) for source in cells]
    for index, cell in enumerate(nb.cells):
        cell["id"] = master.cell_ids[4] if index == 0 else f"student-{index}"
    nbformat.write(nb, context.staged.student_notebook)
    test = {"name": "q1_square", "points": 2, "suites": [{"cases": cases, "type": "doctest"}]}
    context.student_dir.joinpath("tests", "q1_square.py").write_text(
        f"OK_FORMAT = True\n\ntest = {test!r}\n"
    )
    return context


def leaks(context: BuildContext) -> str:
    with pytest.raises(BuildError) as raised:
        run(context)
    return str(raised.value)


def test_clean_student_files_pass(tmp_path: Path) -> None:
    run(staged(tmp_path, ["Write `square(x)`.", "def square(x):\n    ..."], [PUBLIC_CASE]))


def test_a_solution_line_in_a_prompt_is_named(tmp_path: Path) -> None:
    message = leaks(staged(tmp_path, ["Hint:\n\n    return x * x"], [PUBLIC_CASE]))
    assert "assignments/toy/toy.ipynb, cell 1 (question q1_square): 'return x * x'" in message
    assert "solution line of solutions/toy.ipynb, cell 7, question q1_square" in message


def test_a_written_solution_is_a_secret_too(tmp_path: Path) -> None:
    answer = "Because x and -x have the same square, so the sign is lost."
    message = leaks(staged(tmp_path, ["Note", f"In short: {answer} Enjoy."], [PUBLIC_CASE]))
    assert "assignments/toy/toy.ipynb, cell 2" in message and "cell 27" in message


def test_a_hidden_case_in_a_student_test_file_is_named(tmp_path: Path) -> None:
    hidden = {"code": ">>> expect(square(3) == 9, part='odd')\n", "hidden": True, "locked": False}
    message = leaks(staged(tmp_path, ["Write `square(x)`."], [PUBLIC_CASE, hidden]))
    assert "assignments/toy/tests/q1_square.py (question q1_square), case 2" in message
    assert "a hidden test case" in message


def test_an_autograder_import_in_a_public_test_is_named(tmp_path: Path) -> None:
    planted = {
        "code": (
            ">>> from autograder.hidden import disc05 as hidden\n>>> hidden.q(square, part='x')\n"
        ),
        "hidden": False,
        "locked": False,
    }
    message = leaks(staged(tmp_path, ["Write `square(x)`."], [planted]))
    assert "case 1: an import of autograder" in message


@pytest.mark.parametrize("line", [">>> import helpers\n", ">>> from reference import square\n"])
def test_a_course_module_import_in_a_public_test_is_named(tmp_path: Path, line: str) -> None:
    planted = {"code": line, "hidden": False, "locked": False}
    message = leaks(staged(tmp_path, ["Write `square(x)`."], [planted], modules=True))
    module = "helpers" if "helpers" in line else "reference"
    assert f"case 1: an import of the course module {module}" in message


def test_reference_code_is_a_secret(tmp_path: Path) -> None:
    cells = ["Try:\n\n    squared_value = x * x"]
    message = leaks(staged(tmp_path, cells, [PUBLIC_CASE], modules=True))
    assert "reference code (toy/reference.py, line 2)" in message


@pytest.mark.parametrize(
    "line", ["...", "    pass", "return", "return h", "import numpy as np", "# BEGIN", ")", ""]
)
def test_trivial_lines_are_no_secret(line: str) -> None:
    assert is_trivial(line)


@pytest.mark.parametrize("line", ["return x * x", "mean_value = sum([1, 2, 3, 6]) / 4"])
def test_answers_are_secrets(line: str) -> None:
    assert not is_trivial(line)
