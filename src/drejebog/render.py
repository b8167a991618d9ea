"""Render the runbook into Markdown pages through Jinja templates.

The pages use Python-Markdown with the ``attr_list``, ``md_in_html`` and
``toc`` extensions, which both MkDocs and Zensical provide. Text from the YAML
is always escaped: titles, names and link texts become literal text, and the
Markdown in ``details`` keeps its Markdown but never its HTML, attribute lists
or unsafe links. So nothing typed into the data file can run in a browser.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from .model import Group, Runbook, Task

TEMPLATES = Path(__file__).parent / "templates"

INDEX = "index.md"
CONTACTS = "hvem-kan-hjaelpe.md"
ABOUT = "om.md"
CHANGES = "aendringer.md"
GROUP_DIR = "opgaver"

_MONTHS = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)
_INLINE_SPECIALS = re.compile(r"([\\`*_{}\[\]#|])")
_LIST_ITEM = re.compile(r"^\s{0,3}([-*+]|\d+[.)])\s")


@dataclass(frozen=True)
class Page:
    """One generated page: its path under docs/, its title, its Markdown."""

    path: str
    title: str
    content: str


def md_inline(value: object) -> Markup:
    """Escape text for a Markdown line: HTML-escaped, Markdown syntax made literal."""
    text = _INLINE_SPECIALS.sub(r"\\\1", str(value))
    return Markup(escape(text))


def md_block(value: object) -> Markup:
    """Keep a maintainer's Markdown, but make HTML and attribute lists literal.

    A list written right under a paragraph gets the blank line Python-Markdown
    needs, because maintainers write lists that way and expect a list.
    """
    text = str(value).replace("&", "&amp;").replace("<", "&lt;")
    text = text.replace("{", "\\{").replace("}", "\\}")
    out: list[str] = []
    for line in text.strip("\n").splitlines():
        previous = out[-1] if out else ""
        if _LIST_ITEM.match(line) and previous.strip() and not _LIST_ITEM.match(previous) and not previous.startswith(" "):
            out.append("")
        out.append(line.rstrip())
    return Markup("\n".join(out))


def html_text(value: object) -> Markup:
    """Escape text for raw HTML in a page: HTML-escaped, and braces as character references,
    so it can never look like an attribute list to Markdown."""
    return Markup(str(escape(str(value))).replace("{", "&#123;").replace("}", "&#125;"))


def safe_url(url: str) -> str:
    if not url.lower().startswith(("https://", "http://", "mailto:", "tel:")):
        raise ValueError(f"refusing to render URL {url!r}")
    return url


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


def manifest(runbook: Runbook) -> Markup:
    """All groups and tasks as JSON for the checklist script, in an inert element.

    A data attribute rather than <script type="application/json">: Material's
    instant navigation re-creates every <script> in the new page, and an
    attribute can never be executed or close its element early.
    URLs are relative to the site root, in MkDocs' directory-URL form.
    """
    data = {
        "version": 1,
        "groups": [
            {
                "id": g.id,
                "title": g.title,
                "url": f"{GROUP_DIR}/{g.id}/",
                "tasks": [
                    {"id": t.id, "title": t.title, "hash": t.content_hash, "kind": t.kind} for t in g.tasks
                ],
            }
            for g in runbook.groups
        ],
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup('<div id="drb-manifest" hidden data-manifest="{}"></div>').format(text)


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        md=md_inline,
        md_block=md_block,
        html=html_text,
        url=safe_url,
        tel=tel_href,
        danish_date=danish_date,
    )
    env.globals.update(group_path=group_path, relative=relative, CONTACTS=CONTACTS, ABOUT=ABOUT, INDEX=INDEX,
                       CHANGES=CHANGES)
    return env


def render_site(runbook: Runbook, *, line_url: str | None = None) -> list[Page]:
    """Every generated page, in navigation order.

    ``line_url`` (with ``{line}``) links each task to its own line of the data
    file, for maintainers; without it there are no such links.
    """
    env = _environment()
    env.globals["line_url"] = line_url
    contacts = {c.id: c for c in runbook.contacts}
    tasks: dict[str, Task] = {t.id: t for t in runbook.tasks()}
    common = dict(runbook=runbook, contacts=contacts, tasks=tasks, manifest=manifest(runbook))
    pages = [Page(INDEX, "Forside", env.get_template("index.md.j2").render(page=INDEX, **common))]
    for number, group in enumerate(runbook.groups, start=1):
        path = group_path(group)
        pages.append(
            Page(path, group.title, env.get_template("group.md.j2").render(page=path, group=group, number=number, **common))
        )
    pages.append(Page(CONTACTS, "Hvem kan hjælpe", env.get_template("contacts.md.j2").render(page=CONTACTS, **common)))
    pages.append(Page(CHANGES, "Ændringer", env.get_template("changes.md.j2").render(page=CHANGES, **common)))
    pages.append(Page(ABOUT, "Om drejebogen", env.get_template("about.md.j2").render(page=ABOUT, **common)))
    return pages


def navigation(pages: list[Page]) -> list[dict[str, object]]:
    """A MkDocs-style ``nav`` for the generated pages: groups nested under "Opgaver"."""
    groups = [{p.title: p.path} for p in pages if p.path.startswith(GROUP_DIR + "/")]
    nav: list[dict[str, object]] = [{"Forside": INDEX}, {"Opgaver": groups}]
    nav += [{p.title: p.path} for p in pages if p.path in (CONTACTS, CHANGES, ABOUT)]
    return nav


def write_pages(runbook: Runbook, target: Path) -> list[Path]:
    """Write the generated pages under ``target`` (for generators without hooks)."""
    written = []
    for page in render_site(runbook):
        out = target / page.path
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(page.content, encoding="utf-8")
        written.append(out)
    return written
