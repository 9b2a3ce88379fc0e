"""Step 2: the assignment's own modules import, and otter gets them for its grader.

``solutions/<name>/*.py`` (reference, helpers, mistakes: any names) are the
course's code, not this package's: ruff and mypy do not judge them. What the
build checks is what grading needs: each module imports (a syntax error or a
failing import names the file and line), and no module shadows an installed
one (the hidden tests import course modules by their bare names, so a course
``numpy.py`` would hide numpy from them).

otter's own grader (``otter run``, which the build uses to prove the solution
passes) finds the modules through the master's ``autograder_files``; the master
is staged with that list completed, so an instructor does not have to keep it,
and without the ASSIGNMENT CONFIG keys that are ours (``feedback``), which
otter would refuse.
"""

from __future__ import annotations

import importlib.metadata
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

from autograder.assemble.context import BuildContext
from autograder.assemble.files import read_notebook, write_notebook
from autograder.assemble.master import OWN_ASSIGNMENT_KEYS
from autograder.course import CourseModuleError, course_modules, module_files
from autograder.errors import BuildError
from autograder.otter_api import is_assignment_config_cell

CONFIG_HEADER = "# ASSIGNMENT CONFIG"


def run(context: BuildContext) -> None:
    directory = context.project.course_dir(context.name)
    modules = module_files(directory)
    if directory is not None and modules:
        problems = [*_shadowing(modules), *_import_failures(directory)]
        if problems:
            raise BuildError(
                f"the course modules of {context.name} cannot be used:\n"
                + "\n".join(f"  - {problem}" for problem in problems)
            )
    if modules or OWN_ASSIGNMENT_KEYS & set(context.master.config):
        context.otter_master = _staged_master(context, directory, sorted(modules))


def _shadowing(modules: dict[str, Path]) -> list[str]:
    installed = set(sys.stdlib_module_names) | set(importlib.metadata.packages_distributions())
    return [
        f"{path}: its name hides the installed module {name!r} from the hidden tests; "
        "rename the file (and its imports)"
        for name, path in modules.items()
        if name in installed
    ]


def _import_failures(directory: Path) -> list[str]:
    # The loader of the files as they are now: the later steps reuse what it loads.
    loader = course_modules(directory)
    problems = []
    for name in loader.files:
        try:
            loader.load(name)
        except CourseModuleError as error:
            problems.append(str(error))
    return problems


def _staged_master(context: BuildContext, directory: Path | None, modules: list[str]) -> Path:
    """A copy of the assignment folder (or of the lone master) for otter: every module in
    ``autograder_files``, our own config keys left out."""
    staged = context.work / "master"
    if directory is not None:
        ignore = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints")
        shutil.copytree(directory, staged, ignore=ignore)
    else:
        staged.mkdir()
    notebook = staged / context.master.path.name
    nb = read_notebook(context.master.path)
    for cell in nb.cells:
        if is_assignment_config_cell(cell):
            cell.source = _for_otter(cell.source, [f"{m}.py" for m in modules])
            break
    write_notebook(nb, notebook)
    return notebook


def _for_otter(source: str, files: list[str]) -> str:
    text = source.split("\n", 1)[1] if "\n" in source else ""
    config: dict[str, Any] = yaml.safe_load(text) or {}
    for key in OWN_ASSIGNMENT_KEYS:
        config.pop(key, None)
    if files:
        listed = config.get("autograder_files") or []
        config["autograder_files"] = [*listed, *(f for f in files if f not in listed)]
    return f"{CONFIG_HEADER}\n{yaml.safe_dump(config, sort_keys=False)}"
