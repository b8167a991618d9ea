"""schemacheck's fast answer must be jsonschema's: a file it passes has no schema error.

validate.schema_errors trusts ``schemacheck.conforms`` and skips jsonschema when it says
yes, so a wrong yes would publish data the schema refuses. Each test compares the two
on the real data (trimmed, so that every kind of field is there and jsonschema stays
quick) and on mutations of every field: other types, lengths, patterns, formats, missing
and unknown keys, longer and shorter lists.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import pytest

from drejebog import schemacheck, validate, yamlsafe

ROOT = Path(__file__).resolve().parents[2]
DATA = yamlsafe.load((ROOT / "data" / "tasks.yaml").read_bytes())[0]

# Values that break some field's type, length, pattern or format, each somewhere.
REPLACEMENTS = [
    None,
    True,
    0,
    1,
    1.0,
    -30.5,
    "",
    "x",
    "a" * 2001,
    "https://virk.dk/",
    "javascript:alert(1)",
    "2026-02-30",
    "2026-01-01\n",
    "[link](javascript:alert(1))",
    "plo@dadl.dk",
    "required",
    "monthly",
    [],
    ["x"],
    {},
    {"x": 1},
]


def shapes(value: object) -> set[tuple]:
    """The paths in a value, with list positions left out: which kinds of field it has."""
    return {tuple(step for step in path if isinstance(step, str)) for path in paths(value)}


def covering(items: list) -> list:
    """The first items that together have every kind of field any of them has."""
    chosen, seen = [], set()
    for item in items:
        new = shapes(item) - seen
        if new:
            chosen.append(item)
            seen |= new
    return chosen


def trimmed(data: dict) -> dict:
    """The data cut down to the tasks and contacts that between them have every kind of
    field (jsonschema validates each mutation in a few milliseconds then)."""
    out = copy.deepcopy(data)
    keep = {id(t) for t in covering([t for g in out["groups"] for t in g["tasks"]])}
    groups = [{**g, "tasks": [t for t in g["tasks"] if id(t) in keep]} for g in out["groups"]]
    out["groups"] = [g for g in groups if g["tasks"]]
    used = {c for g in out["groups"] for t in g["tasks"] for c in t.get("help", [])}
    cover = covering(out["contacts"])
    out["contacts"] = cover + [c for c in out["contacts"] if c["id"] in used and c not in cover]
    return out


def paths(value: object, path: tuple = ()) -> Iterator[tuple]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, (*path, index))


def replaced(data: object, path: tuple, value: object) -> object:
    out = copy.deepcopy(data)
    if not path:
        return value
    parent = out
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return out


def mutations(data: dict) -> Iterator[object]:
    """Every field replaced (by a few values in turn), every mapping with a key left out
    and one added, every list emptied and grown."""
    for number, path in enumerate(paths(data)):
        node = data
        for step in path:
            node = node[step]
        for value in REPLACEMENTS[number % 9 :: 9]:
            yield replaced(data, path, value)
        if isinstance(node, dict):
            for key in node:
                yield replaced(data, path, {k: v for k, v in node.items() if k != key})
            yield replaced(data, path, {**node, "ukendt": "x"})
        elif isinstance(node, list):
            yield replaced(data, path, [])
            if node:
                yield replaced(data, path, [*node, copy.deepcopy(node[0])] * 2)


@pytest.fixture(scope="module")
def conforms():
    check = validate._conforms()
    assert check is not None, "the schema uses a keyword schemacheck does not implement"
    return check


def jsonschema_ok(data: object) -> bool:
    return not any(True for _ in validate._validator().iter_errors(data))


def test_the_real_data_conforms_on_both(conforms):
    assert conforms(DATA) and jsonschema_ok(DATA)


def test_every_mutation_gets_the_same_answer(conforms):
    base = trimmed(DATA)
    assert conforms(base) and jsonschema_ok(base)
    refused = 0
    for number, mutated in enumerate(mutations(base)):
        expected = jsonschema_ok(mutated)
        assert conforms(mutated) == expected, f"mutation {number}: {mutated!r:.300}"
        refused += not expected
    assert refused > 200  # the mutations reach the schema's checks, not only its types


@pytest.mark.parametrize(
    ("one", "two", "same"),
    [
        (True, 1, False),
        (False, 0, False),
        (1, 1.0, True),
        ([True], [1], False),
        ({"a": [1]}, {"a": [1.0]}, True),
        ("1", 1, False),
    ],
)
def test_equality_is_jsonschemas(one, two, same):
    from jsonschema._utils import equal

    assert schemacheck._equal(one, two) is same is equal(one, two)


def test_a_keyword_it_does_not_implement_is_refused_at_compile_time():
    with pytest.raises(schemacheck.UnsupportedSchema, match="patternProperties"):
        schemacheck.compile_schema({"type": "object", "patternProperties": {}})
    with pytest.raises(schemacheck.UnsupportedSchema, match="type"):
        schemacheck.compile_schema({"type": "decimal"})
