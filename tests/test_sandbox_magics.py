"""Cells run as a Jupyter kernel runs them: magics, shell escapes, plots, display, input().

The errors expected of each magic are those a real kernel gives (checked below against
one); everything else works as in Jupyter.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from notebook_magics import MAGIC_CELLS, PIP_INSTALL, magics_notebook
from sandbox_support import FAST

from autograder.sandbox import Limits, Sandbox

MAGIC_LIMITS = Limits(cell_timeout=30.0, call_timeout=5.0, submission_timeout=120.0)


def test_every_magic_fails_only_where_jupyter_fails() -> None:
    with Sandbox(limits=MAGIC_LIMITS) as box:
        outcomes = box.run_cells([source for source, _ in MAGIC_CELLS])
        assert box.lookup(["done", "total"]) == {"done": True, "total": 499500}
    for outcome, (source, error) in zip(outcomes, MAGIC_CELLS, strict=True):
        if error is None:
            assert outcome.status == "ok", (source, outcome)
        else:
            assert outcome.status == "error", (source, outcome)
            assert outcome.message.startswith(f"{error}: "), (source, outcome)


@pytest.mark.slow
def test_a_real_jupyter_kernel_gives_the_same_errors(tmp_path: Path) -> None:
    import nbclient

    replies: dict[int, Any] = {}

    def record(cell: Any, cell_index: int, execute_reply: Any) -> None:
        replies[cell_index] = execute_reply["content"]

    client = nbclient.NotebookClient(
        magics_notebook(), timeout=120, allow_errors=True, on_cell_executed=record
    )
    client.execute(cwd=str(tmp_path))
    for index, (source, error) in enumerate(MAGIC_CELLS):
        reply = replies[index]
        assert (reply["status"], reply.get("ename")) == (
            ("ok", None) if error is None else ("error", error)
        ), source


def test_shell_escapes_print_into_the_cell_and_read_no_input() -> None:
    cells = [
        "!echo out; echo err >&2",
        "!cat",  # would wait for a terminal's input: gets end of file at once
        "lines = !printf 'a\\nb\\n'\nlines = list(lines)",
        "code = get_ipython().system('exit 3') or _exit_code",
    ]
    with Sandbox(limits=FAST) as box:
        outcomes = box.run_cells(cells)
        assert [outcome.status for outcome in outcomes] == ["ok"] * 4
        assert outcomes[0].output == "out\nerr\n"
        assert box.lookup(["lines", "code"]) == {"lines": ["a", "b"], "code": 3}


def test_pip_install_fails_with_pips_own_error_in_that_cell_only() -> None:
    with Sandbox(limits=MAGIC_LIMITS) as box:
        outcomes = box.run_cells(["a = 1", PIP_INSTALL, "b = a + 1"])
        assert [outcome.status for outcome in outcomes] == ["ok"] * 3
        assert "ERROR: Could not find a version that satisfies the requirement" in (
            outcomes[1].output
        )
        assert box.lookup(["b"]) == {"b": 2}


def test_plots_render_off_screen_whatever_backend_is_asked_for() -> None:
    cells = [
        "%matplotlib qt",
        "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()",
        "%matplotlib tk",
        "fig = plt.figure()\nfig.canvas.draw()\nwidth = fig.canvas.get_width_height()[0]",
    ]
    with Sandbox(limits=MAGIC_LIMITS) as box:
        outcomes = box.run_cells(cells)
        assert [outcome.status for outcome in outcomes] == ["ok"] * 4, outcomes
        assert outcomes[1].output == "<Figure size 640x480 with 1 Axes>\n"
        assert box.lookup(["width"]) == {"width": 640}


def test_display_and_plots_work_in_functions_the_tests_call() -> None:
    cell = (
        "import matplotlib.pyplot as plt\n"
        "def report(x):\n"
        "    display(x)\n"
        "    plt.plot([x])\n"
        "    plt.show()\n"
        "    return get_ipython() is not None\n"
    )
    with Sandbox(limits=MAGIC_LIMITS) as box:
        assert box.run_cells([cell])[0].status == "ok"
        assert box.lookup(["report"])["report"](2) is True  # type: ignore[operator]


def test_error_lines_count_from_the_cells_first_line() -> None:
    with Sandbox(limits=FAST) as box:
        outcomes = box.run_cells(["\n\nx = 1\n1 / 0", "\n%%time\n1 / 0"])
        assert outcomes[0].message == "ZeroDivisionError: division by zero (line 4)"
        assert outcomes[1].message.startswith("ZeroDivisionError")
