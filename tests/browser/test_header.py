"""Browser tests of the header's keyboard access and of focus after instant navigation.

Material's menu and search icons are ``<label>``s of hidden checkboxes, which a keyboard
cannot reach; overrides/partials/header.html adds a ``<button>`` beside each (shown with
JavaScript), and docs/assets/checklist/header.js makes them work like a disclosure: the
drawer opens with focus on its first link, which nothing covers, says it is open (``aria-expanded``), closes on
Escape or when focus leaves it, and focus comes back to the button. A closed drawer and a
closed search are hidden (drejebog.css), so their links and fields are no Tab stops. After
instant navigation focus moves to the new page's heading, or to the linked element.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from drejebog import load_runbook
from tests.support.focus import uncovered

# Run against both builds, MkDocs + Material and Zensical (tests/conftest.py).
pytestmark = pytest.mark.zensical

ROOT = Path(__file__).resolve().parents[2]
RUNBOOK = load_runbook(ROOT / "data" / "tasks.yaml")
GROUP = RUNBOOK.groups[0]
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 1024, "height": 768}  # below the drawer's breakpoint, above search's
MENU = "button[data-drb-toggle='drawer']"
SEARCH = "button[data-drb-toggle='search']"
DRAWER = ".md-sidebar--primary"

FOCUSED_IN = "sel => !!document.activeElement && !!document.activeElement.closest(sel)"


def group_url(group) -> str:
    return f"opgaver/{group.id}/"


def focused(page: Page) -> str:
    return page.evaluate(
        "() => document.activeElement ? document.activeElement.outerHTML.slice(0, 80) : ''"
    )


@pytest.mark.parametrize("viewport", [PHONE, TABLET], ids=["390", "1024"])
def test_the_menu_button_opens_the_drawer_by_keyboard_and_focus_comes_back(page: Page, viewport):
    page.set_viewport_size(viewport)
    page.goto(group_url(GROUP))
    menu = page.locator(MENU)
    expect(menu).to_be_visible()
    expect(page.locator("label.md-header__button[for='__drawer']")).to_be_hidden()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_have_accessible_name("Menu")
    box = menu.bounding_box()
    assert box and box["width"] >= 44 and box["height"] >= 44, box
    # Closed: the drawer's links are hidden, so no Tab stops.
    expect(page.locator(f"{DRAWER} a[href]").first).to_be_hidden()

    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    first = page.locator(f"{DRAWER} a[href]").first
    expect(first).to_be_focused()
    expect(first).to_be_in_viewport()
    # Seen, not only in the viewport: no layer of the drawer (Material's sliding section
    # layer, say) lies over it (document.elementFromPoint at its centre hits it).
    stop = uncovered(page, DRAWER)
    assert stop and not stop["problem"], stop
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED_IN, DRAWER), focused(page)

    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    expect(page.locator("#__drawer")).not_to_be_checked()
    expect(page.locator(f"{DRAWER} a[href]").first).to_be_hidden()

    # Focus leaving the open drawer (Shift+Tab from its first link, back to the page)
    # closes it: nothing focused is left under the drawer's overlay.
    page.keyboard.press("Space")
    expect(first).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(page.locator("#__drawer")).not_to_be_checked()
    expect(menu).to_have_attribute("aria-expanded", "false")


def test_the_search_button_opens_search_on_a_phone_and_focus_comes_back(page: Page, generator: str):
    page.set_viewport_size(PHONE)
    page.goto(group_url(GROUP))
    search = page.locator(SEARCH)
    expect(search).to_be_visible()
    expect(search).to_have_accessible_name("Søg")
    if generator == "zensical":
        # Zensical's search is a modal dialog (its own component), opened by the button.
        modal = page.locator("dialog[aria-modal=true]")
        expect(modal).to_be_hidden()
        search.focus()
        page.keyboard.press("Enter")
        expect(modal.get_by_role("combobox")).to_be_focused()
        page.keyboard.press("Escape")
        expect(search).to_be_focused()
        expect(modal).to_be_hidden()
        return
    # Closed: the search field is hidden, so no Tab stop.
    expect(page.locator(".md-search__input")).to_be_hidden()
    expect(page.get_by_role("dialog")).to_have_count(0)

    search.focus()
    page.keyboard.press("Enter")
    field = page.locator(".md-search__input")
    expect(field).to_be_focused()
    expect(field).to_be_visible()
    expect(page.get_by_role("search")).to_be_attached()  # a landmark, never a dialog
    expect(page.get_by_role("dialog")).to_have_count(0)
    page.keyboard.press("Escape")
    expect(search).to_be_focused()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(field).to_be_hidden()


@pytest.mark.parametrize("where", ["", "group"])
def test_the_header_says_the_site_s_name_once(page: Page, where: str):
    """The logo's link names the site; the bar's title (the site's name, or the page's
    title, which the page's h1 says) is not read as well."""
    page.goto(group_url(GROUP) if where else "")
    banner = page.get_by_role("banner").aria_snapshot()
    assert banner.count(RUNBOOK.meta.title) == 1, banner
    if where:
        assert GROUP.title not in banner, banner
    expect(page.get_by_role("link", name=RUNBOOK.meta.title)).to_have_count(1)


def test_instant_navigation_moves_focus_to_the_new_page(page: Page):
    """Focus does not stay on <body> (the old page's place in the tab order): it goes to
    the new page's heading, and a Tab continues from there."""
    page.goto("")
    page.wait_for_load_state("networkidle")  # instant navigation is set up
    link = page.locator(f"article a[href$='{group_url(GROUP)}']").first
    link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(group_url(GROUP)) + "$"))
    heading = page.locator(".md-content h1")
    expect(heading).to_be_focused()
    expect(heading).to_have_accessible_name(GROUP.title)  # the "#" is out of the tree
    page.keyboard.press("Tab")
    # The next stop follows the heading in the page, never the header or the navigation.
    assert page.evaluate(FOCUSED_IN, "article"), focused(page)


def test_instant_navigation_to_a_task_moves_focus_to_the_task(page: Page):
    task = GROUP.tasks[-1]
    page.goto("hvem-kan-hjaelpe/")
    page.wait_for_load_state("networkidle")
    links = page.locator(f"article a[href$='{group_url(GROUP)}#{task.id}']")
    if not links.count():  # the contacts page links to the group's tasks that have helpers
        task = next(t for t in GROUP.tasks if page.locator(f"article a[href$='#{t.id}']").count())
        links = page.locator(f"article a[href$='{group_url(GROUP)}#{task.id}']")
    links.first.click()
    heading = page.locator(f"h2[id='{task.id}']")
    expect(heading).to_be_focused()
    expect(heading).to_be_in_viewport()
