"""Read YAML into plain Python data while remembering the line of every field.

Only plain data is accepted: mappings with text keys, lists, text, numbers,
booleans and null. Everything that makes YAML dangerous or surprising is
refused with a line number instead of being executed or expanded:

* language tags (``!!python/object``) and custom tags;
* aliases (``*name``), so an alias bomb ("billion laughs") fails at its first
  alias instead of expanding;
* duplicate keys, which YAML would otherwise resolve silently by keeping the last;
* characters that have no place in a runbook and can hide or change what a
  text says: control characters (a tab or a line break inside a Markdown text
  is fine), lone surrogates, bidirectional overrides, the private-use area and
  non-characters.

Dates are kept as the text the maintainer wrote; the schema checks their form.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import DataError, Path, format_path, shown

MAX_BYTES = 2_000_000
MAX_DEPTH = 40

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
# One character class, searched once per text: linear, no backtracking.
_BAD_CHARACTERS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff"
    "\ud800-\udfff\ue000-\uf8ff\ufdd0-\ufdef\ufffe\uffff\U000f0000-\U0010ffff]"
)
_PLAIN_SCALARS = {
    _STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}

# PyYAML's English problem texts, in the words a maintainer can act on.
_PROBLEMS_DA = {
    "mapping values are not allowed here": (
        "et kolon står et sted, hvor det ikke må stå. Sæt teksten i anførselstegn, "
        'fx title: "Kl. 8: møde", eller ret indrykningen'
    ),
    "could not find expected ':'": "der mangler et ':' efter feltnavnet, eller indrykningen er forkert",
    "found character '\\t' that cannot start any token": (
        "tabulator er ikke tilladt i YAML; ryk ind med mellemrum"
    ),
    "found a tab character that violates indentation": (
        "tabulator er ikke tilladt i YAML; ryk ind med mellemrum"
    ),
    "found unexpected end of stream": "filen slutter midt i en tekst; mangler et afsluttende anførselstegn?",
    "found unknown escape character": "ukendt escape-tegn efter \\ i en tekst i anførselstegn",
    "expected <block end>, but found '-'": "indrykningen passer ikke: listepunktet står forkert",
    "expected <block end>, but found '<block mapping start>'": "indrykningen passer ikke med linjen over",
    "expected <block end>, but found '<scalar>'": "indrykningen passer ikke med linjen over",
    "expected ',' or ']', but got '<stream end>'": "en liste i [ ] mangler sit afsluttende ]",
    "expected ',' or '}', but got '<stream end>'": "en samling i { } mangler sit afsluttende }",
    "found undefined alias": "aliaser (*navn) er ikke tilladt; skriv værdien ud",
    "unacceptable character": (
        "filen indeholder et kontroltegn eller et andet tegn, der ikke må stå i en tekstfil; slet det"
    ),
}


class _Refused(Exception):
    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message


class _Loader(yaml.SafeLoader):
    """A SafeLoader whose composer refuses aliases and deep nesting as it reads."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:  # type: ignore[override]
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise _Refused(
                event.start_mark.line + 1,
                f"aliaser (*{event.anchor}) er ikke tilladt i datafilen; skriv værdien ud i stedet",
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                event = self.peek_event()
                raise _Refused(
                    event.start_mark.line + 1,
                    f"strukturen er indlejret mere end {MAX_DEPTH} niveauer; det er ikke en drejebog",
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


# libyaml (PyYAML's C parser), when PyYAML was built with it: composing a 13,000-line file
# takes 0.25 s there against 1.5 s in pure Python.
_CLoader = getattr(yaml, "CSafeLoader", None)


def _screen(text: str) -> None:
    """Refuse aliases and deep nesting from libyaml's events (a flat stream: no tree, no
    recursion), before its composer, which would share an alias's node and recurse as
    deep as the file nests, ever sees them. Raises ``_Refused`` at the same line, with the
    same words, as ``_Loader``'s checks."""
    depth = 0  # open collections around the next node
    for event in yaml.parse(text, Loader=_CLoader):
        if isinstance(event, AliasEvent):
            raise _Refused(
                event.start_mark.line + 1,
                f"aliaser (*{event.anchor}) er ikke tilladt i datafilen; skriv værdien ud i stedet",
            )
        if isinstance(event, (MappingEndEvent, SequenceEndEvent)):
            depth -= 1
            continue
        if hasattr(event, "tag") and depth + 1 > MAX_DEPTH:  # a node: scalar or collection
            raise _Refused(
                event.start_mark.line + 1,
                f"strukturen er indlejret mere end {MAX_DEPTH} niveauer; det er ikke en drejebog",
            )
        if isinstance(event, (MappingStartEvent, SequenceStartEvent)):
            depth += 1


class _NotPlain(Exception):
    """The file holds something ``_plain_load`` leaves to the general path."""


_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = SafeConstructor()
_COLLECTION_TAGS = (None, "!")


def _plain_load(text: str) -> tuple[Any, dict[Path, int]]:
    """The data and its lines in one pass over libyaml's events, for a file that is plain
    data throughout: the common case, and the fast one (no node tree, no second parse).

    Only what ``_convert`` would accept without a word is handled here: mappings with
    text keys, each once; lists; untagged scalars without a refused character; no anchor,
    no alias, one document, at most MAX_DEPTH levels. Anything else raises ``_NotPlain``
    (or libyaml's own error), and ``load`` reads the file again on the general path,
    which refuses or reports it with its line. Same resolver and constructors as that
    path, so the same scalars come out (tests/core/test_yaml_paths.py compares them).
    """
    lines: dict[Path, int] = {}
    # One frame per open collection: [the collection, its path, the key whose value comes next].
    stack: list[list[Any]] = []
    root: Any = None
    documents = 0
    for event in yaml.parse(text, Loader=_CLoader):
        kind = type(event)
        if kind is MappingEndEvent or kind is SequenceEndEvent:
            stack.pop()
            continue
        if (
            kind is not ScalarEvent
            and kind is not MappingStartEvent
            and kind is not SequenceStartEvent
        ):
            if kind is AliasEvent or (kind is DocumentStartEvent and documents):
                raise _NotPlain
            documents += kind is DocumentStartEvent
            continue
        if event.anchor is not None or len(stack) >= MAX_DEPTH:
            raise _NotPlain
        line = event.start_mark.line + 1
        if stack:
            frame = stack[-1]
            parent = frame[0]
            if type(parent) is dict:
                key = frame[2]
                if key is None:  # this event is a key
                    if kind is not ScalarEvent or event.tag is not None:
                        raise _NotPlain
                    key = event.value
                    if key in parent or _RESOLVER.resolve(ScalarNode, key, event.implicit) != _STR:
                        raise _NotPlain
                    frame[2] = key
                    lines[(*frame[1], key)] = line
                    continue
                frame[2] = None
            else:
                key = len(parent)
            path: Path = (*frame[1], key)
        else:
            parent, key, path = None, None, ()
        lines.setdefault(path, line)
        if kind is ScalarEvent:
            value = _plain_scalar(event)
        elif event.tag not in _COLLECTION_TAGS:
            raise _NotPlain
        else:
            value = {} if kind is MappingStartEvent else []
        if parent is None:
            root = value
        elif key.__class__ is int:
            parent.append(value)
        else:
            parent[key] = value
        if kind is not ScalarEvent:
            stack.append([value, path, None])
    return root, lines


def _plain_scalar(event: ScalarEvent) -> Any:
    if event.tag not in _COLLECTION_TAGS:
        raise _NotPlain
    value = event.value
    tag = _RESOLVER.resolve(ScalarNode, value, event.implicit)
    if tag == _TIMESTAMP:
        return value
    if tag not in _PLAIN_SCALARS or _BAD_CHARACTERS.search(value):
        raise _NotPlain
    if tag == _STR:
        return value
    node = ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
    try:
        return _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, node)
    except (yaml.YAMLError, ValueError, OverflowError):
        raise _NotPlain from None


def _compose(text: str) -> tuple[Node | None, yaml.BaseLoader]:
    """The document's node tree and the loader that made it (to construct scalars).

    With libyaml: screened, then composed in C. Without it, or for a file libyaml finds
    broken, PyYAML's pure-Python loader: its error messages are the ones _PROBLEMS_DA
    translates, and a broken file costs nothing worth saving."""
    if _CLoader is not None:
        try:
            _screen(text)
            loader = _CLoader(text)
            return loader.get_single_node(), loader
        except yaml.YAMLError:
            pass
    loader = _Loader(text)
    try:
        return loader.get_single_node(), loader
    finally:
        loader.dispose()


def _decode(raw: bytes) -> str | DataError:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return DataError(
            line,
            "(filen)",
            f"byte 0x{raw[exc.start]:02x} er ikke gyldig UTF-8. Gem filen som UTF-8 "
            "(i VS Code: klik på tegnsættet nederst til højre og vælg 'Save with Encoding' > UTF-8)",
        )
    if "\x00" in text:
        return DataError(
            text.count("\n", 0, text.index("\x00")) + 1,
            "(filen)",
            "filen indeholder et NUL-tegn; er det en tekstfil?",
        )
    return text


def _syntax_error(exc: yaml.YAMLError, text: str) -> DataError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else 1
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1
        code = (
            ord(exc.character)
            if isinstance(exc.character, str) and len(exc.character) == 1
            else None
        )
        which = f" (U+{code:04X})" if code is not None else ""
        return DataError(
            line, "(filen)", f"YAML-syntaksfejl: {_PROBLEMS_DA['unacceptable character']}{which}"
        )
    problem = (getattr(exc, "problem", None) or str(exc)).strip()
    for english, danish in _PROBLEMS_DA.items():
        if problem.startswith(english):
            return DataError(line, "(filen)", f"YAML-syntaksfejl: {danish}")
    return DataError(line, "(filen)", f"YAML-syntaksfejl: {problem}")


def load(raw: bytes) -> tuple[Any, dict[Path, int], list[DataError]]:
    """Parse ``raw`` into plain data, a map from field path to line, and errors.

    When the errors are fatal for the whole file (syntax, encoding, bombs) the
    data is ``None``. Otherwise the data is as complete as it could be made, so
    the schema and the cross-checks can report everything else in the same run.
    """
    if len(raw) > MAX_BYTES:
        return (
            None,
            {},
            [
                DataError(
                    1,
                    "(filen)",
                    f"filen er større end {MAX_BYTES // 1_000_000} MB; det er ikke en drejebog",
                )
            ],
        )
    text = _decode(raw)
    if isinstance(text, DataError):
        return None, {}, [text]
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        return (
            None,
            {},
            [
                DataError(
                    1,
                    "(filen)",
                    "filen er tom. Den skal mindst have version, meta, contacts og groups",
                )
            ],
        )

    if _CLoader is not None:
        try:
            data, lines = _plain_load(text)
            return data, lines, []
        except (_NotPlain, yaml.YAMLError):
            pass  # read again on the general path, which says what and where
    try:
        node, loader = _compose(text)
    except _Refused as exc:
        return None, {}, [DataError(exc.line, "(filen)", exc.message)]
    except yaml.YAMLError as exc:
        return None, {}, [_syntax_error(exc, text)]
    except RecursionError:
        return None, {}, [DataError(1, "(filen)", "strukturen er for dybt indlejret")]
    if node is None:
        return (
            None,
            {},
            [
                DataError(
                    1,
                    "(filen)",
                    "filen er tom. Den skal mindst have version, meta, contacts og groups",
                )
            ],
        )

    lines: dict[Path, int] = {}
    errors: list[DataError] = []
    data = _convert(node, (), lines, errors, loader)
    return data, lines, errors


def _convert(
    node: Node,
    path: Path,
    lines: dict[Path, int],
    errors: list[DataError],
    loader: yaml.BaseLoader,
) -> Any:
    lines.setdefault(path, node.start_mark.line + 1)
    line = node.start_mark.line + 1
    where = format_path(path)
    if isinstance(node, MappingNode):
        if node.tag != _MAP:
            errors.append(
                DataError(
                    line,
                    where,
                    f"YAML-mærket {node.tag!r} er ikke tilladt; fjern mærket (det med '!'), fx 'links:' i stedet for 'links: !mærke'",
                )
            )
            return None
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode) or key_node.tag != _STR:
                errors.append(
                    DataError(
                        key_line, where, "et feltnavn skal være en almindelig tekst som 'title'"
                    )
                )
                continue
            key = key_node.value
            if key in result:
                errors.append(
                    DataError(
                        key_line,
                        format_path(path + (key,)),
                        f"feltet '{key}' står to gange i samme opgave eller samling; slet det ene, så der fx kun står én '{key}:'",
                    )
                )
                continue
            lines[path + (key,)] = key_line
            result[key] = _convert(value_node, path + (key,), lines, errors, loader)
        return result
    if isinstance(node, SequenceNode):
        if node.tag != _SEQ:
            errors.append(
                DataError(
                    line,
                    where,
                    f"YAML-mærket {node.tag!r} er ikke tilladt; fjern mærket (det med '!'), fx 'help: [plo]' i stedet for 'help: !mærke [plo]'",
                )
            )
            return None
        return [
            _convert(item, path + (i,), lines, errors, loader) for i, item in enumerate(node.value)
        ]
    assert isinstance(node, ScalarNode)
    if node.tag == _TIMESTAMP:
        return node.value
    if node.tag not in _PLAIN_SCALARS:
        errors.append(
            DataError(
                line,
                where,
                f"YAML-mærket {node.tag!r} er ikke tilladt; skriv en almindelig værdi uden '!', fx title: Min tekst",
            )
        )
        return None
    bad = _BAD_CHARACTERS.search(node.value)
    if bad:
        errors.append(
            DataError(
                line,
                where,
                f"teksten indeholder tegnet U+{ord(bad.group()):04X}, som ikke må stå i "
                "drejebogen (et kontroltegn, et usynligt eller et ugyldigt tegn); slet det. "
                "Linjeskift skrives med en blok, fx details: |",
            )
        )
        return None
    try:
        return loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        errors.append(
            DataError(
                line, where, f"værdien '{shown(node.value)}' kan ikke læses: {shown(str(exc))}"
            )
        )
        return None
