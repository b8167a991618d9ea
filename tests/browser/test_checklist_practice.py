"""Browser tests of the practice's settings on the home page (practice.js, Store#setPractice).

What docs/dev/checklist-contract.md ("Storage", "The practice's settings") promises: the
opening date, the practice type and the clinic's name are stored in the same value as the
ticks, as an optional ``practice`` field of version 1, so a value saved before they existed
loads with every tick and note intact; they merge between tabs as one entry; export,
import and reset carry them; an unreadable value is kept, not lost.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_checklist import (
    CANNOT_READ,
    FIRST,
    KEY,
    OPEN_DIALOG,
    PANEL,
    RUNBOOK,
    TOTAL,
    entry,
    group_url,
    open_group,
    open_home,
    overall_text,
    progress_text,
    section,
    seed,
    status,
    wait_enhanced_group,
    wait_enhanced_home,
)
from tests.support.axe import assert_no_violations

PRACTICE = '[data-drb-module="practice"]:not([hidden])'  # practice.js has made it
OPENING = "#drb--opening"
CLINIC = "#drb--clinic"


def stored(page: Page) -> dict:
    raw = page.evaluate("k => localStorage.getItem(k)", KEY)
    return json.loads(raw) if raw else {}


def open_settings(page: Page, url: str = "./") -> None:
    open_home(page, url)
    expect(page.locator(PRACTICE)).to_be_visible()


def set_opening(page: Page, value: str) -> None:
    page.fill(OPENING, value)
    page.locator(OPENING).dispatch_event("change")  # fill() on a date field fires input only


def set_name(page: Page, value: str) -> None:
    page.fill(CLINIC, value)
    page.locator(CLINIC).dispatch_event("change")


def wait_practice(page: Page, **fields: str) -> None:
    page.wait_for_function(
        """([k, want]) => {
            const v = JSON.parse(localStorage.getItem(k) || "{}").practice || {};
            return Object.entries(want).every(([f, x]) => v[f] === x);
        }""",
        arg=[KEY, fields],
    )


def test_a_value_saved_before_the_settings_loads_whole_and_keeps_them(page: Page):
    """A stored value in the exact format of the release before the settings."""
    a, b = FIRST.actionable[:2]
    open_home(page)
    old = {a.id: entry(a, "done", note="fra før"), b.id: entry(b, "na")}
    page.evaluate(
        "([k, v]) => localStorage.setItem(k, v)", [KEY, json.dumps({"version": 1, "tasks": old})]
    )
    open_settings(page)
    expect(overall_text(page)).to_have_text(progress_text(1, TOTAL - 1, out=1))
    expect(page.locator(OPENING)).to_have_value("")
    expect(page.locator('input[name="drb--type"]:checked')).to_have_count(0)

    set_opening(page, "2027-02-01")
    wait_practice(page, opening="2027-02-01")
    value = stored(page)
    assert value["version"] == 1
    assert value["tasks"] == old  # every tick and note as it was
    expect(page.locator(".drb-practice-message")).to_have_text("Gemt i denne browser.")


def test_settings_are_saved_and_shown_again(page: Page):
    open_settings(page)
    set_opening(page, "2027-02-01")
    page.get_by_label("Overtagelse af eksisterende praksis").check()
    set_name(page, "  Lægehuset Nord  ")
    wait_practice(page, opening="2027-02-01", type="takeover", name="Lægehuset Nord")
    practice = stored(page)["practice"]
    assert set(practice) == {"opening", "type", "name", "updated"}

    page.reload()
    wait_enhanced_home(page)
    expect(page.locator(OPENING)).to_have_value("2027-02-01")
    expect(page.get_by_label("Overtagelse af eksisterende praksis")).to_be_checked()
    expect(page.locator(CLINIC)).to_have_value("Lægehuset Nord")

    # An emptied field is removed; the settings keep a time stamp so that wins a merge.
    set_opening(page, "")
    page.wait_for_function(
        "k => !('opening' in JSON.parse(localStorage.getItem(k)).practice)", arg=KEY
    )
    assert stored(page)["practice"]["type"] == "takeover"


def test_another_tab_follows_the_settings(page: Page):
    open_settings(page)
    other = page.context.new_page()
    open_settings(other)
    set_opening(page, "2027-03-15")
    expect(other.locator(OPENING)).to_have_value("2027-03-15")
    other.get_by_label("Ny praksis").check()
    expect(page.get_by_label("Ny praksis")).to_be_checked()
    wait_practice(page, opening="2027-03-15", type="new")


def test_export_import_and_reset_carry_the_settings(page: Page, tmp_path: Path):
    a = FIRST.actionable[0]
    open_settings(page)
    seed(page, {a.id: entry(a, "done")})
    wait_enhanced_home(page)
    set_opening(page, "2027-02-01")
    set_name(page, "Klinik & Co")
    wait_practice(page, opening="2027-02-01", name="Klinik & Co")

    with page.expect_download() as info:
        page.locator(f"{PANEL} button.drb-export").click()
    exported_file = tmp_path / "fremgang.json"
    info.value.save_as(exported_file)
    exported = json.loads(exported_file.read_text(encoding="utf-8"))
    assert exported["practice"] == {"opening": "2027-02-01", "name": "Klinik & Co"}

    page.locator("button.drb-reset").click()
    dialog = page.locator(OPEN_DIALOG)
    expect(dialog).to_contain_text("oplysningerne om praksis")
    dialog.locator("button.drb-confirm").click()
    expect(page.locator(OPENING)).to_have_value("")
    expect(page.locator(CLINIC)).to_have_value("")
    assert stored(page) == {}

    # The export brings the settings back, after saying so.
    page.set_input_files("#drb--import", exported_file)
    dialog = page.locator(OPEN_DIALOG)
    expect(dialog).to_contain_text("Oplysningerne om praksis")
    dialog.locator("button.drb-confirm").click()
    expect(page.locator(OPENING)).to_have_value("2027-02-01")
    expect(page.locator(CLINIC)).to_have_value("Klinik & Co")
    expect(overall_text(page)).to_have_text(progress_text(1, TOTAL))

    # A file from before the settings leaves them as they are.
    old = {"format": "drejebog-fremgang", "version": 1, "exported": "2026-11-20T10:00:00Z"}
    old["tasks"] = {a.id: {"status": "na"}}
    upload = {
        "name": "gammel.json",
        "mimeType": "application/json",
        "buffer": json.dumps(old).encode(),
    }
    page.set_input_files("#drb--import", upload)
    page.locator(OPEN_DIALOG).locator("button.drb-confirm").click()
    expect(overall_text(page)).to_have_text(progress_text(0, TOTAL - 1, out=1))
    expect(page.locator(OPENING)).to_have_value("2027-02-01")


@pytest.mark.parametrize(
    "practice",
    [{"opening": "2027-02-30"}, {"type": "fusion"}, {"name": 7}, "ny"],
    ids=["impossible-date", "unknown-type", "name-not-text", "not-an-object"],
)
def test_unreadable_settings_are_reported_and_the_ticks_kept(page: Page, practice):
    a = FIRST.actionable[0]
    open_home(page)
    value = {"version": 1, "practice": practice, "tasks": {a.id: entry(a, "done")}}
    raw = json.dumps(value)
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [KEY, raw])
    open_settings(page)
    expect(page.get_by_text(CANNOT_READ)).to_be_visible()
    expect(overall_text(page)).to_have_text(progress_text(1, TOTAL))
    assert page.evaluate("k => localStorage.getItem(k)", KEY + ":broken") == raw
    assert stored(page)["tasks"][a.id]["status"] == "done"


def test_settings_on_a_phone_are_big_enough_and_pass_axe(page: Page):
    page.set_viewport_size({"width": 390, "height": 844})
    open_settings(page)
    set_opening(page, "2027-02-01")
    page.get_by_label("Ny praksis").check()
    wait_practice(page, opening="2027-02-01", type="new")
    controls = page.locator(f"{PRACTICE} input[type=date], {PRACTICE} input[type=text]")
    targets = [*controls.all(), *page.locator(f"{PRACTICE} fieldset label").all()]
    assert len(targets) == 4
    for target in targets:
        box = target.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, (target, box)
    assert_no_violations(page, "home with the settings in use @390px")


# --- what the settings change: windows, waiting, the type of practice ----------------------

DAY_NAMES = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]
MONTHS = [
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
]  # fmt: skip
OPENING_DAY = date(2027, 2, 1)
TODAY = date(2027, 1, 10)  # a Sunday three weeks before; the clock is fixed at 10:00 local


def danish(day: date, weekday: bool = False) -> str:
    text = f"{day.day}. {MONTHS[day.month - 1]} {day.year}"
    return f"{DAY_NAMES[day.weekday()]} den {text}" if weekday else text


def window(task) -> tuple[str, str] | None:
    """The (state, text) a card shows for an open task, from the data (README, contract)."""
    t = task.timing
    start = (
        t.earliest_day if t.earliest_day is not None else (0 if t.after and not t.before else None)
    )
    due = (
        t.due_day
        if t.due_day is not None
        else (0 if t.before == "required" and t.after != "required" else None)
    )
    if start is not None and OPENING_DAY + timedelta(start) > TODAY:
        return "not-yet", f"Kan tidligst gøres fra {danish(OPENING_DAY + timedelta(start))}"
    if due is None:
        return None
    day = OPENING_DAY + timedelta(due)
    late = (TODAY - day).days
    if late > 0:
        return "overdue", f"Forsinket {late} {'dag' if late == 1 else 'dage'}"
    if late == 0:
        return "today", "Senest i dag"
    relative = {-1: "i morgen", -2: "i overmorgen"}.get(late, f"om {-late} dage")
    return "due", f"Senest {danish(day, weekday=True)} ({relative})"


@pytest.fixture
def dated(browser, base_url: str, page_guard):
    """A page in Copenhagen's time zone with the clock fixed at TODAY 10:00."""
    context = browser.new_context(timezone_id="Europe/Copenhagen", base_url=base_url)
    page_guard.watch(context)
    page = context.new_page()
    page.clock.set_fixed_time(f"{TODAY.isoformat()}T10:00:00+01:00")
    yield page
    context.close()


def store_practice(page: Page, practice: dict, tasks: dict | None = None) -> None:
    page.goto("./")
    value = {"version": 1, "practice": practice, "tasks": tasks or {}}
    page.evaluate("([k, v]) => localStorage.setItem(k, JSON.stringify(v))", [KEY, value])


@pytest.mark.parametrize("group", RUNBOOK.groups, ids=lambda g: g.id)
def test_cards_show_each_tasks_window_from_the_opening_date(dated: Page, group):
    store_practice(dated, {"opening": OPENING_DAY.isoformat()})
    open_group(dated, group)
    for task in group.actionable:
        line = section(dated, task).locator(".drb-plan")
        expected = window(task)
        text = expected[1] + "." if expected else ""
        if task.timing.repeat:
            every = {"monthly": "hver måned", "quarterly": "hvert kvartal", "yearly": "hvert år"}
            text = (
                expected[1] + ". " if expected else ""
            ) + f"Gentages {every[task.timing.repeat.every]}."
        if text:
            expect(line).to_have_text(re.compile("^" + re.escape(text)))
        else:
            expect(line).not_to_have_text(re.compile("Senest|Forsinket|Kan tidligst|Gentages"))
        if expected:
            expect(line).to_have_attribute("data-state", expected[0])
        else:
            expect(line).not_to_have_attribute("data-state", re.compile("."))


def test_a_task_says_what_it_waits_for_until_that_is_done(page: Page):
    task = next(
        t
        for t in RUNBOOK.tasks()
        if t.depends_on and not any(RUNBOOK.task(d).is_info for d in t.depends_on)
    )
    group = RUNBOOK.group(task.group_id)
    open_group(page, group)
    waiting = section(page, task).locator(".drb-waiting")
    titles = [RUNBOOK.task(d).title for d in task.depends_on]
    expect(waiting.locator("a")).to_have_text(titles)
    link = waiting.locator("a").first
    dep = RUNBOOK.task(task.depends_on[0])
    href = link.evaluate("a => a.href")
    assert href.endswith(f"{group_url(dep.group_id)}#{dep.id}"), href

    seed(page, {d: entry(RUNBOOK.task(d), "done") for d in task.depends_on}, url=group_url(group))
    wait_enhanced_group(page, group)
    expect(section(page, task).locator(".drb-waiting")).to_have_count(0)


def left_out(kind: str) -> list:
    return [
        t for t in RUNBOOK.tasks() if not t.is_info and t.applies_to and kind not in t.applies_to
    ]


# The types of practice for which the data has tasks to fold (a takeover-only task today).
FOLDING = [k for k in ("new", "takeover") if left_out(k)]


@pytest.mark.parametrize("kind", FOLDING or ["new"])
def test_the_type_of_practice_folds_the_tasks_of_the_other_type(page: Page, kind: str):
    other = left_out(kind)
    assert other, "no task in data/tasks.yaml applies to one type of practice only"
    task = other[0]
    open_settings(page)
    seed(page, {task.id: entry(task, "doing", note="behold")})
    wait_enhanced_home(page)
    page.locator(f'input[name="drb--type"][value="{kind}"]').check()
    expect(overall_text(page)).to_have_text(progress_text(0, TOTAL - len(other), out=len(other)))

    group = RUNBOOK.group(task.group_id)
    open_group(page, group)
    card = section(page, task)
    expect(card).to_have_attribute("data-drb-folded", "")
    expect(card.locator(".drb-plan")).to_contain_text("Gælder ikke for jer")
    expect(card.locator(".drb-work-toggle")).to_be_hidden()
    expect(card.locator("dl.drb-facts")).to_be_hidden()

    # Back to "unknown" (no type): everything as before, the status and note untouched.
    page.evaluate(
        """k => { const v = JSON.parse(localStorage.getItem(k));
                  delete v.practice.type; localStorage.setItem(k, JSON.stringify(v)); }""",
        KEY,
    )
    page.reload()
    wait_enhanced_group(page, group)
    expect(section(page, task)).not_to_have_attribute("data-drb-folded", "")
    expect(status(page, task)).to_have_text("I gang")
    assert stored(page)["tasks"][task.id]["note"] == "behold"
