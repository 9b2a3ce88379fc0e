"""What can go wrong on the untrusted side, as the grading process sees it.

``StudentError`` and its subclasses are the submission's doing: the grader turns
them into feedback and zero points. ``SandboxError`` is not: the sandbox itself
could not be set up or was used wrongly, and an instructor has to act.
"""

from __future__ import annotations

from autograder.errors import AutograderError


class StudentError(Exception):
    """The submission's code raised, misbehaved, or sent something unreadable."""


class StudentTimeout(StudentError):
    """The submission's code ran past a time limit; the worker was stopped (call ``restart``)."""


class StudentCrash(StudentError):
    """The worker process died or broke the channel protocol (call ``restart``)."""


class SandboxError(AutograderError):
    """The sandbox could not start, or was used after it broke or closed."""
