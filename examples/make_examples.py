"""Regenerate the example submissions graded by `autograder demo`.

Each example is the student notebook of `assignments/<name>/` with some answer
cells filled in the way a student would: from the solution notebook that
`autograder build` writes to `dist/<name>/`, optionally with a typical mistake
edited in. Run from the repository root after `autograder build`:

    python examples/make_examples.py

The expected scores of these files are written out by hand in
tests/test_grading_examples.py; they are not computed from this script.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = "_Type your answer here, replacing this text._"


@dataclass(frozen=True)
class Example:
    stem: str
    filled: tuple[str, ...]  # ids of the answer cells the student filled in ("*": all)
    edits: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # id -> [(old, new)]


EXAMPLES: dict[str, list[Example]] = {
    "disc05": [
        Example("solution", ("*",)),
        Example("blank", ()),
        Example(
            "mistakes",
            ("*",),
            {
                # sigmoid overflows at -1000 (and sigmoid_grad inherits it)
                "q1a-sigmoid-solution": [
                    (
                        "    x = np.asarray(x, dtype=float)\n"
                        "    # exp(-|x|) lies in (0, 1], so neither branch can overflow\n"
                        "    z = np.exp(-np.abs(x))\n"
                        "    return np.where(x >= 0, 1 / (1 + z), z / (1 + z))",
                        "    return 1 / (1 + np.exp(-x))",
                    )
                ],
                # the Jacobian forgets the identity of the skip connection
                "q1c-solution": [("np.eye(X0.shape[0]) + W2", "W2")],
                # Gamma without the sqrt((1 - p) / p) factor
                "q2a-solution": [("np.sqrt((1 - p) / p) * np.diag", "np.diag")],
            },
        ),
        Example(
            "partial",
            ("q1a-sigmoid-solution", "q1a-max-solution", "q1b-solution"),
            {
                # a student's own written answer: markdown, math, and HTML that must stay text
                "q1a-relu-prompt": [
                    (
                        PLACEHOLDER,
                        "Each sigmoid layer multiplies the gradient by at most $\\sigma'(z) "
                        "\\le \\tfrac14$, so after $L$ layers it is\n\n"
                        "$$\\Bigl(\\tfrac{1}{4}\\Bigr)^{L} \\approx 10^{-6} "
                        "\\quad (L = 10).$$\n\n"
                        "ReLU has slope **1** for $z > 0$, so <b>no shrinking</b> there.",
                    )
                ],
            },
        ),
    ],
    "disc06": [
        Example("solution", ("*",)),
        Example("blank", ()),
        Example(
            "lstm_mistakes",
            ("*",),
            {
                "q2-backward-solution": [
                    ("db = da.sum(axis=0)", "db = da.mean(axis=0)"),  # averaged, not summed
                    ("dc_prev = dc * f", "dc_prev = dc"),  # the forget gate is missing
                ]
            },
        ),
        Example(
            "partial",
            ("q1a-solution", "q1b-solution", "q2-forward-solution"),
            {
                "q1b-solution": [
                    (f'["{row}"]["{col}"] = "{value}"', f'["{row}"]["{col}"] = ...')
                    for row, values in {
                        "convolutional": ("grid elements", "local", "spatial translation",
                                          "locality"),
                        "recurrent": ("timesteps", "sequential", "time translation",
                                      "sequentiality"),
                    }.items()
                    for col, value in zip(
                        ("inputs", "interactions", "invariance", "inductive_bias"),
                        values,
                        strict=True,
                    )
                ]
            },
        ),
    ],
}


def make(name: str, example: Example) -> nbformat.NotebookNode:
    student = nbformat.read(ROOT / "assignments" / name / f"{name}.ipynb", as_version=4)
    solution = nbformat.read(ROOT / "dist" / name / f"{name}.ipynb", as_version=4)
    answers = {cell.get("id"): cell.source for cell in solution.cells}
    answers.update(written_answers(solution))
    for cell in student.cells:
        cell_id = cell.get("id")
        if cell_id not in answers or cell.source == answers[cell_id]:
            continue
        if "*" in example.filled or cell_id in example.filled:
            cell.source = answers[cell_id]
        for old, new in example.edits.get(cell_id, []):
            if old not in cell.source:
                raise SystemExit(f"{name}/{example.stem}: {old!r} not found in cell {cell_id}")
            cell.source = cell.source.replace(old, new)
    return student


def written_answers(solution: nbformat.NotebookNode) -> dict[str, str]:
    """Answer cell id -> the model answer that follows it (markdown, with math)."""
    answers = {}
    for cell, following in zip(solution.cells, solution.cells[1:]):
        tags = cell.metadata.get("tags", [])
        if "otter_answer_cell" in tags and cell.cell_type == "markdown":
            if "otter_assign_solution_cell" in following.metadata.get("tags", []):
                answers[cell.get("id")] = following.source.replace("**Model answer.** ", "", 1)
    return answers


def main() -> None:
    for name, examples in EXAMPLES.items():
        folder = ROOT / "examples" / name
        folder.mkdir(parents=True, exist_ok=True)
        for example in examples:
            nbformat.write(make(name, example), folder / f"{example.stem}.ipynb")
            print(f"wrote {folder / example.stem}.ipynb")


if __name__ == "__main__":
    main()
