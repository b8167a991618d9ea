"""Provenance: what the site says that the region's runbook does not.

The region's runbook (its PDF table) is the source of the content. What the editors
added to it or changed in it is marked in the data, each with its source: an ``added:``
list on a task, contact or group (``Added``), and a task's ``when.due_source`` for its
suggested deadline (``Task.marks``). The pages show the marks (templates/_provenance.j2,
and the about page's list), and ``python -m drejebog additions`` (part of ``report``)
prints them one a line, for the region to approve or strike.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Literal

from .model import Added, Contact, Group, Runbook, Task

Kind = Literal["task", "contact", "group"]

# The Danish name of each field a mark can name, per kind of item. The keys are the
# schema's enums of ``what`` (tasks.schema.json: task_mark, contact_mark, group_mark),
# plus a task's ``due_day``, which is marked by its ``due_source``.
LABELS: dict[str, dict[str, str]] = {
    "task": {
        "task": "hele opgaven",
        "title": "titel",
        "details": "uddybning",
        "link": "link",
        "when": "hvornår",
        "repeat": "gentagelse",
        "responsible": "ansvarlig",
        "help": "hvem kan hjælpe",
        "depends_on": "bør gøres efter",
        "applies_to": "hvem opgaven gælder for",
        "due_day": "forslag til frist",
    },
    "contact": {
        "contact": "hele kontakten",
        "name": "navn",
        "organisation": "organisation",
        "role": "rolle",
        "email": "e-mail",
        "phone": "telefon",
        "url": "hjemmeside",
        "note": "bemærkning",
        "people": "personer",
    },
    "group": {
        "group": "hele gruppen",
        "title": "overskrift",
        "intro": "indledning",
    },
}
_KIND_NAMES = {"task": "Opgave", "contact": "Kontakt", "group": "Gruppe"}


@dataclass(frozen=True)
class Owner:
    """A task, contact or group with its marks."""

    kind: Kind
    item: Task | Contact | Group
    marks: tuple[Added, ...]

    @property
    def title(self) -> str:
        item = self.item
        return item.name if isinstance(item, Contact) else item.title

    def label(self, mark: Added) -> str:
        return LABELS[self.kind][mark.what]

    @property
    def labels(self) -> list[str]:
        """The labels of its marks, each once, in order."""
        return list(dict.fromkeys(self.label(m) for m in self.marks))


def owners(runbook: Runbook) -> list[Owner]:
    """Every group, task and contact that has marks: each group, then its tasks, then the
    contacts, in the file's order."""
    found: list[Owner] = []
    for group in runbook.groups:
        if group.added:
            found.append(Owner("group", group, group.added))
        found += [Owner("task", t, t.marks) for t in group.tasks if t.marks]
    found += [Owner("contact", c, c.added) for c in runbook.contacts if c.added]
    return found


def count(runbook: Runbook) -> int:
    return sum(len(o.marks) for o in owners(runbook))


def counts(runbook: Runbook) -> list[tuple[str, int]]:
    """(label, number of marks), most first; the same label on tasks and contacts adds up."""
    tally = Counter(o.label(m) for o in owners(runbook) for m in o.marks)
    return sorted(tally.items(), key=lambda item: (-item[1], item[0]))


def _detail(owner: Owner, mark: Added) -> str:
    """What the report says after the label: the text, the day of a suggested deadline."""
    due = owner.item.timing.due_day if isinstance(owner.item, Task) else None
    if mark.what == "due_day" and due is not None:
        if due == 0:
            return "senest på opstartsdagen"
        days = "dag" if abs(due) == 1 else "dage"
        return f"senest {abs(due)} {days} {'før' if due < 0 else 'efter'} opstart"
    return mark.text or ""


def line(number: int, owner: Owner, mark: Added) -> str:
    """One mark as one line of the report (Markdown task-list syntax, readable as text)."""
    where = f'{_KIND_NAMES[owner.kind]} {owner.item.id} "{owner.title}" (linje {mark.line or owner.item.line})'
    verb = "ændret" if mark.replaces else "tilføjet"
    what = f"{verb} {owner.label(mark)} [{mark.what}]"
    detail = _detail(owner, mark)
    if detail:
        what += f": {detail}"
    if mark.replaces:
        what += f" – tidligere: {mark.replaces}"
    source = mark.source.text + (f" <{mark.source.url}>" if mark.source.url else "")
    return f"- [ ] {number}. {where}: {what} – kilde: {source}"


def report(runbook: Runbook) -> str:
    """Every mark, one a line, for the region to approve or strike."""
    rows = [(o, m) for o in owners(runbook) for m in o.marks]
    summary = ", ".join(f"{label} {n}" for label, n in counts(runbook)) or "ingen"
    lines = [
        f"# Tilføjet eller ændret af redaktionen ({len(rows)})",
        "",
        f"Oplysninger på siden, som ikke står sådan i regionens drejebog ({runbook.meta.region}), "
        "hver med sin kilde. Sæt x i [ ] ved dem, regionen godkender, og stryg resten.",
        f"Fordelt på felter: {summary}.",
        "",
    ]
    if not rows:
        lines.append("Ingen: alt på siden står i regionens drejebog.")
    lines += [line(n, o, m) for n, (o, m) in enumerate(rows, start=1)]
    return "\n".join(lines)
