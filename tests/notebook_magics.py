"""Notebooks written the way students write them: IPython magics, shell escapes, plots.

``MAGIC_CELLS``: one magic per cell, each with the error a real Jupyter kernel gives
for it (``None``: none). ``test_sandbox_magics.py`` checks those errors against a real
kernel and the sandbox against them; ``test_isolation_modes.py`` grades both notebooks
in the three modes.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

# Installing needs a network the sandbox does not have; the index on the loopback makes the
# real kernel of the comparison fail the same way, at once and without installing anything.
PIP_INSTALL = (
    "%pip install --retries 0 --timeout 1 --index-url http://127.0.0.1:9/simple "
    "no-such-package-for-issue-19"
)

MAGIC_CELLS: list[tuple[str, str | None]] = [
    ("%matplotlib inline", None),
    ("!ls /", None),
    ("%ls", None),
    ("%pip --version", None),
    ("%load_ext autoreload", None),
    ("%autoreload 2", None),
    ("%%time\ntotal = sum(range(1000))", None),
    ("%timeit -n 1 -r 1 sum(range(10))", None),
    ("%config InlineBackend.figure_format = 'retina'", None),
    ("%%capture captured\nprint('hidden')", None),
    ("assert captured.stdout == 'hidden\\n'", None),
    ("%%writefile helper19.py\ndef twice(x):\n    return 2 * x", None),
    ("import helper19\nassert helper19.twice(2) == 4", None),
    ("%env GREETING=hello", None),
    ("import os\nassert os.environ['GREETING'] == 'hello'", None),
    ("%cd /tmp", None),
    ("%cd -", None),
    ("%%html\n<b>bold</b>", None),
    ("%%latex\n$x^2$", None),
    ("from IPython.display import Markdown, display\ndisplay(Markdown('**md**'))", None),
    ("display({'any': 'object'}, 3)", None),
    ("import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()", None),
    ("%sx echo hi", None),
    ("files = !echo a b\nassert files == ['a b'], files", None),
    ("!echo $GREETING", None),
    ("%reload_ext autoreload", None),
    ("get_ipython().system('false')\nassert _exit_code == 1", None),
    ("%%bash\necho from bash", None),
    ("%who", None),
    ("%pwd", None),
    ("%precision 3", None),
    ("%xmode Minimal", None),
    ("%run helper19.py", None),
    ("len?", None),
    ("%matplotlib", None),
    (PIP_INSTALL, None),
    ("%conda --version", "ValueError"),
    ("%nosuchmagic", "UsageError"),
    ("input('name? ')", "StdinNotImplementedError"),
    ("import getpass\ngetpass.getpass()", "StdinNotImplementedError"),
    ("1 / 0", "ZeroDivisionError"),
    ("done = True", None),
]


def magics_notebook() -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source, _ in MAGIC_CELLS]
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "language": "python",
        "display_name": "Python 3",
    }
    return notebook


def realistic_notebook(solution: Path) -> nbformat.NotebookNode:
    """The disc06 answers as a student writes them: ``%matplotlib inline`` first in the
    imports cell, a failed optional import, autoreload, shell escapes, ``%%time`` on an
    answer, plots and Markdown output."""
    notebook = nbformat.read(solution, as_version=4)
    imports = next(
        cell for cell in notebook.cells if cell.source == "import numpy as np\nimport sympy"
    )
    imports.source = (
        "%matplotlib inline\n"
        "%load_ext autoreload\n"
        "%autoreload 2\n"
        "import numpy as np\n"
        "import sympy\n"
        "import matplotlib.pyplot as plt\n"
        "from IPython.display import Markdown, display\n"
        "try:\n"
        "    import torch  # optional: only for comparing with autograd\n"
        "except ImportError:\n"
        "    torch = None\n"
        "!python --version\n"
        "!ls"
    )
    forward = next(c for c in notebook.cells if c.source.startswith("def lstm_step_forward"))
    forward.source = "%%time\n" + forward.source
    at = notebook.cells.index(forward) + 1
    notebook.cells[at:at] = [
        nbformat.v4.new_code_cell(
            "zs = np.linspace(-4, 4, 81)\n"
            "fig, ax = plt.subplots()\n"
            "ax.plot(zs, (1 + np.tanh(zs / 2)) / 2, label=r'$\\sigma(z)$')\n"
            "ax.plot(zs, np.tanh(zs), label=r'$\\tanh(z)$')\n"
            "ax.legend()\n"
            "plt.show()"
        ),
        nbformat.v4.new_code_cell(
            "display(Markdown(f'The gates saturate beyond |z| = {zs.max():.0f}.'))\n!echo plotted"
        ),
    ]
    return notebook
