"""A class graded by `autograder grade` against `otter run`, side by side in one process tree.

Run from the repository root after `autograder build` (about three minutes on 2 cores):

    python benchmarks/grade_speed.py [--sample N] [--jobs N]

1. Builds a realistic batch: for each assignment, the student notebook filled
   from the solution the build derives (autograder.assemble.examples): solutions
   (several copies, as in a real class), the blank notebook, each catalogued
   mistake one at a time and all together, partial work (one answer only,
   every answer but one) and a solution with a broken extra cell. Every notebook keeps the student
   notebook's metadata, which `otter run` requires.
2. Grades the whole batch with `autograder grade` (one command per assignment,
   `-j` = CPU count by default), and a sample of the same notebooks with
   `otter run` on otter's own autograder zip (dist/<name>/otter-autograder.zip),
   one submission after another as otter grades them.
3. Checks that the per-question scores agree on the sample.
4. Prints seconds per submission, the wall time of one submission alone, the
   peak memory summed over all processes of each grader (and its largest
   process), and the ratios. The last line is the batch ratio. Memory is
   measured in separate runs (the disc06 batch; one otter run), because
   sampling /proc costs CPU that would slow the timed runs.

Memory is sampled from /proc every 20 ms over the whole process tree (sandbox
workers included), so very short spikes can be missed on both sides alike. The
sum is of proportional set sizes (PSS), which count the pages forked workers
share with their fork server once; the largest process is its resident size.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
PAGE = os.sysconf("SC_PAGE_SIZE")
MiB = 1 << 20


# -- the batch -------------------------------------------------------------------------------


def answer_cells(name: str) -> list[str]:
    """Ids of the code cells a student fills in (they differ in the solution notebook)."""
    student = nbformat.read(ROOT / "assignments" / name / f"{name}.ipynb", as_version=4)
    solution = nbformat.read(ROOT / "dist" / name / f"{name}.ipynb", as_version=4)
    answers = {cell.get("id"): cell.source for cell in solution.cells}
    return [
        cell.get("id")
        for cell in student.cells
        if cell.cell_type == "code"
        and cell.get("id") in answers
        and cell.source != answers[cell.get("id")]
    ]


def build_batch(folder: Path, per_assignment: int) -> dict[str, list[Path]]:
    from autograder.assemble.examples import Example, catalogued_mistakes, make
    from autograder.project import Project

    project = Project(ROOT)
    batch: dict[str, list[Path]] = {}
    for name in project.assignment_names():
        student = nbformat.read(project.student_notebook(name), as_version=4)
        solution = nbformat.read(project.files(name).solution_notebook, as_version=4)
        cells = answer_cells(name)
        mistakes = catalogued_mistakes(project.course_dir(name))
        variants = [Example("solution", ("*",)), Example("blank", ())]
        # each catalogued mistake on its own, then all of them together
        variants += [Example(f"mistake_{m.name}", ("*",), tuple(m.example)) for m in mistakes]
        every_edit = tuple(edit for m in mistakes for edit in m.example)
        variants += [Example("all_mistakes", ("*",), every_edit)] if every_edit else []
        variants += [Example(f"only_{cell}", (cell,)) for cell in cells]
        variants += [
            Example(f"all_but_{cell}", tuple(c for c in cells if c != cell)) for cell in cells
        ]
        copies = max(0, per_assignment - len(variants) - 1)
        variants += [Example(f"solution_{n}", ("*",)) for n in range(2, copies + 2)]
        out = folder / name
        out.mkdir(parents=True)
        paths = []
        for example in variants:
            nbformat.write(make(student, solution, example), out / f"{example.stem}.ipynb")
            paths.append(out / f"{example.stem}.ipynb")
        broken = make(student, solution, Example("broken_cell", ("*",)))
        broken.cells.append(nbformat.v4.new_code_cell("prnt('done')  # a typo: NameError"))
        nbformat.write(broken, out / "broken_cell.ipynb")
        paths.append(out / "broken_cell.ipynb")
        batch[name] = paths
    return batch


# -- measuring -------------------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    peak_total: int  # bytes: the largest sum of PSS over the process tree at one moment
    peak_single: int  # bytes: the largest RSS of one process


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as stat:
                    ppid = int(stat.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _pss(pid: int) -> int:
    """Proportional set size: pages shared by forked processes counted once in a sum."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return _rss(pid)


def run(command: Sequence[str], memory: bool = False, interval: float = 0.02) -> Run:
    """Run ``command``: its wall time, or (``memory``) the memory of its whole process tree.

    Sampling /proc takes CPU on this small machine, so timed runs are not sampled.
    """
    peak_total = peak_single = 0
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_total, peak_single
        while memory and not done.wait(interval):
            tree = _children()
            pending, pids = [process.pid], []
            while pending:
                pids.append(pending.pop())
                pending.extend(tree.get(pids[-1], []))
            peak_total = max(peak_total, sum(_pss(pid) for pid in pids))
            peak_single = max(peak_single, *(_rss(pid) for pid in pids))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr.decode(errors='replace')}")
    return Run(elapsed, peak_total, peak_single)


def ours(name: str, notebooks: Sequence[Path], out: Path, jobs: int, memory: bool = False) -> Run:
    # What the installed `autograder` command runs (its entry point, not the bare CLI module).
    command = [sys.executable, "-m", "autograder.entry", "grade", name, *map(str, notebooks)]
    return run([*command, "--out", str(out), "--jobs", str(jobs)], memory)


def otter(name: str, notebook: Path, out: Path, memory: bool = False) -> Run:
    zip_path = ROOT / "dist" / name / "otter-autograder.zip"
    out.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "otter", "run", "--no-logo", "-a", str(zip_path)]
    return run([*command, "-o", str(out), str(notebook)], memory)


def our_scores(results: Path) -> dict[str, float]:
    scores: dict[str, float] = {}
    for test in json.loads(results.read_text())["tests"]:
        if not test.get("extra_data", {}).get("manual"):
            question = test["name"].split(":")[0]
            scores[question] = round(scores.get(question, 0.0) + float(test["score"]), 6)
    return scores


def otter_scores(results: Path) -> dict[str, float]:
    tests = json.loads(results.read_text())["tests"]
    return {t["name"]: round(float(t["score"]), 6) for t in tests if t.get("score") is not None}


def describe(label: str, per_submission: float, memory: Run) -> str:
    return (
        f"{label:<17} {per_submission:6.2f} s per submission; peak memory "
        f"{memory.peak_total / MiB:5.0f} MiB summed over processes, largest process "
        f"{memory.peak_single / MiB:4.0f} MiB"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-assignment", type=int, default=24, help="batch size per assignment")
    parser.add_argument("--sample", type=int, default=4, help="otter run sample per assignment")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--single", type=int, default=3, help="repeats of the single submission")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="grade-speed-") as scratch:
        work = Path(scratch)
        batch = build_batch(work / "batch", args.per_assignment)
        total = sum(len(paths) for paths in batch.values())
        print(
            f"batch: {total} submissions ({', '.join(f'{n}: {len(p)}' for n, p in batch.items())})"
        )

        ours_seconds = sum(
            ours(name, paths, work / "ours" / name, args.jobs).seconds
            for name, paths in batch.items()
        )
        # The bundled examples come first: a solution, the blank notebook, mistakes, partial work.
        sample = {name: paths[: args.sample] for name, paths in batch.items()}
        otter_seconds, disagreements = 0.0, []
        for name, paths in sample.items():
            for path in paths:
                out = work / "otter" / name / path.stem
                otter_seconds += otter(name, path, out).seconds
                theirs = otter_scores(out / "results.json")
                mine = our_scores(work / "ours" / name / f"{path.stem}.json")
                if theirs != mine:
                    disagreements.append(f"{name}/{path.stem}: ours {mine}, otter run {theirs}")
        if disagreements:
            raise SystemExit("scores differ:\n" + "\n".join(disagreements))
        sampled = sum(len(paths) for paths in sample.values())
        print(f"scores: equal on the {sampled} sampled submissions")

        single = batch["disc06"][0]  # the full solution
        ours_one = statistics.median(
            ours("disc06", [single], work / f"single-{n}", jobs=1).seconds
            for n in range(args.single)
        )
        otter_one = statistics.median(
            otter("disc06", single, work / f"otter-single-{n}").seconds for n in range(2)
        )
        # Memory, in runs of their own: the disc06 batch, one submission each.
        ours_memory = ours("disc06", batch["disc06"], work / "memory", args.jobs, memory=True)
        ours_one_memory = ours("disc06", [single], work / "memory-single", 1, memory=True)
        otter_memory = otter("disc06", single, work / "otter-memory", memory=True)

        ours_per = ours_seconds / total
        otter_per = otter_seconds / sampled
        executions = [
            json.loads(p.read_text())["execution_time"]
            for name in batch
            for p in (work / "ours" / name).glob("*.json")
        ]
        print(
            f"autograder grade: per-submission grading time (in its grading process) median "
            f"{statistics.median(executions):.2f} s, max {max(executions):.2f} s; "
            f"-j {args.jobs}"
        )
        print(describe(f"autograder grade ({total})", ours_per, ours_memory))
        print(describe(f"otter run ({sampled})", otter_per, otter_memory))
        print(
            f"one submission alone (disc06 solution, median): autograder grade {ours_one:.2f} s "
            f"({ours_one_memory.peak_total / MiB:.0f} MiB), otter run {otter_one:.2f} s "
            f"({otter_memory.peak_total / MiB:.0f} MiB); otter/ours = {otter_one / ours_one:.1f}x"
        )
        print(
            f"memory: otter/ours = {otter_memory.peak_total / ours_memory.peak_total:.2f}x "
            f"summed (a whole -j {args.jobs} batch against one otter run), "
            f"{otter_memory.peak_single / ours_memory.peak_single:.2f}x largest process"
        )
        print(f"batch: otter/ours = {otter_per / ours_per:.1f}x seconds per submission")


if __name__ == "__main__":
    main()
