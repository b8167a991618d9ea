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
    line: int = 0

    @property
    def reachable(self) -> bool:
        """True when the contact has at least one way to reach it."""
        return bool(
            self.email or self.phone or self.url or any(p.email or p.phone for p in self.people)
        )


@dataclass(frozen=True)
class Timing:
    before: Mark | None = None
    after: Mark | None = None
    earliest_day: int | None = None


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
    checked: date | None = None
    todo: str | None = None
    line: int = 0

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
                    timing=Timing(when.get("before"), when.get("after"), when.get("earliest_day")),
                    responsible=tuple(t.get("responsible") or ()),
                    links=_links(t.get("links")),
                    details=t.get("details"),
                    help=tuple(t.get("help") or ()),
                    applies_to=tuple(t.get("applies_to") or ()),
                    depends_on=tuple(t.get("depends_on") or ()),
                    checked=date.fromisoformat(t["checked"]) if t.get("checked") else None,
                    todo=t.get("todo"),
                    line=lines.get(("groups", gi, "tasks", ti), 0),
                )
            )
        groups.append(
            Group(
                id=g["id"],
                title=g["title"],
                intro=g.get("intro"),
                tasks=tuple(tasks),
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
