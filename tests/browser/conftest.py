"""Fixtures of the browser tests: ``site_pages`` (every page of the real build, for the tests
that visit them all), and for the module-level tests (test_checklist_modules,
test_checklist_plan, test_ics) docs/assets/ served as it is, and a blank page of that origin
from which a test imports the checklist's modules (tests/support/modules.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from drejebog import load_runbook
from tests.support.modules import ASSETS, blank_page
from tests.support.sites import serve_directory

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def site_pages(site_dir: Path) -> list[str]:
    """Every page of the build as a URL relative to the site root ("" is home), and 404:
    the home page, the overview and every group of data/tasks.yaml among them."""
    pages = sorted(
        "" if p.parent == site_dir else p.parent.relative_to(site_dir).as_posix() + "/"
        for p in site_dir.rglob("index.html")
    )
    groups = {f"opgaver/{g.id}/" for g in load_runbook(ROOT / "data" / "tasks.yaml").groups}
    assert {"", "overblik/", *groups} <= set(pages), pages
    assert (site_dir / "404.html").is_file()
    return [*pages, "404.html"]


@pytest.fixture(scope="module")
def assets_url() -> Iterator[str]:
    with serve_directory(ASSETS) as url:
        yield url


@pytest.fixture
def blank(page: Page, assets_url: str) -> Page:
    """A blank page at the origin that serves docs/assets/."""
    return blank_page(page, assets_url)
