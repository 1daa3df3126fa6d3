"""What the browser benchmark does on the page: change a rating and time the chart."""

from __future__ import annotations

import time
from typing import Any

CHART = "img.pmkit-overlap-chart"

# In the page: the time of the importance drop-down's change event, and of the chart's new
# picture (its src attribute), on the page's own clock; the driver's round trips excluded.
_WATCH = """(chart) => {
  window.__pmkit = {changed: null, drawn: null};
  const img = document.querySelector(chart);
  new MutationObserver(() => { if (window.__pmkit.changed !== null && window.__pmkit.drawn === null) {
    window.__pmkit.drawn = performance.now(); } }).observe(img, {attributes: true, attributeFilter: ['src']});
  document.addEventListener('change', (e) => {
    if (e.target.closest('.pmkit-importance')) {
      window.__pmkit.changed = performance.now();
      window.__pmkit.drawn = null;
    }
  }, true);
}"""


# The goal ``t`` is shown whole: its title in the detail, and the first party's importance
# drop-down showing the importance the detail's table gives (the rows are updated after the
# detail; a choice made before they are would be undone by their update, and never saved).
_SHOWN = """(t) => {
  const detail = document.querySelector('.pmkit-goal-detail');
  const cell = detail && detail.querySelector('tbody tr td:nth-child(2)');
  const s = document.querySelector('.pmkit-importance select');
  return Boolean(detail && detail.textContent.includes(t) && cell && s && s.selectedIndex >= 0
    && s.options[s.selectedIndex].text.trim() === cell.textContent.trim());
}"""


def rating_change_latencies(page: Any, n: int) -> tuple[list[float], list[float]]:
    """Seconds from choosing a new importance to the overlap chart's image changing: as the
    page's own clock sees it (change event to new ``src``), and as the driver sees it (its
    command sent to the new ``src`` seen, which adds Playwright's round trips)."""
    page.locator(".lm-TabBar-tab", has_text="Goals").first.click()
    select = page.locator(".pmkit-goal-select select")
    select.wait_for(state="visible", timeout=60_000)
    labels = select.locator("option").all_inner_texts()
    page.evaluate(_WATCH, CHART)
    in_page: list[float] = []
    driver: list[float] = []
    for i in range(n):
        select.select_option(label=labels[i % len(labels)])
        page.wait_for_function(_SHOWN, arg=labels[i % len(labels)].replace("\xa0", " ").split("  [")[0][:40],
                               timeout=30_000)
        importance = page.locator(".pmkit-importance select").first
        current = importance.evaluate("(s) => s.options[s.selectedIndex].text")
        new = "0" if current != "0" else "5"
        before = page.get_attribute(CHART, "src")
        t0 = time.perf_counter()
        importance.select_option(label=new)
        page.wait_for_function(f"(b) => document.querySelector('{CHART}').getAttribute('src') !== b",
                               arg=before, timeout=30_000, polling="raf")
        driver.append(time.perf_counter() - t0)
        page.wait_for_function("() => window.__pmkit.drawn !== null", timeout=30_000)
        in_page.append(page.evaluate("() => (window.__pmkit.drawn - window.__pmkit.changed) / 1000"))
    return in_page, driver
