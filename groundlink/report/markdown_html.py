"""report.md and a self-contained report.html: thin templates over the report's sections."""

from __future__ import annotations

import base64
import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..inputs import escaped as escaped_line
from .sections import sections

if TYPE_CHECKING:
    import jinja2

TEMPLATES = Path(__file__).resolve().parent / "templates"


# Characters that would make a value of the report markup: raw HTML (`<img onerror=...>`), an
# entity, a link, a code span, emphasis with `*` or strikethrough (`~x~`), a table cell's end.
# Any ASCII punctuation may be backslash-escaped in CommonMark, so each stays the character it
# is. Line ends, which end a table row, are shown as their escapes (`_shown`).
_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`<>&[]|*~"})
# An underscore emphasizes only where it is not inside a word (`_x_`; `ksat_lite` and field
# paths such as `storage.raw_retention_days` stay as they are); a `#` heads a line only first.
_MD_EMPHASIS_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")


def _shown(text: str) -> str:
    """A value on one line as both reports show it: a control character (an ESC, or a newline in a
    name OLD's JSON holds) as its escape, as report.html and the terminal show it; a tab, which a
    price's source may hold, as the whitespace it renders as."""
    return escaped_line(text.replace("\t", " "))


def _md_escape(text: str) -> str:
    """A value as literal Markdown text (a spec's name, a price source, a path), on one line: a
    control character (an ESC or a newline in a name OLD's JSON holds) as its escape."""
    escaped = _MD_EMPHASIS_UNDERSCORE.sub(r"\\_", _shown(str(text).translate(_MD_SPECIAL)))
    # a heading's closing sequence: `## Changes against old #` is shown as "Changes against old"
    escaped = re.sub(r"#(?=#*[ \t]*$)", r"\\#", escaped)
    return "\\" + escaped if escaped.startswith("#") else escaped


def _md_code(text: str, in_table: bool = False) -> str:
    """A value as a Markdown code span that no backtick in it can close: the fence is one
    backtick longer than the longest run inside (CommonMark). Backslashes mean nothing in a
    code span, except before a pipe in a table cell, which GFM needs escaped there."""
    text = _shown(str(text))  # a control character (an ESC, a newline) as its escape
    if in_table:
        text = text.replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    # a span that starts and ends with a space loses one of each (CommonMark): ` p.yaml ` read as
    # `p.yaml`; padded, it keeps them, as a span next to a backtick must be padded to close
    spaced = text.startswith(" ") and text.endswith(" ") and text.strip(" ")
    pad = " " if text.startswith("`") or text.endswith("`") or spaced else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _one_line(value: Any) -> Any:
    """A template's printed value: text escaped onto one line; markup the code made, as it is."""
    import markupsafe

    return _shown(value) if isinstance(value, str) and not isinstance(value, markupsafe.Markup) else value


# A figure in a text cell, as the report formats one: an amount, a grouped count, a decimal, a
# share (`$10,833.20`, `1,460`, `0.0000133334`, `121.7`, `99%`). A bare integer (a year, a port)
# is left as it is: short, and broken by no narrow screen measured.
_FIGURE = re.compile(r"[-+]?(?:[$€£]\d[\d,]*(?:\.\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)%?|\d+%")


def _figures_whole(value: Any) -> Any:
    """A text cell of report.html with each figure in a span that does not wrap: the cells wrap
    anywhere (`overflow-wrap: anywhere`, so a long ARN or path fits a narrow screen), which broke
    `$10,833.20` into `$10,83` and `3.20` (docs/compare.md: long words wrap, figures do not)."""
    import markupsafe

    if not isinstance(value, str) or isinstance(value, markupsafe.Markup):
        return value
    text, parts, last = _shown(value), [], 0
    for match in _FIGURE.finditer(text):
        parts += [markupsafe.escape(text[last : match.start()]), markupsafe.Markup('<span class="fig">')]
        parts += [markupsafe.escape(match.group()), markupsafe.Markup("</span>")]
        last = match.end()
    parts.append(markupsafe.escape(text[last:]))
    return markupsafe.Markup("").join(parts)


@functools.cache
def _env(autoescape: bool) -> jinja2.Environment:
    """One environment a process for each kind of output: jinja2 compiles a template once per
    environment, and compiling both reports' templates took longer than rendering them."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        # every value printed as text on one line, its control characters escaped (a name from
        # OLD's JSON with an ESC reached report.html raw); markup the code made itself stays
        finalize=_one_line,
    )
    env.filters["md"] = _md_escape
    env.filters["code"] = _md_code
    env.filters["figures"] = _figures_whole
    return env


def render_markdown(doc: dict[str, Any], chart_files: dict[str, str]) -> str:
    return _env(False).get_template("report.md.j2").render(doc=doc, sections=sections(doc), charts=chart_files)


def render_html(doc: dict[str, Any], charts: dict[str, bytes]) -> str:
    embedded = {
        name: "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii") for name, svg in charts.items()
    }
    return _env(True).get_template("report.html.j2").render(doc=doc, sections=sections(doc), charts=embedded)
