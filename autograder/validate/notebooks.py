"""Submissions made from an assignment's own notebooks, as a student would hand them in.

The student notebook (``assignments/<name>/``) and the solution notebook that
``otter assign`` wrote (``dist/<name>/<name>.ipynb``) share cell ids. A cell
whose source differs between them is an answer cell; a submission is the
student notebook with every answer cell filled from the solution, some of them
replaced by other code (a mutant, a fixture).
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from autograder.assemble.files import read_notebook
from autograder.assemble.master import MasterNotebook
from autograder.errors import AutograderError
from autograder.project import AssignmentFiles
from autograder.validate.mutants import AnswerCell


@dataclass(frozen=True)
class AssignmentNotebooks:
    student: Any  # nbformat.NotebookNode
    solution: Any
    answers: tuple[AnswerCell, ...]

    def submission(self, replacements: Mapping[str, str] | None = None) -> Any:
        """The student notebook, answered by the solution except where ``replacements``
        (cell id -> source) say otherwise."""
        replacements = replacements or {}
        unknown = set(replacements) - {answer.cell_id for answer in self.answers}
        if unknown:
            raise AutograderError(f"no answer cell with the id(s) {sorted(unknown)}")
        notebook = _copy(self.student)
        by_id = {answer.cell_id: answer.source for answer in self.answers}
        for cell in notebook.cells:
            cell_id = cell.get("id")
            if cell_id in by_id:
                cell.source = replacements.get(cell_id, by_id[cell_id])
        return notebook

    def code_cells(self, replacements: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
        """(id, source) of the submission's code cells, without otter's own cells (the
        grader's init, checks and export), which only make sense in Jupyter."""
        cells = []
        for cell in self.submission(replacements).cells:
            if cell.cell_type == "code" and not _uses_otter(cell.source):
                cells.append((str(cell.get("id")), cell.source))
        return cells


def load_notebooks(files: AssignmentFiles, master: MasterNotebook) -> AssignmentNotebooks:
    for path in (files.student_notebook, files.solution_notebook):
        if not path.is_file():
            raise AutograderError(f"{path} is missing: run `autograder build {files.name}`")
    student, solution = (
        read_notebook(files.student_notebook),
        read_notebook(files.solution_notebook),
    )
    given = {cell.get("id"): cell.source for cell in student.cells}
    answers = []
    for cell in solution.cells:
        cell_id = cell.get("id")
        if cell.cell_type != "code" or cell_id not in given or given[cell_id] == cell.source:
            continue
        found = master.question_of_cell_id(cell_id)
        question = found[1] if found else None
        if question is not None:
            answers.append(AnswerCell(cell_id, question, cell.source))
    return AssignmentNotebooks(student, solution, tuple(answers))


def _copy(notebook: Any) -> Any:
    import copy

    return copy.deepcopy(notebook)


def _uses_otter(source: str) -> bool:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == "grader":
            return True
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                modules.append(node.module)
            if any(module.split(".")[0] == "otter" for module in modules):
                return True
    return False
