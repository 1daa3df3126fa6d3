"""Reports for each audience: the joint minutes, the management brief and the facilitator's
record, rendered from Jinja2 templates to HTML, Markdown and PDF.

:func:`build_context` (:mod:`pmkit.reports.context`) turns one role's view of a session into
a :class:`ReportContext` whose fields are all ready to print; this module only renders it.
Build the view with ``Workspace.sessions.load(session_id, role)``: a report then cannot hold anything
the role may not see, because it was never loaded.

Templates are looked up first in ``<workspace>/templates/reports/`` and then in the shipped
``templates/reports/``, so a user overrides any of them by copying it into the workspace.
HTML is autoescaped; Markdown escapes every printed value (see :func:`md_escape`).

A report is rendered in the current language (:func:`pmkit.i18n.use`): templates translate
with ``_``, ``ngettext`` and ``pgettext``, and ``lang`` is that language's code (the HTML
page's ``lang`` attribute).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

from pmkit import settings
from pmkit.errors import InputError
from pmkit.i18n import TEMPLATE_GLOBALS, _, current
from pmkit.reports.context import ReportContext, build_context, report_kind
from pmkit.reports.disclosure_plan import PlanRow, PlanSection
from pmkit.reports.lines import Chart, ItemLine
from pmkit.reports.record import DecisionLines, PackageLine, RiskLine
from pmkit.resources import templates_dir

__all__ = [
    "FORMATS",
    "Chart",
    "DecisionLines",
    "ItemLine",
    "PackageLine",
    "PlanRow",
    "PlanSection",
    "ReportContext",
    "RiskLine",
    "build_context",
    "css_counters",
    "environment",
    "md_escape",
    "render_html",
    "render_markdown",
    "render_pdf",
    "report_kind",
    "template_dirs",
]

FORMATS = ("html", "md", "pdf")


# -- rendering ----------------------------------------------------------------------------
_MD_INLINE = re.compile(r"([\\`*_\[\]|!~])")
_MD_LEADING_MARK = re.compile(r"^([#+=>-])")
_MD_LEADING_NUMBER = re.compile(r"^(\d+)([.)])(?=\s|$)")
_COUNTER = re.compile(r"\{(pages?)\}")


def md_escape(value: object) -> str:
    """Text safe to print in Markdown: HTML is escaped to entities (so no renderer runs it),
    inline Markdown syntax is backslash-escaped, a leading block marker (``#``, ``-``,
    ``1.``) is escaped and line breaks become spaces."""
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_INLINE.sub(r"\\\1", text)
    text = _MD_LEADING_MARK.sub(r"\\\1", text)
    return _MD_LEADING_NUMBER.sub(r"\1\\\2", text)


def _escape_all(value: Any) -> Any:
    """``value`` with every string inside it passed through :func:`md_escape`."""
    if isinstance(value, str):
        return md_escape(value)
    if isinstance(value, tuple):
        return tuple(_escape_all(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _escape_all(getattr(value, f.name))
                   for f in dataclasses.fields(value) if f.name != "template"}
        return dataclasses.replace(value, **changes)
    return value


def template_dirs(workspace: str | Path | None = None) -> list[Path]:
    """Where report templates are looked up, first match wins: the workspace's
    ``templates/reports/`` folder, then the shipped one."""
    return [settings.workspace_dir(workspace) / "templates" / "reports",
            templates_dir() / "reports"]


def environment(fmt: str, workspace: str | Path | None = None) -> jinja2.Environment:
    """The Jinja2 environment for ``fmt`` ('html' or 'md'): strict about undefined names,
    HTML autoescaped; for Markdown the context is escaped before rendering."""
    loader = jinja2.FileSystemLoader([str(d) for d in template_dirs(workspace)])
    if fmt == "html":
        env = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                                 trim_blocks=True, lstrip_blocks=True)
    elif fmt == "md":  # the context's text is escaped before rendering (see render_markdown)
        env = jinja2.Environment(loader=loader, autoescape=False, undefined=jinja2.StrictUndefined,
                                 trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    else:
        raise InputError(_("unknown template format '{format}'; use html or md").format(format=fmt))
    env.globals.update(TEMPLATE_GLOBALS)  # _() in a template: the current language (pmkit.i18n)
    env.filters["css_counters"] = css_counters
    return env


def css_counters(message: str) -> markupsafe.Markup:
    """A CSS ``content`` value from a message with ``{page}`` and ``{pages}``:
    ``"page {page} of {pages}"`` is ``"page " counter(page) " of " counter(pages)`` (a PDF's
    page numbers, in the reader's language). Quotes, backslashes and ``<`` are left out of the
    words, so a translation cannot end the string or the style sheet."""
    out = []
    for n, part in enumerate(_COUNTER.split(message)):
        if n % 2:
            out.append(f"counter({part})")
        elif part:
            out.append('"' + re.sub(r'["\\<]', "", part) + '"')
    return markupsafe.Markup(" ".join(out))


def _render(ctx: ReportContext, fmt: str, workspace: str | Path | None) -> str:
    name = f"{ctx.template}.{fmt}.j2"
    try:
        return environment(fmt, workspace).get_template(name).render(r=ctx, lang=current())
    except jinja2.TemplateNotFound as exc:
        own, shipped = template_dirs(workspace)
        raise InputError(_("report template '{name}' not found in {workspace} or {shipped}").format(
            name=exc.name, workspace=own, shipped=shipped)) from None
    except jinja2.TemplateError as exc:
        line = getattr(exc, "lineno", None)
        where = _(" (line {line})").format(line=line) if line else ""
        raise InputError(_("report template {name}{where} failed: {error}; fix or remove your copy in the "
                           "workspace").format(name=name, where=where, error=exc)) from None


def render_html(ctx: ReportContext, workspace: str | Path | None = None) -> str:
    """A self-contained HTML page: the chart is embedded, nothing is fetched."""
    return _render(ctx, "html", workspace)


def render_markdown(ctx: ReportContext, workspace: str | Path | None = None) -> str:
    """Markdown; the chart is referenced as ``ctx.chart.file_name`` beside the file. Every
    text in the context is escaped by :func:`md_escape` first, so templates print as is."""
    return _render(_escape_all(ctx), "md", workspace)


def render_pdf(ctx: ReportContext, workspace: str | Path | None = None) -> bytes:
    """A PDF of the HTML report (WeasyPrint); only embedded ``data:`` resources load."""
    import weasyprint

    html = render_html(ctx, workspace)
    fetcher: Any
    if hasattr(weasyprint, "URLFetcher"):
        fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    else:  # older WeasyPrint: a plain function

        def fetcher(url: str, *args: Any, **kwargs: Any) -> Any:
            if not url.startswith("data:"):
                raise ValueError(f"refusing to fetch {url}: reports load nothing from outside")
            return weasyprint.default_url_fetcher(url, *args, **kwargs)

    pdf: bytes = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
    return pdf
