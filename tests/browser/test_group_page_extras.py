"""Browser tests of a group page's extras: "Skjul færdige opgaver" (progress.js,
Progress#hideDone) and the compact paper version (drejebog.css @media print).

What docs/dev/checklist-contract.md promises: ticking it hides the tasks that are finished
("Færdig" or "Ikke relevant") at that moment, and a task ticked afterwards stays in view
(its checkbox keeps the focus) until the choice is made again or the page is opened again;
the choice lasts for the tab (sessionStorage), on every group page; on a phone the control
is a 44 × 44 px target; axe finds nothing with it in use. On paper a group page takes at
most one A4 page per two tasks (the cards may break across pages, never after a title).
"""

from __future__ import annotations

import math
import re

from playwright.sync_api import Page, expect

from tests.browser.test_checklist import FIRST, RUNBOOK, check, open_group, section, seed
from tests.support.axe import assert_no_violations

HIDE = "input.drb-hide-check"
HIDE_LABEL = "Skjul færdige opgaver"


def finished_statuses(group) -> dict[str, str]:
    """Every other actionable task of the group finished, alternately done and n/a."""
    return {t.id: ("done", "na")[i % 4 // 2] for i, t in enumerate(group.actionable) if i % 2 == 0}


def test_hide_done_hides_what_is_finished_and_keeps_a_new_tick_in_view(page: Page):
    group = FIRST
    statuses = finished_statuses(group)
    page.goto("./")
    seed(page, {i: {"status": s} for i, s in statuses.items()}, url=f"opgaver/{group.id}/")
    open_group(page, group)
    hide = page.get_by_label(HIDE_LABEL)
    expect(hide).not_to_be_checked()
    for task in group.actionable:
        expect(section(page, task)).to_be_visible()

    hide.check()
    for task in group.actionable:
        if task.id in statuses:
            expect(section(page, task)).to_be_hidden()
        else:
            expect(section(page, task)).to_be_visible()
    expect(page.locator("#drb--live")).to_have_text(
        f"{len(statuses)} færdig{'e' if len(statuses) != 1 else ''} opgave"
        f"{'r' if len(statuses) != 1 else ''} skjult."
    )

    # A task ticked now stays, with the focus, until the choice is made again.
    open_task = next(t for t in group.actionable if t.id not in statuses)
    check(page, open_task).check()
    expect(section(page, open_task)).to_be_visible()
    expect(check(page, open_task)).to_be_focused()

    # The tab remembers the choice: another group page opens with it, and this one too.
    other = next(g for g in RUNBOOK.groups if g.id != group.id and g.actionable)
    open_group(page, other)
    expect(page.locator(HIDE)).to_be_checked()
    open_group(page, group)
    expect(page.locator(HIDE)).to_be_checked()
    expect(section(page, open_task)).to_be_hidden()

    page.get_by_label(HIDE_LABEL).uncheck()
    for task in group.actionable:
        expect(section(page, task)).to_be_visible()
    expect(page.locator("#drb--live")).to_have_text("Alle opgaver vises.")


def test_hide_done_on_a_phone_is_big_enough_and_passes_axe(page: Page):
    group = FIRST
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("./")
    seed(
        page,
        {i: {"status": s} for i, s in finished_statuses(group).items()},
        url=f"opgaver/{group.id}/",
    )
    open_group(page, group)
    page.get_by_label(HIDE_LABEL).check()
    label = page.locator(".drb-hide-done label")
    box = label.bounding_box()
    assert box and box["width"] >= 44 and box["height"] >= 44, box
    # The existing controls of every visible task: "Status og noter" and, once open, the select.
    shown = [t for t in group.actionable if section(page, t).is_visible()]
    assert shown
    for task in shown:
        toggle = section(page, task).locator("button.drb-work-toggle")
        toggle.click()
        for control in (toggle, section(page, task).locator("select.drb-status-select")):
            box = control.bounding_box()
            assert box and box["width"] >= 44 and box["height"] >= 44, (task.id, box)
    assert_no_violations(page, "group page with Skjul færdige and open fields @390px")


def test_group_pages_print_compactly(page: Page):
    for group in RUNBOOK.groups:
        open_group(page, group)
        page.emulate_media(media="print")
        expect(page.locator(".drb-hide-done")).to_be_hidden()
        pages = len(re.findall(rb"/Type\s*/Page[^s]", page.pdf(format="A4")))
        page.emulate_media(media="screen")
        assert 1 <= pages <= math.ceil(len(group.tasks) / 2), (group.id, len(group.tasks), pages)
