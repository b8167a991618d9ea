"""Browser tests of the checklist (docs/assets/checklist/*.js) in headless Chromium.

Everything here follows docs/dev/checklist-contract.md: its selectors, its
storage format and its Danish texts. Every test opens pages through
pytest-playwright's ``page`` (or a context registered with
``page_guard.watch``), so ``page_guard`` (conftest) fails it on any uncaught
JavaScript error, console error or request that leaves 127.0.0.1.

Counts, titles, hashes and links come from the data (``drejebog.load_runbook``),
never from the page under test.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from drejebog import load_runbook, yamlsafe
from drejebog.model import STATUSES, Group, Runbook, Task
from tests.support import schemagen
from tests.support.axe import axe_violations
from tests.support.sites import built, serve_directory

# Run against both builds, MkDocs + Material and Zensical (tests/conftest.py).
pytestmark = pytest.mark.zensical

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
RUNBOOK = load_runbook(ROOT / "data" / "tasks.yaml")

KEY = "drejebog:v1:/"  # "drejebog:v1:" + the site root's pathname
STATUS_TEXT = {s.id: s.label for s in STATUSES}
SHARE_CODE = {s.id: s.share_code for s in STATUSES if s.share_code}
# :not([hidden]): its module (panel.js) has made it; before that its box already has its room.
PANEL = '[data-drb-module="panel"]:not([hidden])'
ALL_DONE = "Alle opgaver er færdige"
CHANGED = "Opgaven er ændret, siden du satte flueben"
CANNOT_SAVE = "kan ikke gemmes"
CANNOT_READ = "kunne ikke læses"
OPEN_DIALOG = "dialog.drb-dialog[open]"

TOTAL = sum(len(g.actionable) for g in RUNBOOK.groups)
# A group with both tasks and rows the region handles, the smallest group
# (cheap pages) and the first group (the home page's "next task").
MIXED = next(g for g in RUNBOOK.groups if g.actionable and len(g.actionable) < len(g.tasks))
SMALL = min((g for g in RUNBOOK.groups if len(g.actionable) >= 2), key=lambda g: len(g.tasks))
FIRST = RUNBOOK.groups[0]
assert len(FIRST.actionable) >= 4, "the tests tick several tasks of the first group"


# --- helpers ------------------------------------------------------------------


def group_url(group: Group | str) -> str:
    return f"opgaver/{group if isinstance(group, str) else group.id}/"


def plural(n: int, one: str, many: str) -> str:
    """Danish: the singular for exactly one ("1 opgave", "0 opgaver", "2 opgaver")."""
    return f"{n} {one if n == 1 else many}"


def not_counted(out: int) -> str:
    """The tasks left out of a count ("Ikke relevant", or not for this type of practice)."""
    return f" ({plural(out, 'ikke relevant', 'ikke relevante')})" if out else ""


def progress_text(n: int, m: int, out: int = 0) -> str:
    """A progress box: "1 af 1 opgave færdig", "3 af 5 opgaver færdige (1 ikke relevant)"."""
    return f"{n} af {plural(m, 'opgave færdig', 'opgaver færdige')}{not_counted(out)}"


def group_state(done: int, counted: int, started: int | None = None) -> str:
    """A group's state (status id): none counted "na", all done "done", one started "doing"."""
    started = done if started is None else started
    if not counted:
        return "na"
    return "done" if done == counted else "doing" if started else "todo"


def group_line(n: int, m: int, out: int = 0, started: int | None = None) -> str:
    """A group's row on the home page: its status tag, then "3 af 5 færdige", with the stop
    a screen reader reads between them ("I gang: 3 af 5 færdige")."""
    tag = STATUS_TEXT[group_state(n, m, started)]
    return f"{tag}: {n} af {plural(m, 'færdig', 'færdige')}{not_counted(out)}"


def line_for(group: Group, statuses: dict[str, str]) -> str:
    """The home page's row of ``group`` with these stored statuses (others "todo")."""
    tasks = [statuses.get(t.id, "todo") for t in group.actionable]
    counted = [s for s in tasks if s != "na"]
    done = counted.count("done")
    started = done + counted.count("doing")
    return group_line(done, len(counted), len(tasks) - len(counted), started)


def section(page: Page, task: Task | str) -> Locator:
    task_id = task if isinstance(task, str) else task.id
    return page.locator(f'section.drb-task[data-task-id="{task_id}"]')


def check(page: Page, task: Task) -> Locator:
    return page.locator(f"#drb--check-{task.id}")


def status(page: Page, task: Task) -> Locator:
    return page.locator(f"#drb--status-{task.id}")


def group_progress(page: Page) -> Locator:
    return page.locator('[data-drb-progress="group"]')


def overall_progress(page: Page) -> Locator:
    return page.locator('[data-drb-progress="overall"]')


def group_text(page: Page) -> Locator:
    return group_progress(page).locator(".drb-progress-text")


def overall_text(page: Page) -> Locator:
    return overall_progress(page).locator(".drb-progress-text")


def inline_progress(page: Page, group: Group) -> Locator:
    """A group's status tag and count in the home page's table (groups.js)."""
    return page.locator(f'.drb-group-progress[data-group-id="{group.id}"]')


def open_group(page: Page, group: Group, url: str | None = None) -> None:
    """Open a group page and wait until the script has enhanced it."""
    page.goto(url or group_url(group))
    wait_enhanced_group(page, group)


def wait_enhanced_group(page: Page, group: Group) -> None:
    # The group's progress box is shown, and drb-js set, once every component is made (the
    # checkboxes are in the page, and a folded task's stays hidden).
    expect(group_progress(page)).to_be_visible()
    expect(group_progress(page)).to_have_attribute("data-group-id", group.id)
    expect(page.locator("html")).to_have_class(re.compile(r"\bdrb-js\b"))


def open_home(page: Page, url: str = "./") -> None:
    page.goto(url)
    wait_enhanced_home(page)


def wait_enhanced_home(page: Page) -> None:
    expect(overall_progress(page)).to_be_visible()
    expect(page.locator(PANEL)).to_be_visible()


def expect_task_state(page: Page, task: Task, state: str) -> None:
    """The checkbox, status tag, section and (once made) select all agree on ``state``.

    The select is made when the task's "Status og noter" is first opened
    (``open_work``); tests that need it open it first.
    """
    box = check(page, task)
    if state == "done":
        expect(box).to_be_checked()
    else:
        expect(box).not_to_be_checked()
    expect(status(page, task)).to_have_text(STATUS_TEXT[state])
    expect(status(page, task)).to_have_attribute("data-status", state)
    select = page.locator(f"#drb--select-{task.id}")
    if select.count():
        expect(select).to_have_value(state)
    expect(section(page, task)).to_have_attribute("data-status", state)


def work_toggle(page: Page, task: Task) -> Locator:
    return section(page, task).locator("button.drb-work-toggle")


def open_work(page: Page, task: Task) -> None:
    """Open the task's "Status og noter" (its select and note are made on first open)."""
    toggle = work_toggle(page, task)
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator(f"#drb--select-{task.id}")).to_be_visible()
    expect(page.locator(f"#drb--note-{task.id}")).to_be_visible()


def saved(page: Page) -> dict | None:
    raw = page.evaluate("k => localStorage.getItem(k)", KEY)
    return None if raw is None else json.loads(raw)


def saved_tasks(page: Page) -> dict[str, dict]:
    data = saved(page)
    return {} if data is None else data["tasks"]


def wait_saved(page: Page, task: Task | str, **fields: str) -> None:
    """Wait until the stored entry of ``task`` has these field values."""
    task_id = task if isinstance(task, str) else task.id
    page.wait_for_function(
        """([key, id, fields]) => {
            try {
                const entry = JSON.parse(localStorage.getItem(key)).tasks[id];
                return !!entry && Object.entries(fields).every(([k, v]) => entry[k] === v);
            } catch (e) { return false; }
        }""",
        arg=[KEY, task_id, fields],
    )


def seed(page: Page, tasks: dict[str, dict], url: str | None = None) -> None:
    """Store ``tasks`` in the contract's format, then reload (or open ``url``)."""
    value = json.dumps({"version": 1, "tasks": tasks})
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [KEY, value])
    if url is None:
        page.reload()
    else:
        page.goto(url)


def entry(task: Task, status: str, note: str | None = None) -> dict:
    item = {"status": status, "hash": task.content_hash, "updated": "2026-11-20T10:00:00.000Z"}
    if note is not None:
        item["note"] = note
    return item


def first_open(runbook: Runbook, statuses: dict[str, str]) -> Task:
    """The home page's "Næste opgave" without settings (docs/dev/checklist-contract.md,
    plan.js): the first task in runbook order that is open, waits for no open task, and
    can start: while a task required before the opening is open, no task that only
    comes after it (after-only, or a positive earliest day)."""

    def is_open(task: Task) -> bool:
        return statuses.get(task.id, "todo") in ("todo", "doing")

    tasks = [t for t in runbook.tasks() if not t.is_info]
    by_id = {t.id: t for t in runbook.tasks()}
    before_open = any(t.timing.before == "required" and is_open(t) for t in tasks)

    def waits(task: Task) -> bool:
        return any(not by_id[d].is_info and is_open(by_id[d]) for d in task.depends_on)

    def can_start(task: Task) -> bool:
        later = (task.timing.earliest_day or 0) > 0 or (
            task.timing.after and not task.timing.before
        )
        return not (before_open and later)

    return next(t for t in tasks if is_open(t) and not waits(t) and can_start(t))


def expect_next_link(page: Page, scope: Locator, task: Task, base_url: str) -> None:
    link = scope.locator("a.drb-next")
    expect(link).to_have_text(f"Næste opgave: {task.title}")
    href = link.evaluate("a => a.href")
    assert href == f"{base_url}{group_url(task.group_id)}#{task.id}", href


def focus_state(page: Page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const s = getComputedStyle(el);
            return {id: el.id, focusVisible: el.matches(":focus-visible"),
                    outline: s.outlineStyle, outlineWidth: s.outlineWidth, shadow: s.boxShadow};
        }"""
    )


def tab_to(page: Page, selector: str, limit: int = 250) -> dict:
    """Press Tab until the element matching the CSS ``selector`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return focus_state(page)
    raise AssertionError(f"{selector} was not reached with {limit} presses of Tab")


def assert_focus_visible(state: dict) -> None:
    assert state["focusVisible"], state
    outline = state["outline"] != "none" and state["outlineWidth"] not in ("0px", "")
    assert outline or state["shadow"] not in ("none", ""), f"no visible focus: {state}"


def share_payload(url: str) -> dict:
    fragment = urlsplit(url).fragment
    assert fragment.startswith("fremgang="), url
    code = fragment.removeprefix("fremgang=")
    assert re.fullmatch(r"[A-Za-z0-9_-]+", code), f"not base64url without padding: {code!r}"
    return json.loads(base64.urlsafe_b64decode(code + "=" * (-len(code) % 4)))


# --- 1. tick, reload -------------------------------------------------------------


def test_tick_survives_reload(page: Page):
    task, other = FIRST.actionable[0], FIRST.actionable[1]
    open_group(page, FIRST)
    # An entry for a task this site no longer has must be kept.
    seed(page, {"fjernet-opgave": {"status": "done", "hash": "abc", "note": "gammel"}})
    wait_enhanced_group(page, FIRST)

    # The checkbox sits in the heading and is named by the title (its label).
    box = page.get_by_role("checkbox", name=task.title, exact=True)
    expect(box).to_have_id(f"drb--check-{task.id}")
    title = section(page, task).locator("h2 > label.drb-title")
    expect(title.locator(f"input.drb-check#drb--check-{task.id}")).to_be_visible()
    expect(title).to_have_text(task.title)
    expect(box).to_have_attribute("aria-describedby", f"drb--status-{task.id}")
    expect(box).to_have_accessible_description(STATUS_TEXT["todo"])
    # "Status og noter" is a closed disclosure button named after the task; its
    # select and note are made when it is first opened.
    toggle = work_toggle(page, task)
    expect(toggle).to_have_accessible_name(
        re.compile(rf"^Status og noter\b.*{re.escape(task.title)}")
    )
    expect(toggle).to_have_attribute("aria-expanded", "false")
    open_work(page, task)
    expect(toggle).to_have_attribute("aria-controls", f"drb--work-body-{task.id}")
    expect(page.locator(f"#drb--work-body-{task.id}")).to_be_visible()
    select = page.locator(f"select.drb-status-select#drb--select-{task.id}")
    # The visible label is "Status"; the name may add the title (label in name).
    expect(select).to_have_accessible_name(re.compile(r"^Status\b"))
    options = page.locator(f"#drb--select-{task.id} option")
    assert options.evaluate_all("os => os.map(o => o.value)") == ["todo", "doing", "done", "na"]
    note = page.locator(f"textarea.drb-note#drb--note-{task.id}")
    expect(note).to_have_accessible_name(re.compile(r"^Noter\b"))
    expect(note).to_have_accessible_description(re.compile("Skriv ikke patientoplysninger her."))
    expect_task_state(page, task, "todo")

    box.check()
    expect_task_state(page, task, "done")
    expect(box).to_have_accessible_description(STATUS_TEXT["done"])
    # The figures `make bench` reads.
    measures = page.evaluate("() => performance.getEntriesByType('measure').map(m => m.name)")
    assert "drb:apply" in measures and "drb:update" in measures, measures
    wait_saved(page, task, status="done", hash=task.content_hash)
    stored = saved(page)
    assert stored["version"] == 1
    assert datetime.fromisoformat(stored["tasks"][task.id]["updated"])
    assert stored["tasks"]["fjernet-opgave"] == {"status": "done", "hash": "abc", "note": "gammel"}

    page.reload()
    wait_enhanced_group(page, FIRST)
    expect(work_toggle(page, task)).to_have_attribute("aria-expanded", "false")
    open_work(page, task)
    expect_task_state(page, task, "done")
    expect_task_state(page, other, "todo")

    check(page, task).uncheck()
    expect_task_state(page, task, "todo")
    page.wait_for_function(  # "todo" may be stored or dropped
        "([k, id]) => { const data = JSON.parse(localStorage.getItem(k));"
        " const t = data && data.tasks[id]; return !t || t.status === 'todo'; }",
        arg=[KEY, task.id],
    )
    page.reload()
    wait_enhanced_group(page, FIRST)
    expect_task_state(page, task, "todo")
    assert saved_tasks(page)["fjernet-opgave"]["note"] == "gammel"


# --- 2. progress and the next task -------------------------------------------------


def test_progress_counts_and_next_task(page: Page, base_url: str):
    a, b, c = FIRST.actionable[:3]
    m = len(FIRST.actionable)
    open_group(page, FIRST)
    box = group_progress(page)
    expect(box.locator(".drb-progress-text")).to_have_text(progress_text(0, m))
    expect(box.locator("progress")).to_have_js_property("max", m)
    expect(box.locator("progress")).to_have_js_property("value", 0)
    expect_next_link(page, box, a, base_url)

    check(page, a).check()
    expect(box.locator(".drb-progress-text")).to_have_text(progress_text(1, m))
    expect(box.locator("progress")).to_have_js_property("value", 1)
    # Purely visual: the text says the count, read once (tests/browser/test_a11y_tree.py).
    expect(box.locator("progress")).to_have_attribute("aria-hidden", "true")
    expect_next_link(page, box, b, base_url)

    # "Ikke relevant" leaves the count.
    open_work(page, b)
    page.select_option(f"#drb--select-{b.id}", "na")
    expect_task_state(page, b, "na")
    expect(box.locator(".drb-progress-text")).to_have_text(progress_text(1, m - 1, out=1))
    expect(box.locator("progress")).to_have_js_property("max", m - 1)
    expect_next_link(page, box, c, base_url)

    # "I gang" is still open: it stays the next task.
    open_work(page, c)
    page.select_option(f"#drb--select-{c.id}", "doing")
    expect_task_state(page, c, "doing")
    expect_next_link(page, box, c, base_url)
    wait_saved(page, c, status="doing")

    statuses = {a.id: "done", b.id: "na", c.id: "doing"}
    open_home(page)
    expect(overall_text(page)).to_have_text(progress_text(1, TOTAL - 1, out=1))
    for group in RUNBOOK.groups:
        expect(inline_progress(page, group)).to_have_text(line_for(group, statuses))
    expect_next_link(page, overall_progress(page), first_open(RUNBOOK, statuses), base_url)

    # A group with rows the region handles: only its tasks count, and the rows
    # get no checkbox.
    open_group(page, MIXED)
    expect(group_text(page)).to_have_text(re.compile(rf"^0 af {len(MIXED.actionable)}\b"))
    expect(page.locator('section[data-task-kind="info"] .drb-check')).to_have_count(0)
    expect(page.locator('section[data-task-kind="info"] select')).to_have_count(0)

    # Everything done: no next task.
    every = {t.id: entry(t, "done") for t in RUNBOOK.tasks() if not t.is_info}
    seed(page, every, url="./")
    wait_enhanced_home(page)
    expect(overall_text(page)).to_have_text(progress_text(TOTAL, TOTAL))
    expect(overall_progress(page)).to_contain_text(ALL_DONE)
    expect(overall_progress(page).locator("a.drb-next")).to_have_count(0)


# --- 3. a second tab follows ----------------------------------------------------------


def test_second_tab_follows_without_reload(page: Page, context: BrowserContext):
    task = SMALL.actionable[0]
    m = len(SMALL.actionable)
    open_group(page, SMALL)
    other = context.new_page()  # same context: watched by page_guard
    open_group(other, SMALL)
    home = context.new_page()
    open_home(home)
    for p in (other, home):
        p.evaluate("window.__marker = 1")
    open_work(other, task)  # an open select follows too

    check(page, task).check()
    expect_task_state(page, task, "done")

    expect_task_state(other, task, "done")
    expect(group_text(other)).to_have_text(progress_text(1, m))
    expect(overall_text(home)).to_have_text(progress_text(1, TOTAL))
    expect(inline_progress(home, SMALL)).to_have_text(group_line(1, m))

    open_work(page, task)
    page.select_option(f"#drb--select-{task.id}", "na")
    expect_task_state(other, task, "na")
    expect(inline_progress(home, SMALL)).to_have_text(group_line(0, m - 1, out=1))
    for p in (other, home):
        assert p.evaluate("window.__marker") == 1, "the other tab was reloaded"


# --- 4. instant navigation ------------------------------------------------------------


def test_instant_navigation_keeps_checklist_working(page: Page, base_url: str):
    a, b = SMALL.actionable[:2]
    m = len(SMALL.actionable)
    open_group(page, SMALL)
    check(page, a).check()
    wait_saved(page, a, status="done")

    open_home(page)
    page.evaluate("window.__marker = 1")
    # Material's instant navigation turns hrefs absolute, hence $=.
    page.locator(f'.md-nav--primary a.md-nav__link[href$="/{group_url(SMALL)}"]').click()
    expect(page).to_have_url(base_url + group_url(SMALL))
    expect(page.locator("h1")).to_have_text(re.compile("^" + re.escape(SMALL.title)))
    wait_enhanced_group(page, SMALL)
    assert page.evaluate("window.__marker") == 1, "the click reloaded the page (not instant)"

    for task in SMALL.actionable:
        expect(section(page, task).locator(".drb-check")).to_be_visible()
        expect(work_toggle(page, task)).to_have_count(1)
    expect_task_state(page, a, "done")
    expect_task_state(page, b, "todo")
    expect(group_text(page)).to_have_text(progress_text(1, m))

    # The swapped-in page reacts to ticks.
    check(page, b).check()
    expect_task_state(page, b, "done")
    expect(group_text(page)).to_have_text(progress_text(2, m))
    wait_saved(page, b, status="done")

    page.go_back()
    expect(page).to_have_url(base_url)
    wait_enhanced_home(page)
    assert page.evaluate("window.__marker") == 1, "going back reloaded the page"
    expect(overall_text(page)).to_have_text(progress_text(2, TOTAL))
    expect(inline_progress(page, SMALL)).to_have_text(group_line(2, m))
    expect(page.locator('[data-drb-progress="overall"] .drb-progress-text')).to_have_count(1)
    expect(page.locator("button.drb-export").filter(visible=True)).to_have_count(1)
    expect(page.locator("#drb--live")).to_have_count(1)


# --- 4b. status at a glance: the home page's tags, the navigation, the table of contents ----------


def nav_link(page: Page, group: Group) -> Locator:
    """The side navigation's link to a group's page (found by address; instant navigation makes
    hrefs absolute, hence $=)."""
    return page.locator(f'.md-sidebar--primary a.md-nav__link[href$="/{group.id}/"]')


def toc_link(page: Page, task: Task) -> Locator:
    """The table of contents' link to a task on its group page."""
    return page.locator(f'.md-sidebar--secondary a.md-nav__link[href$="#{task.id}"]')


def expect_marked(link: Locator, title: str, state: str) -> None:
    """The link's name is the title, then the state's label ("I gang", "Færdig", "Ikke
    relevant"); just the title while not started."""
    label = "" if state == "todo" else rf"\W+{re.escape(STATUS_TEXT[state])}"
    expect(link).to_have_accessible_name(re.compile(rf"^\s*{re.escape(title)}{label}\s*$"))


def state_for(group: Group, statuses: dict[str, str]) -> str:
    tasks = [statuses.get(t.id, "todo") for t in group.actionable]
    counted = [s for s in tasks if s != "na"]
    return group_state(
        counted.count("done"), len(counted), len([s for s in counted if s != "todo"])
    )


def test_the_danish_counts_in_the_tests_helpers():
    """The forms the pages must use, spelt out once (the helpers make every other expectation)."""
    assert progress_text(0, 1) == "0 af 1 opgave færdig"
    assert progress_text(1, 1, out=1) == "1 af 1 opgave færdig (1 ikke relevant)"
    assert progress_text(3, 5, out=2) == "3 af 5 opgaver færdige (2 ikke relevante)"
    assert group_line(0, 1) == "Ikke startet: 0 af 1 færdig"
    assert group_line(1, 2, started=1) == "I gang: 1 af 2 færdige"
    assert group_line(0, 2, started=1) == "I gang: 0 af 2 færdige"
    assert group_line(2, 2, out=1) == "Færdig: 2 af 2 færdige (1 ikke relevant)"
    assert group_line(0, 0, out=2) == "Ikke relevant: 0 af 0 færdige (2 ikke relevante)"


def test_each_groups_state_on_the_home_page_and_in_the_navigation(page: Page, base_url: str):
    """GOV.UK-style tags in words on the home page ("Ikke startet", "I gang", "Færdig", or
    "Ikke relevant"), with counts that add up to the row's "N opgaver"; the same state in the
    side navigation, and each task's state in a group page's table of contents, also after
    instant navigation and after a tick."""
    groups = [g for g in RUNBOOK.groups if g.actionable]
    assert len(groups) >= 3, "the test gives three groups three different states"
    finished, started, skipped = groups[:3]
    statuses = {t.id: "done" for t in finished.actionable}
    statuses[started.actionable[0].id] = "doing"
    statuses |= {t.id: "na" for t in skipped.actionable}
    open_home(page)
    seed(page, {i: entry(RUNBOOK.task(i), s) for i, s in statuses.items()})
    wait_enhanced_home(page)
    wanted = {finished: "done", started: "doing", skipped: "na"}
    for group in RUNBOOK.groups:
        if not group.actionable:
            expect(inline_progress(page, group)).to_have_count(0)
            continue
        state = state_for(group, statuses)
        assert state == wanted.get(group, "todo"), group.id
        expect(inline_progress(page, group)).to_have_text(line_for(group, statuses))
        expect(inline_progress(page, group).locator(".drb-status")).to_have_attribute(
            "data-status", state
        )
        expect_marked(nav_link(page, group), group.title, state)
    done = sum(s == "done" for s in statuses.values())
    na = sum(s == "na" for s in statuses.values())
    expect(overall_text(page)).to_have_text(progress_text(done, TOTAL - na, out=na))

    # Instant navigation to the started group: the new page's navigation is marked too.
    page.evaluate("window.__marker = 1")
    nav_link(page, started).click()
    expect(page).to_have_url(base_url + group_url(started))
    wait_enhanced_group(page, started)
    assert page.evaluate("window.__marker") == 1, "the click reloaded the page (not instant)"
    for group in groups:
        expect_marked(nav_link(page, group), group.title, state_for(group, statuses))
    for task in started.tasks:
        expect_marked(toc_link(page, task), task.title, statuses.get(task.id, "todo"))

    # Ticks: each task's line in the table of contents, then the group's in the navigation.
    for task in started.actionable:
        check(page, task).check()
        expect_marked(toc_link(page, task), task.title, "done")
    expect_marked(nav_link(page, started), started.title, "done")
    # Unticked again: not started, so no state.
    first = started.actionable[0]
    check(page, first).uncheck()
    expect_marked(toc_link(page, first), first.title, "todo")
    expect_marked(
        nav_link(page, started), started.title, "doing" if len(started.actionable) > 1 else "todo"
    )


def test_counts_say_one_task_in_the_singular(page: Page):
    """ "0 af 1 opgave færdig" (never "0 af 1 opgaver færdige"), on the group page and in the
    home page's row, with the tasks left out counted apart."""
    keep, *rest = FIRST.actionable
    open_group(page, FIRST)
    seed(page, {t.id: entry(t, "na") for t in rest})
    wait_enhanced_group(page, FIRST)
    expect(group_text(page)).to_have_text(progress_text(0, 1, out=len(rest)))
    check(page, keep).check()
    expect(group_text(page)).to_have_text(progress_text(1, 1, out=len(rest)))
    wait_saved(page, keep, status="done")
    open_home(page)
    expect(inline_progress(page, FIRST)).to_have_text(group_line(1, 1, out=len(rest)))


# --- 5. corrupt storage -------------------------------------------------------------


def test_unreadable_storage_is_reported_and_kept(page: Page):
    a, b = FIRST.actionable[:2]
    open_group(page, FIRST)
    page.evaluate("k => localStorage.setItem(k, '{not json')", KEY)
    page.reload()
    wait_enhanced_group(page, FIRST)

    warning = page.locator(".drb-storage-warning[role=alert]")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(CANNOT_READ)
    for task in FIRST.actionable:
        expect_task_state(page, task, "todo")
    assert page.evaluate("k => localStorage.getItem(k + ':broken')", KEY) == "{not json"

    # The page keeps working and saves valid data again.
    check(page, a).check()
    expect_task_state(page, a, "done")
    wait_saved(page, a, status="done")
    page.reload()
    wait_enhanced_group(page, FIRST)
    expect_task_state(page, a, "done")
    expect_task_state(page, b, "todo")


def test_malformed_entries_are_reported_and_valid_ones_kept(page: Page):
    done, doing, *rest = FIRST.actionable
    bad_status, not_object, null_entry = rest[:3]
    open_group(page, FIRST)
    page.evaluate(
        "([k, v]) => localStorage.setItem(k, v)",
        [
            KEY,
            json.dumps(
                {
                    "version": 1,
                    "tasks": {
                        done.id: entry(done, "done"),
                        doing.id: entry(doing, "doing", note="Ring til PLO"),
                        bad_status.id: {"status": "færdig", "hash": bad_status.content_hash},
                        not_object.id: "done",
                        null_entry.id: None,
                    },
                }
            ),
        ],
    )
    page.reload()
    wait_enhanced_group(page, FIRST)

    warning = page.locator(".drb-storage-warning[role=alert]")
    expect(warning).to_contain_text(CANNOT_READ)
    expect_task_state(page, done, "done")
    expect_task_state(page, doing, "doing")
    # A saved note shows on the closed task, and in its field once opened.
    expect(work_toggle(page, doing)).to_contain_text("Har en note")
    expect(work_toggle(page, done)).not_to_contain_text("Har en note")
    open_work(page, doing)
    expect(page.locator(f"#drb--note-{doing.id}")).to_have_value("Ring til PLO")
    for task in (bad_status, not_object, null_entry):
        expect_task_state(page, task, "todo")
    expect(group_text(page)).to_have_text(progress_text(1, len(FIRST.actionable)))

    # Ticking still works, and the readable entries stay stored.
    check(page, bad_status).check()
    wait_saved(page, bad_status, status="done")
    tasks = saved_tasks(page)
    assert tasks[done.id]["status"] == "done"
    assert tasks[doing.id]["status"] == "doing" and tasks[doing.id]["note"] == "Ring til PLO"


# --- 6. storage that throws ----------------------------------------------------------

# Storage that refuses every call (as with blocked site data in some browsers).
THROWING_CALLS = """
(() => {
  const refuse = () => { throw new DOMException("The operation is insecure.", "SecurityError"); };
  for (const name of ["getItem", "setItem", "removeItem", "clear", "key"]) {
    Storage.prototype[name] = refuse;
  }
})();
"""
# window.localStorage itself throws (Chromium with site data blocked).
THROWING_GETTER = """
Object.defineProperty(window, "localStorage", {
  configurable: true,
  get() { throw new DOMException("The operation is insecure.", "SecurityError"); },
});
"""
# Reading works, writing hits the quota.
FULL_STORAGE = """
Storage.prototype.setItem = function () {
  throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
};
"""


@pytest.mark.parametrize(
    "script", [THROWING_CALLS, THROWING_GETTER], ids=["calls-throw", "getter-throws"]
)
def test_storage_that_throws_keeps_the_visit_working(page: Page, script: str):
    a, b = FIRST.actionable[:2]
    m = len(FIRST.actionable)
    page.add_init_script(script)
    open_group(page, FIRST)
    check(page, a).check()
    expect_task_state(page, a, "done")
    open_work(page, b)
    page.select_option(f"#drb--select-{b.id}", "doing")
    expect_task_state(page, b, "doing")
    page.fill(f"#drb--note-{b.id}", "Noten gemmes ikke")
    page.locator(f"#drb--note-{b.id}").blur()

    warning = page.locator(".drb-storage-warning[role=alert]")
    expect(warning).to_contain_text(CANNOT_SAVE)
    expect(warning).to_have_count(1)
    expect(group_text(page)).to_have_text(progress_text(1, m))


def test_full_storage_keeps_the_visit_working(page: Page):
    a, b = FIRST.actionable[:2]
    m = len(FIRST.actionable)
    open_group(page, FIRST)
    seed(page, {a.id: entry(a, "done")})
    wait_enhanced_group(page, FIRST)
    page.add_init_script(FULL_STORAGE)
    page.reload()
    wait_enhanced_group(page, FIRST)
    expect_task_state(page, a, "done")  # reading still works

    check(page, b).check()
    expect_task_state(page, b, "done")
    expect(page.locator(".drb-storage-warning[role=alert]")).to_contain_text(CANNOT_SAVE)
    expect(group_text(page)).to_have_text(progress_text(2, m))
    assert set(saved_tasks(page)) == {a.id}


# --- 7. export, reset, import ----------------------------------------------------------


def test_export_reset_import_round_trip(page: Page, tmp_path: Path):
    a, b = FIRST.actionable[:2]
    c = SMALL.actionable[0]
    note = "Revisor ringer tilbage – mandag æøå"
    open_group(page, FIRST)
    check(page, a).check()
    open_work(page, b)
    page.select_option(f"#drb--select-{b.id}", "na")
    open_work(page, a)
    page.fill(f"#drb--note-{a.id}", note)
    wait_saved(page, a, status="done", note=note)
    wait_saved(page, b, status="na")
    open_group(page, SMALL)
    open_work(page, c)
    page.select_option(f"#drb--select-{c.id}", "doing")
    wait_saved(page, c, status="doing")
    before = saved_tasks(page)

    open_home(page)
    text = overall_text(page)
    expect(text).to_have_text(progress_text(1, TOTAL - 1, out=1))
    with page.expect_download() as info:
        page.locator(f"{PANEL} button.drb-export").filter(visible=True).click()
    download = info.value
    assert re.fullmatch(r"drejebog-fremgang-\d{4}-\d{2}-\d{2}\.json", download.suggested_filename)
    exported_file = tmp_path / download.suggested_filename
    download.save_as(exported_file)
    exported = json.loads(exported_file.read_text(encoding="utf-8"))
    assert exported["format"] == "drejebog-fremgang" and exported["version"] == 1
    assert datetime.fromisoformat(exported["exported"])
    assert exported["tasks"][a.id]["status"] == "done" and exported["tasks"][a.id]["note"] == note
    assert exported["tasks"][a.id]["hash"] == a.content_hash
    assert exported["tasks"][b.id]["status"] == "na"
    assert exported["tasks"][c.id]["status"] == "doing"

    # Reset: cancelling keeps everything; the dialog offers an export first.
    page.locator("button.drb-reset").click()
    dialog = page.locator(OPEN_DIALOG)
    expect(dialog).to_be_visible()
    with page.expect_download() as first:
        dialog.locator("button.drb-export").click()  # "Eksportér først"
    assert first.value.suggested_filename == download.suggested_filename
    if page.locator(OPEN_DIALOG).count():
        page.locator(OPEN_DIALOG).locator("button.drb-cancel").click()
    expect(page.locator(OPEN_DIALOG)).to_have_count(0)
    expect(text).to_have_text(progress_text(1, TOTAL - 1, out=1))
    assert saved_tasks(page) == before

    page.locator("button.drb-reset").click()
    page.locator(OPEN_DIALOG).locator("button.drb-confirm").click()
    expect(page.locator(OPEN_DIALOG)).to_have_count(0)
    expect(text).to_have_text(progress_text(0, TOTAL))
    expect(inline_progress(page, FIRST)).to_have_text(group_line(0, len(FIRST.actionable)))
    left = {k: v for k, v in saved_tasks(page).items() if v["status"] != "todo" or v.get("note")}
    assert left == {}, left

    # Import the exported file: a summary first, then everything is back.
    page.set_input_files("#drb--import", exported_file)
    dialog = page.locator(OPEN_DIALOG)
    expect(dialog).to_be_visible()
    expect(dialog.locator(".drb-dialog-summary")).to_have_text(re.compile(r"\w"))
    expect(text).to_have_text(progress_text(0, TOTAL))  # nothing applied before the answer
    dialog.locator("button.drb-confirm").click()
    expect(page.locator(OPEN_DIALOG)).to_have_count(0)
    expect(page.locator(".drb-message[role=status]")).to_contain_text("importeret")
    expect(page.locator(".drb-message")).to_contain_text("3 opgaver")
    expect(text).to_have_text(progress_text(1, TOTAL - 1, out=1))

    open_group(page, FIRST)
    expect_task_state(page, a, "done")
    expect_task_state(page, b, "na")
    open_work(page, a)
    expect(page.locator(f"#drb--note-{a.id}")).to_have_value(note)
    after = saved_tasks(page)
    for task in (a, b, c):
        assert after[task.id]["status"] == before[task.id]["status"]
        assert after[task.id].get("note") == before[task.id].get("note")


# --- 8. malformed imports -----------------------------------------------------------------


def _export(tasks: dict) -> bytes:
    return json.dumps(
        {
            "format": "drejebog-fremgang",
            "version": 1,
            "exported": "2026-11-20T10:00:00Z",
            "tasks": tasks,
        }
    ).encode()


_GOOD = FIRST.actionable[1]
BAD_IMPORTS = {
    "not-json": b"Det her er ikke JSON {",
    "bad-status": _export(
        {_GOOD.id: entry(_GOOD, "done"), FIRST.actionable[2].id: {"status": "finished"}}
    ),
    "wrong-format": json.dumps({"format": "noget-andet", "version": 1, "tasks": {}}).encode(),
    "bad-id": _export({"Ikke Et Id!": {"status": "done"}}),
    "long-note": _export({_GOOD.id: {"status": "done", "note": "x" * 5001}}),
    "too-big": b" " * 5_000_001,
}


@pytest.mark.parametrize("name", list(BAD_IMPORTS))
def test_malformed_import_is_refused(page: Page, name: str):
    a = FIRST.actionable[0]
    open_home(page)
    seed(page, {a.id: entry(a, "done", note="behold")})
    wait_enhanced_home(page)
    raw_before = page.evaluate("k => localStorage.getItem(k)", KEY)

    upload = {"name": f"{name}.json", "mimeType": "application/json", "buffer": BAD_IMPORTS[name]}
    page.set_input_files("#drb--import", upload)
    message = page.locator(".drb-message[role=status]")
    expect(message).to_have_text(re.compile(r"\w{3,}"))
    expect(message).not_to_contain_text("er importeret")
    expect(page.locator(OPEN_DIALOG)).to_have_count(0)
    expect(overall_text(page)).to_have_text(progress_text(1, TOTAL))
    assert page.evaluate("k => localStorage.getItem(k)", KEY) == raw_before


# --- 9. share link -----------------------------------------------------------------------


@pytest.fixture
def share_link(page: Page, base_url: str) -> tuple[str, dict[str, str]]:
    """Statuses saved in ``page`` and the share link made from them."""
    a, b = FIRST.actionable[:2]
    c = SMALL.actionable[0]
    open_home(page)
    seed(
        page,
        {
            a.id: entry(a, "done", note="deles ikke"),
            b.id: entry(b, "na"),
            c.id: entry(c, "doing"),
            "a-todo-task": {"status": "todo", "note": "kun en note"},
        },
    )
    wait_enhanced_home(page)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url[:-1])
    page.locator("button.drb-share").click()
    field = page.locator("input.drb-share-url")
    expect(field).to_have_value(re.compile("^" + re.escape(base_url) + "#fremgang="))
    expect(field).to_have_attribute("readonly", "")
    statuses = {a.id: "done", b.id: "na", c.id: "doing"}
    link = field.input_value()
    # Allowed here, so the link is on the clipboard too (written asynchronously).
    # (wait_for_function does not await a promise: each poll starts a read and
    # checks the one before.)
    page.wait_for_function(
        """link => {
            navigator.clipboard.readText().then(text => { window.__clip = text; });
            return window.__clip === link;
        }""",
        arg=link,
    )
    assert share_payload(link) == {"v": 1, "s": {k: SHARE_CODE[v] for k, v in statuses.items()}}
    return link, statuses


def test_share_link_applies_after_confirm(share_link, new_context, page_guard, base_url: str):
    link, statuses = share_link
    context = new_context()
    page_guard.watch(context)
    fresh = context.new_page()
    fresh.goto(link)
    dialog = fresh.locator(OPEN_DIALOG)
    expect(dialog).to_be_visible()
    expect(dialog.locator(".drb-dialog-summary")).to_have_text(re.compile(r"\w"))
    dialog.locator("button.drb-confirm").click()
    expect(fresh.locator(OPEN_DIALOG)).to_have_count(0)
    expect(fresh).to_have_url(base_url)
    assert fresh.evaluate("location.hash") == ""
    done = sum(s == "done" for s in statuses.values())
    na = sum(s == "na" for s in statuses.values())
    expect(overall_text(fresh)).to_have_text(progress_text(done, TOTAL - na, out=na))
    stored = saved_tasks(fresh)
    assert {k: v["status"] for k, v in stored.items() if v["status"] != "todo"} == statuses
    assert not any(v.get("note") for v in stored.values()), "notes are never shared"

    a = FIRST.actionable[0]
    open_group(fresh, FIRST)
    expect_task_state(fresh, a, "done")
    expect(work_toggle(fresh, a)).not_to_contain_text("Har en note")
    open_work(fresh, a)
    expect(fresh.locator(f"#drb--note-{a.id}")).to_have_value("")


def test_share_link_cancel_changes_nothing(share_link, new_context, page_guard, base_url: str):
    link, _ = share_link
    context = new_context()
    page_guard.watch(context)
    fresh = context.new_page()
    # Opened on a group page this time: any page takes the link.
    fresh.goto(base_url + group_url(FIRST) + "#" + urlsplit(link).fragment)
    dialog = fresh.locator(OPEN_DIALOG)
    expect(dialog).to_be_visible()
    dialog.locator("button.drb-cancel").click()
    expect(fresh.locator(OPEN_DIALOG)).to_have_count(0)
    expect(fresh).to_have_url(base_url + group_url(FIRST))
    for task in FIRST.actionable:
        expect_task_state(fresh, task, "todo")
    assert all(v["status"] == "todo" for v in saved_tasks(fresh).values())
    fresh.reload()
    wait_enhanced_group(fresh, FIRST)
    expect(fresh.locator(OPEN_DIALOG)).to_have_count(0)


# --- 10. a rebuilt site keeps the ticks ------------------------------------------------------


def reordered(target: Path) -> Path:
    """data/tasks.yaml with the groups, and the tasks in each group, in reverse order;
    the first three tasks the practice does retitled and the fourth with a new first
    paragraph in its details. Ids are unchanged, so saved ticks must survive; the
    changed tasks get a new content hash. Made from today's data on every run."""
    data = yamlsafe.load((ROOT / "data" / "tasks.yaml").read_bytes())[0]
    data["groups"].reverse()
    for group in data["groups"]:
        group["tasks"].reverse()
    actionable = [t for g in data["groups"] for t in g["tasks"] if t.get("kind", "task") == "task"]
    for task in actionable[:3]:
        task["title"] += " (ny titel)"
    reworded = actionable[3]
    reworded["details"] = "Nyt afsnit først.\n\n" + reworded.get("details", "")
    target.write_bytes(schemagen.dump(data))
    return target


def test_rebuilt_site_keeps_ticks(page: Page, built_site: Path, tmp_path: Path):
    data = reordered(tmp_path / "reordered.yaml")
    new = load_runbook(data)
    assert {t.id for t in new.tasks()} == {t.id for t in RUNBOOK.tasks()}
    assert [g.id for g in new.groups] != [g.id for g in RUNBOOK.groups]
    old_hash = {t.id: t.content_hash for t in RUNBOOK.tasks()}
    changed = [t for t in new.tasks() if not t.is_info and t.content_hash != old_hash[t.id]]
    retitled = next(t for t in changed if t.title != RUNBOOK.task(t.id).title)
    reworded = next(t for t in changed if t.title == RUNBOOK.task(t.id).title)  # details only
    left_open = next(t for t in changed if t not in (retitled, reworded))  # changed, never ticked
    untouched = [t for t in new.tasks() if not t.is_info and t.content_hash == old_hash[t.id]]
    same_done, same_doing = untouched[0], untouched[1]
    wanted = {
        retitled.id: "done",
        reworded.id: "done",
        same_done.id: "done",
        same_doing.id: "doing",
        left_open.id: "todo",
    }
    by_group: dict[str, list[Task]] = {}
    for task in new.tasks():
        if task.id in wanted:
            by_group.setdefault(task.group_id, []).append(task)
    built(tmp_path / "site", data=data)
    page.route("**/*", lambda route: route.continue_())  # routing turns the HTTP cache off

    # Tick on the current site, through the pages.
    with serve_directory(built_site) as url:
        port = urlsplit(url).port
        for group_id, tasks in by_group.items():
            open_group(page, RUNBOOK.group(group_id), url + group_url(group_id))
            for task in tasks:
                if wanted[task.id] == "doing":
                    open_work(page, task)
                    page.select_option(f"#drb--select-{task.id}", "doing")
                    wait_saved(page, task, status="doing")
                elif wanted[task.id] == "done":
                    check(page, task).check()
                    open_work(page, task)
                    page.fill(f"#drb--note-{task.id}", f"note {task.id}")
                    wait_saved(page, task, status="done", note=f"note {task.id}")

    # The rebuilt site at the same origin (same port): storage is per origin.
    with serve_directory(tmp_path / "site", port=port) as url2:
        assert url2 == url
        for group_id, tasks in by_group.items():
            group = new.group(group_id)
            open_group(page, group, url + group_url(group_id))
            for task in tasks:
                box = section(page, task)
                expect(box.locator("h2 > label.drb-title")).to_have_text(task.title)
                expect_task_state(page, task, wanted[task.id])
                if wanted[task.id] == "done":
                    open_work(page, task)
                    expect(page.locator(f"#drb--note-{task.id}")).to_have_value(f"note {task.id}")
                if task in (retitled, reworded):
                    expect(box.locator(".drb-changed")).to_contain_text(CHANGED)
                else:
                    expect(box.locator(".drb-changed")).to_have_count(0)
            if reworded in tasks:
                # "Markér som læst" stores the new hash and removes the notice for good.
                box = section(page, reworded)
                box.locator("button.drb-changed-ack").click()
                expect(box.locator(".drb-changed")).to_have_count(0)
                wait_saved(page, reworded, status="done", hash=reworded.content_hash)
                page.reload()
                wait_enhanced_group(page, group)
                expect(section(page, reworded).locator(".drb-changed")).to_have_count(0)
                expect_task_state(page, reworded, "done")

        open_home(page, url)
        done = sum(s == "done" for s in wanted.values())
        expect(overall_text(page)).to_have_text(progress_text(done, TOTAL))
        expect_next_link(page, overall_progress(page), first_open(new, wanted), url)


# --- 11. without JavaScript -----------------------------------------------------------------


def test_without_javascript_every_task_and_link_is_there(new_context, page_guard, base_url: str):
    context = new_context(java_script_enabled=False)
    page_guard.watch(context)
    page = context.new_page()
    for group in RUNBOOK.groups:
        page.goto(base_url + group_url(group))
        found = page.evaluate(
            """() => [...document.querySelectorAll("section.drb-task")].map(s => ({
                id: s.dataset.taskId,
                title: [...s.querySelector("h2").childNodes]
                    .filter(n => !(n.classList && n.classList.contains("headerlink")))
                    .map(n => n.textContent).join("").trim(),
                links: [...s.querySelectorAll("a[href]")]
                    .map(a => [a.textContent.trim(), a.getAttribute("href")]),
                nolinks: [...s.querySelectorAll(".drb-nolink")].map(e => e.textContent.trim()),
            }))"""
        )
        assert [s["id"] for s in found] == [t.id for t in group.tasks], group.id
        for task, shown in zip(group.tasks, found, strict=True):
            assert shown["title"] == task.title, task.id
            for link in task.links:
                if link.url:
                    assert [link.text, link.url] in shown["links"], (task.id, link)
                else:
                    assert link.text in shown["nolinks"], (task.id, link)
            for contact_id in task.help:
                target = f"hvem-kan-hjaelpe/#{contact_id}"
                assert any(h.endswith(target) for _, h in shown["links"]), (task.id, contact_id)
        # Nothing of the checklist shows without the script (the checkboxes and status rows
        # are in the page, hidden).
        for selector in (".drb-check", ".drb-state"):
            parts = page.locator(selector)
            expect(parts).to_have_count(len(group.actionable))
            shown = parts.evaluate_all("els => els.filter(e => e.checkVisibility()).length")
            assert shown == 0, (group.id, selector)
        expect(group_progress(page)).to_be_hidden()
    page.goto(base_url)
    for group in RUNBOOK.groups:
        expect(page.locator(f'a[href="{group_url(group)}"]').first).to_be_visible()
    panel = page.locator('[data-drb-module="panel"]')
    expect(panel).to_have_count(1)
    expect(panel).to_be_hidden()


# --- 12. keyboard only ------------------------------------------------------------------------


def test_keyboard_only(page: Page):
    task = SMALL.actionable[0]
    open_group(page, SMALL)

    state = tab_to(page, f"#drb--check-{task.id}")
    assert_focus_visible(state)
    page.keyboard.press("Space")
    expect_task_state(page, task, "done")

    # "Status og noter" opens with the keyboard; its select is the next stop.
    toggle = f'section[data-task-id="{task.id}"] .drb-work-toggle'
    state = tab_to(page, toggle)
    assert_focus_visible(state)
    page.keyboard.press("Enter")
    expect(page.locator(toggle)).to_have_attribute("aria-expanded", "true")
    state = tab_to(page, f"#drb--select-{task.id}", limit=1)
    assert_focus_visible(state)
    page.keyboard.press("ArrowUp")  # done -> doing
    expect_task_state(page, task, "doing")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # -> na
    expect_task_state(page, task, "na")

    state = tab_to(page, f"#drb--note-{task.id}")
    assert_focus_visible(state)
    page.keyboard.type("Skrevet med tastaturet")
    page.keyboard.press("Tab")
    wait_saved(page, task, status="na", note="Skrevet med tastaturet")


# --- 13. live region ------------------------------------------------------------------------


def test_live_region_announces_progress(page: Page):
    a, b = SMALL.actionable[:2]
    m = len(SMALL.actionable)
    open_group(page, SMALL)
    live = page.locator("#drb--live")
    expect(live).to_have_count(1)
    expect(live).to_have_attribute("aria-live", "polite")
    box = live.bounding_box()
    assert box is None or (box["width"] <= 1 and box["height"] <= 1), f"not visually hidden: {box}"

    check(page, a).check()
    expect(live).to_contain_text(f"1 af {m}")
    open_work(page, b)
    page.select_option(f"#drb--select-{b.id}", "na")
    expect(live).to_contain_text(f"1 af {m - 1}")


# --- 15. axe with the checklist in use ----------------------------------------------------------


def test_axe_group_page_in_use(page: Page):
    a, b = SMALL.actionable[:2]
    open_group(page, SMALL)
    # a ticked task whose content changed since (shows the notice) and one in progress
    seed(page, {a.id: {"status": "done", "hash": "000000000000", "note": "Klaret"}})
    wait_enhanced_group(page, SMALL)
    expect(section(page, a).locator(".drb-changed")).to_be_visible()
    expect(work_toggle(page, a)).to_contain_text("Har en note")  # a stays closed
    open_work(page, b)
    page.select_option(f"#drb--select-{b.id}", "doing")
    page.fill(f"#drb--note-{b.id}", "Venter på svar")
    expect_task_state(page, b, "doing")
    wait_saved(page, b, status="doing", note="Venter på svar")
    problems = axe_violations(page, group_url(SMALL))

    # The same page opened from a share link: its dialog is open.
    code = base64.urlsafe_b64encode(json.dumps({"v": 1, "s": {b.id: "d"}}).encode())
    page.goto("./")
    page.goto(group_url(SMALL) + "#fremgang=" + code.decode().rstrip("="))
    expect(page.locator(OPEN_DIALOG)).to_be_visible()
    problems += axe_violations(page, group_url(SMALL) + " with the share dialog open")
    assert not problems, "\n".join(problems)


def test_axe_home_page_in_use(page: Page):
    a = FIRST.actionable[0]
    open_home(page)
    seed(page, {a.id: entry(a, "done", note="Klaret")})
    wait_enhanced_home(page)
    expect(inline_progress(page, FIRST)).to_have_text(line_for(FIRST, {a.id: "done"}))
    page.locator("button.drb-share").click()
    expect(page.locator("input.drb-share-url")).to_have_value(re.compile("#fremgang="))
    problems = axe_violations(page, "home")
    page.locator("button.drb-reset").click()
    expect(page.locator(OPEN_DIALOG)).to_be_visible()
    problems += axe_violations(page, "home with the reset dialog open")
    assert not problems, "\n".join(problems)


# --- 16. namespaced ids ---------------------------------------------------------------------------

# Task ids (src/drejebog/tasks.schema.json) and heading slugs never contain "--"; every id the
# checklist makes or looks up starts with "drb--", so the page's content cannot take one.
DATA_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
CHECKLIST_OFF = "/* the checklist is left out of this load */"


def all_ids(page: Page) -> list[str]:
    return page.evaluate("() => [...document.querySelectorAll('[id]')].map(e => e.id)")


def ids_without_checklist(page: Page, url: str) -> set[str]:
    """The ids of ``url`` as the page and Material make them, with an empty init.js."""
    pattern = "**/assets/checklist/init.js*"
    page.route(
        pattern, lambda route: route.fulfill(body=CHECKLIST_OFF, content_type="text/javascript")
    )
    page.goto(url)
    # Material has set the page up once its document$ has emitted (the checklist's start).
    page.evaluate("() => new Promise(done => window.document$.subscribe(() => done()))")
    expect(page.locator("html.drb-js")).to_have_count(0)
    ids = set(all_ids(page))
    page.unroute(pattern)
    return ids


def broken_references(page: Page) -> list[str]:
    """Id references (aria-*, label[for]) that do not name exactly one element."""
    return page.evaluate(
        """() => {
            const bad = [];
            const attrs = ["aria-describedby", "aria-labelledby", "aria-controls", "for"];
            for (const el of document.querySelectorAll(attrs.map(a => `[${a}]`).join(","))) {
                for (const attr of attrs) {
                    for (const id of (el.getAttribute(attr) || "").split(/\\s+/).filter(Boolean)) {
                        const n = document.querySelectorAll(`[id="${CSS.escape(id)}"]`).length;
                        if (n !== 1) bad.push(`${attr}=${id} names ${n} elements`);
                    }
                }
            }
            return bad;
        }"""
    )


def check_ids(page: Page, before: set[str], expected: set[str]) -> None:
    """Every id the checklist made (``all_ids`` minus ``before``) and every id starting
    with "drb" is namespaced, unique and, when referenced, resolvable."""
    ids = all_ids(page)
    made = set(ids) - before
    assert expected <= made, f"missing: {sorted(expected - made)}"
    ours = made | {i for i in ids if i.startswith("drb")}
    outside = sorted(i for i in ours if not i.startswith("drb--"))
    assert not outside, f"ids without the drb-- prefix: {outside}"
    twice = sorted({i for i in ids if ids.count(i) > 1})
    assert not twice, f"ids used more than once: {twice}"
    assert not broken_references(page), broken_references(page)


def test_every_id_the_checklist_uses_is_namespaced(page: Page):
    group = SMALL
    before = ids_without_checklist(page, group_url(group))
    first = group.actionable[0].id
    assert {"drb--manifest", f"drb--status-{first}", f"drb--check-{first}"} <= before
    open_group(page, group)
    expected = {"drb--live"}
    for task in group.actionable:
        open_work(page, task)  # the select and the note are made on first open
        expected |= {f"drb--{kind}-{task.id}" for kind in ("work-body", "select", "note", "hint")}
    check_ids(page, before, expected)

    before = ids_without_checklist(page, "./")
    open_home(page)
    page.locator("button.drb-share").click()
    expect(page.locator("input.drb-share-url")).to_be_visible()
    page.locator("button.drb-reset").click()
    expect(page.locator(OPEN_DIALOG)).to_be_visible()
    assert {"drb--progress-text", "drb--import", "drb--share-url"} <= before  # the template's
    check_ids(page, before, {"drb--live", "drb--dialog-title"})
    page.locator(OPEN_DIALOG).locator("button.drb-cancel").click()


def test_look_alike_ids_in_the_content_cannot_take_over(page: Page):
    """Content with the ids the checklist used before they were namespaced (each a valid
    task id, so a heading could carry it), placed before the checklist's own elements,
    changes nothing: the manifest, the live region and the status the checkbox names
    are still the checklist's."""
    a, b = SMALL.actionable[:2]
    m = len(SMALL.actionable)
    decoys = {
        "drb-manifest": '<div id="drb-manifest" hidden data-version="0000000000000000"></div>',
        "drb-live": '<div id="drb-live">Lokkedue</div>',
        f"drb-status-{a.id}": f'<p id="drb-status-{a.id}">Lokkedue</p>',
        f"drb-check-{b.id}": f'<h2 id="drb-check-{b.id}">Lokkedue</h2>',
    }
    assert all(DATA_ID.match(i) for i in decoys)
    article = '<article class="md-content__inner md-typeset">'

    def with_decoys(route):
        response = route.fetch()
        html = response.text()
        assert html.count(article) == 1, "the page's article was not found"
        body = html.replace(article, article + "".join(decoys.values()))
        route.fulfill(response=response, body=body)

    page.route(f"**/{group_url(SMALL)}", with_decoys)
    open_group(page, SMALL)
    expect(page.locator("#drb-live")).to_have_text("Lokkedue")  # the decoys are in the page
    expect(group_text(page)).to_have_text(progress_text(0, m))  # from the page's own manifest

    page.get_by_role("checkbox", name=a.title, exact=True).check()
    expect_task_state(page, a, "done")
    expect(check(page, a)).to_have_accessible_description(STATUS_TEXT["done"])
    expect(group_text(page)).to_have_text(progress_text(1, m))
    live = page.locator("#drb--live")
    expect(live).to_have_attribute("aria-live", "polite")
    expect(live).to_contain_text(f"1 af {m}")
    decoy_live = page.locator("#drb-live")
    expect(decoy_live).to_have_text("Lokkedue")
    expect(decoy_live).not_to_have_attribute("aria-live", re.compile("."))
    check(page, b).check()
    expect_task_state(page, b, "done")
    expect(page.locator(f"#drb-check-{b.id}")).to_have_text("Lokkedue")
    wait_saved(page, b, status="done")


# --- 17. branches: a broken share link, Escape, printing, leaving, Safari ----------------------


def test_broken_share_link_pasted_into_an_open_page(page: Page, base_url: str):
    open_home(page)
    page.evaluate("location.hash = '#fremgang=ikke-et-link'")  # hashchange, no reload
    dialog = page.locator(OPEN_DIALOG)
    expect(dialog.locator("h2")).to_have_text("Linket kunne ikke læses")
    expect(dialog.locator("button.drb-confirm")).to_have_count(0)
    expect(dialog.locator("button.drb-export")).to_have_count(0)
    dialog.locator("button.drb-cancel").click()  # "Luk"
    expect(page.locator(OPEN_DIALOG)).to_have_count(0)
    expect(page).to_have_url(base_url)


def test_escape_cancels_the_reset(page: Page):
    a = FIRST.actionable[0]
    open_home(page)
    seed(page, {a.id: entry(a, "done")})
    wait_enhanced_home(page)
    page.locator("button.drb-reset").click()
    expect(page.locator(OPEN_DIALOG)).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("dialog.drb-dialog")).to_have_count(0)
    expect(page.locator(".drb-message")).to_have_text("Intet er nulstillet.")
    assert saved_tasks(page)[a.id]["status"] == "done"


def test_notes_are_printed_and_written_when_the_page_is_left(page: Page):
    a, b = SMALL.actionable[:2]
    open_group(page, SMALL)
    seed(page, {a.id: entry(a, "doing", note="Til print")})
    wait_enhanced_group(page, SMALL)
    expect(page.locator(f"#drb--note-{a.id}")).to_have_count(0)  # made on first open only
    page.evaluate("dispatchEvent(new Event('beforeprint'))")
    expect(page.locator(f"#drb--note-{a.id}")).to_have_value("Til print")
    expect(page.locator(f"#drb--note-{b.id}")).to_have_count(0)  # no note: nothing to print

    # A note typed just before the page is left is written at once (not after the pause).
    open_work(page, b)
    stored = page.evaluate(
        """([k, id]) => {
            const note = document.getElementById("drb--note-" + id);
            note.value = "Skrevet lige før";
            note.dispatchEvent(new Event("input", {bubbles: true}));
            const before = localStorage.getItem(k);
            dispatchEvent(new PageTransitionEvent("pagehide"));
            return [before, JSON.parse(localStorage.getItem(k)).tasks[id].note];
        }""",
        [KEY, b.id],
    )
    assert "Skrevet lige før" not in stored[0] and stored[1] == "Skrevet lige før"


def test_safari_is_asked_to_export(new_context, page_guard, base_url: str):
    safari = (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.5 Safari/605.1.15"
    )
    context = new_context(user_agent=safari)
    page_guard.watch(context)
    page = context.new_page()
    open_home(page, base_url)
    expect(page.locator(".drb-safari")).to_be_visible()


def test_script_and_style_bytes_per_page_stay_in_budget(page: Page, site_dir: Path):
    """Every own JS and CSS file (gzip -9, as built: without comments) that a page loads
    when it is opened, per page type, within 15,360 bytes (README, benchmarks/run.py).
    A group page loads no panel code; the home page no task code; the dialogs' and the
    share link's code come when first needed; only the overview loads its own code and
    styles, within 21,504 bytes."""
    loaded: dict[str, set[str]] = {
        "group": set(),
        "home": set(),
        "dialog": set(),
        "overview": set(),
    }
    current = ["group"]
    page.on("response", lambda r: loaded[current[0]].add(urlsplit(r.url).path))
    open_group(page, SMALL)
    current[0] = "home"
    page.goto("./")
    wait_enhanced_home(page)
    expect(page.locator('[data-drb-module="practice"]:not([hidden])')).to_be_visible()
    current[0] = "dialog"
    page.locator("button.drb-reset").click()
    expect(page.locator(OPEN_DIALOG)).to_be_visible()
    current[0] = "overview"
    page.goto("overblik/")
    expect(page.locator("form.drb-filters")).to_be_visible()
    names = {}
    for kind, paths in loaded.items():
        # The project's own files: those that come from docs/ (not the theme's).
        files = {p for p in paths if (ROOT / "docs" / p.lstrip("/")).is_file()}
        names[kind] = {p.rsplit("/", 1)[-1] for p in files}
        size = sum(
            len(gzip.compress((site_dir / p.lstrip("/")).read_bytes(), 9, mtime=0)) for p in files
        )
        if kind != "dialog":
            assert {"drejebog.css", "init.js", "store.js"} <= names[kind], files
            # The overview alone loads the filters, the timeline and the calendar's code.
            budget = 21 * 1024 if kind == "overview" else 15 * 1024
            assert size <= budget, (kind, size, sorted(files))
    assert names["group"] >= {"task.js", "progress.js"}, names["group"]
    assert not {"panel.js", "dialog.js", "share.js", "transfer.js"} & names["group"], names["group"]
    assert names["home"] >= {"panel.js", "practice.js", "progress.js"}, names["home"]
    assert not {"task.js", "dialog.js", "share.js"} & names["home"], names["home"]
    assert names["overview"] >= {"overview.js", "overview.css"}, names["overview"]
    assert not {"overview.js", "overview.css", "ics.js"} & (names["group"] | names["home"])
    assert "dialog.js" in names["dialog"], names["dialog"]
    assert names["dialog"] <= {"dialog.js", "share.js"}, names["dialog"]


def test_the_manifest_is_one_file_fetched_once_for_the_pages_after(page: Page):
    """Every task's data for the checklist is one file, assets/manifest.json, of the version
    the page names (a new build is never read from an old copy): fetched on the first page,
    kept for the next ones of an instant navigation."""
    fetched: list[str] = []
    page.on("request", lambda r: "/assets/manifest.json" in r.url and fetched.append(r.url))
    open_home(page)
    version = page.locator("#drb--manifest").get_attribute("data-version")
    assert version and fetched and all(url.endswith(f"?v={version}") for url in fetched)
    page.locator(f'a[href$="{group_url(SMALL)}"]').first.click()
    wait_enhanced_group(page, SMALL)
    expect(page).to_have_url(re.compile(re.escape(group_url(SMALL)) + "$"))
    assert len(fetched) == 1, fetched
    assert "data-manifest" not in page.content()


def test_without_its_manifest_a_page_stays_as_it_is_without_javascript(page: Page, page_guard):
    """The manifest cannot be fetched (a server error): the checklist gives up on the page,
    which stays complete and readable, with no room kept for rows that never come; the next
    page tries again."""
    page_guard.ignore("manifest.json")  # the browser's own line about the failed request
    page.route("**/assets/manifest.json*", lambda route: route.fulfill(status=503, body="nede"))
    with page.expect_console_message(lambda m: "drejebog checklist" in m.text):
        page.goto(group_url(SMALL))
    html = page.locator("html")
    expect(html).not_to_have_class(re.compile(r"\bdrb-m?js\b"))
    expect(page.locator("input.drb-check").first).to_be_hidden()
    assert page.locator("input.drb-check").filter(visible=True).count() == 0
    for task in SMALL.tasks:
        expect(page.locator(f"h2#{task.id}")).to_be_visible()
    page.unroute("**/assets/manifest.json*")
    open_group(page, SMALL)


def test_each_fact_on_a_card_reads_as_name_colon_space_value(page: Page):
    """The cards' facts (Hvornår, Ansvarlig, ...) read "Hvornår: Før opstart": the colon is
    CSS (dt::after), the space between the name and the value is the page's."""
    open_group(page, SMALL)
    facts = page.locator(".drb-task .drb-facts > div")
    expect(facts.first).to_be_visible()
    found = facts.evaluate_all(
        """els => els.map(e => {
             const [dt, dd] = [e.querySelector("dt"), e.querySelector("dd")];
             return [e.innerText.replace(/\\s+/g, " ").trim(), dt.innerText.trim() + " " +
                     dd.innerText.replace(/\\s+/g, " ").trim(), getComputedStyle(dt, "::after").content];
           })"""
    )
    assert found and all(text == expected and colon == '":"' for text, expected, colon in found), (
        found
    )
