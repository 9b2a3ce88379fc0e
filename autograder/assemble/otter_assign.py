"""Step 3: run the real ``otter assign`` on the master, into the work directory.

otter runs in a child process: it changes directory, configures logging and
emits warnings, none of which should leak into the caller. Its tests run in
the next step (``solution_tests``), where failures can be read per question.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from autograder.assemble.context import BuildContext
from autograder.errors import BuildError

_EXCEPTION_LINE = re.compile(r"^[\w.]*(Error|Exception|Warning)\b.*")


def run(context: BuildContext) -> None:
    context.otter_dir.mkdir(parents=True)
    command = [
        *otter_command(),
        "assign",
        "--no-pdfs",
        "--no-run-tests",
        str(context.otter_master or context.master.path),
        str(context.otter_dir),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BuildError(
            f"otter assign rejected {context.master.display_path}: "
            f"{last_exception(done.stderr or done.stdout)}\nfix the master notebook "
            f"(or run `{' '.join(command[1:])}` to see otter's full output)"
        )
    if not otter_zip(context).is_file():
        raise BuildError(f"otter assign wrote no autograder zip for {context.master.display_path}")


def otter_command() -> list[str]:
    return [sys.executable, "-m", "otter"]


def otter_zip(context: BuildContext) -> Path:
    """otter names its zip with a timestamp; there is exactly one per run."""
    found = sorted(context.otter_autograder_dir.glob(f"{context.name}-autograder_*.zip"))
    return found[0] if found else context.otter_autograder_dir / "missing.zip"


def last_exception(output: str) -> str:
    """The final ``SomeError: message`` line of a traceback, or the last line."""
    lines = [line.strip() for line in output.strip().splitlines() if line.strip()]
    for line in reversed(lines):
        if _EXCEPTION_LINE.match(line):
            return line
    return lines[-1] if lines else "no output"
