"""The grading side's handle on one submission's worker: run cells, look up names, call.

A ``Sandbox`` owns at most one worker process at a time. A timeout or a crash
kills it and leaves the sandbox unusable until ``restart()``, which starts a
new worker and replays the cells that had completed. Every wait on the worker
counts against the submission's time budget.
"""

from __future__ import annotations

import math
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import Any, Literal

from autograder.sandbox.errors import SandboxError, StudentCrash, StudentError, StudentTimeout
from autograder.sandbox.isolation import (
    DEFAULT_SANDBOX_USER,
    LaunchPlan,
    Protections,
    describe_protections,
    ensure_sandbox_user,
    plan_launch,
    worker_environment,
)
from autograder.sandbox.limits import Limits, MiB
from autograder.sandbox.process import ProtocolViolation, WorkerGone, WorkerProcess, WorkerTimedOut
from autograder.sandbox.replies import reemit_warnings, reply_field, reply_text
from autograder.sandbox.scratch import DiskMeter, remove_tree
from autograder.sandbox.untrusted.protocol import (
    CALL,
    CELL_ERROR,
    CELL_OK,
    EXEC,
    LOOKUP,
    CallRequest,
    ExecRequest,
    LookupRequest,
    ReadyReport,
    Request,
)
from autograder.sandbox.values import Decoder, StudentObject, encode_argument
from autograder.sandbox.zygote import shared_zygote

CellStatus = Literal["ok", "error", "timeout", "crashed", "skipped"]

START_TIMEOUT = 30.0
"""Seconds a new worker has to report ready (no student code runs before that)."""
METER_ENTRIES = 2000
"""Directory entries the disk meter looks at per watch (every WATCH_SECONDS): bounded work."""


class _OverQuota(Exception):
    """The submission's files take more than ``Limits.scratch_bytes`` of disk."""


@dataclass(frozen=True)
class CellOutcome:
    """What happened to one notebook cell. ``index`` is its position in ``run_cells``'s list.

    ``message`` is empty for ``ok``, else says what went wrong (``ValueError: ... (line 3)``,
    ``the cell did not finish within 60 s``...); ``output`` is what the cell printed, cut
    to ``Limits.output_bytes``.
    """

    index: int
    status: CellStatus
    message: str = ""
    output: str = ""


class Sandbox:
    """Runs one submission's notebook in a separate, isolated worker process.

    Use it as a context manager: entering starts the worker, leaving kills it and
    removes its files. ``hide_paths`` (and this package's own directory) are invisible
    to the submission when running as root; ``workdir_files`` maps relative names in
    the submission's working directory to contents (bytes) or files to copy.
    Not thread-safe: one grading thread per sandbox.
    """

    def __init__(
        self,
        limits: Limits | None = None,
        hide_paths: Iterable[str | os.PathLike[str]] = (),
        workdir_files: Mapping[str, bytes | os.PathLike[str]] | None = None,
        *,
        user: str = DEFAULT_SANDBOX_USER,
    ) -> None:
        self.limits = limits or Limits()
        self._hide = [Path(path) for path in hide_paths] + [Path(__file__).resolve().parent.parent]
        self._files = _checked_files(workdir_files or {})
        self._user = user
        self._launch_dir: Path | None = None
        self._plan: LaunchPlan | None = None
        self._worker: WorkerProcess | None = None
        self._generation = 0
        self._broken: str | None = None  # why the current worker may not be used
        self._closed = False
        self._history: list[tuple[int, str]] = []  # cells that completed: replayed on restart
        self._question_deadlines: list[tuple[float, float]] = []  # (monotonic end, seconds)
        self._time_used = 0.0
        self._protections: Protections | None = None
        self._disk: DiskMeter | None = None
        self.start_seconds = math.nan
        """Seconds from launching the last worker to its ready message."""

    # -- life cycle ---------------------------------------------------------------------

    def __enter__(self) -> Sandbox:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def start(self) -> None:
        """Prepare the working directory and start the worker (raises SandboxError)."""
        if self._launch_dir is not None:
            raise SandboxError("this sandbox was already started")
        self._launch_dir = Path(tempfile.mkdtemp(prefix="autograder-sandbox-"))
        try:
            user = ensure_sandbox_user(self._user) if os.geteuid() == 0 else None
            self._prepare_launch_dir(self._launch_dir)
            self._disk = DiskMeter([self._launch_dir / "work", self._launch_dir / "tmp"])
            self._plan = plan_launch(self._launch_dir, self.limits, self._hide, user)
            self._launch()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Kill the worker and remove its files; the sandbox cannot be used again."""
        self._stop_worker()
        self._closed = True
        if self._launch_dir is not None:
            shutil.rmtree(self._launch_dir, ignore_errors=True)

    def restart(self) -> None:
        """Start a new worker and replay the cells that completed (``ok`` or ``error``).

        A replayed cell that now times out or crashes is dropped and the replay starts
        over without it. Objects from the old worker are gone, except those looked up by
        name, which are found again by that name. Once the submission's time budget is
        used up this only stops the worker: every request then raises StudentTimeout.
        """
        if self._plan is None or self._closed:
            raise SandboxError("restart() needs a started sandbox that was not closed")
        self._stop_worker()
        while self._budget_left() > 0:
            self._launch()
            failed = self._replay()
            if failed is None:
                self._stray_output()  # what the replayed cells printed is nobody's output
                return
            self._history.remove(failed)
            self._stop_worker()

    @property
    def broken(self) -> bool:
        """True after a timeout or crash stopped the worker, until ``restart()``.

        Callers that catch every exception from student code (the hidden-test
        helpers turn them into feedback) read this to know a restart is due.
        """
        return self._broken is not None

    @property
    def protections(self) -> Protections:
        """How the current worker is isolated, aspect by aspect: for the staff only."""
        if self._protections is None:
            raise SandboxError("the sandbox has not been started")
        return self._protections

    @property
    def time_used(self) -> float:
        """Seconds of the submission's time budget used so far."""
        return self._time_used

    @property
    def workdir(self) -> Path:
        """The grading side's copy of the working directory (the jail works on its own copy)."""
        if self._launch_dir is None:
            raise SandboxError("the sandbox has not been started")
        return self._launch_dir / "work"

    # -- requests -----------------------------------------------------------------------

    def run_cells(self, cells: Sequence[str]) -> list[CellOutcome]:
        """Run notebook cells in order in one namespace; one outcome per cell.

        A cell's exception is its outcome (``error``) and the next cell runs. A cell that
        times out or crashes the worker is recorded as such, the worker is restarted with
        the earlier cells replayed, and the next cell runs. Once the time budget is used
        up the remaining cells are ``skipped``.
        """
        outcomes = []
        for index, source in enumerate(cells):
            if self._budget_left() <= 0:
                message = f"not run: the submission used up its {self._budget_text()}"
                outcomes.append(CellOutcome(index, "skipped", message))
                continue
            outcome = self._run_cell(index, source)
            outcomes.append(outcome)
            if outcome.status in ("ok", "error"):
                self._history.append((index, source))
            else:
                self.restart()
        return outcomes

    def lookup(self, names: Iterable[str]) -> dict[str, object]:
        """The values of ``names`` in the notebook's namespace; names it lacks are left out.

        Plain data arrives as values; anything else as a StudentObject (a StudentFunction
        if callable) that can be passed back or called.
        """
        wanted = list(dict.fromkeys(names))
        if not all(isinstance(name, str) for name in wanted):
            raise TypeError("names must be strings")
        request: LookupRequest = {"id": _new_id(), "op": LOOKUP, "names": wanted}
        reply = self._request(request, self.limits.call_timeout, "")
        values = reply_field(reply, "values", dict)
        decoder = Decoder(self, self._generation, self.limits.message_bytes)
        return {
            name: decoder.decode(node, origin=name)
            for name, node in values.items()
            if name in wanted
        }

    def call(self, function: StudentObject, /, *args: object, **kwargs: object) -> object:
        """Call a student function in the worker: what ``StudentFunction.__call__`` does.

        Raises StudentError (``f raised ValueError: ...``) when the submission's code
        raises, StudentTimeout or StudentCrash when it hangs or kills the worker. Warnings
        the call raised are re-emitted here, after it returns, with a builtin category.
        """
        if not isinstance(function, StudentObject):
            raise TypeError(f"call() needs a StudentObject, not {type(function).__name__}")
        request: CallRequest = {
            "id": _new_id(),
            "op": CALL,
            "function": encode_argument(function, self, self._generation),
            "args": [encode_argument(arg, self, self._generation) for arg in args],
            "kwargs": {
                key: encode_argument(arg, self, self._generation) for key, arg in kwargs.items()
            },
        }
        reply = self._request(request, self.limits.call_timeout, function.label)
        reemit_warnings(reply_field(reply, "warnings", list))
        if "raised" in reply:
            raised = reply_field(reply, "raised", dict)
            raise StudentError(f"{function.label} raised {reply_text(raised.get('message'))}")
        if "value" not in reply:
            raise StudentError("the submission's process sent a reply without a value")
        return Decoder(self, self._generation, self.limits.message_bytes).decode(reply["value"])

    @contextmanager
    def deadline(self, seconds: float) -> Iterator[None]:
        """A wall-clock budget for everything asked of the worker inside the block.

        Calls and lookups get the smallest of their own limit, every enclosing budget and
        what is left of the submission's budget.
        """
        self._question_deadlines.append((time.monotonic() + seconds, seconds))
        try:
            yield
        finally:
            self._question_deadlines.pop()

    # -- internals ----------------------------------------------------------------------

    def _prepare_launch_dir(self, launch_dir: Path) -> None:
        (launch_dir / "tmp").mkdir()
        work = launch_dir / "work"
        work.mkdir()
        for name, content in self._files.items():
            target = work / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            elif Path(content).is_dir():
                shutil.copytree(content, target)
            else:
                shutil.copyfile(content, target)

    def _launch(self) -> None:
        assert self._plan is not None
        plan = self._plan
        started = time.monotonic()
        self._generation += 1
        worker = WorkerProcess(
            shared_zygote(worker_environment(home="/", tmp="/tmp")),
            plan.config,
            cwd=plan.cwd,
            message_bytes=self.limits.message_bytes,
            output_bytes=self.limits.output_bytes,
        )
        try:
            # Read as it is used: a missing key is a KeyError, caught below.
            ready: ReadyReport = reply_field(
                worker.exchange(None, started + START_TIMEOUT), "ready", dict
            )
            self._protections = describe_protections(ready, self.limits)
        except (WorkerTimedOut, WorkerGone, ProtocolViolation, StudentError, KeyError) as error:
            worker.kill()
            output = worker.output_tail.strip()[-1500:] or "(no output)"
            how = str(error) or f"no ready message within {START_TIMEOUT:g} s"
            raise SandboxError(
                f"the sandbox worker did not start: {how}. Its output: {output}"
            ) from None
        self._worker = worker
        self._broken = None
        self.start_seconds = time.monotonic() - started

    def _stop_worker(self) -> None:
        if self._worker is not None:
            self._worker.kill()
            self._worker = None
        self._broken = "the worker was stopped"

    def _replay(self) -> tuple[int, str] | None:
        """Re-run the completed cells; the first one that times out or crashes, if any."""
        for entry in self._history:
            index, source = entry
            try:
                self._request(
                    {"id": _new_id(), "op": EXEC, "index": index, "source": source},
                    self.limits.cell_timeout,
                    "",
                    for_question=False,
                )
            except (StudentTimeout, StudentCrash):
                return entry
            except StudentError:
                continue
        return None

    def _run_cell(self, index: int, source: str) -> CellOutcome:
        request: ExecRequest = {"id": _new_id(), "op": EXEC, "index": index, "source": source}
        self._stray_output()  # left over from earlier requests: not this cell's
        try:
            reply = self._request(request, self.limits.cell_timeout, "", for_question=False)
        except StudentTimeout as error:
            return CellOutcome(index, "timeout", str(error), self._stray_output())
        except StudentCrash as error:
            return CellOutcome(index, "crashed", str(error), self._stray_output())
        except StudentError as error:
            return CellOutcome(index, "error", str(error), self._stray_output())
        status = reply.get("status")
        if status not in (CELL_OK, CELL_ERROR):
            return CellOutcome(index, "error", "the submission's process sent a bad cell status")
        # The worker already cut the output (and said so): the margin leaves room for that note.
        printed = reply_text(reply.get("output"), self.limits.output_bytes + 200)
        output = printed + self._stray_output()
        return CellOutcome(index, status, reply_text(reply.get("message")), output)

    def _stray_output(self) -> str:
        return self._worker.take_output() if self._worker is not None else ""

    def _request(
        self, message: Request, timeout: float, subject: str, *, for_question: bool = True
    ) -> dict[str, Any]:
        """Send one request and return its result; subject names the code for messages."""
        if self._budget_left() <= 0:
            raise StudentTimeout(f"the submission used up its {self._budget_text()}")
        if self._closed or self._worker is None:
            raise SandboxError("the sandbox is not running: use it inside its with block")
        if self._broken is not None:
            raise SandboxError(f"{self._broken}: call restart() first")
        deadline, limit = self._deadline(timeout, for_question)
        what = subject or ("the cell" if message["op"] == EXEC else "reading the notebook's names")
        started = time.monotonic()
        try:
            reply = self._worker.exchange(message, deadline, self._measure_disk)
        except _OverQuota:
            self._break()
            self._empty_scratch()
            raise StudentCrash(
                f"the submission used more than {self.limits.scratch_bytes / MiB:g} MiB of disk "
                f"while {_during(what)}: it was stopped and its files deleted"
            ) from None
        except WorkerTimedOut:
            self._break()
            raise StudentTimeout(f"{what} {limit}") from None
        except WorkerGone as gone:
            self._break()
            raise StudentCrash(
                f"the process running the notebook {gone} while {_during(what)}"
            ) from None
        except ProtocolViolation as violation:
            self._break()
            raise StudentCrash(
                f"the process running the notebook broke the result channel while "
                f"{_during(what)}: {violation}"
            ) from None
        finally:
            self._time_used += time.monotonic() - started
        if type(reply) is not dict or reply.get("id") != message["id"]:
            self._break()
            raise StudentCrash(
                "the process running the notebook answered a request it was not asked, while "
                f"{_during(what)}"
            )
        if "failure" in reply:
            raise StudentError(
                f"the sandbox failed while {_during(what)}: {reply_text(reply['failure'])}"
            )
        result: dict[str, Any] = reply_field(reply, "result", dict)
        return result

    def _deadline(self, timeout: float, for_question: bool) -> tuple[float, str]:
        now = time.monotonic()
        candidates = [(now + timeout, f"did not finish within {timeout:g} s")]
        if for_question:
            candidates += [
                (end, f"did not finish within this question's {seconds:g} s time budget")
                for end, seconds in self._question_deadlines
            ]
        budget = f"did not finish: the submission used up its {self._budget_text()}"
        candidates.append((now + self._budget_left(), budget))
        return min(candidates)

    def _measure_disk(self) -> None:
        """Where no tmpfs holds the scratch space (a container), the disk meter does."""
        assert self._disk is not None
        if self._disk.step(METER_ENTRIES) > self.limits.scratch_bytes:
            raise _OverQuota

    def _empty_scratch(self) -> None:
        """Free the disk at once; the working directory is as it was before the first cell."""
        assert self._launch_dir is not None and self._disk is not None
        for name in ("work", "tmp"):
            remove_tree(self._launch_dir / name)
        self._prepare_launch_dir(self._launch_dir)
        self._disk.reset()

    def _break(self) -> None:
        if self._worker is not None:
            self._worker.kill()
        self._broken = "the worker was stopped after a timeout or crash"

    def _budget_left(self) -> float:
        return self.limits.submission_timeout - self._time_used

    def _budget_text(self) -> str:
        return f"{self.limits.submission_timeout:g} s time budget"


def probe_isolation(limits: Limits | None = None) -> Protections:
    """How a submission would be isolated here: starts and stops one empty sandbox."""
    with Sandbox(limits=limits) as box:
        return box.protections


def _new_id() -> str:
    """A request's id: its reply must carry it."""
    return secrets.token_hex(8)


def _during(what: str) -> str:
    return what if what.startswith("reading") else f"running {what}"


def _checked_files(
    files: Mapping[str, bytes | os.PathLike[str]],
) -> dict[str, bytes | os.PathLike[str]]:
    for name in files:
        path = PurePosixPath(name)
        if path.is_absolute() or ".." in path.parts or not path.parts:
            raise ValueError(f"workdir file names must be relative paths inside it: {name!r}")
    return dict(files)
