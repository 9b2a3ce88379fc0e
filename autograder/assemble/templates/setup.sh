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
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
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
