"""yamlsafe reads with libyaml (PyYAML's C parser) when it is there, and with PyYAML's pure
Python otherwise; both must give the same data, the same lines and the same refusals.

The C path screens libyaml's event stream for aliases and deep nesting before libyaml's
composer builds the tree (which would share an alias's node and recurse as deep as the file
nests), and hands a file libyaml finds broken to the pure-Python loader, whose messages
yamlsafe translates into Danish. Each case runs on both paths.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from drejebog import yamlsafe

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["libyaml", "python"])
def path(request, monkeypatch):
    if request.param == "python":
        monkeypatch.setattr(yamlsafe, "_CLoader", None)
    else:
        assert yamlsafe._CLoader is not None, "PyYAML was installed without libyaml"
    return request.param


def only_error(text: str) -> tuple[int, str]:
    data, _, errors = yamlsafe.load(text.encode())
    assert data is None and len(errors) == 1, errors
    return errors[0].line, errors[0].message


def test_the_real_data_file_reads_the_same_on_both_paths(monkeypatch):
    raw = (ROOT / "data" / "tasks.yaml").read_bytes()
    fast = yamlsafe.load(raw)
    monkeypatch.setattr(yamlsafe, "_CLoader", None)
    assert yamlsafe.load(raw) == fast
    assert fast[2] == [] and len(fast[1]) > 100


def test_an_alias_is_refused_at_its_own_line(path):
    line, message = only_error("a: &x [1, 2]\nb: 2\nc: *x\n")
    assert line == 3 and "aliaser (*x) er ikke tilladt" in message


@pytest.mark.parametrize("shape", ["flow", "block"])
def test_nesting_deeper_than_the_limit_is_refused(path, shape):
    depth = yamlsafe.MAX_DEPTH
    if shape == "flow":
        ok, deep = (f"k: {'[' * n}1{']' * n}\n" for n in (depth - 2, depth))
    else:
        ok, deep = (
            "".join(f"{'  ' * i}k{i}:\n" for i in range(n)) + "  " * n + "x\n"
            for n in (depth - 2, depth)
        )
    assert yamlsafe.load(ok.encode())[2] == []
    line, message = only_error(deep)
    assert f"indlejret mere end {depth} niveauer" in message
    assert line == (1 if shape == "flow" else depth)


def test_a_very_deep_file_is_refused_without_recursion(path):
    line, message = only_error("k: " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert line == 1 and "indlejret" in message


def test_syntax_errors_read_the_same(path):
    line, message = only_error("title: Kl. 8: møde\n")
    assert line == 1 and "et kolon står et sted" in message
    line, message = only_error("a: 1\n\tb: 2\n")
    assert line == 2 and "tabulator" in message


def test_tags_and_duplicate_keys_are_reported_with_their_lines(path):
    _, lines, errors = yamlsafe.load(b"a: !!python/name:os.system x\nb: 1\nb: 2\n")
    assert [(e.line, e.message[:12]) for e in errors] == [(1, "YAML-mærket "), (3, "feltet 'b' s")]
    assert lines[("b",)] == 2


def test_the_c_path_is_the_one_used_when_libyaml_is_there(monkeypatch):
    """Not a silent fall back to pure Python for every file."""
    calls = []
    original = yamlsafe._screen
    monkeypatch.setattr(yamlsafe, "_screen", lambda text: calls.append(1) or original(text))
    yamlsafe.load(b"a: 1\n")
    assert calls == [1] and yaml.__with_libyaml__
