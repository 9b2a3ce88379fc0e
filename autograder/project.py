"""Where a course project keeps its files: masters, student notebooks, build output."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from autograder.errors import AutograderError, UnknownAssignmentError


@dataclass(frozen=True)
class AssignmentFiles:
    """Where one assignment's generated files live: in the project, or staged by a build."""

    name: str
    student_dir: Path  # assignments/<name>/: what students get
    dist_dir: Path  # dist/<name>/: what graders use

    @property
    def student_notebook(self) -> Path:
        return self.student_dir / f"{self.name}.ipynb"

    @property
    def solution_notebook(self) -> Path:
        """otter's autograder notebook: the master with solutions, without config cells."""
        return self.dist_dir / f"{self.name}.ipynb"

    @property
    def manifest(self) -> Path:
        return self.dist_dir / "manifest.json"

    @property
    def tests_dir(self) -> Path:
        """OK-format tests with their hidden cases."""
        return self.dist_dir / "tests"

    @property
    def course_dir(self) -> Path:
        """The assignment's course modules (reference, helpers...), copied by the build."""
        return self.dist_dir / "course"

    @property
    def examples_dir(self) -> Path:
        """Example submissions the build derives from the master (solution, blank, mistakes)."""
        return self.dist_dir / "examples"

    @property
    def otter_zip(self) -> Path:
        return self.dist_dir / "otter-autograder.zip"

    @property
    def gradescope_zip(self) -> Path:
        return self.dist_dir / "autograder.zip"


@dataclass(frozen=True)
class Project:
    """A course repository: ``solutions/`` (masters), ``assignments/`` (committed
    student notebooks) and ``dist/`` (generated autograders, not committed)."""

    root: Path

    @classmethod
    def find(cls, start: Path | None = None) -> Project:
        """The nearest directory at or above ``start`` (default: cwd) with a ``solutions/``."""
        here = (start or Path.cwd()).resolve()
        for candidate in (here, *here.parents):
            if (candidate / "solutions").is_dir():
                return cls(candidate)
        raise AutograderError(
            f"no solutions/ directory in {here} or above it: run autograder from the course "
            "repository (the folder holding solutions/), or pass --root"
        )

    @property
    def solutions_dir(self) -> Path:
        return self.root / "solutions"

    @property
    def assignments_dir(self) -> Path:
        return self.root / "assignments"

    @property
    def dist_dir(self) -> Path:
        return self.root / "dist"

    @property
    def examples_dir(self) -> Path:
        return self.root / "examples"

    def assignment_names(self) -> list[str]:
        """Every ``solutions/<name>/<name>.ipynb`` (and a flat ``solutions/<name>.ipynb``)."""
        folders = {
            p.parent.name for p in self.solutions_dir.glob("*/*.ipynb") if p.stem == p.parent.name
        }
        flat = {p.stem for p in self.solutions_dir.glob("*.ipynb")}
        return sorted(folders | flat)

    def master(self, name: str) -> Path:
        """The master notebook: ``solutions/<name>/<name>.ipynb``, beside its course modules.

        A lone ``solutions/<name>.ipynb`` (an assignment without modules) works too.
        """
        for path in (
            self.solutions_dir / name / f"{name}.ipynb",
            self.solutions_dir / f"{name}.ipynb",
        ):
            if path.is_file():
                return path
        known = ", ".join(self.assignment_names()) or "none"
        expected = self.solutions_dir / name / f"{name}.ipynb"
        raise UnknownAssignmentError(
            f"unknown assignment {name!r}: there is no {expected}"
            f" (known assignments: {known}; `autograder new {name}` starts one)"
        )

    def course_dir(self, name: str) -> Path | None:
        """The folder of the assignment's own modules (reference, helpers, mistakes), if any."""
        master = self.master(name)
        return master.parent if master.parent != self.solutions_dir else None

    def example_notebooks(self, name: str) -> list[Path]:
        """The examples the build derived (``dist/<name>/examples/``), then the hand-made ones
        of ``examples/<name>/`` (partial work, written answers...)."""
        derived = sorted(self.files(name).examples_dir.glob("*.ipynb"))
        return [*derived, *sorted((self.examples_dir / name).glob("*.ipynb"))]

    def example(self, name: str, stem: str) -> Path:
        """One example by its stem (``solution``, ``blank``, ``mistake-<name>``, ``partial``)."""
        for path in self.example_notebooks(name):
            if path.stem == stem:
                return path
        raise AutograderError(
            f"no example {stem!r} of {name}: build the assignment, or add "
            f"{self.examples_dir / name / f'{stem}.ipynb'}"
        )

    def student_notebook(self, name: str) -> Path:
        return self.assignments_dir / name / f"{name}.ipynb"

    def dist(self, name: str) -> Path:
        return self.dist_dir / name

    def files(self, name: str) -> AssignmentFiles:
        return AssignmentFiles(name, self.assignments_dir / name, self.dist(name))
