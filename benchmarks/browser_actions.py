"""What the browser benchmark does on the page: change a rating and time the chart."""

from __future__ import annotations

import time
from typing import Any

CHART = "img.pmkit-overlap-chart"


def rating_change_latencies(page: Any, n: int) -> list[float]:
    """Seconds from choosing a new importance to the overlap chart's image changing."""
    page.locator(".lm-TabBar-tab", has_text="Goals").first.click()
    select = page.locator(".pmkit-goal-select select")
    select.wait_for(state="visible", timeout=60_000)
    labels = select.locator("option").all_inner_texts()
    out: list[float] = []
    for i in range(n):
        select.select_option(label=labels[i % len(labels)])
        page.wait_for_function(
            "(t) => document.querySelector('.pmkit-goal-detail').textContent.includes(t)",
            arg=labels[i % len(labels)].replace("\xa0", " ").split("  [")[0][:40], timeout=30_000)
        importance = page.locator(".pmkit-importance select").first
        current = importance.evaluate("(s) => s.options[s.selectedIndex].text")
        new = "0" if current != "0" else "5"
        before = page.get_attribute(CHART, "src")
        t0 = time.perf_counter()
        importance.select_option(label=new)
        page.wait_for_function(f"(b) => document.querySelector('{CHART}').getAttribute('src') !== b",
                               arg=before, timeout=30_000, polling="raf")
        out.append(time.perf_counter() - t0)
    return out
