"""Step 7: stage ``dist/<name>/``: otter's full autograder output.

That is the solution notebook otter grades with, the tests with their hidden
cases (``tests/<question>.py``), otter's config files, and otter's zip under
the stable name ``otter-autograder.zip`` (for ``otter run``), rewritten with
sorted entries and a fixed timestamp. The course modules (reference, helpers)
go to ``course/``, where our graders look for them (otter's copy of them at the
top of its output is left out).
"""

from __future__ import annotations

import shutil

from autograder.assemble.context import BuildContext
from autograder.assemble.files import copy_tree_stably, write_zip, zip_entries
from autograder.assemble.otter_assign import otter_zip
from autograder.course import module_files


def run(context: BuildContext) -> None:
    produced_zip = otter_zip(context)
    modules = module_files(context.project.course_dir(context.name))
    copy_tree_stably(
        context.otter_autograder_dir,
        context.dist_dir,
        context.master.cell_ids,
        # the zip is republished below under a stable name; the modules go to course/
        skip=[produced_zip, *(context.otter_autograder_dir / p.name for p in modules.values())],
    )
    write_zip(context.staged.otter_zip, zip_entries(produced_zip))
    for path in modules.values():
        context.staged.course_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, context.staged.course_dir / path.name)
