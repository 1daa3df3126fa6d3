"""Reports for each audience: the joint minutes, the management brief and the facilitator's
record, rendered from Jinja2 templates to HTML, Markdown and PDF.

:func:`build_context` turns one role's view of a session into a :class:`ReportContext`
whose fields are all ready to print; templates only lay them out. Build the view with
``Workspace.load(session_id, role)``: a report then cannot hold anything the role may not
see, because it was never loaded.

Which report for which role (:func:`report_kind`):

* ``facilitator``: the facilitator's record, marked confidential, with everything, what
  was withheld from whom, and the risk read-out;
* ``management``: the management brief, the joint minutes plus the items for management only;
* any other party: the minutes, with that party's own items if it has any.

Templates are looked up first in ``<workspace>/templates/reports/`` and then in the shipped
``templates/reports/``, so a user overrides any of them by copying it into the workspace.
HTML is autoescaped; Markdown escapes every printed value (see :func:`md_escape`).
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2

from . import settings
from .analysis import LOW_PRIORITY, SHARED, Overview, analyze, driven
from .charts.style import to_png
from .disclosure import may_see, position_audience
from .errors import InputError, one_line
from .model import FACILITATOR, JOINT, Session
from .resources import templates_dir
from .risk import risk_readout

__all__ = [
    "FORMATS",
    "Chart",
    "ItemLine",
    "ReportContext",
    "build_context",
    "environment",
    "md_escape",
    "render_html",
    "render_markdown",
    "render_pdf",
    "report_kind",
    "template_dirs",
]

FORMATS = ("html", "md", "pdf")
_TEMPLATES = {"record": "facilitator_record", "brief": "management_brief",
              "minutes": "joint_minutes"}


@dataclasses.dataclass(frozen=True)
class ItemLine:
    """One printable line of a section: a title or text and the details beside it."""

    text: str
    detail: str = ""
    owner: str = ""
    due: str = ""
    status: str = ""
    kind: str = ""
    marker: str = ""  # "" for joint items, else e.g. "Programme management only"
    # per-party columns (goal ratings, issue positions), each a few phrases kept unbroken
    cells: tuple[tuple[str, ...], ...] = ()


@dataclasses.dataclass(frozen=True)
class Chart:
    """The overlap chart as PNG, with its alternative text and the name of its file."""

    alt: str
    png: bytes
    file_name: str

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


@dataclasses.dataclass(frozen=True)
class RiskLine:
    """The facilitator's risk read-out: level, why, and the options with what each risks."""

    level: str
    score: str
    reasons: tuple[str, ...]
    options: tuple[ItemLine, ...]
    bearing_heading: str
    bearing: tuple[ItemLine, ...]  # withheld items that bear on the customer's goals


@dataclasses.dataclass(frozen=True)
class ReportContext:
    """Everything a report template prints, already worded and formatted."""

    kind: str  # record | brief | minutes
    template: str  # template name without the format extension
    title: str  # the document's title, e.g. "Management brief"
    banner: str  # the confidentiality line at the top ("" for joint minutes)
    audience: str  # who the document is for
    session_title: str
    session_description: str
    session_date: str
    generated: str
    attendees: tuple[ItemLine, ...]
    party_names: tuple[str, ...]
    alignment: str
    quadrants: tuple[ItemLine, ...]
    common_ground: tuple[ItemLine, ...]
    conflicts: tuple[ItemLine, ...]
    blind_spots: tuple[ItemLine, ...]
    goals: tuple[ItemLine, ...]
    issues: tuple[ItemLine, ...]
    agreements: tuple[ItemLine, ...]
    decisions: tuple[ItemLine, ...]
    actions: tuple[ItemLine, ...]
    notes: tuple[ItemLine, ...]
    private_heading: str
    private_items: tuple[ItemLine, ...]
    withheld: tuple[ItemLine, ...]
    risk: RiskLine | None
    chart: Chart | None
    footer: str


def report_kind(role: str) -> str:
    """``record`` for the facilitator, ``brief`` for management, ``minutes`` for the rest."""
    if role == FACILITATOR:
        return "record"
    return "brief" if role == "management" else "minutes"


def _num(value: float) -> str:
    """A number as pmkit prints it everywhere (``480``, ``12.5``)."""
    return str(int(value)) if float(value).is_integer() else str(value)


def _marker(session: Session, audience: str) -> str:
    if audience == JOINT:
        return ""
    if audience == FACILITATOR:
        return "Facilitator only"
    return f"{session.party_name(audience)} only"


def _rating(goal_ratings: dict[str, Any], pid: str) -> str:
    r = goal_ratings.get(pid)
    return "not rated" if r is None else f"{r.importance} {r.stance}"


def _quadrant_label(session: Session, name: str, pair: tuple[str, str]) -> str:
    labels = {
        SHARED: "Shared priority",
        LOW_PRIORITY: "Low priority",
        driven(pair[0]): f"Driven by {session.party_name(pair[0])}",
        driven(pair[1]): f"Driven by {session.party_name(pair[1])}",
    }
    return labels.get(name, name)


def _analysis_lines(session: Session, o: Overview | None) -> dict[str, Any]:
    if o is None:
        return {"alignment": "n/a (the analysis needs two parties)", "quadrants": (),
                "common_ground": (), "conflicts": (), "blind_spots": ()}
    name = session.party_name
    a, b = o.pair
    quadrant_of = {p.goal_id: _quadrant_label(session, p.quadrant, o.pair) for p in o.points}
    return {
        "alignment": "n/a" if o.alignment is None else f"{o.alignment:.1f} / 100",
        "quadrants": tuple(ItemLine(_quadrant_label(session, q, o.pair), str(n))
                           for q, n in o.quadrant_counts),
        "common_ground": tuple(
            ItemLine(p.title, f"{name(a)}: {p.importance_a} {p.stance_a}; "
                              f"{name(b)}: {p.importance_b} {p.stance_b}")
            for p in o.common_ground
        ),
        "conflicts": tuple(
            ItemLine(c.title, f"{name(c.party_a)}: {c.importance_a} {c.stance_a}; "
                              f"{name(c.party_b)}: {c.importance_b} {c.stance_b}")
            for c in o.conflicts
        ),
        "blind_spots": tuple(
            ItemLine(s.title, f"raised by {name(s.raised_by)}; not rated by "
                              + ", ".join(name(p) for p in s.unrated_by))
            for s in o.blind_spots
        ),
        "quadrant_of": quadrant_of,
    }


def _position_text(pos: Any) -> str:
    walk = "" if pos.walk_away is None else f", walk-away {_num(pos.walk_away)}"
    return f"ideal {_num(pos.ideal)}{walk}"


def _position_cells(session: Session, issue: Any) -> tuple[tuple[str, ...], ...]:
    cells: list[tuple[str, ...]] = []
    for pid in session.party_ids:
        pos = issue.positions.get(pid)
        if pos is None:
            cells.append(("—",))
        else:
            walk = () if pos.walk_away is None else (f"walk-away {_num(pos.walk_away)}",)
            cells.append((f"ideal {_num(pos.ideal)}", *walk))
    return tuple(cells)


def _items(session: Session) -> Iterator[tuple[Any, ItemLine]]:
    """Every item of every kind with its printable line (kind, text and details)."""
    for g in session.goals:
        yield g, ItemLine(g.title, " ".join(g.description.split()), kind="Goal")
    for i in session.issues:
        yield i, ItemLine(i.title, i.unit, kind="Numeric issue")
    for ag in session.agreements:
        yield ag, ItemLine(ag.text, kind=ag.kind.capitalize())
    for ac in session.actions:
        yield ac, ItemLine(ac.title, owner=ac.owner or "—", due=_date(ac.due), kind="Action")
    for n in session.notes:
        yield n, ItemLine(n.text, kind="Note")


def _private(session: Session, role: str) -> tuple[ItemLine, ...]:
    """The items meant for ``role`` alone (not joint), across every kind."""
    return tuple(line for item, line in _items(session) if item.audience == role)


def _withheld(session: Session) -> tuple[ItemLine, ...]:
    """For the facilitator: every item or position some party may not see, and from whom."""
    name = session.party_name
    out: list[ItemLine] = []
    for item, line in _items(session):
        who = ", ".join(name(p) for p in session.party_ids if not may_see(p, item.audience))
        if who:
            out.append(ItemLine(line.text, f"withheld from {who}", kind=line.kind,
                                marker=_marker(session, item.audience)))
    for issue in session.issues:
        seen_by = [p for p in session.party_ids if may_see(p, issue.audience)]
        for party, pos in issue.positions.items():
            aud = position_audience(issue.audience, party)
            who = ", ".join(name(p) for p in seen_by if not may_see(p, aud))
            if who:
                out.append(ItemLine(f"{name(party)}'s position on {issue.title}",
                                    f"{_position_text(pos)}; withheld from {who}",
                                    kind="Position", marker=_marker(session, aud)))
    return tuple(out)


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else "—"


_REASON_CHARS = 400  # a reason names items; the sections below list them all
_BEARS_ON_SHOWN = 3


def _risk_lines(session: Session) -> RiskLine | None:
    """The risk read-out of :mod:`pmkit.risk` (facilitator only), worded for the record."""
    if len(session.parties) < 2:
        return None
    readout = risk_readout(session)

    def bears_on(titles: tuple[str, ...]) -> str:
        more = len(titles) - _BEARS_ON_SHOWN
        return "bears on: " + "; ".join(titles[:_BEARS_ON_SHOWN]) + (
            f"; and {more} more" if more > 0 else "")

    return RiskLine(
        level=readout.level,
        score=f"{readout.score} points",
        reasons=tuple(f"{one_line(r.text, _REASON_CHARS)} ({r.points} point"
                      f"{'s' if r.points != 1 else ''})" for r in readout.reasons),
        options=tuple(ItemLine(o.name.capitalize(), o.risks, kind=f"when {o.when}",
                               marker="suggested" if o.suggested else "")
                      for o in readout.options),
        bearing_heading=f"Withheld from {session.party_name(session.party_ids[0])}, "
                        "and bearing on its goals:",
        bearing=tuple(ItemLine(w.title, bears_on(w.bears_on), kind=w.kind.capitalize(),
                               marker=_marker(session, w.audience))
                      for w in readout.withheld if w.bears_on),
    )


def _overlap_chart(session: Session, o: Overview | None, stem: str) -> Chart | None:
    if o is None:
        return None
    from .charts.board import overlap_chart

    names = {p.id: p.name for p in session.parties}
    fig = overlap_chart(o, theme="light", presenter=False, names=names)
    return Chart(alt="Overlap chart: each goal placed by its importance to each party",
                 png=to_png(fig, dpi=110), file_name=f"{stem}-overlap.png")


def build_context(session: Session, role: str, *, session_id: str = "session",
                  generated: dt.datetime | None = None, chart: bool = True,
                  file_stem: str | None = None) -> ReportContext:
    """The context of ``role``'s report from ``session``, which must be ``role``'s own view
    (``Workspace.load(session_id, role)``): nothing else is filtered here.

    ``file_stem`` names the chart file a Markdown report refers to (``<stem>-overlap.png``).
    """
    if role not in session.roles:
        raise InputError(f"unknown role '{role}'; this session's roles are "
                         f"{', '.join(session.roles)}")
    kind = report_kind(role)
    name = session.party_name
    overview = analyze(session) if len(session.parties) >= 2 else None
    lines = _analysis_lines(session, overview)
    quadrant_of: dict[str, str] = lines.pop("quadrant_of", {})
    others = [p.name for p in session.parties if p.id != role]
    if kind == "record":
        title, audience = "Facilitator's record", "the facilitator alone"
        banner = ("CONFIDENTIAL — the facilitator's record. It holds items withheld from the "
                  "parties. Do not forward it.")
    elif kind == "brief":
        title, audience = "Management brief", name(role)
        banner = (f"For {name(role)} only — holds items not shared with "
                  f"{', '.join(others) or 'the other parties'}. Do not forward it.")
    else:
        title, audience = "Minutes", name(role)
        banner = ""
    stamp = (generated or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
    safe_stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", file_stem or f"{session_id}-{role}").strip("-.")
    private = () if role == FACILITATOR else _private(session, role)
    return ReportContext(
        kind=kind,
        template=_TEMPLATES[kind],
        title=title,
        banner=banner,
        audience=audience,
        session_title=session.title,
        session_description=" ".join(session.description.split()),
        session_date=_date(session.date),
        generated=stamp,
        attendees=tuple(ItemLine(p.name, p.id) for p in session.parties),
        party_names=tuple(p.name for p in session.parties),
        goals=tuple(
            ItemLine(g.title, " ".join(g.description.split()), kind=quadrant_of.get(g.id, ""),
                     owner=name(g.raised_by), marker=_marker(session, g.audience),
                     cells=tuple((_rating(g.ratings, pid),) for pid in session.party_ids))
            for g in session.goals
        ),
        issues=tuple(
            ItemLine(i.title, i.unit or "—", marker=_marker(session, i.audience),
                     cells=_position_cells(session, i))
            for i in session.issues
        ),
        agreements=tuple(ItemLine(a.text, marker=_marker(session, a.audience))
                         for a in session.agreements if a.kind == "agreement"),
        decisions=tuple(ItemLine(a.text, marker=_marker(session, a.audience))
                        for a in session.agreements if a.kind == "decision"),
        actions=tuple(
            ItemLine(a.title, owner=a.owner or "—", due=_date(a.due), status=a.status,
                     marker=_marker(session, a.audience))
            for a in session.actions
        ),
        notes=tuple(ItemLine(n.text, marker=_marker(session, n.audience)) for n in session.notes),
        private_heading=f"For {name(role)} only" if private else "",
        private_items=private,
        withheld=_withheld(session) if kind == "record" else (),
        risk=_risk_lines(session) if kind == "record" else None,
        chart=_overlap_chart(session, overview, safe_stem or "report") if chart else None,
        footer=f"{title} · {session.title} · generated {stamp} by pmkit",
        **lines,
    )


# -- rendering ----------------------------------------------------------------------------
_MD_INLINE = re.compile(r"([\\`*_\[\]|!~])")
_MD_LEADING_MARK = re.compile(r"^([#+=>-])")
_MD_LEADING_NUMBER = re.compile(r"^(\d+)([.)])(?=\s|$)")


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
        return jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                                  trim_blocks=True, lstrip_blocks=True)
    if fmt == "md":  # the context's text is escaped before rendering (see render_markdown)
        return jinja2.Environment(loader=loader, autoescape=False, undefined=jinja2.StrictUndefined,
                                  trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    raise InputError(f"unknown template format '{fmt}'; use html or md")


def _render(ctx: ReportContext, fmt: str, workspace: str | Path | None) -> str:
    name = f"{ctx.template}.{fmt}.j2"
    try:
        return environment(fmt, workspace).get_template(name).render(r=ctx)
    except jinja2.TemplateNotFound as exc:
        raise InputError(f"report template '{exc.name}' not found in "
                         f"{' or '.join(str(d) for d in template_dirs(workspace))}") from None
    except jinja2.TemplateError as exc:
        line = getattr(exc, "lineno", None)
        where = f" (line {line})" if line else ""
        raise InputError(f"report template {name}{where} failed: {exc}; "
                         "fix or remove your copy in the workspace") from None


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
