"""Does the data conform to the schema? A fast yes or no, before the slow full answer.

validate.py reports schema errors with jsonschema: every error, with the failing
keyword and schema path that its Danish messages are made from. That costs: the
library's import is a third of ``make check``'s start, and on 1,000 tasks its
validation took 0.3 s (13,792 ``$ref`` lookups and a validator object per node).

A data file almost always conforms, and then no message is needed. ``conforms``
answers that case: the schema is compiled once into plain Python checks for the
keywords it uses, and only when it says no does validate.py run jsonschema for the
errors. It must never say yes where jsonschema finds an error, so:

* it knows the keywords it implements (``_KEYWORDS``) and the annotations it may
  ignore (``_ANNOTATIONS``); a schema with any other keyword makes ``compile_schema``
  raise ``UnsupportedSchema``, and validate.py then uses jsonschema alone;
* each keyword follows draft 2020-12 as jsonschema implements it (``type``: 1.0 is an
  integer and True is no number; ``enum`` and ``const``: True is not 1);
* the formats (``format_problem``) and the patterns (``ecma_pattern``) are the very
  functions jsonschema is given in validate.py;
* tests/core/test_schemacheck.py compares the two answers on the real data and on
  mutations of every kind of field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from functools import cache
from typing import Any

from . import richtext, urlpolicy
from .errors import shown

Check = Callable[[Any], bool]

_KEYWORDS = frozenset(
    {
        "$ref",
        "type",
        "enum",
        "const",
        "properties",
        "additionalProperties",
        "required",
        "minProperties",
        "items",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minLength",
        "maxLength",
        "pattern",
        "format",
        "minimum",
        "maximum",
    }
)
_ANNOTATIONS = frozenset(
    {"$schema", "$id", "$defs", "$comment", "title", "description", "examples", "default"}
)


class UnsupportedSchema(ValueError):
    """The schema uses a keyword ``conforms`` does not implement."""


@cache
def ecma_pattern(pattern: str) -> re.Pattern[str]:
    """A schema pattern compiled with JSON Schema's (ECMA-262) meaning of ``$``.

    In ECMA-262, ``$`` matches only at the very end; Python's ``$`` also matches
    before a final newline, so "2026-01-01\\n" (a folded YAML block) or a title
    ending in a line break would pass ``^...$``. Outside character classes,
    unescaped ``$`` becomes ``\\Z``.
    """
    out: list[str] = []
    escaped = in_class = False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "$":
            out.append("\\Z")
            continue
        out.append(ch)
    return re.compile("".join(out))


def format_problem(kind: str, instance: Any, schema: Mapping[str, Any]) -> str | None:
    """What is wrong with a value of the schema's ``format`` (a Danish reason), or None.

    ``date`` is parsed, not matched; ``uri`` and ``email`` follow the URL policy
    (urlpolicy.py); ``markdown`` is rendered and its HTML checked (richtext.py): the
    first problem. Values longer than their ``maxLength`` are left to that error.
    """
    if not isinstance(instance, str) or len(instance) > schema.get("maxLength", len(instance)):
        return None
    if kind == "date":
        try:
            date.fromisoformat(instance)
        except ValueError:
            return f"'{shown(instance)}' er ikke en rigtig dato. Eksempel: 2026-11-25"
    elif kind == "uri":
        problem = urlpolicy.link_problem(instance)
        if problem:
            return f"adressen '{shown(instance)}' er ikke tilladt: {problem}. Eksempel: https://virk.dk/"
    elif kind == "email":
        problem = urlpolicy.link_problem(f"mailto:{instance}")
        if problem:
            return (
                f"e-mailadressen '{shown(instance)}' kan ikke bruges: {problem}. "
                "Eksempel: plo@dadl.dk"
            )
    elif kind == "markdown":
        problems = richtext.problems(instance)
        if problems:
            return problems[0]
    return None


def _is_type(value: Any, name: str) -> bool:
    if name == "string":
        return isinstance(value, str)
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "null":
        return value is None
    if isinstance(value, bool):
        return False
    if name == "integer":
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if name == "number":
        return isinstance(value, (int, float))
    raise UnsupportedSchema(f"type {name!r}")


# The types whose test is one isinstance (a bool is no number, and 1.0 is an integer: those
# stay with _is_type).
_PLAIN_TYPES: dict[str, Check] = {
    "string": lambda value: isinstance(value, str),
    "object": lambda value: isinstance(value, dict),
    "array": lambda value: isinstance(value, list),
    "boolean": lambda value: isinstance(value, bool),
}


def _equal(one: Any, two: Any) -> bool:
    """jsonschema's equality: True is not 1, and the same within lists and mappings."""
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return one == two
    if isinstance(one, Sequence) and isinstance(two, Sequence):
        return len(one) == len(two) and all(_equal(a, b) for a, b in zip(one, two, strict=True))
    if isinstance(one, Mapping) and isinstance(two, Mapping):
        return one.keys() == two.keys() and all(_equal(one[k], two[k]) for k in one)
    if isinstance(one, bool) or isinstance(two, bool):
        return isinstance(one, bool) and isinstance(two, bool) and one == two
    return one == two


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def compile_schema(root: Mapping[str, Any]) -> Check:
    """The schema as one function: data -> conforms. Raises UnsupportedSchema."""
    defs: Mapping[str, Any] = root.get("$defs", {})
    compiled: dict[str, Check] = {}
    building: set[str] = set()

    def ref(target: str) -> Check:
        prefix = "#/$defs/"
        name = target.removeprefix(prefix)
        if not target.startswith(prefix) or name not in defs or "/" in name:
            raise UnsupportedSchema(f"$ref {target!r}")
        if name in building:  # a definition that refers to itself: looked up when called
            return lambda value: compiled[name](value)
        if name not in compiled:
            building.add(name)
            compiled[name] = build(defs[name])
            building.discard(name)
        return compiled[name]

    def build(schema: Any) -> Check:
        if schema is True:
            return lambda value: True
        if schema is False:
            return lambda value: False
        if not isinstance(schema, Mapping):
            raise UnsupportedSchema(f"schema {schema!r}")
        unknown = set(schema) - _KEYWORDS - _ANNOTATIONS
        if unknown:
            raise UnsupportedSchema(", ".join(sorted(unknown)))
        checks: list[Check] = []
        if "$ref" in schema:
            checks.append(ref(schema["$ref"]))
        if "type" in schema:
            names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            for name in names:
                _is_type(None, name)  # an unknown name raises now, not on the data
            if len(names) == 1 and names[0] in _PLAIN_TYPES:
                checks.append(_PLAIN_TYPES[names[0]])
            else:
                checks.append(lambda value: any(_is_type(value, name) for name in names))
        if "enum" in schema:
            choices = list(schema["enum"])
            checks.append(lambda value: any(_equal(choice, value) for choice in choices))
        if "const" in schema:
            constant = schema["const"]
            checks.append(lambda value: _equal(value, constant))
        if any(k in schema for k in ("properties", "additionalProperties", "required")) or (
            "minProperties" in schema
        ):
            checks.append(_object(schema, build))
        if any(k in schema for k in ("items", "minItems", "maxItems", "uniqueItems")):
            checks.append(_array(schema, build))
        if any(k in schema for k in ("minLength", "maxLength", "pattern", "format")):
            checks.append(_string(schema))
        if "minimum" in schema or "maximum" in schema:
            low, high = schema.get("minimum"), schema.get("maximum")
            checks.append(
                lambda value: (
                    not _number(value)
                    or ((low is None or value >= low) and (high is None or value <= high))
                )
            )
        if len(checks) == 1:
            return checks[0]
        if len(checks) == 2:
            first, second = checks
            return lambda value: first(value) and second(value)
        return lambda value: all(check(value) for check in checks)

    return build(root)


def _object(schema: Mapping[str, Any], build: Callable[[Any], Check]) -> Check:
    properties = {name: build(sub) for name, sub in schema.get("properties", {}).items()}
    extra = schema.get("additionalProperties", True)
    other = None if extra is True else build(extra)
    required = list(schema.get("required", ()))
    fewest = schema.get("minProperties", 0)

    def check(value: Any) -> bool:
        if not isinstance(value, dict):
            return True
        if len(value) < fewest or any(name not in value for name in required):
            return False
        for name, item in value.items():
            sub = properties.get(name, other)
            if sub is not None and not sub(item):
                return False
        return True

    return check


def _array(schema: Mapping[str, Any], build: Callable[[Any], Check]) -> Check:
    items = build(schema["items"]) if "items" in schema else None
    fewest = schema.get("minItems", 0)
    most = schema.get("maxItems")
    unique = schema.get("uniqueItems", False)

    def check(value: Any) -> bool:
        if not isinstance(value, list):
            return True
        if len(value) < fewest or (most is not None and len(value) > most):
            return False
        if items is not None and not all(items(item) for item in value):
            return False
        return not unique or not any(
            _equal(a, b) for i, a in enumerate(value) for b in value[i + 1 :]
        )

    return check


def _string(schema: Mapping[str, Any]) -> Check:
    shortest = schema.get("minLength", 0)
    longest = schema.get("maxLength")
    pattern = ecma_pattern(schema["pattern"]) if "pattern" in schema else None
    kind = schema.get("format")

    def check(value: Any) -> bool:
        if not isinstance(value, str):
            return True
        if len(value) < shortest or (longest is not None and len(value) > longest):
            return False
        if pattern is not None and not pattern.search(value):
            return False
        return kind is None or format_problem(kind, value, schema) is None

    return check
