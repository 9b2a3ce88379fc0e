"""Reading a submitted notebook: anything a student uploads must end in a message, not a crash."""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.uploads import SubmissionProblem, read_upload

__all__ = ["Submission", "SubmissionProblem", "read_submission"]


@dataclass(frozen=True)
class Submission:
    path: Path
    code_cells: tuple[str, ...]
    cell_numbers: tuple[int, ...]  # each code cell's position in the notebook, from 1
    #: The assignment the notebook says it is (otter assign writes metadata.otter.assignment_name).
    assignment_name: str = ""
    #: Which file was graded, when the upload held several.
    note: str = ""
    #: Every cell as the notebook file has it (the written answers are read from them).
    raw_cells: tuple[Any, ...] = ()

    def describe_cell(self, code_index: int) -> str:
        """How a student finds a code cell: its place in the notebook and its first line."""
        first = next(
            (line for line in self.code_cells[code_index].splitlines() if line.strip()), ""
        )
        if len(first) > 60:
            first = first[:57] + "..."
        return f"Cell {self.cell_numbers[code_index]} ({first.strip()!r})"


def read_submission(path: Path, assignment: str = "") -> Submission:
    """The code cells of ``path`` (a notebook, or a zip or folder holding one), in order, or
    SubmissionProblem saying what is wrong. ``assignment`` picks among several notebooks."""
    notebook = read_upload(path, assignment or "your assignment")
    name = notebook.name
    try:
        text = notebook.data.decode("utf-8")
        raw = json.loads(text)
    except (UnicodeDecodeError, ValueError) as exc:
        raise SubmissionProblem(
            f"{name} is not a Jupyter notebook (it is not valid notebook JSON: {exc}); "
            "submit the .ipynb file you worked in"
        ) from exc
    if not isinstance(raw, dict) or "cells" not in raw:
        raise SubmissionProblem(
            f"{name} is not a Jupyter notebook (no 'cells'); submit the .ipynb file you worked in"
        )
    all_cells = _cells_v4(name, raw) if raw.get("nbformat") == 4 else _cells_upgraded(name, text)
    numbered = [
        (number, source)
        for number, cell in enumerate(all_cells, start=1)
        if isinstance(cell, dict)
        and cell.get("cell_type") == "code"
        and isinstance(source := _source(cell), str)
    ]
    cells = [source for _, source in numbered]
    if not all_cells:
        raise SubmissionProblem(f"{name} has no cells: submit the notebook with your work in it")
    if not any(source.strip() for source in cells):
        raise SubmissionProblem(f"{name} has no code cells: nothing could be graded")
    return Submission(
        path,
        tuple(cells),
        tuple(number for number, _ in numbered),
        _assignment_name(raw),
        notebook.note,
        tuple(all_cells),
    )


def _assignment_name(raw: dict[str, Any]) -> str:
    metadata = raw.get("metadata")
    otter = metadata.get("otter") if isinstance(metadata, dict) else None
    name = otter.get("assignment_name") if isinstance(otter, dict) else None
    return name if isinstance(name, str) else ""


def _cells_v4(name: str, raw: dict[str, Any]) -> list[Any]:
    """The cells of a version 4 notebook, read as plain JSON (importing nbformat takes longer
    than grading some notebooks)."""
    cells = raw["cells"]
    if not isinstance(cells, list):
        raise SubmissionProblem(
            f"{name} is not a Jupyter notebook ('cells' is not a list); "
            "submit the .ipynb file you worked in"
        )
    return cells


def _cells_upgraded(name: str, text: str) -> list[Any]:
    """The cells of an older notebook, converted to version 4 by nbformat."""
    import nbformat

    try:
        with warnings.catch_warnings():  # old notebooks without cell ids are still notebooks
            warnings.simplefilter("ignore")
            notebook = nbformat.reads(text, as_version=4)  # type: ignore[no-untyped-call]
    except Exception as exc:  # nbformat raises a zoo of types for malformed files
        raise SubmissionProblem(f"{name} is not a readable notebook: {exc}") from exc
    return list(notebook.cells)


def _source(cell: dict[str, Any]) -> object:
    """A cell's source: notebook files store it as one string or as a list of lines."""
    source = cell.get("source", "")
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return "".join(source)
    return source
