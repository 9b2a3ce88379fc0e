"""Master notebook -> student notebook + autograders, as an ordered list of steps.

Reading ``STEPS`` tells the whole process; each step is one module with a
``run(context)`` that reads and writes the staged output of ``BuildContext``.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from autograder.assemble import (
    course_modules,
    dist,
    examples,
    gradescope_zip,
    leak_guard,
    lint,
    manifest,
    otter_assign,
    public_checks,
    publish,
    solution_tests,
    student,
    validity,
)
from autograder.assemble.context import BuildContext, GraderFactory
from autograder.assemble.files import tree_files
from autograder.assemble.master import read_master
from autograder.errors import BuildError
from autograder.project import AssignmentFiles, Project


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[BuildContext], None]
    when_checking: bool = True
    """Whether ``--check`` runs it too (it only needs what reaches ``assignments/``)."""


STEPS: tuple[Step, ...] = (
    Step("lint", lint.run),
    Step("course modules", course_modules.run),
    Step("otter assign", otter_assign.run),
    Step("solution tests", solution_tests.run),
    Step("student files", student.run),
    Step("public checks", public_checks.run),
    Step("dist files", dist.run),
    Step("manifest", manifest.run),
    Step("leak guard", leak_guard.run),
    Step("examples", examples.run, when_checking=False),
    Step("gradescope zip", gradescope_zip.run, when_checking=False),
    Step("validity", validity.run, when_checking=False),
)


@dataclass(frozen=True)
class AssignmentBuild(AssignmentFiles):
    """One assignment built (or, with ``check``, rebuilt and compared), and where it went."""

    master: Path
    seconds: float
    step_seconds: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class BuildReport:
    assignments: tuple[AssignmentBuild, ...]
    checked: bool
    """True for ``check``: nothing was written, and the committed files are in sync."""

    @property
    def seconds(self) -> float:
        return sum(assignment.seconds for assignment in self.assignments)


def build(
    project: Project,
    names: Sequence[str] | None = None,
    *,
    check: bool = False,
    grader: GraderFactory | None = None,
    progress: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build ``names`` (default: every master in ``solutions/``).

    With ``check``, build into a temporary place only and raise ``BuildError``
    naming every file of ``assignments/`` that differs from the committed one.
    ``grader``, when given, turns a built ``dist/<name>/`` into a grade function
    for the validity step. ``progress`` receives one line per step.
    """
    chosen = list(names) if names else project.assignment_names()
    if not chosen:
        raise BuildError(f"no master notebooks in {project.solutions_dir}: add <name>.ipynb there")
    masters = {name: project.master(name) for name in chosen}  # unknown names fail first
    built: list[AssignmentBuild] = []
    stale: list[str] = []
    for name, master in masters.items():
        with tempfile.TemporaryDirectory(prefix=f"autograder-build-{name}-") as work:
            context = BuildContext(
                project=project,
                name=name,
                master=read_master(master, master.relative_to(project.root).as_posix()),
                work=Path(work),
                check=check,
                grader=grader,
            )
            built.append(_run_steps(context, progress))
            if check:
                stale.extend(publish.differences(context))
            else:
                publish.publish(context)
    if check and not names:
        stale.extend(_unbuilt_assignments(project, set(chosen)))
    if stale:
        raise BuildError(
            "assignments/ is out of sync with solutions/:\n"
            + "\n".join(f"  - {line}" for line in stale)
            + "\nrun `autograder build` and commit the result"
        )
    return BuildReport(tuple(built), checked=check)


def _run_steps(context: BuildContext, progress: Callable[[str], None] | None) -> AssignmentBuild:
    timings, started = [], time.perf_counter()
    for step in STEPS:
        if context.check and not step.when_checking:
            continue
        if progress is not None:
            progress(f"{context.name}: {step.name}")
        step_started = time.perf_counter()
        step.run(context)
        timings.append((step.name, time.perf_counter() - step_started))
    return AssignmentBuild(
        name=context.name,
        master=context.master.path,
        student_dir=context.project.assignments_dir / context.name,
        dist_dir=context.project.dist(context.name),
        seconds=time.perf_counter() - started,
        step_seconds=tuple(timings),
    )


def _unbuilt_assignments(project: Project, masters: set[str]) -> list[str]:
    root = project.assignments_dir
    folders = sorted(path.name for path in root.iterdir() if path.is_dir()) if root.is_dir() else []
    return [
        f"assignments/{folder}/{relative} is extra (no solutions/{folder}.ipynb builds it)"
        for folder in folders
        if folder not in masters
        for relative in tree_files(root / folder)
    ]
