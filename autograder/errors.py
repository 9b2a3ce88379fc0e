"""Errors that are the instructor's to fix: the CLI prints them and exits non-zero.

A bad *submission* is never one of these: it gets a results file with zeros
and a message instead.
"""


class AutograderError(Exception):
    """An instructor-side problem with a message that says what to do."""


class UnknownAssignmentError(AutograderError):
    pass


class BuildError(AutograderError):
    """A master notebook cannot be turned into an assignment."""


class GradingSetupError(AutograderError):
    """Grading cannot start: missing tests, missing submission, unwritable output."""
