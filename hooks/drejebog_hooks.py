"""MkDocs adapter: generate the runbook's pages from data/tasks.yaml.

All logic lives in the ``drejebog`` package (src/), which never imports MkDocs;
this module only translates between it and MkDocs' build events:

* ``on_config`` (first event of every build, also on each ``mkdocs serve``
  rebuild) loads and validates the data, turns data errors into one clean
  ``PluginError`` and sets the navigation;
* ``on_files`` adds the rendered pages as generated files.
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

# Tests build other data files (a reordered runbook, hostile text) through this variable.
DATA = os.environ.get("DREJEBOG_DATA", "data/tasks.yaml")

_pages: list[Page] = []


def on_config(config: MkDocsConfig, **_: Any) -> MkDocsConfig:
    root = Path(config.config_file_path).parent
    try:
        runbook = load_runbook(root / DATA)
    except DataErrors as exc:
        raise PluginError(exc.report()) from None
    log.info(find_gaps(runbook).summary())
    _pages[:] = render_site(runbook)
    config.nav = navigation(_pages)
    config.site_name = runbook.meta.title
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    for page in _pages:
        existing = files.get_file_from_path(page.path)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, page.path, content=page.content))
    return files
