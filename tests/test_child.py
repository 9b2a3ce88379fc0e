"""autograder.child: replies, a child's end and the deadline, told apart, for both starts."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path

import pytest

from autograder.child import Child, Ended, Reply, TimedOut, describe_exit

GENEROUS = 120.0  # seconds: a loaded machine still replies well within it
BRIEF = 0.5  # seconds: for children that never reply


@pytest.fixture(autouse=True)
def importable_support(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).parent))
    yield


def test_a_fresh_child_replies_then_finishes_when_asked() -> None:
    child = Child.fresh("child_support:echo")
    child.give("hello", GENEROUS)
    outcome = child.receive()
    assert isinstance(outcome, Reply)
    assert outcome.message[0] == "hello"
    assert outcome.message[1] is None, "no first function was asked for"
    child.stop(GENEROUS, terminate=False)
    assert child.exit_code() == 0


def test_a_fresh_child_calls_first_and_has_its_memory_limit() -> None:
    child = Child.fresh("child_support:echo", first="child_support:first", memory_limit=2**33)
    try:
        child.give("hello", GENEROUS)
        outcome = child.receive()
        assert isinstance(outcome, Reply)
        assert outcome.message == ("hello", "called", 2**33)
    finally:
        child.stop(GENEROUS)


def test_a_child_past_its_deadline_times_out_and_is_ended() -> None:
    child = Child.fresh("child_support:hang")
    child.give("work", BRIEF)
    assert isinstance(child.receive(), TimedOut)
    child.stop(GENEROUS, busy=True)
    assert child.exit_code() is not None
    assert describe_exit(child.exit_code()) == "it was killed by SIGTERM"


def test_a_child_that_dies_has_ended() -> None:
    child = Child.fresh("child_support:exit_at_once")
    child.give("work", GENEROUS)
    assert isinstance(child.receive(), Ended)
    assert child.wait(GENEROUS)
    assert describe_exit(child.exit_code()) == "it exited with status 3"
    child.kill()


def test_without_blocking_a_working_child_is_none() -> None:
    child = Child.fresh("child_support:hang")
    try:
        child.give("work", GENEROUS)
        assert child.receive(block=False) is None
    finally:
        child.stop(GENEROUS, busy=True)


def test_a_forked_child_runs_a_closure_of_this_process() -> None:
    unpicklable = [lambda: "from the parent"]

    def serve(_: Connection, replies: Connection) -> None:
        replies.send(unpicklable[0]())

    child = Child.forked(serve, name="test")
    child.allow(GENEROUS)
    outcome = child.receive()
    child.kill()
    assert outcome == Reply("from the parent")


def test_a_forked_child_past_its_deadline_times_out() -> None:
    def serve(_: Connection, replies: Connection) -> None:
        while True:
            pass

    child = Child.forked(serve, name="test")
    child.allow(BRIEF)
    assert isinstance(child.receive(), TimedOut)
    child.kill()
    assert describe_exit(child.exit_code()) == "it was killed by SIGKILL"


def test_a_fresh_child_does_not_run_the_parents_main_script(tmp_path: Path) -> None:
    """Unlike multiprocessing's spawn, which re-runs an unguarded script in the child."""
    script = tmp_path / "unguarded.py"
    script.write_text(
        "from autograder.child import Child, Reply\n"
        "print('parent ran')\n"
        "child = Child.fresh('child_support:echo')\n"
        f"child.give('hello', {GENEROUS})\n"
        "outcome = child.receive()\n"
        "child.stop(1.0)\n"
        "print(isinstance(outcome, Reply) and outcome.message[0])\n"
    )
    ran = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True)
    assert ran.stdout.splitlines() == ["parent ran", "hello"]
