"""Content gaps: what maintainers still have to fill in or confirm."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Runbook


@dataclass(frozen=True)
class Gaps:
    missing_urls: list[tuple[str, str]]  # (owner, link text)
    unverified_urls: list[tuple[str, str]]  # (owner, url)
    contacts: list[tuple[str, str]]  # (contact id, what is missing or doubtful)
    task_todos: list[tuple[str, str]]  # (task id, note)

    def summary(self) -> str:
        return (
            f"Huller i indholdet: {len(self.missing_urls)} links uden adresse, "
            f"{len(self.unverified_urls)} ubekræftede adresser, "
            f"{len(self.contacts)} kontakter med mangler, {len(self.task_todos)} opgaver med noter. "
            "Se 'make report'."
        )


def find_gaps(runbook: Runbook) -> Gaps:
    missing = [(t.id, link.text) for t in runbook.tasks() for link in t.links if link.missing]
    missing += [("om-siden", link.text) for link in runbook.about.links if link.missing]
    if not runbook.meta.accessibility_statement:
        missing.append(
            ("tilgaengelighed", "Tilgængelighedserklæringen (meta.accessibility_statement)")
        )
    unverified = [
        (t.id, link.url or "") for t in runbook.tasks() for link in t.links if link.unverified
    ]
    contacts = []
    for c in runbook.contacts:
        if c.todo:
            contacts.append((c.id, c.todo))
        elif not c.reachable and c.id in {cid for t in runbook.tasks() for cid in t.help}:
            contacts.append((c.id, "hverken e-mail, telefon eller webadresse"))
    todos = [(t.id, t.todo) for t in runbook.tasks() if t.todo]
    return Gaps(missing, unverified, contacts, todos)


def report(gaps: Gaps) -> str:
    lines = ["# Huller i indholdet", "", gaps.summary().replace(" Se 'make report'.", ""), ""]

    def section(title: str, rows: list[tuple[str, str]], head: tuple[str, str]) -> None:
        lines.extend([f"## {title} ({len(rows)})", ""])
        if not rows:
            lines.extend(["Ingen.", ""])
            return
        lines.extend([f"| {head[0]} | {head[1]} |", "|---|---|"])
        lines.extend(f"| `{a}` | {b.replace('|', '/').replace(chr(10), ' ')} |" for a, b in rows)
        lines.append("")

    section("Links uden adresse", gaps.missing_urls, ("Opgave", "Linktekst"))
    section("Ubekræftede adresser (unverified: true)", gaps.unverified_urls, ("Opgave", "Adresse"))
    section("Kontakter med mangler", gaps.contacts, ("Kontakt", "Hvad mangler"))
    section("Noter til vedligeholderne (todo)", gaps.task_todos, ("Opgave", "Note"))
    return "\n".join(lines)
