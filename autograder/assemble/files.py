"""Writing files so that the same input gives the same bytes.

Notebooks get stable JSON and cell ids; zips get sorted entries, a fixed
timestamp and explicit permissions.
"""

from __future__ import annotations

import ast
import hashlib
import shutil
import stat
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

# nbformat's functions carry no annotations; these names give them one.
_read: Callable[..., Any] = nbformat.read
_writes: Callable[..., str] = nbformat.writes

ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
"""The earliest time a zip can hold: entries never carry the build's clock."""

EXECUTABLE = 0o755
REGULAR = 0o644


@dataclass(frozen=True)
class ZipEntry:
    name: str
    data: bytes
    mode: int = REGULAR


def read_notebook(path: Path) -> Any:
    return _read(path, as_version=4)


def write_notebook(nb: Any, path: Path) -> None:
    """nbformat's own layout (sorted keys, indent 1), always ending in a newline."""
    text = _writes(nb)
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


def stable_cell_ids(nb: Any, keep: Iterable[str | None]) -> None:
    """Keep the master's ids (they are stable already); replace the random ids
    otter gives the cells it adds by a hash of their content."""
    kept = {cell_id for cell_id in keep if cell_id}
    used: set[str] = set()
    for cell in nb.cells:
        if "id" not in cell:
            continue  # nbformat < 4.5 has no ids
        cell_id = cell["id"] if cell["id"] in kept and cell["id"] not in used else None
        if cell_id is None:
            digest = hashlib.sha256(f"{cell.cell_type}\n{cell.source}".encode()).hexdigest()
            base = f"otter-{digest[:8]}"
            cell_id, counter = base, 1
            while cell_id in used:
                counter += 1
                cell_id = f"{base}-{counter}"
        cell["id"] = cell_id
        used.add(cell_id)


def write_zip(path: Path, entries: Iterable[ZipEntry]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry in sorted(entries, key=lambda entry: entry.name):
            info = zipfile.ZipInfo(entry.name, date_time=ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, so that the permission bits below are honoured
            info.external_attr = (stat.S_IFREG | entry.mode) << 16
            archive.writestr(info, entry.data)


def zip_entries(path: Path) -> list[ZipEntry]:
    """The files of a zip, each executable iff any of its execute bits is set."""
    with zipfile.ZipFile(path) as archive:
        return [
            ZipEntry(
                info.filename,
                archive.read(info),
                EXECUTABLE if (info.external_attr >> 16) & 0o111 else REGULAR,
            )
            for info in archive.infolist()
            if not info.is_dir()
        ]


def tree_entries(root: Path, prefix: str = "") -> list[ZipEntry]:
    return [
        ZipEntry(prefix + relative, (root / relative).read_bytes(), _mode(root / relative))
        for relative in tree_files(root)
    ]


def tree_files(root: Path) -> list[str]:
    """Every file under ``root``, as sorted relative POSIX paths."""
    if not root.is_dir():
        return []
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())


def _mode(path: Path) -> int:
    return EXECUTABLE if path.stat().st_mode & 0o111 else REGULAR


def copy_tree_stably(
    source: Path, target: Path, keep_ids: Iterable[str | None], skip: Iterable[Path] = ()
) -> None:
    """Copy otter's output tree, notebooks rewritten with stable cell ids and JSON."""
    skipped = set(skip)
    keep = list(keep_ids)
    for relative in tree_files(source):
        if source / relative in skipped:
            continue
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        if relative.endswith(".ipynb"):
            nb = read_notebook(source / relative)
            stable_cell_ids(nb, keep=keep)
            write_notebook(nb, destination)
        else:
            shutil.copyfile(source / relative, destination)


def ok_test_dict(source: str) -> dict[str, Any] | None:
    """The ``test = {...}`` literal of an OK-format file, read without running it."""
    try:
        module = ast.parse(source)
    except SyntaxError:
        return None
    for statement in module.body:
        if isinstance(statement, ast.Assign) and [
            target.id for target in statement.targets if isinstance(target, ast.Name)
        ] == ["test"]:
            try:
                value = ast.literal_eval(statement.value)
            except ValueError:
                return None
            return value if isinstance(value, dict) else None
    return None
