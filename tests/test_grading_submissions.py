"""Broken and hostile submissions: every one still gets a complete results file.

Each test starts from the bundled full solution, adds or changes cells the way
a careless or malicious student would, grades it with the real sandbox, and
checks what the student gets: zeros where nothing could be graded, full
credit where the attack changed nothing, and a message that says why.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest

from autograder.grading import GradingOptions, SubmissionResult, grade_batch, grade_notebook
from autograder.grading.spec import AssignmentSpec, load_spec
from autograder.project import Project
from autograder.sandbox import Limits

pytestmark = pytest.mark.slow

FAST = GradingOptions(limits=Limits(cell_timeout=5.0, call_timeout=5.0), question_timeout=4.0)


@pytest.fixture(scope="module")
def spec(built_project: Project) -> AssignmentSpec:
    return load_spec(built_project, "disc06")


def solution_with(
    project: Project, path: Path, *extra: str, replace: dict[str, str] | None = None
) -> Path:
    """The disc06 solution example with cells appended, or answer cells replaced by id."""
    notebook = nbformat.read(project.example("disc06", "solution"), as_version=4)
    for cell in notebook.cells:
        if replace and cell.get("id") in replace:
            cell.source = replace[cell["id"]]
    notebook.cells.extend(nbformat.v4.new_code_cell(source) for source in extra)
    nbformat.write(notebook, path)
    return path


def by_question(result: SubmissionResult) -> dict[str, float]:
    return result.question_scores()


FULL = {"q1a": 2.0, "q1b": 3.0, "q2_forward": 2.0, "q2_backward": 6.0}
ZERO = dict.fromkeys(FULL, 0.0)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "not a Jupyter notebook"),
        (b'{"cells": "nope"', "not a Jupyter notebook"),
        (b"[1, 2, 3]", "not a Jupyter notebook"),
        (b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}', "has no cells"),
        (
            b'{"cells": [{"cell_type": "markdown", "metadata": {}, "source": "hi"}],'
            b' "metadata": {}, "nbformat": 4, "nbformat_minor": 5}',
            "no code cells",
        ),
    ],
    ids=["binary", "truncated-json", "json-list", "no-cells", "markdown-only"],
)
def test_unreadable_notebooks_get_zeros_and_a_reason(
    spec: AssignmentSpec, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "submission.ipynb"
    path.write_bytes(content)
    result = grade_notebook(spec, path, FAST)
    assert by_question(result) == ZERO
    autograded = [test for test in result.tests if not test.manual]
    assert len(autograded) == 13
    assert all(message in test.output for test in autograded)
    assert [test.question for test in result.tests if test.manual] == ["q1a_written", "q2_written"]
    assert [incident.kind for incident in result.incidents] == ["unreadable"]
    assert message in result.to_json()["output"]


def test_a_cell_that_exits_the_process_costs_nothing_else(
    built_project: Project, spec: AssignmentSpec, tmp_path: Path
) -> None:
    path = solution_with(built_project, tmp_path / "exits.ipynb", "import os\nos._exit(0)")
    result = grade_notebook(spec, path, FAST)
    assert by_question(result) == FULL
    assert "crashed" in result.to_json()["output"]
    assert [incident.kind for incident in result.incidents] == ["crash"]


def test_an_infinite_loop_loses_only_its_question(
    built_project: Project, spec: AssignmentSpec, tmp_path: Path
) -> None:
    looping = "def lstm_step_backward(dh, dc_next, cache):\n    while True:\n        pass\n"
    path = solution_with(built_project, tmp_path / "loops.ipynb", looping)
    result = grade_notebook(spec, path, FAST)
    assert by_question(result) == {**FULL, "q2_backward": 0.0}
    outputs = [t.output for t in result.tests if t.question == "q2_backward"]
    assert all("time" in output for output in outputs)
    assert [(i.kind, i.where) for i in result.incidents] == [("timeout", "q2_backward")]


def test_a_hanging_cell_is_skipped_and_the_rest_graded(
    built_project: Project, spec: AssignmentSpec, tmp_path: Path
) -> None:
    path = solution_with(built_project, tmp_path / "hangs.ipynb", "import time\ntime.sleep(600)")
    result = grade_notebook(spec, path, FAST)
    assert by_question(result) == FULL
    assert "timeout" in result.to_json()["output"]


def test_monkeypatching_numpy_in_the_notebook_cannot_pass_wrong_answers(
    built_project: Project, spec: AssignmentSpec, tmp_path: Path
) -> None:
    patch = (
        "import numpy as np\n"
        "np.allclose = lambda *a, **k: True\n"
        "np.linalg.norm = lambda *a, **k: 0.0\n"
        "def lstm_step_backward(dh, dc_next, cache):\n"
        "    return tuple(np.zeros((1, 1)) for _ in range(6))\n"
    )
    result = grade_notebook(
        spec, solution_with(built_project, tmp_path / "patch.ipynb", patch), FAST
    )
    assert by_question(result) == {**FULL, "q2_backward": 0.0}


def test_an_object_claiming_equality_is_not_an_answer(
    built_project: Project, spec: AssignmentSpec, tmp_path: Path
) -> None:
    cheat = (
        "class Anything(str):\n"
        "    def __eq__(self, other): return True\n"
        "    def lower(self): return self\n"
        "    def strip(self): return self\n"
        "ridge_prior = Anything('laplace')\n"
    )
    result = grade_notebook(spec, solution_with(built_project, tmp_path / "eq.ipynb", cheat), FAST)
    assert by_question(result)["q1a"] == 1.0  # ridge_lambda keeps its point, ridge_prior loses


def test_a_sympy_object_with_a_hostile_str_runs_nothing(
    built_project: Project, spec: AssignmentSpec, tmp_path: Path
) -> None:
    marker = tmp_path / "pwned"
    hostile = (
        "import sympy\n"
        "class Evil(sympy.Symbol):\n"
        f"    def __str__(self): return \"__import__('os').system('touch {marker}')\"\n"
        "ridge_lambda = Evil('sigma')\n"
    )
    result = grade_notebook(
        spec, solution_with(built_project, tmp_path / "evil.ipynb", hostile), FAST
    )
    assert not marker.exists()
    assert by_question(result)["q1a"] == 1.0


def test_megabytes_of_output_are_cut(
    built_project: Project, spec: AssignmentSpec, tmp_path: Path
) -> None:
    path = solution_with(built_project, tmp_path / "loud.ipynb", "print('x' * 50_000_000)")
    result = grade_notebook(spec, path, FAST)
    assert by_question(result) == FULL
    assert len(json.dumps(result.to_json())) < 200_000


@pytest.mark.root
def test_as_root_a_submission_cannot_forge_or_read_grading_files(
    built_project: Project, spec: AssignmentSpec, tmp_path: Path
) -> None:
    if os.geteuid() != 0:
        pytest.skip("privilege drop and hidden paths need root")
    out = tmp_path / "out"
    out.mkdir()
    forged = out / "forged.json"
    attack = f"import pathlib\npathlib.Path({str(forged)!r}).write_text('{{\"score\": 100}}')\n"
    steal = (
        "import pathlib\n"
        "try:\n"
        f"    stolen = pathlib.Path({str(spec.tests_dir / 'q2_backward.py')!r}).read_text()\n"
        "except OSError as error:\n"
        "    stolen = 'blocked: ' + type(error).__name__\n"
        "def lstm_step_backward(dh, dc_next, cache):\n"
        "    raise RuntimeError(stolen[:40])\n"
    )
    path = solution_with(built_project, tmp_path / "attack.ipynb", attack, steal)
    [result] = grade_batch(spec, [path], out, FAST)
    assert not forged.exists()
    assert by_question(result) == {**FULL, "q2_backward": 0.0}
    text = json.dumps(result.to_json())
    assert "autograder.hidden" not in text
    assert "blocked: " in text
    assert json.loads((out / "attack.json").read_text())["score"] == 7.0


def test_a_loop_in_the_first_question_costs_only_that_question(
    built_project: Project, tmp_path: Path
) -> None:
    disc05 = load_spec(built_project, "disc05")
    notebook = nbformat.read(built_project.example("disc05", "solution"), 4)
    notebook.cells.append(
        nbformat.v4.new_code_cell("def sigmoid(x):\n    while True:\n        pass\n")
    )
    path = tmp_path / "loops_first.ipynb"
    nbformat.write(notebook, path)
    result = grade_notebook(disc05, path, FAST)
    scores = result.question_scores()
    # sigmoid_grad calls sigmoid, so all of q1a_sigmoid is lost; every later question is not
    assert scores == {
        "q1a_sigmoid": 0.0, "q1a_max": 3.0, "q1b": 2.0, "q1c": 2.0,
        "q2_loss": 2.0, "q2a": 2.0, "q2b": 2.0, "q2c": 2.0,
    }  # fmt: skip
    sigmoid = next(t for t in result.tests if t.name == "q1a_sigmoid: sigmoid")
    assert sigmoid.output.startswith("sigmoid did not finish within")
