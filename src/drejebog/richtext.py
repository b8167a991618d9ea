"""The data's Markdown fields (``details``, ``intro``, ``about.text``) as safe HTML.

Each field is rendered on its own, here, with Python-Markdown, and the HTML that
comes out is what the page gets (as a raw HTML block the page's Markdown does not
parse again). So the checks below look at exactly what a browser will get:

* HTML typed into the data is shown as text (``<`` and ``&`` are escaped first);
* every ``href`` and ``src`` follows the URL policy (urlpolicy.py), and only the
  elements and attributes Markdown itself makes are allowed (htmlcheck.py);
* headings start at level 3, under the task's own level-2 heading;
* rendering takes time in proportion to the text. Python-Markdown tries every
  ``[`` as the start of a link and scans ahead for its end, which makes a run of
  brackets quadratic (20 KB took 97 s); :func:`neutralise` hides, in one
  linear pass, every bracket that cannot be part of an inline link
  ``[text](address)``, so no scan can run long. The output is the same as
  without it, because Markdown would show those brackets as text anyway.

A field with a problem gives a data error with its line (validate.py); the
error says what to write instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from xml.etree.ElementTree import Element

import markdown
from markdown.treeprocessors import Treeprocessor

from .errors import shown
from .htmlcheck import field_problems, refused_link
from .urlpolicy import link_problem

_LIST_ITEM = re.compile(r"\s{0,3}(?:[-*+]|[0-9]{1,9}[.)])\s")
_URL_STOP = frozenset("()[] \t\n<>")

# Brackets that are not part of a link, while Markdown runs: two private-use characters,
# which Markdown treats as plain text everywhere (code spans included). The data may
# not contain them (yamlsafe refuses private-use characters).
_OPEN, _CLOSE = "\ue000", "\ue001"


@dataclass(frozen=True)
class Rendered:
    html: str
    problems: tuple[str, ...]


class _DemoteHeadings(Treeprocessor):
    """``#`` in a field becomes <h3>, ``##`` <h4> ...: the field sits under an <h2>."""

    def run(self, root: Element) -> None:
        for element in root.iter():
            if len(element.tag) == 2 and element.tag[0] == "h" and element.tag[1] in "123456":
                element.tag = f"h{min(int(element.tag[1]) + 2, 6)}"


def _markdown() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["tables"], output_format="html")
    md.treeprocessors.register(_DemoteHeadings(md), "drejebog_demote_headings", 1)
    return md


_MD = _markdown()


# One line that Markdown can only make into one paragraph of the same text: no line break or
# tab, no character Markdown (core and tables) gives a meaning to, and nothing at its start
# that could open a block (a digit: "1." is a list). Such a field (14 of the 33 in today's
# data) is rendered here without Markdown's passes; test_hardening compares the two on
# thousands of texts.
_MARKED = "\\\\`*_\\[\\]#+\\-!<>&|~="  # in a character class
_ONE_PARAGRAPH = re.compile(f"[^\\s\\d{_MARKED}](?:[^\\n\\t{_MARKED}]*[^\\s{_MARKED}])?")


@lru_cache(maxsize=16384)
def render(text: str) -> Rendered:
    """The field's HTML and the problems that make it unusable (empty when fine).

    Cached: validation renders every field once, and the pages reuse that.
    """
    if _ONE_PARAGRAPH.fullmatch(text):
        return Rendered(f"<p>{text}</p>", ())
    return markdown_render(text)


def markdown_render(text: str) -> Rendered:
    """``render`` through Markdown, always."""
    deep = _too_deep(text)
    if deep:
        return Rendered("", (deep,))
    source = neutralise(text)
    try:
        _MD.reset()
        html = _MD.convert(source).replace(_OPEN, "[").replace(_CLOSE, "]")
    except RecursionError:
        return Rendered(
            "",
            ("teksten er indlejret for dybt (lister eller citater i mange lag); gør den fladere",),
        )
    return Rendered(html, (*_broken_links(source), *field_problems(html)))


def problems(text: str) -> tuple[str, ...]:
    """The field's problems (``render(text).problems``), without rendering it when it has
    no bracket: ``make check`` then reads 1,000 plain texts in no time.

    Without ``[`` or ``]`` a text can only be too deep: it has no link, image or reference
    (each needs a bracket, and an autolink needs ``<``, which is escaped), and everything
    else Markdown makes of it is in htmlcheck.FIELD_TAGS (tests/core/test_hardening.py
    renders such texts and compares).
    """
    if "[" in text or "]" in text:
        return render(text).problems
    deep = _too_deep(text)
    return (deep,) if deep else ()


def _broken_links(source: str) -> list[str]:
    """A ``[text](`` that did not become a link: the maintainer meant one, so say why."""
    problems = []
    start = source.find(_CLOSE + "(")
    while start >= 0 and len(problems) < 5:
        end = start + 2
        while end < len(source) and end - start < 200 and not source[end].isspace():
            end += 1
        address = source[start + 2 : end].rstrip(")").replace(_OPEN, "[").replace(_CLOSE, "]")
        problem = link_problem(address, relative=True) if address else None
        if problem:
            problems.append(refused_link(address, problem))
        else:
            problems.append(
                f"et link i teksten kan ikke læses: '[…]({shown(address)}'. Skriv links som "
                "[tekst](adresse) uden mellemrum, parenteser eller [ ] i adressen "
                "(skriv ( og ) som %28 og %29), fx [Virk](https://virk.dk/)"
            )
        start = source.find(_CLOSE + "(", end)
    return problems


MAX_DEPTH = 8


def _too_deep(text: str) -> str | None:
    """Quotes or lists nested deeper than MAX_DEPTH: no runbook needs them, and deep
    nesting costs Markdown a pass per level (and Python its recursion limit)."""
    for number, line in enumerate(text.split("\n"), start=1):
        if _depth(line) > MAX_DEPTH:
            return (
                f"linje {number} i teksten er indlejret for dybt (højst {MAX_DEPTH} niveauer af citater "
                "eller lister); gør den fladere, fx med et almindeligt afsnit"
            )
    return None


def _depth(line: str) -> int:
    """Block markers ('>', '-', '*', '+', '1.') at the start of a line, plus indentation in fours."""
    i, n, depth = 0, len(line), 0
    while i < n:
        ch = line[i]
        if ch in " \t":
            depth += 1 if ch == "\t" else 0
            spaces = i
            while i < n and line[i] == " ":
                i += 1
            depth += (i - spaces) // 4
            i += ch == "\t"
            continue
        if ch == ">":
            depth, i = depth + 1, i + 1
        elif ch in "-*+" and i + 1 < n and line[i + 1] in " \t":
            depth, i = depth + 1, i + 2
        elif ch.isdigit():
            j = i
            while j < n and j - i < 10 and line[j].isdigit():
                j += 1
            if j + 1 < n and line[j] in ".)" and line[j + 1] in " \t":
                depth, i = depth + 1, j + 2
            else:
                break
        else:
            break
    return depth


def neutralise(text: str) -> str:
    """Markdown with raw HTML shown as text and only inline links' brackets left as brackets.

    Linear in the length of the text. :func:`render` puts the other brackets back
    into the HTML.
    """
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    return _hide_stray_brackets(_blank_line_before_lists(text))


def _blank_line_before_lists(text: str) -> str:
    """A list written right under a paragraph gets the blank line Markdown needs."""
    out: list[str] = []
    for line in text.strip("\n").split("\n"):
        previous = out[-1] if out else ""
        if (
            _LIST_ITEM.match(line)
            and previous.strip()
            and not _LIST_ITEM.match(previous)
            and not previous.startswith(" ")
        ):
            out.append("")
        out.append(line.rstrip())
    return "\n".join(out)


def _hide_stray_brackets(text: str) -> str:
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\":
            out.append(text[i : i + 2])
            i += 2
        elif ch == "[":
            end = _link_end(text, i)
            if end:
                out.append(text[i:end])
                i = end
            else:
                out.append(_OPEN)
                i += 1
        elif ch == "]":
            out.append(_CLOSE)
            i += 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _link_end(text: str, start: int) -> int:
    """The end of ``[text](address)`` starting at ``start``, or 0.

    The link text holds no brackets and the address no spaces, brackets or
    parentheses, so the scans stop at the next bracket: every character is
    looked at a bounded number of times over the whole text.
    """
    n = len(text)
    k = start + 1
    while k < n and text[k] not in "[]":
        k += 2 if text[k] == "\\" else 1
    if k + 1 >= n or text[k] != "]" or text[k + 1] != "(":
        return 0
    m = k + 2
    while m < n and text[m] not in _URL_STOP:
        m += 1
    if m < n and text[m] == ")" and m > k + 2:
        return m + 1
    return 0
