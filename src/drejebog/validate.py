"""Validate runbook data: the JSON Schema first, then what a schema cannot say.

The schema (data/tasks.schema.json) is the single description of the format;
editors use it for help and completion. Its Danish descriptions and examples
are reused here, so an error message says what is expected and shows a right
value. The cross-checks cover uniqueness, references and real dates.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from datetime import date
from functools import cache
from pathlib import Path as FsPath
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from .errors import DataError, Path, format_path

SCHEMA_PATH = FsPath(__file__).resolve().parents[2] / "data" / "tasks.schema.json"

ALLOWED_SCHEMES = ("https:", "http:", "mailto:", "tel:")

_TYPE_DA = {
    "object": "en samling af felter (feltnavn: værdi på hver linje)",
    "array": "en liste (linjer, der begynder med '- ')",
    "string": "en tekst",
    "integer": "et helt tal",
    "boolean": "true eller false",
    "number": "et tal",
    "null": "ingenting",
}


@cache
def load_schema(path: FsPath = SCHEMA_PATH) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "en samling af felter"
    if isinstance(value, list):
        return "en liste"
    if value is None:
        return "en tom værdi"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, int | float):
        return f"tallet {value}"
    text = str(value)
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"


def _example(schema: dict[str, Any]) -> str:
    examples = schema.get("examples")
    if not examples:
        return ""
    example = examples[0]
    if isinstance(example, str):
        shown = example.replace("\n", "\\n")
        return f" Eksempel: {shown}"
    return f" Eksempel: {json.dumps(example, ensure_ascii=False)}"


def _line(lines: dict[Path, int], path: Path) -> int:
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path, 1)


def _site_schema(error: ValidationError) -> dict[str, Any]:
    """The failing definition, with the examples of the property that uses it.

    ``error.schema`` is the shared definition a ``$ref`` points at (``text``,
    ``id``, ...); the property that refers to it often has better examples.
    """
    site: Any = load_schema()
    for step in list(error.absolute_schema_path)[:-1]:
        try:
            site = site[step]
        except (KeyError, IndexError, TypeError):
            site = {}
            break
    schema = dict(error.schema) if isinstance(error.schema, dict) else {}
    if isinstance(site, dict) and "$ref" in site and "examples" in site:
        schema["examples"] = site["examples"]
    return schema


def _schema_errors(error: ValidationError, lines: dict[Path, int]) -> Iterator[DataError]:
    path: Path = tuple(error.absolute_path)
    where = format_path(path)
    schema = _site_schema(error)
    kind = error.validator
    value = error.instance
    line = _line(lines, path)

    if kind == "additionalProperties":
        allowed = sorted((schema.get("properties") or {}).keys())
        for key in sorted(set(value) - set(allowed)):
            guess = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = f" Mente du '{guess[0]}'?" if guess else ""
            yield DataError(
                _line(lines, path + (key,)),
                format_path(path + (key,)),
                f"ukendt felt '{key}'.{hint} Tilladte felter her: {', '.join(allowed)}",
            )
        return
    if kind == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message) or [str(error.validator_value)]
        name = missing[0]
        sub = (schema.get("properties") or {}).get(name, {})
        yield DataError(line, where, f"mangler det påkrævede felt '{name}'.{_example(_resolve(sub))}")
        return
    if kind == "type":
        expected = error.validator_value
        wanted = " eller ".join(_TYPE_DA.get(t, t) for t in ([expected] if isinstance(expected, str) else expected))
        yield DataError(line, where, f"her står {_describe(value)}, men der skal stå {wanted}.{_example(schema)}")
        return
    if kind in {"pattern", "format"}:
        explanation = schema.get("description", "værdien har ikke den rigtige form.")
        yield DataError(line, where, f"{_describe(value)} er ikke gyldig her. {explanation}{_example(schema)}")
        return
    if kind == "enum":
        options = ", ".join(json.dumps(v, ensure_ascii=False) for v in error.validator_value)
        yield DataError(line, where, f"{_describe(value)} er ikke tilladt. Brug en af: {options}. Eksempel: {json.dumps(error.validator_value[0], ensure_ascii=False)}")
        return
    if kind == "const":
        yield DataError(line, where, f"skal være {json.dumps(error.validator_value)}, ikke {_describe(value)}. Eksempel: {json.dumps(error.validator_value)}")
        return
    if kind == "minLength":
        yield DataError(line, where, f"må ikke være tom.{_example(schema)}")
        return
    if kind == "maxLength":
        yield DataError(line, where, f"er for lang: højst {error.validator_value} tegn.{_example(schema)}")
        return
    if kind in {"minItems", "minProperties"}:
        yield DataError(line, where, f"må ikke være tom.{_example(schema)}")
        return
    if kind == "uniqueItems":
        yield DataError(line, where, f"den samme værdi står flere gange i listen; skriv hver kun én gang.{_example(schema)}")
        return
    if kind in {"minimum", "maximum"}:
        limit = "mindst" if kind == "minimum" else "højst"
        yield DataError(line, where, f"{_describe(value)} er uden for det tilladte: {limit} {error.validator_value}.{_example(schema)}")
        return
    yield DataError(line, where, error.message)


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if not ref:
        return schema
    name = ref.rsplit("/", 1)[-1]
    merged = dict(load_schema()["$defs"].get(name, {}))
    merged.update({k: v for k, v in schema.items() if k != "$ref"})
    return merged


def schema_errors(data: Any, lines: dict[Path, int]) -> list[DataError]:
    validator = Draft202012Validator(load_schema())
    found: list[DataError] = []
    for error in validator.iter_errors(data):
        found.extend(_schema_errors(error, lines))
    return found


_MD_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)")
_MD_REF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(\s|$)", re.MULTILINE)


def _markdown_urls(text: str) -> Iterator[str]:
    yield from _MD_LINK.findall(text)
    yield from (m[0] for m in _MD_REF.findall(text))


def _items(data: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def cross_check(data: Any, lines: dict[Path, int]) -> list[DataError]:
    """Checks the schema cannot express. Tolerates data that failed the schema."""
    if not isinstance(data, dict):
        return []
    errors: list[DataError] = []

    def err(path: Path, message: str) -> None:
        errors.append(DataError(_line(lines, path), format_path(path), message))

    seen: dict[str, Path] = {}

    def claim(ident: Any, path: Path, what: str) -> None:
        if not isinstance(ident, str):
            return
        if ident in seen:
            first = seen[ident]
            fresh = next(f"{ident}-{n}" for n in range(2, 1000) if f"{ident}-{n}" not in seen)
            err(path, f"id '{ident}' er allerede brugt af {format_path(first[:-1])} (linje {_line(lines, first)}). "
                      f"Hver gruppe og opgave skal have sit eget id; giv denne {what} et nyt, fx '{fresh}'")
        else:
            seen[ident] = path

    task_ids: set[str] = set()
    for gi, group in _items(data, "groups"):
        claim(group.get("id"), ("groups", gi, "id"), "gruppe")
        for ti, task in _items(group, "tasks"):
            claim(task.get("id"), ("groups", gi, "tasks", ti, "id"), "opgave")
            if isinstance(task.get("id"), str):
                task_ids.add(task["id"])

    contact_ids: set[str] = set()
    for ci, contact in _items(data, "contacts"):
        ident = contact.get("id")
        if isinstance(ident, str):
            if ident in contact_ids:
                err(("contacts", ci, "id"), f"kontakt-id '{ident}' er brugt to gange; hver kontakt skal have sit eget id, fx '{ident}-2'")
            contact_ids.add(ident)

    def check_contact_refs(refs: Any, path: Path) -> None:
        if not isinstance(refs, list):
            return
        for i, ref in enumerate(refs):
            if isinstance(ref, str) and ref not in contact_ids:
                guess = difflib.get_close_matches(ref, sorted(contact_ids), n=1)
                hint = f" Mente du '{guess[0]}'?" if guess else " Tilføj kontakten under 'contacts' eller ret id'et."
                err(path + (i,), f"kontakten '{ref}' findes ikke.{hint}")

    about = data.get("about")
    if isinstance(about, dict):
        check_contact_refs(about.get("contacts"), ("about", "contacts"))

    for gi, group in _items(data, "groups"):
        for ti, task in _items(group, "tasks"):
            base: Path = ("groups", gi, "tasks", ti)
            check_contact_refs(task.get("help"), base + ("help",))
            deps = task.get("depends_on")
            if isinstance(deps, list):
                for di, dep in enumerate(deps):
                    if not isinstance(dep, str):
                        continue
                    if dep == task.get("id"):
                        err(base + ("depends_on", di), "en opgave kan ikke afhænge af sig selv; skriv id'et på en anden opgave, fx cvr-nummer")
                    elif dep not in task_ids:
                        guess = difflib.get_close_matches(dep, sorted(task_ids), n=1)
                        hint = f" Mente du '{guess[0]}'?" if guess else " Skriv id'et på en opgave i filen, fx cvr-nummer."
                        err(base + ("depends_on", di), f"opgaven '{dep}' findes ikke.{hint}")
            details = task.get("details")
            if isinstance(details, str):
                for url in _markdown_urls(details):
                    if ":" in url.split("/", 1)[0] and not url.lower().startswith(ALLOWED_SCHEMES):
                        err(base + ("details",), f"linket '{url}' i teksten er ikke tilladt. Brug https://, mailto: eller tel:, fx [Virk](https://virk.dk/)")
            if task.get("kind") == "info" and task.get("when"):
                err(base + ("when",), "en opgave med kind: info klares af regionen og har ingen 'when'; slet 'when' (eller slet 'kind: info', fx når praksis selv skal gøre noget)")

    errors.extend(_cycle_errors(data, lines))
    errors.extend(_date_errors(data, lines))
    return errors


def _cycle_errors(data: dict[str, Any], lines: dict[Path, int]) -> list[DataError]:
    graph: dict[str, list[str]] = {}
    where: dict[str, Path] = {}
    for gi, group in _items(data, "groups"):
        for ti, task in _items(group, "tasks"):
            if isinstance(task.get("id"), str) and isinstance(task.get("depends_on"), list):
                graph[task["id"]] = [d for d in task["depends_on"] if isinstance(d, str)]
                where[task["id"]] = ("groups", gi, "tasks", ti, "depends_on")
    state: dict[str, int] = {}
    reported: list[DataError] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                cycle = trail[trail.index(nxt):] + [nxt] if nxt in trail else [node, nxt]
                path = where[node]
                reported.append(DataError(_line(lines, path), format_path(path),
                                          f"afhængighederne går i ring: {' → '.join(cycle)}. Fjern en af dem, fx '{nxt}' under denne opgaves depends_on"))
            elif state.get(nxt) is None and nxt in graph:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node, [node])
    return reported


def _date_errors(data: dict[str, Any], lines: dict[Path, int]) -> list[DataError]:
    candidates: list[tuple[Path, Any]] = []
    meta = data.get("meta")
    if isinstance(meta, dict):
        candidates.append((("meta", "updated"), meta.get("updated")))
    for gi, group in _items(data, "groups"):
        for ti, task in _items(group, "tasks"):
            candidates.append((("groups", gi, "tasks", ti, "checked"), task.get("checked")))
    for ci, change in _items(data, "changes"):
        candidates.append((("changes", ci, "date"), change.get("date")))
    found = []
    for path, value in candidates:
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            try:
                date.fromisoformat(value)
            except ValueError:
                found.append(DataError(_line(lines, path), format_path(path), f"'{value}' er ikke en rigtig dato. Eksempel: 2026-11-25"))
    return found
