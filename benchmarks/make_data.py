"""Write a large data file for the checklist benchmark.

``python benchmarks/make_data.py [OUT]`` writes 1,000 tasks in one group (valid
against src/drejebog/tasks.schema.json) to OUT, or to a new temporary folder, and prints
the path. ``benchmarks/run.py`` builds the site from it.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import yaml

TASKS = 1000
GROUP_ID = "stor-gruppe"


def make_data(tasks: int = TASKS) -> dict:
    """A minimal runbook (meta, one contact) with ``tasks`` tasks in one group.

    Each task has the usual parts (timing, responsible, details, a link, help),
    so the page is about as heavy per task as the real ones.
    """
    return {
        "version": 1,
        "meta": {
            "title": "Benchmark-drejebog",
            "region": "Region Test",
            "publisher": "Testholdet",
            "source": "Genereret af benchmarks/make_data.py.",
            "updated": "2026-01-31",
        },
        "contacts": [
            {
                "id": "hjaelper",
                "name": "Hjælperen",
                "email": "hjaelp@example.dk",
                "phone": "1234 5678",
            },
        ],
        "groups": [
            {
                "id": GROUP_ID,
                "title": f"{tasks} opgaver i én gruppe",
                "tasks": [_task(n) for n in range(1, tasks + 1)],
            }
        ],
    }


def _task(n: int) -> dict:
    return {
        "id": f"opgave-{n}",
        "title": f"Opgave nummer {n}",
        # Half before, half after the opening; every fifth with a suggested deadline and
        # every third waiting for the one before it: the plan's line has work to do.
        "when": (
            {"before": "required", **({"due_day": -(n % 60)} if n % 5 == 0 else {})}
            if n % 2
            else {"after": "required", **({"due_day": n % 60} if n % 5 == 0 else {})}
        ),
        **({"depends_on": [f"opgave-{n - 1}"]} if n % 3 == 0 else {}),
        "responsible": ["Klinikejer"],
        "details": f"Beskrivelse af opgave {n}. Gør det, der står her, og sæt så et flueben.",
        "links": [{"text": f"Vejledning {n}", "url": f"https://example.org/vejledning/{n}"}],
        "help": ["hjaelper"],
    }


def write_data(directory: Path, tasks: int = TASKS) -> Path:
    """Write the data file into ``directory`` and return its path."""
    path = Path(directory) / "tasks-benchmark.yaml"
    text = yaml.safe_dump(make_data(tasks), allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def main(argv: list[str]) -> int:
    if len(argv) > 1:
        out = Path(argv[1])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(
            yaml.safe_dump(make_data(), allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    else:
        out = write_data(Path(tempfile.mkdtemp(prefix="drejebog-bench-")))
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
