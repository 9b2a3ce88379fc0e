"""Submissions in tests/fixtures/submissions/: one small ``.cell`` file (notebook cell code,
not a module) per right answer in another form
(``correct/``) and per typical mistake (``mistakes/``), with the credit it must lose.

A fixture file starts with comment lines::

    # <what it is>
    # score: q2_backward 1/6            (the question's score it must get; several: ", ")
    # loses: q2_backward: dx, ...       (every credit it must lose; empty for a right answer)
    # cell: q2-backward-solution        (the answer cell the following code replaces)
    <code>

and may hold several ``# cell:`` sections. The submission is the assignment's
student notebook answered by the solution, except in those cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "submissions"


@dataclass(frozen=True)
class FixtureSubmission:
    path: Path
    assignment: str
    kind: str  # "correct" or "mistakes"
    description: str
    scores: dict[str, tuple[float, float]]  # question -> (score, max)
    loses: frozenset[str]
    cells: dict[str, str]  # answer cell id -> its source

    @property
    def name(self) -> str:
        return f"{self.assignment}/{self.kind}/{self.path.stem}"


def load_fixtures(assignment: str | None = None) -> list[FixtureSubmission]:
    paths = sorted(FIXTURES.glob(f"{assignment or '*'}/*/*.cell"))
    return [read_fixture(path) for path in paths]


def read_fixture(path: Path) -> FixtureSubmission:
    lines = path.read_text(encoding="utf-8").split("\n")
    description = lines[0].removeprefix("# ")
    headers = {}
    cells: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines[1:]:
        if line.startswith("# cell: "):
            current = cells.setdefault(line.removeprefix("# cell: ").strip(), [])
        elif current is not None:
            current.append(line)
        elif line.startswith("# ") and ":" in line:
            key, _, value = line.removeprefix("# ").partition(":")
            headers[key.strip()] = value.strip()
    scores = {}
    for item in filter(None, (part.strip() for part in headers["score"].split(","))):
        question, fraction = item.split()
        got, top = fraction.split("/")
        scores[question] = (float(got), float(top))
    loses = frozenset(label.strip() for label in headers["loses"].split(",") if label.strip())
    return FixtureSubmission(
        path=path,
        assignment=path.parent.parent.name,
        kind=path.parent.name,
        description=description,
        scores=scores,
        loses=loses,
        cells={cell: "\n".join(code).strip("\n") + "\n" for cell, code in cells.items()},
    )
