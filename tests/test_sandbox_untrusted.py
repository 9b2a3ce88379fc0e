"""The untrusted package's contract: what it imports, what the grading side imports of it,
and that a worker holds all of it in memory (and nothing else of ours) before it serves."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

from autograder.sandbox.isolation import worker_environment
from autograder.sandbox.limits import Limits
from autograder.sandbox.untrusted.protocol import SERVE, ServeConfig
from autograder.sandbox.zygote import WORKER_MAIN

SANDBOX = Path(__file__).resolve().parents[1] / "autograder" / "sandbox"
UNTRUSTED = SANDBOX / "untrusted"
PACKAGE = "autograder.sandbox.untrusted"
# The standard library, numpy, IPython and what its shell needs; sympy to rebuild the
# expressions the grading side sends.
THIRD_PARTY = {"numpy", "IPython", "traitlets", "matplotlib_inline", "sympy"}


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_untrusted_side_imports_only_itself_the_standard_library_and_its_few_packages() -> None:
    for path in UNTRUSTED.glob("*.py"):
        for name in imported(path):
            top = name.split(".")[0]
            ours = name.startswith(f"{PACKAGE}.") or name == PACKAGE
            allowed = top in sys.stdlib_module_names or top in THIRD_PARTY or top == "__future__"
            assert ours or allowed, f"{path.name} imports {name}"


def test_the_grading_side_imports_only_protocol_and_wire_of_it() -> None:
    for path in SANDBOX.glob("*.py"):
        if path.name == "worker.py":  # run_autograder's landlock_abi, until build/ moves
            continue
        modules = {name for name in imported(path) if name.startswith(f"{PACKAGE}.")}
        modules = {".".join(name.split(".")[:4]) for name in modules}
        assert modules <= {f"{PACKAGE}.protocol", f"{PACKAGE}.wire"}, path.name


def test_a_worker_holds_all_of_the_package_and_no_other_module_of_ours(tmp_path: Path) -> None:
    request_read, request_write = os.pipe()
    response_read, response_write = os.pipe()
    config: ServeConfig = {
        "limits": Limits().for_worker(),
        "request_fd": request_read,
        "response_fd": response_write,
    }
    process = subprocess.Popen(
        [sys.executable, "-I", "-B", str(WORKER_MAIN), SERVE, json.dumps(config)],
        cwd=tmp_path,
        env=worker_environment(home=str(tmp_path), tmp=str(tmp_path)),
        pass_fds=(request_read, response_write),
    )
    os.close(request_read)
    os.close(response_write)
    cell = "import sys\nours = sorted(m for m in sys.modules if m.startswith('autograder'))"
    requests = [
        {"id": "1", "op": "exec", "index": 0, "source": cell},
        {"id": "2", "op": "lookup", "names": ["ours"]},
    ]
    with os.fdopen(request_write, "w") as out, os.fdopen(response_read) as replies:
        out.write("".join(json.dumps(request) + "\n" for request in requests))
        out.flush()
        assert "ready" in json.loads(replies.readline())
        assert json.loads(replies.readline())["result"]["status"] == "ok"
        found = json.loads(replies.readline())["result"]["values"]["ours"]
    process.wait()
    modules = {f"{PACKAGE}.{path.stem}" for path in UNTRUSTED.glob("*.py")}
    modules = (modules - {f"{PACKAGE}.__init__", f"{PACKAGE}.__main__"}) | {PACKAGE}
    assert set(found) == modules
