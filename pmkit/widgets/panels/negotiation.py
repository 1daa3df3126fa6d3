"""The meeting app's negotiation panel: whom to please, bargaining ranges, the frontier of
packages and, for the facilitator only, the risk read-out.

The role is fixed when the panel is built (from the signed link, never from a widget).
Everything shown comes from the role's own view and the range facts the store releases
for it (:func:`pmkit.views.bargaining_ranges.range_facts`): a party sees whether a bargaining range
exists, never the other side's values, and its what-if questions follow the probe rule
(:mod:`pmkit.analytics.bargaining`). For a party the risk widgets and the range chart are
never created, so nothing of them can reach its page. Every user string is escaped before
it becomes HTML; failures are one line in the board's status line, never a traceback.
"""

from __future__ import annotations

import ipywidgets as widgets

from pmkit.analytics.bargaining import PROBE_BUDGET, RangeFact
from pmkit.analytics.decisions import DecisionReport, build_report
from pmkit.analytics.wording import DecisionWords, capitalised, decision_words, probe_text
from pmkit.charts.alt import frontier_alt, ranges_alt
from pmkit.charts.negotiation import frontier_chart, ranges_chart
from pmkit.charts.style import SCREEN_COMPRESS, to_png
from pmkit.errors import InputError
from pmkit.i18n import N_, _
from pmkit.model import FACILITATOR, Session
from pmkit.rules.disclosure_plan import warn_days
from pmkit.text import count
from pmkit.views.bargaining_ranges import range_facts
from pmkit.widgets.common import FormButton, FormFloatText
from pmkit.widgets.context import BoardContext
from pmkit.widgets.edge import esc, guarded
from pmkit.widgets.look import BAD, GOOD, MUTED, WARN, ChartImage, chart_image, heading, show_chart
from pmkit.widgets.panels.base import PanelBase

__all__ = ["NegotiationPanel"]

_TONES = {"exists": GOOD, "none": BAD}  # the rest: MUTED
_WORKING = N_("Working out the analysis…")
_RISK_LEVELS = {"low": N_("LOW"), "medium": N_("MEDIUM"), "high": N_("HIGH")}


class NegotiationPanel(PanelBase):
    """Decision analytics for the board's role; display ``.widget``.

    The analysis is the costliest drawing of the board: in a kernel its first draw waits
    until the page is up and the panel's tab is shown
    (:meth:`~pmkit.widgets.panels.base.PanelBase.draw_soon`).
    """

    def __init__(self, context: BoardContext) -> None:
        super().__init__(context)
        role = self.role
        self._shown: tuple[int, int] | None = None  # (version, k) last drawn
        self._drawn: dict[str, object] = {}  # what each chart shows now
        self.report: DecisionReport | None = None
        self.top = widgets.BoundedIntText(value=3, min=1, max=20, description=_("Top goals"), layout={"width": "12em"})
        self.top.observe(self._on_top, names="value")
        self.note = widgets.HTML(f'<p class="pmkit-muted">{_(_WORKING)}</p>')
        self.whom = widgets.HTML()
        self.ranges = widgets.HTML()
        self.frontier = chart_image("pmkit-frontier-chart", max_width="640px")
        self.packages = widgets.HTML()
        parts: list[widgets.Widget] = [
            self.note,
            widgets.HTML(heading(_("Whom to please"))), self.top, self.whom,
            widgets.HTML(heading(_("Bargaining ranges"))), self.ranges,
        ]
        self.range_chart: ChartImage | None = None
        self.risk: widgets.HTML | None = None
        self.probe_issue: widgets.Dropdown | None = None
        self.probe_value: widgets.FloatText | None = None
        self.probe_button: widgets.Button | None = None
        self.probe_answer: widgets.HTML | None = None
        if role == FACILITATOR:
            self.range_chart = chart_image("pmkit-ranges-chart", max_width="720px")
            parts.append(self.range_chart)
        else:
            self.probe_issue = widgets.Dropdown(description=_("What if"), layout={"width": "22em"})
            self.probe_value = FormFloatText(description=_("value"), layout={"width": "12em"})
            self.probe_button = FormButton(fields=[self.probe_value], description=_("Ask"), icon="question",
                                           tooltip=_("{n} questions per issue").format(n=count(PROBE_BUDGET)))
            self.probe_button.on_click(lambda _button: self.ask())
            self.probe_answer = widgets.HTML()
            parts += [widgets.HBox([self.probe_issue, self.probe_value, self.probe_button]), self.probe_answer]
        parts += [widgets.HTML(heading(_("Packages"))), self.frontier, self.packages]
        if role == FACILITATOR:
            self.risk = widgets.HTML()
            parts += [widgets.HTML(heading(_("Risk read-out (facilitator only)"))), self.risk]
        self.widget = widgets.VBox(parts)
        self.widget.add_class("pmkit-negotiation")
        self.draw_soon()

    # -- callbacks (each one behind the page's error edge) ----------------------------------
    @guarded
    def _on_top(self, _change: object) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Reload the role's view and redraw (only when the session or the top k changed)."""
        if self._closed:
            return
        version = self.ctx.version()
        k = int(self.top.value)
        if self._shown == (version, k):
            return
        view = self.ctx.session()
        facts = range_facts(self.store, self.session_id, self.role)
        report = build_report(view, facts, self.role, session_id=self.session_id, version=version, k=k,
                              near_days=warn_days())
        self._render(view, report)
        self.report, self._shown = report, (version, k)
        self.note.value = ""

    @guarded
    def ask(self) -> RangeFact | None:
        """Ask the what-if question set in the widgets (a party only); returns the fact, or
        None when the question is refused (none left, no issue chosen: the status line says
        why)."""
        if self.role == FACILITATOR or self.probe_issue is None or self.probe_value is None:
            return None
        assert self.probe_answer is not None
        self.probe_answer.value = ""
        issue = self.probe_issue.value
        if not issue:
            raise InputError(_("choose an issue to ask about first"))
        facts = range_facts(self.store, self.session_id, self.role,
                            probe=(str(issue), float(self.probe_value.value)))
        fact = facts[str(issue)]
        probe = fact.probe
        if probe is None:  # pragma: no cover - range_facts always answers the asked issue
            return None
        self.probe_answer.value = f"{esc(fact.title)}: {esc(probe_text(fact))}"
        self._shown = None
        self.refresh()
        return fact

    # -- drawing ----------------------------------------------------------------------------
    def _render(self, view: Session, report: DecisionReport) -> None:
        names = {p.id: p.name for p in view.parties}
        words = decision_words(report, {**{g.id: g.title for g in view.goals},
                                        **{i.id: i.title for i in view.issues},
                                        **{o.id: o.title for o in view.option_issues}}, names)
        self.whom.value = self._whom_html(words)
        self.ranges.value = self._ranges_html(words)
        if self.probe_issue is not None:
            options = tuple((f.title, f.issue_id) for f in report.ranges)
            if tuple(self.probe_issue.options) != options:
                self.probe_issue.options = options
        if self.range_chart is not None:
            rngs = [f.range for f in report.ranges if f.range is not None]
            key: object = (tuple(rngs), tuple(names.items()))
            if key != self._drawn.get("ranges"):  # a chart is redrawn only when what it shows changed
                png = to_png(ranges_chart(rngs, names, theme=self.ctx.theme, presenter=self.ctx.presenter),
                             compress=SCREEN_COMPRESS)
                show_chart(self.range_chart, png, ranges_alt(rngs, names))
                self._drawn["ranges"] = key
        pk = report.packages
        if pk is not None:
            key = (pk.parties, pk.pareto, pk.nash, pk.kalai_smorodinsky, pk.max_welfare, tuple(names.items()))
            if key != self._drawn.get("frontier"):
                png = to_png(frontier_chart(pk, names, theme=self.ctx.theme, presenter=self.ctx.presenter),
                             compress=SCREEN_COMPRESS)
                show_chart(self.frontier, png, frontier_alt(pk, names))
                self._drawn["frontier"] = key
            self.packages.value = self._packages_html(words)
        else:
            self.packages.value = esc(words.packages)
        if self.risk is not None:
            self.risk.value = self._risk_html(words)

    @staticmethod
    def _whom_html(words: DecisionWords) -> str:
        rows = [f"<p>{esc(words.whom)}</p>"]
        if words.robust or words.contested or words.critical:
            robust = "; ".join(esc(g.subject) for g in words.robust) or _("none")
            rows.append("<ul><li><b>" + _("In the top at every weight:") + f"</b> {robust}</li>")
            contested = _("Contested:")
            rows += [f"<li><b>{contested}</b> {esc(g.subject)} ({esc(g.text)})</li>" for g in words.contested]
            rows += ["<li><b>" + _("At {subject}").format(subject=esc(c.subject)) + f"</b> {esc(c.text)}</li>"
                     for c in words.critical]
            rows.append("</ul>")
        return "".join(rows)

    @staticmethod
    def _ranges_html(words: DecisionWords) -> str:
        if not words.ranges:
            return _("No numeric issues.")
        rows = ["<ul>"]
        for r in words.ranges:
            unit = f" [{esc(r.unit)}]" if r.unit else ""
            text = esc(r.text) if r.status in ("range", "gap", "not known") else (
                f'<span class="{_TONES.get(r.status, MUTED)}">{esc(r.text)}</span>')
            rows.append(f"<li>{esc(r.subject)}{unit}: {text}</li>")
        rows.append("</ul>")
        return "".join(rows)

    @staticmethod
    def _packages_html(words: DecisionWords) -> str:
        rows = [f"<p>{esc(words.packages)}</p><ul>"]
        for p in words.points:
            sat = ", ".join(f"{esc(name)} {u} ({gain})" for name, (u, gain) in zip(words.party_names, p.cells,
                                                                                   strict=True))
            same = f" ({esc(p.same_as)})" if p.same_as else ""
            rows.append(f"<li><b>{esc(p.label)}</b>{same}: {sat}. {esc(capitalised(p.settles))}</li>")
        rows += ["<li>" + _("Left out {subject}: {text}").format(subject=esc(x.subject), text=esc(x.text)) + "</li>"
                 for x in words.left_out]
        rows.append("</ul>")
        return "".join(rows)

    @staticmethod
    def _risk_html(words: DecisionWords) -> str:
        rk = words.risk
        if rk is None:
            return esc("; ".join(words.notes))
        tone = {"low": GOOD, "medium": WARN, "high": BAD}[rk.level]
        level = _(_RISK_LEVELS[rk.level]) if rk.level in _RISK_LEVELS else rk.level.upper()
        rows = ["<p>" + _("Risk:") + f' <b class="{tone}">{level}</b> ({esc(rk.score)})</p><ul>']
        rows += [f"<li>{esc(r)}</li>" for r in rk.reasons]
        rows.append("</ul><p>" + _("Options:") + "</p><ul>")
        for o in rk.options:
            mark = " <b>(" + _("suggested") + ")</b>" if o.suggested else ""
            detail = _("when {when}. Risks: {risks}.").format(when=esc(o.when), risks=esc(o.risks))
            rows.append(f"<li><b>{esc(o.name)}</b>{mark}: {detail}</li>")
        rows.append("</ul>")
        return "".join(rows)
