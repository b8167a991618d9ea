"""MkDocs adapter: generate the runbook's pages from data/tasks.yaml.

All logic lives in the ``drejebog`` package (src/), which never imports MkDocs;
this module only translates between it and MkDocs' build events:

* ``on_config`` (first event of every build, also on each ``mkdocs serve``
  rebuild) loads and validates the data, turns data errors into one clean
  ``PluginError`` and sets the navigation;
* ``on_files`` adds the rendered pages as generated files, with edit links
  that open data/tasks.yaml (generated pages have none by default).

Environment:
  DREJEBOG_DATA       another data file (tests build hostile and reordered data)
  DREJEBOG_REPO_URL   the GitHub repository, e.g. https://github.com/org/drejebog;
                      when set, pages get edit links (Material's edit button) and
                      each task links to its own line of the data file.
                      Not `repo_url`: that makes every page call GitHub's API.
  DREJEBOG_BRANCH     the branch edit links point at (default: main)
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

_SRC = Path(__file__).resolve().parents[1] / "src"
if str(_SRC) not in sys.path:
    sys.path.insert(0, str(_SRC))

from drejebog import DataErrors, load_runbook  # noqa: E402
from drejebog.gaps import find_gaps  # noqa: E402
from drejebog.render import Page, navigation, render_site  # noqa: E402

log = logging.getLogger("mkdocs.hooks.drejebog")

_pages: list[Page] = []
_data_path: list[str] = []


def on_config(config: MkDocsConfig, **_: Any) -> MkDocsConfig:
    root = Path(config.config_file_path).parent
    data = (root / os.environ.get("DREJEBOG_DATA", "data/tasks.yaml")).resolve()
    try:
        runbook = load_runbook(data)
    except DataErrors as exc:
        raise PluginError(exc.report()) from None
    log.info(find_gaps(runbook).summary())

    data_in_repo = data.relative_to(root.resolve()).as_posix() if data.is_relative_to(root.resolve()) else None
    repo = os.environ.get("DREJEBOG_REPO_URL", "").rstrip("/")
    branch = os.environ.get("DREJEBOG_BRANCH", "main")
    line_url = f"{repo}/blob/{branch}/{data_in_repo}#L{{line}}" if repo and data_in_repo else None
    if repo and data_in_repo:
        config.edit_uri = f"{repo}/edit/{branch}/"
    _data_path[:] = [data_in_repo] if repo and data_in_repo else []

    _pages[:] = render_site(runbook, line_url=line_url)
    config.nav = navigation(_pages)
    config.site_name = runbook.meta.title
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    for page in _pages:
        existing = files.get_file_from_path(page.path)
        if existing is not None:
            files.remove(existing)
        file = File.generated(config, page.path, content=page.content)
        file.edit_uri = _data_path[0] if _data_path else None
        files.append(file)
    return files
