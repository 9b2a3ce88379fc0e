"""``autograder new NAME``: a working assignment to start from.

It writes ``solutions/NAME/NAME.ipynb``, a master with one autograded question
(a public test and a hidden test written as plain asserts against the
reference) and one written question, and ``solutions/NAME/reference.py``. Both
build and validate as they are; the instructor replaces the content.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from autograder.assemble.files import write_notebook
from autograder.errors import AutograderError
from autograder.project import Project

NAME_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")

CONFIG = """\
# ASSIGNMENT CONFIG
name: {name}
environment: null
requirements: null
run_tests: true
init_cell: true
check_all_cell: false
export_cell:
  pdf: false
  run_tests: true
tests:
  files: true
  ok_format: true
generate: true"""

REFERENCE = '''\
"""{name} reference: the correct answers the hidden tests compare with."""

import numpy as np


def relu(z):
    """max(z, 0), elementwise."""
    return np.maximum(np.asarray(z, dtype=float), 0.0)
'''

PUBLIC_TEST = '''\
""" # BEGIN TEST CONFIG
points: 0
""" # END TEST CONFIG
z = np.array([-2.0, 0.0, 3.0])
assert np.allclose(relu(z), [0.0, 0.0, 3.0]), "relu must keep positive entries and zero the rest"'''

HIDDEN_TEST = '''\
""" # BEGIN TEST CONFIG
hidden: true
points: 2
part: relu
""" # END TEST CONFIG
from reference import relu as reference_relu

z = np.random.default_rng().normal(size=(4, 5))
assert np.shape(relu(z)) == z.shape, "relu must keep the shape of its input"
assert np.allclose(relu(z), reference_relu(z))'''


@dataclass(frozen=True)
class Scaffold:
    master: Path
    reference: Path

    def next_steps(self, project: Project) -> str:
        master = self.master.relative_to(project.root)
        reference = self.reference.relative_to(project.root)
        name = self.master.stem
        return "\n".join(
            [
                f"wrote {master} and {reference}. Next:",
                f"  1. open {master} in Jupyter; replace the relu question and the written "
                "question with yours (keep the BEGIN/END cells)",
                f"  2. put the correct answers in {reference}; hidden tests import it "
                "(`from reference import relu`)",
                f"  3. autograder build {name}      # student notebook + Gradescope zip",
                f"  4. autograder validate {name}   # the hidden tests catch wrong answers",
                f"  5. commit solutions/{name}/ and assignments/{name}/; upload "
                f"dist/{name}/autograder.zip to Gradescope",
            ]
        )


def new_assignment(project: Project, name: str) -> Scaffold:
    """Write the scaffold of ``name``; refuses a bad name or an existing assignment."""
    if not NAME_PATTERN.fullmatch(name):
        raise AutograderError(
            f"{name!r} is not a usable assignment name: start with a letter, then letters, "
            "digits, '_' or '-' (e.g. disc07)"
        )
    folder = project.solutions_dir / name
    if folder.exists() or (project.solutions_dir / f"{name}.ipynb").exists():
        raise AutograderError(f"{folder} already exists: pick another name or edit that one")
    folder.mkdir(parents=True)
    master = folder / f"{name}.ipynb"
    write_notebook(_master(name), master)
    reference = folder / "reference.py"
    reference.write_text(REFERENCE.format(name=name), encoding="utf-8")
    return Scaffold(master, reference)


# nbformat's functions carry no annotations; these names give them one.
_new_notebook: Callable[..., Any] = nbformat.v4.new_notebook
md: Callable[..., Any] = nbformat.v4.new_markdown_cell
code: Callable[..., Any] = nbformat.v4.new_code_cell
raw: Callable[..., Any] = nbformat.v4.new_raw_cell


def _master(name: str) -> Any:
    cells = [
        ("config", raw(CONFIG.format(name=name))),
        ("title", md(f"# {name}\n\nReplace this introduction with the assignment's.")),
        ("imports", code("import numpy as np")),
        ("q1-begin", raw("# BEGIN QUESTION\nname: q1_relu\npoints: 2")),
        (
            "q1-prompt",
            md(
                "### Question 1: ReLU\n\nImplement `relu(z)`, the rectified linear unit "
                "$\\max(z, 0)$ applied to each entry of the array `z`."
            ),
        ),
        ("q1-solution-begin", raw("# BEGIN SOLUTION")),
        (
            "q1-solution",
            code(
                "def relu(z):\n    # BEGIN SOLUTION\n    return np.maximum(z, 0.0)\n"
                "    # END SOLUTION"
            ),
        ),
        ("q1-solution-end", raw("# END SOLUTION")),
        ("q1-tests-begin", raw("# BEGIN TESTS")),
        ("q1-public", code(PUBLIC_TEST)),
        ("q1-hidden", code(HIDDEN_TEST)),
        ("q1-tests-end", raw("# END TESTS")),
        ("q1-end", raw("# END QUESTION")),
        ("q2-begin", raw("# BEGIN QUESTION\nname: q2_written\npoints: 2\nmanual: true")),
        (
            "q2-prompt",
            md(
                "### Question 2 (written)\n\nWhy does ReLU not shrink the gradient of a "
                "positive pre-activation, when a sigmoid does?"
            ),
        ),
        ("q2-answer-begin", raw("# BEGIN PROMPT")),
        ("q2-answer", md("_Type your answer here, replacing this text._")),
        ("q2-answer-end", raw("# END PROMPT")),
        ("q2-model-begin", raw("# BEGIN SOLUTION")),
        (
            "q2-model",
            md(
                "**Model answer.** For $z > 0$ the slope of ReLU is exactly 1, so the "
                "gradient passes unchanged; the sigmoid's slope is at most $1/4$."
            ),
        ),
        ("q2-model-end", raw("# END SOLUTION")),
        ("q2-end", raw("# END QUESTION")),
    ]
    nb = _new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for cell_id, cell in cells:
        cell["id"] = cell_id
    nb.cells = [cell for _, cell in cells]
    return nb
