"""An assignment's own Python modules: its reference, check helpers and mistake catalog.

They live beside the master (``solutions/<name>/*.py``), never in this package.
A hidden test imports them as otter teaches, by their bare names::

    from reference import softmax
    import helpers

Under ``otter run`` that works because otter copies them next to the
submission. Here the tests run in the trusted grading process, which grades
several assignments (each with its own ``reference``) in one interpreter, so
the bare names cannot go on ``sys.path``. Instead a test, and every course
module, runs with builtins whose ``__import__`` looks in the assignment's own
folder first: the assignment's ``reference`` is loaded once, under a private
name in ``sys.modules``, and never mixed with another assignment's.
"""

from __future__ import annotations

import builtins
import hashlib
import importlib.util
import sys
import threading
import traceback
import types
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from autograder.errors import AutograderError


class CourseModuleError(AutograderError):
    """A course module that cannot be imported; the message names its file and line."""


def module_files(directory: Path | None) -> dict[str, Path]:
    """The importable modules of a course folder: ``name -> name.py`` (top level only)."""
    if directory is None or not directory.is_dir():
        return {}
    return {
        path.stem: path
        for path in sorted(directory.glob("*.py"))
        if path.stem.isidentifier() and not path.stem.startswith("_")
    }


class CourseModules:
    """The course modules of one folder, importable by their bare names."""

    def __init__(self, directory: Path | None, tag: str | None = None) -> None:
        self.directory = directory.resolve() if directory is not None else None
        self.files = module_files(self.directory)
        tag = tag or hashlib.sha256(str(self.directory).encode()).hexdigest()[:12]
        self._prefix = f"_autograder_course_{tag}_"
        self._lock = threading.RLock()
        namespace = dict(vars(builtins))
        namespace["__import__"] = self._import
        self.builtins: Mapping[str, Any] = namespace

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self.files)

    def load(self, name: str) -> types.ModuleType:
        """The course module ``name``, imported once; ``CourseModuleError`` names file and line."""
        key = self._prefix + name
        with self._lock:  # the grading side preloads in a thread while the notebook runs
            module = sys.modules.get(key)
            if module is not None:
                return module
            path = self.files[name]
            spec = importlib.util.spec_from_file_location(key, path)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            module.__dict__["__builtins__"] = self.builtins
            sys.modules[key] = module
            try:
                spec.loader.exec_module(module)
            except CourseModuleError:
                del sys.modules[key]
                raise
            except BaseException as error:
                del sys.modules[key]
                raise CourseModuleError(describe_failure(path, error)) from error
            return module

    def is_loaded(self, name: str) -> bool:
        return self._prefix + name in sys.modules

    def _import(
        self,
        name: str,
        globals: Mapping[str, object] | None = None,
        locals: Mapping[str, object] | None = None,
        fromlist: Sequence[str] = (),
        level: int = 0,
    ) -> types.ModuleType:
        if level == 0 and name in self.files:
            return self.load(name)
        return builtins.__import__(name, globals, locals, fromlist, level)


def describe_failure(path: Path, error: BaseException) -> str:
    """``<file>, line N: Type: message`` for an exception raised while importing ``path``."""
    if isinstance(error, SyntaxError) and error.lineno is not None:
        return (
            f"{error.filename or path}, line {error.lineno}: SyntaxError: {error.msg}; "
            "fix the course module"
        )
    frames = traceback.extract_tb(error.__traceback__)
    line = next((f.lineno for f in reversed(frames) if Path(f.filename) == path), None)
    where = f"{path}, line {line}" if line is not None else str(path)
    return f"{where}: {type(error).__name__}: {error}; fix the course module"


_loaded: dict[tuple[Path | None, str], CourseModules] = {}
_loaded_lock = threading.Lock()


def course_modules(directory: Path | None) -> CourseModules:
    """The one ``CourseModules`` of ``directory`` as its files are now (modules load once per
    version of the files: a rebuild in the same process sees the new ones)."""
    key = directory.resolve() if directory is not None else None
    files = module_files(key)
    version = hashlib.sha256(
        repr(
            [(name, path.stat().st_mtime_ns, path.stat().st_size) for name, path in files.items()]
        ).encode()
    ).hexdigest()[:12]
    with _loaded_lock:
        found = _loaded.get((key, version))
        if found is None:
            tag = hashlib.sha256(f"{key}:{version}".encode()).hexdigest()[:12]
            found = _loaded[(key, version)] = CourseModules(key, tag=tag)
        return found
