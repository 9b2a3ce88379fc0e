"""Importing what the hidden cases import (numpy, sympy, the helpers) before they run.

The cases import the assignment's course modules (its reference and helpers)
and ``autograder.hidden``, which pull in numpy and sympy: about a quarter of a
second. Started in a thread while the sandbox starts the student's process and
runs the notebook, that time overlaps with theirs.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import sys
import threading

from autograder.course import CourseModules, course_modules
from autograder.grading.spec import AssignmentSpec, case_code


def case_modules(spec: AssignmentSpec) -> list[str]:
    """Modules the graded cases import (``from a import b`` names both ``a`` and ``a.b``)."""
    modules: dict[str, None] = {}
    for question in spec.questions:
        for case in question.graded_cases:
            try:
                tree = ast.parse(case_code(case.source))
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    modules.update(dict.fromkeys(alias.name for alias in node.names))
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    modules[node.module] = None
                    modules.update(dict.fromkeys(f"{node.module}.{a.name}" for a in node.names))
    return list(modules)


def import_case_modules(modules: list[str], course: CourseModules) -> None:
    for name in modules:
        # ``a.b`` may be a name in ``a`` rather than a module; a real failure shows in the case.
        with contextlib.suppress(Exception):
            if name in course.names:
                course.load(name)
            else:
                importlib.import_module(name)


def start_importing(spec: AssignmentSpec) -> threading.Thread | None:
    """Import the cases' modules in a thread; None when they are all imported already.

    Join the thread before running a case: the checks fork, and a process
    should not fork while another of its threads may hold a lock.
    """
    course = course_modules(spec.course_dir)
    missing = [
        name
        for name in case_modules(spec)
        if name not in sys.modules and not (name in course.names and course.is_loaded(name))
    ]
    if not missing:
        return None
    thread = threading.Thread(
        target=import_case_modules,
        args=(missing, course),
        name="import-case-modules",
        daemon=True,
    )
    thread.start()
    return thread
