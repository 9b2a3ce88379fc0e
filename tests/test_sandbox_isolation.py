"""What the submission can see and do from inside the sandbox, as root and without root."""

from __future__ import annotations

import os
import shutil
import socket
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sandbox_support import FAST, REPO, needs_root, run_unprivileged

from autograder.sandbox import (
    DEFAULT_SANDBOX_USER,
    Sandbox,
    SandboxError,
    ensure_sandbox_user,
)

PACKAGE = Path(__file__).resolve().parents[1] / "autograder"


def run(box: Sandbox, source: str) -> Any:
    """Run one cell that sets ``result`` and return it (or the cell's error message)."""
    (outcome,) = box.run_cells([source])
    if outcome.status != "ok":
        return f"{outcome.status}: {outcome.message}"
    return box.lookup(["result"])["result"]


@pytest.fixture
def secrets_dir() -> Iterator[Path]:
    """A directory of 'hidden tests' outside /tmp (which the jail replaces anyway)."""
    directory = Path(tempfile.mkdtemp(prefix="autograder-test-", dir="/var/lib"))
    (directory / "secret.txt").write_text("the answers")
    (directory / "secret.txt").chmod(0o644)
    directory.chmod(0o755)
    yield directory
    shutil.rmtree(directory)


@needs_root
def test_the_submission_runs_as_an_unprivileged_user() -> None:
    with Sandbox(limits=FAST) as box:
        result = run(
            box,
            "import os, pwd\n"
            "result = [pwd.getpwuid(os.getuid()).pw_name, os.getuid(), os.geteuid(),\n"
            "          os.getgroups()]",
        )
        assert isinstance(result, list)
        name, uid, euid, groups = result
        assert name == DEFAULT_SANDBOX_USER and uid == euid != 0 and groups == []
        assert run(box, "import os\nos.setuid(0)\nresult = 1").startswith("error: PermissionError")


@needs_root
def test_only_the_allow_list_is_readable_and_nothing_outside_scratch_is_writable(
    secrets_dir: Path,
) -> None:
    """Files anywhere else (another course folder, a download) are not there for the
    submission, whether or not they are named as hidden."""
    with Sandbox(limits=FAST, hide_paths=[secrets_dir]) as box:
        read = run(box, f"result = open({str(secrets_dir / 'secret.txt')!r}).read()")
        assert str(read).startswith(("error: FileNotFoundError", "error: PermissionError"))
        listing = run(box, f"import os\nresult = os.listdir({str(secrets_dir.parent)!r})")
        assert str(listing).startswith(("error: FileNotFoundError", "error: PermissionError"))
        for place in ("/", "/etc", "/var", "/home", "/root", "/usr/share"):
            outcome = run(box, f"import os\nresult = os.listdir({place!r})")
            assert str(outcome).startswith("error"), place
        # The repository shows at most the way to the venv inside it (CI's clone in /tmp).
        outcome = run(box, f"import os\nresult = os.listdir({str(REPO)!r})")
        assert str(outcome).startswith("error") or set(outcome) <= set(venv_entry()), outcome
        write = run(box, f"open({str(secrets_dir / 'planted.py')!r}, 'w')\nresult = 1")
        assert str(write).startswith(("error: FileNotFoundError", "error: PermissionError"))
        # what Python needs is there, read-only
        assert run(box, "import numpy, sympy, scipy\nresult = 'imports'") == "imports"
        planted = f"open({numpy_init()!r}, 'a')\nresult = 1"
        assert str(run(box, planted)).startswith(("error: PermissionError", "error: OSError"))
        # the grading package (references, hidden tests' helpers) is never readable
        assert str(run(box, "import autograder.hidden\nresult = 1")).startswith("error")
        source = run(box, f"result = open({str(PACKAGE / 'hidden' / 'support.py')!r}).read()")
        assert str(source).startswith("error")
    assert (secrets_dir / "secret.txt").read_text() == "the answers"
    assert not (secrets_dir / "planted.py").exists()


def venv_entry() -> list[str]:
    """The entry of the repository that holds this venv, if it holds it."""
    prefix = Path(sys.prefix).resolve()
    return [prefix.relative_to(REPO).parts[0]] if prefix.is_relative_to(REPO) else []


def numpy_init() -> str:
    import numpy

    return str(Path(numpy.__file__))


@needs_root
def test_tmp_is_private_in_both_directions() -> None:
    with tempfile.NamedTemporaryFile(dir="/tmp", prefix="grader-") as grader_file:
        Path(grader_file.name).chmod(0o644)
        with Sandbox(limits=FAST) as box:
            assert run(box, f"import os\nresult = os.path.exists({grader_file.name!r})") is False
            assert run(box, "open('/tmp/planted', 'w').write('x')\nresult = 1") == 1
            assert run(box, "open('/dev/shm/planted', 'w').write('x')\nresult = 1") == 1
        assert not Path("/tmp/planted").exists() and not Path("/dev/shm/planted").exists()


@needs_root
def test_no_network() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        with Sandbox(limits=FAST) as box:
            result = run(
                box, f"import socket\nresult = socket.create_connection(('127.0.0.1', {port}))"
            )
            refused = ("error: ConnectionRefusedError", "error: PermissionError", "error: OSError")
            assert str(result).startswith(refused), result


@needs_root
def test_other_processes_are_invisible_and_its_own_die_with_it() -> None:
    with Sandbox(limits=FAST) as box:
        assert run(box, f"import os\nresult = os.path.exists('/proc/{os.getpid()}')") is False
        started = run(
            box,
            "import subprocess\n"
            "subprocess.Popen(['sleep', '1234.5'], start_new_session=True)\n"
            "result = 'started'",
        )
        assert started == "started"
        assert _processes_running("sleep 1234.5")
    assert not _processes_running("sleep 1234.5")


def _processes_running(command: str) -> bool:
    found = False
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                found |= (entry / "cmdline").read_bytes().replace(
                    b"\0", b" "
                ).strip() == command.encode()
            except OSError:
                continue
    return found


@needs_root
def test_protections_as_root_leave_nothing_missing_here() -> None:
    with Sandbox(limits=FAST) as box:
        protections = box.protections
    assert protections.missing == {} and protections.full
    assert set(protections.held) == {
        "file view",
        "signals",
        "network",
        "processes",
        "environment",
        "memory",
        "disk",
    }
    assert "fresh root" in protections.held["file view"]
    assert DEFAULT_SANDBOX_USER in protections.held["file view"]
    assert "PID namespace" in protections.held["signals"]


@needs_root
def test_the_sandbox_user_is_made_once_and_nobody_stands_in() -> None:
    user = ensure_sandbox_user()
    assert user.name == DEFAULT_SANDBOX_USER and user.uid != 0
    assert ensure_sandbox_user() == user
    assert ensure_sandbox_user("not a valid name!").name == "nobody"


UNPRIVILEGED_GRADER = textwrap.dedent(
    """
    import json, os
    import numpy as np
    from autograder.sandbox import Limits, Sandbox, StudentTimeout
    with Sandbox(limits=Limits(call_timeout=1.0)) as box:
        outcomes = box.run_cells([
            "import os\\nuid = os.getuid()\\ntry:\\n    os.listdir('/etc')\\n"
            "    sees_etc = True\\nexcept OSError:\\n    sees_etc = False",
            "def f(x):\\n    return 2 * x\\ndef hang():\\n    while True:\\n        pass",
        ])
        ns = box.lookup(["uid", "sees_etc", "f", "hang"])
        doubled = ns["f"](np.ones(2)).tolist()
        try:
            ns["hang"]()
            timed_out = False
        except StudentTimeout:
            timed_out = True
        box.restart()
        print(json.dumps({
            "statuses": [o.status for o in outcomes], "uid": ns["uid"], "me": os.getuid(),
            "sees_etc": ns["sees_etc"], "doubled": doubled, "timed_out": timed_out,
            "after_restart": ns["f"](3), "missing": box.protections.missing,
            "held": box.protections.held,
        }))
    """
)


@needs_root  # to become an unprivileged grader at all
def test_without_root_the_sandbox_works_with_the_same_view() -> None:
    report = run_unprivileged(UNPRIVILEGED_GRADER)
    assert report["statuses"] == ["ok", "ok"]
    assert report["uid"] == report["me"] != 0
    assert report["sees_etc"] is False
    assert report["doubled"] == [2.0, 2.0]
    assert report["timed_out"] is True
    assert report["after_restart"] == 6
    assert "file view" in report["held"] and "file view" not in report["missing"]


@needs_root
def test_a_course_repository_holding_the_venv_shows_only_the_venv(secrets_dir: Path) -> None:
    """Hiding a course repository that holds its own venv (as CI's clone does) still works."""
    holder = Path(sys.prefix).parent  # holds the venv, and here the repository too
    if holder == Path("/"):
        pytest.skip("the venv is at the top of the file system")
    with Sandbox(limits=FAST, hide_paths=[holder, secrets_dir]) as box:
        listing = run(box, f"import os\nresult = os.listdir({str(holder)!r})")
        assert listing == [Path(sys.prefix).name] or str(listing).startswith(
            "error: PermissionError"
        )
        assert run(box, "import numpy\nresult = 1") == 1


def test_the_python_installation_itself_cannot_be_hidden() -> None:
    site_packages = Path(numpy_init()).parent.parent
    with pytest.raises(SandboxError, match="needs it"), Sandbox(hide_paths=[site_packages]):
        pass


@needs_root
def test_another_installed_copy_of_the_grader_is_cut_out_of_the_allow_list() -> None:
    """Last term's autograder, installed system-wide beside Debian's Python packages."""
    from autograder.sandbox.isolation import package_dirs, readable_paths

    system = sorted(path for path in package_dirs(readable_paths()) if "/usr/" in str(path))
    if not system:
        pytest.skip("no system-wide package directory in the allow-list here")
    copy = system[0] / "autograder"
    if copy.exists():
        pytest.skip(f"{copy} exists already")
    (copy / "references").mkdir(parents=True)
    try:
        (copy / "__init__.py").write_text("")
        (copy / "references" / "__init__.py").write_text("")
        (copy / "references" / "disc06.py").write_text("ANSWER = 42\n")
        with Sandbox(limits=FAST) as box:
            source = run(box, f"result = open({str(copy / 'references' / 'disc06.py')!r}).read()")
            assert str(source).startswith("error"), source
            steal = f"import sys\nsys.path.insert(0, {str(system[0])!r})\n"
            steal += "from autograder.references.disc06 import ANSWER\nresult = ANSWER"
            assert str(run(box, steal)).startswith("error")
    finally:
        shutil.rmtree(copy)
