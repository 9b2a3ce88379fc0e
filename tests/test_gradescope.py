"""The Gradescope autograder zip, laid out and run the way Gradescope does it.

Gradescope unzips the autograder into /autograder/source, runs setup.sh once,
then for each submission puts the files in /autograder/submission and runs
run_autograder, which must leave /autograder/results/results.json.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path
from typing import Any

import pytest

from autograder.project import Project

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def grading_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh interpreter for setup.sh to install into, seeing this venv's packages
    through a .pth file (so setup.sh finds its requirements without a network)."""
    venv = tmp_path_factory.mktemp("gradescope-python") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    Path(purelib, "host-packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def lay_out(root: Path, project: Project, name: str, submission: Path | None) -> None:
    """Gradescope's folders: the zip in source/, the upload in submission/, empty results/."""
    with zipfile.ZipFile(project.dist(name) / "autograder.zip") as archive:
        archive.extractall(root / "source")
    for script in ("setup.sh", "run_autograder"):  # zipfile drops the mode bits
        (root / "source" / script).chmod(0o755)
    (root / "submission").mkdir()
    (root / "results").mkdir()
    if submission is not None:
        shutil.copy(submission, root / "submission" / submission.name)


def run_gradescope(root: Path, python: Path, script_root: Path | None = None) -> dict[str, Any]:
    env = {**os.environ, "AUTOGRADER_PYTHON": str(python)}
    env["AUTOGRADER_ROOT"] = str(script_root or root)
    source = (script_root or root) / "source"
    subprocess.run(["bash", str(source / "setup.sh")], check=True, env=env, capture_output=True)
    subprocess.run([str(source / "run_autograder")], check=True, env=env, capture_output=True,
                   cwd="/")  # fmt: skip
    results: dict[str, Any] = json.loads((root / "results" / "results.json").read_text())
    return results


def test_zip_has_the_scripts_at_its_root(built_project: Project) -> None:
    with zipfile.ZipFile(built_project.dist("disc06") / "autograder.zip") as archive:
        info = {entry.filename: entry for entry in archive.infolist()}
    for script in ("setup.sh", "run_autograder"):
        assert script in info
        assert (info[script].external_attr >> 16) & 0o111, f"{script} is not executable"
    assert any(name.startswith("tests/") for name in info)


@pytest.mark.parametrize(("example", "expected"), [("solution", 13.0), ("blank", 0.0)])
def test_solution_and_blank_under_a_gradescope_root(
    built_project: Project, grading_python: Path, tmp_path: Path, example: str, expected: float
) -> None:
    lay_out(
        tmp_path,
        built_project,
        "disc06",
        built_project.example("disc06", example),
    )
    results = run_gradescope(tmp_path, grading_python)
    assert results["score"] == expected
    assert len(results["tests"]) == 15  # 13 autograded parts, 2 written questions
    assert [t.get("max_score") for t in results["tests"]] == [1.0] * 13 + [None] * 2


def test_otters_export_zip_uploaded_gets_full_marks(
    built_project: Project, grading_python: Path, tmp_path: Path, otter_export_zip: Path
) -> None:
    lay_out(tmp_path, built_project, "disc06", otter_export_zip)
    results = run_gradescope(tmp_path, grading_python)
    assert results["score"] == 13.0
    written = [t for t in results["tests"] if t.get("extra_data", {}).get("manual")]
    assert len(written) == 2
    for entry in written:  # the answer is shown; no verdict, no score, no staff text
        assert {"status", "score", "max_score"}.isdisjoint(entry)
        assert entry["output_format"] == "html" and "Your answer:" in entry["output"]
        assert "autograder grade" not in entry["output"]


def test_no_notebook_in_the_submission_still_writes_results(
    built_project: Project, grading_python: Path, tmp_path: Path
) -> None:
    lay_out(tmp_path, built_project, "disc06", None)
    (tmp_path / "submission" / "answers.pdf").write_bytes(b"%PDF-1.4")
    results = run_gradescope(tmp_path, grading_python)
    assert results["score"] == 0
    assert "No Jupyter notebook" in results["output"]
    assert "answers.pdf" in results["output"]
    assert len(results["tests"]) == 15


@pytest.mark.root
def test_at_the_real_autograder_path_in_a_private_mount_namespace(
    built_project: Project, grading_python: Path, tmp_path: Path
) -> None:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("needs root and unshare for a private /autograder")
    lay_out(tmp_path, built_project, "disc06", built_project.example("disc06", "solution"))
    Path("/autograder").mkdir(exist_ok=True)  # the mount point; the bind mount stays private
    env = {**os.environ, "AUTOGRADER_PYTHON": str(grading_python)}
    env.pop("AUTOGRADER_ROOT", None)
    script = (
        f"mount --make-rprivate / && mount --bind {tmp_path} /autograder && "
        "bash /autograder/source/setup.sh >/dev/null && /autograder/source/run_autograder"
    )
    subprocess.run(["unshare", "-m", "bash", "-c", script], check=True, env=env,
                   capture_output=True, cwd="/")  # fmt: skip
    results = json.loads((tmp_path / "results" / "results.json").read_text())
    assert results["score"] == 13.0


def test_a_broken_install_still_writes_results(built_project: Project, tmp_path: Path) -> None:
    lay_out(tmp_path, built_project, "disc06", built_project.example("disc06", "blank"))
    (tmp_path / "results" / "results.json").write_text('{"score": 100}')  # left by someone else
    env = {**os.environ, "AUTOGRADER_ROOT": str(tmp_path), "AUTOGRADER_PYTHON": "/nonexistent"}
    done = subprocess.run([str(tmp_path / "source" / "run_autograder")], env=env, check=False)
    assert done.returncode != 0
    results = json.loads((tmp_path / "results" / "results.json").read_text())
    assert results["score"] == 0
    assert "failed to start" in results["output"]


# Everything a submission could use to score without doing the work, on Gradescope.
GRADESCOPE_ATTACK = """
import glob, os, sys
found = []
for pattern in ("/autograder/source/**/*.py", "/autograder/source/*", "/autograder/results/*"):
    found += glob.glob(pattern, recursive=True)
for entry in sys.path:
    found += glob.glob(entry + "/autograder/**/*.py", recursive=True)
stolen = {}
for path in found:
    try:
        stolen[path] = open(path).read()
    except OSError:
        pass
for path, text in stolen.items():
    if path.endswith("course/reference.py"):
        exec(text, globals())
for module in ("reference", "helpers", "lstm"):
    try:
        exec(f"from {module} import *", globals())
    except Exception:
        pass
"""


@pytest.mark.root
def test_without_cap_sys_admin_the_zip_still_hides_package_references_and_tests(
    built_project: Project, grading_python: Path, tmp_path: Path
) -> None:
    """A default container: root without CAP_SYS_ADMIN, so no namespaces; setup.sh's
    permissions, the sandbox user and Landlock keep the grader's files out of reach."""
    from sandbox_support import run_in_mode

    if shutil.which("unshare") is None:
        pytest.skip("needs unshare for a private /autograder")
    blank = nbformat_with_cell(
        built_project.example("disc06", "blank"), GRADESCOPE_ATTACK, tmp_path
    )
    lay_out(tmp_path / "gs", built_project, "disc06", blank)
    Path("/autograder").mkdir(exist_ok=True)  # the mount point; the bind mount stays private
    script = (
        f"mount --bind {tmp_path / 'gs'} /autograder && "
        "bash /autograder/source/setup.sh >/dev/null && "
        "setpriv --bounding-set -sys_admin /autograder/source/run_autograder"
    )
    env = {"AUTOGRADER_PYTHON": str(grading_python)}
    done = run_in_mode("root", ["bash", "-c", script], [grading_python.parents[1], tmp_path], env)
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads((tmp_path / "gs" / "results" / "results.json").read_text())
    assert results["score"] == 0, results["output"]
    isolation = results["extra_data"]["isolation"]
    assert "mount" not in isolation["held"].get("file view", "")  # no namespaces here
    assert "Landlock" in isolation["held"]["file view"]
    assert "Not protected" not in json.dumps(results)
    source = tmp_path / "gs" / "source"
    assert (source / "tests").stat().st_mode & 0o077 == 0


def nbformat_with_cell(notebook: Path, cell: str, folder: Path) -> Path:
    import nbformat

    content = nbformat.read(notebook, as_version=4)
    content.cells.append(nbformat.v4.new_code_cell(cell))
    path = folder / "disc06.ipynb"
    nbformat.write(content, path)
    return path
