"""Kept for the ``run_autograder`` script of built Gradescope zips, which asks
``from autograder.sandbox.worker import landlock_abi`` whether to require isolation.

The worker itself is the ``untrusted`` package; repoint that script (``build/``) at
``autograder.sandbox.untrusted.landlock`` and delete this module.
"""

from autograder.sandbox.untrusted.landlock import landlock_abi

__all__ = ["landlock_abi"]
