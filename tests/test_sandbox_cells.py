"""Running a notebook's cells in the worker: one namespace, failures recorded, time bounded."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sandbox_support import FAST

from autograder.sandbox import Limits, Sandbox, SandboxError, StudentTimeout


def statuses(box: Sandbox, cells: list[str]) -> list[str]:
    return [outcome.status for outcome in box.run_cells(cells)]


def test_cells_share_a_namespace_and_failures_do_not_stop_the_rest() -> None:
    with Sandbox(limits=FAST) as box:
        outcomes = box.run_cells(
            ["a = 1", "print('before'); b = a / 0", "def f(x):\n    return 2 * x", "c = f(a)"]
        )
        assert [outcome.status for outcome in outcomes] == ["ok", "error", "ok", "ok"]
        assert outcomes[1].message == "ZeroDivisionError: division by zero (line 1)"
        assert outcomes[1].output == "before\n"
        assert [outcome.index for outcome in outcomes] == [0, 1, 2, 3]
        assert box.lookup(["a", "c", "b"]) == {"a": 1, "c": 2}


def test_syntax_errors_and_exits_are_cell_errors() -> None:
    with Sandbox(limits=FAST) as box:
        outcomes = box.run_cells(
            [
                "x = 1\ny = (",
                "import sys\nsys.exit(3)",
                "raise KeyboardInterrupt",
                "input()",
                "z = 2",
            ]
        )
        assert [outcome.status for outcome in outcomes] == ["error"] * 4 + ["ok"]
        assert outcomes[0].message.startswith("SyntaxError") and "(line 2)" in outcomes[0].message
        assert outcomes[1].message == "SystemExit: 3 (line 2)"
        # as in Jupyter, whose kernel has no front end to answer here
        assert outcomes[3].message.startswith(
            "StdinNotImplementedError: raw_input was called, but this frontend does not support"
        )


def test_otter_is_a_stand_in_that_does_nothing() -> None:
    cells = [
        "import otter\ngrader = otter.Notebook('disc05.ipynb')",
        "grader.check('q1a')",
        "grader.check_all()\ngrader.export(pdf=False, force_save=True)",
        "from otter import Notebook\nNotebook(tests_dir='tests').check('q2')",
    ]
    with Sandbox(limits=FAST) as box:
        assert statuses(box, cells) == ["ok"] * 4


def test_magics_run_through_ipython() -> None:
    with Sandbox(limits=FAST) as box:
        outcomes = box.run_cells(["%time x = 6 * 7", "files = !echo hello", "y = x + 1"])
        assert [outcome.status for outcome in outcomes] == ["ok"] * 3
        assert "Wall time" in outcomes[0].output
        assert box.lookup(["y"]) == {"y": 43}


def test_notebook_conveniences() -> None:
    with Sandbox(limits=FAST) as box:
        outcomes = box.run_cells(
            ["if __name__ == '__main__':\n    main = True", "display([1, 2])", "import helper"]
        )
        assert [outcome.status for outcome in outcomes] == ["ok", "ok", "error"]
        assert outcomes[1].output == "[1, 2]\n"
        assert box.lookup(["main"]) == {"main": True}


def test_workdir_files_are_there_and_importable(tmp_path: Path) -> None:
    data = tmp_path / "data.csv"
    data.write_text("1,2,3\n")
    files: dict[str, bytes | os.PathLike[str]] = {
        "data.csv": data,
        "lib/helper.py": b"ANSWER = 42\n",
    }
    with Sandbox(limits=FAST, workdir_files=files) as box:
        cells = [
            "import sys\nsys.path.append('lib')\nimport helper",
            "numbers = open('data.csv').read().strip().split(',')",
        ]
        assert statuses(box, cells) == ["ok", "ok"]
        assert box.lookup(["numbers"]) == {"numbers": ["1", "2", "3"]}


def test_workdir_file_names_must_stay_inside() -> None:
    for name in ("/etc/passwd", "../escape", ""):
        with pytest.raises(ValueError, match="relative"):
            Sandbox(workdir_files={name: b""})


def test_printed_output_is_cut_to_the_limit() -> None:
    limits = Limits(cell_timeout=5.0, output_bytes=1000)
    with Sandbox(limits=limits) as box:
        (outcome,) = box.run_cells(["print('x' * 5000)"])
        assert outcome.output.startswith("x" * 1000)
        assert "4001 more characters of output dropped" in outcome.output
        assert len(outcome.output) < 1100


def test_a_cell_that_hangs_times_out_and_the_rest_still_runs() -> None:
    cells = ["counter = 0", "counter += 1", "while True:\n    pass", "after = counter"]
    with Sandbox(limits=Limits(cell_timeout=1.0)) as box:
        outcomes = box.run_cells(cells)
        assert [outcome.status for outcome in outcomes] == ["ok", "ok", "timeout", "ok"]
        assert outcomes[2].message == "the cell did not finish within 1 s"
        assert box.lookup(["after"]) == {"after": 1}  # earlier cells replayed once, the loop not


def test_a_cell_that_kills_the_worker_is_recorded_and_the_rest_still_runs() -> None:
    cells = ["a = 5", "import os\nos._exit(0)", "b = a + 1"]
    with Sandbox(limits=FAST) as box:
        outcomes = box.run_cells(cells)
        assert [outcome.status for outcome in outcomes] == ["ok", "crashed", "ok"]
        assert "exited with status 0" in outcomes[1].message
        assert box.lookup(["b"]) == {"b": 6}


def test_the_submission_budget_skips_what_is_left() -> None:
    limits = Limits(cell_timeout=1.0, submission_timeout=2.5)
    loop = "while True:\n    pass"
    with Sandbox(limits=limits) as box:
        outcomes = box.run_cells(["a = 1", loop, loop, loop, "b = 2"])
        assert [outcome.status for outcome in outcomes] == [
            "ok",
            "timeout",
            "timeout",
            "timeout",
            "skipped",
        ]
        assert "used up its 2.5 s time budget" in outcomes[3].message
        assert box.time_used == pytest.approx(2.5, abs=0.3)
        with pytest.raises(StudentTimeout, match="time budget"):
            box.lookup(["a"])
        box.restart()  # does nothing more once the budget is gone, and never raises
        with pytest.raises(StudentTimeout, match="time budget"):
            box.lookup(["a"])


def test_a_closed_sandbox_refuses_work() -> None:
    box = Sandbox(limits=FAST)
    with box:
        pass
    with pytest.raises(SandboxError):
        box.run_cells(["a = 1"])
    with pytest.raises(SandboxError, match="already started"):
        box.start()


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError, match="cell_timeout=0"):
        Limits(cell_timeout=0)
