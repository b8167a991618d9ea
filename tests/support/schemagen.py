"""Data files generated from the JSON Schema (src/drejebog/tasks.schema.json), for tests.

``full_runbook()`` builds the smallest valid runbook that still has *every*
field of the schema filled in (every optional property, every list with two
items where a list of tasks needs them), so a field added to the schema is in
the tests without anyone touching them. ``text_fields()`` lists the fields
that take free text (no pattern, format other than Markdown, enum or const):
the ones hostile markup can reach.

Cross-references are made valid after generation: ``help`` and
``about.contacts`` point at a contact, ``depends_on`` and ``changes[].tasks``
at an earlier task.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from drejebog.validate import load_schema

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = load_schema()

FieldPath = tuple[str | int, ...]


def resolve(node: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """The schema node with its ``$ref`` merged in, and the name of the definition."""
    ref = node.get("$ref")
    if not ref:
        return node, None
    name = ref.rsplit("/", 1)[-1]
    merged = dict(SCHEMA["$defs"][name])
    merged.update({k: v for k, v in node.items() if k != "$ref"})
    return merged, name


class _Generator:
    def __init__(self) -> None:
        self.counter = 0
        self.kinds: dict[FieldPath, str | None] = {}  # path -> $defs name it was made from

    def make(self, node: dict[str, Any], path: FieldPath) -> Any:
        node, name = resolve(node)
        self.kinds[path] = name
        if "const" in node:
            return node["const"]
        if "enum" in node:
            return node["enum"][0]
        kind = node.get("type")
        if kind == "object":
            return {
                key: self.make(sub, path + (key,))
                for key, sub in node.get("properties", {}).items()
            }
        if kind == "array":
            count = max(node.get("minItems", 1), 2 if path and path[-1] == "tasks" else 1)
            items = [self.make(node["items"], path + (i,)) for i in range(count)]
            return items
        if kind == "string":
            if name == "id":
                self.counter += 1
                return f"id-{self.counter}"
            if node.get("pattern") or node.get("format") or node.get("examples"):
                return node["examples"][0]
            return "Tekst"
        if kind == "integer":
            return node.get("examples", [node.get("minimum", 0)])[0]
        if kind == "boolean":
            return True
        raise AssertionError(f"schema node the generator does not know: {node} at {path}")


def full_runbook() -> tuple[dict[str, Any], dict[FieldPath, str | None]]:
    """A valid runbook with every field of the schema, and the $defs name behind each path."""
    generator = _Generator()
    data = generator.make(SCHEMA, ())
    contact = data["contacts"][0]["id"]
    tasks = [t for g in data["groups"] for t in g["tasks"]]
    for index, task in enumerate(tasks):
        task["help"] = [contact]
        task["depends_on"] = [tasks[index - 1]["id"]] if index else []
        task.pop("kind", None)  # kind: info may not have 'when'; the default is 'task'
    data["about"]["contacts"] = [contact]
    for change in data.get("changes", []):
        change["tasks"] = [tasks[0]["id"]]
    return data, generator.kinds


def schema_at(path: FieldPath) -> dict[str, Any]:
    """The (resolved) schema node that describes the value at ``path``."""
    node, _ = resolve(SCHEMA)
    for step in path:
        if isinstance(step, int):
            node, _ = resolve(node["items"])
        else:
            node, _ = resolve(node["properties"][step])
    return node


def leaves(data: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, Any]]:
    """Every (path, value) in ``data``, containers included, parents before children."""
    yield path, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from leaves(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from leaves(value, path + (index,))


# Free text: a field whose schema accepts this (its pattern, if any, only asks for one line).
PROBE = '<svg onload="x"> & [y](z) {: #w }'


def text_fields(data: Any) -> list[tuple[FieldPath, dict[str, Any]]]:
    """The string fields that take free text, with their schema: where markup can go."""
    found = []
    for path, value in leaves(data):
        if not isinstance(value, str) or not path:
            continue
        node = schema_at(path)
        if node.get("enum") or "const" in node or node.get("format") not in (None, "markdown"):
            continue
        if node.get("pattern") and not re.search(node["pattern"], PROBE):
            continue
        found.append((path, node))
    return found


def set_at(data: Any, path: FieldPath, value: Any) -> Any:
    """A deep copy of ``data`` with the value at ``path`` replaced."""
    data = copy.deepcopy(data)
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return data


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:
        return True  # repeated items are written out; the data may not use aliases


class _FastDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    def ignore_aliases(self, data: object) -> bool:
        return True


def dump(data: object) -> bytes:
    """``data`` as a YAML data file. libyaml's emitter when it can (large files); the
    pure-Python one for texts libyaml cannot encode (the lone surrogates the mutation
    tests write on purpose)."""
    try:
        text = yaml.dump(data, Dumper=_FastDumper, allow_unicode=True, sort_keys=False, width=10**9)
    except UnicodeEncodeError:
        text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**9)
    return text.encode("utf-8", "surrogatepass")
