"""yamlsafe reads with libyaml (PyYAML's C parser) when it is there, and with PyYAML's pure
Python otherwise; both must give the same data, the same lines and the same refusals.

The C path first reads a plain file (the common case) in one pass over libyaml's events
(``_plain_load``); anything else goes to the general path: libyaml's event stream screened
for aliases and deep nesting before libyaml's composer builds the tree (which would share an
alias's node and recurse as deep as the file nests), and a file libyaml finds broken handed
to the pure-Python loader, whose messages yamlsafe translates into Danish. Each refusal runs
on both the C and the pure-Python path.
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


def general_path(raw: bytes, monkeypatch) -> tuple:
    """What the general path (libyaml's composer, then _convert) makes of ``raw``."""
    with monkeypatch.context() as m:
        m.setattr(yamlsafe, "_plain_load", _not_plain)
        return yamlsafe.load(raw)


def _not_plain(text):
    raise yamlsafe._NotPlain


# Every kind of scalar and collection a maintainer can write, read on the one-pass path.
PLAIN = """\
---
# a comment
text: plain text
quoted: "Kl. 8: møde"
single: 'it''s'
block: |
  line one
  line two
folded: >-
  one
  two
int: 42
hex: 0x1F
octal: 017
sep: 1_000
float: 2.5
exp: 1e3
inf: .inf
nan_text: NaN is text here
yes_value: yes
off_value: off
true_value: true
null_value: null
tilde: ~
empty:
date: 2026-01-01
datetime: 2026-01-01T10:00:00
not_a_date: 9999-99-99T99:99:99
not_hex: 0x
quoted_date: "2026-01-01"
list: [a, 1, {b: [c, ~]}]
block_list:
  - one
  - key: value
    other: [x]
  -
  - - nested
nested: {a: {b: {c: d}}}
"": empty key
unicode: "æøå 🙂 \u00e9"
...
"""

# Files the one-pass path leaves to the general path: it must then say the same.
NOT_PLAIN = [
    "a: &x 1\nb: 2\n",  # an anchor (without an alias)
    "a: !!str 1\n",  # an explicit tag, a harmless one
    "a: !custom x\n",
    "a: 1\na: 2\n",  # a duplicate key
    "yes: 1\n",  # a key that is not text
    "1: one\n",
    "? [a, b]\n: c\n",  # a complex key
    "a: 1\n---\nb: 2\n",  # two documents
    'a: "\\u202e evil"\n',  # a refused character
    "a: [1, 2\n",  # broken: libyaml's error, then the general path's message
]


def test_plain_data_reads_the_same_in_one_pass(monkeypatch):
    raw = PLAIN.encode()
    text = raw.decode()
    assert yamlsafe._plain_load(text)  # not handed to the general path
    assert yamlsafe.load(raw) == general_path(raw, monkeypatch)
    data, lines, errors = yamlsafe.load(raw)
    assert errors == [] and data["date"] == "2026-01-01" and data["yes_value"] is True
    assert lines[("block_list", 1, "other")] == 35 and lines[("list", 2, "b", 1)] == 31


@pytest.mark.parametrize("text", NOT_PLAIN)
def test_what_one_pass_leaves_alone_reads_as_on_the_general_path(text, monkeypatch):
    with pytest.raises((yamlsafe._NotPlain, yaml.YAMLError)):
        yamlsafe._plain_load(text)
    assert yamlsafe.load(text.encode()) == general_path(text.encode(), monkeypatch)


def test_the_real_data_file_is_read_in_one_pass(monkeypatch):
    """Not a silent fall back to the general path for every file."""
    raw = (ROOT / "data" / "tasks.yaml").read_bytes()
    with monkeypatch.context() as m:
        m.setattr(yamlsafe, "_compose", None)  # would fail if it were called
        one_pass = yamlsafe.load(raw)
    assert one_pass == general_path(raw, monkeypatch)
    assert one_pass[2] == [] and yaml.__with_libyaml__
