"""A wheel of this package, built from its checkout and cached by content.

The Gradescope image installs the grader from this wheel. pip builds it from a
clean copy of the package sources (no ``build/`` or egg-info left in the
repository), with a fixed ``SOURCE_DATE_EPOCH``; the result is cached under
``dist/.cache/`` keyed by a hash of those sources, so a rebuild costs nothing
until the package changes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import autograder
from autograder.errors import BuildError

PROJECT_FILES = ("pyproject.toml", "setup.cfg", "setup.py", "MANIFEST.in", "README.md")
PACKAGE = "autograder"
SOURCE_DATE_EPOCH = "315532800"  # 1980-01-01, the earliest a zip (and so a wheel) can hold


def package_wheel(cache_dir: Path) -> Path:
    root = package_source_root()
    files = package_files(root)
    slot = cache_dir / f"wheel-{fingerprint(root, files)[:16]}"
    cached = sorted(slot.glob("*.whl"))
    if cached:
        return cached[0]
    for stale in cache_dir.glob("wheel-*"):
        shutil.rmtree(stale, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="autograder-wheel-") as tmp:
        built = _build(root, files, Path(tmp))
        slot.mkdir(parents=True, exist_ok=True)
        return Path(shutil.copy2(built, slot / built.name))


def package_source_root() -> Path:
    root = Path(autograder.__file__).resolve().parent.parent
    if not (root / "pyproject.toml").is_file():
        raise BuildError(
            f"autograder is installed from {root}, not from its repository, so no wheel can be "
            "built; install it with `pip install -e <repository>` and build again"
        )
    return root


def package_files(root: Path) -> list[str]:
    files = [name for name in PROJECT_FILES if (root / name).is_file()]
    for path in sorted((root / PACKAGE).rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and "__pycache__" not in relative.parts and path.suffix != ".pyc":
            files.append(relative.as_posix())
    return files


def fingerprint(root: Path, files: list[str]) -> str:
    digest = hashlib.sha256()
    for relative in files:
        digest.update(relative.encode() + b"\0" + (root / relative).read_bytes() + b"\0")
    return digest.hexdigest()


def _build(root: Path, files: list[str], tmp: Path) -> Path:
    source, out = tmp / "source", tmp / "out"
    for relative in files:
        (source / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / relative, source / relative)
    # pyproject names README.md as the long description; a checkout may not have it yet.
    (source / "README.md").touch()
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out)]
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    done = subprocess.run(
        [*command, str(source)], capture_output=True, text=True, env=env, check=False
    )
    wheels = sorted(out.glob("*.whl"))
    if done.returncode != 0 or not wheels:
        raise BuildError(
            f"pip could not build a wheel of autograder from {root}:\n{done.stderr.strip()}"
        )
    return wheels[0]
