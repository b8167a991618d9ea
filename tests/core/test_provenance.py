"""Provenance: what the site says that the region's runbook does not is marked, with its source.

Two halves:

* the mechanism, on tests/fixtures/provenance.yaml: marks are read with their lines, shown on
  the cards, the group pages, the contacts page and the about page, and listed by
  ``python -m drejebog additions`` (and ``report``);
* the real data against the region's runbook (tests/fixtures/seed/, read by
  tests/support/seed.py): every fact of a kind the region's runbook does not have
  (dependencies, deadlines, audiences), and every fact that differs from the runbook's row
  for the task (timing, responsible, helpers, repetition), group titles and contact details
  not in the runbook, must carry a mark. Everything is derived from data/tasks.yaml and the
  seed, so a content edit needs a mark in the data, never a change here.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from drejebog import load_runbook, provenance
from drejebog.model import Added, Contact, Runbook, Task, Timing
from drejebog.render import render_site
from drejebog.validate import load_schema
from tests.support.seed import digits, in_text, norm, row_for, seed

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "provenance.yaml"
DATA = ROOT / "data" / "tasks.yaml"


@pytest.fixture(scope="module")
def fixture() -> Runbook:
    return load_runbook(FIXTURE)


@pytest.fixture(scope="module")
def runbook() -> Runbook:
    return load_runbook(DATA)


@pytest.fixture(scope="module")
def pages(fixture: Runbook) -> dict[str, str]:
    return {p.path: p.markdown for p in render_site(fixture)}


def _card(page: str, task_id: str) -> str:
    card = page[page.index(f'data-task-id="{task_id}"') :]
    return card[: card.index("</section>")]


def _notes(fragment: str) -> list[str]:
    """The provenance notes in a piece of a page: each mark's words as plain text (a note is
    "Tilføjet af redaktionen: <mark>", or the lead and a line per mark)."""
    items = []
    for note in re.findall(r'<p class="drb-provenance[^"]*">(.*?)</p>', fragment, flags=re.S):
        marks = re.sub(r"^[^:<]* af redaktionen:", "", note).split("<br>")
        items += [html.unescape(re.sub(r"<[^>]+>", "", line)).strip() for line in marks]
    return [item for item in items if item]


def _hrefs(fragment: str) -> set[str]:
    return {html.unescape(h) for h in re.findall(r'href="([^"]*)"', fragment)}


def shows(items: list[str], mark: Added, label: str) -> bool:
    """One of the items says this mark: its label, text, what it replaced and its source."""
    wanted = [label, f"kilde: {mark.source.text}"]
    if mark.text:
        wanted.append(mark.text)
    if mark.replaces:
        wanted.append(f"idligere: {mark.replaces}")
    return any(item.startswith(label) and all(w in item for w in wanted) for item in items)


# --- the data format ---------------------------------------------------------------


def test_the_labels_name_every_what_of_the_schema():
    """Each 'what' the schema allows has a Danish label (a task's due_day is marked by
    due_source), and nothing else does."""
    defs = load_schema()["$defs"]
    for kind in ("task", "contact", "group"):
        allowed = set(defs[f"{kind}_mark"]["properties"]["what"]["enum"])
        extra = {"due_day"} if kind == "task" else set()
        assert set(provenance.LABELS[kind]) == allowed | extra, kind


def test_marks_are_read_with_their_source_and_line(fixture: Runbook):
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    raw = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    items: list[tuple[dict, Task | Contact | object]] = [
        (c, fixture.contact(c["id"])) for c in raw["contacts"]
    ]
    for g in raw["groups"]:
        items.append((g, fixture.group(g["id"])))
        items += [(t, fixture.task(t["id"])) for t in g["tasks"]]
    seen = 0
    for source, item in items:
        marks = item.added  # type: ignore[attr-defined]
        expected = source.get("added") or []
        assert [m.what for m in marks] == [m["what"] for m in expected]
        for mark, data in zip(marks, expected, strict=True):
            seen += 1
            assert mark.source.text == data["source"]["text"]
            assert mark.source.url == data["source"].get("url")
            assert (mark.text, mark.replaces) == (data.get("text"), data.get("replaces"))
            assert lines[mark.line - 1].strip() == f"- what: {mark.what}"
    assert seen >= 5


def test_a_suggested_deadline_is_marked_by_its_source(fixture: Runbook):
    task = next(t for t in fixture.tasks() if t.timing.due_source)
    assert task.marks[0].what == "due_day"
    assert task.marks[0].source == task.timing.due_source
    assert task.marks[1:] == task.added
    assert all(t.marks == t.added for t in fixture.tasks() if t.timing.due_day is None)


# --- the pages ---------------------------------------------------------------------


def test_task_cards_show_their_marks_with_sources(fixture: Runbook, pages: dict[str, str]):
    for task in fixture.tasks():
        card = _card(pages[f"opgaver/{task.group_id}.md"], task.id)
        items = _notes(card)
        assert len(items) == len(task.added), task.id
        for mark in task.added:
            assert shows(items, mark, provenance.LABELS["task"][mark.what]), (task.id, items)
            if mark.source.url:
                assert mark.source.url in _hrefs(card)
        # The suggested deadline shows its source in its own row, not again in the note.
        if task.timing.due_source:
            assert "Forslag til frist" in card
            assert not any(i.startswith("forslag til frist") for i in items)


def test_a_changed_fact_says_what_the_region_wrote(pages: dict[str, str]):
    """The contacts page shows the new address and the old one ("Tidligere: …")."""
    page = pages["hvem-kan-hjaelpe.md"]
    section = page[page.index("{ #hjaelper }") : page.index("{ #uden-maerker }")]
    assert "ny@example.dk" in section
    assert "e-mail (Tidligere: gammel@example.dk) – kilde:" in html.unescape(section)
    assert '<a href="https://example.org/kontakt">Hjælperens egen side</a>' in section
    assert "drb-provenance" not in page[page.index("{ #uden-maerker }") :]


def test_group_and_contact_marks_are_shown(fixture: Runbook, pages: dict[str, str]):
    for group in fixture.groups:
        page = pages[f"opgaver/{group.id}.md"]
        head = page[: page.index("<section")]
        items = _notes(head)
        assert len(items) == len(group.added)
        assert all(shows(items, m, provenance.LABELS["group"][m.what]) for m in group.added)
    contacts = pages["hvem-kan-hjaelpe.md"]
    items = _notes(contacts)
    assert len(items) == sum(len(c.added) for c in fixture.contacts)
    for contact in fixture.contacts:
        assert all(shows(items, m, provenance.LABELS["contact"][m.what]) for m in contact.added)


def test_about_page_counts_and_lists_the_additions(fixture: Runbook, pages: dict[str, str]):
    about = pages["om.md"]
    assert "## Hvad kommer fra regionen, og hvad er tilføjet?" in about
    total = provenance.count(fixture)
    assert total == sum(len(t.marks) for t in fixture.tasks()) + sum(
        len(x.added) for x in (*fixture.groups, *fixture.contacts)
    )
    assert f"{total} oplysninger på siden står ikke sådan i regionens drejebog" in about
    for owner in provenance.owners(fixture):
        if owner.kind == "task":
            target = f"(opgaver/{owner.item.group_id}.md#{owner.item.id})"  # type: ignore[union-attr]
        elif owner.kind == "group":
            target = f"(opgaver/{owner.item.id}.md)"
        else:
            target = f"(hvem-kan-hjaelpe.md#{owner.item.id})"
        assert target in about, owner.item.id


def test_without_marks_the_about_page_says_so():
    minimal = load_runbook(ROOT / "tests" / "fixtures" / "minimal.yaml")
    groups = tuple(
        replace(g, tasks=tuple(replace(t, timing=Timing(), added=()) for t in g.tasks), added=())
        for g in minimal.groups
    )
    bare = replace(
        minimal, groups=groups, contacts=tuple(replace(c, added=()) for c in minimal.contacts)
    )
    pages = {p.path: p.markdown for p in render_site(bare)}
    assert "redaktionen har ikke tilføjet eller ændret noget" in pages["om.md"]
    assert not any("drb-provenance" in content for content in pages.values())
    assert "Ingen: alt på siden står i regionens drejebog." in provenance.report(bare)


# --- the report ----------------------------------------------------------------------


def _marks_in_yaml(path: Path) -> list[tuple[str, str, dict]]:
    """(kind, id, mark) for every mark of a data file, read from the YAML itself; a
    suggested deadline's source counts as its mark."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    found: list[tuple[str, str, dict]] = []
    for group in raw["groups"]:
        found += [("group", group["id"], m) for m in group.get("added") or []]
        for task in group["tasks"]:
            when = task.get("when") or {}
            if "due_day" in when and when.get("due_source"):
                found.append(
                    ("task", task["id"], {"what": "due_day", "source": when["due_source"]})
                )
            found += [("task", task["id"], m) for m in task.get("added") or []]
    for contact in raw["contacts"]:
        found += [("contact", contact["id"], m) for m in contact.get("added") or []]
    return found


@pytest.mark.parametrize("path", [FIXTURE, DATA], ids=["fixture", "data"])
def test_report_lists_every_addition_one_a_line(path: Path):
    runbook = load_runbook(path)
    text = provenance.report(runbook)
    rows = [line for line in text.splitlines() if line.startswith("- [ ] ")]
    marks = _marks_in_yaml(path)
    assert len(rows) == len(marks) == provenance.count(runbook)
    assert f"({len(marks)})" in text.splitlines()[0]
    kinds = {"task": "Opgave", "contact": "Kontakt", "group": "Gruppe"}
    for number, (row, (kind, ident, mark)) in enumerate(zip(rows, marks, strict=True), start=1):
        assert row.startswith(f"- [ ] {number}. {kinds[kind]} {ident} "), row
        assert f"[{mark['what']}]" in row and provenance.LABELS[kind][mark["what"]] in row
        assert f"kilde: {mark['source']['text']}" in row
        if mark["source"].get("url"):
            assert row.endswith(f"<{mark['source']['url']}>"), row
        if mark.get("replaces"):
            assert f"ændret {provenance.LABELS[kind][mark['what']]}" in row
            assert f"tidligere: {mark['replaces']}" in row
        if mark.get("text"):
            assert mark["text"] in row


def test_cli_additions_and_report_exit_0_and_print_the_list(runbook: Runbook):
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "drejebog", *args],
            capture_output=True,
            text=True,
            env={},
            cwd=ROOT,
        )

    additions = run("additions")
    assert additions.returncode == 0, additions.stderr
    assert additions.stdout == provenance.report(runbook) + "\n"
    report = run("report")
    assert report.returncode == 0, report.stderr
    assert report.stdout.startswith("# Huller i indholdet")
    assert report.stdout.endswith(additions.stdout)
    fixture = run("--data", str(FIXTURE), "additions")
    assert fixture.returncode == 0 and "- [ ] 1. Gruppe gruppe-a " in fixture.stdout


# --- the real data against the region's runbook -----------------------------------------


def _whats(item: Task | Contact | object) -> set[str]:
    return {m.what for m in item.added}  # type: ignore[attr-defined]


def _unmarked(items: list[tuple[str, object, set[str]]]) -> list[str]:
    """The ids of items that carry none of the marks they need."""
    return [ident for ident, item, needed in items if not (_whats(item) & needed)]


def test_the_seed_is_the_regions_table():
    """The copy in tests/fixtures/seed reads as task rows and group headings."""
    table = seed()
    assert table.rows and table.headings
    assert all(row.title for row in table.rows)
    assert {row.before for row in table.rows} <= {"X", "(X)", "-", ""}


def test_every_dependency_is_marked(runbook: Runbook):
    """The region's runbook has no dependencies: every depends_on is the editors'."""
    tasks = [t for t in runbook.tasks() if t.depends_on]
    assert tasks
    assert _unmarked([(t.id, t, {"depends_on", "task"}) for t in tasks]) == []


def test_every_suggested_deadline_has_its_source(runbook: Runbook):
    """The region's runbook has no deadlines: each due_day is marked by its due_source."""
    tasks = [t for t in runbook.tasks() if t.timing.due_day is not None]
    assert tasks
    assert [t.id for t in tasks if not t.timing.due_source] == []
    assert all(t.marks[0].what == "due_day" for t in tasks)


def test_every_audience_is_marked(runbook: Runbook):
    """The region's runbook does not say whom a task is for: applies_to is the editors'."""
    tasks = [t for t in runbook.tasks() if t.applies_to]
    assert _unmarked([(t.id, t, {"applies_to", "task"}) for t in tasks]) == []


def test_group_titles_not_in_the_seed_are_marked(runbook: Runbook):
    headings = {norm(h) for h in seed().headings}
    groups = [g for g in runbook.groups if norm(g.title) not in headings]
    assert _unmarked([(g.id, g, {"title", "group"}) for g in groups]) == []


def _seed_phones() -> set[str]:
    """Every phone number in the region's runbook, as digits (the last 8)."""
    found = re.findall(r"(?<![\w.])\+?\d[\d ]{5,}\d", seed().text)
    return {digits(n)[-8:] for n in found}


def _stem(name: str) -> str:
    """A name without the definite ending: the runbook writes both "Lægesystemleverandør"
    and "Lægesystemleverandøren"."""
    return name[:-2] if name.endswith("en") and len(name) > 6 else name


def _named(contact: Contact, text: str, phones: set[str]) -> bool:
    """The contact appears in ``text``: its name, organisation, a person, an e-mail or a phone."""
    keys = [contact.name, _stem(contact.name), contact.organisation or ""]
    keys += [p.name for p in contact.people]
    keys += [e for e in [contact.email, *(p.email for p in contact.people)] if e]
    numbers = [digits(n)[-8:] for n in [contact.phone, *(p.phone for p in contact.people)] if n]
    return any(in_text(k, text) for k in keys if k) or any(n in phones for n in numbers)


def test_contacts_not_named_in_the_seed_are_marked(runbook: Runbook):
    phones = _seed_phones()
    contacts = [c for c in runbook.contacts if not _named(c, seed().text, phones)]
    assert _unmarked([(c.id, c, {"contact"}) for c in contacts]) == []


def test_contact_details_not_in_the_seed_are_marked(runbook: Runbook):
    """An e-mail address, phone number or web address the region's runbook does not give
    (on the contact or one of its people) carries a mark, like the SSI address replaced by
    Sundhedsdatastyrelsen's own."""
    text, phones = seed().text.casefold(), _seed_phones()
    needs: list[tuple[str, object, set[str]]] = []
    for c in runbook.contacts:
        if c.email and c.email.casefold() not in text:
            needs.append((f"{c.id}: {c.email}", c, {"email", "contact"}))
        if c.phone and digits(c.phone)[-8:] not in phones:
            needs.append((f"{c.id}: {c.phone}", c, {"phone", "contact"}))
        if c.url and c.url.casefold() not in text:
            needs.append((f"{c.id}: {c.url}", c, {"url", "contact"}))
        for p in c.people:
            if (p.email and p.email.casefold() not in text) or (
                p.phone and digits(p.phone)[-8:] not in phones
            ):
                needs.append((f"{c.id}: {p.name}", c, {"people", "email", "phone", "contact"}))
    assert any(c.added for c in runbook.contacts)
    assert _unmarked(needs) == []


def _rows(runbook: Runbook):
    """(task, its row in the region's runbook) for each task that has one."""
    for task in runbook.tasks():
        row = row_for(task.title)
        if row is not None:
            yield task, row


def test_every_task_is_in_the_seed_or_marked(runbook: Runbook):
    """A task whose title matches no row of the region's runbook is new, or renamed beyond
    recognition: it carries a 'task' or 'title' mark."""
    matched = {t.id for t, _ in _rows(runbook)}
    assert matched
    new = [t for t in runbook.tasks() if t.id not in matched]
    assert _unmarked([(t.id, t, {"task", "title"}) for t in new]) == []


_MARKS = {"X": "required", "(X)": "optional"}


def test_timing_not_in_the_seed_row_is_marked(runbook: Runbook):
    """Before/after opening ("X", "(X)"), "-" (the region handles it) and "tidligst N dage"
    as the row has them; anything else is marked 'when'."""
    needs = []
    for task, row in _rows(runbook):
        if task.is_info != (row.before == "-"):
            needs.append((f"{task.id}: kind", task, {"when", "task"}))
            continue
        before = _MARKS.get(row.before)
        after = "required" if "tidligst" in row.after else _MARKS.get(row.after)
        if not task.is_info and (task.timing.before, task.timing.after) != (before, after):
            needs.append((f"{task.id}: before/after", task, {"when", "task"}))
        earliest = task.timing.earliest_day
        if earliest is not None and not in_text(f"tidligst {abs(earliest)} dage", row.text):
            needs.append((f"{task.id}: earliest_day", task, {"when", "task"}))
    assert _unmarked(needs) == []


def test_responsible_not_in_the_seed_row_is_marked(runbook: Runbook):
    needs = [
        (f"{task.id}: {who}", task, {"responsible", "task"})
        for task, row in _rows(runbook)
        for who in task.responsible
        if not in_text(who, row.responsible)
    ]
    assert _unmarked(needs) == []


def test_helpers_not_in_the_seed_row_are_marked(runbook: Runbook):
    """Each contact under 'Hvem kan hjælpe' is named in the row's column of the same name."""
    phones = _seed_phones()
    needs = []
    for task, row in _rows(runbook):
        row_phones = {n for n in phones if n in digits(row.help)}
        for cid in task.help:
            if not _named(runbook.contact(cid), row.help, row_phones):
                needs.append((f"{task.id}: {cid}", task, {"help", "task"}))
    assert _unmarked(needs) == []


_EVERY = {"monthly": ("måned",), "quarterly": ("kvartal",), "yearly": ("hvert år", "årlig")}


def test_repeats_not_in_the_seed_row_are_marked(runbook: Runbook):
    needs = [
        (task.id, task, {"repeat", "task"})
        for task, row in _rows(runbook)
        if task.timing.repeat
        and not any(in_text(word, row.text) for word in _EVERY[task.timing.repeat.every])
    ]
    assert any(t.timing.repeat for t in runbook.tasks())
    assert _unmarked(needs) == []


def test_the_changed_ssi_address_is_recorded(runbook: Runbook):
    """The region's runbook gives servicedesk@ssi.dk; the site shows Sundhedsdatastyrelsen's
    own address and records what the region wrote (found from the data, not by id)."""
    old = [m for c in runbook.contacts for m in c.added if m.replaces and "@" in m.replaces]
    assert old
    for mark in old:
        assert mark.what == "email" and in_text(mark.replaces, seed().text)
