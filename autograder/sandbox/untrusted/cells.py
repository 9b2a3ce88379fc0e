"""Running cells as a Jupyter kernel without a front end runs them: IPython's own shell.

Output goes into a bounded buffer per cell; an error is the cell's result (its
description), not output. ``otter`` is a stand-in that does nothing: the hidden tests run
in the grading process.
"""

from __future__ import annotations

import builtins
import contextlib
import io
import sys
import types
from collections.abc import Callable, Iterator
from typing import Any

from autograder.sandbox.untrusted.wire import describe


class BoundedText(io.TextIOBase):
    """A text stream that keeps the first ``limit`` characters written to it."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.parts: list[str] = []
        self.kept = 0
        self.dropped = 0

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        room = max(self.limit - self.kept, 0)
        if room:
            self.parts.append(text[:room])
            self.kept += min(room, len(text))
        self.dropped += max(len(text) - room, 0)
        return len(text)

    def writable(self) -> bool:
        return True

    def getvalue(self) -> str:
        text = "".join(self.parts)
        if self.dropped:
            text += f"\n[... {self.dropped} more characters of output dropped]\n"
        return text


@contextlib.contextmanager
def captured_output(limit: int) -> Iterator[BoundedText]:
    buffer = BoundedText(limit)
    saved = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = buffer
    try:
        yield buffer
    finally:
        sys.stdout, sys.stderr = saved


class CellRunner:
    """Executes cells in one module as an IPython kernel without a front end does."""

    def __init__(self, module: types.ModuleType) -> None:
        from IPython.core.inputtransformer2 import leading_empty_lines

        self.shell = _kernel_like_shell(module)
        # Line numbers in messages count from the cell's first line, blank or not.
        self.shell.input_transformer_manager.cleanup_transforms.remove(leading_empty_lines)
        self._skip_blank_lines: Callable[[list[str]], list[str]] = leading_empty_lines

    def run(self, index: int, source: str) -> str:
        """Run one cell; return ``""`` or the description of the exception it raised."""
        if source.lstrip().startswith("%%"):  # a cell magic must come first
            source = "".join(self._skip_blank_lines(source.splitlines(keepends=True)))
        self.shell.compile.cell_index = index
        result = self.shell.run_cell(source, store_history=True)
        error = result.error_before_exec or result.error_in_exec
        return describe(error) if error is not None else ""


NO_INPUT = "raw_input was called, but this frontend does not support input requests."
NO_GETPASS = "getpass was called, but this frontend does not support input requests."


def _kernel_like_shell(module: types.ModuleType) -> Any:
    """IPython's own shell, changed only where a kernel differs from a terminal.

    No front end: plots go through matplotlib_inline, off-screen, and appear as their
    text (``<Figure size 640x480 with 1 Axes>``), whatever backend ``%matplotlib`` names;
    ``input()`` raises as ipykernel's does. No terminal: shell escapes (``!cmd``, ``%sx``,
    ``%pip``, aliases such as ``%ls``) run through pipes (IPython's own non-pty path)
    instead of pexpect, which needs a pty the sandbox does not have.
    """
    from traitlets.config import Config

    _refuse_input()
    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "nocolor"
    shell: Any = _kernel_shell_class().instance(config=config, user_module=module)
    # Only the text of rich output is shown: no PNG of every figure is drawn for nobody.
    shell.display_formatter.active_types = ["text/plain"]
    return shell


def _refuse_input() -> None:
    """``input()`` and ``getpass()`` raise as in a kernel whose front end cannot answer."""
    import getpass

    from IPython.core.error import StdinNotImplementedError

    def no_input(prompt: object = "") -> str:
        raise StdinNotImplementedError(NO_INPUT)

    def no_getpass(prompt: str = "Password: ", stream: object = None) -> str:
        raise StdinNotImplementedError(NO_GETPASS)

    builtins.input = no_input
    getpass.getpass = no_getpass


def _kernel_shell_class() -> Any:
    import subprocess

    from IPython.core.compilerop import CachingCompiler
    from IPython.core.displayhook import DisplayHook
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils._process_common import getoutput, process_handler
    from IPython.utils.text import LSString, SList

    class CellNames(CachingCompiler):
        """Names cells ``<cell N>``, as the rest of grading does (tracebacks, messages)."""

        cell_index = 0

        def get_code_name(self, raw_code: str, transformed_code: str, number: int) -> str:
            return f"<cell {self.cell_index}>"

    class NoPrompt(DisplayHook):
        """A cell's value is shown without ``Out[N]:``, as a kernel's execute_result."""

        def write_output_prompt(self) -> None:
            pass

    class KernelShell(InteractiveShell):
        compiler_class = CellNames
        displayhook_class = NoPrompt

        def enable_gui(self, gui: str | None = None) -> None:
            """No event loop to run: there is no screen."""

        def _showtraceback(self, etype: type, evalue: BaseException, stb: list[str]) -> None:
            """As a kernel's: the error is the cell's result (its message), not its output."""

        def enable_matplotlib(self, gui: str | None = None) -> Any:
            """Whatever backend is asked for, the inline one: figures stay off-screen."""
            return super().enable_matplotlib("inline")  # type: ignore[no-untyped-call]

        def system_piped(self, cmd: str) -> None:
            if cmd.rstrip().endswith("&"):
                raise OSError("Background processes not supported.")
            command = self.var_expand(cmd, depth=1)  # type: ignore[no-untyped-call]
            code = process_handler(command, _print_output, subprocess.STDOUT)
            self.user_ns["_exit_code"] = code
            if self.system_raise_on_error and code != 0:
                raise subprocess.CalledProcessError(code or 0, cmd)

        system = system_piped

        def getoutput(self, cmd: str, split: bool = True, depth: int = 0) -> Any:
            if cmd.rstrip().endswith("&"):
                raise OSError("Background processes not supported.")
            command = self.var_expand(cmd, depth=depth + 1)  # type: ignore[no-untyped-call]
            out = getoutput(command)
            return SList(out.splitlines()) if split else LSString(out)

    return KernelShell


def _print_output(process: Any) -> int:
    """A shell escape's output into the cell's, as it comes; its exit status."""
    import codecs

    process.stdin.close()  # a command reading its input gets end of file, not a hang
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    for chunk in iter(lambda: process.stdout.read1(1 << 16), b""):
        sys.stdout.write(decoder.decode(chunk))
    sys.stdout.write(decoder.decode(b"", final=True))
    code: int = process.wait()
    return code


def install_otter_stand_in() -> None:
    """A do-nothing ``otter`` module: the hidden tests run in the grading process, not here."""

    class Notebook:
        def __init__(self, *args: object, **kwargs: object) -> None:
            pass

        def __getattr__(self, name: str) -> Callable[..., None]:
            return _do_nothing

    module = types.ModuleType("otter", "Stand-in for otter-grader inside the grading sandbox.")
    setattr(module, "Notebook", Notebook)  # noqa: B010 -- a module built at run time
    setattr(module, "__getattr__", _stand_in_attribute)  # noqa: B010
    sys.modules["otter"] = module


def _stand_in_attribute(name: str) -> Callable[..., None]:
    """Any function name does nothing; a module attribute (``__file__``) is missing, as
    tools that walk ``sys.modules``, such as autoreload, expect of a module without it."""
    if name.startswith("__"):
        raise AttributeError(name)
    return _do_nothing


def _do_nothing(*args: object, **kwargs: object) -> None:
    return None
