"""The ``autograder`` command's entry point: light, so grading can start its workers first.

Grading one submission in this process waits on the worker pool's fork server, which
spends about a quarter of a second importing numpy and sympy. Started here, before the command
line library and the grading side are imported, that time overlaps with theirs.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["grade"] and sum(arg.endswith(".ipynb") for arg in args) <= 1:
        from autograder.sandbox.zygote import warm_up

        warm_up()
    from autograder.cli import main as run_command

    return run_command(args)


def run() -> None:
    """The installed command: ``main``, then exit without tearing the interpreter down.

    Everything is written and closed by then (results files are renamed into place);
    freeing numpy's and sympy's objects one by one would only add 0.15 s to every run.
    """
    code = main()
    from autograder.sandbox.zygote import stop_shared_zygote

    stop_shared_zygote()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
