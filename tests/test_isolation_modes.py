"""Hostile submissions graded in the three places grading runs: root, a container without
CAP_SYS_ADMIN (Gradescope), and an unprivileged user (a TA's laptop).

One batch per mode: every attack gets the score it deserves, the batch finishes, and the
grader's files, environment and later submissions are untouched.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from notebook_magics import MAGIC_CELLS, magics_notebook, realistic_notebook
from sandbox_support import MODES, REPO, run_in_mode, ta_user

from autograder.project import Project
from autograder.sandbox import Limits
from autograder.sandbox.limits import MiB

pytestmark = pytest.mark.slow

# Searches the whole machine for master notebooks and runs their code: full marks if any
# master is readable. Tried outside the sandbox below, so the attack is known to work.
STEAL_MASTERS = textwrap.dedent(
    """
    import json, os, re
    found = []
    for top, dirs, files in os.walk("/", onerror=lambda error: None):
        dirs[:] = [d for d in dirs if top != "/" or d not in ("proc", "sys", "dev")]
        for name in files:
            if name.endswith(".ipynb"):
                try:
                    text = open(os.path.join(top, name)).read()
                except OSError:
                    continue
                if "BEGIN SOLUTION" in text or "# SOLUTION" in text:
                    found.append(os.path.join(top, name))
    for path in found:
        for cell in json.load(open(path))["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] == "code" and "grader" not in source and "%" not in source:
                try:
                    exec(re.sub(r"(?m)^\\s*#.*SOLUTION.*$", "", source), globals())
                except Exception:
                    pass
    """
)

# The course's own modules (solutions/disc06/*.py, dist/disc06/course/*.py): imported by
# the bare names the hidden tests use, or found anywhere on the disk and run.
STEAL_COURSE = textwrap.dedent(
    """
    import os
    for module in ("reference", "helpers", "lstm", "mistakes"):
        try:
            exec(f"from {module} import *", globals())
        except Exception:
            pass
    for top, dirs, files in os.walk("/"):
        if top.startswith(("/proc", "/sys", "/dev")):
            dirs[:] = []
            continue
        for name in files:
            if not name.endswith(".py"):
                continue
            try:
                text = open(os.path.join(top, name)).read()
            except (OSError, UnicodeDecodeError):
                continue
            if "def lstm_step_backward" in text:
                try:
                    exec(compile(text, name, "exec"), globals())
                except Exception:
                    pass
    """
)

KILL_EVERYTHING = textwrap.dedent(
    """
    import os, signal
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if entry.isdigit() and int(entry) != os.getpid():
            try:
                os.kill(int(entry), signal.SIGKILL)
            except OSError:
                pass
    for target in (os.getppid(), 1):
        try:
            os.kill(target, signal.SIGKILL)
        except OSError:
            pass
    os.kill(-1, signal.SIGKILL)
    """
)

READ_ENVIRON = textwrap.dedent(
    """
    import os
    seen = []
    for entry in os.listdir("/proc"):
        try:
            seen.append(open(f"/proc/{entry}/environ", "rb").read().decode(errors="replace"))
        except OSError:
            pass
    raise RuntimeError("environments: " + " | ".join(seen))
    """
)

LINGER = textwrap.dedent(
    """
    import os, subprocess, time
    subprocess.Popen(["sleep", "777.25"], start_new_session=True)
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            time.sleep(2)
            for name in os.listdir(OUT):
                try:
                    open(os.path.join(OUT, name), "w").write("{}")
                except OSError:
                    pass
            os._exit(0)
        os._exit(0)
    """
)

TAMPER = textwrap.dedent(
    """
    import os
    for folder in (OUT, SUBMISSIONS, PROJECT, "/tmp", "/var/tmp"):
        for top, dirs, files in os.walk(folder, onerror=lambda error: None):
            for name in files:
                try:
                    open(os.path.join(top, name), "w").write("tampered")
                except OSError:
                    pass
                try:
                    os.remove(os.path.join(top, name))
                except OSError:
                    pass
    """
)


# Files under the 64 MiB file-size limit, as many as the disk takes. In the container mode
# nothing but the grading side's disk quota stops it (no tmpfs there).
FILL_DISK = textwrap.dedent(
    """
    import os
    block = b"x" * (1 << 20)
    os.makedirs("filler", exist_ok=True)
    for number in range(100_000):
        with open(f"filler/{number}", "wb") as part:
            for _ in range(32):
                part.write(block)
    """
)
DISK_MARGIN = 128 * MiB
"""What the disk may grow by beyond the quota: writes in the last 50 ms before the meter
sees them, and whatever else the machine writes meanwhile."""


@pytest.fixture(scope="module")
def playground(built_project: Project) -> Iterator[Path]:
    """A course copy, the submissions and a planted master of 'last term', all readable by
    the TA user of the unprivileged mode; the planted master lies outside the course."""
    if os.geteuid() != 0:
        pytest.skip("reproducing the grading modes needs root")
    top = Path(tempfile.mkdtemp(prefix="autograder-modes-", dir="/var/tmp"))
    shutil.copytree(built_project.root, top / "course", ignore=shutil.ignore_patterns("*.whl"))
    old_term = Path(tempfile.mkdtemp(prefix="autograder-last-term-", dir="/var/lib"))
    shutil.copyfile(
        REPO / "solutions" / "disc06" / "disc06.ipynb", old_term / "disc06-master.ipynb"
    )
    (top / "planted").write_text(str(old_term / "disc06-master.ipynb"))
    for path in [top, old_term, *top.rglob("*"), *old_term.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    yield top
    shutil.rmtree(top, ignore_errors=True)
    shutil.rmtree(old_term, ignore_errors=True)


def test_the_master_search_finds_the_planted_master_outside_a_sandbox(playground: Path) -> None:
    """The attack is real: unsandboxed, it defines the LSTM from a master it finds."""
    planted = Path((playground / "planted").read_text())
    script = STEAL_MASTERS.replace('os.walk("/"', f"os.walk({str(planted.parent)!r}")
    script += "\nprint('lstm_step_backward' in globals())"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.strip().splitlines()[-1] == "True", done.stderr


def test_the_course_search_finds_the_reference_outside_a_sandbox(playground: Path) -> None:
    """The attack is real: unsandboxed, it defines the LSTM from the course's reference."""
    course = playground / "course" / "solutions"
    script = STEAL_COURSE.replace('os.walk("/"', f"os.walk({str(course)!r}")
    script += "\nprint('lstm_step_backward' in globals())"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.strip().splitlines()[-1] == "True", done.stderr


def _submissions(playground: Path, mode: str, out: Path) -> dict[str, Path]:
    examples = playground / "course" / "dist" / "disc06" / "examples"
    folder = playground / f"submissions-{mode}"
    folder.mkdir()
    paths = {
        "OUT": str(out),
        "SUBMISSIONS": str(folder),
        "PROJECT": str(playground / "course"),
    }
    prelude = "".join(f"{name} = {value!r}\n" for name, value in paths.items())
    attacks = {  # name -> (notebook it extends, the cell added at the end)
        "a_kill_everything": ("solution", KILL_EVERYTHING),
        "b_steal_masters": ("blank", STEAL_MASTERS),
        "c_steal_course": ("blank", STEAL_COURSE),
        "d_read_environ": ("blank", READ_ENVIRON),
        "e_linger": ("solution", prelude + LINGER),
        "f_tamper": ("solution", prelude + TAMPER),
        "g_solution": ("solution", ""),
        "h_fill_disk": ("solution", FILL_DISK),
    }
    made = {}
    for name, (base, cell) in attacks.items():
        notebook = nbformat.read(examples / f"{base}.ipynb", as_version=4)
        if cell:
            notebook.cells.append(nbformat.v4.new_code_cell(cell))
        made[name] = folder / f"{name}.ipynb"
        nbformat.write(notebook, made[name])
    return made


DESERVED = {  # what each attack deserves: its own work, no more
    "a_kill_everything": "full",
    "b_steal_masters": "zero",
    "c_steal_course": "zero",
    "d_read_environ": "zero",
    "e_linger": "full",
    "f_tamper": "full",
    "g_solution": "full",
    "h_fill_disk": "full",
}


def _digest(paths: list[Path]) -> dict[str, str]:
    return {str(path): hashlib.sha256(path.read_bytes()).hexdigest() for path in paths}


def _running(command: bytes) -> bool:
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "cmdline").read_bytes().replace(b"\0", b" ").strip() == command:
                    return True
            except OSError:
                continue
    return False


@pytest.mark.parametrize("mode", MODES)
def test_hostile_submissions_get_what_they_deserve_in_every_mode(
    playground: Path, mode: str
) -> None:
    out = playground / f"out-{mode}"
    out.mkdir()
    submissions = _submissions(playground, mode, out)
    if mode == "user":
        uid, gid = ta_user()
        for path in [out, *submissions.values(), next(iter(submissions.values())).parent]:
            os.chown(path, uid, gid)
    course = playground / "course"
    protected = [*course.rglob("*.ipynb"), *course.rglob("*.py"), *submissions.values()]
    planted = Path((playground / "planted").read_text())
    before = _digest([*protected, planted])
    secret = f"s3cret-{secrets.token_hex(8)}"
    argv = [sys.executable, "-m", "autograder.cli", "grade", "disc06"]
    argv += [*map(str, submissions.values()), "--out", str(out), "--root", str(course)]
    with disk_growth(Path(tempfile.gettempdir())) as growth:
        env = {"AUTOGRADER_TEST_SECRET": secret}
        done = run_in_mode(mode, argv, reachable=[playground], env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    results = {name: json.loads((out / f"{name}.json").read_text()) for name in submissions}
    assert growth[0] <= Limits().scratch_bytes + DISK_MARGIN, f"{growth[0] / MiB:.0f} MiB"
    if mode == "container":  # elsewhere a full tmpfs stops the cell: an error, no incident
        incidents = results["h_fill_disk"]["extra_data"]["incidents"]
        assert [incident["kind"] for incident in incidents] == ["crash"]
        assert "used more than 256 MiB of disk" in incidents[0]["message"]

    full = max(result["score"] for result in results.values())
    assert results["g_solution"]["score"] == full > 0
    for name, deserved in DESERVED.items():
        assert results[name]["score"] == (full if deserved == "full" else 0), (
            name,
            results[name]["output"],
        )
    text = "\n".join(path.read_text() for path in out.rglob("*") if path.is_file())
    assert secret not in text
    assert "Not protected" not in text
    for result in results.values():
        isolation = result["extra_data"]["isolation"]
        assert isolation["missing"] == {} or set(isolation["missing"]) <= {"signals", "network"}
        assert "file view" in isolation["held"]

    # Nothing the submissions started is left, and nothing changes afterwards.
    graded = _digest(sorted(out.glob("*.json")))
    assert not _running(b"sleep 777.25")
    time.sleep(3)
    assert _digest(sorted(out.glob("*.json"))) == graded
    assert _digest([*protected, planted]) == before


@contextlib.contextmanager
def disk_growth(where: Path) -> Iterator[list[int]]:
    """The most the used space of ``where``'s file system grew by while the block ran."""
    before = shutil.disk_usage(where).used
    growth = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.005):
            growth[0] = max(growth[0], shutil.disk_usage(where).used - before)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield growth
    finally:
        stop.set()
        sampler.join()


@pytest.mark.parametrize("mode", MODES)
def test_notebooks_written_as_students_write_them_in_every_mode(
    playground: Path, mode: str
) -> None:
    """Magics, shell escapes, plots, autoreload: full marks for a correct notebook, and no
    cell error but those Jupyter itself gives."""
    folder = playground / f"notebooks-{mode}"
    out = playground / f"notebooks-out-{mode}"
    folder.mkdir()
    out.mkdir()
    examples = playground / "course" / "dist" / "disc06" / "examples"
    nbformat.write(realistic_notebook(examples / "solution.ipynb"), folder / "realistic.ipynb")
    nbformat.write(nbformat.read(examples / "solution.ipynb", as_version=4), folder / "plain.ipynb")
    nbformat.write(magics_notebook(), folder / "magics.ipynb")
    if mode == "user":
        uid, gid = ta_user()
        for path in [folder, out, *folder.iterdir()]:
            os.chown(path, uid, gid)
    argv = [sys.executable, "-m", "autograder.cli", "grade", "disc06"]
    argv += [*map(str, sorted(folder.iterdir())), "--out", str(out)]
    done = run_in_mode(mode, [*argv, "--root", str(playground / "course")], [playground])
    assert done.returncode == 0, done.stderr[-3000:]
    results = {path.stem: json.loads(path.read_text()) for path in out.glob("*.json")}

    assert results["realistic"]["score"] == results["plain"]["score"] == 13
    assert results["realistic"]["output"] == ""  # no cell error
    errors = [line for line in results["magics"]["output"].splitlines() if ": error: " in line]
    expected = [error for _, error in MAGIC_CELLS if error is not None]
    assert len(errors) == len(expected), errors
    for line, error in zip(errors, expected, strict=True):
        assert f": error: {error}: " in line


FALLBACK_GRADER = textwrap.dedent(
    """
    import json
    from autograder.sandbox import Limits, Sandbox
    with Sandbox(limits=Limits(cell_timeout=10.0), hide_paths=[PROJECT]) as box:
        cell = (
            "import os\\n"
            "def attempt(action):\\n"
            "    try:\\n"
            "        return repr(action())\\n"
            "    except Exception as error:\\n"
            "        return type(error).__name__\\n"
            f"planted = attempt(lambda: open({PLANTED!r}).read())\\n"
            "root = attempt(lambda: os.listdir('/'))\\n"
            "environ = attempt(lambda: open('/proc/1/environ').read())\\n"
            "import numpy, sympy\\n"
        )
        outcome = box.run_cells([cell])[0]
        found = box.lookup(["planted", "root", "environ"])
        print(json.dumps({"status": outcome.status, **found,
                          "held": box.protections.held, "missing": box.protections.missing}))
    """
)


def test_where_mounts_are_refused_the_sandbox_falls_back_and_landlock_holds(
    playground: Path,
) -> None:
    """A user namespace without mounts (AppArmor's restriction on Ubuntu): no fresh root,
    but the launch directory under Landlock still keeps the submission in its allow-list."""
    planted = (playground / "planted").read_text()
    script = f"PROJECT = {str(playground)!r}\nPLANTED = {planted!r}\n" + FALLBACK_GRADER
    done = run_in_mode("user", [sys.executable, "-c", script], [playground], deny=["mount"])
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["status"] == "ok"
    assert report["planted"] == "PermissionError"
    assert report["root"] == "PermissionError"
    assert report["environ"] in ("PermissionError", "FileNotFoundError")
    assert "fresh root" not in report["held"]["file view"]
    assert "Landlock" in report["held"]["file view"]


@pytest.mark.parametrize("mode", ["container", "user"])  # root: the suite itself runs so
def test_the_sandbox_hostile_fixtures_hold_in_the_other_modes(mode: str) -> None:
    """tests/test_sandbox_hostile.py (memory, fork and output bombs, huge files, a patched
    numpy, a forged result channel, crashes...) run again by a grader in ``mode``."""
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    argv += [str(REPO / "tests" / "test_sandbox_hostile.py")]
    argv += ["-k", "not pidfd and not closing_stdout"]  # those two need the harness: root
    done = run_in_mode(mode, argv, env={"PYTHONDONTWRITEBYTECODE": "1"})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and " failed" not in done.stdout
