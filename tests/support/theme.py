"""What differs between the two builds' themes, for the browser tests that run on both
(Material for MkDocs, and Zensical: tests/conftest.py's ``generator``)."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def search_for(page: Page, generator: str, word: str) -> None:
    """Open the theme's search from its field or button, type ``word``, wait for a result.

    Material's search is a field in the header; Zensical's a button that opens a modal
    dialog (its own component, in a shadow root, which Playwright's locators reach)."""
    if generator == "zensical":
        page.locator(".md-search__button").click()
        dialog = page.locator("dialog[aria-modal=true]")
        expect(dialog.get_by_role("combobox")).to_be_focused()
        page.keyboard.type(word)
        expect(dialog.get_by_role("listbox").get_by_role("option").first).to_be_visible()
    else:
        page.locator(".md-search__input").click()
        expect(page.locator("#__search")).to_be_checked()
        page.keyboard.type(word)
        expect(page.locator(".md-search-result__item").first).to_be_visible()
