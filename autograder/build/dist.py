"""Step 5: stage ``dist/<name>/``: otter's full autograder output.

That is the solution notebook otter grades with, the tests with their hidden
cases (``tests/<question>.py``), otter's config files, and otter's zip under
the stable name ``otter-autograder.zip`` (for ``otter run``), rewritten with
sorted entries and a fixed timestamp.
"""

from __future__ import annotations

import shutil

from autograder.build.context import BuildContext
from autograder.build.files import (
    read_notebook,
    stable_cell_ids,
    tree_files,
    write_notebook,
    write_zip,
    zip_entries,
)
from autograder.build.otter_assign import otter_zip


def run(context: BuildContext) -> None:
    source, produced_zip = context.otter_autograder_dir, otter_zip(context)
    for relative in tree_files(source):
        if source / relative == produced_zip:
            continue
        target = context.dist_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if relative.endswith(".ipynb"):
            nb = read_notebook(source / relative)
            stable_cell_ids(nb, keep=context.master.cell_ids)
            write_notebook(nb, target)
        else:
            shutil.copyfile(source / relative, target)
    write_zip(context.staged.otter_zip, zip_entries(produced_zip))
