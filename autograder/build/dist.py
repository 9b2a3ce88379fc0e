"""Step 5: stage ``dist/<name>/``: otter's full autograder output.

That is the solution notebook otter grades with, the tests with their hidden
cases (``tests/<question>.py``), otter's config files, and otter's zip under
the stable name ``otter-autograder.zip`` (for ``otter run``), rewritten with
sorted entries and a fixed timestamp.
"""

from __future__ import annotations

from autograder.build.context import BuildContext
from autograder.build.files import copy_tree_stably, write_zip, zip_entries
from autograder.build.otter_assign import otter_zip


def run(context: BuildContext) -> None:
    produced_zip = otter_zip(context)
    copy_tree_stably(
        context.otter_autograder_dir,
        context.dist_dir,
        context.master.cell_ids,
        skip=[produced_zip],  # republished below under a stable name
    )
    write_zip(context.staged.otter_zip, zip_entries(produced_zip))
