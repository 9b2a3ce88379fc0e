"""The pieces of otter's Python API the build reads (block markers, config schemas).

otter is imported here only, with warnings silenced: its dependencies
(ipylab, traitlets) emit deprecation warnings on import that are not ours to
fix. otter itself *runs* in child processes (see ``otter_assign``).
"""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from otter.assign.assignment import Assignment
    from otter.assign.blocks import BlockType, is_assignment_config_cell, is_block_boundary_cell
    from otter.assign.question_config import QuestionConfig
    from otter.assign.tests_manager import BEGIN_TEST_CONFIG_REGEX, END_TEST_CONFIG_REGEX

__all__ = [
    "BEGIN_TEST_CONFIG_REGEX",
    "END_TEST_CONFIG_REGEX",
    "Assignment",
    "BlockType",
    "QuestionConfig",
    "is_assignment_config_cell",
    "is_block_boundary_cell",
]
