"""Lines the CLI prints for the staff: kept whole where the terminal is narrow."""

from __future__ import annotations

import pytest

from autograder.report import wrap_items
from autograder.sandbox import Protections

HELD = {
    "file view": "a fresh root (pivot_root), Landlock ABI 7",
    "signals": "PID namespace, another uid",
    "network": "network namespace",
    "processes": "PID namespace",
    "environment": "minimal env",
}
MISSING = {"memory": "no rlimits here, for a test: enable them"}


@pytest.mark.parametrize("width", [40, 60, 80, 120])
def test_the_isolation_line_breaks_only_between_items(width: int) -> None:
    summary = Protections(held=HELD, missing=MISSING).summary()
    lines = wrap_items(summary, width)
    assert " ".join(line.strip() for line in lines) == summary
    items = summary.removeprefix("isolation: protected ").replace("; not protected: ", ", ")
    for item in items.split(", "):
        if "(" not in item:  # a list item: never cut
            assert any(item in line for line in lines), (item, lines)
    for line in lines[:-1]:
        assert line.endswith((",", ";")), lines
    assert len(lines) > 1 or len(summary) <= width
