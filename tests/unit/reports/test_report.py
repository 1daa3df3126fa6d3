"""Reports: each role's minutes, brief or record holds exactly what the role may see, in HTML,
Markdown and PDF; text from a session is always shown as text; templates can be overridden
from the workspace; files never land in the served folder."""

from __future__ import annotations

import collections
import html
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import mistune
import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

from pmkit.errors import InputError, one_line
from pmkit.model import FACILITATOR, ROOM, Session, parse_session
from pmkit.reports.exports import check_destination, export
from pmkit.reports.render import build_context, md_escape, render_html, render_markdown, report_kind
from pmkit.resources import notebooks_dir, starter_path
from pmkit.rules.visibility import hidden_texts, link_roles
from pmkit.store import Workspace
from pmkit.text import share
from tests.support.paths import ROOT
from tests.support.report_text import flat, html_text, md_text, pdf_text, shows
from tests.support.starters import STARTERS

pytestmark = pytest.mark.slow  # every report of every starter and role: `make test`, not `make test-fast`

# PDF is the slow format (WeasyPrint lays every page out): its variants run in `make test`,
# the HTML and Markdown ones in `make test-fast` too.
PDF = pytest.param("pdf", marks=pytest.mark.slow)
FORMATS = ["html", "md", PDF]

PAYLOAD = "<script>alert(1)</script>"
IMG_PAYLOAD = "<img src=x onerror=alert(2)>"


def text_of(path: Path) -> str:
    if path.suffix == ".pdf":
        return pdf_text(path)
    if path.suffix == ".md":
        return md_text(path.read_text())
    return html_text(path.read_text())


# -- what a role may and may not see --------------------------------------------------------
def visible_texts(view: Session) -> list[str]:
    out = [p.name for p in view.parties] + [view.title]
    out += [g.title for g in view.goals] + [i.title for i in view.issues]
    out += [a.text for a in view.agreements] + [n.text for n in view.notes]
    for a in view.actions:
        out += [a.title, a.owner] + ([a.due.isoformat()] if a.due else [])
    return [t for t in out if t]


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def position_pairs(view: Session) -> collections.Counter[tuple[str, str]]:
    pairs: collections.Counter[tuple[str, str]] = collections.Counter()
    for issue in view.issues:
        for pos in issue.positions.values():
            pairs["ideal", _num(pos.ideal)] += 1
            if pos.walk_away is not None:
                pairs["walk-away", _num(pos.walk_away)] += 1
    return pairs


def found_pairs(text: str) -> collections.Counter[tuple[str, str]]:
    return collections.Counter(re.findall(r"\b(ideal|walk-away) (-?\d+(?:\.\d+)?)", text))


def assert_exactly_what_role_may_see(text: str, full: Session, view: Session, role: str) -> None:
    for t in visible_texts(view):
        assert shows(text, t), f"{role}: missing {t!r}"
    for t in hidden_texts(full, role):
        if not re.fullmatch(r"-?\d+(\.\d+)?", t):
            assert not shows(text, t), f"{role}: leaked {t!r}"
    if role == FACILITATOR:
        assert found_pairs(text) >= position_pairs(view)
    else:  # every position value printed is one the role may see, each exactly once
        assert found_pairs(text) == position_pairs(view)


class StarterExports:
    """Every starter in one workspace; each (starter, role, format) exported once, when first asked."""

    def __init__(self, folder: Path) -> None:
        self.ws = Workspace(folder)
        self.ids = {name: self.ws.sessions.import_file(starter_path(name)) for name in STARTERS}
        self.files: dict[tuple[str, str, str], Path] = {}

    def roles(self, name: str) -> list[str]:
        return link_roles(self.full(name))  # the room too: its export is the joint minutes

    def full(self, name: str) -> Session:
        return self.ws.sessions.load(self.ids[name], FACILITATOR)

    def view(self, name: str, role: str) -> Session:
        return self.ws.sessions.load(self.ids[name], role)

    def path(self, name: str, role: str, fmt: str) -> Path:
        key = (name, role, fmt)
        if key not in self.files:
            self.files[key] = export(self.ws, self.ids[name], role, fmt).files[0]
        return self.files[key]


@pytest.fixture(scope="module")
def starter_exports(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StarterExports]:
    exports = StarterExports(tmp_path_factory.mktemp("ws"))
    yield exports
    exports.ws.close()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", STARTERS)
def test_every_role_report_holds_all_it_may_see_and_nothing_else(
    starter_exports: StarterExports, name: str, fmt: str
) -> None:
    roles = starter_exports.roles(name)
    assert roles[0] == FACILITATOR and roles[-1] == ROOM and len(roles) >= 4
    full = starter_exports.full(name)
    for role in roles:
        path = starter_exports.path(name, role, fmt)
        assert path.exists() and path.stat().st_size > 0
        assert_exactly_what_role_may_see(text_of(path), full, starter_exports.view(name, role), role)


@pytest.mark.parametrize("name", STARTERS)
def test_the_yaml_export_of_every_role_is_its_view(starter_exports: StarterExports, name: str) -> None:
    full = starter_exports.full(name)
    for role in starter_exports.roles(name):
        text = starter_exports.path(name, role, "yaml").read_text()
        for t in hidden_texts(full, role):
            if not re.fullmatch(r"-?\d+(\.\d+)?", t):
                assert t not in text
        for g in starter_exports.view(name, role).goals:
            assert g.title in text


@pytest.mark.slow
def test_each_role_gets_its_own_report(demo: str, workspace: Workspace) -> None:
    texts = {role: pdf_text(export(workspace, demo, role, "pdf").path)
             for role in ("facilitator", "customer", "management")}
    assert report_kind("facilitator") == "record" and report_kind("management") == "brief"
    assert texts["facilitator"].startswith("CONFIDENTIAL — the facilitator's record")
    assert texts["management"].startswith("For Programme management only")
    # the parties' reports carry the title for everyone; the record both titles
    assert "MANAGEMENT BRIEF ERP integration: test environment and cutover" in texts["management"]
    assert texts["customer"].startswith("MINUTES ERP integration: test environment and cutover")
    assert "Undisclosed risk" not in texts["customer"] + texts["management"]
    assert "Parties and the room see the title: ERP integration" in texts["facilitator"]
    # the record is marked confidential on every page and says what was withheld from whom
    path = workspace.folder / "exports"
    for page in PdfReader(next(path.glob("*-facilitator.pdf"))).pages:
        assert "CONFIDENTIAL" in page.extract_text()
    record = texts["facilitator"]
    assert "Withheld from parties" in record
    assert re.search(r"Late-delivery penalty clause may trigger in April.{0,80}withheld from "
                     r"Alder Logistics \(customer\), Programme management", record)
    assert "Management's position" not in record  # positions are named by party name
    assert re.search(r"Programme management's position on Discount on the extra warehouse "
                     r"licences.{0,60}ideal 5.5, walk-away 12.5; withheld from Alder", record)
    # the brief puts management's own items first and marks them; the minutes mention none
    brief = texts["management"]
    assert brief.index("For Programme management only") < brief.index("Attendees")
    assert "Do not forward" in brief and "Programme management only" in brief
    for word in ("withheld", "CONFIDENTIAL", "Do not forward", "Programme management only",
                 "Facilitator only"):
        assert word not in texts["customer"]
    assert "Action items" in texts["customer"] and "Integration lead" in texts["customer"]


def test_minutes_list_actions_with_owner_and_due_date_and_the_chart(demo: str, workspace: Workspace) -> None:
    page = export(workspace, demo, "customer", "html").path.read_text()
    assert re.search(r"Confirm a date for the integration test environment</td><td>Integration lead"
                     r"</td><td>2026-11-30</td><td>open", page)
    assert page.count('<img src="data:image/png;base64,') == 1
    for section in ("Attendees", "Common ground", "Conflicts", "Agreements", "Decisions",
                    "Action items", "Goals", "Numeric issues", "Notes"):
        assert f"<h2>{section}</h2>" in page


# -- HTML and script in text ---------------------------------------------------------------
def hostile_session() -> Session:
    p = PAYLOAD
    return parse_session({
        "title": f"Title {p}",
        "joint_title": f"Joint {p} **bold** [link](javascript:alert(3))",
        "description": f"Description {IMG_PAYLOAD} **bold** [link](javascript:alert(3))",
        "parties": [{"id": "customer", "name": f"Customer {p}"},
                    {"id": "management", "name": f"Mgmt {IMG_PAYLOAD}"}],
        "goals": [
            {"title": f"Goal {p}", "description": f"Desc {IMG_PAYLOAD}", "raised_by": "customer",
             "ratings": {"customer": {"importance": 5, "stance": "support"},
                         "management": {"importance": 4, "stance": "support"}}},
            {"title": f"# Heading goal | pipe {p}", "raised_by": "management",
             "ratings": {"customer": {"importance": 4, "stance": "oppose"},
                         "management": {"importance": 5, "stance": "support"}}},
            {"title": f"Secret goal {p}", "raised_by": "management", "audience": "management"},
        ],
        "issues": [{"title": f"Issue {p}", "unit": f"unit {IMG_PAYLOAD}",
                    "positions": {"customer": {"ideal": 1, "walk_away": 2}}}],
        "agreements": [{"text": f"Agreement {p}"}, {"text": f"Decision {p}", "kind": "decision"}],
        "actions": [{"title": f"Action {p}", "owner": f"Owner {IMG_PAYLOAD}", "due": "2026-12-01"}],
        "notes": [{"text": f"Note {p}"}, {"text": f"Fac note {p}", "audience": "facilitator"}],
    })


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def elements(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(page)
    return parser.tags


@pytest.mark.parametrize("role", ["facilitator", "customer", "management"])
def test_html_and_script_in_every_text_field_is_shown_as_text(workspace: Workspace, role: str) -> None:
    sid = workspace.sessions.create(hostile_session())
    view = workspace.sessions.load(sid, role)
    page = export(workspace, sid, role, "html").path.read_text()
    md = export(workspace, sid, role, "md").path.read_text()
    # HTML: no element from user text: no script, no img but the charts, no event handlers
    # the record adds the frontier of packages; the record and the brief the plan's timeline
    charts = {FACILITATOR: 3, "management": 2}.get(role, 1)
    tags = elements(page)
    assert "<script" not in page.lower() and not [t for t, _ in tags if t == "script"]
    assert [a["src"][:22] for t, a in tags if t == "img"] == ["data:image/png;base64,"] * charts
    assert not [a for _t, a in tags for k in a if k.startswith("on")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    # Markdown: a renderer that passes raw HTML through still makes no element of it
    rendered = mistune.html(md)
    assert "<script" not in rendered.lower() and "onerror" not in "".join(
        str(a) for _t, a in elements(rendered))
    assert [t for t, _ in elements(rendered) if t == "img"] == ["img"] * charts  # the charts alone
    assert "javascript:" not in "".join(str(a) for _t, a in elements(rendered))
    assert_shown_as_text({"html": html_text(page), "md": md_text(md)}, view, role)


def assert_shown_as_text(shown: dict[str, str], view: Session, role: str) -> None:
    for fmt, text in shown.items():
        for t in visible_texts(view):
            assert shows(text, t), f"{fmt}: {t!r} not shown as text"
        assert shows(text, "**bold** [link](javascript:alert(3))"), fmt
    if role == "customer":
        assert all("Secret goal" not in text for text in shown.values())


@pytest.mark.slow
@pytest.mark.parametrize("role", ["facilitator", "customer"])
def test_html_and_script_in_every_text_field_is_text_in_the_pdf(workspace: Workspace, role: str) -> None:
    sid = workspace.sessions.create(hostile_session())
    pdf = pdf_text(export(workspace, sid, role, "pdf").path)
    assert_shown_as_text({"pdf": pdf}, workspace.sessions.load(sid, role), role)


@pytest.mark.parametrize(("raw", "shown"), [
    ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),
    ("a|b", "a\\|b"),
    ("# not a heading", "\\# not a heading"),
    ("- not a list", "\\- not a list"),
    ("1. not a list", "1\\. not a list"),
    ("*x* _y_ `z` [l](u) ![i](s)", "\\*x\\* \\_y\\_ \\`z\\` \\[l\\](u) \\!\\[i\\](s)"),
    ("two\nlines", "two lines"),
    ("&amp;", "&amp;amp;"),
    ("65.4 / 100 on 2026-11-30", "65.4 / 100 on 2026-11-30"),
])
def test_md_escape(raw: str, shown: str) -> None:
    assert md_escape(raw) == shown
    assert md_text(md_escape(raw)) == flat(raw)


# -- PDF -------------------------------------------------------------------------------------
@pytest.mark.slow
def test_the_first_pdf_page_is_not_blank(demo: str, workspace: Workspace, tmp_path: Path) -> None:
    pdf = export(workspace, demo, "customer", "pdf").path
    subprocess.run(["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", str(pdf),
                    str(tmp_path / "page")], check=True, timeout=60)
    png = next(tmp_path.glob("page*.png"))
    pixels = np.asarray(Image.open(png).convert("L"), dtype=float)
    assert pixels.shape[0] > 300
    assert pixels.var() > 200  # a white page has variance 0
    assert (pixels < 128).mean() > 0.01  # some ink: text and the chart


@pytest.mark.slow
def test_a_500_goal_session_exports_to_pdf(workspace: Workspace) -> None:
    goals = [{"id": f"g{n}", "title": f"Goal number {n:03d}", "raised_by": "customer",
              "audience": "management" if n % 10 == 0 else "joint",
              "ratings": {"customer": {"importance": n % 6, "stance": "support"},
                          "management": {"importance": (n * 7) % 6, "stance": "oppose"}}}
             for n in range(500)]
    sid = workspace.sessions.create(parse_session({"title": "Five hundred goals", "goals": goals}))
    pdf = export(workspace, sid, "customer", "pdf").path
    reader = PdfReader(pdf)
    assert len(reader.pages) > 10
    text = pdf_text(pdf)
    assert "Goal number 499" in text and "Goal number 001" in text
    assert "Goal number 490" not in text and "Goal number 000" not in text
    record = pdf_text(export(workspace, sid, FACILITATOR, "pdf").path)
    assert "Goal number 490" in record and "Risk read-out" in record


# -- self-contained HTML, Markdown files, paths ------------------------------------------------
def test_html_is_self_contained(demo: str, workspace: Workspace) -> None:
    page = export(workspace, demo, "facilitator", "html").path.read_text()
    for tag, attrs in elements(page):
        for key in ("src", "href"):
            value = attrs.get(key)
            assert value is None or value.startswith(("data:", "#")), (tag, key, value)
    assert not re.search(r"url\(\s*['\"]?(https?:|//)", page)
    assert "@import" not in page and "http://" not in page and "https://" not in page
    assert "Content-Security-Policy" in page


def test_markdown_writes_its_chart_beside_it(demo: str, workspace: Workspace, tmp_path: Path) -> None:
    done = export(workspace, demo, "management", "md", tmp_path / "brief.md")
    assert [p.name for p in done.files] == ["brief.md", "brief-overlap.png", "brief-plan.png"]
    assert (tmp_path / "brief-overlap.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "](brief-overlap.png)" in (tmp_path / "brief.md").read_text()


def test_exports_default_to_the_workspace_and_are_private(demo: str, workspace: Workspace) -> None:
    done = export(workspace, demo, "management", "html")
    assert done.path == workspace.folder / "exports" / f"{demo}-management.html"
    assert done.path.stat().st_mode & 0o077 == 0
    assert (workspace.folder / "exports").stat().st_mode & 0o077 == 0


def test_no_export_inside_the_served_folder(demo: str, workspace: Workspace) -> None:
    with pytest.raises(InputError, match="which the meeting app serves"):
        export(workspace, demo, "customer", "html", notebooks_dir() / "minutes.html")
    with pytest.raises(InputError, match="inside"):
        check_destination(notebooks_dir() / "sub" / ".." / "x.pdf")
    inside = Path(tempfile.mkdtemp(dir=notebooks_dir(), prefix=".pmkit-test-ws-"))
    try:
        ws = Workspace(inside)
        sid = ws.sessions.import_file(starter_path("undisclosed-risk"))
        with pytest.raises(InputError, match="choose a path outside it"):
            export(ws, sid, "customer", "html")
        ws.close()
        assert not (inside / "exports").exists()
    finally:
        shutil.rmtree(inside)


# -- templates -------------------------------------------------------------------------------
def test_a_workspace_template_overrides_the_shipped_one(demo: str, workspace: Workspace) -> None:
    folder = workspace.folder / "templates" / "reports"
    folder.mkdir(parents=True)
    (folder / "joint_minutes.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block content %}<p>OUR HOUSE STYLE</p>'
        "{% for a in r.actions %}<p>{{ a.text }} / {{ a.owner }}</p>{% endfor %}{% endblock %}")
    customer = export(workspace, demo, "customer", "html").path.read_text()
    assert "OUR HOUSE STYLE" in customer and "Integration lead" in customer
    assert "Common ground" not in customer  # the shipped body was replaced
    brief = export(workspace, demo, "management", "html").path.read_text()
    assert "OUR HOUSE STYLE" in brief  # the brief extends the joint minutes: it follows
    record = export(workspace, demo, "facilitator", "html").path.read_text()
    assert "OUR HOUSE STYLE" in record


def test_a_broken_override_is_a_clear_error(demo: str, workspace: Workspace) -> None:
    folder = workspace.folder / "templates" / "reports"
    folder.mkdir(parents=True)
    (folder / "joint_minutes.md.j2").write_text("{{ r.no_such_field }}")
    with pytest.raises(InputError, match=r"joint_minutes\.md\.j2.*no_such_field.*workspace"):
        export(workspace, demo, "customer", "md")
    (folder / "joint_minutes.md.j2").write_text("{% if %}")
    with pytest.raises(InputError, match=r"joint_minutes\.md\.j2 \(line 1\)"):
        export(workspace, demo, "customer", "md")
    assert not list((workspace.folder / "exports").glob("*.md"))


def test_templates_only_print_the_context(demo: str, workspace: Workspace) -> None:
    ctx = build_context(workspace.sessions.load(demo, "customer"), "customer", session_id=demo, chart=False)
    assert ctx.chart is None and ctx.kind == "minutes" and ctx.banner == ""
    page = render_html(ctx)
    assert "<img" not in page and html.escape(ctx.session_title, quote=False) in page
    assert "Alignment: **65 / 100**" in render_markdown(ctx)  # 65.4: a whole number, as everywhere


def test_the_record_holds_the_risk_read_out_and_no_party_report_does(
    demo: str, workspace: Workspace
) -> None:
    from pmkit.analytics.risk import risk_readout

    readout = risk_readout(workspace.sessions.load(demo, FACILITATOR))
    record = html_text(export(workspace, demo, "facilitator", "html").path.read_text())
    # the level is upper case in print (the stylesheet's text-transform)
    assert f"Risk of meeting jointly now: {readout.level} ({readout.score} points)".lower() in record.lower()
    for reason in readout.reasons:  # long ones are cut: the items are listed below them
        assert shows(record, one_line(reason.text, 400).rstrip("…"))
    assert shows(record, "Withheld from Alder Logistics (customer), and bearing on its goals:")
    for w in readout.withheld:
        if w.bears_on:
            assert shows(record, f"{w.title}") and shows(record, f"bears on: {w.bears_on[0]}")
    for option in readout.options:
        assert shows(record, option.name.capitalize()) and shows(record, option.risks)
    suggested = next(o for o in readout.options if o.suggested)
    assert re.search(re.escape(suggested.name.capitalize()) + r".{0,40}suggested", record)
    for role in ("customer", "management"):
        for fmt in ("html", "md"):
            text = export(workspace, demo, role, fmt).path.read_text()
            assert "Risk read-out" not in text and suggested.risks not in text


@pytest.mark.parametrize("fmt", ["html", PDF])
def test_the_docs_samples_are_the_demo_sessions_reports(workspace: Workspace, demo: str, fmt: str) -> None:
    docs = ROOT / "docs"
    full = workspace.sessions.load(demo, FACILITATOR)
    for role, name in (("facilitator", "facilitator-record"), ("customer", "customer-minutes"),
                       ("management", "management-brief")):
        path = docs / f"undisclosed-risk-{name}.{fmt}"
        assert path.exists(), f"{path} is missing: run scripts/make-docs-samples"
        assert_exactly_what_role_may_see(text_of(path), full, workspace.sessions.load(demo, role), role)


def test_any_number_of_parties(workspace: Workspace) -> None:
    alone = workspace.sessions.create(parse_session({
        "title": "Only us", "parties": [{"id": "customer", "name": "Solo Ltd"}],
        "goals": [{"title": "Ship it", "raised_by": "customer"}]}))
    for fmt in ("html", "md"):
        text = text_of(export(workspace, alone, "customer", fmt).path)
        assert "Ship it" in text and "n/a (the analysis needs two parties)" in text
    three = workspace.sessions.create(parse_session({
        "title": "Three sides",
        "parties": [{"id": "customer", "name": "Buyer"}, {"id": "management", "name": "Board"},
                    {"id": "vendor", "name": "Supplier"}],
        "goals": [{"title": "Vendor margin floor", "raised_by": "vendor", "audience": "vendor"},
                  {"title": "Joint go-live", "raised_by": "customer"}],
        "actions": [{"title": "Price the change", "owner": "Supplier PM", "audience": "vendor"}],
    }))
    vendor = html_text(export(workspace, three, "vendor", "html").path.read_text())
    assert "Minutes Joint meeting Session date" in vendor  # no title for everyone set: the neutral one
    assert "For Supplier only" in vendor and "Price the change" in vendor
    assert "Vendor margin floor Supplier only" in vendor  # marked where it is listed too
    for role in ("customer", "management"):
        text = html_text(export(workspace, three, role, "html").path.read_text())
        assert "Joint go-live" in text and "Vendor margin floor" not in text
        assert "Supplier only" not in text and "Price the change" not in text
    record = html_text(export(workspace, three, "facilitator", "html").path.read_text())
    assert "withheld from Buyer, Board" in record


# -- decision analytics in the facilitator's record ------------------------------------------
@pytest.mark.parametrize("pdf", [False, pytest.param(True, marks=pytest.mark.slow)])
def test_the_record_shows_the_decision_analytics(demo: str, workspace: Workspace, tmp_path: Path, pdf: bool) -> None:
    from pmkit.analytics.bargaining import facts_for
    from pmkit.analytics.decisions import build_report

    full = workspace.sessions.load(demo, FACILITATOR)
    report = build_report(full, facts_for(full.issues, FACILITATOR, {}), FACILITATOR,
                          session_id=demo, version=1)
    s, pk = report.sensitivity, report.packages
    assert s is not None and pk is not None and pk.nash is not None and s.critical
    md_files = export(workspace, demo, FACILITATOR, "md", tmp_path / "record.md").files
    assert [p.name for p in md_files] == ["record.md", "record-overlap.png", "record-frontier.png", "record-plan.png"]
    assert md_files[2].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "](record-frontier.png)" in md_files[0].read_text()
    page = export(workspace, demo, FACILITATOR, "html").path.read_text()
    assert page.count('<img src="data:image/png;base64,') == 3  # overlap, frontier and the plan's timeline
    texts = {"html": html_text(page), "md": text_of(md_files[0])}
    if pdf:
        texts = {"pdf": pdf_text(export(workspace, demo, FACILITATOR, "pdf").path)}
    for fmt, text in texts.items():
        for heading in ("Decision analytics", "Whom to please", "Bargaining ranges", "Packages",
                        "Risk read-out"):
            assert heading in text, (fmt, heading)
        for g in (*s.robust, *s.contested):
            assert shows(text, g.title), (fmt, g.title)
        for c in s.critical:
            assert shows(text, f"w = {c.exact} ({share(c.weight)})"), fmt
        # the facilitator sees each range itself: the demo's two gaps, between the walk-aways
        assert shows(text, "no overlap: a gap of 1.5 weeks between 2 and 3.5"), fmt
        assert shows(text, "no overlap: a gap of 2.5 percent between 12.5 and 15"), fmt
        assert shows(text, "parties' answers to the nearest 2 weeks"), fmt  # the probe step
        assert shows(text, "not known: needs the positions of two parties"), fmt
        for label in ("Nash bargaining point", "Kalai–Smorodinsky point", "Maximum welfare"):
            assert shows(text, label), (fmt, label)
        nash = ", gain ".join((share(pk.nash.utility[0]), share(pk.nash.gain[0], signed=True)))
        assert shows(text, nash), (fmt, nash)
        assert shows(text, "traded goals adopted: Customer buys twenty extra warehouse licences"), fmt
    if not pdf:
        assert texts["html"].index("Risk read-out") < texts["html"].index("Decision analytics") < \
            texts["html"].index("Attendees")


@pytest.mark.parametrize("fmt", FORMATS)
def test_party_reports_gain_no_analytics_and_no_walk_away_of_the_other_side(
    demo: str, workspace: Workspace, fmt: str
) -> None:
    full = workspace.sessions.load(demo, FACILITATOR)
    walk_aways = {pos.walk_away for i in full.issues for p, pos in i.positions.items() if p == "management"}
    assert walk_aways == {3.5, 12.5, 118.25}
    for role in ("customer", "management"):
        paths = {fmt: export(workspace, demo, role, fmt).path}
        for fmt, path in paths.items():
            text = text_of(path)
            for heading in ("Decision analytics", "Whom to please", "Bargaining ranges", "Nash",
                            "Kalai", "welfare", "Risk read-out"):
                assert heading not in text, (role, fmt, heading)
            if role == "customer":
                for value in walk_aways:
                    assert not re.search(rf"(?<![\d.]){re.escape(_num(value))}(?![\d])", text), (fmt, value)
        if fmt == "html":
            assert "frontier" not in paths["html"].read_text()
    md = export(workspace, demo, "customer", "md")
    assert [p.name for p in md.files] == [f"{demo}-customer.md", f"{demo}-customer-overlap.png"]
