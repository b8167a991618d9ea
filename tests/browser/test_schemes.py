"""Browser tests of the colour schemes: light (Material's ``default``) and dark (``slate``).

mkdocs.yml's ``theme.palette``: a first visit follows the device's preference
(``prefers-color-scheme``), the header's toggle cycles through fixed dark, fixed light and
the device's again, and Material remembers the choice in localStorage under its own key (``<site path>.__palette``), beside, never inside, the
checklist's value. The site's own
styles take their colours from the theme's and the ``--drb-*`` variables, which
drejebog.css redefines for slate on screen only, so paper is always dark on white.

Every page of the build is checked with axe in both schemes with the checklist in use
(ticks, a note, a task changed since it was ticked, an opening date so that the dates and
the timeline show, a folded phase of the overview opened). Colours are read from the
page (``getComputedStyle``) and judged by WCAG's contrast formula.

``DREJEBOG_SCREENSHOTS=/some/folder`` makes the axe test also save full-page screenshots
of the home page, a group page and the overview in each scheme, at 1280 and 390 px.
"""

from __future__ import annotations

import colorsys
import json
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.test_checklist import (
    KEY,
    OPEN_DIALOG,
    PANEL,
    RUNBOOK,
    entry,
    group_url,
    wait_enhanced_group,
    wait_enhanced_home,
)
from tests.browser.test_checklist_practice import TODAY
from tests.browser.test_overview import (
    KIND,
    OVERVIEW,
    applies,
    fold_button,
    mixed_statuses,
    preset,
    with_date,
)
from tests.support.axe import assert_no_violations, axe_violations, settle
from tests.support.theme import search_for

# Run against both builds, MkDocs + Material and Zensical (tests/conftest.py).
pytestmark = pytest.mark.zensical

SCHEMES = {"light": "default", "dark": "slate"}  # the device's preference -> Material's scheme
# The toggle's name in each of mkdocs.yml's palette entries, the order it cycles in.
TOGGLE = {
    "auto": "Følger enhedens tema. Skift til fast mørkt tema",
    "slate": "Skift til lyst tema",
    "default": "Følg enhedens tema",
}
PALETTE_KEY = "/.__palette"  # Material's __md_set: the site root's pathname + "." + key
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SHOTS = os.environ.get("DREJEBOG_SCREENSHOTS")

ACTIONABLE = [t for g in RUNBOOK.groups for t in g.actionable]
GROUPS = {group_url(g): g for g in RUNBOOK.groups}
# Each group's first task that applies to the stored type of practice (with_date()): shown
# in full, not folded as "Gælder ikke for jer". It gets a note.
NOTED = {
    url: next(t for t in g.actionable if applies(t, KIND))
    for url, g in GROUPS.items()
    if any(applies(t, KIND) for t in g.actionable)
}
NOTE = "Ring mandag"


# --- colours ------------------------------------------------------------------------------

_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?"


def parse_colour(text: str) -> tuple[float, float, float, float]:
    """A computed CSS colour as (r, g, b, alpha), r/g/b 0-255: ``rgb()``/``rgba()`` and, for
    ``color-mix()`` results, ``color(srgb r g b [/ a])`` (0-1)."""
    numbers = [float(n) for n in re.findall(_NUMBER, text)]
    if text.startswith("rgb"):
        r, g, b, *a = numbers
        return r, g, b, a[0] if a else 1.0
    if text.startswith("color(srgb"):
        r, g, b, *a = numbers
        return r * 255, g * 255, b * 255, a[0] if a else 1.0
    raise AssertionError(f"unexpected computed colour {text!r}")


def over(top: tuple, below: tuple) -> tuple[float, float, float, float]:
    """``top`` composited over an opaque ``below``."""
    alpha = top[3]
    return (*(alpha * t + (1 - alpha) * b for t, b in zip(top[:3], below[:3], strict=True)), 1.0)


def luminance(colour: tuple) -> float:
    def channel(v: float) -> float:
        v /= 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in colour[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple, b: tuple) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def is_red(colour: tuple) -> bool:
    """Hue within 20 degrees of red, clearly saturated."""
    h, _, s = colorsys.rgb_to_hls(*(v / 255 for v in colour[:3]))
    return (h <= 20 / 360 or h >= 340 / 360) and s >= 0.4


STYLE = """(el) => { const s = getComputedStyle(el); return {
    color: s.color, background: s.backgroundColor, border: s.borderTopColor,
    outline: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth), outlineColor: s.outlineColor,
}; }"""


def style(page: Page, selector: str) -> dict:
    return page.locator(selector).first.evaluate(STYLE)


def page_background(page: Page) -> tuple:
    return parse_colour(style(page, "body")["background"])


# --- the checklist in use -----------------------------------------------------------------


def in_use() -> dict:
    """Every status somewhere, a note on each group's first applying task (NOTED), and one
    ticked task whose text has changed since (its stored hash is another): the "Opdateret"
    notice."""
    statuses = mixed_statuses()
    notes = {t.id for t in NOTED.values()}
    tasks = {}
    for task in ACTIONABLE:
        status = statuses.get(task.id, "todo")
        if status != "todo" or task.id in notes:
            tasks[task.id] = entry(task, status, note=NOTE if task.id in notes else None)
    changed = next(t for t in ACTIONABLE if statuses.get(t.id) == "done")
    tasks[changed.id] = {**entry(changed, "done"), "hash": "tidligere"}
    return tasks


def scheme_context(new_context, page_guard, scheme: str, **options) -> BrowserContext:
    """A context whose device prefers ``scheme``, in Copenhagen's time zone."""
    context = new_context(color_scheme=scheme, timezone_id="Europe/Copenhagen", **options)
    page_guard.watch(context)
    return context


def checklist_page(context: BrowserContext) -> Page:
    """A page of ``context`` with the checklist in use and the clock at TODAY 10:00."""
    page = context.new_page()
    page.clock.set_fixed_time(f"{TODAY.isoformat()}T10:00:00+01:00")
    preset(page, in_use(), with_date(name="Lægehuset Nord"))
    return page


def use_page(page: Page, url: str) -> None:
    """Open ``url`` and wait until the checklist shows its state (on pages that have it)."""
    response = page.goto(url)
    assert response is not None and (response.ok or url == "404.html"), url
    if url == "":
        wait_enhanced_home(page)
        expect(page.locator('[data-drb-module="practice"]:not([hidden])')).to_be_visible()
    elif url == "overblik/":
        expect(page.locator(f"{OVERVIEW} form.drb-filters")).to_be_visible()
        expect(page.get_by_role("list", name="Tidslinje")).to_be_visible()
        fold = fold_button(page, "faerdig")  # a folded phase (the test's ticks make one)
        fold.click()
        expect(fold).to_have_attribute("aria-expanded", "true")
    elif url in GROUPS:
        wait_enhanced_group(page, GROUPS[url])
        if url in NOTED:  # the noted task's status select and note
            noted = page.locator(f'section[data-task-id="{NOTED[url].id}"]')
            noted.locator("button.drb-work-toggle").click()
            expect(noted.locator("textarea.drb-note")).to_have_value(NOTE)
    else:
        page.wait_for_load_state("networkidle")


def screenshot(page: Page, url: str, scheme: str) -> None:
    name = {"": "home", "overblik/": "overview"}.get(url, "group")
    folder = Path(SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    for width, viewport in ((1280, DESKTOP), (390, PHONE)):
        page.set_viewport_size(viewport)
        page.screenshot(path=folder / f"{name}-{scheme}-{width}.png", full_page=True)
    page.set_viewport_size(DESKTOP)


# --- the scheme and the toggle --------------------------------------------------------------


def expect_scheme(page: Page, scheme: str, choice: str | None = None) -> None:
    """The page shows ``scheme``, and the toggle of ``choice`` (default: that scheme)."""
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", scheme)
    toggle = page.locator(f'.md-header__option label[title="{TOGGLE[choice or scheme]}"]')
    expect(toggle).to_be_visible()


def click_toggle(page: Page, choice: str) -> None:
    page.locator(f'.md-header__option label[title="{TOGGLE[choice]}"]').click()


@pytest.mark.parametrize("preferred", SCHEMES)
def test_a_first_visit_follows_the_device_and_the_toggle_is_remembered(
    new_context, page_guard, preferred: str
):
    """A fresh visit follows the device's scheme, also when the device changes it (at dusk);
    the header's toggle (a 44 px target on a phone) cycles through dark, light and the
    device's again; a fixed choice outlives a reload and a device change, under Material's
    own key, leaving the checklist's value as it was."""
    context = scheme_context(new_context, page_guard, preferred, viewport=PHONE)
    page = checklist_page(context)
    page.goto("")
    wait_enhanced_home(page)
    scheme = SCHEMES[preferred]
    other_preference = "light" if preferred == "dark" else "dark"
    other = SCHEMES[other_preference]
    expect_scheme(page, scheme, "auto")
    checklist = page.evaluate("k => localStorage.getItem(k)", KEY)
    assert json.loads(checklist)["tasks"] == in_use()
    page.emulate_media(color_scheme=other_preference)
    expect_scheme(page, other, "auto")
    page.emulate_media(color_scheme=preferred)
    expect_scheme(page, scheme, "auto")

    toggle = page.locator(f'.md-header__option label[title="{TOGGLE["auto"]}"]')
    box = toggle.bounding_box()
    assert box and box["width"] >= 44 and box["height"] >= 44, box
    click_toggle(page, "auto")
    expect_scheme(page, "slate")
    page.emulate_media(color_scheme="light")  # a fixed choice does not follow the device
    page.reload()
    wait_enhanced_home(page)
    expect_scheme(page, "slate")
    stored = page.evaluate("() => Object.fromEntries(Object.entries(localStorage))")
    assert set(stored) == {KEY, PALETTE_KEY}, sorted(stored)
    assert json.loads(stored[PALETTE_KEY])["color"]["scheme"] == "slate"
    assert stored[KEY] == checklist

    click_toggle(page, "slate")
    expect_scheme(page, "default")
    page.emulate_media(color_scheme="dark")
    expect_scheme(page, "default")
    # Back to following the device, and a new page of the site follows it too.
    page.emulate_media(color_scheme=preferred)
    click_toggle(page, "default")
    expect_scheme(page, scheme, "auto")
    page.goto("overblik/")
    expect(page.locator(f"{OVERVIEW} form.drb-filters")).to_be_visible()
    expect_scheme(page, scheme, "auto")
    page.emulate_media(color_scheme=other_preference)
    expect_scheme(page, other, "auto")


# --- every page in both schemes -------------------------------------------------------------


@pytest.mark.parametrize("preferred", SCHEMES)
def test_every_page_passes_axe_in_both_schemes_with_the_checklist_in_use(
    new_context, page_guard, site_pages: list[str], preferred: str, generator: str
):
    context = scheme_context(new_context, page_guard, preferred, viewport=DESKTOP)
    page = checklist_page(context)
    problems: list[str] = []
    for url in site_pages:
        use_page(page, url)
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[preferred])
        problems += axe_violations(page, f"{url or '/'} ({preferred})")
        if SHOTS and url in ("", "overblik/", group_url(RUNBOOK.groups[0])):
            screenshot(page, url, preferred)
    # Search results (Material's highlight uses the accent colour), in a context without
    # the fixed clock (which is the whole context's; the results would not show).
    page = scheme_context(new_context, page_guard, preferred, viewport=DESKTOP).new_page()
    page.goto("")
    search_for(page, generator, max(re.findall(r"[^\W\d_]{4,}", ACTIONABLE[0].title), key=len))
    problems += axe_violations(page, f"/ with search results ({preferred})")
    assert not problems, f"{len(problems)} axe violation(s):\n" + "\n".join(problems)


# --- paper ----------------------------------------------------------------------------------


def test_printing_in_the_dark_scheme_is_dark_on_white(new_context, page_guard):
    context = scheme_context(new_context, page_guard, "dark", viewport=DESKTOP)
    page = checklist_page(context)
    url, task = next(iter(NOTED.items()))
    page.goto(url)
    wait_enhanced_group(page, GROUPS[url])
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    settle(page)
    card = f'section.drb-task[data-task-id="{task.id}"]'
    parts = {
        "body": "body",
        "text": f"{card} :is(.drb-text p, dd)",
        "card": card,
        "title": f"{card} > h2",
        "status": f"{card} .drb-status",
    }
    # On screen: light text on a dark page and dark cards.
    page_bg = page_background(page)
    assert luminance(page_bg) < 0.05, page_bg
    assert luminance(parse_colour(style(page, card)["background"])) < 0.05

    page.emulate_media(media="print")
    settle(page)
    white = (255.0, 255.0, 255.0, 1.0)
    assert parse_colour(style(page, "body")["background"]) == white
    assert parse_colour(style(page, card)["background"]) == white
    for name, selector in parts.items():
        text = over(parse_colour(style(page, selector)["color"]), white)
        assert luminance(text) < 0.1 and contrast(text, white) >= 7, (name, text)
    # Native controls follow color-scheme: a checkbox would be painted dark without it.
    checkbox = page.locator(f"{card} input.drb-check")
    assert checkbox.evaluate("e => getComputedStyle(e).colorScheme") == "light"


# --- "Nulstil" ------------------------------------------------------------------------------


@pytest.mark.parametrize("preferred", SCHEMES)
def test_reset_looks_destructive_in_both_schemes(new_context, page_guard, preferred: str):
    """ "Nulstil" is red (text and border, not filled), unlike "Eksportér", readable, a 44 px
    target on a phone with a visible keyboard focus; the reset dialog's confirm button is
    filled red; neither changes anything until confirmed."""
    context = scheme_context(new_context, page_guard, preferred, viewport=PHONE)
    page = checklist_page(context)
    page.goto("")
    wait_enhanced_home(page)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[preferred])
    settle(page)  # a first visit switches to the device's scheme: Material fades the buttons
    page_bg = page_background(page)
    reset_button = page.locator(f"{PANEL} button.drb-reset")
    reset = style(page, f"{PANEL} button.drb-reset")
    export = style(page, f"{PANEL} button.drb-export")
    colour = parse_colour(reset["color"])
    assert is_red(colour), reset
    assert not is_red(parse_colour(export["color"])) and export["color"] != reset["color"]
    assert reset["border"] == reset["color"], reset  # a red outline
    assert parse_colour(reset["background"])[3] == 0, reset  # not filled
    assert contrast(colour, page_bg) >= 4.5, (colour, page_bg)
    box = reset_button.bounding_box()
    assert box and box["width"] >= 44 and box["height"] >= 44, box

    # Keyboard focus: an outline that stands out from the page (>= 3:1).
    page.locator(f"{PANEL} button.drb-share").focus()
    page.keyboard.press("Tab")
    expect(reset_button).to_be_focused()
    settle(page)
    focused = style(page, f"{PANEL} button.drb-reset")
    assert focused["outline"] == "solid" and focused["outlineWidth"] >= 2, focused
    assert contrast(parse_colour(focused["outlineColor"]), page_bg) >= 3, focused

    before = page.evaluate("k => localStorage.getItem(k)", KEY)
    page.keyboard.press("Enter")
    dialog = page.locator(OPEN_DIALOG)
    expect(dialog).to_be_visible()
    settle(page)
    confirm = style(page, f"{OPEN_DIALOG} button.drb-confirm")
    cancel = style(page, f"{OPEN_DIALOG} button.drb-cancel")
    filled = parse_colour(confirm["background"])
    assert is_red(filled) and filled[3] == 1, confirm
    assert contrast(parse_colour(confirm["color"]), filled) >= 4.5, confirm
    assert not is_red(parse_colour(cancel["color"])), cancel
    assert_no_violations(page, f"reset dialog ({preferred}) @390px")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    assert page.evaluate("k => localStorage.getItem(k)", KEY) == before
