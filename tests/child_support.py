"""Main functions for the children of test_child.py (a fresh Python imports them by name)."""

from __future__ import annotations

import os
import resource
import time
from multiprocessing.connection import Connection


def echo(requests: Connection, replies: Connection) -> None:
    """Reply each request until None, with what the child knows of its start."""
    while (message := requests.recv()) is not None:
        limit = resource.getrlimit(resource.RLIMIT_AS)[0]
        replies.send((message, os.environ.get("CHILD_FIRST"), limit))


def first() -> None:
    os.environ["CHILD_FIRST"] = "called"


def hang(requests: Connection, replies: Connection) -> None:
    requests.recv()
    while True:
        time.sleep(60)


def exit_at_once(requests: Connection, replies: Connection) -> None:
    os._exit(3)
