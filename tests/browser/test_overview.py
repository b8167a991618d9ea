"""Browser tests of the overview page, ``overblik/`` (overview.md.j2, overview.js and the
overview's part of drejebog.css).

Without the script the page is one complete table, as the region's paper schema; with it the
rows are regrouped into phases (by the opening date when there is one), filtered from the
address's query, and the page gets a timeline, a calendar file and a print header.

Every expectation is worked out here from the data (``RUNBOOK``) and the statuses a test
stores, by the rules overview.js documents (``phaseOf``, ``choicesOf``/``facets``, the
timeline's "open, applying and dated"), never read from the page under test. The stored value
is put in place before the page's first load (``preset``), so most tests load one page.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from datetime import date, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit

import icalendar
import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from drejebog.model import STATUSES, Task
from tests.browser.test_checklist import KEY, RUNBOOK, entry, group_url
from tests.browser.test_checklist_practice import (
    FOLDING,
    OPENING_DAY,
    TODAY,
    danish,
    set_name,
    set_opening,
    window,
)
from tests.support.axe import assert_no_violations

# Run against both builds, MkDocs + Material and Zensical (tests/conftest.py).
pytestmark = pytest.mark.zensical

URL = "overblik/"
OVERVIEW = '[data-drb-module="overview"]'
PRACTICE = '[data-drb-module="practice"]:not([hidden])'  # practice.js has made it
FILTERS = ("status", "fase", "ansvarlig", "gruppe")  # the query's order
STATUS_TEXT = {s.id: s.label for s in STATUSES}
EVERY = {"monthly": "hver måned", "quarterly": "hvert kvartal", "yearly": "hvert år"}
# overview.js's phases in their order, with their headings (the page's wording).
PHASES = {
    "forsinket": "Forsinket",
    "nu": "Nu (denne uge)",
    "snart": "De næste 4 uger",
    "senere": "Senere før opstart",
    "foer": "Før opstart",
    "efter": "Efter opstart",
    "faerdig": "Færdig",
    "ikke": "Gælder ikke for jer",
    "regionen": "Klares af regionen",
}
# The folded phases' buttons (closed), before the count.
FOLD_LABEL = {"faerdig": "Vis færdige opgaver", "ikke": "Vis opgaver, der ikke gælder for jer"}
BLANK = re.compile(r"^_+$")  # a print header's blank to write in

TASKS = list(RUNBOOK.tasks())
RUNBOOK_INDEX = {t.id: i for i, t in enumerate(TASKS)}
BY_ID = {t.id: t for t in TASKS}
ACTIONABLE = [t for t in TASKS if not t.is_info]
INFO = [t for t in TASKS if t.is_info]
# The responsible parties in the order they first appear (the filter's choices).
RESPONSIBLE = list(dict.fromkeys(who for t in ACTIONABLE for who in t.responsible))
ACTIONABLE_GROUPS = [g for g in RUNBOOK.groups if g.actionable]
# A type of practice that leaves some task out (the "Gælder ikke for jer" phase), if any.
KIND = FOLDING[0] if FOLDING else None
CLINIC = "Lægehuset Nord & Co"


# --- the rules, from the data ----------------------------------------------------------------


def is_open(status: str) -> bool:
    return status in ("todo", "doing")


def applies(task: Task, kind: str | None) -> bool:
    return not kind or not task.applies_to or kind in task.applies_to


def start_offset(task: Task) -> int | None:
    """The start day relative to the opening: earliest, else 0 for an after-only task."""
    t = task.timing
    if t.earliest_day is not None:
        return t.earliest_day
    return 0 if t.after and not t.before else None


def key_day(task: Task) -> float:
    """A phase's sort key: the deadline, else the earliest day, else 0 after-only, else last."""
    t = task.timing
    if t.effective_due_day is not None:
        return t.effective_due_day
    if t.earliest_day is not None:
        return t.earliest_day
    return 0 if t.after and not t.before else math.inf


def phase_of(task: Task, status: str, opening: date | None, kind: str | None) -> str:
    if task.is_info:
        return "regionen"
    if not applies(task, kind):
        return "ikke"
    if not is_open(status):
        return "faerdig"
    if opening is None:
        return "foer" if task.timing.before else "efter"
    due = task.timing.effective_due_day
    if due is not None:
        day = opening + timedelta(due)
        if day < TODAY:
            return "forsinket"
        if day <= TODAY + timedelta(6):
            return "nu"
        if day <= TODAY + timedelta(27):
            return "snart"
    return "senere" if task.timing.before and (due is None or due <= 0) else "efter"


def phases(statuses: dict[str, str], opening: date | None, kind: str | None) -> dict[str, list]:
    """Each phase's task ids: by date (due, else earliest, else after-only first) and then
    in runbook order; every phase in runbook order without an opening date."""
    found: dict[str, list[Task]] = {p: [] for p in PHASES}
    for task in TASKS:
        found[phase_of(task, statuses.get(task.id, "todo"), opening, kind)].append(task)
    for tasks in found.values():
        if opening is not None:
            tasks.sort(key=lambda t: (key_day(t), RUNBOOK_INDEX[t.id]))
    return {p: [t.id for t in tasks] for p, tasks in found.items()}


def window_line(task: Task) -> tuple[str, str] | None:
    """A row's (and the timeline's) window with the opening date: ``window()`` of the cards
    and, for a repeated task, "Gentages …" (dates.js windowOf)."""
    found = window(task)
    state, text = found if found else ("none", "")
    if task.timing.repeat:
        text += (". " if text else "") + f"Gentages {EVERY[task.timing.repeat.every]}"
    return (state, text) if text else None


def dated_day(task: Task) -> date | None:
    """The day the timeline and the calendar put an open task at: its deadline, else its
    start day; None for a task without either."""
    due = task.timing.effective_due_day
    offset = due if due is not None else start_offset(task)
    return None if offset is None else OPENING_DAY + timedelta(offset)


def dated_tasks(statuses: dict[str, str], kind: str | None) -> list[Task]:
    """The open, applying tasks with a day, by day and then in runbook order."""
    tasks = [
        t
        for t in ACTIONABLE
        if is_open(statuses.get(t.id, "todo")) and applies(t, kind) and dated_day(t)
    ]
    return sorted(tasks, key=lambda t: (dated_day(t), RUNBOOK_INDEX[t.id]))


def choices(task: Task, status: str) -> dict[str, list[str]]:
    """The values of each filter that show the task ("" = all)."""
    fase = [""]
    if task.timing.before:
        fase.append("foer")
    if task.timing.after:
        fase.append("efter")
    return {
        "status": ["", "aabne", status] if is_open(status) else ["", status],
        "fase": fase,
        "ansvarlig": ["", *(task.responsible or ["-"])],
        "gruppe": ["", task.group_id],
    }


def filtered(statuses: dict[str, str], filters: dict[str, str], kind: str | None = None):
    """What the filters show: the row ids, each choice's count (with the other filters as
    they are), and the result line. Rows the region handles show only under no filter but the
    group; rows for the other type of practice only under no filter at all; neither counts."""
    shown: set[str] = set()
    counts: dict[str, Counter] = {k: Counter() for k in FILTERS}
    total = count = 0
    anything = any(filters.values())
    for task in TASKS:
        if task.is_info:
            if not (filters["status"] or filters["fase"] or filters["ansvarlig"]) and filters[
                "gruppe"
            ] in ("", task.group_id):
                shown.add(task.id)
            continue
        if not applies(task, kind):
            if not anything:
                shown.add(task.id)
            continue
        mine = choices(task, statuses.get(task.id, "todo"))
        misses = [k for k in FILTERS if filters[k] not in mine[k]]
        total += 1
        if not misses:
            shown.add(task.id)
            count += 1
        for k in FILTERS:
            if not misses or misses == [k]:
                counts[k].update(mine[k])
    noun = "opgave" if total == 1 else "opgaver"
    line = f"Viser {count} af {total} {noun}." if anything else f"Viser alle {total} {noun}."
    return shown, counts, line


# The filters' choices (values and the page's labels, before the count), from the data.
OPTIONS = {
    "status": {"": "Alle", "aabne": "Ikke færdige", **STATUS_TEXT},
    "fase": {"": "Alle", "foer": "Før opstart", "efter": "Efter opstart"},
    "ansvarlig": {"": "Alle", **{who: who for who in RESPONSIBLE}, "-": "Ikke angivet"},
    "gruppe": {"": "Alle", **{g.id: g.title for g in ACTIONABLE_GROUPS}},
}


def mixed_statuses(pattern=("todo", "done", "doing", "todo", "na", "done")) -> dict[str, str]:
    """Every status somewhere, by the tasks' places in the runbook."""
    return {t.id: pattern[i % len(pattern)] for i, t in enumerate(ACTIONABLE)}


def stored_tasks(statuses: dict[str, str], notes: dict[str, str] | None = None) -> dict:
    notes = notes or {}
    return {
        t.id: entry(t, statuses.get(t.id, "todo"), note=notes.get(t.id))
        for t in ACTIONABLE
        if statuses.get(t.id, "todo") != "todo" or t.id in notes
    }


# --- the page ---------------------------------------------------------------------------------


PRESET = """([key, value]) => {
    try {
        if (sessionStorage.getItem("drb-test-preset")) return;
        sessionStorage.setItem("drb-test-preset", "1");
        localStorage.setItem(key, JSON.stringify(value));
    } catch (e) {}  // about:blank
}"""


def preset(page: Page, tasks: dict | None = None, practice: dict | None = None) -> None:
    """Store a value before this tab's first page runs its script (and only then: a reload
    finds what the page saved since)."""
    value: dict = {"version": 1, "tasks": tasks or {}}
    if practice:
        value["practice"] = practice
    arg = json.dumps([KEY, value], ensure_ascii=False)
    page.add_init_script(f"({PRESET})({arg})")


def open_overview(page: Page, query: str = "") -> None:
    """Open the overview and wait until the script has enhanced it (the filters show)."""
    page.goto(URL + query)
    expect(page.locator(f"{OVERVIEW} form.drb-filters")).to_be_visible()
    expect(result_line(page)).to_have_text(re.compile(r"^Viser "))


def result_line(page: Page) -> Locator:
    return page.locator(f"{OVERVIEW} .drb-filter-result[role=status]")


def row(page: Page, task: Task | str) -> Locator:
    task_id = task if isinstance(task, str) else task.id
    return page.locator(f'{OVERVIEW} tr[data-task-id="{task_id}"]')


def body(page: Page, phase: str) -> Locator:
    return page.locator(f'{OVERVIEW} table > tbody[data-phase="{phase}"]')


def fold_button(page: Page, phase: str) -> Locator:
    return body(page, phase).locator("button.drb-fold")


def shown_phases(page: Page) -> dict[str, dict]:
    """Each tbody's phase: whether hidden, its heading and its rows' ids in order."""
    return page.evaluate(
        """sel => Object.fromEntries([...document.querySelectorAll(sel + " table > tbody")]
            .map(b => [b.dataset.phase, {
                hidden: b.hidden,
                head: b.rows[0].cells[0].textContent.trim(),
                ids: [...b.querySelectorAll("tr[data-task-id]")].map(r => r.dataset.taskId),
            }]))""",
        OVERVIEW,
    )


def place_folded(page: Page) -> None:
    """Put the folded phases' rows in place, as printing does (``beforeprint``): until a
    folded phase is first opened its rows stay hidden where they are (``data-parked``)."""
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    expect(page.locator(f"{OVERVIEW} tr[data-parked]")).to_have_count(0)


def wait_query(page: Page, pairs: list[tuple[str, str]]) -> None:
    """The address's query becomes ``pairs`` (written just after the filters apply)."""
    page.wait_for_function(
        "want => JSON.stringify([...new URLSearchParams(location.search)]) === want",
        arg=json.dumps([list(p) for p in pairs], separators=(",", ":"), ensure_ascii=False),
    )


def visible_rows(page: Page) -> set[str]:
    return set(
        page.locator(f"{OVERVIEW} tr[data-task-id]").evaluate_all(
            "rows => rows.filter(r => !r.hidden).map(r => r.dataset.taskId)"
        )
    )


def status_cells(page: Page) -> dict[str, list]:
    """Each actionable row's status cell: [status words, waiting line, note line]."""
    return page.evaluate(
        """sel => Object.fromEntries([...document.querySelectorAll(sel + " tr.drb-row")]
            .filter(r => !r.classList.contains("drb-row--info")).map(r => {
                const cell = r.cells[4];
                const text = c => { const e = cell.querySelector(c); return (e && e.textContent) || null; };
                return [r.dataset.taskId, [text("strong.drb-status"), text(".drb-waiting"),
                                           text(".drb-row-note")]];
            }))""",
        OVERVIEW,
    )


def pdf_pages(page: Page) -> int:
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.fixture
def dated(new_context, page_guard) -> Page:
    """A page in Copenhagen's time zone with the clock fixed at TODAY 10:00 (as in
    test_checklist_practice)."""
    context: BrowserContext = new_context(timezone_id="Europe/Copenhagen")
    page_guard.watch(context)
    page = context.new_page()
    page.clock.set_fixed_time(f"{TODAY.isoformat()}T10:00:00+01:00")
    return page


def with_date(**extra) -> dict:
    value = {"opening": OPENING_DAY.isoformat(), **extra}
    if KIND:
        value["type"] = KIND
    return value


def tie_pair() -> dict[str, str]:
    """Two finished tasks with the same sort key, the after-only one first in the runbook and
    the before one later: the table's rows come before-tasks first, the runbook does not."""
    for i, a in enumerate(ACTIONABLE):
        for b in ACTIONABLE[i + 1 :]:
            if (
                not a.timing.before
                and b.timing.before
                and key_day(a) == key_day(b)
                and applies(a, KIND)
                and applies(b, KIND)
            ):
                return {a.id: "done", b.id: "done"}
    return {}


# --- 1. without JavaScript -------------------------------------------------------------------


def test_without_javascript_the_overview_is_one_complete_table(
    new_context, page_guard, base_url: str
):
    context = new_context(java_script_enabled=False)
    page_guard.watch(context)
    page = context.new_page()
    page.goto(base_url + URL)

    # "Overblik" comes right after "Forside" in the site's navigation.
    top = page.locator("nav.md-nav--primary > ul > li > .md-nav__link").evaluate_all(
        "links => links.map(l => l.textContent.trim())"
    )
    assert top[:2] == ["Forside", "Overblik"], top
    link = page.locator("nav.md-nav--primary > ul > li > a.md-nav__link").nth(1)
    assert link.evaluate("a => a.href") == base_url + URL

    table = page.locator(f"{OVERVIEW} table.drb-table")
    expect(table.locator("thead th")).to_have_text(
        ["Hvornår", "Opgave", "Ansvarlig", "Hvem kan hjælpe", "Status"]
    )
    before = [t.id for t in ACTIONABLE if t.timing.before]
    after = [t.id for t in ACTIONABLE if not t.timing.before]
    sections = {"foer": before, "efter": after, "regionen": [t.id for t in INFO]}
    heads = {"foer": "Før opstart", "efter": "Efter opstart", "regionen": "Klares af regionen"}
    found = shown_phases(page)
    assert list(found) == [p for p in sections if sections[p]]
    for phase, ids in sections.items():
        if ids:
            assert found[phase] == {"hidden": False, "head": heads[phase], "ids": ids}, phase
    assert sorted(i for s in found.values() for i in s["ids"]) == sorted(BY_ID)

    rows = page.evaluate(
        """sel => [...document.querySelectorAll(sel + " tr[data-task-id]")].map(r => ({
            id: r.dataset.taskId,
            cells: r.cells.length,
            title: r.querySelector("th.drb-what > a").textContent,
            href: r.querySelector("th.drb-what > a").href,
            who: r.querySelector("td.drb-who").textContent,
            help: r.querySelector("td.drb-help").textContent,
            status: r.cells[4].textContent,
        }))""",
        OVERVIEW,
    )
    for shown in rows:
        task = BY_ID[shown["id"]]
        assert shown["cells"] == 5, task.id
        assert shown["title"] == task.title, task.id
        assert shown["href"] == f"{base_url}{group_url(task.group_id)}#{task.id}", task.id
        who = ", ".join(task.responsible) or ("Regionen" if task.is_info else "")
        assert shown["who"] == who, task.id
        assert shown["status"] == ("Klares af regionen" if task.is_info else ""), task.id
        for contact in (RUNBOOK.contact(c) for c in task.help):
            people = [x for p in contact.people for x in (p.name, p.email, p.phone)]
            for text in (contact.name, contact.email, contact.phone, *people):
                if text:
                    assert text in shown["help"], (task.id, contact.id, text)

    # Nothing of the script's shows.
    expect(page.locator(f"{OVERVIEW} form.drb-filters")).to_be_hidden()
    expect(page.locator(f"{OVERVIEW} .drb-timeline")).to_be_hidden()
    practice = page.locator('[data-drb-module="practice"]')
    expect(practice).to_have_count(1)
    expect(practice).to_be_hidden()
    expect(page.locator("button.drb-fold")).to_have_count(0)

    # On paper: at most four A4 pages, the header's blanks to write in.
    assert pdf_pages(page) <= 4
    for part in ("clinic", "opening", "date"):
        expect(page.locator(f".drb-print-{part}")).to_have_text(BLANK)
    expect(page.locator(".drb-print-head")).to_be_visible()


# --- 2. phases by the opening date -----------------------------------------------------------


def test_rows_fall_into_phases_by_the_opening_date(dated: Page):
    page = dated
    statuses = {**mixed_statuses(), **tie_pair()}
    preset(page, stored_tasks(statuses), with_date())
    open_overview(page)
    expected = phases(statuses, OPENING_DAY, KIND)

    # The folded phases' rows wait hidden where they are until opened or printed.
    for phase in ("faerdig", "ikke"):
        for task_id in expected[phase]:
            expect(row(page, task_id)).to_have_attribute("data-parked", "")
            expect(row(page, task_id)).to_be_hidden()
    place_folded(page)
    found = shown_phases(page)
    assert list(found) == list(PHASES)  # every phase, in their order
    for phase, ids in expected.items():
        assert set(found[phase]["ids"]) == set(ids), phase
        assert found[phase]["hidden"] == (not ids), phase
        if ids and phase not in FOLD_LABEL:
            assert found[phase]["head"] == f"{PHASES[phase]} ({len(ids)})", phase

    # Each open row's window from the opening date.
    lines = page.evaluate(
        """sel => Object.fromEntries([...document.querySelectorAll(sel + " tr.drb-row")]
            .map(r => { const w = r.querySelector(".drb-window");
                        return [r.dataset.taskId, w.textContent ? [w.dataset.state, w.textContent] : null]; }))""",
        OVERVIEW,
    )
    for task in ACTIONABLE:
        open_here = is_open(statuses.get(task.id, "todo")) and applies(task, KIND)
        want = window_line(task) if open_here else None
        assert lines[task.id] == (list(want) if want else None), task.id

    # The finished rows are folded until their button opens them.
    done = expected["faerdig"]
    assert done, "the test stores finished tasks"
    button = fold_button(page, "faerdig")
    expect(button).to_have_text(f"Vis færdige opgaver ({len(done)})")
    expect(button).to_have_attribute("aria-expanded", "false")
    for task_id in done:
        expect(row(page, task_id)).to_be_hidden()
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(button).to_have_text(f"Skjul færdige opgaver ({len(done)})")
    for task_id in done:
        expect(row(page, task_id)).to_be_visible()
    button.click()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(row(page, done[0])).to_be_hidden()
    for task_id in expected["ikke"]:
        expect(fold_button(page, "ikke")).to_have_attribute("aria-expanded", "false")
        expect(row(page, task_id)).to_be_hidden()
        status = row(page, task_id).locator("strong.drb-status")
        expect(status).to_have_text("Gælder ikke for jer")

    # Without a date: before and after the opening (the settings' form is on this page too).
    set_opening(page, "")
    undated = phases(statuses, None, KIND)
    expect(body(page, "foer").locator("tr.drb-phase-head th")).to_have_text(
        f"Før opstart ({len(undated['foer'])})"
    )
    found = shown_phases(page)
    for phase, ids in undated.items():
        assert set(found[phase]["ids"]) == set(ids), phase
        assert found[phase]["hidden"] == (not ids), phase
    expect(page.locator(f"{OVERVIEW} .drb-timeline")).to_be_hidden()

    # The other type's button, in Danish word order ('der ikke gælder').
    if undated["ikke"]:
        expect(fold_button(page, "ikke")).to_have_text(
            f"{FOLD_LABEL['ikke']} ({len(undated['ikke'])})"
        )


def test_rows_within_a_phase_are_by_date_then_in_runbook_order(dated: Page):
    """With a date by the deadline (else the start day, else after-only at 0) and then in
    runbook order; without one in runbook order. The stored statuses finish an after-only task
    and a later before-task with the same key (tie_pair)."""
    page = dated
    statuses = {**mixed_statuses(), **tie_pair()}
    preset(page, stored_tasks(statuses), with_date())
    open_overview(page)
    place_folded(page)
    dated_order = {p: s["ids"] for p, s in shown_phases(page).items()}

    set_opening(page, "")
    undated = phases(statuses, None, KIND)
    expect(body(page, "foer").locator("tr.drb-phase-head th")).to_have_text(
        f"Før opstart ({len(undated['foer'])})"
    )
    without = {p: s["ids"] for p, s in shown_phases(page).items()}
    assert dated_order == phases(statuses, OPENING_DAY, KIND)
    assert without == undated


# --- 3. filters --------------------------------------------------------------------------------


def expect_filters(
    page: Page, statuses: dict[str, str], filters: dict[str, str], kind: str | None
) -> None:
    """The rows, every choice's count, the result line, the selects and each phase's
    heading (its count of shown rows; hidden when none) for ``filters``."""
    shown, counts, line = filtered(statuses, filters, kind)
    expect(result_line(page)).to_have_text(line)
    for k in FILTERS:
        select = page.locator(f"{OVERVIEW} select[data-filter={k}]")
        expect(select).to_have_value(filters[k])
        options = select.locator("option").evaluate_all("os => os.map(o => [o.value, o.text])")
        assert [v for v, _ in options] == list(OPTIONS[k]), k
        for value, text in options:
            assert text == f"{OPTIONS[k][value]} ({counts[k][value]})", (k, value)
    expect(page.locator(f"{OVERVIEW} tr[data-task-id]:not([hidden])")).to_have_count(len(shown))
    assert visible_rows(page) == shown, filters
    found = shown_phases(page)
    for phase, ids in phases(statuses, None, kind).items():
        n = len(shown.intersection(ids))
        assert found[phase]["hidden"] == (n == 0), (phase, filters)
        if n and phase != "ikke":  # that button's wording: test_rows_fall_into_phases_…
            title = FOLD_LABEL.get(phase, PHASES[phase])
            assert found[phase]["head"] == f"{title} ({n})", (phase, filters)


def query_of(page: Page) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(page.url).query)


def test_filters_show_the_matching_rows_count_each_choice_and_keep_the_query(page: Page):
    statuses = mixed_statuses()
    group = max(ACTIONABLE_GROUPS, key=lambda g: len(g.actionable))
    who = Counter(w for t in ACTIONABLE for w in t.responsible).most_common(1)[0][0]
    preset(page, stored_tasks(statuses), {"type": KIND} if KIND else None)
    # A bookmark: known values apply in any order, unknown ones are ignored.
    query = urlencode({"gruppe": group.id, "fase": "ukendt", "status": "aabne", "x": "1"})
    open_overview(page, "?" + query)
    filters = {"status": "aabne", "fase": "", "ansvarlig": "", "gruppe": group.id}
    expect_filters(page, statuses, filters, KIND)

    steps = [("ansvarlig", who), ("fase", "efter"), ("status", "done"), ("ansvarlig", "-")]
    steps += [("gruppe", ""), ("fase", "foer"), ("status", "")]
    for k, value in steps:
        page.select_option(f"{OVERVIEW} select[data-filter={k}]", value)
        filters[k] = value
        expect_filters(page, statuses, filters, KIND)
        wait_query(page, [(f, filters[f]) for f in FILTERS if filters[f]])
        assert query_of(page) == [(f, filters[f]) for f in FILTERS if filters[f]], page.url
        assert urlsplit(page.url).path.endswith("/" + URL)

    page.get_by_role("button", name="Vis alle").click()
    filters = dict.fromkeys(FILTERS, "")
    expect_filters(page, statuses, filters, KIND)
    wait_query(page, [])
    assert urlsplit(page.url).query == ""


# --- 4. status cells ------------------------------------------------------------------------


def expected_cells(statuses: dict[str, str], notes: dict[str, str]) -> dict[str, list]:
    cells = {}
    for task in ACTIONABLE:
        status = statuses.get(task.id, "todo")
        waiting = [
            BY_ID[d].title
            for d in task.depends_on
            if not BY_ID[d].is_info and is_open(statuses.get(d, "todo")) and is_open(status)
        ]
        words = "Kan ikke startes endnu" if waiting and status == "todo" else STATUS_TEXT[status]
        cells[task.id] = [
            words,
            "Venter på: " + ", ".join(waiting) if waiting else None,
            "Note: " + notes[task.id] if notes.get(task.id) else None,
        ]
    return cells


def test_status_cells_say_the_status_what_it_waits_for_and_the_note(page: Page):
    statuses = mixed_statuses()
    waiter = next(t for t in ACTIONABLE if any(not BY_ID[d].is_info for d in t.depends_on))
    deps = [d for d in waiter.depends_on if not BY_ID[d].is_info]
    statuses.update({waiter.id: "todo", **dict.fromkeys(deps, "todo")})
    finished = next(t for t in ACTIONABLE if statuses[t.id] == "done" and t.id not in deps)
    notes = {waiter.id: "Ring <b>kl. 9</b> & spørg\nefter Jens", finished.id: "Klaret i maj"}
    preset(page, stored_tasks(statuses, notes))
    open_overview(page)
    place_folded(page)
    cell = row(page, waiter).locator("td.drb-cell-status")
    expect(cell.locator("strong.drb-status")).to_have_text("Kan ikke startes endnu")
    expect(cell.locator(".drb-waiting")).to_have_text(
        "Venter på: " + ", ".join(BY_ID[d].title for d in deps)
    )
    assert status_cells(page) == expected_cells(statuses, notes)
    for task in INFO:
        expect(row(page, task).locator("td.drb-cell-status")).to_have_text("Klares af regionen")

    # Another tab finishes the dependencies, reopens a task and changes the notes.
    changed = {**statuses, **dict.fromkeys(deps, "done"), finished.id: "doing"}
    notes = {finished.id: "Åbnet igen"}
    other = page.context.new_page()
    other.goto("om/")  # a page of the site without the overview
    other.evaluate(
        "([k, v]) => localStorage.setItem(k, JSON.stringify(v))",
        [KEY, {"version": 1, "tasks": stored_tasks(changed, notes)}],
    )
    expect(cell.locator("strong.drb-status")).to_have_text(STATUS_TEXT["todo"])
    expect(cell.locator(".drb-waiting")).to_be_empty()
    expect(row(page, finished).locator(".drb-row-note")).to_have_text("Note: Åbnet igen")
    assert status_cells(page) == expected_cells(changed, notes)
    found = shown_phases(page)
    assert {p: set(s["ids"]) for p, s in found.items()} == {
        p: set(ids) for p, ids in phases(changed, None, None).items()
    }


# --- 5. the timeline ------------------------------------------------------------------------


def test_timeline_lists_the_open_dated_tasks_by_date(dated: Page):
    page = dated
    statuses = mixed_statuses()
    preset(page, stored_tasks(statuses), with_date())
    open_overview(page)
    tasks = dated_tasks(statuses, KIND)
    assert tasks, "no open task with a date"

    timeline = page.locator(f"{OVERVIEW} .drb-timeline")
    expect(timeline).to_be_visible()
    expect(timeline.get_by_role("heading", name="Tidslinje")).to_be_visible()
    items = page.get_by_role("list", name="Tidslinje").locator("> li")
    expect(items).to_have_count(len(tasks))
    shown = items.evaluate_all(
        """lis => lis.map(li => [li.dataset.taskId, li.dataset.state,
                                 li.querySelector(".drb-tl-name").textContent])"""
    )
    assert {i for i, _, _ in shown} == {t.id for t in tasks}
    for task_id, state, text in shown:
        task = BY_ID[task_id]
        want = window_line(task)
        assert state == (want[0] if want else "none"), task_id
        assert text == task.title + (f": {want[1]}" if want else "") + ".", task_id
    in_order = [i for i, _, _ in shown]

    # A filter hides the timeline's items of the rows it hides.
    group = BY_ID[tasks[0].id].group_id
    page.select_option(f"{OVERVIEW} select[data-filter=gruppe]", group)
    ids = {t.id for t in tasks if t.group_id == group}
    expect(items.filter(visible=True)).to_have_count(len(ids))
    page.get_by_role("button", name="Vis alle").click()
    expect(items.filter(visible=True)).to_have_count(len(tasks))

    # Without a date there is no timeline.
    set_opening(page, "")
    expect(timeline).to_be_hidden()

    # By day; on the same day in runbook order.
    days = [dated_day(BY_ID[i]) for i in in_order]
    assert days == sorted(days), "not in date order"
    assert in_order == [t.id for t in tasks]


# --- 6. the calendar file -------------------------------------------------------------------


def calendar_events(text: str) -> list[dict]:
    """Each VEVENT's UID, SUMMARY and DTSTART (a date for an all-day event)."""
    calendar = icalendar.Calendar.from_ical(text)
    return [
        {"uid": str(e["UID"]), "summary": str(e["SUMMARY"]), "start": e.decoded("DTSTART")}
        for e in calendar.walk("VEVENT")
    ]


def task_of(summary: str) -> Task:
    """The task whose title the event's summary has (the longest, should one contain another)."""
    matches = [t for t in ACTIONABLE if t.title in summary]
    assert matches, summary
    return max(matches, key=lambda t: len(t.title))


def test_calendar_file_has_the_open_dated_tasks(dated: Page, tmp_path):
    """Needs docs/assets/checklist/ics.js (eventsOf, calendar, calendarFileName)."""
    page = dated
    statuses = mixed_statuses()
    settings = with_date(name=CLINIC)
    del settings["opening"]
    preset(page, stored_tasks(statuses), settings)
    open_overview(page)
    downloads = []
    page.on("download", lambda download: downloads.append(download))
    message = page.locator(f"{OVERVIEW} .drb-ics-message")
    button = page.get_by_role("button", name="Hent kalenderfil (.ics)")

    # Without a date: a message, no file.
    button.click()
    expect(message).to_have_text(re.compile("opstartsdato", re.IGNORECASE))
    page.evaluate("0")  # one round trip: a download would have been reported by now
    assert downloads == []

    set_opening(page, OPENING_DAY.isoformat())
    expect(page.locator(f"{OVERVIEW} .drb-timeline")).to_be_visible()
    tasks = dated_tasks(statuses, KIND)
    uids = []
    for _ in range(2):
        with page.expect_download() as info:
            button.click()
        download = info.value
        assert download.suggested_filename.endswith(".ics"), download.suggested_filename
        path = tmp_path / f"{len(uids)}.ics"
        download.save_as(path)
        events = calendar_events(path.read_text(encoding="utf-8"))
        by_task = {task_of(e["summary"]).id: e for e in events}
        assert len(by_task) == len(events), "two events for one task"
        assert set(by_task) == {t.id for t in tasks}
        for task in tasks:
            assert by_task[task.id]["start"] == dated_day(task), task.id
        uids.append(sorted(e["uid"] for e in events))
        assert len(set(uids[-1])) == len(events)
    assert uids[0] == uids[1]
    expect(message).to_have_text(re.compile(rf"\b{len(tasks)} begivenhed"))


# --- 7. print ---------------------------------------------------------------------------------


def test_printed_overview_fits_four_pages_with_its_header(dated: Page):
    page = dated
    statuses = mixed_statuses()
    a = next(t for t in ACTIONABLE if statuses[t.id] == "doing")
    preset(page, stored_tasks(statuses, {a.id: "Husk at ringe til PLO"}), with_date(name=CLINIC))
    open_overview(page)
    head = page.locator(".drb-print-head")
    expect(head.locator(".drb-print-clinic")).to_have_text(CLINIC)
    expect(head.locator(".drb-print-opening")).to_have_text(danish(OPENING_DAY))
    expect(head.locator(".drb-print-date")).to_have_text(danish(TODAY))
    expect(head).to_be_hidden()  # on screen
    page.evaluate("() => { window.__printed = 0; window.print = () => window.__printed++; }")
    page.get_by_role("button", name="Udskriv").click()
    page.wait_for_function("() => window.__printed === 1")

    pages = pdf_pages(page)
    expect(head).to_be_visible()
    expect(page.locator(f"{OVERVIEW} form.drb-filters")).to_be_hidden()
    expect(row(page, a).locator(".drb-row-note")).to_be_visible()
    done = phases(statuses, OPENING_DAY, KIND)["faerdig"]
    expect(row(page, done[0])).to_be_visible()  # the folded rows are printed
    assert pages <= 4, f"{pages} A4 pages"

    # Emptied settings give the print header's blanks back.
    page.emulate_media(media="screen")
    set_name(page, "")
    set_opening(page, "")
    expect(page.locator(f"{OVERVIEW} .drb-timeline")).to_be_hidden()
    expect(head.locator(".drb-print-clinic")).to_have_text(BLANK)
    expect(head.locator(".drb-print-opening")).to_have_text(BLANK)


# --- 8. phone and accessibility -----------------------------------------------------------


def test_on_a_phone_every_control_is_big_enough_and_axe_finds_nothing(dated: Page):
    page = dated
    page.set_viewport_size({"width": 390, "height": 844})
    statuses = mixed_statuses()
    preset(page, stored_tasks(statuses, {ACTIONABLE[0].id: "En note"}), with_date(name=CLINIC))
    open_overview(page)
    expected = phases(statuses, OPENING_DAY, KIND)
    folds = [p for p in FOLD_LABEL if expected[p]]
    expect(page.locator("button.drb-fold").filter(visible=True)).to_have_count(len(folds))
    controls = [
        *page.locator(f"{OVERVIEW} form.drb-filters :is(select, button)").all(),
        *page.locator("button.drb-fold").all(),
        *page.locator(f"{PRACTICE} :is(input[type=date], input[type=text])").all(),
        *page.locator(f"{PRACTICE} fieldset label").all(),
    ]
    assert len(controls) == 4 + 3 + len(folds) + 2 + 2
    for control in controls:
        expect(control).to_be_visible()
        box = control.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, (control, box)

    # With filters in use and the finished rows open (the site has one colour scheme).
    group = BY_ID[expected["faerdig"][0]].group_id
    page.select_option(f"{OVERVIEW} select[data-filter=gruppe]", group)
    fold = fold_button(page, "faerdig")
    fold.click()
    expect(fold).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("list", name="Tidslinje")).to_be_visible()
    assert_no_violations(page, "overview with a date and a filter @390px")
    page.set_viewport_size({"width": 1280, "height": 800})
    assert_no_violations(page, "overview with a date and a filter @1280px")
