"""``-j N``: N submissions in flight, each graded by its own grading process.

Processes rather than threads: checking an answer changes process-wide state
(warnings filters, numpy's error state, the helpers' recording context) and
symbolic checks fork, so two submissions must not share a process. A grading
process is a fresh Python (``_BOOTSTRAP``: its worker pool first) that grades job after
job, so its imports are paid once per batch, not per submission. (Not
multiprocessing's Process: its fork server and spawn re-run the parent's
``__main__`` script in every child.)

A grading process writes each results file itself as soon as it is done, so a
killed batch keeps what was finished, then sends the result to the parent. If
it dies, or outlives the watchdog (the sandbox's own limits failed), the parent
writes that submission a "the autograder failed" result (not stamped as
finished, so a later run grades it again) and starts a fresh process for the
rest. A slow submission holds up one process, never the others.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait
from pathlib import Path
from types import FrameType

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
        jobs_read, jobs_write = os.pipe()
        results_read, results_write = os.pipe()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _BOOTSTRAP, str(jobs_read), str(results_write)],
                pass_fds=(jobs_read, results_write),
                stdin=subprocess.DEVNULL,
            )
        finally:
            os.close(jobs_read)
            os.close(results_write)
        self.connection = Connection(results_read, writable=False)
        self._jobs = Connection(jobs_write, readable=False)
        self.job: Job | None = None
        self.deadline = 0.0
        self._send((spec, options, out_dir))

    def _send(self, message: object) -> None:
        with contextlib.suppress(OSError):  # a dead process shows at the next check
            self._jobs.send(message)

    def give(self, job: Job, watchdog: float) -> None:
        self.job = job
        self.deadline = time.monotonic() + watchdog
        self._send(job)

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
        if self.connection.poll():
            try:
                result: SubmissionResult = self.connection.recv()
            except (EOFError, OSError):
                why = self._exit_reason()
            else:
                self.job = None
                on_done(job, result)
                return True
        elif self.process.poll() is not None:
            why = self._exit_reason()
        elif time.monotonic() > self.deadline:
            self.process.terminate()  # before it writes a result over ours; stop() makes sure
            why = "it ran past the grader's own time limit"
        else:
            return True
        result = failed_result(spec, job.upload, options, f"its grading process stopped: {why}")
        write_result(result_path(out_dir, job), result, stamp=None)
        self.job = None
        on_done(job, result)
        return False

    def _exit_reason(self) -> str:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(STOP_GRACE)
        return _describe_exit(self.process.returncode)

    def stop(self) -> None:
        """Let the process finish, or end it when it is mid-submission or does not finish."""
        self._send(None)
        self._jobs.close()
        if self.job is not None:
            self.process.terminate()  # SIGTERM: it closes its sandbox on the way out
        for escalate in (self.process.terminate, self.process.kill):
            try:
                self.process.wait(STOP_GRACE)
                break
            except subprocess.TimeoutExpired:
                escalate()
        self.process.wait()
        self.connection.close()


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "it stopped answering"
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"it was killed by {signal.Signals(-code).name}"
    return f"it exited with status {code}"


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


def main() -> None:
    """A grading process: ``python -c _BOOTSTRAP JOBS_FD RESULTS_FD``."""
    serve(
        Connection(int(sys.argv[1]), writable=False), Connection(int(sys.argv[2]), readable=False)
    )
    # Every result is written and sent: exit without tearing the interpreter down (0.15 s
    # of freeing numpy's and sympy's objects that the parent would wait for).
    from autograder.sandbox.zygote import stop_shared_zygote

    stop_shared_zygote()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


# Its worker pool starts before anything else is imported, so that its numpy and sympy
# imports overlap with the grading side's.
_BOOTSTRAP = (
    "from autograder.sandbox.zygote import warm_up; warm_up(); "
    "from autograder.grading.pool import main; main()"
)


if __name__ == "__main__":
    main()
