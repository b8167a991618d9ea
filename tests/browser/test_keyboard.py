"""Keyboard-only use of the built site (WCAG 2.2 AA; issue 12), in headless Chromium.

* Every page of the build, at 1280×800 and 390×844 (phone), with the device preferring the
  light and the dark scheme (the site follows it), with the checklist in use (test_schemes'
  ``in_use()``: ticks, notes, an opening date so that dates show, a folded phase opened), is
  tabbed through from the top with Tab and from the end with Shift+Tab. Every stop must be
  (a) in view, (b) not under a fixed or sticky element, (c) visibly focused and (d) named;
  tests/support/focus.py defines each check. Rendered controls that no key can reach
  (Material's menu button is a ``<label>``) are reported as (k), a focus trap as (t).
* The closed navigation drawer and the closed search hold no tab stop (1024 px: below
  Material's 76.25em breakpoint, where the navigation is a drawer).
* The open drawer on a phone (390 px), opened from the menu button on every page: each of its
  tab stops is seen where it is, not hidden under another of its layers (Material's sliding
  section layer once lay over the top level, whose links still took the focus).
* The live regions are in the accessibility tree before their first message: a region that
  is ``display: none`` until it has text is not watched by screen readers, so its first
  message is lost.
* The checklist's modal dialogs (reset, import, share link) keep their messages inside them
  (the page behind a modal dialog is inert: what is written there is neither seen nor
  announced), do not start on the button that changes data, and give the focus back to what
  opened them when closed with Escape or their cancel button.

Every test collects all the problems it finds into one assertion message, so one run
lists what there is to fix. Counts and names come from the pages and the data, never from
this file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.test_checklist import OPEN_DIALOG, PANEL, SMALL, group_url, wait_enhanced_home
from tests.browser.test_overview import OVERVIEW, preset, with_date
from tests.browser.test_overview import URL as OVERVIEW_URL
from tests.browser.test_schemes import (
    DESKTOP,
    GROUPS,
    PHONE,
    SCHEMES,
    in_use,
    scheme_context,
    use_page,
)
from tests.support.axe import settle
from tests.support.focus import (
    BACKWARD,
    FORWARD,
    START_AT,
    AccessibleNames,
    ax_node,
    ax_summary,
    page_report,
    pointer_only_controls,
    tab_through,
    tab_within,
)

# Run against both builds, MkDocs + Material and Zensical (tests/conftest.py).
pytestmark = pytest.mark.zensical

VIEWPORTS = {"1280x800": DESKTOP, "390x844": PHONE}
# Below Material's 76.25em (1220 px) the primary navigation is an off-canvas drawer.
TABLET = {"width": 1024, "height": 768}
DRAWER_BUTTON = 'button[data-drb-toggle="drawer"]'
DRAWER = ".md-sidebar--primary"
LIVE = '[aria-live]:not([aria-live="off"]), [role="status"], [role="alert"], [role="log"], output'


def keyboard_page(context: BrowserContext) -> Page:
    """A page of ``context`` with the checklist in use (test_schemes' ``in_use()``: every
    status, notes, a changed task; an opening date, so that dates and the timeline show).

    The clock is the real one: a fixed ``page.clock`` time freezes ``Date.now()``, and with
    it RxJS's ``debounceTime`` in Material's code, which then never opens the search when
    its field gets the focus."""
    page = context.new_page()
    preset(page, in_use(), with_date(name="Lægehuset Nord"))
    return page


# --- 1. every page, both ways, both widths, both schemes ----------------------------------

PARTS = 2  # each width's pages in this many tests, for pytest-xdist


def page_file(built_site: Path, url: str) -> Path:
    return built_site / (url if url.endswith(".html") else url + "index.html")


def pages_part(built_site: Path, pages: list[str], part: int) -> list[str]:
    """The ``part``-th of PARTS groups of ``pages`` with about as many tab stops each, by the
    focusable tags in each built page (largest first into the lightest group)."""
    weight = {
        url: len(
            re.findall(
                r"<(?:a|button|input|select|textarea)\b|tabindex=",
                page_file(built_site, url).read_text(encoding="utf-8"),
            )
        )
        for url in pages
    }
    groups: list[list[str]] = [[] for _ in range(PARTS)]
    for url in sorted(pages, key=lambda u: -weight[u]):
        min(groups, key=lambda g: sum(weight[u] for u in g)).append(url)
    return sorted(groups[part])


@pytest.mark.parametrize("part", range(PARTS), ids=lambda p: f"pages{p + 1}of{PARTS}")
@pytest.mark.parametrize("size", VIEWPORTS)
def test_every_page_can_be_used_with_tab_and_shift_tab(
    new_context, page_guard, built_site: Path, site_pages: list[str], size: str, part: int
):
    """Tab from the top and Shift+Tab from the end of every page until the focus leaves
    it, with the device preferring the light and then the dark scheme (the page follows the
    change): every stop is in view, not under the header, "Tilbage til start" or another
    fixed element, visibly focused and named, no visible control is out of the keyboard's
    reach and there is no focus trap. One message lists every problem of every page, each
    element once with the passes (direction, scheme) it was found in."""
    pages = pages_part(built_site, site_pages, part)
    context = scheme_context(new_context, page_guard, "light", viewport=VIEWPORTS[size])
    page = keyboard_page(context)
    names = AccessibleNames(context.new_cdp_session(page))
    reports: list[str] = []
    for url in pages:
        page.emulate_media(color_scheme="light")
        use_page(page, url)
        names.reset()  # a new page load: its elements are numbered afresh
        unreachable = pointer_only_controls(page)
        passes = []
        for preferred, scheme in SCHEMES.items():
            page.emulate_media(color_scheme=preferred)
            expect(page.locator("body")).to_have_attribute("data-md-color-scheme", scheme)
            settle(page)
            for direction in (FORWARD, BACKWARD):
                result = tab_through(page, names, direction)
                assert result.stops, f"{url or '/'}: {direction}: Tab reached no element at all"
                result.condition = preferred
                passes.append(result)
        report = page_report(f"{url or '/'} @{size}", passes, unreachable)
        if report:
            reports.append(report)
    assert not reports, (
        f"keyboard problems on {len(reports)} of these {len(pages)} pages @{size} "
        f"(light and dark):\n\n" + "\n\n".join(reports)
    )


# --- 2. the closed drawer and the closed search ---------------------------------------------


def test_closed_drawer_and_closed_search_hold_no_tab_stop(new_context, page_guard):
    """At 1024 px the primary navigation is a drawer: while ``#__drawer`` is unchecked no Tab
    or Shift+Tab stop is inside ``.md-sidebar--primary``, and while ``#__search`` is unchecked
    none is inside ``.md-search__output``."""
    context = scheme_context(new_context, page_guard, "light", viewport=TABLET)
    page = keyboard_page(context)
    url = group_url(SMALL)
    use_page(page, url)
    expect(page.locator(DRAWER_BUTTON)).to_be_visible()  # the drawer layout is in use
    found: list[str] = []
    for direction in (FORWARD, BACKWARD):
        result = tab_through(page, None, direction)
        assert result.stops, f"{url}: {direction}: Tab reached no element at all"
        found += [f"[{direction}] {t}" for t in result.trouble]
        for number, stop in enumerate(result.stops, 1):
            info = stop.info
            if info["inPrimary"] and not info["drawerOpen"]:
                found.append(
                    f"[{direction}] stop {number}: {stop.desc} is in .md-sidebar--primary "
                    f"while #__drawer is unchecked (the drawer is closed)"
                )
            if info["inSearchOutput"] and not info["searchOpen"]:
                found.append(
                    f"[{direction}] stop {number}: {stop.desc} is in .md-search__output "
                    f"while #__search is unchecked (the search is closed)"
                )
    assert not found, (
        f"{url} @1024x768: {len(found)} tab stop(s) in a closed drawer or search:\n  "
        + "\n  ".join(found)
    )


def test_every_tab_stop_of_the_open_drawer_is_seen_on_a_phone(
    new_context, page_guard, site_pages: list[str]
):
    """At 390 px, on every page of the build (the home page, the overview, each group of
    data/tasks.yaml, the contacts page and the rest), the drawer opened from the menu
    button by keyboard is tabbed through from its first stop until the focus leaves it or
    wraps: every stop is rendered, in the viewport and uncovered (``document.elementFromPoint``
    at its centre is the element or inside it; tests/support/focus.py ``uncovered``), and
    every group's page is one of the stops (the drawer leads to all of them)."""
    context = scheme_context(new_context, page_guard, "light", viewport=PHONE)
    page = keyboard_page(context)
    groups = {address: group.title for address, group in GROUPS.items()}
    reports: list[str] = []
    for url in site_pages:
        use_page(page, url)
        menu = page.locator(DRAWER_BUTTON)
        menu.focus()
        page.keyboard.press("Enter")
        expect(menu).to_have_attribute("aria-expanded", "true")
        expect(page.locator(f"{DRAWER} a[href]").first).to_be_focused()
        stops, problems = tab_within(page, DRAWER)
        reached = {s["href"].split("#")[0] for s in stops if s["href"]}
        problems += [
            f"the group {title!r} ({address}) is no stop of the drawer"
            for address, title in groups.items()
            if not any(href.endswith("/" + address) for href in reached)
        ]
        if problems:
            reports.append(
                f"{url or '/'} @390x844 ({len(stops)} stops): {len(problems)} problem(s):\n    "
                + "\n    ".join(problems)
            )
    assert not reports, (
        f"the open drawer hides the focus on {len(reports)} of {len(site_pages)} pages:\n\n"
        + "\n\n".join(reports)
    )


# --- 3. live regions before their first message ---------------------------------------------


def test_live_regions_are_in_the_accessibility_tree_before_their_first_message(
    new_context, page_guard
):
    """Right after the home page, the overview and a group page have loaded and the checklist
    shows its state, before any action: the shared ``#drb--live`` (polite) exists, the home
    page's panel has its status box, and every live region of the page (``aria-live``,
    ``role=status|alert|log``, ``<output>``) is rendered and in Chromium's accessibility tree
    as a live region. A region that is ``display: none`` while empty enters the tree only
    with its first message, which screen readers then do not announce."""
    context = scheme_context(new_context, page_guard, "light", viewport=DESKTOP)
    page = keyboard_page(context)
    cdp = context.new_cdp_session(page)
    problems: list[str] = []
    checked = 0
    first_group = next(iter(GROUPS))
    for url in ("", OVERVIEW_URL, first_group):
        page.goto(url)
        label = url or "/"
        if url == "":
            wait_enhanced_home(page)
            status = page.locator(f"{PANEL} [role=status]")
            if not status.count():
                problems.append(f"{label}: the panel has no status box ({PANEL} [role=status])")
        elif url == OVERVIEW_URL:
            expect(page.locator(f"{OVERVIEW} form.drb-filters")).to_be_visible()
        else:
            expect(page.locator('[data-drb-progress="group"]')).to_be_visible()
        expect(page.locator("#drb--live")).to_have_count(1)  # made by init.js
        regions = page.evaluate(
            """sel => [...document.querySelectorAll(sel)].map((el, i) => {
                const s = getComputedStyle(el);
                let d = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
                    [...el.classList].map((c) => "." + c).join("");
                for (const a of ["role", "aria-live"]) if (el.hasAttribute(a)) d += "[" + a + "=" + el.getAttribute(a) + "]";
                const hiddenBy = el.closest("[hidden], [aria-hidden=true], [inert]");
                return {i, desc: d, display: s.display, visibility: s.visibility,
                        text: el.textContent.trim().slice(0, 60),
                        hiddenBy: hiddenBy ? hiddenBy.tagName.toLowerCase() + "." + [...hiddenBy.classList].join(".") : null};
            })""",
            LIVE,
        )
        for region in regions:
            checked += 1
            node = ax_node(cdp, f"document.querySelectorAll({LIVE!r})[{region['i']}]")
            ax = ax_summary(node or {})
            where = f"{label}: {region['desc']}"
            if region["text"]:
                where += f' (already says "{region["text"]}")'
            if region["display"] == "none" or region["visibility"] != "visible":
                problems.append(
                    f"{where}: not rendered before its first message (computed display: "
                    f"{region['display']}, visibility: {region['visibility']}); accessibility "
                    f"tree: ignored {ax['ignored']}"
                )
            elif region["hiddenBy"]:
                problems.append(f"{where}: inside hidden {region['hiddenBy']}")
            elif ax["ignored"] is not None:
                problems.append(f"{where}: ignored by the accessibility tree ({ax['ignored']})")
            elif ax["live"] not in ("polite", "assertive"):
                problems.append(f"{where}: no live-region semantics in the tree ({ax})")
            elif region["desc"].startswith("div#drb--live") and ax["live"] != "polite":
                problems.append(f"{where}: #drb--live should be polite, is {ax['live']}")
    assert checked, "no live region on any page"
    assert not problems, (
        f"{len(problems)} live region problem(s) before the first message:\n  "
        + "\n  ".join(problems)
    )


# --- 4. the modal dialogs -------------------------------------------------------------------

IS_ACTIVE = "el => document.activeElement === el"
DESCRIBE = """(e) => { if (!e || e === document.body) return "<body>";
  return e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
    [...e.classList].filter((c) => c !== "focus-visible").map((c) => "." + c).join("") +
    ' "' + (e.textContent || e.getAttribute("aria-label") || "").trim().slice(0, 40) + '"'; }"""
ACTIVE = f"() => ({DESCRIBE})(document.activeElement)"


def open_home(context: BrowserContext) -> Page:
    page = keyboard_page(context)
    page.goto("")
    wait_enhanced_home(page)
    page.wait_for_load_state("networkidle")
    return page


def export_file(page: Page, folder: Path) -> tuple[Path, str]:
    """Press the panel's "Eksportér"; the saved file and its name."""
    with page.expect_download() as info:
        page.locator(f"{PANEL} button.drb-export").press("Enter")
    name = info.value.suggested_filename
    path = folder / name
    info.value.save_as(path)
    return path, name


def check_initial_focus(page: Page, kind: str, problems: list[str]) -> None:
    """The focus is in the open dialog, and not on its confirm button (the one that changes
    data: an Enter pressed by habit must not apply an import or a reset)."""
    dialog = page.locator(OPEN_DIALOG)
    expect(dialog).to_be_visible()
    inside = dialog.evaluate("d => d.contains(document.activeElement)")
    active = page.evaluate(ACTIVE)
    if not inside:
        problems.append(f"{kind} dialog: opens with the focus outside it, on {active}")
    elif dialog.locator("button.drb-confirm").evaluate_all(
        "els => els.some(e => e === document.activeElement)"
    ):
        problems.append(
            f"{kind} dialog: opens with the focus on its confirm button {active}: an Enter "
            "applies it at once; start on the dialog's text or a button that changes nothing"
        )


def close_dialog(page: Page, how: str) -> None:
    dialog = page.locator(OPEN_DIALOG)
    if how == "Escape":
        page.keyboard.press("Escape")
    else:
        dialog.locator("button.drb-cancel").press("Enter")
    expect(page.locator("dialog.drb-dialog")).to_have_count(0)


def open_and_close(page: Page, kind: str, opener, open_it) -> list[str]:
    """Open the ``kind`` dialog from the focused ``opener`` (``open_it()``) once per way of
    closing it: where the focus starts (the first time), and that it comes back."""
    problems: list[str] = []
    for how in CLOSINGS:
        opener.focus()
        open_it()
        if how == CLOSINGS[0]:
            check_initial_focus(page, kind, problems)
        else:
            expect(page.locator(OPEN_DIALOG)).to_be_visible()
        close_dialog(page, how)
        check_focus_back(page, kind, how, opener, problems)
    return problems


def check_focus_back(page: Page, kind: str, how: str, opener, problems: list[str]) -> None:
    if not opener.evaluate(IS_ACTIVE):
        problems.append(
            f"{kind} dialog closed with {how}: the focus is on {page.evaluate(ACTIVE)}, not "
            f"back on the element that opened it, {opener.evaluate(DESCRIBE)}"
        )


CLOSINGS = ("Escape", "cancel")  # the key, and the dialog's cancel button ("Annullér", "Luk")


def test_reset_dialog_keeps_the_export_message_inside_it(new_context, page_guard):
    """ "Eksportér først" in the reset dialog saves the file and says so INSIDE the dialog,
    visibly and in a live region there: the panel's status line is behind the modal dialog,
    inert, so a message written there is neither seen (under the backdrop) nor announced. The
    message is found by the downloaded file's name, which it states."""
    context = scheme_context(new_context, page_guard, "light", viewport=DESKTOP)
    page = open_home(context)
    cdp = context.new_cdp_session(page)
    problems: list[str] = []
    page.locator(f"{PANEL} button.drb-reset").focus()
    page.keyboard.press("Enter")
    dialog = page.locator(OPEN_DIALOG)
    expect(dialog).to_be_visible()
    with page.expect_download() as info:
        dialog.locator("button.drb-export").press("Enter")
    name = info.value.suggested_filename
    # Wait until the confirmation is written somewhere, then see where.
    page.wait_for_function("name => document.body.textContent.includes(name)", arg=name)
    found = page.evaluate(
        """([name, live]) => {
            const dialog = document.querySelector("dialog.drb-dialog[open]");
            const holders = [...document.querySelectorAll("body *")].filter((e) =>
                [...e.childNodes].some((c) => c.nodeType === 3 && c.textContent.includes(name)));
            return holders.map((e) => {
                const region = e.closest(live);
                return {
                    desc: e.tagName.toLowerCase() + [...e.classList].map((c) => "." + c).join("") +
                        (e.getAttribute("role") ? "[role=" + e.getAttribute("role") + "]" : ""),
                    inDialog: !!dialog && dialog.contains(e),
                    visible: e.checkVisibility({opacityProperty: true, visibilityProperty: true}),
                    region: region && dialog && dialog.contains(region),
                    text: e.textContent.trim().slice(0, 80),
                };
            });
        }""",
        [name, LIVE],
    )
    expect(dialog).to_be_visible()  # exporting first does not close the dialog
    inside = [f for f in found if f["inDialog"]]
    if not inside:
        outside = "; ".join(f'{f["desc"]} "{f["text"]}"' for f in found)
        problems.append(
            f'reset dialog: "Eksportér først" saved {name}, but the confirmation is written '
            f"only outside the open modal dialog, behind it (inert: not seen, not announced): "
            f"{outside}"
        )
    else:
        message = inside[0]
        if not message["visible"]:
            problems.append(f"reset dialog: the export's confirmation {message['desc']} is hidden")
        if not message["region"]:
            problems.append(
                f"reset dialog: the export's confirmation {message['desc']} is in no live region "
                "inside the dialog (role=status or aria-live): it is not announced"
            )
        else:
            node = ax_node(
                cdp,
                f"[...document.querySelector({OPEN_DIALOG!r}).querySelectorAll({LIVE!r})]"
                f".find(e => e.textContent.includes({name!r}))",
            )
            ax = ax_summary(node or {})
            if ax["ignored"] is not None or ax["live"] not in ("polite", "assertive"):
                problems.append(f"reset dialog: the confirmation's live region in the tree: {ax}")
    assert not problems, "\n".join(problems)


def test_reset_dialog_gives_the_focus_back_to_nulstil(new_context, page_guard):
    """ "Nulstil" pressed with the keyboard: the dialog starts on a button that changes
    nothing, and Escape or "Annullér" put the focus back on "Nulstil"."""
    context = scheme_context(new_context, page_guard, "light", viewport=DESKTOP)
    page = open_home(context)
    problems: list[str] = []
    opener = page.locator(f"{PANEL} button.drb-reset")
    problems += open_and_close(page, "reset", opener, lambda: page.keyboard.press("Enter"))
    assert not problems, "\n".join(problems)


def test_import_dialog_gives_the_focus_back_to_the_import_button(
    new_context, page_guard, tmp_path: Path
):
    """A file chosen with "Importér fra fil" pressed by keyboard (the panel's own export):
    the dialog starts on a button that changes nothing, and Escape or "Annullér" put the
    focus back on the button."""
    context = scheme_context(new_context, page_guard, "light", viewport=DESKTOP)
    page = open_home(context)
    problems: list[str] = []
    exported, _ = export_file(page, tmp_path)
    opener = page.locator(f"{PANEL} button.drb-import-file")
    field = page.locator(f"{PANEL} input#drb--import")
    # As after Tab and Enter: the button opens the file field's window (checked in
    # test_a11y_tree), where the file is chosen; then the focus is back on the button.
    problems += open_and_close(page, "import", opener, lambda: field.set_input_files(exported))
    assert not problems, "\n".join(problems)


def test_share_link_dialog_leaves_the_focus_at_the_start_of_the_page(new_context, page_guard):
    """A share link opened in a new tab: its dialog starts on a button that changes nothing;
    nothing on the page opened it, so after Escape or "Annullér" the next Tab goes to the
    page's first tab stop, as on a fresh page (not on from where the removed dialog was)."""
    context = scheme_context(new_context, page_guard, "light", viewport=DESKTOP)
    home = open_home(context)
    home.locator(f"{PANEL} button.drb-share").press("Enter")
    field = home.locator("input.drb-share-url")
    expect(field).not_to_have_value("")
    link = field.input_value()
    problems: list[str] = []
    for how in CLOSINGS:
        page = context.new_page()
        page.goto(link)
        if how == CLOSINGS[0]:
            check_initial_focus(page, "share", problems)
        else:
            expect(page.locator(OPEN_DIALOG)).to_be_visible()
        close_dialog(page, how)
        page.keyboard.press("Tab")
        after = page.evaluate_handle("document.activeElement")
        described = page.evaluate(ACTIVE)
        page.evaluate(START_AT, "start")
        page.keyboard.press("Tab")
        if not page.evaluate("el => document.activeElement === el", after):
            problems.append(
                f"share dialog closed with {how}: the next Tab went to {described}, not to the "
                f"page's first tab stop {page.evaluate(ACTIVE)}"
            )
        page.close()
    assert not problems, "\n".join(problems)
