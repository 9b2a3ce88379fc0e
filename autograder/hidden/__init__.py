"""Helpers that the hidden tests of the master notebooks call.

A hidden test cell in ``solutions/<assignment>.ipynb`` is one call::

    from autograder.hidden import disc06 as hidden
    hidden.lstm_backward(lstm_step_forward, lstm_step_backward, part="dx")

Contract every helper keeps, because otter's doctest runner and ours both
execute these cells:

* it draws fresh random inputs each time (no fixed seed a student could
  hard-code against), compares the student's objects with the reference
  through a check of ``autograder.checks``, returns ``None`` when the answer
  is right (so the doctest's expected output is empty), and raises
  ``CheckFailed(result, part)`` when it is wrong;
* ``part`` (keyword) names the credit the case carries; the grader reports
  the case as ``"<question>: <part>"``;
* it only calls the student's objects, indexes what they return and passes
  returned objects back: under ``otter run`` they are the student's real
  functions, under ``autograder grade`` they are proxies to a sandboxed
  process (results arrive as numpy arrays, Python numbers, str, tuples,
  lists, dicts, sympy expressions, or opaque handles);
* an exception raised by the student's code becomes a ``CheckFailed`` whose
  message names the function and the exception;
* a failure whose answer equals a typical mistake's on the same inputs names
  that mistake first (catalogs in ``autograder.hidden.misconceptions``).
"""
