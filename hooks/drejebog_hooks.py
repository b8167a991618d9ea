"""MkDocs adapter: generate the runbook's pages from data/tasks.yaml.

All logic lives in the ``drejebog`` package (src/drejebog, installed into the
environment by ``make``), which never imports MkDocs; this module only
translates between it and MkDocs' build events:

* ``on_config`` (first event of every build, also on each ``mkdocs serve``
  rebuild) reads the settings (``drejebog.settings.Settings``) from
  ``extra: drejebog:`` in mkdocs.yml, loads and validates the data, turns data
  errors into one clean ``PluginError`` and sets the navigation;
* ``on_files`` adds the rendered pages as generated files, with edit links
  that open data/tasks.yaml (generated pages have none by default);
* ``on_page_content`` checks the HTML of each generated page against the
  allow-lists and the URL policy (drejebog.htmlcheck): a safety net under the
  templates' escaping, and takes the headings' permalinks out of the tab order. The
  pages' raw HTML blocks (drejebog.render.Slot: task cards, the overview's table) never
  go through Markdown: on_config checks each once, on_page_content puts in the searchable
  ones, and
* ``on_post_page`` the others, after Markdown, the check and the search index have read
  the page. The manifest (every task, for the checklist) is one file, assets/manifest.json,
  added in ``on_files``.

MkDocs and Material print the site name and the navigation's titles as HTML,
unescaped: both are handed over HTML-escaped, as ``Markup`` so that a template
that escapes them again does not show "&amp;".

Settings (``extra: drejebog:`` in mkdocs.yml, see drejebog.settings; the
``!ENV`` tags there read these environment variables):
  data      ($DREJEBOG_DATA) another data file (tests build hostile and reordered data)
  repo_url  ($DREJEBOG_REPO_URL) the GitHub repository, e.g. https://github.com/org/drejebog;
            when set, pages get edit links (Material's edit button) and
            each task links to its own line of the data file.
            Not MkDocs' `repo_url`: that makes every page call GitHub's API.
  branch    ($DREJEBOG_BRANCH) the branch edit links point at (default: main)
``drejebog linkcheck`` puts a ``Settings`` object there instead, with the data
it loaded already, and builds in process.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage

from drejebog import DataErrors, load_runbook
from drejebog.assets import strip_own_assets
from drejebog.editlinks import EditLinks, for_data
from drejebog.gaps import find_gaps
from drejebog.htmlcheck import page_problems
from drejebog.load import display_name
from drejebog.render import (
    MANIFEST_FILE,
    PERMALINK,
    QUIET_PERMALINK,
    escaped_nav,
    fill_slots,
    manifest,
    navigation,
    render_site,
    slot_problems,
)
from drejebog.settings import MKDOCS_KEY, Settings, read_mkdocs_config

log = logging.getLogger("mkdocs.hooks.drejebog")

# What on_config found, for the later events of the same build.
_state: dict[str, Any] = {}


def on_config(config: MkDocsConfig, **_: Any) -> MkDocsConfig:
    root = Path(config.config_file_path).parent.resolve()
    try:
        value = config.extra.get(MKDOCS_KEY)
        if not isinstance(value, Settings) and config.config_file_path:
            # The settings as text: MkDocs' !ENV reads a variable the YAML way, so a branch
            # called 1.10 would arrive as the number 1.1.
            extra = read_mkdocs_config(Path(config.config_file_path)).get("extra") or {}
            value = extra.get(MKDOCS_KEY, value)
        settings = Settings.from_mkdocs(value, root)
    except ValueError as exc:
        raise PluginError(str(exc)) from None
    data = settings.data
    if settings.runbook is not None:
        runbook = settings.runbook
    else:
        try:
            runbook = load_runbook(data)
        except DataErrors as exc:
            raise PluginError(exc.report()) from None
    log.info(find_gaps(runbook).summary())

    try:
        links = for_data(settings.repo_url, settings.branch, data, root)
    except ValueError as exc:
        raise PluginError(str(exc)) from None
    if links:
        config.edit_uri = links.edit_uri

    site_manifest = manifest(runbook)
    pages = render_site(
        runbook, line_url=links.line_url if links else None, site_manifest=site_manifest
    )
    _state.update(
        pages=pages,
        slots={page.path: page.slots for page in pages},
        manifest=site_manifest.text,
        links=links,
        data=display_name(data),
        lines={task.id: task.line for task in runbook.tasks()},
    )
    for page in pages:  # each block of HTML once, here, not in every page event
        _stop_on_problems(page.path, slot_problems(page))
    config.nav = escaped_nav(navigation(pages))
    config.site_name = Markup(escape(runbook.meta.title))
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    links: EditLinks | None = _state["links"]
    for page in _state["pages"]:
        existing = files.get_file_from_path(page.path)
        if existing is not None:
            files.remove(existing)
        file = File.generated(config, page.path, content=page.content)
        file.edit_uri = links.file_uri if links else None
        files.append(file)
    existing = files.get_file_from_path(MANIFEST_FILE)
    if existing is not None:
        files.remove(existing)
    files.append(File.generated(config, MANIFEST_FILE, content=_state["manifest"]))
    return files


def _stop_on_problems(path: str, found: list[tuple[str | None, str]]) -> None:
    """Stop the build with each problem's data line, page and task."""
    if not found:
        return
    lines: dict[str, int] = _state["lines"]
    report = [
        f"{_state['data']}:{lines.get(task, 1) if task else 1}: {path}"
        f"{f' (opgaven {task})' if task else ''}: {problem}"
        for task, problem in found
    ]
    raise PluginError("\n".join(["Siden indeholder HTML, som ikke er tilladt:", *report]))


def on_page_content(html: str, *, page: MkDocsPage, **_: Any) -> str:
    """Stop the build if a generated page's HTML holds anything the allow-lists do not;
    take the headings' permalinks out of the tab order and the accessibility tree; put in
    the page's searchable slots (render.SLOT: their HTML was checked in on_config)."""
    if page.file.generated_by:
        _stop_on_problems(page.file.src_uri, page_problems(html))
    html = html.replace(PERMALINK, QUIET_PERMALINK)
    if not page.file.generated_by:
        return html
    return fill_slots(html, _state["slots"][page.file.src_uri], "content")


def on_post_page(output: str, *, page: MkDocsPage, **_: Any) -> str:
    """The rest of a generated page's slots (the blocks the search index leaves out), once
    the page is HTML and the search index has read it."""
    if not page.file.generated_by:
        return output
    return fill_slots(output, _state["slots"][page.file.src_uri], "post")


def on_post_build(*, config: MkDocsConfig) -> None:
    """The built copies of the site's own scripts and styles lose their comments
    (drejebog.assets): visitors download code, the source keeps its documentation."""
    stripped = strip_own_assets(Path(config.docs_dir), Path(config.site_dir))
    before = sum(b for _, b, _ in stripped)
    after = sum(a for _, _, a in stripped)
    log.debug(
        "drejebog: comments stripped from %d files (%d -> %d bytes)", len(stripped), before, after
    )
