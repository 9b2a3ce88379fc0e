"""Step 11: ``dist/<name>/autograder.zip``, the autograder to upload to Gradescope.

At its root: ``setup.sh`` and ``run_autograder`` (executable), a wheel of this
package, ``requirements.txt`` (the package's runtime requirements),
``manifest.json``, ``tests/`` (the OK-format tests with hidden cases) and
``course/`` (this assignment's own modules: reference, helpers; no other
assignment's, and none inside the wheel).
Gradescope unpacks it into ``/autograder/source``, runs ``setup.sh`` once
when it builds the image and ``run_autograder`` for each submission. Both
scripts are files in ``templates/``.
"""

from __future__ import annotations

import email.parser
import zipfile
from importlib import resources
from pathlib import Path

from autograder.assemble.context import BuildContext
from autograder.assemble.files import EXECUTABLE, ZipEntry, tree_entries, write_zip
from autograder.assemble.wheel import package_wheel

TEMPLATES = resources.files("autograder.assemble") / "templates"


def template(name: str) -> bytes:
    """A shell script of the zip, kept as a file of its own (``shellcheck`` reads it in CI)."""
    return (TEMPLATES / name).read_bytes()


def run(context: BuildContext) -> None:
    wheel = package_wheel(context.wheel_cache)
    write_zip(
        context.staged.gradescope_zip,
        [
            ZipEntry("setup.sh", template("setup.sh"), EXECUTABLE),
            ZipEntry("run_autograder", template("run_autograder"), EXECUTABLE),
            ZipEntry(wheel.name, wheel.read_bytes()),
            ZipEntry("requirements.txt", requirements(wheel).encode()),
            ZipEntry("manifest.json", context.staged.manifest.read_bytes()),
            *tree_entries(context.staged.tests_dir, prefix="tests/"),
            *tree_entries(context.staged.course_dir, prefix="course/"),
        ],
    )


def requirements(wheel: Path) -> str:
    """The runtime requirements the wheel declares (its ``Requires-Dist`` without extras)."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(name for name in archive.namelist() if name.endswith(".dist-info/METADATA"))
        metadata = email.parser.Parser().parsestr(archive.read(name).decode())
    declared = metadata.get_all("Requires-Dist") or []
    runtime = [requirement for requirement in declared if "extra ==" not in requirement]
    return "# runtime requirements of the autograder package\n" + "\n".join(runtime) + "\n"
