"""Self-contained HTML pages: inline CSS, no script, nothing loaded from the network.

Student text ends up on these pages (written answers, feedback quoting their code), so
every page forbids scripts, frames and remote loads with a Content-Security-Policy, on
top of escaping everything that is not ours.
"""

from __future__ import annotations

from html import escape

#: Images only as data: URIs, styles only inline, nothing else at all.
CONTENT_SECURITY_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto;
       max-width: 60em; padding: 0 1em; color: #1a1a1a; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; margin-top: 1.8em; border-bottom: 1px solid #ddd; }
h3 { font-size: 1.05em; margin-top: 1.4em; }
table { border-collapse: collapse; margin: 0.6em 0; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left;
         vertical-align: top; }
th { background: #f3f3f3; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: #666; }
.warn { background: #fff4e5; border-left: 4px solid #f0a020; padding: 0.4em 0.8em; }
.answer { border-left: 4px solid #4a7bd0; padding: 0.2em 1em; margin: 0.6em 0 1.4em;
          background: #f7f9fd; overflow-x: auto; }
.prompt { border-left: 4px solid #bbb; padding: 0.2em 1em; margin: 0.6em 0;
          overflow-x: auto; }
pre { background: #f5f5f5; padding: 0.5em; overflow-x: auto; white-space: pre-wrap; }
img { max-width: 100%; }
figure { margin: 1em 0; }
.row { display: flex; flex-wrap: wrap; gap: 1.5em; align-items: flex-start; }
.row figure { margin: 0.6em 0; flex: 1 1 26em; }
math { font-size: 1.1em; }
"""


def page(title: str, body: str) -> str:
    """A complete HTML document around ``body`` (already escaped HTML)."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def table(headers: list[str], rows: list[list[str]], numeric: frozenset[int] = frozenset()) -> str:
    """An HTML table; cells are already escaped HTML, ``numeric`` column indexes align right."""
    head = "".join(f"<th>{cell}</th>" for cell in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{cell}</td>' if i in numeric else f"<td>{cell}</td>"
            for i, cell in enumerate(row)
        )
        + "</tr>\n"
        for row in rows
    )
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>\n"
