"""What we are given to grade: a notebook, a zip holding one, or a folder of them.

Students upload their ``.ipynb`` or the zip that the notebook's own export cell
(otter's ``grader.export``) writes; Gradescope puts the upload in a folder; a Gradescope
export ("Download Submissions") is a folder per submission (``submission_<id>/``) beside a
``submission_metadata.yml`` naming who submitted each. :func:`find_uploads` turns the paths
on the command line into one :class:`Upload` per submission, with unique stems;
:func:`read_upload` gives the notebook a submission holds, reading zip members in memory
(never extracting them: no member name reaches the file system) with a size cap.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from autograder.errors import GradingSetupError

#: A notebook this large is not homework; refuse it before parsing.
MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024
#: More entries than any homework zip has: past this the zip is not read at all.
MAX_ZIP_ENTRIES = 10_000
#: Gradescope's export names each submission's folder so; the metadata file sits beside them.
SUBMISSION_FOLDER_PREFIX = "submission_"
METADATA_FILE = "submission_metadata.yml"


class SubmissionProblem(Exception):
    """The submission cannot be executed at all; the text tells the student why."""


@dataclass(frozen=True)
class Submitter:
    """A student named in a Gradescope export's ``submission_metadata.yml``."""

    name: str
    email: str
    sid: str


@dataclass(frozen=True)
class Upload:
    """One submission: a notebook, a zip holding one, or a folder holding either."""

    path: Path
    stem: str  # names its results: <stem>.json, written/<stem>.html
    submitters: tuple[Submitter, ...] = ()


@dataclass(frozen=True)
class Notebook:
    """The notebook a submission holds."""

    name: str  # as the student knows it: "hw1.ipynb", or "hw1.ipynb in export.zip"
    data: bytes
    note: str = ""  # which file was graded, when the choice was not obvious


def read_upload(path: Path, assignment: str) -> Notebook:
    """The notebook in ``path`` (a notebook, a zip, or a folder); SubmissionProblem if none."""
    if path.is_dir():
        chosen, note = pick_submission(path, assignment)
        if chosen is None:
            raise SubmissionProblem(note)
        notebook = read_upload(chosen, assignment)
        return Notebook(notebook.name, notebook.data, note or notebook.note)
    try:
        if zipfile.is_zipfile(path):
            return _from_zip(path, assignment)
        size = path.stat().st_size
        _check_size(path.name, size)
        return Notebook(path.name, path.read_bytes())
    except OSError as exc:
        raise SubmissionProblem(f"{path.name} could not be read: {exc.strerror}") from exc


def _check_size(name: str, size: int) -> None:
    if size > MAX_NOTEBOOK_BYTES:
        raise SubmissionProblem(
            f"{name} is {size / 2**20:.0f} MiB, over the {MAX_NOTEBOOK_BYTES // 2**20} MiB limit: "
            "clear the outputs (Kernel > Restart & Clear Output) and submit again"
        )


def _from_zip(path: Path, assignment: str) -> Notebook:
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise SubmissionProblem(
                    f"{path.name} holds {len(entries):,} files: submit your {assignment}.ipynb"
                )
            member, note = _pick_member(path.name, entries, assignment)
            name = f"{PurePosixPath(member.filename).name} in {path.name}"
            _check_size(name, member.file_size)
            with archive.open(member) as stream:  # the header's size may lie: read one more
                data = stream.read(MAX_NOTEBOOK_BYTES + 1)
            _check_size(name, len(data))
            return Notebook(name, data, note)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError, ValueError) as exc:
        # RuntimeError: encrypted; NotImplementedError: an unknown compression method
        raise SubmissionProblem(
            f"{path.name} is a damaged or encrypted zip ({exc}): "
            f"submit your {assignment}.ipynb, or the zip its last cell makes"
        ) from exc


def _pick_member(
    zip_name: str, entries: Sequence[zipfile.ZipInfo], assignment: str
) -> tuple[zipfile.ZipInfo, str]:
    notebooks = [
        entry
        for entry in entries
        if not entry.is_dir()
        and entry.filename.endswith(".ipynb")
        and not _is_clutter(PurePosixPath(entry.filename).parts)
    ]
    if len(notebooks) == 1:
        return notebooks[0], ""
    if not notebooks:
        listed = ", ".join(entry.filename for entry in entries[:10]) or "nothing"
        raise SubmissionProblem(
            f"{zip_name} holds no Jupyter notebook (.ipynb) (it holds: {listed}): "
            f"submit your {assignment}.ipynb, or the zip its last cell makes"
        )
    named = [e for e in notebooks if PurePosixPath(e.filename).name == f"{assignment}.ipynb"]
    names = ", ".join(entry.filename for entry in notebooks)
    if len(named) != 1:
        raise SubmissionProblem(
            f"{zip_name} holds several notebooks ({names}) and not exactly one named "
            f"{assignment}.ipynb, so it is not clear which to grade: submit only your "
            f"{assignment}.ipynb"
        )
    return named[0], (
        f"{zip_name} holds several notebooks; graded {named[0].filename} "
        f"(it has the assignment's name), not the others ({names})."
    )


def _is_clutter(parts: tuple[str, ...]) -> bool:
    """Copies editors and archivers leave beside the real file."""
    return any(
        part in (".ipynb_checkpoints", "__MACOSX") or part.startswith("._") for part in parts
    )


def pick_submission(folder: Path, assignment: str) -> tuple[Path | None, str]:
    """The file to grade among the uploads in ``folder`` (a notebook, else a zip), and a note
    when the choice was not obvious (or, with no file, what to upload)."""
    files = sorted(
        path
        for path in folder.rglob("*")
        if path.is_file() and not _is_clutter(path.relative_to(folder).parts)
    )
    for suffix in (".ipynb", ".zip"):
        candidates = [p for p in files if p.suffix == suffix]
        if candidates:
            break
    else:
        uploaded = ", ".join(p.name for p in files) or "nothing"
        return None, (
            f"No Jupyter notebook (.ipynb) was found in your submission (uploaded: {uploaded}). "
            f"Upload your {assignment}.ipynb."
        )
    if len(candidates) == 1:
        return candidates[0], ""
    named = [p for p in candidates if p.stem == assignment]
    chosen = named[0] if named else max(candidates, key=lambda p: p.stat().st_mtime)
    why = "it has the assignment's name" if named else "it is the most recently modified"
    others = ", ".join(p.name for p in candidates if p != chosen)
    return chosen, f"Several files were submitted; graded {chosen.name} ({why}), not {others}."


def as_uploads(submissions: Sequence[Path | Upload]) -> list[Upload]:
    """Paths given as they are graded: each one submission, named by its file's stem."""
    missing = [str(s) for s in submissions if isinstance(s, Path) and not s.exists()]
    if missing:
        raise GradingSetupError(f"submission not found: {', '.join(missing)}")
    return [s if isinstance(s, Upload) else Upload(s, s.stem) for s in submissions]


def find_uploads(paths: Sequence[Path]) -> list[Upload]:
    """One upload per submission in ``paths``: each notebook or zip file; in a folder, every
    notebook and zip under it, except that a ``submission_<id>/`` folder (Gradescope's export)
    is one submission. Stems are the files' (or submission folders') names, made unique with
    their folders' names. GradingSetupError for a path that does not exist."""
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise GradingSetupError(f"submission not found: {', '.join(missing)}")
    found: list[tuple[Path, tuple[Submitter, ...]]] = []
    for path in paths:
        if path.is_dir() and not path.name.startswith(SUBMISSION_FOLDER_PREFIX):
            found.extend(_walk(path))
        else:  # a file, or one submission's folder
            metadata = read_metadata(path.resolve().parent / METADATA_FILE)
            found.append((path, metadata.get(path.name, metadata.get(path.stem, ()))))
    if not found:
        shown = ", ".join(str(path) for path in paths)
        raise GradingSetupError(
            f"no notebook (.ipynb) or zip found in {shown}: give the submitted notebooks, "
            "zips, or the folder of a Gradescope export"
        )
    stems = unique_stems([path for path, _ in found])
    return [Upload(path, stem, people) for (path, people), stem in zip(found, stems, strict=True)]


def _walk(folder: Path) -> Iterable[tuple[Path, tuple[Submitter, ...]]]:
    metadata = read_metadata(folder / METADATA_FILE)
    for entry in sorted(folder.iterdir()):
        if _is_clutter((entry.name,)):
            continue
        if entry.is_dir() and entry.name.startswith(SUBMISSION_FOLDER_PREFIX):
            yield entry, metadata.get(entry.name, ())
        elif entry.is_dir():
            yield from _walk(entry)
        elif entry.suffix in (".ipynb", ".zip"):
            yield entry, metadata.get(entry.stem, ())


def unique_stems(paths: Sequence[Path]) -> list[str]:
    """Each path's stem, prefixed with as many of its folders' names as it takes to tell it
    from the others (``a/hw.ipynb``, ``b/hw.ipynb`` -> ``a_hw``, ``b_hw``).
    GradingSetupError when two paths cannot be told apart (the same file given twice)."""
    depth = [0] * len(paths)

    def stem(index: int) -> str:
        path = paths[index].resolve()
        own = path.stem if path.is_file() else path.name
        folders = [part for part in path.parent.parts if part != path.anchor]
        return "_".join([*folders[len(folders) - depth[index] :], own] if depth[index] else [own])

    while True:
        by_stem: dict[str, list[int]] = {}
        for index in range(len(paths)):
            by_stem.setdefault(stem(index), []).append(index)
        clashes = [indices for indices in by_stem.values() if len(indices) > 1]
        if not clashes:
            return [stem(index) for index in range(len(paths))]
        for indices in clashes:
            if len({paths[i].resolve() for i in indices}) < len(indices):
                shown = " and ".join(str(paths[i]) for i in indices)
                raise GradingSetupError(f"{shown} are the same submission, given twice")
            for index in indices:
                depth[index] += 1


def read_metadata(path: Path) -> dict[str, tuple[Submitter, ...]]:
    """Who submitted each folder of a Gradescope export, from its ``submission_metadata.yml``.

    Assumed layout (Gradescope writes Ruby symbols as keys, so they start with a colon):
    ``submission_<id>: {":submitters": [{":name": ..., ":email": ..., ":sid": ...}], ...}``
    plus fields we do not use (``:created_at``, ``:score``, ``:history``...). Nothing when
    the file is absent; GradingSetupError, naming it, when it is not that.
    """
    if not path.is_file():
        return {}
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_MetadataLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise GradingSetupError(f"cannot read {path}: {exc}") from exc
    if not isinstance(raw, dict):
        raise GradingSetupError(f"{path} is not a Gradescope export's metadata (not a mapping)")
    return {str(folder): _submitters(entry) for folder, entry in raw.items()}


def _submitters(entry: Any) -> tuple[Submitter, ...]:
    people = _field(entry, "submitters") if isinstance(entry, dict) else None
    if not isinstance(people, list):
        return ()
    return tuple(
        Submitter(*(_text(_field(person, key)) for key in ("name", "email", "sid")))
        for person in people
        if isinstance(person, dict)
    )


def _field(mapping: dict[Any, Any], key: str) -> Any:
    return mapping.get(f":{key}", mapping.get(key))


def _text(value: Any) -> str:
    return "" if value is None else str(value)


class _MetadataLoader(yaml.SafeLoader):
    """A safe loader that reads Ruby-tagged values (``!ruby/object:...``) as plain data."""


def _plain(loader: yaml.SafeLoader, _suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_MetadataLoader.add_multi_constructor("!", _plain)
