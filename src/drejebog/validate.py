"""Validate runbook data: the JSON Schema first, then what a schema cannot say.

The schema (tasks.schema.json, shipped in this package) is the single description of the format;
editors use it for help and completion. Its Danish descriptions and examples
are reused here, so an error message says what is expected and shows a right
value. The cross-checks cover uniqueness, references, real dates and suggested deadlines
that contradict the rest of a task's timing.
"""

from __future__ import annotations

import difflib
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from . import budget, richtext, schemacheck
from .errors import DataError, Path, format_path, shown

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

# The JSON Schema of the data file, shipped in the package (package data);
# data/tasks.yaml's first line points editors at it.
SCHEMA_FILE = "tasks.schema.json"

# Ids the pages need for themselves: a group 'index' would be the page opgaver/index.md,
# and 'drb-' starts the names of the checklist's own elements and classes.
RESERVED_IDS = ("index",)
RESERVED_PREFIX = "drb-"

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
def load_schema() -> dict[str, Any]:
    """The JSON Schema of the data file (read once)."""
    return json.loads(resources.files(__package__).joinpath(SCHEMA_FILE).read_text("utf-8"))


def _pattern(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    from jsonschema.exceptions import ValidationError

    if isinstance(instance, str) and not schemacheck.ecma_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _format(
    validator: Any, kind: str, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    """The checks behind the schema's formats (schemacheck.format_problem), with Danish
    reasons; a ``markdown`` field gives each of its problems."""
    from jsonschema.exceptions import ValidationError

    problem = schemacheck.format_problem(kind, instance, schema)
    if problem and kind == "markdown":
        for each in richtext.problems(instance):
            yield ValidationError(each)
    elif problem:
        yield ValidationError(problem)


@cache
def _validator() -> Any:
    """jsonschema's validator, with the schema's own pattern and format checks. Imported
    only when the data does not conform (schemacheck): the import alone is a third of
    ``make check``'s time."""
    from jsonschema import Draft202012Validator, validators

    extended = validators.extend(Draft202012Validator, {"pattern": _pattern, "format": _format})
    return extended(load_schema())


@cache
def _conforms() -> schemacheck.Check | None:
    """The schema compiled for the fast yes (None: it uses a keyword schemacheck lacks)."""
    try:
        return schemacheck.compile_schema(load_schema())
    except schemacheck.UnsupportedSchema:
        return None


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
    return f"'{shown(str(value), 60)}'"


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
        missing = re.findall(r"'([^']+)' is a required property", error.message) or [
            str(error.validator_value)
        ]
        name = missing[0]
        sub = (schema.get("properties") or {}).get(name, {})
        yield DataError(
            line, where, f"mangler det påkrævede felt '{name}'.{_example(_resolve(sub))}"
        )
        return
    if kind == "type":
        expected = error.validator_value
        wanted = " eller ".join(
            _TYPE_DA.get(t, t) for t in ([expected] if isinstance(expected, str) else expected)
        )
        yield DataError(
            line,
            where,
            f"her står {_describe(value)}, men der skal stå {wanted}.{_example(schema)}",
        )
        return
    if kind == "format":
        yield DataError(line, where, error.message)
        return
    if kind == "pattern":
        explanation = schema.get("description", "værdien har ikke den rigtige form.")
        yield DataError(
            line, where, f"{_describe(value)} er ikke gyldig her. {explanation}{_example(schema)}"
        )
        return
    if kind == "enum":
        options = ", ".join(json.dumps(v, ensure_ascii=False) for v in error.validator_value)
        hint = (
            " Et forslag til frist markeres af sin kilde, when.due_source, ikke her."
            if value == "due_day" and path[-3:-2] == ("added",)
            else ""
        )
        yield DataError(
            line,
            where,
            f"{_describe(value)} er ikke tilladt. Brug en af: {options}.{hint} Eksempel: {json.dumps(error.validator_value[0], ensure_ascii=False)}",
        )
        return
    if kind == "const":
        yield DataError(
            line,
            where,
            f"skal være {json.dumps(error.validator_value)}, ikke {_describe(value)}. Eksempel: {json.dumps(error.validator_value)}",
        )
        return
    if kind == "minLength":
        yield DataError(line, where, f"må ikke være tom.{_example(schema)}")
        return
    if kind == "maxLength":
        yield DataError(
            line, where, f"er for lang: højst {error.validator_value} tegn.{_example(schema)}"
        )
        return
    if kind in {"minItems", "minProperties"}:
        yield DataError(line, where, f"må ikke være tom.{_example(schema)}")
        return
    if kind == "maxItems":
        yield DataError(
            line,
            where,
            f"listen er for lang: højst {error.validator_value} punkter, her står {len(value)}. "
            "Del den op, fx i flere grupper eller opgaver",
        )
        return
    if kind == "uniqueItems":
        yield DataError(
            line,
            where,
            f"den samme værdi står flere gange i listen; skriv hver kun én gang.{_example(schema)}",
        )
        return
    if kind in {"minimum", "maximum"}:
        limit = "mindst" if kind == "minimum" else "højst"
        yield DataError(
            line,
            where,
            f"{_describe(value)} er uden for det tilladte: {limit} {error.validator_value}.{_example(schema)}",
        )
        return
    yield DataError(
        line, where, f"{_describe(value)} passer ikke til skemaet ({kind}).{_example(schema)}"
    )


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if not ref:
        return schema
    name = ref.rsplit("/", 1)[-1]
    merged = dict(load_schema()["$defs"].get(name, {}))
    merged.update({k: v for k, v in schema.items() if k != "$ref"})
    return merged


def schema_errors(data: Any, lines: dict[Path, int]) -> list[DataError]:
    """Every schema error, in Danish. A format error is left out where the same field
    already has another error (a date that does not look like one is not parsed too)."""
    conforms = _conforms()
    if conforms is not None and conforms(data):
        return []
    errors = list(_validator().iter_errors(data))
    other = {tuple(e.absolute_path) for e in errors if e.validator != "format"}
    found: list[DataError] = []
    for error in errors:
        if error.validator == "format" and tuple(error.absolute_path) in other:
            continue
        found.extend(_schema_errors(error, lines))
    return found


def _items(data: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


@dataclass(frozen=True)
class _Context:
    """What every cross-check needs: the line numbers and the ids in the file."""

    lines: dict[Path, int]
    task_ids: frozenset[str]
    contact_ids: frozenset[str]
    every_id: frozenset[str]  # group and task ids

    @classmethod
    def of(cls, data: dict[str, Any], lines: dict[Path, int]) -> _Context:
        tasks = [task for _, group in _items(data, "groups") for _, task in _items(group, "tasks")]
        groups = [group for _, group in _items(data, "groups")]
        contacts = [contact for _, contact in _items(data, "contacts")]
        return cls(
            lines,
            task_ids=_ids(tasks),
            contact_ids=_ids(contacts),
            every_id=_ids(groups) | _ids(tasks),
        )

    def error(self, path: Path, message: str) -> DataError:
        return DataError(_line(self.lines, path), format_path(path), message)


def _ids(items: list[dict[str, Any]]) -> frozenset[str]:
    return frozenset(item["id"] for item in items if isinstance(item.get("id"), str))


def _tasks(data: dict[str, Any]) -> Iterator[tuple[Path, dict[str, Any]]]:
    """(path, task) for every task, in file order."""
    for gi, group in _items(data, "groups"):
        for ti, task in _items(group, "tasks"):
            yield ("groups", gi, "tasks", ti), task


def cross_check(data: Any, lines: dict[Path, int]) -> list[DataError]:
    """Checks the schema cannot express, in the order of ``_CHECKS``.
    Tolerates data that failed the schema."""
    if not isinstance(data, dict):
        return []
    context = _Context.of(data, lines)
    return [error for check in _CHECKS for error in check(data, context)]


def _id_errors(data: dict[str, Any], ctx: _Context) -> list[DataError]:
    """Group and task ids: not reserved, and each used once (groups and tasks share one space)."""
    errors: list[DataError] = []
    seen: dict[str, Path] = {}

    def claim(ident: Any, path: Path, what: str) -> None:
        if not isinstance(ident, str):
            return
        if ident in RESERVED_IDS or ident.startswith(RESERVED_PREFIX):
            errors.append(
                ctx.error(
                    path,
                    f"id '{ident}' er reserveret til sidens egne navne ('{', '.join(RESERVED_IDS)}' og alt, "
                    f"der begynder med '{RESERVED_PREFIX}'); giv denne {what} et andet id, fx '{what}-{ident}'",
                )
            )
        if ident in seen:
            first = seen[ident]
            fresh = next(
                f"{ident}-{n}" for n in itertools.count(2) if f"{ident}-{n}" not in ctx.every_id
            )
            errors.append(
                ctx.error(
                    path,
                    f"id '{ident}' er allerede brugt af {format_path(first[:-1])} (linje {_line(ctx.lines, first)}). "
                    f"Hver gruppe og opgave skal have sit eget id; giv denne {what} et nyt, fx '{fresh}'",
                )
            )
        else:
            seen[ident] = path

    for gi, group in _items(data, "groups"):
        claim(group.get("id"), ("groups", gi, "id"), "gruppe")
        for ti, task in _items(group, "tasks"):
            claim(task.get("id"), ("groups", gi, "tasks", ti, "id"), "opgave")
    return errors


def _contact_id_errors(data: dict[str, Any], ctx: _Context) -> list[DataError]:
    """Each contact id used once."""
    errors: list[DataError] = []
    seen: set[str] = set()
    for ci, contact in _items(data, "contacts"):
        ident = contact.get("id")
        if not isinstance(ident, str):
            continue
        if ident in seen:
            fresh = next(f"{ident}-{n}" for n in itertools.count(2) if f"{ident}-{n}" not in seen)
            errors.append(
                ctx.error(
                    ("contacts", ci, "id"),
                    f"kontakt-id '{ident}' er brugt to gange; hver kontakt skal have sit eget id, fx '{fresh}'",
                )
            )
        seen.add(ident)
    return errors


def _unknown_refs(
    refs: Any, path: Path, known: frozenset[str], noun: str, ctx: _Context
) -> list[DataError]:
    """Each id in ``refs`` must be one of ``known``; ``noun`` is 'kontakten' or 'opgaven'."""
    if not isinstance(refs, list):
        return []
    errors: list[DataError] = []
    for i, ref in enumerate(refs):
        if isinstance(ref, str) and ref not in known:
            guess = difflib.get_close_matches(ref, sorted(known), n=1)
            example = min(known, default="cvr-nummer")
            hint = (
                f" Mente du '{guess[0]}'?"
                if guess
                else f" Skriv et id, der findes i filen, fx '{example}'."
            )
            errors.append(ctx.error(path + (i,), f"{noun} '{ref}' findes ikke.{hint}"))
    return errors


def _reference_errors(data: dict[str, Any], ctx: _Context) -> list[DataError]:
    """The about page's contacts and the change log's tasks must exist."""
    errors: list[DataError] = []
    about = data.get("about")
    if isinstance(about, dict):
        errors += _unknown_refs(
            about.get("contacts"), ("about", "contacts"), ctx.contact_ids, "kontakten", ctx
        )
    for ci, change in _items(data, "changes"):
        errors += _unknown_refs(
            change.get("tasks"), ("changes", ci, "tasks"), ctx.task_ids, "opgaven", ctx
        )
    return errors


def _help_errors(task: dict[str, Any], base: Path, ctx: _Context) -> list[DataError]:
    """A task's ``help`` names existing contacts."""
    return _unknown_refs(task.get("help"), base + ("help",), ctx.contact_ids, "kontakten", ctx)


def _dependency_errors(task: dict[str, Any], base: Path, ctx: _Context) -> list[DataError]:
    """A task's ``depends_on`` names other, existing tasks."""
    deps = task.get("depends_on")
    if not isinstance(deps, list):
        return []
    errors = [
        ctx.error(
            base + ("depends_on", di),
            "en opgave kan ikke afhænge af sig selv; skriv id'et på en anden opgave, fx cvr-nummer",
        )
        for di, dep in enumerate(deps)
        if dep == task.get("id")
    ]
    return errors + _unknown_refs(deps, base + ("depends_on",), ctx.task_ids, "opgaven", ctx)


def _info_task_errors(task: dict[str, Any], base: Path, ctx: _Context) -> list[DataError]:
    """A ``kind: info`` task is handled by the region: it has no ``when``."""
    if task.get("kind") == "info" and task.get("when"):
        return [
            ctx.error(
                base + ("when",),
                "en opgave med kind: info klares af regionen og har ingen 'when' (heller ingen due_day, due_source eller repeat); slet 'when' (eller slet 'kind: info', fx når praksis selv skal gøre noget)",
            )
        ]
    return []


def _day(value: Any) -> int | None:
    """A day number from ``when`` (the schema reports any other value)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _timing_errors(task: dict[str, Any], base: Path, ctx: _Context) -> list[DataError]:
    """A suggested deadline (``when.due_day``) must fit the rest of ``when``: not before
    ``earliest_day``, before opening only with ``before``, after opening only with ``after``;
    and ``due_source`` explains a ``due_day``, so it needs one. Info tasks have no ``when``
    at all (``_info_task_errors``)."""
    when = task.get("when")
    if not isinstance(when, dict) or task.get("kind") == "info":
        return []
    errors: list[DataError] = []
    due, earliest = _day(when.get("due_day")), _day(when.get("earliest_day"))
    where = base + ("when", "due_day")
    if due is not None and earliest is not None and due < earliest:
        errors.append(
            ctx.error(
                where,
                f"due_day: {due} ligger før earliest_day: {earliest}; en opgave kan ikke have frist, "
                f"før den tidligst kan gøres. Ret due_day til {earliest} eller senere, fx due_day: {earliest}",
            )
        )
    if due is not None and due < 0 and not when.get("before"):
        errors.append(
            ctx.error(
                where,
                f"due_day: {due} er {-due} dage før opstart, men opgaven har ikke 'before' under when. "
                "Tilføj fx before: required (eller skriv et positivt tal, hvis fristen er efter opstart)",
            )
        )
    if due is not None and due > 0 and not when.get("after"):
        errors.append(
            ctx.error(
                where,
                f"due_day: {due} er {due} dage efter opstart, men opgaven har ikke 'after' under when. "
                "Tilføj fx after: required (eller skriv et negativt tal, fx due_day: -21, hvis fristen er før opstart)",
            )
        )
    if when.get("due_source") is not None and "due_day" not in when:
        errors.append(
            ctx.error(
                base + ("when", "due_source"),
                "due_source fortæller, hvor forslaget til fristen kommer fra, men der er ingen due_day. "
                "Tilføj fristen, fx due_day: -21, eller slet due_source",
            )
        )
    return errors


def _filled(value: Any) -> bool:
    return value not in (None, "", [], {})


# What each ``what`` of an ``added`` mark needs on its task, contact or group: the field
# it marks must be there (a mark left behind when the field was deleted is a mistake).
# The whole item ('task', 'contact', 'group') and the required fields are always there.
_MARKED: dict[str, dict[str, Any]] = {
    "task": {
        "details": lambda t: _filled(t.get("details")),
        "link": lambda t: _filled(t.get("links")),
        "when": lambda t: _filled(t.get("when")),
        "repeat": lambda t: isinstance(t.get("when"), dict) and _filled(t["when"].get("repeat")),
        "responsible": lambda t: _filled(t.get("responsible")),
        "help": lambda t: _filled(t.get("help")),
        "depends_on": lambda t: _filled(t.get("depends_on")),
        "applies_to": lambda t: _filled(t.get("applies_to")),
    },
    "contact": {
        "organisation": lambda c: _filled(c.get("organisation")),
        "role": lambda c: _filled(c.get("role")),
        "email": lambda c: _filled(c.get("email")) or _in_people(c, "email"),
        "phone": lambda c: _filled(c.get("phone")) or _in_people(c, "phone"),
        "url": lambda c: _filled(c.get("url")),
        "note": lambda c: _filled(c.get("note")),
        "people": lambda c: _filled(c.get("people")),
    },
    "group": {
        "intro": lambda g: _filled(g.get("intro")),
    },
}
_NOUNS = {"task": "opgaven", "contact": "kontakten", "group": "gruppen"}
_FIELDS = {"link": "links", "repeat": "when.repeat"}  # a mark's what -> the field it marks


def _in_people(contact: dict[str, Any], key: str) -> bool:
    people = contact.get("people")
    return isinstance(people, list) and any(
        isinstance(p, dict) and _filled(p.get(key)) for p in people
    )


def _mark_errors(item: dict[str, Any], base: Path, kind: str, ctx: _Context) -> list[DataError]:
    """Each ``added`` mark names a field the task, contact or group has."""
    errors: list[DataError] = []
    for mi, mark in _items(item, "added"):
        what = mark.get("what")
        needs = _MARKED[kind].get(what) if isinstance(what, str) else None
        if needs is not None and not needs(item):
            # Suggest a field the item has; else the whole item.
            there = next((w for w, has in _MARKED[kind].items() if has(item)), kind)
            errors.append(
                ctx.error(
                    base + ("added", mi, "what"),
                    f"markeringen siger, at redaktionen har tilføjet '{what}', men {_NOUNS[kind]} "
                    f"har ingen {_FIELDS.get(what, what)}. Slet markeringen, eller skriv det felt, den gælder, fx what: {there}",
                )
            )
    return errors


def _task_mark_errors(task: dict[str, Any], base: Path, ctx: _Context) -> list[DataError]:
    return _mark_errors(task, base, "task", ctx)


def _other_mark_errors(data: dict[str, Any], ctx: _Context) -> list[DataError]:
    """The ``added`` marks of contacts and groups (a task's are checked with the task)."""
    errors: list[DataError] = []
    for ci, contact in _items(data, "contacts"):
        errors += _mark_errors(contact, ("contacts", ci), "contact", ctx)
    for gi, group in _items(data, "groups"):
        errors += _mark_errors(group, ("groups", gi), "group", ctx)
    return errors


# The checks of one task, run task by task (so a task's errors stay together).
_TASK_CHECKS = (
    _help_errors,
    _dependency_errors,
    _info_task_errors,
    _timing_errors,
    _task_mark_errors,
)


def _task_errors(data: dict[str, Any], ctx: _Context) -> list[DataError]:
    """``_TASK_CHECKS`` on every task, in file order."""
    return [
        error
        for base, task in _tasks(data)
        for check in _TASK_CHECKS
        for error in check(task, base, ctx)
    ]


def _size_errors(data: dict[str, Any], ctx: _Context) -> list[DataError]:
    """A file whose pages would be too big to build in reasonable time (budget.py)."""
    tasks, size = budget.estimate(data)
    where: Path = ("groups",)
    if tasks > budget.MAX_TASKS:
        return [
            ctx.error(
                where,
                f"drejebogen har {tasks} opgaver; højst {budget.MAX_TASKS} kan bygges som sider. "
                "Del den op i flere drejebøger, fx én pr. emne",
            )
        ]
    if size > budget.MAX_PAGE_BYTES:
        return [
            ctx.error(
                where,
                f"siderne ville fylde omkring {size // 1_000_000} MB HTML (højst {budget.MAX_PAGE_BYTES // 1_000_000} MB). "
                "Det sker, når mange opgaver nævner kontakter med mange personer, eller når tekster er meget lange; "
                "forkort dem, fx ved at lade opgaverne henvise til færre kontakter",
            )
        ]
    return []


def _cycle_errors(data: dict[str, Any], ctx: _Context) -> list[DataError]:
    """Each dependency cycle once, found without recursion (a chain may be thousands long)."""
    graph: dict[str, list[str]] = {}
    where: dict[str, Path] = {}
    for gi, group in _items(data, "groups"):
        for ti, task in _items(group, "tasks"):
            ident, deps = task.get("id"), task.get("depends_on")
            if isinstance(ident, str) and isinstance(deps, list) and ident not in graph:
                graph[ident] = [d for d in deps if isinstance(d, str) and d != ident]
                where[ident] = ("groups", gi, "tasks", ti, "depends_on")
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    reported: list[DataError] = []
    for root in graph:
        if root in state:
            continue
        trail = [root]
        todo = [iter(graph[root])]
        state[root] = 1
        while todo:
            nxt = next(todo[-1], None)
            if nxt is None:
                state[trail.pop()] = 2
                todo.pop()
                continue
            if state.get(nxt) == 1:
                node = trail[-1]
                cycle = trail[trail.index(nxt) :] + [nxt]
                if len(cycle) > 9:
                    cycle = [*cycle[:4], f"… ({len(cycle) - 7} mere) …", *cycle[-3:]]
                path = where[node]
                reported.append(
                    ctx.error(
                        path,
                        f"afhængighederne går i ring: {' → '.join(cycle)}. Fjern en af dem, fx '{nxt}' under denne opgaves depends_on",
                    )
                )
            elif nxt not in state and nxt in graph:
                state[nxt] = 1
                trail.append(nxt)
                todo.append(iter(graph[nxt]))
    return reported


# Every cross-check, in the order their errors are reported.
_CHECKS = (
    _id_errors,
    _contact_id_errors,
    _reference_errors,
    _other_mark_errors,
    _task_errors,
    _cycle_errors,
    _size_errors,
)
