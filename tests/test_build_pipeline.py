"""The whole build on the toy master, with the real otter assign (seconds each)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from build_support import project_with, tree_bytes

from autograder.assemble import STEPS, BuildReport, GradeFunction, Manifest, Scores, build
from autograder.assemble.validity import otter_grader
from autograder.assemble.wheel import package_wheel
from autograder.errors import BuildError
from autograder.project import Project

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, BuildReport]:
    project = project_with(tmp_path_factory.mktemp("course"), "toy")
    return project, build(project)


def copy_of(project: Project, tmp_path: Path) -> Project:
    shutil.copytree(project.root, tmp_path / "course")
    return Project(tmp_path / "course")


def test_the_steps_read_as_the_process() -> None:
    assert [step.name for step in STEPS] == [
        "lint",
        "course modules",
        "otter assign",
        "solution tests",
        "student files",
        "public checks",
        "dist files",
        "manifest",
        "leak guard",
        "examples",
        "gradescope zip",
        "validity",
    ]


def test_build_writes_the_student_folder_and_dist(built: tuple[Project, BuildReport]) -> None:
    project, report = built
    (toy,) = report.assignments
    assert sorted(tree_bytes(project.assignments_dir / "toy")) == [
        "tests/q1_square.py",
        "tests/q2_mean.py",
        "toy.ipynb",
    ]
    dist = project.dist("toy")
    assert sorted(tree_bytes(dist)) == [
        "autograder.zip",
        "examples/blank.ipynb",
        "examples/solution.ipynb",
        "manifest.json",
        "otter-autograder.zip",
        "otter_config.json",
        "tests/q1_square.py",
        "tests/q2_mean.py",
        "toy.ipynb",
    ]
    assert toy.student_notebook == project.assignments_dir / "toy" / "toy.ipynb"
    assert toy.gradescope_zip.is_file() and toy.otter_zip.is_file()
    assert dict(toy.step_seconds).keys() == {step.name for step in STEPS}
    print(f"\ntoy build: {toy.seconds:.1f} s", dict(toy.step_seconds))


def test_hidden_cases_stay_in_dist(built: tuple[Project, BuildReport]) -> None:
    project, _ = built
    public = (project.assignments_dir / "toy" / "tests" / "q1_square.py").read_text()
    hidden = (project.dist("toy") / "tests" / "q1_square.py").read_text()
    assert "'hidden': True" not in public and "part='odd'" not in public
    assert "'hidden': True" in hidden and "part='odd'" in hidden
    notebook = (project.assignments_dir / "toy" / "toy.ipynb").read_text()
    assert "return x * x" not in notebook and "sum([1, 2, 3, 6])" not in notebook
    assert "return x * x" in (project.dist("toy") / "toy.ipynb").read_text()


def test_manifest_lists_questions_and_parts_in_notebook_order(
    built: tuple[Project, BuildReport],
) -> None:
    project, _ = built
    manifest = json.loads((project.dist("toy") / "manifest.json").read_text())
    assert manifest == {
        "assignment": "toy",
        "questions": [
            {
                "name": "q1_square",
                "points": 2,
                "manual": False,
                "parts": [
                    {"part": "public 1", "points": 0, "hidden": False},
                    {"part": "odd", "points": 1, "hidden": True},
                    {"part": "negative", "points": 1, "hidden": True},
                ],
                "feedback": "hint",
            },
            {
                "name": "q2_mean",
                "points": 1,
                "manual": False,
                "parts": [{"part": "value", "points": 1, "hidden": True}],
                "feedback": "hint",
            },
            {"name": "q3_explain", "points": 1, "manual": True, "parts": [], "feedback": "hint"},
        ],
    }
    loaded = Manifest.load(project.dist("toy") / "manifest.json")
    assert [question.name for question in loaded.autograded] == ["q1_square", "q2_mean"]


def test_gradescope_zip_has_executable_scripts_at_its_root(
    built: tuple[Project, BuildReport],
) -> None:
    project, _ = built
    with zipfile.ZipFile(project.dist("toy") / "autograder.zip") as archive:
        infos = {info.filename: info for info in archive.infolist()}
        names = sorted(infos)
        requirements = archive.read("requirements.txt").decode()
        run_autograder = archive.read("run_autograder").decode()
    assert names[:1] == ["autograder-0.1.0-py3-none-any.whl"]
    assert names[1:] == [
        "manifest.json",
        "requirements.txt",
        "run_autograder",
        "setup.sh",
        "tests/q1_square.py",
        "tests/q2_mean.py",
    ]
    for script in ("setup.sh", "run_autograder"):
        assert (infos[script].external_attr >> 16) & 0o111 == 0o111, script
    assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in infos.values())
    assert "otter-grader" in requirements and "pytest" not in requirements
    assert '-m autograder.gradescope --root "$ROOT"' in run_autograder


def test_otter_zip_has_a_stable_name_and_otter_tests(built: tuple[Project, BuildReport]) -> None:
    project, _ = built
    with zipfile.ZipFile(project.dist("toy") / "otter-autograder.zip") as archive:
        names = archive.namelist()
    assert {"run_autograder", "setup.sh", "otter_config.json", "tests/q1_square.py"} <= set(names)


def test_building_twice_gives_identical_bytes(
    built: tuple[Project, BuildReport], tmp_path: Path
) -> None:
    project = copy_of(built[0], tmp_path)
    before = tree_bytes(project.assignments_dir) | {
        f"dist/{name}": data for name, data in tree_bytes(project.dist_dir / "toy").items()
    }
    build(project)
    after = tree_bytes(project.assignments_dir) | {
        f"dist/{name}": data for name, data in tree_bytes(project.dist_dir / "toy").items()
    }
    assert sorted(before) == sorted(after)
    changed = [name for name in before if before[name] != after[name]]
    # The wheel inside autograder.zip is rebuilt when autograder/ changes between the two
    # builds (as it does while the package is being edited); it has a test of its own.
    if changed == ["dist/autograder.zip"]:
        changed = (
            []
            if _without_wheel(before[changed[0]]) == _without_wheel(after[changed[0]])
            else changed
        )
    assert changed == []


def _without_wheel(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name: archive.read(name) for name in archive.namelist() if not name.endswith(".whl")
        }


def test_check_passes_after_a_build_and_writes_nothing(
    built: tuple[Project, BuildReport], tmp_path: Path
) -> None:
    project = copy_of(built[0], tmp_path)
    shutil.rmtree(project.dist_dir)
    report = build(project, check=True)
    assert report.checked
    assert not project.dist_dir.exists()


def test_check_names_the_file_an_edited_master_would_change(
    built: tuple[Project, BuildReport], tmp_path: Path
) -> None:
    project = copy_of(built[0], tmp_path)
    master = project.solutions_dir / "toy.ipynb"
    master.write_text(master.read_text().replace("mean of 1, 2, 3 and 6", "mean of 6, 3, 2, 1"))
    (project.assignments_dir / "toy" / "notes.txt").write_text("stray")
    (project.assignments_dir / "toy" / "tests" / "q2_mean.py").unlink()
    with pytest.raises(BuildError) as raised:
        build(project, check=True)
    message = str(raised.value)
    assert "assignments/toy/toy.ipynb differs" in message
    assert "assignments/toy/notes.txt is extra" in message
    assert "assignments/toy/tests/q2_mean.py is missing" in message
    assert "q1_square.py" not in message


def test_check_names_assignments_without_a_master(
    built: tuple[Project, BuildReport], tmp_path: Path
) -> None:
    project = copy_of(built[0], tmp_path)
    (project.assignments_dir / "old").mkdir()
    (project.assignments_dir / "old" / "old.ipynb").write_text("{}")
    with pytest.raises(BuildError, match=r"assignments/old/old\.ipynb is extra"):
        build(project, check=True)


def test_a_hidden_test_erroring_on_the_solution_names_question_and_part(tmp_path: Path) -> None:
    project = project_with(tmp_path, "hidden_errors")
    with pytest.raises(BuildError) as raised:
        build(project)
    message = str(raised.value)
    assert "solutions/hidden_errors.ipynb, cell 12, question q1_square" in message
    assert "part 'negative'" in message
    assert "ValueError: invalid literal for int()" in message
    assert "Traceback" not in message
    assert not project.assignments_dir.exists()


def test_a_solution_line_planted_in_a_prompt_fails_the_leak_guard(tmp_path: Path) -> None:
    project = project_with(tmp_path, "leak_solution_in_markdown")
    with pytest.raises(BuildError) as raised:
        build(project)
    message = str(raised.value)
    assert (
        "assignments/leak_solution_in_markdown/leak_solution_in_markdown.ipynb, cell 4 "
        "(question q1_square): 'return x * x' is a solution line of "
        "solutions/leak_solution_in_markdown.ipynb, cell 7, question q1_square"
    ) in message
    assert not project.assignments_dir.exists()


def test_a_plugged_in_grader_checks_validity_before_publishing(tmp_path: Path) -> None:
    project = project_with(tmp_path, "toy")
    seen: list[str] = []

    def grader(dist: Path) -> GradeFunction:
        assert (dist / "manifest.json").is_file() and (dist / "tests" / "q1_square.py").is_file()

        def grade(notebook: Path) -> Scores:
            seen.append(notebook.parent.name)
            return {"q1_square": (1, 2), "q2_mean": (0, 1)}  # a broken test on q1_square

        return grade

    with pytest.raises(BuildError, match="question q1_square: the solution notebook scores 1/2"):
        build(project, grader=grader)
    assert seen == ["toy", "toy"]
    assert not project.assignments_dir.exists() and not (project.dist_dir / "toy").exists()


def test_the_package_wheel_is_reproducible(tmp_path: Path) -> None:
    first = package_wheel(tmp_path / "one")
    second = package_wheel(tmp_path / "two")
    assert first.name == second.name and first.read_bytes() == second.read_bytes()
    assert package_wheel(tmp_path / "one") == first  # cached


def _scripts(project: Project, into: Path) -> Path:
    with zipfile.ZipFile(project.dist("toy") / "autograder.zip") as archive:
        archive.extractall(into)
    for script in ("setup.sh", "run_autograder"):
        (into / script).chmod(0o755)
    return into


def test_the_gradescope_scripts_are_valid_bash(
    built: tuple[Project, BuildReport], tmp_path: Path
) -> None:
    source = _scripts(built[0], tmp_path / "source")
    for script in ("setup.sh", "run_autograder"):
        subprocess.run(["bash", "-n", str(source / script)], check=True)
        if shutil.which("shellcheck"):
            subprocess.run(["shellcheck", str(source / script)], check=True)


@pytest.mark.root
@pytest.mark.skipif(os.geteuid() != 0, reason="setup.sh creates a user: needs root")
def test_setup_sh_installs_offline_when_the_requirements_are_present(
    built: tuple[Project, BuildReport], tmp_path: Path
) -> None:
    """A fresh venv that sees this environment's packages (PYTHONPATH) but not autograder:
    setup.sh must install the wheel without the network and record the interpreter."""
    source = _scripts(built[0], tmp_path / "autograder" / "source")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    site_packages = next(path for path in sys.path if path.endswith("site-packages"))
    env = {
        **os.environ,
        "AUTOGRADER_PYTHON": str(venv / "bin" / "python"),
        "PYTHONPATH": site_packages,
        "PIP_NO_INDEX": "1",  # any attempt to reach an index fails the test
    }
    done = subprocess.run(
        ["bash", str(source / "setup.sh")],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "requirements already installed (offline)" in done.stdout
    assert (source / "python-interpreter").read_text().strip() == str(venv / "bin" / "python")
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import autograder; print(autograder.__file__)"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(str(venv))
    subprocess.run(["id", "-u", "autograder-student"], check=True, capture_output=True)


def test_with_otters_grader_the_toy_is_valid(tmp_path: Path) -> None:
    project = project_with(tmp_path, "toy")
    (toy,) = build(project, grader=otter_grader).assignments
    assert otter_grader(toy.dist_dir)(toy.student_notebook) == {
        "q1_square": (0.0, 2.0),
        "q2_mean": (0.0, 1.0),
    }
