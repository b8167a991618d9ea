"""Fixtures of the module-level browser tests (test_checklist_modules, test_checklist_plan,
test_ics): docs/assets/ served as it is, and a blank page of that origin from which a test
imports the checklist's modules (tests/support/modules.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from tests.support.modules import ASSETS, blank_page
from tests.support.sites import serve_directory


@pytest.fixture(scope="module")
def assets_url() -> Iterator[str]:
    with serve_directory(ASSETS) as url:
        yield url


@pytest.fixture
def blank(page: Page, assets_url: str) -> Page:
    """A blank page at the origin that serves docs/assets/."""
    return blank_page(page, assets_url)
