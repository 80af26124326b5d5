"""report.md and a self-contained report.html: thin templates over the report's sections."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .sections import sections

if TYPE_CHECKING:
    import jinja2

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _md_escape(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _env(autoescape: bool) -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["md"] = _md_escape
    return env


def render_markdown(doc: dict[str, Any], chart_files: dict[str, str]) -> str:
    return _env(False).get_template("report.md.j2").render(doc=doc, sections=sections(doc), charts=chart_files)


def render_html(doc: dict[str, Any], charts: dict[str, bytes]) -> str:
    embedded = {
        name: "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii") for name, svg in charts.items()
    }
    return _env(True).get_template("report.html.j2").render(doc=doc, sections=sections(doc), charts=embedded)
