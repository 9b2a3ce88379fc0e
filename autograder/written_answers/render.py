"""Markdown and LaTeX math to safe HTML, offline: markdown-it-py, dollarmath, latex2mathml.

Student text is untrusted. Markdown is rendered with raw HTML turned off (a ``<script>``
in an answer shows as text) and markdown-it's own link check (no ``javascript:`` links).
Math becomes MathML, which Chromium and Firefox draw natively; latex2mathml does not
escape ``\\text{...}``, so its output is parsed and rebuilt from an allow-list of MathML
elements and attributes, and anything else falls back to the LaTeX source as text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from functools import lru_cache
from html import escape
from typing import Any

from latex2mathml.converter import convert
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

#: Longer formulas are shown as source: a huge one is a way to stall the converter.
MAX_FORMULA = 4000

# fmt: off
_MATHML_TAGS = frozenset({
    "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msup", "msub", "msubsup",
    "mfrac", "msqrt", "mroot", "mover", "munder", "munderover", "mtable", "mtr", "mtd",
    "mstyle", "mpadded", "mphantom", "menclose", "merror", "mmultiscripts", "mprescripts",
    "none", "semantics", "annotation",
})
# No href, style, class or colour: nothing that links, moves or hides text.
_MATHML_ATTRIBUTES = frozenset({
    "display", "displaystyle", "mathvariant", "stretchy", "fence", "separator", "lspace",
    "rspace", "accent", "accentunder", "movablelimits", "linethickness", "scriptlevel", "form",
    "largeop", "symmetric", "minsize", "maxsize", "notation", "width", "height", "depth",
    "columnalign", "rowalign", "columnspacing", "rowspacing", "columnlines", "rowlines",
    "frame", "align",
})
# fmt: on
_MATHML_NS = "{http://www.w3.org/1998/Math/MathML}"


class _UnsafeMath(ValueError):
    pass


#: A backslash ending a line, not itself escaped (``\\`` is a line break): in LaTeX, like
#: ``\ ``, a control space. latex2mathml would show the backslash.
_CONTROL_SPACE = re.compile(r"(?<!\\)((?:\\\\)*)\\[ \t]*\r?\n")


def latex_to_mathml(latex: str, display: bool) -> str:
    """MathML for ``latex``, or the source as escaped text when it cannot be converted safely."""
    source = _CONTROL_SPACE.sub(lambda m: m.group(1) + "\\ ", latex.strip())
    try:
        if len(source) > MAX_FORMULA:
            raise _UnsafeMath("too long")
        return _rebuild(
            ElementTree.fromstring(convert(source, display="block" if display else "inline"))
        )
    except Exception:  # latex2mathml raises many types on bad input; all mean "show the source"
        delimiter = "$$" if display else "$"
        shown = f'<code class="latex">{escape(delimiter + source + delimiter)}</code>'
        return f"<p>{shown}</p>" if display else shown


def _rebuild(element: ElementTree.Element) -> str:
    tag = element.tag.removeprefix(_MATHML_NS)
    if tag not in _MATHML_TAGS:
        raise _UnsafeMath(tag)
    attributes = "".join(
        f' {name}="{escape(value)}"'
        for name, value in sorted(element.attrib.items())
        if name in _MATHML_ATTRIBUTES
    )
    if tag == "math":
        attributes = ' xmlns="http://www.w3.org/1998/Math/MathML"' + attributes
    inner = escape(element.text or "") + "".join(
        _rebuild(child) + escape(child.tail or "") for child in element
    )
    return f"<{tag}{attributes}>{inner}</{tag}>"


def _math(content: str, options: dict[str, Any]) -> str:
    return latex_to_mathml(content, bool(options.get("display_mode")))


def _math_source(content: str, options: dict[str, Any]) -> str:
    """Math as its LaTeX source, for Gradescope (which draws no MathML)."""
    delimiter = "$$" if options.get("display_mode") else "$"
    shown = f"<code>{escape(delimiter + content.strip() + delimiter)}</code>"
    return f"<p>{shown}</p>" if options.get("display_mode") else shown


#: Images a page may show: inline data, never a remote load.
_INLINE_IMAGES = ("data:image/png;", "data:image/jpeg;", "data:image/gif;")


def _image(renderer: Any, tokens: Any, index: int, options: Any, env: Any) -> str:
    """Inline images and the cell's own attachments are shown; remote ones become a note."""
    token = tokens[index]
    source = str(token.attrGet("src") or "")
    alt = renderer.renderInlineAsText(token.children or [], options, env)
    if source.startswith("attachment:"):
        source = _attachment(env.get("attachments"), source.removeprefix("attachment:"))
    if source.startswith(_INLINE_IMAGES) and env.get("images", True):
        return f'<img src="{escape(source)}" alt="{escape(alt)}">'
    return f'<span class="muted">[image not shown: {escape(alt)} {escape(source)}]</span>'


def _attachment(attachments: Any, name: str) -> str:
    """A notebook cell attachment (pasted image) as a data URI, or "" if there is none."""
    bundle = attachments.get(name) if isinstance(attachments, dict) else None
    for mime in ("image/png", "image/jpeg", "image/gif"):
        data = bundle.get(mime) if isinstance(bundle, dict) else None
        if isinstance(data, str):
            return f"data:{mime};base64,{''.join(data.split())}"
    return ""


@lru_cache(maxsize=2)
def _markdown(math_as_source: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    renderer = _math_source if math_as_source else _math
    md.use(dollarmath_plugin, allow_labels=False, double_inline=True, renderer=renderer)
    md.add_render_rule("image", _image)
    return md


def markdown_to_html(
    text: str, attachments: dict[str, Any] | None = None, *, for_gradescope: bool = False
) -> str:
    """Safe HTML for a markdown cell (ours or a student's), with its attachments if any.
    ``for_gradescope``: math as LaTeX source and images as a note, for a results entry."""
    env = {"attachments": attachments or {}, "images": not for_gradescope}
    return str(_markdown(for_gradescope).render(text, env))


def code_to_html(text: str) -> str:
    return f"<pre><code>{escape(text)}</code></pre>"
