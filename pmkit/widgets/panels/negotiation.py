"""The meeting app's negotiation panel: whom to please, bargaining ranges, the frontier of
packages and, for the facilitator only, the risk read-out.

The role is fixed when the panel is built (from the signed link, never from a widget).
Everything shown comes from the role's own view and the range facts the store releases
for it (:func:`pmkit.negotiation.range_facts`): a party sees whether a bargaining range
exists, never the other side's values, and its what-if questions follow the probe rule
(:mod:`pmkit.analytics.bargaining`). For a party the risk widgets and the range chart are
never created, so nothing of them can reach its page. Every user string is escaped before
it becomes HTML; failures are one line in the board's status line, never a traceback.
"""

from __future__ import annotations

from collections.abc import Mapping

import ipywidgets as widgets

from pmkit.analytics.bargaining import PROBE_BUDGET, RangeFact
from pmkit.analytics.decisions import DecisionReport, build_report
from pmkit.charts.negotiation import frontier_chart, ranges_chart
from pmkit.charts.style import to_png
from pmkit.errors import InputError
from pmkit.model import FACILITATOR, Session
from pmkit.negotiation import range_facts
from pmkit.widgets.context import BoardContext
from pmkit.widgets.edge import esc, guarded
from pmkit.widgets.panels.base import PanelBase

__all__ = ["NegotiationPanel"]

_EXISTS = {
    "exists": ("a bargaining range exists", "#009E73"),
    "none": ("no bargaining range", "#D55E00"),
    "close": ("too close to call: within one step of the other side's limit", "#6B6B6B"),
    "incomplete": ("not known yet: positions are missing", "#6B6B6B"),
}
_ANSWERS = {
    "yes": "yes, acceptable to the other side",
    "no": "no, beyond the other side's limit",
    "close": "too close to call: within one step of their limit",
    "unknown": "unknown: the other side has not given a limit",
}
_WORKING = '<p class="pmkit-muted">Working out the analysis…</p>'


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
        self.top = widgets.BoundedIntText(value=3, min=1, max=20, description="Top", layout={"width": "9em"})
        self.top.observe(self._on_top, names="value")
        self.note = widgets.HTML(_WORKING)
        self.whom = widgets.HTML()
        self.ranges = widgets.HTML()
        self.frontier = widgets.Image(format="png", layout={"max_width": "640px"})
        self.packages = widgets.HTML()
        parts: list[widgets.Widget] = [
            self.note,
            widgets.HTML("<b>Whom to please</b>"), self.top, self.whom,
            widgets.HTML("<b>Bargaining ranges</b>"), self.ranges,
        ]
        self.range_chart: widgets.Image | None = None
        self.risk: widgets.HTML | None = None
        self.probe_issue: widgets.Dropdown | None = None
        self.probe_value: widgets.FloatText | None = None
        self.probe_button: widgets.Button | None = None
        self.probe_answer: widgets.HTML | None = None
        if role == FACILITATOR:
            self.range_chart = widgets.Image(format="png", layout={"max_width": "720px"})
            parts.append(self.range_chart)
        else:
            self.probe_issue = widgets.Dropdown(description="What if", layout={"width": "22em"})
            self.probe_value = widgets.FloatText(description="value", layout={"width": "12em"})
            self.probe_button = widgets.Button(description="Ask", icon="question",
                                               tooltip=f"{PROBE_BUDGET} questions per issue")
            self.probe_button.on_click(lambda _button: self.ask())
            self.probe_answer = widgets.HTML()
            parts += [widgets.HBox([self.probe_issue, self.probe_value, self.probe_button]), self.probe_answer]
        parts += [widgets.HTML("<b>Packages</b>"), self.frontier, self.packages]
        if role == FACILITATOR:
            self.risk = widgets.HTML()
            parts += [widgets.HTML("<b>Risk read-out</b> (facilitator only)"), self.risk]
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
        report = build_report(view, facts, self.role, session_id=self.session_id, version=version, k=k)
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
            raise InputError("choose an issue to ask about first")
        facts = range_facts(self.store, self.session_id, self.role,
                            probe=(str(issue), float(self.probe_value.value)))
        fact = facts[str(issue)]
        probe = fact.probe
        if probe is None:  # pragma: no cover - range_facts always answers the asked issue
            return None
        self.probe_answer.value = (
            f"{esc(fact.title)}: {probe.value:g} {esc(fact.unit)} — {esc(_ANSWERS[probe.answer])} "
            f"<i>(answers to the nearest {fact.step:g}; {probe.probes_left} question(s) left)</i>"
        )
        self._shown = None
        self.refresh()
        return fact

    # -- drawing ----------------------------------------------------------------------------
    def _render(self, view: Session, report: DecisionReport) -> None:
        names = {p.id: p.name for p in view.parties}
        titles = {g.id: g.title for g in view.goals}
        self.whom.value = self._whom_html(report, names, titles)
        self.ranges.value = self._ranges_html(report)
        if self.probe_issue is not None:
            options = tuple((f.title, f.issue_id) for f in report.ranges)
            if tuple(self.probe_issue.options) != options:
                self.probe_issue.options = options
        if self.range_chart is not None:
            rngs = [f.range for f in report.ranges if f.range is not None]
            key: object = (tuple(rngs), tuple(names.items()))
            if key != self._drawn.get("ranges"):  # a chart is redrawn only when what it shows changed
                self.range_chart.value = to_png(ranges_chart(rngs, names, theme=self.ctx.theme,
                                                             presenter=self.ctx.presenter))
                self._drawn["ranges"] = key
        pk = report.packages
        if pk is not None:
            key = (pk.parties, pk.pareto, pk.nash, pk.kalai_smorodinsky, pk.max_welfare, tuple(names.items()))
            if key != self._drawn.get("frontier"):
                self.frontier.value = to_png(frontier_chart(pk, names, theme=self.ctx.theme,
                                                            presenter=self.ctx.presenter))
                self._drawn["frontier"] = key
            self.packages.value = self._packages_html(report, names, titles)
        else:
            self.packages.value = esc("; ".join(report.notes))
        if self.risk is not None:
            self.risk.value = self._risk_html(report)

    @staticmethod
    def _whom_html(report: DecisionReport, names: Mapping[str, str], titles: Mapping[str, str]) -> str:
        s = report.sensitivity
        if s is None:
            return esc("; ".join(report.notes) or "needs two parties")
        a, b = (names.get(p, p) for p in s.pair)
        rows = [f"<p>As the weight moves from all on {esc(b)} (0) to all on {esc(a)} (1):</p><ul>"]
        robust = "; ".join(esc(g.title) for g in s.robust) or "none"
        rows.append(f"<li><b>In the top {s.k} at every weight:</b> {robust}</li>")
        for g in s.contested:
            spans = ", ".join(f"{lo:.2f}–{hi:.2f}" for lo, hi in g.in_top_k) or "only at a tie"
            rows.append(f"<li><b>Contested:</b> {esc(g.title)} (in the top {s.k} for weights {spans})</li>")
        for c in s.critical:
            up = "; ".join(esc(titles.get(x, x)) for x in c.above_after)
            down = "; ".join(esc(titles.get(x, x)) for x in c.above_before)
            rows.append(f"<li><b>At w = {esc(c.exact)}</b> ({c.weight:.3f}) {up} overtakes {down}</li>")
        rows.append("</ul>")
        return "".join(rows)

    @staticmethod
    def _ranges_html(report: DecisionReport) -> str:
        if not report.ranges:
            return "No numeric issues."
        rows = ["<ul>"]
        for f in report.ranges:
            unit = f" [{esc(f.unit)}]" if f.unit else ""
            if f.range is not None:
                r = f.range
                rows.append(f"<li>{esc(f.title)}{unit}: {esc(r.reason)}</li>")
            else:
                text, colour = _EXISTS[f.exists]
                rows.append(f'<li>{esc(f.title)}{unit}: <span style="color:{colour}">{esc(text)}</span></li>')
        rows.append("</ul>")
        return "".join(rows)

    @staticmethod
    def _packages_html(report: DecisionReport, names: Mapping[str, str], titles: Mapping[str, str]) -> str:
        pk = report.packages
        assert pk is not None
        rows = [f"<p>{esc(pk.note)}; {len(pk.pareto)} efficient.</p><ul>"]
        for label, p in (("Nash", pk.nash), ("Kalai–Smorodinsky", pk.kalai_smorodinsky),
                         ("Maximum welfare", pk.max_welfare)):
            if p is None:
                continue
            sat = ", ".join(f"{esc(names.get(x, x))} {u:.2f}" for x, u in zip(pk.parties, p.utility, strict=True))
            traded = "; ".join(esc(titles.get(g, g)) for g in p.goals_in if g in pk.traded) or "none"
            vals = "; ".join(f"{esc(titles.get(i, i))} = {v:g}" for i, v in p.values)
            rows.append(f"<li><b>{label}</b>: {sat}. Traded goals in: {traded}."
                        f"{' Values: ' + vals + '.' if vals else ''}</li>")
        for issue_id, why in pk.left_out:
            rows.append(f"<li>Left out {esc(titles.get(issue_id, issue_id))}: {esc(why)}</li>")
        rows.append("</ul>")
        return "".join(rows)

    @staticmethod
    def _risk_html(report: DecisionReport) -> str:
        rk = report.risk
        if rk is None:
            return esc("; ".join(report.notes))
        colour = {"low": "#009E73", "medium": "#E69F00", "high": "#D55E00"}[rk.level]
        rows = [f'<p>Risk: <b style="color:{colour}">{rk.level.upper()}</b> ({rk.score} points)</p><ul>']
        rows += [f"<li>{esc(r.text)} (+{r.points})</li>" for r in rk.reasons]
        rows.append("</ul><p>Options:</p><ul>")
        for o in rk.options:
            mark = " <b>(suggested)</b>" if o.suggested else ""
            rows.append(f"<li><b>{esc(o.name)}</b>{mark}: when {esc(o.when)}. Risks: {esc(o.risks)}.</li>")
        rows.append("</ul>")
        return "".join(rows)
