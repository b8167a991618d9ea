"""Data errors that name the file, the line and the field, in Danish.

Every mistake in data/tasks.yaml becomes one `DataError`. They are collected,
sorted by line and reported together, so a maintainer fixes them in one pass
instead of one build per mistake.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

Path = tuple[str | int, ...]


def shown(text: str, limit: int = 80) -> str:
    """``text`` as it may appear in an error message: invisible and control characters
    written as ``\\uXXXX`` (a lone surrogate could not even be printed), and at most
    ``limit`` characters."""
    clipped = text if len(text) <= limit else text[:limit] + "…"
    return "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in clipped)


def format_path(path: Path) -> str:
    """Render a field path the way the YAML reads: ``groups[0].tasks[3].id``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out or "(filen)"


@dataclass(frozen=True, order=True)
class DataError:
    line: int
    path: str
    message: str

    def format(self, filename: str) -> str:
        # shown() keeps the line printable whatever a message quotes from the data.
        return f"{filename}:{self.line}: {shown(self.path, 200)}: {shown(self.message, 2000)}"


class DataErrors(Exception):
    """Raised when the data file has one or more mistakes; carries all of them."""

    def __init__(self, filename: str, errors: Iterable[DataError]):
        self.filename = filename
        self.errors = sorted(set(errors))
        super().__init__(self.report())

    def lines(self) -> list[str]:
        return [error.format(self.filename) for error in self.errors]

    def report(self) -> str:
        head = f"{self.filename}: {len(self.errors)} fejl i data – ret dem og prøv igen."
        return "\n".join([head, *self.lines()])
