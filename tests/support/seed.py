"""The region's own runbook, as the tests read it: what "the region wrote".

``tests/fixtures/seed/drejebog-midtjylland.txt`` is a copy of the region's runbook (its PDF
table as text, one task row a line, the columns separated by tabs). It lives in the
repository so that the tests run on a fresh clone. The provenance tests
(tests/core/test_provenance.py) compare data/tasks.yaml with it: a fact on the site that
is not in here must carry an ``added:`` mark.

The file has a header line on every page ("Før opstart<TAB>Efter opstart<TAB>Opgave ..."),
group headings (a line of text followed only by tabs), task rows (eight columns) and a few
continuation rows (a row whose task column is empty continues the row before it).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "seed" / "drejebog-midtjylland.txt"

_HEADER = "Før opstart\tEfter opstart\tOpgave"
_TAGS = re.compile(r"<[^>]+>")


@dataclass
class Row:
    """One task row of the region's runbook, its columns as plain text (HTML tags removed)."""

    before: str
    after: str
    title: str
    responsible: str
    links: str
    details: str
    help: str

    @property
    def text(self) -> str:
        """Every column of the row together."""
        return " ".join(
            (
                self.before,
                self.after,
                self.title,
                self.responsible,
                self.links,
                self.details,
                self.help,
            )
        )


@dataclass(frozen=True)
class Seed:
    text: str  # the whole file
    rows: tuple[Row, ...]
    headings: tuple[str, ...]  # the group headings, in order


def _plain(cell: str) -> str:
    return " ".join(_TAGS.sub(" ", cell).split())


@cache
def seed() -> Seed:
    text = SEED.read_text(encoding="utf-8")
    rows: list[Row] = []
    headings: list[str] = []
    for line in text.splitlines():
        if "\t" not in line or line.startswith(_HEADER):
            continue
        cells = [_plain(c) for c in line.split("\t")]
        cells += [""] * (8 - len(cells))
        if cells[0] and not any(cells[1:]):
            headings.append(cells[0])
        elif cells[2]:
            rows.append(Row(*cells[:7]))
        elif rows:  # a continuation of the row before
            last = rows[-1]
            last.details = f"{last.details} {cells[5]}".strip()
            last.help = f"{last.help} {cells[6]}".strip()
    return Seed(text, tuple(rows), tuple(headings))


def norm(text: str) -> str:
    """Letters and digits only, lower case: spelling of spaces, hyphens, punctuation and
    case do not count ("Praksis-Administrationen" is "praksisadministrationen")."""
    folded = unicodedata.normalize("NFC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def in_text(needle: str, haystack: str) -> bool:
    """``needle`` occurs in ``haystack`` (both normalised with ``norm``)."""
    return bool(norm(needle)) and norm(needle) in norm(haystack)


def row_for(title: str, cutoff: float = 0.6) -> Row | None:
    """The seed row whose task title is most like ``title`` (None below ``cutoff``)."""
    rows = seed().rows
    titles = [norm(r.title) for r in rows]
    found = difflib.get_close_matches(norm(title), titles, n=1, cutoff=cutoff)
    return rows[titles.index(found[0])] if found else None
