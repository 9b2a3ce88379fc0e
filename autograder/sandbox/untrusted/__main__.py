"""``python -I -B path/to/untrusted/__main__.py MODE CONFIG``: the fork server, a launcher,
or a bare worker (``protocol.ZYGOTE``, ``JAIL``, ``SERVE``; CONFIG is JSON).

Started as a path, not as ``-m autograder.sandbox.untrusted``: that would import
``autograder`` itself into the worker, where a submission could then import it. This
package is loaded from its own directory under its own name instead, without its
parents, and every one of its modules is imported here, before the jail hides that
directory from the worker. (``-m`` works too, for a look by hand.)
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from typing import NoReturn

PACKAGE = "autograder.sandbox.untrusted"


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
    # All of the package, now: once jailed, the worker can no longer read its files.
    from autograder.sandbox.untrusted import (  # noqa: F401
        cells,
        forkserver,
        jail,
        landlock,
        protocol,
        serve,
        syscalls,
        view,
        wire,
    )

    mode, config = argv[1], json.loads(argv[2])
    if mode == protocol.ZYGOTE:
        forkserver.zygote(config)
    if mode == protocol.JAIL:
        jail.jail(config)
    serve.serve(config)


if __name__ == "__main__":
    main(sys.argv)
