"""How big the pages of a data file will be, estimated before anything is built.

A build costs time in proportion to the HTML it writes, and a small data file can ask for
a lot of it: every task that names a contact repeats the contact's whole line (people,
addresses, note) on its card and in the overview. (The list of all tasks for the checklist
is one file, assets/manifest.json, not part of every page.) Field lengths and list sizes
bound each piece; this estimate bounds the product, so that any file ``check`` accepts
builds in well under a minute on a two-core machine (tests/test_limits.py builds the worst
files we know). The real runbook is a few hundred kilobytes; the limit is far above
anything a runbook needs.
"""

from __future__ import annotations

from typing import Any

MAX_TASKS = 2000
MAX_PAGE_BYTES = 60_000_000  # estimated HTML of all generated pages together

# Template text around each piece, measured on the built site (rounded up).
_TASK = 900
_LINK = 120
_CONTACT = 250
_PERSON = 120
_DEPENDENCY = 80
_MANIFEST_TASK = 160  # with the plan's keys (before, after, due, earliest, repeat, applies)
_MANIFEST_ITEM = 20  # one entry of a task's deps or resp in the manifest
_TIMING = 100  # a row of the suggested deadline or the repetition on a task card
_MARK = 150  # one provenance mark ("Tilføjet af redaktionen: …") with its list item
_NAV_ITEM = 400
_ESCAPED = 1.5  # HTML escaping and Markdown's markup make text longer
_PAGE = 25_000  # the theme's header, navigation and footer on every page


def _text(value: Any) -> int:
    return len(value) if isinstance(value, str) else 0


def _items(data: Any, key: str) -> list[dict[str, Any]]:
    value = data.get(key) if isinstance(data, dict) else None
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    return value if isinstance(value, list) else []


def contact_bytes(contact: dict[str, Any]) -> int:
    """The HTML of one contact's line as a task card (and the overview's row) shows it."""
    size = _CONTACT + sum(
        _text(contact.get(k)) for k in ("name", "organisation", "phone_label", "note")
    )
    size += 2 * sum(_text(contact.get(k)) for k in ("email", "phone", "url"))
    for person in _items(contact, "people"):
        size += (
            _PERSON
            + _text(person.get("name"))
            + _text(person.get("role"))
            + _text(person.get("phone_label"))
        )
        size += 2 * (_text(person.get("email")) + _text(person.get("phone")))
    return size


def marks_bytes(item: dict[str, Any]) -> int:
    """The provenance note of a task, contact or group (its ``added`` marks), and its line
    in the about page's list."""
    marks = _items(item, "added")
    size = 0
    for mark in marks:
        source = mark.get("source") if isinstance(mark.get("source"), dict) else {}
        size += _MARK + _text(mark.get("text")) + _text(mark.get("replaces"))
        size += _text(source.get("text")) + 2 * _text(source.get("url"))
    if marks:
        size += _DEPENDENCY + _text(item.get("title")) + _text(item.get("name"))
    return size


def estimate(data: Any) -> tuple[int, int]:
    """(number of tasks, estimated bytes of HTML of the generated pages)."""
    contacts = {
        c["id"]: contact_bytes(c) for c in _items(data, "contacts") if isinstance(c.get("id"), str)
    }
    groups = _items(data, "groups")
    tasks = [t for g in groups for t in _items(g, "tasks")]
    titles = {t["id"]: _text(t.get("title")) for t in tasks if isinstance(t.get("id"), str)}
    cards = 0
    for task in tasks:
        cards += _TASK + 3 * _text(task.get("title")) + 2 * _text(task.get("details"))
        cards += sum(_text(r) for r in _list(task, "responsible"))
        cards += sum(
            _LINK + _text(k.get("text")) + _text(k.get("url")) + _text(k.get("note"))
            for k in _items(task, "links")
        )
        cards += sum(contacts.get(c, 0) for c in _list(task, "help") if isinstance(c, str))
        when = task.get("when") if isinstance(task.get("when"), dict) else {}
        for key in ("due_source", "repeat"):  # the suggested deadline's source, the repetition
            part = when.get(key) if isinstance(when.get(key), dict) else {}
            cards += _TIMING + _text(part.get("text")) + 2 * _text(part.get("url"))
        if when.get("due_source") is not None:  # the deadline's line on the about page
            cards += _DEPENDENCY + _text(task.get("title"))
        cards += marks_bytes(task)
        cards += sum(
            _DEPENDENCY + titles.get(d, 0) for d in _list(task, "depends_on") if isinstance(d, str)
        )
    for group in groups:
        cards += 2 * _text(group.get("title")) + 2 * _text(group.get("intro"))
        cards += marks_bytes(group)
    for change in _items(data, "changes"):
        cards += _DEPENDENCY + _text(change.get("text"))
        cards += sum(
            _DEPENDENCY + titles.get(t, 0) for t in _list(change, "tasks") if isinstance(t, str)
        )
    about = data.get("about") if isinstance(data, dict) else None
    if isinstance(about, dict):  # on the home page and the about page
        cards += 2 * (
            _text(about.get("text"))
            + sum(contacts.get(c, 0) for c in _list(about, "contacts") if isinstance(c, str))
        )
    manifest = sum(
        _MANIFEST_TASK
        + len(str(t.get("id")))
        + _text(t.get("title"))
        + sum(_MANIFEST_ITEM + _text(r) for r in _list(t, "responsible"))
        + sum(_MANIFEST_ITEM + _text(d) for d in _list(t, "depends_on"))
        for t in tasks
    )
    contacts_page = sum(contacts.values())
    contacts_page += sum(marks_bytes(c) for c in _items(data, "contacts"))
    contacts_page += sum(
        (_DEPENDENCY + _text(t.get("title"))) * len(_list(t, "help")) for t in tasks
    )
    # Every page (groups, home, contacts, changes, about, 404) has the navigation.
    navigation = (len(groups) + 5) * sum(_NAV_ITEM + _text(g.get("title")) for g in groups)
    total = cards + manifest + contacts_page + navigation + (len(groups) + 5) * _PAGE
    return len(tasks), int(total * _ESCAPED)
