"""The meeting app's negotiation panel: whom to please, bargaining ranges, the frontier of
packages and, for the facilitator only, the risk read-out.

The role is fixed when the panel is built (from the signed link, never from a widget).
Everything shown comes from the role's own view and the range facts the store releases
for it (:meth:`pmkit.store.Workspace.range_facts`): a party sees whether a bargaining range
exists, never the other side's values, and its what-if questions follow the probe rule
(:mod:`pmkit.bargaining`). For a party the risk widgets and the range chart are never
created, so nothing of them can reach its page. Every user string is escaped before it
becomes HTML; failures show one short line, never a traceback.
"""

from __future__ import annotations

import asyncio
import html
import threading

import ipywidgets as widgets

from pmkit.analytics.bargaining import PROBE_BUDGET, RangeFact
from pmkit.analytics.decisions import DecisionReport, build_report
from pmkit.analytics.wording import DecisionWords, capitalised, decision_words, probe_text
from pmkit.charts.negotiation import frontier_chart, ranges_chart
from pmkit.charts.style import to_png
from pmkit.errors import PmkitError
from pmkit.model import FACILITATOR, Session
from pmkit.store import Workspace

__all__ = ["NegotiationPanel"]

_COLOURS = {"exists": "#009E73", "none": "#D55E00"}  # the rest: "#6B6B6B"


def _e(text: object) -> str:
    return html.escape(str(text))


def _tree(w: widgets.Widget) -> list[widgets.Widget]:
    out = [w]
    for child in getattr(w, "children", ()):
        out.extend(_tree(child))
    return out


class NegotiationPanel:
    """Decision analytics for ``role`` on session ``session_id``; display ``.widget``."""

    def __init__(self, store: Workspace, session_id: str, role: str, *, theme: str = "light",
                 presenter: bool = False) -> None:
        self._store = store
        self._session_id = session_id
        self._role = role
        self._theme = theme
        self._presenter = presenter
        self._lock = threading.RLock()
        self._shown: tuple[int, int] | None = None  # (version, k) last drawn
        self._drawn: dict[str, object] = {}  # what each chart shows now
        self.report: DecisionReport | None = None
        self.top = widgets.BoundedIntText(value=3, min=1, max=20, description="Top", layout={"width": "9em"})
        self.top.observe(self._on_top, names="value")
        self.whom = widgets.HTML()
        self.ranges = widgets.HTML()
        self.frontier = widgets.Image(format="png", layout={"max_width": "640px"})
        self.packages = widgets.HTML()
        self.status = widgets.HTML()
        parts: list[widgets.Widget] = [
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
            self.probe_button.on_click(lambda _b: self.ask())
            self.probe_answer = widgets.HTML()
            parts += [widgets.HBox([self.probe_issue, self.probe_value, self.probe_button]), self.probe_answer]
        parts += [widgets.HTML("<b>Packages</b>"), self.frontier, self.packages]
        if role == FACILITATOR:
            self.risk = widgets.HTML()
            parts += [widgets.HTML("<b>Risk read-out</b> (facilitator only)"), self.risk]
        parts.append(self.status)
        self.widget = widgets.VBox(parts)
        self.widget.add_class("pmkit-negotiation")
        self._closed = False
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # plain scripts and tests: draw now
            self.refresh()
        else:  # in a kernel: draw once the page is up, so the board opens without waiting
            self.status.value = "Working out the analysis…"
            loop.call_soon(self.refresh)

    def close(self) -> None:
        """Close every widget of the panel; a pending first draw is dropped."""
        self._closed = True
        for w in reversed(_tree(self.widget)):
            w.close()

    # -- callbacks (the edge: no traceback reaches the page) --------------------------------
    def _on_top(self, _change: object) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Reload the role's view and redraw (only when the session or the top k changed)."""
        with self._lock:
            if self._closed:
                return
            try:
                version = self._store.version(self._session_id)
                k = int(self.top.value)
                if self._shown == (version, k):
                    return
                view = self._store.load(self._session_id, self._role)
                facts = self._store.range_facts(self._session_id, self._role)
                report = build_report(view, facts, self._role, session_id=self._session_id,
                                      version=version, k=k)
                self._render(view, report)
                self.report, self._shown = report, (version, k)
                self.status.value = ""
            except PmkitError as exc:
                self._say(str(exc), error=True)
            except Exception as exc:  # noqa: BLE001 - the edge
                self._say(f"The analysis could not be shown ({type(exc).__name__}).", error=True)

    def ask(self) -> RangeFact | None:
        """Ask the what-if question set in the widgets (a party only); returns the fact."""
        if self._role == FACILITATOR or self.probe_issue is None or self.probe_value is None:
            return None
        assert self.probe_answer is not None
        with self._lock:
            try:
                issue = self.probe_issue.value
                if not issue:
                    self.probe_answer.value = "Choose an issue first."
                    return None
                facts = self._store.range_facts(self._session_id, self._role,
                                                probe=(str(issue), float(self.probe_value.value)))
                fact = facts[str(issue)]
                probe = fact.probe
                if probe is None:  # pragma: no cover - range_facts always answers the asked issue
                    return None
                self.probe_answer.value = f"{_e(fact.title)}: {_e(probe_text(fact))}"
                self._shown = None
                self.refresh()
                return fact
            except PmkitError as exc:
                self.probe_answer.value = f'<span style="color:#B00020">{_e(exc)}</span>'
            except Exception as exc:  # noqa: BLE001 - the edge
                self.probe_answer.value = f"The question could not be asked ({_e(type(exc).__name__)})."
            return None

    # -- drawing ----------------------------------------------------------------------------
    def _say(self, text: str, *, error: bool = False) -> None:
        colour = "#B00020" if error else "#1A1A1A"
        self.status.value = f'<span style="color:{colour}">{_e(text)}</span>'

    def _render(self, view: Session, report: DecisionReport) -> None:
        names = {p.id: p.name for p in view.parties}
        words = decision_words(report, {**{g.id: g.title for g in view.goals},
                                        **{i.id: i.title for i in view.issues}}, names)
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
                self.range_chart.value = to_png(ranges_chart(rngs, names, theme=self._theme,
                                                             presenter=self._presenter))
                self._drawn["ranges"] = key
        pk = report.packages
        if pk is not None:
            key = (pk.parties, pk.pareto, pk.nash, pk.kalai_smorodinsky, pk.max_welfare, tuple(names.items()))
            if key != self._drawn.get("frontier"):
                self.frontier.value = to_png(frontier_chart(pk, names, theme=self._theme,
                                                            presenter=self._presenter))
                self._drawn["frontier"] = key
            self.packages.value = self._packages_html(words)
        else:
            self.packages.value = _e(words.packages)
        if self.risk is not None:
            self.risk.value = self._risk_html(words)

    @staticmethod
    def _whom_html(words: DecisionWords) -> str:
        rows = [f"<p>{_e(words.whom)}</p>"]
        if words.robust or words.contested or words.critical:
            robust = "; ".join(_e(g.subject) for g in words.robust) or "none"
            rows.append(f"<ul><li><b>In the top at every weight:</b> {robust}</li>")
            rows += [f"<li><b>Contested:</b> {_e(g.subject)} ({_e(g.text)})</li>" for g in words.contested]
            rows += [f"<li><b>At {_e(c.subject)}</b> {_e(c.text)}</li>" for c in words.critical]
            rows.append("</ul>")
        return "".join(rows)

    @staticmethod
    def _ranges_html(words: DecisionWords) -> str:
        if not words.ranges:
            return "No numeric issues."
        rows = ["<ul>"]
        for r in words.ranges:
            unit = f" [{_e(r.unit)}]" if r.unit else ""
            colour = _COLOURS.get(r.status, "#6B6B6B")
            text = _e(r.text) if r.status in ("range", "gap", "not known") else (
                f'<span style="color:{colour}">{_e(r.text)}</span>')
            rows.append(f"<li>{_e(r.subject)}{unit}: {text}</li>")
        rows.append("</ul>")
        return "".join(rows)

    @staticmethod
    def _packages_html(words: DecisionWords) -> str:
        rows = [f"<p>{_e(words.packages)}</p><ul>"]
        for p in words.points:
            sat = ", ".join(f"{_e(name)} {u} ({gain})" for name, (u, gain) in zip(words.party_names, p.cells,
                                                                                   strict=True))
            same = f" ({_e(p.same_as)})" if p.same_as else ""
            rows.append(f"<li><b>{_e(p.label)}</b>{same}: {sat}. {_e(capitalised(p.settles))}</li>")
        rows += [f"<li>Left out {_e(x.subject)}: {_e(x.text)}</li>" for x in words.left_out]
        rows.append("</ul>")
        return "".join(rows)

    @staticmethod
    def _risk_html(words: DecisionWords) -> str:
        rk = words.risk
        if rk is None:
            return _e("; ".join(words.notes))
        colour = {"low": "#009E73", "medium": "#E69F00", "high": "#D55E00"}[rk.level]
        rows = [f'<p>Risk: <b style="color:{colour}">{rk.level.upper()}</b> ({_e(rk.score)})</p><ul>']
        rows += [f"<li>{_e(r)}</li>" for r in rk.reasons]
        rows.append("</ul><p>Options:</p><ul>")
        for o in rk.options:
            mark = " <b>(suggested)</b>" if o.suggested else ""
            rows.append(f"<li><b>{_e(o.name)}</b>{mark}: when {_e(o.when)}. Risks: {_e(o.risks)}.</li>")
        rows.append("</ul>")
        return "".join(rows)
