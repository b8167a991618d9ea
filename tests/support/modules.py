"""The checklist's modules in Chromium without a site: docs/assets/ served as it is (or a
build's assets/), and a blank page of that origin from which a test imports them with
``import("/checklist/NAME.js")``. Used by the module-level tests (test_checklist_modules,
test_checklist_plan, test_ics)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

ASSETS = Path(__file__).resolve().parents[2] / "docs" / "assets"
BLANK = "drb-blank.html"

# JavaScript for a test's prelude: ``memory(options)``, an in-memory localStorage.
# memory({full: true}) hits the quota on setItem, memory({blocked: true}) throws a
# SecurityError on every call (``options`` can be changed afterwards: storage.options).
MEMORY_STORAGE = """
function memory(options = {}) {
    const data = new Map();
    const check = () => { if (options.blocked) throw new DOMException("blocked", "SecurityError"); };
    return {
        data, options,
        get length() { check(); return data.size; },
        key(i) { check(); return [...data.keys()][i] ?? null; },
        getItem(k) { check(); return data.has(k) ? data.get(k) : null; },
        setItem(k, v) {
            check();
            if (options.full) throw new DOMException("full", "QuotaExceededError");
            data.set(k, String(v));
        },
        removeItem(k) { check(); data.delete(k); },
    };
}
"""


def blank_page(page: Page, assets_url: str) -> Page:
    """Open a blank Danish page at ``assets_url``'s origin (the server never sees it)."""
    page.route(
        f"**/{BLANK}",
        lambda route: route.fulfill(
            body='<!doctype html><html lang="da"><title>t</title><link rel="icon" href="data:,">',
            content_type="text/html",
        ),
    )
    page.goto(assets_url + BLANK)
    return page
