"""The pieces of otter's Python API we use in-process: the build reads block markers and
config schemas, grading reads OK-format test files exactly as ``otter run`` does.

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
    from otter.test_files.ok_test import OKTestFile

__all__ = [
    "BEGIN_TEST_CONFIG_REGEX",
    "END_TEST_CONFIG_REGEX",
    "Assignment",
    "BlockType",
    "OKTestFile",
    "QuestionConfig",
    "is_assignment_config_cell",
    "is_block_boundary_cell",
]
