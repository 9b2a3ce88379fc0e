"""``python -I -B path/to/untrusted/__main__.py MODE CONFIG``: the fork server, a launcher,
or a bare worker (``protocol.ZYGOTE``, ``JAIL``, ``SERVE``; CONFIG is JSON).

Started as a path, not as ``-m autograder.sandbox.untrusted``: that would import
``autograder`` itself into the worker, where a submission could then import it. This
package is loaded from its own directory under its own name instead, without its
parents, and every one of its modules is imported here, before the jail hides that
directory from the worker. (``-m`` works too, importing ``autograder``: by hand only.)
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from typing import NoReturn

PACKAGE = "autograder.sandbox.untrusted"
MODULES = [
    "protocol",
    "wire",
    "syscalls",
    "cells",
    "landlock",
    "serve",
    "view",
    "jail",
    "forkserver",
]


def _load_package() -> None:
    if PACKAGE in sys.modules:  # started with -m
        return
    here = os.path.dirname(os.path.abspath(__file__))
    spec = importlib.util.spec_from_file_location(
        PACKAGE, os.path.join(here, "__init__.py"), submodule_search_locations=[here]
    )
    assert spec is not None and spec.loader is not None
    package = importlib.util.module_from_spec(spec)
    sys.modules[PACKAGE] = package
    spec.loader.exec_module(package)


def main(argv: list[str]) -> NoReturn:
    _load_package()
    # All of the package, now: once jailed, the worker can no longer read its files. By
    # module name: ``from package import module`` would import ``autograder`` itself.
    for name in MODULES:
        importlib.import_module(f"{PACKAGE}.{name}")
    from autograder.sandbox.untrusted.forkserver import zygote
    from autograder.sandbox.untrusted.jail import jail
    from autograder.sandbox.untrusted.protocol import JAIL, ZYGOTE
    from autograder.sandbox.untrusted.serve import serve

    mode, config = argv[1], json.loads(argv[2])
    if mode == ZYGOTE:
        zygote(config)
    if mode == JAIL:
        jail(config)
    serve(config)


if __name__ == "__main__":
    main(sys.argv)
