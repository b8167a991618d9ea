"""The runbook as frozen domain objects, built from already validated data.

Nothing here reads files or knows about MkDocs. Field names follow
data/tasks.yaml; see src/drejebog/tasks.schema.json for what each one means.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

Mark = Literal["required", "optional"]
Audience = Literal["new", "takeover"]
Every = Literal["monthly", "quarterly", "yearly"]


@dataclass(frozen=True)
class Status:
    """One status of a task in the checklist (docs/dev/checklist-contract.md)."""

    id: str
    label: str
    share_code: str | None  # its letter in a share link; None: not shared ("todo")

    @property
    def config(self) -> dict[str, str | None]:
        """As the checklist script reads it from the page (``#drb--config``)."""
        return {"id": self.id, "label": self.label, "share": self.share_code}


# The checklist's statuses, defined once: the templates render them for the script.
STATUSES: tuple[Status, ...] = (
    Status("todo", "Ikke startet", None),
    Status("doing", "I gang", "g"),
    Status("done", "Færdig", "d"),
    Status("na", "Ikke relevant", "n"),
)


@dataclass(frozen=True)
class Link:
    text: str
    url: str | None = None
    unverified: bool = False
    note: str | None = None

    @property
    def missing(self) -> bool:
        return self.url is None


@dataclass(frozen=True)
class Person:
    name: str
    role: str | None = None
    email: str | None = None
    phone: str | None = None
    phone_label: str | None = None


@dataclass(frozen=True)
class Source:
    """Where a fact comes from: a short text, and an address if there is one (a task's
    ``when.due_source``, and the source of each ``Added`` mark)."""

    text: str
    url: str | None = None


@dataclass(frozen=True)
class Added:
    """A fact that is not in the region's runbook: added, or changed (``replaces`` holds
    what the region wrote), by the editors, with its source. ``what`` names the field
    (``depends_on``, ``email``, ``title`` ...; the whole task, contact or group as
    ``task``, ``contact``, ``group``); ``text`` says in a few words what was added.
    A task's suggested deadline is marked by its ``due_source`` (``Task.marks``)."""

    what: str
    source: Source
    text: str | None = None
    replaces: str | None = None
    line: int = 0


@dataclass(frozen=True)
class Contact:
    id: str
    name: str
    organisation: str | None = None
    role: str | None = None
    email: str | None = None
    phone: str | None = None
    phone_label: str | None = None
    url: str | None = None
    note: str | None = None
    todo: str | None = None
    people: tuple[Person, ...] = ()
    added: tuple[Added, ...] = ()
    line: int = 0

    @property
    def reachable(self) -> bool:
        """True when the contact has at least one way to reach it."""
        return bool(
            self.email or self.phone or self.url or any(p.email or p.phone for p in self.people)
        )


@dataclass(frozen=True)
class Repeat:
    """A recurring task: how often, and what recurs."""

    every: Every
    text: str | None = None


@dataclass(frozen=True)
class Timing:
    """When a task is done, relative to the opening day (day 0).

    ``due_day``, ``due_source`` and ``repeat`` are the maintainers' suggestions, not
    official deadlines. None of them is part of ``Task.content_hash``: changing a
    suggestion does not mark the task "Opdateret" for the clinics.
    """

    before: Mark | None = None
    after: Mark | None = None
    earliest_day: int | None = None
    due_day: int | None = None
    due_source: Source | None = None
    repeat: Repeat | None = None

    @property
    def effective_due_day(self) -> int | None:
        """The suggested deadline the plan uses: ``due_day``; else the opening day (0)
        for a task that must be done before opening and not also after; else none."""
        if self.due_day is not None:
            return self.due_day
        if self.before == "required" and self.after != "required":
            return 0
        return None


@dataclass(frozen=True)
class Task:
    id: str
    title: str
    group_id: str
    kind: Literal["task", "info"] = "task"
    timing: Timing = field(default_factory=Timing)
    responsible: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    details: str | None = None
    help: tuple[str, ...] = ()
    applies_to: tuple[Audience, ...] = ()
    depends_on: tuple[str, ...] = ()
    added: tuple[Added, ...] = ()
    checked: date | None = None
    todo: str | None = None
    line: int = 0
    due_line: int = 0  # the line of when.due_day

    @property
    def marks(self) -> tuple[Added, ...]:
        """Everything on the task that is not in the region's runbook: first the suggested
        deadline (``what: due_day``, marked by its ``due_source``), then the ``added``
        marks in the file's order."""
        due = self.timing
        implicit = (
            (Added("due_day", due.due_source, line=self.due_line),)
            if due.due_day is not None and due.due_source
            else ()
        )
        return implicit + self.added

    @property
    def is_info(self) -> bool:
        """Rows the region handles by itself: shown as information, never ticked."""
        return self.kind == "info"

    @property
    def content_hash(self) -> str:
        """A short fingerprint of what the user reads, to notice changed tasks."""
        payload = json.dumps(
            [self.title, self.details, [(ln.text, ln.url) for ln in self.links]],
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Group:
    id: str
    title: str
    tasks: tuple[Task, ...]
    intro: str | None = None
    added: tuple[Added, ...] = ()
    line: int = 0

    @property
    def actionable(self) -> tuple[Task, ...]:
        return tuple(t for t in self.tasks if not t.is_info)


@dataclass(frozen=True)
class Meta:
    title: str
    region: str
    publisher: str
    source: str
    updated: date
    subtitle: str | None = None
    accessibility_statement: str | None = None  # the official statement's address (was.digst.dk)


@dataclass(frozen=True)
class About:
    text: str | None = None
    links: tuple[Link, ...] = ()
    contacts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Change:
    date: date
    text: str
    tasks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Runbook:
    meta: Meta
    contacts: tuple[Contact, ...]
    groups: tuple[Group, ...]
    about: About = field(default_factory=About)
    changes: tuple[Change, ...] = ()

    def tasks(self) -> Iterator[Task]:
        for group in self.groups:
            yield from group.tasks

    def task(self, task_id: str) -> Task:
        return next(t for t in self.tasks() if t.id == task_id)

    def group(self, group_id: str) -> Group:
        return next(g for g in self.groups if g.id == group_id)

    def contact(self, contact_id: str) -> Contact:
        return next(c for c in self.contacts if c.id == contact_id)

    def helped_by(self, contact_id: str) -> tuple[Task, ...]:
        return tuple(t for t in self.tasks() if contact_id in t.help)

    @property
    def last_checked(self) -> date | None:
        dates = [t.checked for t in self.tasks() if t.checked]
        return max(dates) if dates else None


def _links(items: list[dict[str, Any]] | None) -> tuple[Link, ...]:
    return tuple(
        Link(
            text=i["text"],
            url=i.get("url"),
            unverified=bool(i.get("unverified")),
            note=i.get("note"),
        )
        for i in items or ()
    )


def _timing(when: dict[str, Any]) -> Timing:
    source = when.get("due_source")
    repeat = when.get("repeat")
    return Timing(
        before=when.get("before"),
        after=when.get("after"),
        earliest_day=when.get("earliest_day"),
        due_day=when.get("due_day"),
        due_source=Source(source["text"], source.get("url")) if source else None,
        repeat=Repeat(repeat["every"], repeat.get("text")) if repeat else None,
    )


def _marks(items: list[dict[str, Any]] | None, lines: dict, base: tuple) -> tuple[Added, ...]:
    return tuple(
        Added(
            what=m["what"],
            source=Source(m["source"]["text"], m["source"].get("url")),
            text=m.get("text"),
            replaces=m.get("replaces"),
            line=lines.get((*base, "added", i), 0),
        )
        for i, m in enumerate(items or ())
    )


def _person(item: dict[str, Any]) -> Person:
    return Person(**{k: item.get(k) for k in ("name", "role", "email", "phone", "phone_label")})


def build(data: dict[str, Any], lines: dict[tuple[str | int, ...], int]) -> Runbook:
    """Turn validated plain data into domain objects. Assumes the data passed validation."""
    meta = data["meta"]
    contacts = tuple(
        Contact(
            **{
                k: c.get(k)
                for k in (
                    "id",
                    "name",
                    "organisation",
                    "role",
                    "email",
                    "phone",
                    "phone_label",
                    "url",
                    "note",
                    "todo",
                )
            },
            people=tuple(_person(p) for p in c.get("people") or ()),
            added=_marks(c.get("added"), lines, ("contacts", i)),
            line=lines.get(("contacts", i), 0),
        )
        for i, c in enumerate(data.get("contacts") or ())
    )
    groups = []
    for gi, g in enumerate(data["groups"]):
        tasks = []
        for ti, t in enumerate(g["tasks"]):
            when = t.get("when") or {}
            tasks.append(
                Task(
                    id=t["id"],
                    title=t["title"],
                    group_id=g["id"],
                    kind=t.get("kind", "task"),
                    timing=_timing(when),
                    responsible=tuple(t.get("responsible") or ()),
                    links=_links(t.get("links")),
                    details=t.get("details"),
                    help=tuple(t.get("help") or ()),
                    applies_to=tuple(t.get("applies_to") or ()),
                    depends_on=tuple(t.get("depends_on") or ()),
                    added=_marks(t.get("added"), lines, ("groups", gi, "tasks", ti)),
                    checked=date.fromisoformat(t["checked"]) if t.get("checked") else None,
                    todo=t.get("todo"),
                    line=lines.get(("groups", gi, "tasks", ti), 0),
                    due_line=lines.get(("groups", gi, "tasks", ti, "when", "due_day"), 0),
                )
            )
        groups.append(
            Group(
                id=g["id"],
                title=g["title"],
                intro=g.get("intro"),
                tasks=tuple(tasks),
                added=_marks(g.get("added"), lines, ("groups", gi)),
                line=lines.get(("groups", gi), 0),
            )
        )
    about = data.get("about") or {}
    return Runbook(
        meta=Meta(
            title=meta["title"],
            subtitle=meta.get("subtitle"),
            region=meta["region"],
            publisher=meta["publisher"],
            source=meta["source"],
            updated=date.fromisoformat(meta["updated"]),
            accessibility_statement=meta.get("accessibility_statement"),
        ),
        contacts=contacts,
        groups=tuple(groups),
        about=About(
            text=about.get("text"),
            links=_links(about.get("links")),
            contacts=tuple(about.get("contacts") or ()),
        ),
        changes=tuple(
            sorted(
                (
                    Change(date.fromisoformat(c["date"]), c["text"], tuple(c.get("tasks") or ()))
                    for c in data.get("changes") or ()
                ),
                key=lambda c: c.date,
                reverse=True,
            )
        ),
    )
