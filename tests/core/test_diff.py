"""The content-change summary a pull request gets, from a pair of data files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from drejebog import load_runbook
from drejebog.diff import compare, summary

ROOT = Path(__file__).resolve().parents[2]
PAIR = ROOT / "tests" / "fixtures" / "diff"


def test_added_removed_retitled_and_moved_tasks():
    diff = compare(load_runbook(PAIR / "old.yaml"), load_runbook(PAIR / "new.yaml"))
    assert [t.id for t in diff.added] == ["opgave-5"]
    assert [t.id for t in diff.removed] == []
    changes = {c.task_id: c for c in diff.changed}
    assert set(changes) == {"opgave-1", "opgave-3"}
    assert changes["opgave-1"].fields == ("titel", "hvornår")
    assert (changes["opgave-3"].moved_from, changes["opgave-3"].moved_to) == (
        "gruppe-a",
        "gruppe-b",
    )
    assert changes["opgave-3"].fields == ()


def test_removed_task_is_reported_with_the_id_warning():
    diff = compare(load_runbook(PAIR / "new.yaml"), load_runbook(PAIR / "old.yaml"))
    assert [t.id for t in diff.removed] == ["opgave-5"]
    text = summary(diff)
    assert "**Fjernede opgaver (1)** – deres id må aldrig genbruges" in text
    assert "- `opgave-5` – Femte opgave" in text


def test_summary_text_names_ids_and_fields():
    text = summary(compare(load_runbook(PAIR / "old.yaml"), load_runbook(PAIR / "new.yaml")))
    assert "- `opgave-5` – Femte opgave (gruppe `gruppe-b`)" in text
    assert "- `opgave-1` – Første opgave, ny titel: ændret: titel, hvornår" in text
    assert "- `opgave-3` – Tredje opgave: flyttet fra `gruppe-a` til `gruppe-b`" in text


def test_no_changes():
    runbook = load_runbook(PAIR / "old.yaml")
    assert compare(runbook, runbook).empty
    assert "Ingen ændringer" in summary(compare(runbook, runbook))


def test_cli_diff():
    result = subprocess.run(
        [sys.executable, "-m", "drejebog", "diff", str(PAIR / "old.yaml"), str(PAIR / "new.yaml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={},
    )
    assert result.returncode == 0, result.stderr
    assert "**Nye opgaver (1)**" in result.stdout
