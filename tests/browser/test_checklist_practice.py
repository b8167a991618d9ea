"""Browser tests of the practice's settings on the home page (practice.js, Store#setPractice).

What docs/dev/checklist-contract.md ("Storage", "The practice's settings") promises: the
opening date, the practice type and the clinic's name are stored in the same value as the
ticks, as an optional ``practice`` field of version 1, so a value saved before they existed
loads with every tick and note intact; they merge between tabs as one entry; export,
import and reset carry them; an unreadable value is kept, not lost.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_checklist import (
    CANNOT_READ,
    FIRST,
    KEY,
    OPEN_DIALOG,
    PANEL,
    TOTAL,
    entry,
    open_home,
    overall_text,
    progress_text,
    seed,
    wait_enhanced_home,
)
from tests.support.axe import assert_no_violations

PRACTICE = '[data-drb-module="practice"]'
OPENING = "#drb--opening"
CLINIC = "#drb--clinic"


def stored(page: Page) -> dict:
    raw = page.evaluate("k => localStorage.getItem(k)", KEY)
    return json.loads(raw) if raw else {}


def open_settings(page: Page, url: str = "./") -> None:
    open_home(page, url)
    expect(page.locator(PRACTICE)).to_be_visible()


def set_opening(page: Page, value: str) -> None:
    page.fill(OPENING, value)
    page.locator(OPENING).dispatch_event("change")  # fill() on a date field fires input only


def set_name(page: Page, value: str) -> None:
    page.fill(CLINIC, value)
    page.locator(CLINIC).dispatch_event("change")


def wait_practice(page: Page, **fields: str) -> None:
    page.wait_for_function(
        """([k, want]) => {
            const v = JSON.parse(localStorage.getItem(k) || "{}").practice || {};
            return Object.entries(want).every(([f, x]) => v[f] === x);
        }""",
        arg=[KEY, fields],
    )


def test_a_value_saved_before_the_settings_loads_whole_and_keeps_them(page: Page):
    """A stored value in the exact format of the release before the settings."""
    a, b = FIRST.actionable[:2]
    open_home(page)
    old = {a.id: entry(a, "done", note="fra før"), b.id: entry(b, "na")}
    page.evaluate(
        "([k, v]) => localStorage.setItem(k, v)", [KEY, json.dumps({"version": 1, "tasks": old})]
    )
    open_settings(page)
    expect(overall_text(page)).to_have_text(progress_text(1, TOTAL - 1))
    expect(page.locator(OPENING)).to_have_value("")
    expect(page.locator('input[name="drb--type"]:checked')).to_have_count(0)

    set_opening(page, "2027-02-01")
    wait_practice(page, opening="2027-02-01")
    value = stored(page)
    assert value["version"] == 1
    assert value["tasks"] == old  # every tick and note as it was
    expect(page.locator(".drb-practice-message")).to_have_text("Gemt i denne browser.")


def test_settings_are_saved_and_shown_again(page: Page):
    open_settings(page)
    set_opening(page, "2027-02-01")
    page.get_by_label("Overtagelse af eksisterende praksis").check()
    set_name(page, "  Lægehuset Nord  ")
    wait_practice(page, opening="2027-02-01", type="takeover", name="Lægehuset Nord")
    practice = stored(page)["practice"]
    assert set(practice) == {"opening", "type", "name", "updated"}

    page.reload()
    wait_enhanced_home(page)
    expect(page.locator(OPENING)).to_have_value("2027-02-01")
    expect(page.get_by_label("Overtagelse af eksisterende praksis")).to_be_checked()
    expect(page.locator(CLINIC)).to_have_value("Lægehuset Nord")

    # An emptied field is removed; the settings keep a time stamp so that wins a merge.
    set_opening(page, "")
    page.wait_for_function(
        "k => !('opening' in JSON.parse(localStorage.getItem(k)).practice)", arg=KEY
    )
    assert stored(page)["practice"]["type"] == "takeover"


def test_another_tab_follows_the_settings(page: Page):
    open_settings(page)
    other = page.context.new_page()
    open_settings(other)
    set_opening(page, "2027-03-15")
    expect(other.locator(OPENING)).to_have_value("2027-03-15")
    other.get_by_label("Ny praksis").check()
    expect(page.get_by_label("Ny praksis")).to_be_checked()
    wait_practice(page, opening="2027-03-15", type="new")


def test_export_import_and_reset_carry_the_settings(page: Page, tmp_path: Path):
    a = FIRST.actionable[0]
    open_settings(page)
    seed(page, {a.id: entry(a, "done")})
    wait_enhanced_home(page)
    set_opening(page, "2027-02-01")
    set_name(page, "Klinik & Co")
    wait_practice(page, opening="2027-02-01", name="Klinik & Co")

    with page.expect_download() as info:
        page.locator(f"{PANEL} button.drb-export").click()
    exported_file = tmp_path / "fremgang.json"
    info.value.save_as(exported_file)
    exported = json.loads(exported_file.read_text(encoding="utf-8"))
    assert exported["practice"] == {"opening": "2027-02-01", "name": "Klinik & Co"}

    page.locator("button.drb-reset").click()
    dialog = page.locator(OPEN_DIALOG)
    expect(dialog).to_contain_text("oplysningerne om praksis")
    dialog.locator("button.drb-confirm").click()
    expect(page.locator(OPENING)).to_have_value("")
    expect(page.locator(CLINIC)).to_have_value("")
    assert stored(page) == {}

    # The export brings the settings back, after saying so.
    page.set_input_files("#drb--import", exported_file)
    dialog = page.locator(OPEN_DIALOG)
    expect(dialog).to_contain_text("Oplysningerne om praksis")
    dialog.locator("button.drb-confirm").click()
    expect(page.locator(OPENING)).to_have_value("2027-02-01")
    expect(page.locator(CLINIC)).to_have_value("Klinik & Co")
    expect(overall_text(page)).to_have_text(progress_text(1, TOTAL))

    # A file from before the settings leaves them as they are.
    old = {"format": "drejebog-fremgang", "version": 1, "exported": "2026-11-20T10:00:00Z"}
    old["tasks"] = {a.id: {"status": "na"}}
    upload = {
        "name": "gammel.json",
        "mimeType": "application/json",
        "buffer": json.dumps(old).encode(),
    }
    page.set_input_files("#drb--import", upload)
    page.locator(OPEN_DIALOG).locator("button.drb-confirm").click()
    expect(overall_text(page)).to_have_text(progress_text(0, TOTAL - 1))
    expect(page.locator(OPENING)).to_have_value("2027-02-01")


@pytest.mark.parametrize(
    "practice",
    [{"opening": "2027-02-30"}, {"type": "fusion"}, {"name": 7}, "ny"],
    ids=["impossible-date", "unknown-type", "name-not-text", "not-an-object"],
)
def test_unreadable_settings_are_reported_and_the_ticks_kept(page: Page, practice):
    a = FIRST.actionable[0]
    open_home(page)
    value = {"version": 1, "practice": practice, "tasks": {a.id: entry(a, "done")}}
    raw = json.dumps(value)
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [KEY, raw])
    open_settings(page)
    expect(page.get_by_text(CANNOT_READ)).to_be_visible()
    expect(overall_text(page)).to_have_text(progress_text(1, TOTAL))
    assert page.evaluate("k => localStorage.getItem(k)", KEY + ":broken") == raw
    assert stored(page)["tasks"][a.id]["status"] == "done"


def test_settings_on_a_phone_are_big_enough_and_pass_axe(page: Page):
    page.set_viewport_size({"width": 390, "height": 844})
    open_settings(page)
    set_opening(page, "2027-02-01")
    page.get_by_label("Ny praksis").check()
    wait_practice(page, opening="2027-02-01", type="new")
    controls = page.locator(f"{PRACTICE} input[type=date], {PRACTICE} input[type=text]")
    targets = [*controls.all(), *page.locator(f"{PRACTICE} fieldset label").all()]
    assert len(targets) == 4
    for target in targets:
        box = target.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, (target, box)
    assert_no_violations(page, "home with the settings in use @390px")
