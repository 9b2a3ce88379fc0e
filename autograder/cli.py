"""Command line: parses arguments and calls the library. No grading logic lives here."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
import typer.main
from rich.console import Console

from autograder.errors import AutograderError
from autograder.project import Project

if TYPE_CHECKING:  # grading pulls in numpy and sympy: imported by the commands that need it
    from autograder.grading import SubmissionResult

app = typer.Typer(
    help="Build otter-grader assignments from master notebooks and grade submissions safely.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)

RootOption = Annotated[
    Optional[Path],  # noqa: UP045 - typer needs Optional on Python 3.10
    typer.Option("--root", help="The course repository (default: the folder holding solutions/)."),
]


def _project(root: Path | None) -> Project:
    return Project(root.resolve()) if root else Project.find()


@app.command()
def build(
    names: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Argument(help="Assignments to build (default: every one in solutions/)."),
    ] = None,
    check: Annotated[
        bool,
        typer.Option("--check", help="Rebuild in a temporary place; fail if assignments/ differs."),
    ] = False,
    validate: Annotated[
        bool,
        typer.Option(
            "--validate",
            help="Then mutation-test the hidden tests (as `autograder validate`); fail when a "
            "question kills fewer mutants than its bar, or a verdict depends on the seed.",
        ),
    ] = False,
    root: RootOption = None,
) -> None:
    """Generate student notebooks (assignments/) and autograders (dist/) from the masters."""
    from autograder.assemble import build as build_assignments
    from autograder.grading.validity import sandbox_grader
    from autograder.report import describe_build

    project = _project(root)
    report = build_assignments(
        project, names or None, check=check, grader=sandbox_grader, progress=err.print
    )
    typer.echo(describe_build(report))
    if validate:
        _validate(project, [built.name for built in report.assignments], ValidateArgs())


@dataclass(frozen=True)
class ValidateArgs:
    sample: int = 40
    seed: int = 0
    seeds: int = 20
    jobs: int = 2
    questions: tuple[str, ...] = ()


def _validate(project: Project, names: list[str], args: ValidateArgs) -> None:
    from autograder.validate import ValidateOptions, ValidationError, describe, validate

    options = ValidateOptions(
        sample=args.sample or None,
        seed=args.seed,
        workers=args.jobs,
        stability_seeds=args.seeds,
        questions=args.questions or None,
    )
    problems = []
    for name in names:
        result = validate(project, name, options, progress=err.print)
        typer.echo(describe(result))
        problems.extend(result.problems())
    if problems:
        raise ValidationError(
            "the hidden tests are not good enough yet:\n" + "\n".join(f"  - {p}" for p in problems)
        )


@app.command()
def new(
    name: Annotated[str, typer.Argument(help="The new assignment's name, e.g. disc07.")],
    root: RootOption = None,
) -> None:
    """Start an assignment: solutions/NAME/ with a master and a reference that build as is."""
    from autograder.scaffold import new_assignment

    try:
        project = _project(root)
    except AutograderError:  # a course repository's first assignment: no solutions/ yet
        project = Project(Path.cwd())
    typer.echo(new_assignment(project, name).next_steps(project))


@app.command()
def grade(
    assignment: Annotated[str, typer.Argument(help="Assignment name, e.g. disc06.")],
    submissions: Annotated[
        list[Path],
        typer.Argument(
            help="Submitted notebooks, zips holding one (otter's export), or folders of them "
            "(searched recursively; a Gradescope export's submission_<id>/ folders included)."
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="Directory for <stem>.json and scores.csv.")],
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs", "-j", min=1, help="Submissions graded at once (default: the CPU count)."
        ),
    ] = os.cpu_count() or 1,
    regrade: Annotated[
        bool,
        typer.Option(
            "--regrade",
            help="Grade again the submissions that already have a finished result in --out "
            "(by default a rerun, e.g. after an interruption, only grades the rest).",
        ),
    ] = False,
    require_isolation: Annotated[
        bool,
        typer.Option(
            "--require-isolation",
            help="Refuse to grade (exit 2) where submissions cannot be confined to the "
            "allow-listed file view (no mount namespace and no Landlock).",
        ),
    ] = False,
    root: RootOption = None,
) -> None:
    """Grade submissions in a sandbox; write one results.json per submission and scores.csv."""
    from autograder.uploads import find_uploads

    project = _project(root)
    project.master(assignment)  # an unknown assignment is said before anything else
    uploads = find_uploads(submissions)
    in_process = jobs == 1 or len(uploads) == 1
    if in_process:  # start this process's worker pool now
        from autograder.sandbox.zygote import warm_up

        warm_up()
    from autograder.grading import GradingOptions, grade_batch, load_spec
    from autograder.grading.batch import check_batch
    from autograder.progress import BatchProgress
    from autograder.report import describe_other_assignments, print_scores, wrap_items
    from autograder.written_answers import WRITTEN_LAYOUT, write_written_answers

    spec = load_spec(project, assignment)
    if require_isolation:
        _require_isolation()
    options = GradingOptions(hide_paths=(project.root,))
    write_written = functools.partial(
        write_written_answers, spec, project.files(assignment).solution_notebook, uploads, out
    )
    # Graded here, the pool's fork server is still importing: the written answers (which
    # need only the notebooks) fill that time. With grading processes, they come after.
    check_batch(uploads, out)  # the instructor's mistakes first, in their own words
    written = write_written() if in_process else None
    with BatchProgress(err) as progress:
        results = grade_batch(
            spec,
            uploads,
            out,
            options,
            on_result=progress.result,
            jobs=jobs,
            regrade=regrade,
            on_start=progress.start,
        )
    print_scores(spec, results)
    typer.echo(f"results written to {out}/ (one .json per submission, scores.csv)")
    other = describe_other_assignments(spec, results)
    if other:
        err.print(f"[bold yellow]warning:[/] {other}", highlight=False, soft_wrap=True)
    written = written or write_written()
    if written.students:
        typer.echo(f"written answers to grade by hand: {written.folder}/ ({WRITTEN_LAYOUT})")
    isolated = [result.isolation for result in results if result.isolation]
    if isolated:  # for the staff: the students' results keep it in extra_data
        from autograder.sandbox import Protections

        summary = Protections(**isolated[0]).summary()
        for line in wrap_items(summary, err.width):  # rich would cut an item in two
            err.print(line, markup=False, highlight=False, soft_wrap=True)


def _require_isolation() -> None:
    from autograder.sandbox import probe_isolation

    protections = probe_isolation()
    if not protections.full:
        err.print(
            "[bold red]error:[/] refusing to grade: submissions cannot be confined here. "
            f"{protections.missing['file view']}",
            highlight=False,
        )
        raise typer.Exit(2)


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", help="Where the results go.")] = Path("out/demo"),
    root: RootOption = None,
) -> None:
    """Build every assignment, grade the bundled examples/, print the score tables."""
    from autograder.demo import run_demo

    run_demo(_project(root), out, on_result=_announce)


@app.command()
def report(
    results: Annotated[
        Path, typer.Argument(help="A folder of results: the --out of `autograder grade`.")
    ],
    html: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--html", help="Where to write the page (default: RESULTS/report.html)."),
    ] = None,
) -> None:
    """Class report of a graded batch: an HTML page (works offline) and Markdown here."""
    from autograder.class_report import write_report

    written = write_report(results, html)
    typer.echo(written.markdown)
    typer.echo(f"report written to {written.page}")


@app.command("validate")
def validate_command(
    names: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Argument(help="Assignments to validate (default: every one in solutions/)."),
    ] = None,
    sample: Annotated[
        int,
        typer.Option("--sample", help="Mutants per question at most, seeded (0: all of them)."),
    ] = 40,
    seed: Annotated[int, typer.Option("--seed", help="Seeds the sample and the draws.")] = 0,
    seeds: Annotated[
        int, typer.Option("--seeds", help="Seeds each example is graded under (0: skip).")
    ] = 20,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Gradings at once.")] = 2,
    question: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--question", "-q", help="Only this question's mutants (repeatable)."),
    ] = None,
    root: RootOption = None,
) -> None:
    """Mutation-test the hidden tests of built assignments, and grade the examples under
    several seeds; exit 1 naming each question below its bar and each flip."""
    project = _project(root)
    args = ValidateArgs(sample, seed, seeds, jobs, tuple(question or ()))
    _validate(project, names or project.assignment_names(), args)


def _announce(path: Path, result: SubmissionResult) -> None:
    err.print(f"graded {path}: {result.score:g}/{result.max_score:g}")


# typer >= 0.2x vendors its own click, so `click.ClickException` no longer catches its errors.
# Its public BadParameter derives from whichever ClickException is in use: take it from there.
_CLICK_ERROR: type[Exception] = next(
    cls for cls in typer.BadParameter.__mro__ if cls.__name__ == "ClickException"
)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status so tests can call it without a subprocess.

    0: done. 1: the instructor's mistake (or our bug), with a message. 2: a usage error,
    with the usage line. Never a traceback, unless AUTOGRADER_TRACEBACK is set.
    """
    args = list(argv) if argv is not None else sys.argv[1:]
    try:
        # Without standalone mode, click returns the code of a typer.Exit instead of raising.
        code = app(args=args, prog_name="autograder", standalone_mode=False)
    except typer.Exit as done:
        return int(done.exit_code)
    except typer.Abort:
        err.print("aborted")
        return 130
    except AutograderError as problem:
        err.print(f"[bold red]error:[/] {problem}", highlight=False)
        return 1
    except _CLICK_ERROR as usage:
        return _usage_error(usage, args)
    except Exception as bug:
        if os.environ.get("AUTOGRADER_TRACEBACK"):
            raise
        err.print(
            f"[bold red]internal error:[/] {type(bug).__name__}: {bug}\n"
            "This is a bug in the autograder: run again with AUTOGRADER_TRACEBACK=1 to see "
            "where, and report it.",
            highlight=False,
        )
        return 1
    return code if isinstance(code, int) else 0


def _usage_error(error: Any, args: list[str]) -> int:
    """Print a click usage error as click does, adding the usage line when it lacks one."""
    if getattr(error, "ctx", None) is None:
        typer.echo(_usage_line(args), err=True)
    error.show()
    return int(error.exit_code)


def _usage_line(args: list[str]) -> str:
    """The usage line of the command named in ``args`` (or of the program)."""
    group: Any = typer.main.get_command(app)
    context = group.context_class(group, info_name="autograder")
    name = next((arg for arg in args if arg in group.commands), None)
    if name is None:
        return str(group.get_usage(context))
    command = group.get_command(context, name)
    return str(command.get_usage(command.context_class(command, parent=context, info_name=name)))


if __name__ == "__main__":
    sys.exit(main())
