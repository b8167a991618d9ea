"""Browser tests of the built site in headless Chromium.

Every test here uses pytest-playwright's ``page``, so ``page_guard`` (conftest)
fails it on any uncaught JavaScript error, console error or request that leaves
127.0.0.1. ``test_every_page_passes_axe_and_stays_on_the_site`` visits every page of the
build (the one crawl of the real site), so every page is checked for those too.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from drejebog import load_runbook
from tests.support.axe import assert_no_violations, axe_violations
from tests.support.theme import search_for

# Run against both builds, MkDocs + Material and Zensical (tests/conftest.py).
pytestmark = pytest.mark.zensical

ROOT = Path(__file__).resolve().parents[2]
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
STATEMENT = "tilgaengelighed/"

# CSS scroll anchoring off, as in Safari.
NO_SCROLL_ANCHORING = """
new MutationObserver((_, observer) => {
  if (!document.head) return;
  const style = document.createElement("style");
  style.textContent = "html, body, * { overflow-anchor: none !important; }";
  document.head.append(style);
  observer.disconnect();
}).observe(document, { childList: true, subtree: true });
"""

# Replaces window.localStorage with a getter that throws, as in a browser
# with blocked site data.
THROWING_STORAGE = """
Object.defineProperty(window, "localStorage", {
  configurable: true,
  get() { throw new DOMException("blocked", "SecurityError"); },
});
"""


@pytest.fixture(scope="module")
def runbook():
    return load_runbook(ROOT / "data" / "tasks.yaml")


def group_url(group_id: str) -> str:
    return f"opgaver/{group_id}/"


# --- every page, once: axe and no third party ------------------------------------


def search_word(runbook) -> str:
    """A word of the first task's title that search must find (letters only, 4+)."""
    words = [w for w in re.findall(r"[^\W\d_]{4,}", runbook.groups[0].tasks[0].title)]
    assert words, runbook.groups[0].tasks[0].title
    return max(words, key=len)


def test_every_page_passes_axe_and_stays_on_the_site(page: Page, site_pages: list[str]):
    """The one crawl of the real site in a browser.

    Every page: zero axe violations, no request leaves 127.0.0.1 (checked here
    and by page_guard), nothing 404s.
    """
    page.set_viewport_size(DESKTOP)
    requests: list[str] = []
    failed: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.url} ({r.status})"))
    problems: list[str] = []
    for url in site_pages:
        response = page.goto(url)
        assert response is not None
        if url != "404.html":
            assert response.ok, f"{url}: HTTP {response.status}"
        page.wait_for_load_state("networkidle")
        problems += axe_violations(page, url or "/")
    assert not problems, f"{len(problems)} axe violation(s):\n" + "\n".join(problems)
    hosts = {urlsplit(u).hostname for u in requests if urlsplit(u).scheme in ("http", "https")}
    assert hosts == {"127.0.0.1"}, hosts
    # The stylesheets and the search index were loaded (the recorder saw real traffic).
    assert any(u.endswith("/assets/drejebog.css") for u in requests)
    assert any(u.endswith(("search_index.json", "/search.json")) for u in requests)
    assert not failed, failed


def largest_group(runbook):
    return max(runbook.groups, key=lambda g: len(g.tasks))


@pytest.mark.parametrize("which", ["home", "group", "statement"])
def test_phone_viewport_passes_axe(page: Page, which: str, runbook):
    url = {"home": "", "group": group_url(largest_group(runbook).id), "statement": STATEMENT}[which]
    page.set_viewport_size(PHONE)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    # The phone layout really is in use: the drawer button replaces the sidebar.
    expect(page.locator("button[data-drb-toggle='drawer']")).to_be_visible()
    assert_no_violations(page, f"{url or '/'} @375px")


def test_accessibility_statement_is_reached_from_the_navigation(page: Page, runbook):
    """The statement page is in the side navigation, right after "Om drejebogen", opens by
    instant navigation and passes axe; it names a contact to report a problem to."""
    page.set_viewport_size(DESKTOP)
    page.goto("om/")
    links = page.locator('.md-sidebar--primary a.md-nav__link:not([href*="#"])')  # no TOC
    names = [n.strip() for n in links.all_inner_texts()]
    assert names[names.index("Om drejebogen") + 1] == "Tilgængelighedserklæring", names
    page.evaluate("window.__marker = 1")
    links.filter(has_text="Tilgængelighedserklæring").click()
    expect(page.locator("h1")).to_have_text(re.compile("^Tilgængelighedserklæring"))
    expect(page).to_have_url(re.compile(STATEMENT + "$"))
    assert page.evaluate("window.__marker") == 1, "not instant navigation"
    official = page.locator(".drb-links li").first
    if runbook.meta.accessibility_statement:
        expect(official.locator("a")).to_have_attribute(
            "href", runbook.meta.accessibility_statement
        )
    else:
        expect(official).to_contain_text("(adressen mangler)")
    for cid in runbook.about.contacts[:1]:
        contact = next(c for c in runbook.contacts if c.id == cid)
        expect(page.locator(".drb-contacts .drb-contact").first).to_contain_text(contact.name)
    assert_no_violations(page, STATEMENT)


def test_open_search_with_results_passes_axe(page: Page, runbook, generator: str):
    page.set_viewport_size(DESKTOP)
    page.goto("")
    search_for(page, generator, search_word(runbook))
    if generator == "mkdocs":
        expect(page.locator(".md-search-result__meta")).to_contain_text("resultat")
        # Search is a landmark, not a dialog (it is no modal one).
        expect(page.get_by_role("search")).to_be_attached()
        expect(page.get_by_role("dialog")).to_have_count(0)
    else:
        # Zensical's search is a modal dialog, in Danish (docs/assets/zensical-search.js).
        dialog = page.locator("dialog[aria-modal=true]")
        expect(dialog).to_have_attribute("aria-label", "Søg")
        expect(dialog.get_by_role("status")).to_contain_text("resultat")
        expect(dialog.get_by_role("button", name="Luk søgning")).to_be_visible()
    assert_no_violations(page, "/ with search open")


# --- without JavaScript -------------------------------------------------------------


def test_group_pages_without_javascript_show_every_task_and_link(
    browser, base_url: str, page_guard, runbook
):
    context = browser.new_context(java_script_enabled=False, base_url=base_url)
    page_guard.watch(context)
    try:
        page = context.new_page()
        for group in runbook.groups:
            page.goto(group_url(group.id))
            assert page.evaluate("typeof document$") == "undefined"  # JS really is off
            expect(page.locator("h1")).to_contain_text(group.title)
            for task in group.tasks:
                section = page.locator(f"section.drb-task[data-task-id='{task.id}']")
                heading = section.locator(f"h2[id='{task.id}']")
                expect(heading).to_be_visible()
                title = heading.evaluate(
                    "h => { const c = h.cloneNode(true);"
                    " c.querySelectorAll('.headerlink').forEach(a => a.remove());"
                    " return c.textContent.trim(); }"
                )
                assert title == task.title, (group.id, task.id)
                expect(section.locator("dl.drb-facts")).to_be_visible()
                shown = section.locator("a, .drb-nolink").evaluate_all(
                    "els => els.map(e => [e.getAttribute('href'), e.textContent.trim(),"
                    " e.checkVisibility()])"
                )
                for link in task.links:
                    # (a link with no address is a visible .drb-nolink: href None)
                    assert [link.url, link.text, True] in shown, (task.id, link, shown)
                # ... and flagged as such.
                missing = [link.text for link in task.links if not link.url]
                flags = section.locator(".drb-nolink + .drb-flag")
                expect(flags).to_have_count(len(missing))
                if missing:
                    expect(flags).to_have_text(["(adressen mangler)"] * len(missing))
    finally:
        context.close()


# --- deep links ----------------------------------------------------------------------


SCROLL_SETTLED = """() => new Promise(resolve => {
  let last = -1, same = 0;
  const tick = () => {
    same = window.scrollY === last ? same + 1 : 0;
    last = window.scrollY;
    same >= 5 ? resolve(null) : requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})"""


def assert_scrolled_to(page: Page, task, first_task) -> None:
    heading = page.locator(f"h2[id='{task.id}']")
    expect(heading).to_be_in_viewport()
    page.evaluate(SCROLL_SETTLED)  # measure where the page comes to rest
    expect(heading).to_be_in_viewport()
    # Not hidden under the sticky header either.
    header = page.locator(".md-header").bounding_box()
    top = heading.bounding_box()["y"]
    assert top >= header["y"] + header["height"] - 1, f"{task.id} under the header: {top}"
    # The page really scrolled: its first task is out of sight.
    expect(page.locator(f"h2[id='{first_task.id}']")).not_to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 200


def test_deep_link_scrolls_task_heading_into_view(page: Page, runbook):
    page.set_viewport_size(DESKTOP)
    group = largest_group(runbook)
    task = group.tasks[-1]  # far down the page: the browser has to scroll
    page.goto(f"{group_url(group.id)}#{task.id}")
    assert_scrolled_to(page, task, group.tasks[0])


def test_task_link_from_contacts_page_scrolls_to_the_task(page: Page, base_url: str, runbook):
    """The same through instant navigation: a click on the contacts page."""
    page.set_viewport_size(DESKTOP)
    group = largest_group(runbook)
    page.goto("hvem-kan-hjaelpe/")
    page.wait_for_load_state("networkidle")  # instant navigation is set up
    for task in reversed(group.tasks[1:]):
        link = page.locator(f"article a[href$='/{group.id}/#{task.id}']")
        if link.count():
            break
    else:
        pytest.fail(f"the contacts page links to no task of {group.id} but the first")
    link.first.click()
    expect(page).to_have_url(f"{base_url}{group_url(group.id)}#{task.id}")
    assert_scrolled_to(page, task, group.tasks[0])


def test_task_link_on_a_slow_network_still_goes_to_the_task(
    page: Page, base_url: str, runbook, generator: str
):
    """Material's instant navigation saves the scroll offset into the current history entry
    100 ms after a scroll; on a slow response that lands on the new page's entry, and Material
    restored the contacts page's offset instead of going to the linked task. The response is
    held until that has happened (the reader scrolls while the page loads), then released.
    Zensical's instant navigation saves no offset while the page loads: the same scroll, and
    the reader must still arrive at the task."""
    page.set_viewport_size(DESKTOP)
    group = largest_group(runbook)
    page.goto("hvem-kan-hjaelpe/")
    page.wait_for_load_state("networkidle")  # instant navigation is set up
    task = next(
        t
        for t in reversed(group.tasks[1:])
        if page.locator(f"article a[href$='/{group.id}/#{t.id}']").count()
    )
    held = []
    page.route(f"**/{group_url(group.id)}", lambda route: held.append(route))
    page.locator(f"article a[href$='/{group.id}/#{task.id}']").first.click()
    expect(page).to_have_url(f"{base_url}{group_url(group.id)}#{task.id}")  # pushed
    page.mouse.wheel(0, -120)
    if generator == "mkdocs":
        page.wait_for_function("history.state !== null")  # the old offset, on the new entry
    assert len(held) == 1, "the page's request was not held"
    held[0].continue_()
    expect(page.locator(f"h2[id='{task.id}'] .drb-check")).to_be_visible()  # enhanced
    assert_scrolled_to(page, task, group.tasks[0])


def test_deep_link_stays_in_view_when_the_checklist_enhances_late(page: Page, runbook):
    """The checklist shows a status row under every task heading; when it does so after
    the browser has scrolled to a linked task (a slow phone, a loaded machine), the task
    must not be pushed out of view. Scroll anchoring is off, as in Safari, which has
    none: Chromium's own would hide the fault."""
    page.set_viewport_size(DESKTOP)
    page.add_init_script(NO_SCROLL_ANCHORING)
    group = largest_group(runbook)
    task = group.tasks[-1]
    held = []
    page.route("**/assets/checklist/task.js", lambda route: held.append(route))
    with page.expect_request("**/assets/checklist/task.js"):
        page.goto(f"{group_url(group.id)}#{task.id}")
    heading = page.locator(f"h2[id='{task.id}']")
    expect(heading).to_be_in_viewport()  # the browser scrolled; the checklist waits
    expect(page.locator("html.drb-js")).to_have_count(0)
    assert held, "task.js was requested but not held"
    held[0].continue_()
    expect(page.locator("html.drb-js")).to_have_count(1)
    assert_scrolled_to(page, task, group.tasks[0])


def test_deep_link_holds_when_the_checklist_loads_late(page: Page, runbook):
    """A task's address opened while the checklist's code is still on its way (a slow phone,
    a loaded machine): the theme saves the page's first offset, 0,0, before the browser goes
    to the task. Zensical then restored that offset and showed the top of the page; init.js
    drops such an offset. Held until the theme has saved it."""
    page.set_viewport_size(DESKTOP)
    group = largest_group(runbook)
    task = group.tasks[-1]
    held = []
    page.route("**/assets/checklist/init.js", lambda route: held.append(route))
    with page.expect_request("**/assets/checklist/init.js"):
        page.goto(f"{group_url(group.id)}#{task.id}", wait_until="commit")
    page.wait_for_function("history.state !== null")  # the first offset is saved
    assert held, "init.js was requested but not held"
    held[0].continue_()
    expect(page.locator("html.drb-js")).to_have_count(1)
    assert_scrolled_to(page, task, group.tasks[0])


# --- storage that throws ----------------------------------------------------------------


@pytest.mark.parametrize("which", ["home", "group"])
def test_site_works_when_local_storage_throws(page: Page, which: str, runbook, generator: str):
    url = "" if which == "home" else group_url(runbook.groups[0].id)
    page.set_viewport_size(DESKTOP)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.add_init_script(THROWING_STORAGE)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    # The init script is in force: touching localStorage throws.
    probe = "() => { try { window.localStorage; return 'no error'; } catch (e) { return e.name; } }"
    assert page.evaluate(probe) == "SecurityError"
    # The theme's storage helpers (used by palette, tabs, consent ...) are guarded
    # (overrides/partials/javascripts/base.html, overrides/zensical/partials/javascripts/).
    assert page.evaluate("() => __md_get('__drb_probe')") is None
    page.evaluate("() => __md_set('__drb_probe', 1)")
    # Search still opens and finds something.
    search_for(page, generator, search_word(runbook))
    assert not errors, errors
