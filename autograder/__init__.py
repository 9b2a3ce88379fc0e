"""Auto-graded homework for a deep-learning course.

The package is laid out by job: ``references`` (the correct answers),
``checks`` (compare a student's answer with a reference), ``hidden`` (the
hidden tests' helpers, called from the master notebooks), ``build`` (master
notebook -> student notebook + Gradescope autograder), ``grading`` (execute a
submission in a sandbox and score it), ``sandbox`` (the untrusted side).
"""

__version__ = "0.1.0"
