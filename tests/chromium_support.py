"""Rendering a page in headless Chromium (Debian's ``chromium``), as staff would open it."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (apt-get install chromium; .ci/run installs it)",
)

# What the page itself logs: console messages, CSP violations, failed loads.
_CONSOLE = re.compile(r":CONSOLE[:(]")


@dataclass(frozen=True)
class Rendered:
    dom: str  # the DOM after loading, serialized
    console: list[str]  # every console line: errors, blocked loads, script output


def render(page: Path, profile: Path, screenshot: Path | None = None) -> Rendered:
    """Load ``page`` from disk; its DOM, its console, and optionally a screenshot."""
    assert CHROMIUM is not None
    base = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--log-level=0",
    ]
    url = page.resolve().as_uri()
    dump = subprocess.run(
        [*base, "--dump-dom", url], capture_output=True, text=True, timeout=120, check=True
    )
    console = [line for line in dump.stderr.splitlines() if _CONSOLE.search(line)]
    if screenshot is not None:
        subprocess.run(
            [*base, "--hide-scrollbars", "--window-size=1100,2200", f"--screenshot={screenshot}",
             url],
            capture_output=True, text=True, timeout=120, check=True,
        )  # fmt: skip
    return Rendered(dump.stdout, console)
