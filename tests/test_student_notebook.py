"""The student's side, in a real Jupyter kernel: public checks and the export.

The generated student notebook (assignments/<name>/) is executed with
nbclient exactly as a student would run it: blank, every `grader.check` must
report failures; with the answers filled in (the bundled solution example),
every check passes and `grader.export` writes the submission zip on a machine
without LaTeX or pandoc.
"""

from __future__ import annotations

import shutil
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.project import Project

pytestmark = pytest.mark.slow


def run_as_student(
    project: Project, name: str, notebook: Path, folder: Path
) -> list[tuple[str, str]]:
    """Execute ``notebook`` beside the public tests; (check cell, its text output) pairs."""
    shutil.copytree(project.assignments_dir / name, folder)
    target = folder / f"{name}.ipynb"
    shutil.copy(notebook, target)
    nb = nbformat.read(target, as_version=4)
    client = NotebookClient(
        nb, kernel_name="python3", timeout=300, allow_errors=True,
        resources={"metadata": {"path": str(folder)}},
    )  # fmt: skip
    client.execute()
    checks = []
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.startswith("grader.check("):
            text = "".join(
                str(out.get("text", "")) + str(out.get("data", {}).get("text/plain", ""))
                for out in cell.outputs
            )
            checks.append((cell.source, text))
    return checks


@pytest.fixture(autouse=True)
def no_latex_or_pandoc(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A PATH holding only python and the otter/jupyter scripts: no pandoc, no LaTeX."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    venv_bin = Path(sys.executable).parent
    for tool in venv_bin.iterdir():
        (bin_dir / tool.name).symlink_to(tool)
    monkeypatch.setenv("PATH", str(bin_dir))
    for tool in ("pandoc", "xelatex", "pdflatex"):
        assert shutil.which(tool) is None


@pytest.mark.parametrize("name", ["disc05", "disc06"])
def test_blank_notebook_fails_every_public_check(
    built_project: Project, name: str, tmp_path: Path
) -> None:
    blank = built_project.student_notebook(name)
    checks = run_as_student(built_project, name, blank, tmp_path / "s")
    assert checks, "the student notebook has no grader.check cells"
    for source, text in checks:
        assert "All test cases passed" not in text, source
        assert "failed" in text.lower() or "error" in text.lower(), (source, text)


@pytest.mark.parametrize("name", ["disc05", "disc06"])
def test_filled_notebook_passes_every_public_check_and_exports(
    built_project: Project, name: str, tmp_path: Path
) -> None:
    folder = tmp_path / "s"
    checks = run_as_student(built_project, name, built_project.example(name, "solution"), folder)
    assert checks
    for source, text in checks:
        assert "All test cases passed" in text, (source, text)
    exports = list(folder.glob("*.zip"))
    assert len(exports) == 1, "grader.export wrote no submission zip"
    with zipfile.ZipFile(exports[0]) as archive:
        assert f"{name}.ipynb" in archive.namelist()


def test_a_failed_public_check_is_short_and_names_the_mistake(
    built_project: Project, tmp_path: Path
) -> None:
    """The forget gate left out of dc_prev: a few lines, the mistake named, no expected values."""
    example = built_project.example("disc06", "mistake-dc_prev_without_forget_gate")
    checks = dict(run_as_student(built_project, "disc06", example, tmp_path / "s"))
    text = checks['grader.check("q2_backward")'].strip()
    assert len(text.splitlines()) <= 10, text
    assert "dc_prev matches a known mistake, the gradient without the forget gate" in text
    assert "[[" not in text and "array(" not in text and "known_mistakes" not in text, text
    assert text.count("failed") == 1, text  # one failure, no redundant second one
