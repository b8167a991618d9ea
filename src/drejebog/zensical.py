"""Build the site with Zensical, the successor of Material for MkDocs.

Zensical reads an ``mkdocs.yml`` but ignores ``hooks:``, so nothing generates the pages
during its build. ``prepare`` does that work first, in a folder of its own
(``build/zensical/`` by default, never the tracked ``docs/``):

* ``docs/``: a copy of the repository's ``docs/`` (the scripts and styles), the generated
  pages (``render.write_pages``' Markdown) and the checklist's manifest;
* ``zensical.yml``: the configuration, derived from the repository's ``mkdocs.yml`` so that
  both builds share one source (site name, language, palette, features, Markdown
  extensions, the project's CSS and script), with what only MkDocs understands taken out
  (``hooks``, ``watch``) and what the hook sets in MkDocs put in: the data's title as the
  site name and the navigation in the runbook's order. Written as JSON, which YAML reads;
* ``overrides/``: the theme overrides, ``overrides/main.html`` (shared) and
  ``overrides/zensical/``; the partials in ``overrides/partials/`` fit Material only.

Before anything is written, every page goes through the same checks as in the MkDocs build
(``drejebog.htmlcheck``, through ``check_pages``); ``finish`` does after the build what the
hook does in MkDocs: the headings' permalinks leave the tab order and the copies of the
site's own scripts and styles lose their comments.

The pages keep the MkDocs site's addresses (``use_directory_urls``), so ticks saved in a
browser and shared links keep working when the site switches generator.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import markdown

from .assets import strip_own_assets
from .editlinks import for_data
from .htmlcheck import page_problems
from .load import display_name
from .model import Runbook
from .render import (
    MANIFEST_FILE,
    PERMALINK,
    QUIET_PERMALINK,
    Page,
    escaped_nav,
    manifest,
    navigation,
    render_site,
    slot_problems,
)
from .settings import MKDOCS_KEY, Settings, read_mkdocs_config

BUILD_DIR = Path("build/zensical")
CONFIG_NAME = "zensical.yml"
DOCS = "docs"
SITE = "site"
OVERRIDES = "overrides"
# Of the repository's overrides/ (Material's), what fits Zensical's templates too; and the
# Zensical ones (overrides/zensical/), which take their place in the build's overrides/.
_SHARED_OVERRIDES = ("main.html",)
_ZENSICAL_OVERRIDES = Path(OVERRIDES) / "zensical"
# Settings only MkDocs understands.
_MKDOCS_ONLY = ("hooks", "watch")


class BuildError(ValueError):
    """A problem a maintainer can fix; the message (Danish) says where and what."""


# --- the configuration ------------------------------------------------------------


def zensical_config(
    mkdocs: Mapping[str, Any],
    runbook: Runbook,
    pages: list[Page],
    *,
    site_url: str | None = None,
    edit_url: str | None = None,
) -> dict[str, Any]:
    """Zensical's configuration from mkdocs.yml's (``mkdocs``) and the data.

    Zensical's templates, like Material's, print the site name and the navigation's titles
    as HTML: both go in HTML-escaped (a title with "&" then shows "&amp;" in the logo's
    tooltip, the one place the theme escapes it again).
    ``edit_url``: where every page's edit button points (the data file), or None for none.
    """
    config = json.loads(json.dumps(mkdocs))  # a deep copy of plain data
    for key in _MKDOCS_ONLY:
        config.pop(key, None)
    theme = dict(config.get("theme") or {})
    theme["custom_dir"] = OVERRIDES
    # Material's look and markup ("modern" is Zensical's new one): drejebog.css and the
    # checklist are written against it.
    theme["variant"] = "classic"
    config["theme"] = theme
    extra = dict(config.get("extra") or {})
    extra.pop(MKDOCS_KEY, None)
    config["extra"] = extra
    config["site_name"] = escape(runbook.meta.title)
    config["nav"] = escaped_nav(navigation(pages))
    config["docs_dir"] = DOCS
    config["site_dir"] = SITE
    if site_url is not None:
        config["site_url"] = site_url
    if edit_url:
        # Every page's edit button opens the data file (overrides/zensical/partials/actions.html).
        extra["drejebog_edit_url"] = edit_url
    return config


# --- the checks -------------------------------------------------------------------


def check_pages(
    pages: Iterable[Page],
    mkdocs: Mapping[str, Any],
    lines: Mapping[str, int],
    data_name: str,
) -> None:
    """The MkDocs build's checks of every generated page (``drejebog.htmlcheck``): its
    slots, and its Markdown as HTML (rendered with mkdocs.yml's extensions). BuildError,
    naming the data file's line, page and task of each problem."""
    extensions, configs = _markdown_extensions(mkdocs.get("markdown_extensions") or [])
    md = markdown.Markdown(extensions=extensions, extension_configs=configs)
    report: list[str] = []
    for page in pages:
        found = slot_problems(page) + page_problems(md.reset().convert(page.content))
        report += [
            f"{data_name}:{lines.get(task, 1) if task else 1}: {page.path}"
            f"{f' (opgaven {task})' if task else ''}: {problem}"
            for task, problem in found
        ]
    if report:
        raise BuildError("\n".join(["Siden indeholder HTML, som ikke er tilladt:", *report]))


def _markdown_extensions(items: list[Any]) -> tuple[list[str], dict[str, Any]]:
    names: list[str] = []
    configs: dict[str, Any] = {}
    for item in items:
        if isinstance(item, Mapping):
            for name, options in item.items():
                names.append(name)
                configs[name] = dict(options or {})
        else:
            names.append(str(item))
    return names, configs


# --- the folder ---------------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    folder: Path  # the build folder
    config: Path  # its zensical.yml
    pages: int  # generated pages written
    changed: int  # files written or removed (0: nothing to rebuild)


def prepare(
    root: Path,
    settings: Settings,
    runbook: Runbook,
    folder: Path,
    *,
    site_url: str | None = None,
) -> Prepared:
    """Write the pages, assets and configuration for a Zensical build into ``folder``.

    ``root`` is the repository (its mkdocs.yml and docs/). Files whose content is the same
    are left alone and files no longer generated are removed, so ``zensical serve``, which
    watches the folder, rebuilds only what changed. BuildError for a folder that would
    overwrite the repository's own files, or a page the checks refuse.
    """
    root = root.resolve()
    folder = folder.resolve()
    docs = root / DOCS
    if folder == root or folder.is_relative_to(docs) or docs.is_relative_to(folder):
        raise BuildError(
            f"{folder}: Zensical bygges i sin egen mappe (fx {BUILD_DIR}), ikke i {docs} "
            "eller en mappe, der indeholder den"
        )
    try:
        mkdocs = read_mkdocs_config(root / "mkdocs.yml")
        links = for_data(settings.repo_url, settings.branch, settings.data, root)
    except ValueError as exc:
        raise BuildError(str(exc)) from None
    site_manifest = manifest(runbook)
    pages = render_site(
        runbook, line_url=links.line_url if links else None, site_manifest=site_manifest
    )
    check_pages(
        pages,
        mkdocs,
        {task.id: task.line for task in runbook.tasks()},
        display_name(root / settings.data),
    )

    wanted: dict[Path, bytes] = {}
    for source in sorted(docs.rglob("*")):
        if source.is_file():
            wanted[Path(DOCS) / source.relative_to(docs)] = source.read_bytes()
    for name in _SHARED_OVERRIDES:
        wanted[Path(OVERRIDES) / name] = (root / OVERRIDES / name).read_bytes()
    for source in sorted((root / _ZENSICAL_OVERRIDES).rglob("*")):
        if source.is_file():
            relative = source.relative_to(root / _ZENSICAL_OVERRIDES)
            wanted[Path(OVERRIDES) / relative] = source.read_bytes()
    for page in pages:
        wanted[Path(DOCS) / page.path] = page.markdown.encode("utf-8")
    wanted[Path(DOCS) / MANIFEST_FILE] = site_manifest.text.encode("utf-8")
    edit_url = links.edit_uri + links.file_uri if links else None
    config = zensical_config(mkdocs, runbook, pages, site_url=site_url, edit_url=edit_url)
    text = json.dumps(config, ensure_ascii=False, indent=1) + "\n"
    wanted[Path(CONFIG_NAME)] = text.encode("utf-8")
    changed = _sync(folder, wanted, keep=(Path(SITE), Path(".cache")))
    return Prepared(folder, folder / CONFIG_NAME, len(pages), changed)


def _sync(folder: Path, wanted: Mapping[Path, bytes], keep: tuple[Path, ...]) -> int:
    """Make ``folder`` hold exactly ``wanted`` (besides the ``keep`` folders); returns how
    many files it wrote or removed."""
    changed = 0
    for relative, content in wanted.items():
        target = folder / relative
        if target.is_file() and target.read_bytes() == content:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        changed += 1
    if folder.is_dir():
        for path in sorted(folder.rglob("*"), reverse=True):
            relative = path.relative_to(folder)
            if any(relative == k or relative.is_relative_to(k) for k in keep):
                continue
            if path.is_file() and relative not in wanted:
                path.unlink()
                changed += 1
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return changed


# --- build and serve ----------------------------------------------------------------


def _zensical(*args: str) -> list[str]:
    return [sys.executable, "-m", "zensical", *args]


def build(prepared: Prepared, *, timeout: float = 600) -> Path:
    """``zensical build`` of a prepared folder, then ``finish``; returns the site folder.
    BuildError with Zensical's own output if it fails."""
    try:
        result = subprocess.run(
            _zensical("build", "--clean", "--strict", "-f", str(prepared.config)),
            cwd=prepared.folder,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BuildError(f"zensical build kunne ikke køre: {exc}") from None
    if result.returncode != 0:
        raise BuildError(f"zensical build fejlede:\n{result.stdout}{result.stderr}".rstrip())
    site = prepared.folder / SITE
    finish(prepared.folder / DOCS, site)
    return site


def finish(docs: Path, site: Path) -> None:
    """After the build, what the MkDocs hook does during it: the permalinks out of the tab
    order (every page the data makes), and comments out of the own scripts and styles."""
    for html in site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        quiet = text.replace(PERMALINK, QUIET_PERMALINK)
        if quiet != text:
            html.write_text(quiet, encoding="utf-8")
    strip_own_assets(docs, site)


def serve(prepared: Prepared, address: str) -> subprocess.Popen[bytes]:
    """``zensical serve`` of a prepared folder, in the background (the caller re-runs
    ``prepare`` when the data changes; Zensical rebuilds what changed)."""
    return subprocess.Popen(
        _zensical("serve", "-a", address, "-f", str(prepared.config)), cwd=prepared.folder
    )
