"""Check rendered HTML against allow-lists of elements, attributes and addresses.

Two uses, one rule set:

* each Markdown field of the data, right after it is rendered (richtext.py):
  only what Markdown itself makes is allowed, and every ``href`` and ``src``
  follows the URL policy (urlpolicy.py);
* every generated page after MkDocs has turned it into HTML (the hook's
  ``on_page_content``): only what our templates and Markdown make. This is the
  safety net under the templates' escaping: if a template ever let data through
  as markup, the build stops with the page and the task instead of publishing it.
"""

from __future__ import annotations

import re
from html import unescape

from .errors import shown
from .urlpolicy import image_problem, link_problem

# What Python-Markdown (core + tables) makes from plain Markdown, and nothing else.
FIELD_TAGS: dict[str, frozenset[str]] = {
    **{
        tag: frozenset()
        for tag in (
            "p",
            "br",
            "hr",
            "em",
            "strong",
            "code",
            "pre",
            "blockquote",
            "ul",
            "li",
            "h3",
            "h4",
            "h5",
            "h6",
            "table",
            "thead",
            "tbody",
            "tr",
        )
    },
    "a": frozenset({"href", "title"}),
    "img": frozenset({"src", "alt", "title"}),
    "ol": frozenset({"start"}),
    "th": frozenset({"style"}),
    "td": frozenset({"style"}),
}

# Everything on a generated page: the templates' elements (with their classes, ids,
# data- and aria- attributes) and the fields' HTML. No script, style or frame, and no form
# that sends anything (the overview's filters are a <form> without action or method); the
# checklist's form controls are the templates' own.
_COMMON = frozenset({"class", "id", "hidden", "title", "role"})
PAGE_TAGS: dict[str, frozenset[str]] = {
    **{tag: FIELD_TAGS[tag] | _COMMON for tag in FIELD_TAGS},
    **{
        tag: _COMMON
        for tag in (
            "h1",
            "h2",
            "section",
            "div",
            "span",
            "dl",
            "dt",
            "dd",
            "small",
            "abbr",
        )
    },
    "button": _COMMON | {"type"},
    # The overview's table (overview.md.j2) and its filters.
    "th": FIELD_TAGS["th"] | _COMMON | {"scope", "colspan"},
    "caption": _COMMON,
    "form": _COMMON,
    # The checklist's fixed markup (templates/_macros.j2, index.md.j2): hidden or inert
    # (<template>) until the script uses it.
    **{tag: _COMMON for tag in ("template", "dialog", "progress", "fieldset", "legend")},
    "label": _COMMON | {"for"},
    "input": _COMMON
    | {"type", "autocomplete", "accept", "readonly", "name", "value", "maxlength", "spellcheck"},
    "select": _COMMON | {"autocomplete"},
    "option": _COMMON | {"value"},
    "textarea": _COMMON | {"rows", "autocomplete"},
}
_FREE_PREFIXES = ("data-", "aria-")
_ALIGN = re.compile(r"text-align: (?:left|right|center);")


# A start tag as a browser reads it (HTML's tokenizer): "<" and an ASCII letter open it, the
# name runs to white space, "/" or ">", a quoted value may hold ">" and the tag ends at the
# first ">" outside quotes. The second alternative is a tag that opens and does not end that
# way (say, a quote left open): a browser would read it as a tag that takes in what follows,
# so it is refused. Everything a browser reads as a start tag is matched here; some things
# it does not read as one (inside a comment or a <textarea>) are checked too: stricter,
# never laxer. Each "<" in the data is escaped, so it never opens a tag. The quantifiers are
# possessive (Python 3.11): a tag that does not end fails in one pass, never by backtracking.
# A tag's name, and its attributes up to the ">" that ends it (a quoted value may hold ">").
TAG_NAME = r"[a-zA-Z][^\t\n\f\r />]*+"
TAG_ATTRIBUTES = r"""(?:[^>"']++|"[^"]*+"|'[^']*+')*+"""
_START_TAG = re.compile(f"<({TAG_NAME})({TAG_ATTRIBUTES})>|<[a-zA-Z]")
# The same start tags as whole strings (no groups: findall makes the list in C), and a
# section's start tag.
_WHOLE_TAG = re.compile(f"<{TAG_NAME}{TAG_ATTRIBUTES}>|<[a-zA-Z]")
_SECTION = re.compile(r"<section[\t\n\f\r />]", re.IGNORECASE)
_ATTRIBUTE = re.compile(
    r"""([^\t\n\f\r />=][^\t\n\f\r />=]*)"""
    r"""(?:[\t\n\f\r ]*=[\t\n\f\r ]*("[^"]*"|'[^']*'|[^\t\n\f\r >]*))?"""
)


class _Checker:
    """The allow-lists applied to each start tag of some HTML, in order (``feed``)."""

    def __init__(self, tags: dict[str, frozenset[str]]) -> None:
        self.tags = tags
        self.free_attributes = tags is PAGE_TAGS
        self.problems: list[tuple[str | None, str]] = []
        self.task: str | None = None
        # Each distinct start tag's problems, found once: a page repeats most of its tags
        # exactly (<li>, <dd>, a contact's links on every card).
        self._seen: dict[str, list[str]] = {}

    def feed(self, html: str) -> None:
        """Check ``html``'s start tags. Each distinct tag is checked once; only HTML with a
        problem is read again in order, to name each problem's task."""
        tags = _WHOLE_TAG.findall(html)
        seen = self._seen
        clean = True
        for whole in set(tags):
            found = seen.get(whole)
            if found is None:
                found = seen[whole] = self._tag_problems(_START_TAG.fullmatch(whole), whole)
            clean = clean and not found
        if not clean:
            self._feed_in_order(html)
            return
        for whole in reversed(tags):  # the task of the blocks that follow
            if _SECTION.match(whole):
                self._enter_section(_START_TAG.match(whole).group(2))
                break

    def _feed_in_order(self, html: str) -> None:
        for match in _START_TAG.finditer(html):
            name = match.group(1)
            if name is not None and name.lower() == "section":
                self._enter_section(match.group(2))
            for problem in self._tag_problems(match, html):
                self.problems.append((self.task, problem))

    def _enter_section(self, attributes: str) -> None:
        """A section's start tag: a task's card names the task of what follows."""
        self.task = dict(_attributes(attributes)).get("data-task-id") or self.task

    def _tag_problems(self, match: re.Match[str], html: str) -> list[str]:
        name = match.group(1)
        if name is None:
            start = match.start()
            return [f"et mærke i siden slutter ikke: '{shown(html[start : start + 60])}'"]
        tag = name.lower()
        allowed = self.tags.get(tag)
        if allowed is None:
            return [f"teksten giver et <{tag}>-element, som ikke er tilladt"]
        problems = []
        for attribute, value in _attributes(match.group(2)):
            if attribute not in allowed and not (
                self.free_attributes and attribute.startswith(_FREE_PREFIXES)
            ):
                problems.append(
                    f"teksten giver attributten {attribute} på <{tag}>, som ikke er tilladt"
                )
            elif attribute == "href":
                problem = link_problem(value, relative=True)
                if problem:
                    problems.append(refused_link(value, problem))
            elif attribute == "src":
                problem = image_problem(value)
                if problem:
                    problems.append(
                        f"billedet '{shown(value)}' i teksten er ikke tilladt: {problem}, "
                        "fx ![Skærmbillede](../assets/skaermbillede.png)"
                    )
            elif attribute == "style" and not _ALIGN.fullmatch(value):
                problems.append(f"teksten giver style='{shown(value)}', som ikke er tilladt")
        return problems


def _attributes(text: str) -> list[tuple[str, str]]:
    """A start tag's attributes as a browser reads them: names in lower case, values
    without their quotes and with character references read."""
    found = []
    for key, value in _ATTRIBUTE.findall(text):
        if value[:1] in "\"'":
            value = value[1:-1]
        found.append((key.lower(), unescape(value) if "&" in value else value))
    return found


def field_problems(html: str) -> list[str]:
    """What is not allowed in the HTML of one Markdown field (each problem once)."""
    return list(dict.fromkeys(problem for _, problem in _check(html, FIELD_TAGS)))


def page_problems(html: str) -> list[tuple[str | None, str]]:
    """What is not allowed in a generated page's content, each with its task id (or None)."""
    return list(dict.fromkeys(_check(html, PAGE_TAGS)))


def fragments_problems(fragments: list[str]) -> list[tuple[str | None, str]]:
    """``page_problems`` for a page's blocks of HTML, read in order as one page (a task's
    start tag names the task of the blocks after it). A block that ends inside a tag is
    refused as such a tag is: the block is put between other HTML, which it would take in."""
    checker = _Checker(PAGE_TAGS)
    for fragment in fragments:
        checker.feed(fragment)
    return list(dict.fromkeys(checker.problems))


def _check(html: str, tags: dict[str, frozenset[str]]) -> list[tuple[str | None, str]]:
    checker = _Checker(tags)
    checker.feed(html)
    return checker.problems


def refused_link(url: str, problem: str) -> str:
    """The message for a link in a Markdown text that the URL policy refuses."""
    return f"linket '{shown(url)}' i teksten er ikke tilladt: {problem}. Skriv fx [Virk](https://virk.dk/)"
