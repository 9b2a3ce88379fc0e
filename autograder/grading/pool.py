"""``-j N``: N submissions in flight, each graded by its own grading process.

Processes rather than threads: checking an answer changes process-wide state
(warnings filters, numpy's error state, the helpers' recording context) and
symbolic checks fork, so two submissions must not share a process. A grading
process is a fresh Python (``autograder.child``; its worker pool first) that grades job
after job, so its imports are paid once per batch, not per submission.

A grading process writes each results file itself as soon as it is done, so a
killed batch keeps what was finished, then sends the result to the parent. If
it dies, or outlives the watchdog (the sandbox's own limits failed), the parent
writes that submission a "the autograder failed" result (not stamped as
finished, so a later run grades it again) and starts a fresh process for the
rest. A slow submission holds up one process, never the others.
"""

from __future__ import annotations

import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait
from pathlib import Path
from types import FrameType

from autograder.child import Child, Reply, TimedOut, describe_exit
from autograder.grading.grade import GradingOptions
from autograder.grading.job import Job, failed_result, grade_and_write, result_path
from autograder.grading.results import SubmissionResult
from autograder.grading.resume import write_result
from autograder.grading.spec import AssignmentSpec

#: Seconds a grading process may take for one submission beyond the sandbox's own limit on the
#: student's time (worker start-ups, our checks): past that, something is stuck on our side.
WATCHDOG_MARGIN = 120.0
#: Seconds a grading process has to close its sandbox after SIGTERM before SIGKILL.
STOP_GRACE = 5.0

Done = Callable[[Job, SubmissionResult], None]


def grade_in_processes(
    spec: AssignmentSpec,
    jobs: Sequence[Job],
    options: GradingOptions,
    out_dir: Path,
    processes: int,
    on_done: Done,
) -> None:
    """Grade ``jobs`` with up to ``processes`` at once; ``on_done`` as each one finishes."""
    watchdog = 2 * options.limits.submission_timeout + WATCHDOG_MARGIN
    waiting = deque(jobs)
    graders: list[_Grader] = []
    try:
        while waiting or graders:
            while waiting and len(graders) < processes:
                graders.append(_Grader(spec, options, out_dir))
            for grader in graders:
                if grader.job is None and waiting:
                    grader.give(waiting.popleft(), watchdog)
            busy = [grader for grader in graders if grader.job is not None]
            wait([grader.connection for grader in busy], timeout=1.0)
            for grader in busy:
                if not grader.check(spec, options, out_dir, on_done):
                    grader.stop()
                    graders.remove(grader)
            if not waiting:
                for grader in [g for g in graders if g.job is None]:
                    grader.stop()
                    graders.remove(grader)
    finally:
        for grader in graders:
            grader.stop()


class _Grader:
    """One grading process and the job it is working on."""

    def __init__(self, spec: AssignmentSpec, options: GradingOptions, out_dir: Path) -> None:
        # Its worker pool starts before the grading side is imported, so that its numpy and
        # sympy imports overlap with the grading side's.
        self.child = Child.fresh(
            "autograder.grading.pool:main", first="autograder.sandbox.zygote:warm_up"
        )
        self.connection = self.child.replies
        self.job: Job | None = None
        self.child.send((spec, options, out_dir))

    def give(self, job: Job, watchdog: float) -> None:
        self.job = job
        self.child.give(job, watchdog)

    def check(
        self,
        spec: AssignmentSpec,
        options: GradingOptions,
        out_dir: Path,
        on_done: Done,
    ) -> bool:
        """Collect a finished job; False when this process must be replaced."""
        job = self.job
        assert job is not None
        outcome = self.child.receive(block=False)
        if outcome is None:
            return True
        if isinstance(outcome, Reply):
            self.job = None
            on_done(job, outcome.message)
            return True
        if isinstance(outcome, TimedOut):
            self.child.terminate()  # before it writes a result over ours; stop() makes sure
            why = "it ran past the grader's own time limit"
        else:
            self.child.wait(STOP_GRACE)
            why = describe_exit(self.child.exit_code())
        result = failed_result(spec, job.upload, options, f"its grading process stopped: {why}")
        write_result(result_path(out_dir, job), result, stamp=None)
        self.job = None
        on_done(job, result)
        return False

    def stop(self) -> None:
        """Let the process finish, or end it when it is mid-submission or does not finish."""
        # SIGTERM when busy: it closes its sandbox on the way out
        self.child.stop(STOP_GRACE, busy=self.job is not None)


def serve(jobs: Connection, results: Connection) -> None:
    """A grading process: grade each job the parent sends until it sends None or goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, _exit_cleanly)
    try:
        spec, options, out_dir = jobs.recv()
    except (EOFError, OSError):
        return
    while True:
        try:
            job: Job | None = jobs.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        result = grade_and_write(spec, job, options, out_dir)
        try:
            results.send(result)
        except OSError:  # the parent is gone; the results file is written
            return


def _exit_cleanly(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds `with Sandbox`, which kills the student's process


def main(jobs: Connection, results: Connection) -> None:
    """A grading process (``autograder.child`` starts it)."""
    serve(jobs, results)
    # Every result is written and sent: exit without tearing the interpreter down (0.15 s
    # of freeing numpy's and sympy's objects that the parent would wait for).
    from autograder.sandbox.zygote import stop_shared_zygote

    stop_shared_zygote()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
