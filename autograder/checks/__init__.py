"""Checks: compare a student's answer with a reference, return a CheckResult."""

from autograder.checks.result import CheckFailed, CheckResult

__all__ = ["CheckFailed", "CheckResult"]
