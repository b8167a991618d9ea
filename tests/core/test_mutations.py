"""No input may produce a traceback: every field of the schema, mutated.

The base is the full runbook generated from the schema (tests/schemagen.py).
Each field, container or leaf, is replaced in turn by values of the wrong type,
empty, huge, with control characters and with unicode edge cases. Each result
must either load (and then render every page) or fail with data errors only,
each formatted ``FILE:LINE: field: message`` with a real line of the file.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from drejebog import DataErrors, parse_runbook
from drejebog.render import render_site
from tests.support import schemagen

ROOT = Path(__file__).resolve().parents[2]
NAME = "data/tasks.yaml"
LINE = re.compile(rf"{re.escape(NAME)}:(\d+): \S.*: \S.*")

# Every field gets the wrong types; text fields also the texts, lists and mappings their own.
ANY: list[object] = [None, 0, 10**30, 1.5, True, [], {}, "x"]
TEXTS: list[object] = [
    "",
    "   ",
    "x" * 20_000,
    "a\nb",
    "a\rb",
    "a\x00b",
    "a\x1bb",
    "\x7f\u0085",
    "\u2028",
    "\u202e gnirts",
    "\ufeff",
    "\ud800",
    "\ue000",
    "\ufffe",
    "e\u0301" * 50,
    "👩‍⚕️ שלום ﬁ İ",
    "index",
    "drb-live",
    "a--b",
    "2026-02-30",
    "2026-01-01\n",
    "javascript:alert(1)",
    "https://127.0.0.1/",
    "//evil.example/",
    "mailto:a@b.dk?bcc=c@d.dk",
    "[x](javascript:alert(1))",
    "![x](https://evil.example/x.png)",
    "[" * 3000,
]


def mutations(value: object) -> list[object]:
    if isinstance(value, str):
        return ANY + TEXTS
    if isinstance(value, list):
        return [*ANY, value * 600, [None, 1], value[:1] * 2]
    if isinstance(value, dict):
        return [*ANY, {**value, "ukendt": 1}, {k: v for k, v in list(value.items())[1:]}]
    return ANY


def _base() -> dict:
    data, _ = schemagen.full_runbook()
    return data


def _paths() -> list[schemagen.FieldPath]:
    return [path for path, _ in schemagen.leaves(_base()) if path]


BASE = _base()


def check(raw: bytes) -> str:
    """'ok' or 'errors'; fails the test on anything else."""
    try:
        runbook = parse_runbook(raw, NAME)
    except DataErrors as exc:
        total = raw.count(b"\n") + 1
        assert exc.errors, "DataErrors without errors"
        for line in exc.lines():
            match = LINE.fullmatch(line)
            assert match, line
            assert 1 <= int(match.group(1)) <= total, line
            line.encode("utf-8")  # printable: no lone surrogates
        return "errors"
    render_site(runbook)
    return "ok"


def test_the_base_is_valid():
    assert check(schemagen.dump(_base())) == "ok"


@pytest.mark.parametrize("path", _paths(), ids=lambda p: ".".join(map(str, p)))
def test_every_mutation_of_a_field_loads_or_gives_clean_errors(path: schemagen.FieldPath):
    value = BASE
    for step in path:
        value = value[step]
    outcomes = {
        check(schemagen.dump(schemagen.set_at(BASE, path, new))) for new in mutations(value)
    }
    assert "errors" in outcomes  # every field refuses something


def test_a_long_dependency_chain_is_no_problem():
    data = _base()
    group = data["groups"][0]
    task = group["tasks"][0]
    chain = []
    for n in range(5000):
        chain.append(
            {"id": f"trin-{n}", "title": f"Trin {n}", "depends_on": [f"trin-{n - 1}"] if n else []}
        )
    group["tasks"] = [task, *chain[:900]]
    data["groups"][0] = group
    assert check(schemagen.dump(data)) == "ok"
    group["tasks"] = [task, *chain[:900]]
    group["tasks"][1]["depends_on"] = ["trin-899"]  # a ring of 900
    with pytest.raises(DataErrors) as caught:
        parse_runbook(schemagen.dump(data), NAME)
    assert any("går i ring" in e.message for e in caught.value.errors)


def test_the_command_line_prints_lines_not_tracebacks(tmp_path: Path):
    base = _base()
    for value in ("\ud800", "a\nb", None, "2026-01-01\n"):
        data = schemagen.set_at(
            base, ("meta", "updated") if value == "2026-01-01\n" else ("groups", 0, "title"), value
        )
        source = tmp_path / "tasks.yaml"
        source.write_bytes(schemagen.dump(data))
        result = subprocess.run(
            [sys.executable, "-m", "drejebog", "--data", str(source), "check"],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env={},
        )
        assert result.returncode == 1, (value, result.stdout)
        assert "Traceback" not in result.stderr
        lines = result.stderr.strip().splitlines()
        assert all(re.fullmatch(r"tasks\.yaml:\d+: \S.*: \S.*", line) for line in lines[1:]), (
            result.stderr
        )


@pytest.mark.parametrize(
    ("field", "yaml_text", "words"),
    [
        (
            "updated",
            ">\n    2026-01-01\n",
            "ikke gyldig",
        ),  # a folded block keeps a final line break
        ("title", "|\n    Titel\n", "ikke gyldig"),  # a literal block too
        ("title", '"a\\x01b"', "U+0001"),
        ("title", '"\\ud800"', "U+D800"),
        ("title", '"a\\rb"', "U+000D"),
    ],
)
def test_yaml_forms_that_once_gave_tracebacks(field: str, yaml_text: str, words: str):
    base = schemagen.dump(_base()).decode("utf-8")
    line = re.search(rf"^  {field}: .*$", base, flags=re.M)  # the first one: under meta
    assert line
    text = base[: line.start()] + f"  {field}: {yaml_text}" + base[line.end() :]
    with pytest.raises(DataErrors) as caught:
        parse_runbook(text.encode("utf-8"), NAME)
    assert any(words in e.message and e.path == f"meta.{field}" for e in caught.value.errors), (
        caught.value.report()
    )
