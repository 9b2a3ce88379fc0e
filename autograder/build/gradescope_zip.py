"""Step 11: ``dist/<name>/autograder.zip``, the autograder to upload to Gradescope.

At its root: ``setup.sh`` and ``run_autograder`` (executable), a wheel of this
package, ``requirements.txt`` (the package's runtime requirements),
``manifest.json``, ``tests/`` (the OK-format tests with hidden cases) and
``course/`` (this assignment's own modules: reference, helpers; no other
assignment's, and none inside the wheel).
Gradescope unpacks it into ``/autograder/source``, runs ``setup.sh`` once
when it builds the image and ``run_autograder`` for each submission.
"""

from __future__ import annotations

import email.parser
import zipfile
from pathlib import Path

from autograder.build.context import BuildContext
from autograder.build.files import EXECUTABLE, ZipEntry, tree_entries, write_zip
from autograder.build.wheel import package_wheel

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the grading image.
# It makes sure a Python >= 3.10 is there, installs the grader (offline when its
# requirements are already installed) and creates the unprivileged user that
# runs student code. AUTOGRADER_PYTHON picks the interpreter (default python3).
set -euo pipefail

SOURCE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PYTHON="${AUTOGRADER_PYTHON:-python3}"
STUDENT_USER=autograder-student
export PIP_BREAK_SYSTEM_PACKAGES=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore

python_ok() {
    command -v "$1" >/dev/null 2>&1 &&
        "$1" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null
}

if ! python_ok "$PYTHON"; then
    echo "setup.sh: $PYTHON is missing or older than 3.10; installing python3 with apt" >&2
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \\
        python3 python3-pip python3-venv
    for candidate in python3 python3.13 python3.12 python3.11 python3.10; do
        if python_ok "$candidate"; then PYTHON="$candidate"; break; fi
    done
    python_ok "$PYTHON" || { echo "setup.sh: no Python >= 3.10 could be installed" >&2; exit 1; }
fi
PYTHON="$(command -v "$PYTHON")"

if ! "$PYTHON" -m pip --version >/dev/null 2>&1; then
    "$PYTHON" -m ensurepip --upgrade ||
        { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y python3-pip; }
fi

# Offline first: this needs no network when every requirement is already installed.
if "$PYTHON" -m pip install --no-index -r "$SOURCE/requirements.txt"; then
    echo "setup.sh: requirements already installed (offline)"
else
    echo "setup.sh: installing the requirements from the package index"
    "$PYTHON" -m pip install -r "$SOURCE/requirements.txt"
fi
wheels=("$SOURCE"/autograder-*.whl)
"$PYTHON" -m pip install --no-index --no-deps --force-reinstall "${wheels[0]}"
(cd / && "$PYTHON" -c "import autograder")  # from /, so no checkout in the cwd shadows it
echo "$PYTHON" > "$SOURCE/python-interpreter"

if ! id -u "$STUDENT_USER" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$STUDENT_USER" ||
        adduser --system --no-create-home --disabled-login "$STUDENT_USER"
fi

# Student code runs as $STUDENT_USER: the grader, the references, the hidden tests and the
# results are root's alone, whether or not the kernel lets the sandbox use namespaces.
package="$(cd / && "$PYTHON" -c 'import autograder, os
print(os.path.dirname(autograder.__file__))')"
chmod -R go-rwx "$package"
for info in "$(dirname "$package")"/autograder-*.dist-info; do
    if [ -e "$info" ]; then chmod -R go-rwx "$info"; fi
done
chmod -R go-rwx "$SOURCE"
ROOT="$(dirname "$SOURCE")"
mkdir -p "$ROOT/results"
chmod 700 "$ROOT/results"
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for each submission: grade /autograder/submission and
# write /autograder/results/results.json. The interpreter is AUTOGRADER_PYTHON,
# else the one setup.sh installed the grader into, else python3.
set -uo pipefail

ROOT="${AUTOGRADER_ROOT:-/autograder}"
RECORDED="$(cat "$ROOT/source/python-interpreter" 2>/dev/null || echo python3)"
PYTHON="${AUTOGRADER_PYTHON:-$RECORDED}"
RESULTS="$ROOT/results/results.json"
rm -f "$RESULTS"  # a file left by anything but the grader must not be reported
# Where the kernel has Landlock, a sandbox without its allow-listed view is a failure, not
# a silent downgrade.
require=()
if "$PYTHON" -c 'import sys; from autograder.sandbox.untrusted.landlock import landlock_abi
sys.exit(landlock_abi() < 1)' 2>/dev/null; then
    require=(--require-isolation)
fi
"$PYTHON" -m autograder.gradescope --root "$ROOT" "${require[@]}"
status=$?
if [ ! -s "$RESULTS" ]; then
    # The grader could not even start (broken install): still tell the student something.
    mkdir -p "$ROOT/results"
    message="The autograder failed to start; your submission was not graded. Tell the staff."
    printf '{"score": 0, "output": "%s", "tests": []}\n' "$message" > "$RESULTS"
fi
exit "$status"
"""


def run(context: BuildContext) -> None:
    wheel = package_wheel(context.wheel_cache)
    write_zip(
        context.staged.gradescope_zip,
        [
            ZipEntry("setup.sh", SETUP_SH.encode(), EXECUTABLE),
            ZipEntry("run_autograder", RUN_AUTOGRADER.encode(), EXECUTABLE),
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
