"""What changed in the content between two versions of data/tasks.yaml.

Used in pull requests: the CI job compares the base branch's data file with the
pull request's and writes the summary to the job summary, so a reviewer sees
"task X: title and links changed" instead of reading a YAML diff.
Tasks are matched by id, never by position or title.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from .model import Contact, Runbook, Task

# Task fields a reader sees, with their Danish names; group_id is reported as a move.
_TASK_FIELDS = {
    "title": "titel",
    "kind": "type",
    "timing": "hvornår",
    "responsible": "ansvarlig",
    "links": "links",
    "details": "uddybning",
    "help": "hvem kan hjælpe",
    "applies_to": "gælder for",
    "depends_on": "afhænger af",
    "checked": "tjekket",
    "todo": "note til vedligeholdere",
}


@dataclass(frozen=True)
class TaskChange:
    task_id: str
    title: str
    fields: tuple[str, ...] = ()
    moved_from: str | None = None
    moved_to: str | None = None


@dataclass(frozen=True)
class ContentDiff:
    added: tuple[Task, ...]
    removed: tuple[Task, ...]
    changed: tuple[TaskChange, ...]
    contacts_added: tuple[str, ...]
    contacts_removed: tuple[str, ...]
    contacts_changed: tuple[str, ...]
    groups_changed: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))


def _contact_key(contact: Contact) -> tuple[object, ...]:
    return tuple(getattr(contact, f.name) for f in fields(contact) if f.name != "line")


def compare(old: Runbook, new: Runbook) -> ContentDiff:
    old_tasks = {t.id: t for t in old.tasks()}
    new_tasks = {t.id: t for t in new.tasks()}
    added = tuple(t for t in new.tasks() if t.id not in old_tasks)
    removed = tuple(t for t in old.tasks() if t.id not in new_tasks)
    changed = []
    for task in new.tasks():
        before = old_tasks.get(task.id)
        if before is None:
            continue
        names = tuple(
            label
            for name, label in _TASK_FIELDS.items()
            if getattr(before, name) != getattr(task, name)
        )
        moved = before.group_id != task.group_id
        if names or moved:
            changed.append(
                TaskChange(
                    task.id,
                    task.title,
                    names,
                    moved_from=before.group_id if moved else None,
                    moved_to=task.group_id if moved else None,
                )
            )
    old_contacts = {c.id: c for c in old.contacts}
    new_contacts = {c.id: c for c in new.contacts}
    old_groups = {g.id: (g.title, g.intro) for g in old.groups}
    groups_changed = tuple(
        g.id for g in new.groups if g.id not in old_groups or old_groups[g.id] != (g.title, g.intro)
    ) + tuple(gid for gid in old_groups if gid not in {g.id for g in new.groups})
    return ContentDiff(
        added=added,
        removed=removed,
        changed=tuple(changed),
        contacts_added=tuple(c for c in new_contacts if c not in old_contacts),
        contacts_removed=tuple(c for c in old_contacts if c not in new_contacts),
        contacts_changed=tuple(
            c
            for c in new_contacts
            if c in old_contacts and _contact_key(new_contacts[c]) != _contact_key(old_contacts[c])
        ),
        groups_changed=groups_changed,
    )


def summary(diff: ContentDiff) -> str:
    """Markdown for a pull request's job summary (Danish: maintainers read it)."""
    lines = ["## Ændringer i indholdet", ""]
    if diff.empty:
        lines.append("Ingen ændringer i opgaver, grupper eller kontakter.")
        return "\n".join(lines) + "\n"
    if diff.added:
        lines += [f"**Nye opgaver ({len(diff.added)})**", ""]
        lines += [f"- `{t.id}` – {t.title} (gruppe `{t.group_id}`)" for t in diff.added]
        lines.append("")
    if diff.removed:
        lines += [f"**Fjernede opgaver ({len(diff.removed)})** – deres id må aldrig genbruges", ""]
        lines += [f"- `{t.id}` – {t.title}" for t in diff.removed]
        lines.append("")
    if diff.changed:
        lines += [f"**Ændrede opgaver ({len(diff.changed)})**", ""]
        for c in diff.changed:
            parts = []
            if c.fields:
                parts.append("ændret: " + ", ".join(c.fields))
            if c.moved_from:
                parts.append(f"flyttet fra `{c.moved_from}` til `{c.moved_to}`")
            lines.append(f"- `{c.task_id}` – {c.title}: {'; '.join(parts)}")
        lines.append("")
    for label, ids in (
        ("Nye kontakter", diff.contacts_added),
        ("Fjernede kontakter", diff.contacts_removed),
        ("Ændrede kontakter", diff.contacts_changed),
        ("Ændrede grupper", diff.groups_changed),
    ):
        if ids:
            lines += [f"**{label}:** " + ", ".join(f"`{i}`" for i in ids), ""]
    return "\n".join(lines)
