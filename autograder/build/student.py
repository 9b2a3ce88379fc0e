"""Step 4: stage ``assignments/<name>/``: otter's student notebook and public tests.

otter's output is already stripped; this step only makes it reproducible
(stable cell ids and JSON) so that building twice gives the same bytes.
"""

from __future__ import annotations

import shutil

from autograder.build.context import BuildContext
from autograder.build.files import read_notebook, stable_cell_ids, tree_files, write_notebook


def run(context: BuildContext) -> None:
    source = context.otter_student_dir
    for relative in tree_files(source):
        target = context.student_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if relative.endswith(".ipynb"):
            nb = read_notebook(source / relative)
            stable_cell_ids(nb, keep=context.master.cell_ids)
            write_notebook(nb, target)
        else:
            shutil.copyfile(source / relative, target)
