"""Reading a submitted notebook: anything a student uploads must end in a message, not a crash."""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from pathlib import Path

import nbformat

#: A notebook this large is not homework; refuse it before parsing.
MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024


class SubmissionProblem(Exception):
    """The submission cannot be executed at all; the text tells the student why."""


@dataclass(frozen=True)
class Submission:
    path: Path
    code_cells: tuple[str, ...]

    @property
    def stem(self) -> str:
        return self.path.stem


def read_submission(path: Path) -> Submission:
    """The code cells of ``path``, in order, or SubmissionProblem saying what is wrong."""
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SubmissionProblem(f"{name} could not be read: {exc.strerror}") from exc
    if size > MAX_NOTEBOOK_BYTES:
        raise SubmissionProblem(
            f"{name} is {size / 2**20:.0f} MiB, over the {MAX_NOTEBOOK_BYTES // 2**20} MiB limit: "
            "clear the outputs (Kernel > Restart & Clear Output) and submit again"
        )
    try:
        text = path.read_bytes().decode("utf-8")
        raw = json.loads(text)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise SubmissionProblem(
            f"{name} is not a Jupyter notebook (it is not valid notebook JSON: {exc}); "
            "submit the .ipynb file you worked in"
        ) from exc
    if not isinstance(raw, dict) or "cells" not in raw:
        raise SubmissionProblem(
            f"{name} is not a Jupyter notebook (no 'cells'); submit the .ipynb file you worked in"
        )
    try:
        with warnings.catch_warnings():  # old notebooks without cell ids are still notebooks
            warnings.simplefilter("ignore")
            notebook = nbformat.reads(text, as_version=4)  # type: ignore[no-untyped-call]
    except Exception as exc:  # nbformat raises a zoo of types for malformed files
        raise SubmissionProblem(f"{name} is not a readable notebook: {exc}") from exc
    cells = [
        cell.get("source", "")
        for cell in notebook.cells
        if cell.get("cell_type") == "code" and isinstance(cell.get("source", ""), str)
    ]
    if not notebook.cells:
        raise SubmissionProblem(f"{name} has no cells: submit the notebook with your work in it")
    if not any(source.strip() for source in cells):
        raise SubmissionProblem(f"{name} has no code cells: nothing could be graded")
    return Submission(path=path, code_cells=tuple(cells))
