"""Nothing moves when the checklist starts (issue 13: CLS 0 on phones).

The home page and the largest group page (from data/tasks.yaml) on a first visit, at a
phone's and a desktop's width: the layout-shift entries Chromium reports from the first paint
until the checklist has enhanced the page must add up to 0. The page reserves the room of
what the script shows (drejebog.css, ``html.drb-mjs``) and has its first-visit texts
(drejebog.firstview); a row, box or column that appears, or a text that differs, fails here
with the elements that moved.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from drejebog import load_runbook

ROOT = Path(__file__).resolve().parents[2]
RUNBOOK = load_runbook(ROOT / "data" / "tasks.yaml")
LARGEST = max(RUNBOOK.groups, key=lambda g: len(g.tasks))

# Every layout shift from the start of the page (buffered), with what moved.
OBSERVE = """
window.__drbShifts = [];
window.__drbShiftObserver = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__drbShifts.push(e);
});
window.__drbShiftObserver.observe({ type: "layout-shift", buffered: true });
"""

# After two more frames (a shift is reported with the frame that shows it): the entries
# delivered and those still queued, each with its value and the elements that moved.
SHIFTS = """
() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => {
  const all = [...window.__drbShifts, ...window.__drbShiftObserver.takeRecords()];
  const name = (n) => n ? n.nodeName.toLowerCase() + (n.className ? "." + String(n.className).trim().split(/\\s+/).join(".") : "")
    + " " + (n.textContent || "").trim().slice(0, 40) : "(gone)";
  resolve(all.map((e) => ({ value: e.value, recent: e.hadRecentInput,
    moved: e.sources.map((s) => name(s.node) + " " + JSON.stringify(s.previousRect) + " -> " + JSON.stringify(s.currentRect)) })));
})))
"""

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def enhanced(page: Page, home: bool) -> None:
    """Wait until the checklist has enhanced the page (and its lazily loaded parts)."""
    expect(page.locator("html.drb-js")).to_have_count(1)
    expect(page.locator(".drb-progress").first).to_be_visible()
    if home:
        expect(page.locator('[data-drb-module="panel"]:not([hidden])')).to_be_visible()
        expect(page.locator('[data-drb-module="practice"]:not([hidden])')).to_be_visible()
    else:
        expect(page.locator("section.drb-task input.drb-check").filter(visible=True)).to_have_count(
            len(LARGEST.actionable)
        )


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("path", ["", f"opgaver/{LARGEST.id}/"], ids=["home", "largest-group"])
def test_nothing_moves_when_the_checklist_starts(
    page: Page, base_url: str, path: str, viewport: str
) -> None:
    page.set_viewport_size(VIEWPORTS[viewport])
    page.add_init_script(OBSERVE)
    page.goto(base_url + path)
    enhanced(page, home=path == "")
    shifts = page.evaluate(SHIFTS)
    total = sum(s["value"] for s in shifts if not s["recent"])
    assert total == 0, f"layout shift {total:.4f} on /{path} ({viewport}):\n" + "\n".join(
        f"  {s['value']:.4f}: " + "; ".join(s["moved"]) for s in shifts
    )
