"""Step 5: stage ``assignments/<name>/``: otter's student notebook and public tests.

otter's output is already stripped; this step only makes it reproducible
(stable cell ids and JSON) so that building twice gives the same bytes.
"""

from __future__ import annotations

from autograder.assemble.context import BuildContext
from autograder.assemble.files import copy_tree_stably


def run(context: BuildContext) -> None:
    copy_tree_stably(context.otter_student_dir, context.student_dir, context.master.cell_ids)
