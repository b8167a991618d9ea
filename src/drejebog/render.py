"""Render the runbook into Markdown pages through Jinja templates.

The pages use Python-Markdown with the ``attr_list``, ``md_in_html`` and
``toc`` extensions, which both MkDocs and Zensical provide.

Escaping: every string from the YAML is untrusted, and each reaches a page in
one of three ways, each with one rule:

* in raw HTML blocks (most of a page: task cards, link and contact lists), by
  Jinja's autoescape; the page's Markdown never parses these blocks;
* in the few Markdown lines (headings, links between pages), through the ``md``
  filter: HTML-escaped and every Markdown character made literal;
* the Markdown fields (``details``, ``intro``, ``about.text``) through the
  ``markdown`` filter: rendered and checked by richtext.py, inserted as HTML.

Titles that MkDocs and the theme print themselves (the front matter's
``title``, the navigation, the site name) are HTML-escaped on the way out:
``front_matter`` here, the hook for the navigation and the site name.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache, cached_property
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from . import firstview, provenance, richtext, urlpolicy
from .htmlcheck import TAG_ATTRIBUTES, TAG_NAME, fragments_problems
from .model import STATUSES, Group, Runbook, Task

TEMPLATES = Path(__file__).parent / "templates"

INDEX = "index.md"
OVERVIEW = "overblik.md"
CONTACTS = "hvem-kan-hjaelpe.md"
ABOUT = "om.md"
CHANGES = "aendringer.md"
ACCESSIBILITY = "tilgaengelighed.md"
GROUP_DIR = "opgaver"

_MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)
_INLINE_SPECIALS = re.compile(r"([\\`*_{}\[\]#|])")


@dataclass(frozen=True)
class Slot:
    """A block of a page's HTML that never goes through the page's Markdown (``SLOTS``).

    ``searchable``: filled before the search index reads the page (the task cards), or
    after it (the blocks marked ``data-search-exclude``: the overview's table, the
    checklist's parts). ``opens``: the start tag of an element whose content is Markdown
    (a task's section around its heading); ``fill_slots`` adds ``markdown="1"`` to it in a
    Markdown page.
    """

    html: str
    searchable: bool = True
    opens: bool = False

    @cached_property
    def search_view(self) -> str:
        """What Material's search index reads of this slot: only the elements it keeps
        (``_SEARCH_KEEP``), the text of all the others, nothing of its slots (they are
        left out of the index). The index gets the same words with a third of the
        elements to parse; on_post_page puts the whole slot in its place
        (tests/build/test_build.py compares the index with the built pages)."""
        return _ANY_TAG.sub(
            lambda m: m.group(0) if (m.group(1) or "").lower() in _SEARCH_KEEP else "", self.html
        )


# What Material's search index keeps of a page's HTML as HTML (its Parser's ``keep``); of
# everything else only the text counts. And <section>, which ends a task's part of it.
_SEARCH_KEEP = frozenset({"p", "code", "pre", "li", "ol", "ul", "sub", "sup", "section"})
_ANY_TAG = re.compile(f"</?({TAG_NAME}){TAG_ATTRIBUTES}>|<!--.*?-->", re.S)


@dataclass(frozen=True)
class Page:
    """One generated page: its path under docs/, its title, its Markdown (with a
    placeholder for each of its ``slots``)."""

    path: str
    title: str
    content: str
    slots: tuple[Slot, ...] = ()

    @property
    def markdown(self) -> str:
        """The page as Markdown with its slots in it (what write_pages writes)."""
        return fill_slots(self.content, self.slots, "markdown")


def md_inline(value: object) -> Markup:
    """Escape text for a Markdown line: HTML-escaped, Markdown syntax made literal."""
    text = _INLINE_SPECIALS.sub(r"\\\1", str(value))
    return Markup(escape(text))


def markdown_html(value: object) -> Markup:
    """A Markdown field as checked HTML in one raw block (see richtext.py).

    Validation has refused every field with a problem; one here is a bug.
    """
    rendered = richtext.render(str(value))
    if rendered.problems:
        raise ValueError(f"unchecked Markdown field: {rendered.problems[0]}")
    return Markup('<div class="drb-text">\n{}\n</div>').format(Markup(rendered.html))


def html_text(value: object) -> Markup:
    """Escape text for raw HTML in a page: HTML-escaped, and braces as character references,
    so it can never look like an attribute list to Markdown."""
    return Markup(str(escape(str(value))).replace("{", "&#123;").replace("}", "&#125;"))


def front_matter(value: object) -> Markup:
    """A title for the page's front matter: MkDocs' themes print ``page.meta.title``
    as HTML, so it holds the HTML-escaped title (a JSON string is valid YAML)."""
    return Markup(json.dumps(str(escape(str(value)))))


def safe_url(url: str) -> str:
    """A data URL for an href; validation has applied the same policy already."""
    problem = urlpolicy.link_problem(url)
    if problem:
        raise ValueError(f"refusing to render URL {url!r}: {problem}")
    return url


def mailto(address: str) -> str:
    return safe_url(f"mailto:{address}")


def tel_href(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    if not digits.startswith("45") or len(digits) == 8:
        digits = "45" + digits[-8:]
    return f"tel:+{digits}"


def danish_date(value: date) -> str:
    return f"{value.day}. {_MONTHS[value.month - 1]} {value.year}"


def group_path(group: Group) -> str:
    return f"{GROUP_DIR}/{group.id}.md"


def relative(from_page: str, to_page: str) -> str:
    """A Markdown link target from one generated page to another (MkDocs resolves .md links)."""
    depth = from_page.count("/")
    return "../" * depth + to_page


def page_url(page: str) -> str:
    """The URL of a generated page relative to the site root, in directory form."""
    stem = page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def task_url(from_page: str, task: Task) -> str:
    """A link for raw HTML to a task's card: its anchor on its own page, else via url_to."""
    to_page = f"{GROUP_DIR}/{task.group_id}.md"
    return f"#{task.id}" if to_page == from_page else url_to(from_page, to_page, task.id)


def url_to(from_page: str, to_page: str, anchor: str | None = None) -> str:
    """A link for raw HTML from one generated page to another (directory URLs)."""
    here = page_url(from_page).rstrip("/") or "."
    there = page_url(to_page).rstrip("/") or "."
    path = posixpath.relpath("/" + there, "/" + here)  # absolute: no getcwd() per link
    path = "./" if path == "." else path + "/"
    return path + (f"#{anchor}" if anchor else "")


def manifest_task(task: Task) -> dict[str, object]:
    """One task in the manifest: ``id``, ``title``, ``hash``, ``kind`` always; the plan's
    keys only when the task has them (every visitor's first page fetches it, so bytes count):

    ``before``/``after`` ("required" or "optional"), ``due`` (the suggested deadline day,
    ``Timing.effective_due_day``), ``earliest`` (``earliest_day``), ``repeat`` ("monthly",
    "quarterly" or "yearly"), ``applies`` (["new"] or ["takeover"], only when the task is
    for one of them), ``deps`` (``depends_on``) and ``resp`` (``responsible``).
    """
    timing = task.timing
    entry: dict[str, object] = {
        "id": task.id,
        "title": task.title,
        "hash": task.content_hash,
        "kind": task.kind,
    }
    optional: dict[str, object] = {
        "before": timing.before,
        "after": timing.after,
        "due": timing.effective_due_day,
        "earliest": timing.earliest_day,
        "repeat": timing.repeat.every if timing.repeat else None,
        "applies": list(task.applies_to) if len(set(task.applies_to)) == 1 else None,
        "deps": list(task.depends_on) or None,
        "resp": list(task.responsible) or None,
    }
    entry.update((key, value) for key, value in optional.items() if value is not None)
    return entry


# The manifest: one file for the whole site (the checklist script fetches it once and keeps
# it). It was in every page, which made pages x tasks bytes: 320 MB of HTML at 10,000 tasks.
MANIFEST_FILE = "assets/manifest.json"


@dataclass(frozen=True)
class Manifest:
    """All groups and tasks as JSON for the checklist script (``MANIFEST_FILE``), and its
    version: a hash of the text, in each page's element, so that a browser never reads a
    new build's pages with an old copy. URLs are relative to the site root, in MkDocs'
    directory-URL form. Each task's keys: ``manifest_task``."""

    text: str
    version: str

    @property
    def element(self) -> Markup:
        """The element that tells the script where the manifest is (the site's root is
        known to the script) and which version the page was built with."""
        return Markup('<div id="drb--manifest" hidden data-version="{}"></div>').format(
            self.version
        )


def manifest(runbook: Runbook) -> Manifest:
    data = {
        "version": 1,
        "groups": [
            {
                "id": g.id,
                "title": g.title,
                "url": f"{GROUP_DIR}/{g.id}/",
                "tasks": [manifest_task(t) for t in g.tasks],
            }
            for g in runbook.groups
        ],
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Manifest(text, hashlib.sha256(text.encode("utf-8")).hexdigest()[:16])


@cache
def _environment() -> Environment:
    """The templates' environment, made and compiled once per process."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        # The compiled templates, kept between builds (Jinja's per-user folder in the temp
        # directory, checked to be the user's own; keyed by each template's checksum):
        # compiling them took 0.08 s of every build.
        bytecode_cache=FileSystemBytecodeCache(),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        md=md_inline,
        markdown=markdown_html,
        html=html_text,
        front_matter=front_matter,
        url=safe_url,
        mailto=mailto,
        tel=tel_href,
        danish_date=danish_date,
    )
    env.globals.update(
        group_path=group_path,
        relative=relative,
        url_to=url_to,
        task_url=task_url,
        memo=_Memo(),
        CONTACTS=CONTACTS,
        ABOUT=ABOUT,
        INDEX=INDEX,
        OVERVIEW=OVERVIEW,
        CHANGES=CHANGES,
        ACCESSIBILITY=ACCESSIBILITY,
        STATUSES=STATUSES,
        MARK_LABELS=provenance.LABELS,
        provenance=provenance,
    )
    return env


# The toc extension's "#" after every heading: kept for the mouse (a link to copy), out of the
# tab order and the accessibility tree, where it made every heading's name end in "#" and each
# task card add Tab stops that go nowhere new. Keyboard and screen-reader users reach the same
# addresses through the page's table of contents. Replaced after the allow-lists' check (the
# hook's on_page_content; drejebog.zensical.finish).
PERMALINK = '<a class="headerlink" href='
QUIET_PERMALINK = '<a class="headerlink" aria-hidden="true" tabindex="-1" href='

# The pages' raw HTML blocks (task cards, the overview's table, the checklist's parts) are
# slots: the Markdown holds a comment in their place, and the hook puts each block in once the
# page is HTML (on_page_content for the searchable ones, on_post_page for the rest), so that
# Python-Markdown never parses them. It did, once per block and again for md_in_html, and that
# was most of a 1,000-task build. write_pages puts them into the Markdown instead (generators
# without hooks). No data can make a placeholder: every "<" from the data is escaped.
SLOT = re.compile(r"<!--drb:(\d+)-->")
# A searchable slot as the search index reads it (Slot.search_view), between its marks; the
# post stage puts the whole slot there.
SEARCH_VIEW = re.compile(r"<!--drb:(\d+)-->.*?<!--/drb:\1-->", re.S)
MARKDOWN_ATTRIBUTE = ' markdown="1">'


class _Memo:
    """``memo(key, macro, *args)``: the macro's output for ``key``, made once."""

    def __init__(self) -> None:
        self.made: dict[object, Markup] = {}

    def clear(self) -> None:
        self.made.clear()

    def __call__(self, key: object, macro, *args: object) -> Markup:
        if key not in self.made:
            self.made[key] = macro(*args)
        return self.made[key]


class _Slots:
    """The slots of one page being rendered: ``{% call slot() %}HTML{% endcall %}``."""

    def __init__(self) -> None:
        self.items: list[Slot] = []

    def __call__(self, *, searchable: bool = True, opens: bool = False, caller) -> Markup:
        self.items.append(Slot(str(caller()).strip("\n"), searchable, opens))
        return Markup(f"<!--drb:{len(self.items) - 1}-->")


def fill_slots(text: str, slots: tuple[Slot, ...], stage: str) -> str:
    """``text`` with its slots' placeholders replaced by their HTML.

    ``stage``: "markdown" (every slot, into a Markdown page), "content" (the searchable
    ones as the search index reads them: ``Slot.search_view``, the section's start tag
    whole) or "post" (the searchable ones whole, and the others, into the finished page).
    A slot may hold slots (a card's status row, which the search index leaves out).
    """

    def put(match: re.Match[str]) -> str:
        number = int(match.group(1))
        slot = slots[number]
        if stage != "markdown" and slot.searchable != (stage == "content"):
            return match.group(0)
        if stage == "content" and not slot.opens:
            return f"<!--drb:{number}-->{slot.search_view}<!--/drb:{number}-->"
        html = fill_slots(slot.html, slots, stage) if "<!--drb:" in slot.html else slot.html
        return html[:-1] + MARKDOWN_ATTRIBUTE if stage == "markdown" and slot.opens else html

    def whole(match: re.Match[str]) -> str:
        html = slots[int(match.group(1))].html
        return fill_slots(html, slots, "post") if "<!--drb:" in html else html

    if stage == "post":
        text = SEARCH_VIEW.sub(whole, text)
    return SLOT.sub(put, text)


def slot_problems(page: Page) -> list[tuple[str | None, str]]:
    """What is not allowed in a page's slots (htmlcheck.page_problems: each once, with its
    task), and any slot that ends inside a tag."""
    return fragments_problems([slot.html for slot in page.slots])


def render_site(
    runbook: Runbook,
    *,
    line_url: Callable[[int], str] | None = None,
    site_manifest: Manifest | None = None,
) -> list[Page]:
    """Every generated page, in navigation order; the pages with the checklist hold the
    element of ``site_manifest`` (``manifest(runbook)`` when not given), whose file
    (``MANIFEST_FILE``) the caller writes.

    ``line_url(line)`` gives the address of a line of the data file, to link each
    task to its own line for maintainers; without it there are no such links.
    """
    env = _environment()
    # A contact is the same on every card of a page: rendered once per page and contact.
    # ``memo`` is a global, so that macros imported without context see it (Jinja keeps
    # such a module, with the globals it was made with: the same object each time), and
    # emptied here, so that nothing outlives the data it was made from.
    env.globals["memo"].clear()

    def page(path: str, title: str, template: str, **context: object) -> Page:
        slots = _Slots()
        content = env.get_template(template).render(page=path, slot=slots, **common, **context)
        return Page(path, title, content, tuple(slots.items))

    contacts = {c.id: c for c in runbook.contacts}
    tasks: dict[str, Task] = {t.id: t for t in runbook.tasks()}
    common = dict(
        runbook=runbook,
        contacts=contacts,
        tasks=tasks,
        manifest=(site_manifest or manifest(runbook)).element,
        line_url=line_url,
        firstview=firstview.FirstView(runbook),
    )
    pages = [
        page(INDEX, "Forside", "index.md.j2"),
        page(OVERVIEW, "Overblik", "overview.md.j2", **overview_context(runbook)),
    ]
    for number, group in enumerate(runbook.groups, start=1):
        pages.append(
            page(group_path(group), group.title, "group.md.j2", group=group, number=number)
        )
    pages += [
        page(CONTACTS, "Hvem kan hjælpe", "contacts.md.j2"),
        page(CHANGES, "Ændringer", "changes.md.j2"),
        page(ABOUT, "Om drejebogen", "about.md.j2"),
        page(ACCESSIBILITY, "Tilgængelighedserklæring", "accessibility.md.j2"),
    ]
    return pages


def overview_context(runbook: Runbook) -> dict[str, object]:
    """The overview's table without the script: the actionable tasks before the opening (a
    ``before`` mark), then the rest, then the region's rows, each in runbook order; and the
    responsible parties in the order they first appear (the filter's choices)."""
    tasks = list(runbook.tasks())
    actionable = [t for t in tasks if not t.is_info]
    phases = [
        ("foer", "Før opstart", [t for t in actionable if t.timing.before]),
        ("efter", "Efter opstart", [t for t in actionable if not t.timing.before]),
        ("regionen", "Klares af regionen", [t for t in tasks if t.is_info]),
    ]
    return {
        "phases": [{"id": i, "title": title, "tasks": ts} for i, title, ts in phases if ts],
        "actionable": actionable,
        "responsible": list(dict.fromkeys(who for t in actionable for who in t.responsible)),
        "groups": {g.id: g for g in runbook.groups},
    }


def navigation(pages: list[Page]) -> list[dict[str, object]]:
    """A MkDocs-style ``nav`` for the generated pages: groups nested under "Opgaver"."""
    groups = [{p.title: p.path} for p in pages if p.path.startswith(GROUP_DIR + "/")]
    nav: list[dict[str, object]] = [{"Forside": INDEX}, {"Overblik": OVERVIEW}, {"Opgaver": groups}]
    nav += [{p.title: p.path} for p in pages if p.path in (CONTACTS, CHANGES, ABOUT, ACCESSIBILITY)]
    return nav


def escaped_nav(nav: list[object]) -> list[object]:
    """``navigation``'s value with every title HTML-escaped (as ``Markup``): Material's and
    Zensical's templates print the navigation's titles as HTML."""
    out: list[object] = []
    for item in nav:
        if isinstance(item, dict):
            out.append(
                {
                    escape(title): escaped_nav(value) if isinstance(value, list) else value
                    for title, value in item.items()
                }
            )
        else:
            out.append(item)
    return out


def write_pages(runbook: Runbook, target: Path, line_url=None) -> list[Path]:
    """Write the generated pages under ``target`` (for generators without hooks).

    ``line_url(line)`` gives each task its link to the data file's line.
    """
    written = []
    data = manifest(runbook)
    for page in render_site(runbook, line_url=line_url, site_manifest=data):
        out = target / page.path
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(page.markdown, encoding="utf-8")
        written.append(out)
    out = target / MANIFEST_FILE
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(data.text, encoding="utf-8")
    written.append(out)
    return written
