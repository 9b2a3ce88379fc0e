"""What the submission can see and do from inside the sandbox, as root and without root."""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sandbox_support import FAST, IS_ROOT, needs_root, run_unprivileged

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
def test_hidden_paths_are_empty_and_read_only(secrets_dir: Path) -> None:
    hidden_file = secrets_dir.parent / f"{secrets_dir.name}.key"
    hidden_file.write_text("key")
    hidden_file.chmod(0o644)
    try:
        with Sandbox(limits=FAST, hide_paths=[secrets_dir, hidden_file]) as box:
            assert run(box, f"import os\nresult = os.listdir({str(secrets_dir)!r})") == []
            assert run(box, f"result = open({str(secrets_dir / 'secret.txt')!r}).read()") == (
                f"error: FileNotFoundError: [Errno 2] No such file or directory: "
                f"'{secrets_dir / 'secret.txt'}' (line 1)"
            )
            read_key = run(box, f"result = open({str(hidden_file)!r}).read()")
            assert str(read_key).startswith("error: PermissionError")
            write = run(box, f"open({str(secrets_dir / 'planted.py')!r}, 'w')\nresult = 1")
            assert str(write).startswith("error: OSError: [Errno 30] Read-only file system")
            # the grading package (references, hidden tests' helpers) is always hidden
            assert run(box, f"import os\nresult = os.listdir({str(PACKAGE)!r})") == []
            assert run(box, "import autograder.references\nresult = 1").startswith("error")
        assert (secrets_dir / "secret.txt").read_text() == "the answers"
        assert not (secrets_dir / "planted.py").exists()
    finally:
        hidden_file.unlink()


@needs_root
@pytest.mark.skipif(
    IS_ROOT and bool(os.stat("/root").st_mode & stat.S_IXOTH), reason="/root is open here"
)
def test_a_closed_home_shows_only_the_way_to_python() -> None:
    planted = Path("/root/.autograder-test-secret")
    planted.write_text("private")
    planted.chmod(0o644)
    try:
        with Sandbox(limits=FAST) as box:
            listing = run(box, "import os\nresult = os.listdir('/root')")
            assert isinstance(listing, list) and planted.name not in listing
            assert run(box, "import numpy\nresult = 'numpy still imports'") == "numpy still imports"
    finally:
        planted.unlink()


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
            assert str(result).startswith("error: ConnectionRefusedError") or "unreachable" in str(
                result
            )


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
        text = "\n".join(box.protections)
    for expected in (
        "separate worker process",
        f"unprivileged user {DEFAULT_SANDBOX_USER}",
        "private mount namespace",
        "private PID namespace",
        "no network",
        "rlimits",
        "no new privileges",
    ):
        assert expected in text
    assert box.missing_protections == []


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
    with Sandbox(limits=Limits(call_timeout=1.0), hide_paths=["/etc"]) as box:
        outcomes = box.run_cells([
            "import os\\nuid = os.getuid()\\nsees_etc = len(os.listdir('/etc')) > 0",
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
            "after_restart": ns["f"](3), "missing": box.missing_protections,
        }))
    """
)


@needs_root  # to become an unprivileged grader at all
def test_without_root_the_sandbox_works_and_says_what_is_missing() -> None:
    report = run_unprivileged(UNPRIVILEGED_GRADER)
    assert report["statuses"] == ["ok", "ok"]
    assert report["uid"] == report["me"] == 65534
    assert report["sees_etc"] is True  # no mount namespace: hide_paths cannot be honoured
    assert report["doubled"] == [2.0, 2.0]
    assert report["timed_out"] is True
    assert report["after_restart"] == 6
    missing = "\n".join(report["missing"])
    assert "ran as the grading user" in missing and "network" in missing


@needs_root
def test_a_hidden_tree_keeps_only_the_way_to_python_inside_it(secrets_dir: Path) -> None:
    """Hiding a course repository that holds its own venv (as CI's clone does) still works."""
    holder = Path(sys.prefix).parent  # holds the venv, and here the repository too
    if holder == Path("/"):
        pytest.skip("the venv is at the top of the file system")
    with Sandbox(limits=FAST, hide_paths=[holder, secrets_dir]) as box:
        listing = run(box, f"import os\nresult = os.listdir({str(holder)!r})")
        assert listing == [Path(sys.prefix).name]
        assert run(box, "import numpy\nresult = 1") == 1


def test_the_python_installation_itself_cannot_be_hidden() -> None:
    with pytest.raises(SandboxError, match="needs it"), Sandbox(hide_paths=[sys.prefix]):
        pass


DEGRADED_GRADER = textwrap.dedent(
    """
    import json
    from autograder.sandbox import Sandbox, SandboxError
    try:
        with Sandbox() as box:
            box.run_cells(["import os\\nuid = os.getuid()"])
            print(json.dumps({"uid": box.lookup(["uid"])["uid"],
                              "missing": box.missing_protections}))
    except SandboxError as error:
        print(json.dumps({"error": str(error)}))
    """
)


@needs_root
@pytest.mark.skipif(shutil.which("setpriv") is None, reason="needs setpriv (util-linux)")
def test_root_without_namespaces_still_drops_privileges_or_says_why() -> None:
    """As in a default Docker container: root, but no CAP_SYS_ADMIN for namespaces."""
    done = subprocess.run(
        ["setpriv", "--bounding-set", "-sys_admin", sys.executable, "-c", DEGRADED_GRADER],
        capture_output=True,
        text=True,
        timeout=60,
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    if "error" in report:  # the interpreter sits behind a closed directory, as /root here
        assert "closed to other users" in report["error"]
        return
    assert report["uid"] != 0
    missing = "\n".join(report["missing"])
    assert "hide_paths were not hidden" in missing and "network access" in missing
