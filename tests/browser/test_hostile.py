"""Hostile markup in every text field of the schema: nothing runs, nothing is fetched.

The data file is generated from src/drejebog/tasks.schema.json (tests/support/schemagen.py), so a
field added to the schema is attacked here without anyone touching this test.
Every free-text field gets script, image, link, attribute-list and template
payloads (cut to the field's maxLength: the dangerous part first); the site is
built with MkDocs and with Zensical, and every page is opened in Chromium, where an alert, a script
error or any request off 127.0.0.1 fails the test (``page_guard``).
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.support import schemagen
from tests.support.sites import built, serve_directory
from tests.support.theme import search_for

# Both builds, MkDocs + Material and Zensical (tests/conftest.py).
pytestmark = pytest.mark.zensical

ROOT = Path(__file__).resolve().parents[2]

# Most dangerous first: short fields keep only the start.
TEXT_PAYLOAD = (
    '<svg onload=alert(1)>"><img src=//evil.example/i.png onerror=alert(2)>'
    "</title><script>alert(3)</script>[klik](javascript:alert(4)) ![b](https://evil.example/b.png) "
    '{: onclick="alert(5)" } <a href="javascript:alert(6)">a</a> *em* _u_ `c` {{ x }} {% raw %} &lt;b&gt; &amp;'
)
MARKDOWN_PAYLOAD = (
    "<script>alert(1)</script> <img src=x onerror=alert(2)>\n\n"
    "[ok](https://example.org/) {: onclick=alert(3) }\n\n"
    "[x]: javascript:alert(4)\n\n[y][x]\n\n"
    "> [z]: https://evil.example/z.png\n>\n> ![z][z]\n\n"
    "   [w]: //evil.example/w\n\n[w] [[[[[[ ]]]]\n\n"
    "<https://evil.example/> `<svg onload=alert(6)>` {{ x }}\n"
)
SHOWN_LITERALLY = "<svg onload=alert(1)>"


def hostile_data() -> dict:
    data, _ = schemagen.full_runbook()
    for path, node in schemagen.text_fields(data):
        payload = MARKDOWN_PAYLOAD if node.get("format") == "markdown" else TEXT_PAYLOAD
        data = schemagen.set_at(data, path, payload[: node.get("maxLength", len(payload))])
    return data


_BUILT: dict[str, Path] = {}


@pytest.fixture
def hostile_site(tmp_path_factory: pytest.TempPathFactory, generator: str) -> Path:
    """The hostile data built by the test's ``generator``, once per build and worker."""
    if generator not in _BUILT:
        folder = tmp_path_factory.mktemp(f"hostile-{generator}")
        source = folder / "tasks.yaml"
        source.write_bytes(schemagen.dump(hostile_data()))
        _BUILT[generator] = built(folder / "site", data=source, generator=generator)
    return _BUILT[generator]


def test_every_text_field_gets_a_payload():
    data = hostile_data()
    fields = schemagen.text_fields(data)
    assert {node.get("format") for _, node in fields} == {None, "markdown"}
    for path, _ in fields:
        value = data
        for step in path:
            value = value[step]
        assert value.startswith(("<svg", "<script")), path


class _Live(HTMLParser):
    """Event handler attributes, script bodies and addresses in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.handlers: list[str] = []
        self.urls: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}>")
            if (
                name in ("href", "src", "action", "formaction", "srcset", "poster", "data")
                and value
            ):
                self.urls.append(value)

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False


def test_no_payload_becomes_markup_in_the_html(hostile_site: Path):
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) >= 5
    for page in pages:
        live = _Live()
        live.feed(page.read_text(encoding="utf-8"))
        assert not live.handlers, (page, live.handlers)
        assert not [u for u in live.urls if "javascript:" in u.lower() or "evil.example" in u], page
        assert not [s for s in live.scripts if "alert(" in s], page


@pytest.mark.browser
def test_nothing_runs_or_loads_on_any_page(hostile_site: Path, page: Page, generator: str):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    pages = sorted(p.relative_to(hostile_site).as_posix() for p in hostile_site.rglob("*.html"))
    with serve_directory(hostile_site) as url:
        for path in pages:
            page.goto(url + path.removesuffix("index.html"))
            expect(page.locator("h1").first).to_be_visible()
            assert (
                page.evaluate(
                    "() => document.querySelectorAll('svg[onload], img[onerror], [onclick]').length"
                )
                == 0
            )
        # The text is shown as text, not dropped: in the heading, the tab title and the navigation.
        group = next(p for p in pages if p.startswith("opgaver/"))
        page.goto(url + group.removesuffix("index.html"))
        expect(page.locator("h1")).to_contain_text(SHOWN_LITERALLY)
        assert SHOWN_LITERALLY in page.title()
        expect(page.locator("nav.md-nav--primary").first).to_contain_text(SHOWN_LITERALLY)
        # Search results print titles as HTML: search for a word of the payload.
        search_for(page, generator, "onload")
        results = (
            page.locator("dialog").get_by_role("listbox")
            if generator == "zensical"
            else page.locator(".md-search-result__list")
        )
        expect(results).to_contain_text(SHOWN_LITERALLY)
        assert (
            page.evaluate(
                "() => document.querySelectorAll('svg[onload], img[onerror], [onclick]').length"
            )
            == 0
        )
    assert dialogs == []
