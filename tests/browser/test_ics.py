"""Tests of ics.js, the calendar file of the plan's dated tasks, in Chromium without a site (as
test_checklist_modules.py).

The files are parsed with ``icalendar``; what it is lenient about (LF line ends, long or
badly folded lines, a missing UID or PRODID) is checked here on the text itself
(``check_format``). Expected dates come from Python ``date`` arithmetic on the inputs, expected
text values from ``cleaned``: the title as it should read after a round trip.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urljoin

import icalendar
import pytest
from playwright.sync_api import Browser, Page

from tests.support.modules import blank_page

EPOCH = date(1970, 1, 1)
SITE = "https://drejebog.example.dk/drejebog/"
HOST = "drejebog.example.dk"
STAMP = datetime(2027, 1, 4, 10, 0, 0, tzinfo=UTC)
RRULES = {
    "monthly": b"FREQ=MONTHLY",
    "quarterly": b"FREQ=MONTHLY;INTERVAL=3",
    "yearly": b"FREQ=YEARLY",
}
# C0 controls but tab and newline, DEL and C1: dropped from every text value.
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

PRELUDE = """
const [ics, dates, progress] = await Promise.all(
    ["ics", "dates", "progress"].map(n => import(`/checklist/${n}.js`)));
const of = statuses => id => statuses[id] || "todo";
const manifest = groups => progress.indexManifest({version: 1, groups});
"""

NASTY_TITLES = [
    "Æbleskiver, rødgrød med fløde; Åbenrå",
    "Semikolon; komma, backslash \\ og \\n som tekst",
    "Linje 1\nLinje 2\r\nLinje 3\rLinje 4",
    "Citat \"dobbelt\" og 'enkelt' og «guillemets»",
    "<script>alert('x')</script> & &amp;",
    "Emoji 😀👍🏽 flag 🇩🇰 og familie 👨‍👩‍👧",
    "Tab\there og kontrol\x00\x07\x1b[31m\x7f\x85slut",
    "æøå" * 100,
    "x" * 300,
    "😀" * 75,
    "\\",
    ";,",
    "",
    # Every offset of 2- and 4-octet characters against the 75/74-octet fold.
    *("a" * k + "ø" * 80 for k in range(2)),
    *("a" * k + "€" * 60 for k in range(3)),
    *("a" * k + "🙂" * 40 for k in range(4)),
]


def day(d: date) -> int:
    """The day number of a date (days since 1970-01-01), as dates.js counts."""
    return (d - EPOCH).days


def cleaned(text: str) -> str:
    """A text value as it reads after the file: line breaks as \\n, controls dropped."""
    return CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def escaped(text: str) -> str:
    """A TEXT value as RFC 5545 writes it (after ``cleaned``)."""
    text = cleaned(text)
    for char in "\\;,":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def unescaped(value: str) -> str:
    """A TEXT value read back (RFC 5545 3.3.11): ``\\\\`` ``\\;`` ``\\,`` ``\\n``."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


def unfold(text: str) -> list[str]:
    """The content lines of a CRLF-ended, folded file."""
    return text[: -len("\r\n")].replace("\r\n ", "").split("\r\n")


def check_format(text: str) -> list[str]:
    """Check what icalendar does not, and return the content lines.

    Every line ends in CRLF (the last too); no physical line is over 75 octets and each is
    whole UTF-8 on its own (folding never splits a character); a continuation line (a space)
    carries something; the calendar and its events have their required properties.
    """
    raw = text.encode("utf-8")
    assert raw.endswith(b"\r\n"), "the last line ends in CRLF"
    physical = raw[:-2].split(b"\r\n")
    for number, line in enumerate(physical, 1):
        assert b"\r" not in line and b"\n" not in line, f"line {number}: a bare CR or LF"
        assert len(line) <= 75, f"line {number}: {len(line)} octets"
        line.decode("utf-8", errors="strict")  # raises if a fold split a character
        if line.startswith(b" "):
            assert number > 1 and len(line) > 1, f"line {number}: an empty continuation"
        else:
            assert not line.startswith(b"\t"), number
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert lines[1:5] == [
        "VERSION:2.0",
        "PRODID:-//Region Midtjylland//Drejebog//DA",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT")
    for event in events_lines(lines):
        names = [line.split(":", 1)[0].split(";", 1)[0] for line in event]
        for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE"):
            assert names.count(name) == 1, (name, event)
        assert re.fullmatch(r"DTSTAMP:\d{8}T\d{6}Z", event[names.index("DTSTAMP")])
        assert re.fullmatch(r"DTSTART;VALUE=DATE:\d{8}", event[names.index("DTSTART")])
        assert re.fullmatch(r"DTEND;VALUE=DATE:\d{8}", event[names.index("DTEND")])
    return lines


def events_lines(lines: list[str]) -> list[list[str]]:
    """Each VEVENT's content lines (without BEGIN/END)."""
    events, current = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = []
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            current.append(line)
    return events


def parse(text: str) -> tuple[icalendar.Calendar, list[icalendar.Event]]:
    cal = icalendar.Calendar.from_ical(text)
    return cal, list(cal.walk("VEVENT"))


@pytest.fixture
def copenhagen(browser: Browser, assets_url: str, page_guard) -> Iterator[Page]:
    """A blank page in a browser context in Europe/Copenhagen (summer time)."""
    context = browser.new_context(timezone_id="Europe/Copenhagen", locale="da-DK")
    page_guard.watch(context)
    page = context.new_page()
    yield blank_page(page, assets_url)
    context.close()


def run(page: Page, body: str, **arg):
    return page.evaluate(f"async arg => {{ {PRELUDE}\n{body} }}", arg)


def make_calendar(page: Page, events: list[dict], **options) -> str:
    """calendar(events, options) with the defaults below; ``stamp`` a datetime."""
    options = {"uidKey": "k1", "host": HOST, "stamp": STAMP, **options}
    options["stamp"] = options["stamp"].timestamp() * 1000
    return run(
        page, "return ics.calendar(arg.events, arg.options);", events=events, options=options
    )


def event(task_id: str, title: str, when: date, repeat: str | None = None) -> dict:
    """An event as eventsOf gives it."""
    made = {"id": task_id, "title": title, "url": f"{SITE}opgaver/g/#{task_id}", "day": day(when)}
    return made | ({"repeat": repeat} if repeat else {})


# --- eventsOf: which tasks, which day -------------------------------------------------------

OPENING = date(2027, 4, 1)

# (task, status, the day's offset from the opening day or None for no event). Group g1 holds
# them all but the last two, which are in g2.
SELECTION = [
    ({"id": "frist", "due": -30}, "todo", -30),
    ({"id": "frist-og-tidligst", "due": 10, "earliest": -5}, "doing", 10),
    ({"id": "tidligst", "earliest": -60}, "todo", -60),
    ({"id": "efter", "after": "required"}, "todo", 0),
    ({"id": "efter-valgfri", "after": "optional", "earliest": 14}, "todo", 14),
    ({"id": "foer-og-efter", "before": "optional", "after": "optional"}, "todo", None),
    ({"id": "foer", "before": "required"}, "todo", None),
    ({"id": "uden-plan"}, "todo", None),
    ({"id": "faerdig", "due": 3}, "done", None),
    ({"id": "ikke-relevant", "due": 3}, "na", None),
    ({"id": "kun-overtagelse", "due": 5, "applies": ["takeover"]}, "todo", None),
    ({"id": "kun-ny", "due": 6, "applies": ["new"]}, "todo", 6),
    ({"id": "maaned", "repeat": "monthly"}, "todo", 0),
    ({"id": "kvartal-frist", "repeat": "quarterly", "due": 20}, "todo", 20),
    ({"id": "aar-tidligst", "repeat": "yearly", "earliest": 40, "due": 90}, "todo", 40),
    ({"id": "aar-efter", "repeat": "yearly", "after": "required", "due": 30}, "doing", 0),
    ({"id": "gentaget-faerdig", "repeat": "monthly"}, "done", None),
    ({"id": "info-frist", "due": 1, "kind": "info"}, "todo", None),
    ({"id": "sidste", "due": 365}, "todo", 365),
]


def selection_groups() -> list[dict]:
    tasks = [
        {"title": "Titel " + task["id"], "hash": "h", "kind": "task", **task}
        for task, _, _ in SELECTION
    ]
    return [
        {"id": "g1", "title": "G1", "url": "opgaver/g1/", "tasks": tasks[:-2]},
        {"id": "g2", "title": "G2", "url": "opgaver/g2/", "tasks": tasks[-2:]},
    ]


def test_events_are_the_open_applying_dated_tasks_in_runbook_order(blank: Page):
    statuses = {task["id"]: status for task, status, _ in SELECTION}
    result = run(
        blank,
        """
        const m = manifest(arg.groups);
        const events = list => ics.eventsOf(
            list, of(arg.statuses), {opening: arg.opening, type: "new"}, arg.site);
        // The manifest's order has no info rows; every row, info rows too, gives the same.
        return {order: events(m.order), rows: events(Object.values(m.byId))};
        """,
        groups=selection_groups(),
        statuses=statuses,
        opening=OPENING.isoformat(),
        site=SITE,
    )
    expected = []
    for i, (task, _, offset) in enumerate(SELECTION):
        if offset is None:
            continue
        group = "opgaver/g1/" if i < len(SELECTION) - 2 else "opgaver/g2/"
        made = {
            "id": task["id"],
            "title": "Titel " + task["id"],
            "url": urljoin(SITE, group) + "#" + task["id"],
            "day": day(OPENING + timedelta(days=offset)),
        }
        if "repeat" in task:
            made["repeat"] = task["repeat"]
        expected.append(made)
    assert result["order"] == expected
    assert result["rows"] == expected


def test_events_without_a_type_include_every_type_and_without_a_date_none(blank: Page):
    result = run(
        blank,
        """
        const m = manifest(arg.groups);
        const ids = practice => ics.eventsOf(m.order, of({}), practice, arg.site).map(e => e.id);
        return {
            noType: ids({opening: arg.opening}),
            takeover: ids({opening: arg.opening, type: "takeover"}),
            noDate: ids({type: "new"}),
            empty: ids({opening: "", type: "new"}),
            notADate: ids({opening: "2027-02-30"}),
            notIso: ids({opening: "1. april 2027"}),
        };
        """,
        groups=selection_groups(),
        opening=OPENING.isoformat(),
        site=SITE,
    )
    assert "kun-ny" in result["noType"] and "kun-overtagelse" in result["noType"]
    assert "kun-ny" not in result["takeover"] and "kun-overtagelse" in result["takeover"]
    for name in ("noDate", "empty", "notADate", "notIso"):
        assert result[name] == [], name


@pytest.mark.parametrize(
    "opening",
    [date(2027, 3, 28), date(2027, 3, 27), date(2027, 10, 31), date(2027, 10, 30)],
)
def test_days_across_the_summer_time_changes(copenhagen: Page, opening: date):
    """Europe/Copenhagen: summer time from 28 March 2027, winter time from 31 October 2027."""
    offsets = [-400, -220, -1, 0, 1, 2, 7, 30, 150, 214, 218, 400]
    tasks = [
        {"id": f"t{i}", "title": f"T{i}", "hash": "h", "kind": "task", "due": offset}
        for i, offset in enumerate(offsets)
    ]
    copenhagen.clock.set_fixed_time("2027-03-28T02:30:00+01:00")
    result = run(
        copenhagen,
        """
        const m = manifest([{id: "g", title: "G", url: "opgaver/g/", tasks: arg.tasks}]);
        const events = ics.eventsOf(m.order, of({}), {opening: arg.opening}, arg.site);
        return {zone: Intl.DateTimeFormat().resolvedOptions().timeZone, events,
                text: ics.calendar(events, {uidKey: "k", host: arg.host, stamp: Date.now()})};
        """,
        tasks=tasks,
        opening=opening.isoformat(),
        site=SITE,
        host=HOST,
    )
    assert result["zone"] == "Europe/Copenhagen"
    whens = [opening + timedelta(days=offset) for offset in offsets]
    assert [e["day"] for e in result["events"]] == [day(when) for when in whens]
    check_format(result["text"])
    _, events = parse(result["text"])
    assert [(e.decoded("DTSTART"), e.decoded("DTEND")) for e in events] == [
        (when, when + timedelta(days=1)) for when in whens
    ]
    assert events[0].decoded("DTSTAMP") == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)


# --- calendar: the file -------------------------------------------------------------------


def nasty_events() -> list[dict]:
    repeats = [None, "monthly", "quarterly", "yearly"]
    first = date(2027, 2, 15)
    return [
        event(f"opgave-{i}", title, first + timedelta(days=3 * i), repeats[i % 4])
        for i, title in enumerate(NASTY_TITLES)
    ]


@pytest.mark.parametrize("name", [None, "Lægerne på Torvet, Århus; \\ 😀\nafd. 2"])
def test_every_title_round_trips_in_a_valid_file(blank: Page, name: str | None):
    events = nasty_events()
    text = make_calendar(blank, events, **({"name": name} if name else {}))
    lines = check_format(text)
    cal, parsed = parse(text)
    clinic = cleaned(name or "").strip()
    assert cal["VERSION"] == "2.0" and cal["PRODID"] == "-//Region Midtjylland//Drejebog//DA"
    # icalendar leaves an X- property's text escaped (it does not know its type).
    calname = "Drejebog – " + clinic if name else "Drejebog"
    assert unescaped(str(cal["X-WR-CALNAME"])) == calname
    assert "X-WR-CALNAME:" + escaped(calname) in lines
    assert len(parsed) == len(events)
    for made, got in zip(events, parsed, strict=True):
        when = EPOCH + timedelta(days=made["day"])
        assert got["UID"] == f"{made['id']}.k1@{HOST}"
        assert got.decoded("DTSTART") == when
        assert got.decoded("DTEND") == when + timedelta(days=1)
        assert got.decoded("DTSTAMP") == STAMP
        assert got["SUMMARY"] == cleaned(made["title"]), made["title"]
        assert made["url"] in got["DESCRIPTION"]
        about = ([f"Praksis: {clinic}"] if name else []) + [f"Opgave i drejebogen: {made['url']}"]
        assert got["DESCRIPTION"] == "\n".join(about)
        assert got["URL"] == made["url"]
        assert got["TRANSP"] == "TRANSPARENT"
        if "repeat" in made:
            assert got["RRULE"].to_ical() == RRULES[made["repeat"]]
        else:
            assert "RRULE" not in got
    # Unfolded, the lines are exactly the escaped values: folding lost or added nothing.
    summaries = [line for line in lines if line.startswith("SUMMARY:")]
    assert summaries == ["SUMMARY:" + escaped(e["title"]) for e in events]
    assert max(len(line.encode()) for line in summaries) > 600, "long lines were folded"


def test_lone_surrogates_and_odd_values_still_give_a_valid_file(blank: Page):
    result = run(
        blank,
        """
        const events = [
            {id: "a", title: "før \\uD83D efter \\uDE00 slut", url: arg.url, day: 20000},
            {id: "b", title: 42, url: arg.url + " med mellemrum\\n", day: 20001, repeat: "weekly"},
        ];
        return ics.calendar(events, {uidKey: "k", host: arg.host, stamp: arg.stamp, name: "\\uD800"});
        """,
        url=SITE + "opgaver/g/#a",
        host=HOST,
        stamp=STAMP.timestamp() * 1000,
    )
    check_format(result)
    cal, (first, second) = parse(result)
    assert first["SUMMARY"] == "før \ufffd efter \ufffd slut"
    assert unescaped(str(cal["X-WR-CALNAME"])) == "Drejebog – \ufffd"
    assert second["SUMMARY"] == "42"
    assert "RRULE" not in second, "only the repeat kinds the runbook knows"
    assert second["URL"] == SITE + "opgaver/g/#a%20med%20mellemrum%0A"


def test_an_empty_calendar_is_valid(blank: Page):
    text = make_calendar(blank, [])
    assert check_format(text) == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Region Midtjylland//Drejebog//DA",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Drejebog",
        "END:VCALENDAR",
    ]
    assert parse(text)[1] == []


def test_a_new_download_updates_the_same_events(blank: Page):
    events = nasty_events()[:6]
    later = STAMP + timedelta(days=3, minutes=7)
    first = make_calendar(blank, events)
    second = make_calendar(blank, events, stamp=later)
    other = make_calendar(blank, events, uidKey="k2")
    _, one = parse(first)
    _, two = parse(second)
    _, three = parse(other)
    uids = [e["UID"] for e in one]
    assert uids == [e["UID"] for e in two], "the same inputs give the same UIDs"
    assert len(set(uids)) == len(events)
    assert not set(uids) & {e["UID"] for e in three}, "another practice's key, other UIDs"
    for a, b in zip(one, two, strict=True):
        assert int(b["SEQUENCE"]) > int(a["SEQUENCE"]) >= 0
        assert b.decoded("DTSTAMP") == later
    # Nothing else differs between the two downloads.
    changing = re.compile(r"^(DTSTAMP|SEQUENCE):.*$", re.M)
    assert changing.sub("", "\n".join(unfold(first))) == changing.sub("", "\n".join(unfold(second)))


def test_a_date_no_calendar_can_hold_is_refused_loudly(blank: Page):
    result = run(
        blank,
        """
        const tried = [];
        for (const day of [1.5, NaN, 3e6, -8e5]) {
            try { ics.calendar([{id: "a", title: "A", url: "u", day}], {uidKey: "k", host: "h", stamp: 0}); tried.push("written"); }
            catch (e) { tried.push(e.name); }
        }
        const m = manifest([{id: "g", title: "G", url: "opgaver/g/", tasks: [
            {id: "fjern", title: "F", hash: "h", kind: "task", due: 3e6},
            {id: "halv", title: "H", hash: "h", kind: "task", due: 0.5},
            {id: "ok", title: "O", hash: "h", kind: "task", due: 1}]}]);
        return {tried, ids: ics.eventsOf(m.order, of({}), {opening: "2027-04-01"}, "https://x.dk/").map(e => e.id)};
        """,
    )
    assert result == {"tried": ["RangeError"] * 4, "ids": ["ok"]}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (None, "drejebog.ics"),
        ("", "drejebog.ics"),
        ("   ", "drejebog.ics"),
        ("😀 !!", "drejebog.ics"),
        ("Lægerne på Åboulevarden", "drejebog-laegerne-paa-aaboulevarden.ics"),
        ("ØSTERGADE LÆGEHUS", "drejebog-oestergade-laegehus.ics"),
        ("Café Zoë & Søn, Straße 7", "drejebog-cafe-zoe-soen-strasse-7.ics"),
        ("<script>alert(1)</script>", "drejebog-script-alert-1-script.ics"),
        ("../../etc/passwd", "drejebog-etc-passwd.ics"),
    ],
)
def test_calendar_file_name(blank: Page, name: str | None, expected: str):
    assert run(blank, "return ics.calendarFileName(arg.name);", name=name) == expected


def test_a_long_name_gives_a_short_file_name(blank: Page):
    name = "Lægepraksis " * 10 + "i Aarhus"
    got = run(blank, "return ics.calendarFileName(arg.name);", name=name)
    assert re.fullmatch(r"drejebog-[a-z0-9]+(-[a-z0-9]+)*\.ics", got), got
    slug = got.removeprefix("drejebog-").removesuffix(".ics")
    assert 30 <= len(slug) <= 40
    assert ("laegepraksis-" * 10).startswith(slug)
