"""``autograder validate NAME``: how strong are an assignment's hidden tests?

The steps, in order:

1. read the master (its questions and their mutation bars) and the built
   notebooks; the untouched solution must get full marks under the seed;
2. derive mutants from each autograded question's solution code (``mutants``)
   and sample them, seeded, per question;
3. set aside the mutants that agree with the solution on fresh random inputs
   (``equivalence``): no test could tell them apart;
4. grade every other mutant as a submission (``grading``): killed when it loses
   credit anywhere; a question scores killed / non-equivalent, against its bar;
5. grade the example submissions (and any others given) under several seeds and
   report every credit whose verdict changes with the seed (a flip).
"""

from __future__ import annotations

import ast
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from autograder.assemble.master import MUTATION_BAR_KEY, MasterNotebook, read_master
from autograder.errors import AutograderError
from autograder.grading.spec import AssignmentSpec, case_code, free_names, load_spec_from
from autograder.project import AssignmentFiles, Project
from autograder.validate.equivalence import EquivalenceOracle, Setup, Verdict
from autograder.validate.grading import GradingJob, ValidationGrader, Verdicts
from autograder.validate.mutants import Mutant, mutants_of, sample
from autograder.validate.notebooks import AssignmentNotebooks, load_notebooks

DEFAULT_BAR = 0.95
BAR_KEY = MUTATION_BAR_KEY  # a question's own bar, in its config in the master

Progress = Callable[[str], None]


class ValidationError(AutograderError):
    """The hidden tests are too weak (a question below its bar) or flaky (a flip)."""


@dataclass(frozen=True)
class ValidateOptions:
    """How ``validate`` samples, seeds and parallelizes; the defaults fit in CI."""

    sample: int | None = 40
    """Mutants per question at most, drawn with ``seed`` evenly over the kinds; None: all."""
    seed: int = 0
    """Seeds the sample, the fresh inputs of the equivalence check and the tests' draws."""
    workers: int = 2
    """Notebooks graded in parallel."""
    stability_seeds: int = 20
    """Seeds under which every submission in ``submissions`` is graded; 0 skips it."""
    submissions: tuple[Path, ...] | None = None
    """Notebooks whose verdicts must not depend on the seed (default: the derived examples
    and examples/<name>/)."""
    equivalence_timeout: float = 20.0
    """Seconds for one mutant's equivalence check (a mutant may loop)."""
    questions: tuple[str, ...] | None = None
    """Only these questions' mutants (default: every autograded question)."""


@dataclass(frozen=True)
class MutantResult:
    mutant: Mutant
    verdict: Verdict
    lost: tuple[str, ...] = ()  # the credits it lost when graded; () = survived

    @property
    def killed(self) -> bool:
        return bool(self.lost)


@dataclass(frozen=True)
class QuestionReport:
    name: str
    bar: float
    generated: int
    results: tuple[MutantResult, ...]

    @property
    def sampled(self) -> int:
        return len(self.results)

    @property
    def equivalent(self) -> list[MutantResult]:
        return [r for r in self.results if r.verdict.equivalent]

    @property
    def graded(self) -> list[MutantResult]:
        return [r for r in self.results if not r.verdict.equivalent]

    @property
    def killed(self) -> list[MutantResult]:
        return [r for r in self.graded if r.killed]

    @property
    def survivors(self) -> list[MutantResult]:
        return [r for r in self.graded if not r.killed]

    @property
    def score(self) -> float | None:
        """Killed / non-equivalent, or None when no mutant could be graded."""
        return len(self.killed) / len(self.graded) if self.graded else None

    @property
    def passed(self) -> bool:
        return self.score is None or self.score >= self.bar - 1e-12


@dataclass(frozen=True)
class Flip:
    """A credit whose verdict on one submission depends on the seed."""

    submission: str
    credit: str
    failed_seeds: tuple[int, ...]
    passed_seeds: tuple[int, ...]


@dataclass
class ValidationReport:
    name: str
    questions: list[QuestionReport] = field(default_factory=list)
    stability_seeds: tuple[int, ...] = ()
    stability_submissions: tuple[str, ...] = ()
    flips: list[Flip] = field(default_factory=list)
    seconds: float = 0.0

    def problems(self) -> list[str]:
        """What makes the validation fail, one line each, naming the question."""
        found = []
        for question in self.questions:
            if not question.passed:
                found.append(
                    f"{self.name} question {question.name}: its hidden tests kill "
                    f"{len(question.killed)} of {len(question.graded)} non-equivalent mutants "
                    f"({_percent(question.score)}), below its bar of {_percent(question.bar)}; "
                    f"{len(question.survivors)} survive:\n"
                    + "\n".join(_indent(r.mutant.diff, "      ") for r in question.survivors)
                )
        for flip in self.flips:
            found.append(
                f"{self.name}: {flip.submission} {flip.credit} passes under seeds "
                f"{list(flip.passed_seeds)} and fails under seeds {list(flip.failed_seeds)}"
            )
        return found

    @property
    def ok(self) -> bool:
        return not self.problems()


def validate(
    project: Project,
    name: str,
    options: ValidateOptions | None = None,
    *,
    files: AssignmentFiles | None = None,
    progress: Progress | None = None,
) -> ValidationReport:
    """Mutation-test the hidden tests of ``name`` and check its verdicts are seed-stable.

    ``files`` points at another build of the assignment (a copy with weakened
    tests, say); by default the project's ``assignments/`` and ``dist/``.
    """
    options = options or ValidateOptions()
    say = progress or (lambda _message: None)
    started = time.monotonic()
    master_path = project.master(name)
    master = read_master(master_path, str(master_path.relative_to(project.root)))
    files = files or project.files(name)
    if not files.manifest.is_file():
        raise AutograderError(f"{files.manifest} is missing: run `autograder build {name}`")
    autograded = [q.name for q in master.questions if q.name is not None and not q.manual]
    unknown = sorted(set(options.questions or ()) - set(autograded))
    if unknown:
        raise AutograderError(
            f"{name} has no autograded question {', '.join(unknown)} "
            f"(its autograded questions: {', '.join(autograded)})"
        )
    spec = load_spec_from(files.tests_dir, files.manifest)
    notebooks = load_notebooks(files, master)
    report = ValidationReport(name)
    with ValidationGrader(files.tests_dir, files.manifest, options.workers) as grader:
        _check_solution(grader, notebooks, options.seed, name)
        report.questions = _mutation_testing(grader, master, spec, notebooks, options, say)
        if options.stability_seeds > 0:
            paths = _stability_submissions(project, name, options)
            say(f"{name}: grading {len(paths)} submissions under {options.stability_seeds} seeds")
            seeds = tuple(range(options.seed, options.seed + options.stability_seeds))
            report.stability_seeds = seeds
            report.stability_submissions = tuple(str(path) for path in paths)
            report.flips = find_flips(grader, paths, seeds)
    report.seconds = time.monotonic() - started
    return report


def _mutation_testing(
    grader: ValidationGrader,
    master: MasterNotebook,
    spec: AssignmentSpec,
    notebooks: AssignmentNotebooks,
    options: ValidateOptions,
    say: Progress,
) -> list[QuestionReport]:
    """Steps 2 to 4: sample, set the equivalent mutants aside, grade the others."""
    mutants = _sampled_mutants(master, notebooks, options)
    flat = [mutant for _, sampled in mutants.values() for mutant in sampled]
    say(f"{spec.name}: {len(flat)} mutants sampled; checking which are equivalent")
    verdicts = _judge(spec, notebooks, flat, options)
    say(f"{spec.name}: grading {sum(not v.equivalent for v in verdicts)} non-equivalent mutants")
    results = iter(_grade_mutants(grader, notebooks, flat, verdicts, options.seed))
    bars = _bars(master)
    return [
        QuestionReport(
            question,
            bars.get(question, DEFAULT_BAR),
            generated,
            tuple(next(results) for _ in sampled),
        )
        for question, (generated, sampled) in mutants.items()
    ]


def _check_solution(
    grader: ValidationGrader, notebooks: AssignmentNotebooks, seed: int, name: str
) -> None:
    job = GradingJob("solution", seed, notebook_json=_json(notebooks.submission()))
    for _, verdicts in grader.grade([job]):
        failed = [label for label, _, passed in verdicts if not passed]
        if failed:
            raise AutograderError(
                f"the solution of {name} loses credit on {', '.join(failed)}: fix the master "
                f"and run `autograder build {name}` before validating"
            )


def _bars(master: MasterNotebook) -> dict[str, float]:
    return {
        question.name: question.mutation_bar
        for question in master.questions
        if question.name is not None and question.mutation_bar is not None
    }


def _sampled_mutants(
    master: MasterNotebook, notebooks: AssignmentNotebooks, options: ValidateOptions
) -> dict[str, tuple[int, list[Mutant]]]:
    """question -> (how many mutants there are, the sampled ones), for autograded questions."""
    found: dict[str, tuple[int, list[Mutant]]] = {}
    for question in master.questions:
        if question.manual or question.name is None:
            continue
        if options.questions is not None and question.name not in options.questions:
            continue
        every = [
            m
            for cell in notebooks.answers
            if cell.question == question.name
            for m in mutants_of(cell)
        ]
        if every:
            found[question.name] = (len(every), sample(every, options.sample, options.seed))
    return found


def _judge(
    spec: AssignmentSpec,
    notebooks: AssignmentNotebooks,
    mutants: Sequence[Mutant],
    options: ValidateOptions,
) -> list[Verdict]:
    setup = Setup(
        cells=tuple(notebooks.code_cells()),
        outputs=_outputs(notebooks),
        # Public cases too: they call every function with inputs of the right structure,
        # even a function whose hidden case is missing (the gap to find).
        probes=tuple(
            (case_code(case.source), tuple(free_names(case.source)))
            for question in spec.questions
            for case in question.cases
        ),
        seed=options.seed,
        course_dir=str(spec.course_dir) if spec.course_dir is not None else None,
    )
    with EquivalenceOracle(setup, options.equivalence_timeout) as oracle:
        return [oracle.judge(mutant) for mutant in mutants]


def _outputs(notebooks: AssignmentNotebooks) -> dict[str, tuple[str, ...]]:
    """question -> the names its answer cells define: its outputs, whether tests read them
    or not (a function no test calls is exactly what must not pass for equivalent)."""
    outputs: dict[str, list[str]] = {}
    for cell in notebooks.answers:
        outputs.setdefault(cell.question, []).extend(_defined_names(cell.source))
    return {question: tuple(dict.fromkeys(names)) for question, names in outputs.items()}


def _defined_names(source: str) -> Iterator[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield statement.name
            continue
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                yield node.id


def _grade_mutants(
    grader: ValidationGrader,
    notebooks: AssignmentNotebooks,
    mutants: Sequence[Mutant],
    verdicts: Sequence[Verdict],
    seed: int,
) -> list[MutantResult]:
    """The mutants in order; those not equivalent graded, in parallel."""
    results = [
        MutantResult(mutant, verdict) for mutant, verdict in zip(mutants, verdicts, strict=True)
    ]
    jobs = [
        GradingJob(index, seed, notebook_json=_json(notebooks.submission({m.cell_id: m.source})))
        for index, (m, verdict) in enumerate(zip(mutants, verdicts, strict=True))
        if not verdict.equivalent
    ]
    for index, grades in grader.grade(jobs):
        lost = tuple(label for label, _, passed in grades if not passed)
        results[index] = MutantResult(mutants[index], verdicts[index], lost)
    return results


def _stability_submissions(project: Project, name: str, options: ValidateOptions) -> list[Path]:
    if options.submissions is not None:
        return list(options.submissions)
    return project.example_notebooks(name)


def grade_under_seeds(
    grader: ValidationGrader, paths: Sequence[Path], seeds: Sequence[int]
) -> dict[Path, dict[int, Verdicts]]:
    """Each notebook graded under each seed: path -> seed -> verdicts."""
    jobs = [GradingJob((path, seed), seed, path=path) for path in paths for seed in seeds]
    graded: dict[Path, dict[int, Verdicts]] = {path: {} for path in paths}
    for (path, seed), verdicts in grader.grade(jobs):
        graded[path][seed] = verdicts
    return graded


def find_flips(grader: ValidationGrader, paths: Sequence[Path], seeds: Sequence[int]) -> list[Flip]:
    """Grade each notebook under each seed; every credit whose verdict changes is a flip."""
    flips: list[Flip] = []
    for path, by_seed in grade_under_seeds(grader, paths, seeds).items():
        outcomes: dict[str, dict[bool, list[int]]] = {}
        for seed, verdicts in by_seed.items():
            for label, _, passed in verdicts:
                outcomes.setdefault(label, {True: [], False: []})[passed].append(seed)
        flips.extend(
            Flip(path.name, label, tuple(seen[False]), tuple(seen[True]))
            for label, seen in outcomes.items()
            if seen[True] and seen[False]
        )
    return flips


def _json(notebook: object) -> str:
    import nbformat

    writes: Callable[..., str] = nbformat.writes  # untyped in nbformat
    return writes(notebook)


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.0f}%"


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.split("\n"))
