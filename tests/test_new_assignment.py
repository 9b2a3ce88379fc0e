"""A course adds an assignment without touching the tool: `autograder new`, then build,
validate, grade and demo, with hidden tests that are plain asserts only."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import nbformat
import pytest

import autograder
from autograder.cli import main
from autograder.project import Project

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
PACKAGE = Path(autograder.__file__).resolve().parent
#: A name no assignment of the course has yet (the course may have a disc07 already).
NEW = next(
    name for n in range(7, 100) if not (REPO / "solutions" / (name := f"disc{n:02d}")).exists()
)


def package_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The repository's course with a third assignment made by `autograder new`, built."""
    root = tmp_path_factory.mktemp("course")
    for folder in ("solutions", "examples"):
        shutil.copytree(REPO / folder, root / folder)
    before = package_digest()
    assert main(["new", NEW, "--root", str(root)]) == 0
    assert main(["build", "--root", str(root)]) == 0
    assert package_digest() == before, "adding an assignment changed the autograder package"
    return Project(root)


def test_new_refuses_an_existing_assignment(
    course: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", "disc06", "--root", str(course.root)]) == 1
    assert "already exists" in capsys.readouterr().err


def test_the_new_assignment_validates(course: Project) -> None:
    args = ["validate", NEW, "--seeds", "3", "--root", str(course.root)]
    assert main(args) == 0


def test_plain_assert_tests_grade_right_and_wrong_answers(course: Project, tmp_path: Path) -> None:
    solution = nbformat.read(course.example(NEW, "solution"), as_version=4)
    wrong = nbformat.read(course.example(NEW, "solution"), as_version=4)
    for cell in wrong.cells:
        cell.source = cell.source.replace("np.maximum(z, 0.0)", "np.abs(z)")
    nbformat.write(solution, tmp_path / "right.ipynb")
    nbformat.write(wrong, tmp_path / "wrong.ipynb")
    out = tmp_path / "graded"
    args = ["grade", NEW, str(tmp_path / "right.ipynb"), str(tmp_path / "wrong.ipynb")]
    assert main([*args, "--out", str(out), "--root", str(course.root)]) == 0
    right = json.loads((out / "right.json").read_text())
    assert right["score"] == 2
    result = json.loads((out / "wrong.json").read_text())
    assert result["score"] == 0
    (entry,) = [t for t in result["tests"] if t["name"] == "q1_relu"]
    assert entry["output"].startswith(
        "this check failed: assert np.allclose(relu(z), reference_relu(z))"
    ), entry["output"]
    assert "relu(z) = array of shape (4, 5)" in entry["output"]


def test_each_zip_holds_only_its_own_assignment(course: Project) -> None:
    own = {"disc05": "reference.py", "disc06": "lstm.py"}
    for name in course.assignment_names():
        with zipfile.ZipFile(course.files(name).gradescope_zip) as archive:
            names = archive.namelist()
            wheel = next(n for n in names if n.endswith(".whl"))
            course_files = {n.removeprefix("course/") for n in names if n.startswith("course/")}
            source = {p.name for p in (course.solutions_dir / name).glob("*.py")}
            assert course_files == source, name
            assert f"course/{own.get(name, 'reference.py')}" in names
            tests = {n for n in names if n.startswith("tests/")}
            manifest = json.loads(archive.read("manifest.json"))
            questions = {q["name"] for q in manifest["questions"] if not q["manual"]}
            assert tests == {f"tests/{q}.py" for q in questions}
            with zipfile.ZipFile(archive.open(wheel)) as inner:
                packaged = inner.namelist()
        assert not [n for n in packaged if "disc0" in n or n.startswith("autograder/references")]
        assert not [n for n in packaged if n.endswith(("reference.py", "helpers.py"))]


def test_the_demo_runs_with_three_assignments(
    course: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert len(course.assignment_names()) >= 3
    assert main(["demo", "--out", str(tmp_path / "demo"), "--root", str(course.root)]) == 0
    for name in course.assignment_names():
        assert (tmp_path / "demo" / name / "scores.csv").is_file()
