"""The untrusted side of grading: the worker that runs a submission, and its launcher.

Everything here runs in processes that the submission controls once its first cell has
run, or that fork them (the fork server, the launcher). The contract:

- It imports only the standard library, numpy, and IPython with what IPython's shell
  needs (traitlets, matplotlib_inline), plus sympy to rebuild the expressions the grading
  side sends: never the rest of ``autograder``, which the jail hides from the worker.
- It is started as a path (``python -I -B .../untrusted/__main__.py MODE CONFIG``), so
  that ``autograder`` itself is never imported into the worker; ``__main__`` imports every
  module of this package before the jail hides its directory.
- The grading side imports only ``protocol`` (the messages and configurations, typed)
  and ``wire`` (how values are encoded) from it.

Modules: ``protocol``, ``wire``, ``cells`` (running cells in IPython's shell), ``serve``
(the request loop), ``syscalls`` (libc through ctypes), ``jail`` (the launcher and the
sandbox's first process), ``view`` (the file system the worker sees), ``landlock``,
``forkserver`` (the warm pool's zygote).
"""
