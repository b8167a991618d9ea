"""Fast tests of dates.js (day numbers, Danish wording) and plan.js (the plan's rules), and of
progress.js's next task with plan.js, in Chromium without a site (as test_checklist_modules.py).

Dates run with the clock fixed in Europe/Copenhagen around the summer-time changes and
midnight (the local times are given with their offset: Playwright reads a time without one in
the zone of its own process). The manifests are synthetic.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from playwright.sync_api import Browser, Page

from tests.support.modules import blank_page


def day(y: int, m: int, d: int) -> int:
    """The day number of a date (days since 1970-01-01), as dates.js counts."""
    return (date(y, m, d) - date(1970, 1, 1)).days


PRELUDE = """
const [dates, plan, progress] = await Promise.all(
    ["dates", "plan", "progress"].map(n => import(`/checklist/${n}.js`)));
const day = s => dates.parseISODate(s);
const of = statuses => id => statuses[id] || "todo";
const ids = list => list.map(t => t.id);
"""


@pytest.fixture
def copenhagen(browser: Browser, assets_url: str, page_guard) -> Iterator[Page]:
    context = browser.new_context(timezone_id="Europe/Copenhagen", locale="da-DK")
    page_guard.watch(context)
    page = context.new_page()
    yield page
    context.close()


def run(page: Page, body: str, **arg):
    return page.evaluate(f"async arg => {{ {PRELUDE}\n{body} }}", arg)


# --- dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("clock", "today"),
    [
        ("2027-03-27T23:30:00+01:00", "2027-03-27"),  # the night before summer time
        ("2027-03-28T00:30:00+01:00", "2027-03-28"),
        ("2027-03-28T03:30:00+02:00", "2027-03-28"),  # after the change (02:00 -> 03:00)
        ("2027-03-28T23:30:00+02:00", "2027-03-28"),
        ("2027-03-29T00:30:00+02:00", "2027-03-29"),
        ("2027-10-30T23:30:00+02:00", "2027-10-30"),
        ("2027-10-31T00:30:00+02:00", "2027-10-31"),
        ("2027-10-31T02:30:00+01:00", "2027-10-31"),  # the second 02:30 (03:00 -> 02:00)
        ("2027-10-31T23:30:00+01:00", "2027-10-31"),
        ("2027-11-01T00:30:00+01:00", "2027-11-01"),
        ("2028-02-29T23:30:00+01:00", "2028-02-29"),  # leap day
        ("2027-12-31T23:30:00+01:00", "2027-12-31"),
        ("2028-01-01T00:30:00+01:00", "2028-01-01"),
    ],
)
def test_today_is_the_local_calendar_date(copenhagen: Page, assets_url: str, clock, today):
    copenhagen.clock.set_fixed_time(clock)
    page = blank_page(copenhagen, assets_url)
    result = run(
        page,
        """
        const t = dates.todayDay();
        return {same: t === day(arg.today), zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
                text: dates.formatDate(t), integer: Number.isInteger(t),
                tomorrow: dates.formatDate(t + 1)};
        """,
        today=today,
    )
    assert result["zone"] == "Europe/Copenhagen"
    assert result["same"] and result["integer"], result


def test_days_across_the_summer_time_changes(copenhagen: Page, assets_url: str):
    copenhagen.clock.set_fixed_time("2027-03-28T23:30:00+02:00")
    page = blank_page(copenhagen, assets_url)
    result = run(
        page,
        """
        return {
            march: dates.formatDate(day("2027-03-27") + 2, {weekday: true}),
            october: dates.formatDate(day("2027-10-30") + 2, {weekday: true}),
            span: day("2027-11-01") - day("2027-03-01"),
            epoch: day("1970-01-01"),
            explicit: dates.todayDay(new Date(2027, 9, 31, 0, 30)) === day("2027-10-31"),
        };
        """,
    )
    assert result == {
        "march": "mandag den 29. marts 2027",
        "october": "mandag den 1. november 2027",
        "span": 245,
        "epoch": 0,
        "explicit": True,
    }


def test_parse_iso_date_refuses_what_is_not_a_real_date(blank: Page):
    values = [
        "2027-02-01", "2028-02-29", "2027-02-29", "2027-02-30", "2027-13-01", "2027-00-10",
        "2027-04-31", "2027-1-01", "27-01-01", "0050-01-01", "2027-01-01T00:00", " 2027-01-01",
        "", None, 20270101,
    ]  # fmt: skip
    result = run(blank, "return arg.values.map(v => dates.parseISODate(v));", values=values)
    assert result[:2] == [day(2027, 2, 1), day(2028, 2, 29)]
    assert result[2:] == [None] * (len(values) - 2)


def test_danish_wording(blank: Page):
    result = run(
        blank,
        """
        const d = day("2027-01-08");
        return {
            long: dates.formatDate(d, {weekday: true}), short: dates.formatDate(d),
            rel: [12, 2, 1, 0, -1, -3].map(dates.relativeDays),
        };
        """,
    )
    assert result == {
        "long": "fredag den 8. januar 2027",
        "short": "8. januar 2027",
        "rel": ["om 12 dage", "i overmorgen", "i morgen", "i dag", "i går", "for 3 dage siden"],
    }


def test_window_of_a_task(blank: Page):
    result = run(
        blank,
        """
        const open = day("2027-01-01");
        const w = (task, today, opening = open) => dates.windowOf(task, opening, day(today));
        return {
            due: w({before: "required", due: 7}, "2026-12-27"),
            tomorrow: w({due: 7}, "2027-01-07").text,
            today: w({due: 7}, "2027-01-08"),
            late1: w({due: 7}, "2027-01-09"),
            late3: w({due: 7}, "2027-01-11"),
            notYet: w({after: "required", earliest: 54, due: 60}, "2027-01-10"),
            fromStart: w({after: "required", earliest: 54, due: 60}, "2027-02-24").state,
            afterOnly: w({after: "required"}, "2026-12-31"),
            afterOnlyOpen: w({after: "required"}, "2027-01-01"),
            repeat: w({after: "required", due: 30, repeat: "quarterly"}, "2027-01-21").text,
            repeats: ["monthly", "quarterly", "yearly", "weekly"].map(
                r => dates.windowOf({repeat: r}, null, 0)),
            undated: w({due: 7, earliest: 3}, "2027-01-01", null),
            nothing: w({before: "optional"}, "2027-01-01"),
            leap: w({due: 59}, "2028-02-28", day("2028-01-01")).text,
        };
        """,
    )
    assert result["due"] == {
        "state": "due",
        "day": day(2027, 1, 8),
        "text": "Senest fredag den 8. januar 2027 (om 12 dage)",
    }
    assert result["tomorrow"] == "Senest fredag den 8. januar 2027 (i morgen)"
    assert result["today"] == {"state": "today", "day": day(2027, 1, 8), "text": "Senest i dag"}
    assert result["late1"] == {
        "state": "overdue",
        "day": day(2027, 1, 8),
        "text": "Forsinket 1 dag",
    }
    assert result["late3"]["text"] == "Forsinket 3 dage"
    assert result["notYet"] == {
        "state": "not-yet",
        "day": day(2027, 2, 24),
        "text": "Kan tidligst gøres fra 24. februar 2027",
    }
    assert result["fromStart"] == "due"
    assert result["afterOnly"]["text"] == "Kan tidligst gøres fra 1. januar 2027"
    assert result["afterOnlyOpen"] is None
    assert (
        result["repeat"] == "Senest søndag den 31. januar 2027 (om 10 dage). Gentages hvert kvartal"
    )
    assert result["repeats"] == [
        {"state": "none", "day": None, "text": "Gentages hver måned"},
        {"state": "none", "day": None, "text": "Gentages hvert kvartal"},
        {"state": "none", "day": None, "text": "Gentages hvert år"},
        None,
    ]
    assert result["undated"] is None and result["nothing"] is None
    assert result["leap"] == "Senest tirsdag den 29. februar 2028 (i morgen)"


# --- plan -------------------------------------------------------------------------------

# A runbook in order: before-opening tasks, one either side, after-opening ones.
TASKS = """
const T = (id, extra = {}) => ({id, kind: "task", ...extra});
const order = [
    T("cvr", {before: "required", due: -30}),
    T("yder", {before: "required", due: -10, deps: ["cvr"]}),
    T("journal", {after: "required", applies: ["takeover"], due: 5}),
    T("system", {before: "required", due: -20}),
    T("mail", {before: "optional", after: "required"}),
    T("liste", {after: "required", earliest: 14, due: 20}),
    T("post", {after: "required", deps: ["cvr"]}),
    T("ny", {before: "required", applies: ["new"], due: -40}),
];
const byId = Object.fromEntries(order.map(t => [t.id, t]));
"""


def test_applies_and_waiting_for(blank: Page):
    result = run(
        blank,
        TASKS
        + """
        return {
            applies: ["new", "takeover", undefined].map(type => ids(order.filter(t => plan.applies(t, type)))),
            waits: ids(plan.waitingFor(byId.yder, of({}), byId)),
            doing: ids(plan.waitingFor(byId.yder, of({cvr: "doing"}), byId)),
            done: ids(plan.waitingFor(byId.yder, of({cvr: "done"}), byId)),
            na: ids(plan.waitingFor(byId.yder, of({cvr: "na"}), byId)),
            unknown: ids(plan.waitingFor(T("x", {deps: ["gone"]}), of({}), byId)),
            notForType: ids(plan.waitingFor(T("x", {deps: ["ny", "cvr"]}), of({}), byId, "takeover")),
        };
        """,
    )
    every = ["cvr", "yder", "journal", "system", "mail", "liste", "post", "ny"]
    assert result["applies"] == [
        [t for t in every if t != "journal"],
        [t for t in every if t != "ny"],
        every,
    ]
    assert result["waits"] == ["cvr"] and result["doing"] == ["cvr"]
    assert result["done"] == [] and result["na"] == [] and result["unknown"] == []
    assert result["notForType"] == ["cvr"]


def test_can_start_with_and_without_a_date(blank: Page):
    result = run(
        blank,
        TASKS
        + """
        const can = (statuses, practice, today) => {
            const s = plan.situation(order, of(statuses), practice, today && day(today));
            return ids(order.filter(t => plan.canStart(t, s)));
        };
        const allBefore = {cvr: "done", yder: "na", system: "done", ny: "done"};
        const dated = {opening: "2027-03-01"};
        return {
            undated: can({}, {}),
            beforeDone: can(allBefore, {}),
            optionalOpen: can({...allBefore, mail: "todo"}, {}),
            newOpen: can({cvr: "done", yder: "done", system: "done"}, {type: "takeover"}),
            dayBefore: can({}, dated, "2027-02-28"),
            opening: can({}, dated, "2027-03-01"),
            day14: can({}, dated, "2027-03-15"),
            badDate: plan.situation(order, of({}), {opening: "2027-02-30"}).opening,
        };
        """,
    )
    before = ["cvr", "yder", "system", "mail", "ny"]
    every = ["cvr", "yder", "journal", "system", "mail", "liste", "post", "ny"]
    assert result["undated"] == before
    assert result["beforeDone"] == every
    assert result["optionalOpen"] == every  # an optional before-task does not hold the rest
    assert result["newOpen"] == every  # "ny" does not apply to a takeover
    assert result["dayBefore"] == before
    assert result["opening"] == [t for t in every if t != "liste"]
    assert result["day14"] == every
    assert result["badDate"] is None


def test_next_task(blank: Page):
    result = run(
        blank,
        TASKS
        + """
        const next = (statuses, practice = {}, today = undefined) => {
            const t = plan.nextTask(order, of(statuses), practice, today && day(today));
            return t && t.id;
        };
        const dated = {opening: "2027-03-01", type: "takeover"};
        const before = {cvr: "done", yder: "done", system: "done", ny: "done"};
        const every = Object.fromEntries(order.map(t => [t.id, "done"]));
        return {
            runbook: next({}),
            skipsDone: next({cvr: "done"}),
            doing: next({cvr: "doing"}),
            waits: ids(plan.doable(order, of({}), {}, undefined)),
            byDue: ids(plan.doable(order, of({}), dated, day("2027-01-01"))),
            byDueNew: next({}, {...dated, type: "new"}, "2027-01-01"),
            afterOpening: ids(plan.doable(order, of(before), dated, day("2027-03-02"))),
            day14: ids(plan.doable(order, of(before), dated, day("2027-03-15"))),
            notApplying: next({...before, mail: "done", post: "done"}, {type: "new"}),
            none: next(every),
            onlyNotYet: next({...every, liste: "todo"}, dated, "2027-03-02"),
            onlyWaiting: next({...every, cvr: "na", yder: "todo", system: "todo"}, {}, undefined),
        };
        """,
    )
    assert result["runbook"] == "cvr"
    assert result["skipsDone"] == "yder"
    assert result["doing"] == "cvr"
    assert result["waits"] == ["cvr", "system", "mail", "ny"]  # yder waits for cvr
    # With a date: by due day (no due: last), then runbook order; "ny" is not for a takeover.
    assert result["byDue"] == ["cvr", "system", "mail"]
    assert result["byDueNew"] == "ny"
    # After the opening: journal (due 5), post (after-only: due from its start, day 0), mail.
    assert result["afterOpening"] == ["post", "journal", "mail"]
    assert result["day14"] == ["post", "journal", "liste", "mail"]
    assert result["notApplying"] == "liste"  # journal is for a takeover
    assert result["none"] is None
    assert result["onlyNotYet"] is None
    assert result["onlyWaiting"] == "yder"  # "Ikke relevant" waits for nothing


def test_progress_uses_the_plan_once_loaded(blank: Page):
    result = run(
        blank,
        """
        const T = (id, extra = {}) => ({id, title: id, hash: "h", kind: "task", ...extra});
        const plain = progress.indexManifest({version: 1, groups: [
            {id: "g1", title: "G1", url: "opgaver/g1/", tasks: [T("a"), T("b")]}]});
        const m = progress.indexManifest({version: 1, groups: [
            {id: "g1", title: "G1", url: "opgaver/g1/", tasks: [
                T("a", {before: "required"}), T("b", {after: "required"})]},
            {id: "g2", title: "G2", url: "opgaver/g2/", tasks: [
                T("c", {before: "required", deps: ["a"]}), T("d", {before: "required", due: -5})]},
        ]});
        const next = (group, statuses, practice, today) => {
            const t = progress.nextTask(m.order, group, of(statuses), practice, today);
            return t && t.id;
        };
        const unplanned = progress.loadPlan(plain);
        const before = next("g1", {a: "done"});  // first open, plan.js not loaded yet
        await progress.loadPlan(m);
        return {
            unplanned, before,
            again: progress.loadPlan(m),
            group: next("g1", {a: "done"}),
            waits: next("g2", {}),
            dated: next("g1", {a: "done"}, {opening: "2027-03-01"}, day("2027-01-01")),
            datedInGroup: next("g2", {a: "done"}, {opening: "2027-03-01"}, day("2027-01-01")),
            none: next(null, {a: "done", c: "done", d: "done"}),
        };
        """,
    )
    assert result["unplanned"] is None and result["again"] is None
    assert result["before"] == "b"
    assert result["group"] == "c"  # b is after the opening while c and d are open
    assert result["waits"] == "d"  # c waits for a
    assert result["dated"] == "d"  # group g1 has nothing doable: the first due
    assert result["datedInGroup"] == "d"
    assert result["none"] == "b"
