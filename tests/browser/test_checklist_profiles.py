"""Several practices in one browser (profiles.js), module by module in Chromium without a site
(as test_checklist_modules): the book of profiles, its keys and its storage, with an in-memory
storage that can be full or blocked. The states themselves are Store values
(test_checklist_modules)."""

from __future__ import annotations

import base64
import json
import re

from playwright.sync_api import Page

from drejebog.model import STATUSES
from tests.support.modules import MEMORY_STORAGE

STATUS_IDS = [s.id for s in STATUSES]
ROOT = "/drejebog/"
LEGACY = "drejebog:v1:/drejebog/"  # the single-practice releases' key: the first profile's state
BOOK = "drejebog:profiles:/drejebog/"

PRELUDE = (
    MEMORY_STORAGE
    + """
const [profiles, store] = await Promise.all(["profiles", "store"].map(n => import(`/checklist/${n}.js`)));
const {root, statuses} = arg;
const book = storage => new profiles.Profiles(root, () => storage);
const stateOf = (storage, id) => new store.Store(
    {key: profiles.stateKey(root, id), statuses, storage: () => storage});
"""
)


def run(page: Page, body: str, **extra):
    arg = {"root": ROOT, "statuses": STATUS_IDS, **extra}
    return page.evaluate(f"async arg => {{ {PRELUDE}\n{body} }}", arg)


def test_the_first_profile_is_the_single_practice_state(blank: Page):
    """A browser with a state saved by a single-practice release (without and with the plan
    release's settings) has one profile, that state, untouched: nothing is moved or rewritten."""
    old = json.dumps({"version": 1, "tasks": {"cvr": {"status": "done", "hash": "h1"}}})
    plan = json.dumps(
        {
            "version": 1,
            "practice": {"opening": "2027-02-01", "type": "new", "name": "Lægehuset Nord"},
            "tasks": {"cvr": {"status": "doing", "note": "ring"}},
        }
    )
    for value in (old, plan):
        result = run(
            blank,
            """
            const storage = memory();
            storage.setItem(arg.legacy, arg.value);
            const b = book(storage);
            const loaded = b.load();
            const s = stateOf(storage, loaded.current);
            s.load();
            return {book: loaded, key: s.key, tasks: s.tasks, practice: s.practice,
                    stored: [...storage.data.entries()]};
            """,
            legacy=LEGACY,
            value=value,
        )
        data = json.loads(value)
        assert result["book"] == {"current": "1", "list": [{"id": "1", "name": ""}]}
        assert result["key"] == LEGACY
        assert result["tasks"] == data["tasks"]
        assert result["practice"] == data.get("practice", {})
        assert result["stored"] == [[LEGACY, value]], "reading changed the storage"


def test_create_select_rename_and_remove(blank: Page):
    result = run(
        blank,
        """
        const storage = memory();
        storage.setItem(profiles.stateKey(root, "1"), JSON.stringify({version: 1, tasks: {a: {status: "done"}}}));
        const b = book(storage);
        b.load();
        const out = {};
        const id = b.create("Lægehuset Syd");
        out.created = {id, book: structuredClone(b.book), key: b.stateKey(id)};
        // The new profile's state is its own: a tick there leaves the first one's alone.
        const s = stateOf(storage, id);
        s.load();
        s.setStatus("b", "done", "");
        out.first = JSON.parse(storage.getItem(profiles.stateKey(root, "1"))).tasks;
        out.second = JSON.parse(storage.getItem(profiles.stateKey(root, id))).tasks;
        out.selected = b.select("1") && b.current;
        out.unknown = b.select("zzz") && b.current;
        b.rename(id, "Lægehuset Øst");
        out.names = [b.name("1"), b.name(id)];
        // Another tab's view of the same storage.
        out.other = book(storage).load();
        b.remove(id);
        out.removed = {book: b.book, keys: [...storage.data.keys()]};
        b.remove("1");
        out.last = {book: b.book, keys: [...storage.data.keys()]};
        return out;
        """,
    )
    created = result["created"]
    new = created["id"]
    assert len(new) == 8 and new.isalnum()
    assert created["book"] == {
        "current": new,
        "list": [{"id": "1", "name": ""}, {"id": new, "name": "Lægehuset Syd"}],
    }
    assert created["key"] == f"{LEGACY}#{new}"
    assert result["first"] == {"a": {"status": "done"}}
    assert result["second"]["b"]["status"] == "done" and "a" not in result["second"]
    assert result["selected"] == "1"
    assert result["unknown"] == "1"
    assert result["names"] == ["Praksis 1", "Lægehuset Øst"]
    assert result["other"]["list"][1] == {"id": new, "name": "Lægehuset Øst"}
    assert result["removed"]["book"] == {"current": "1", "list": [{"id": "1", "name": ""}]}
    assert f"{LEGACY}#{new}" not in result["removed"]["keys"]
    # Deleting the last one leaves an empty first profile.
    assert result["last"]["book"] == {"current": "1", "list": [{"id": "1", "name": ""}]}
    assert LEGACY not in result["last"]["keys"]


def test_each_change_applies_to_what_another_tab_stored(blank: Page):
    """Two tabs' books: each change reads the stored book first, so a profile one tab made is
    never dropped by the other's rename or create."""
    result = run(
        blank,
        """
        const storage = memory();
        const a = book(storage), b = book(storage);
        a.load(); b.load();
        const x = a.create("X");
        const y = b.create("Y");   // b has not read a's X
        b.rename(x, "X2");
        return {a: a.load(), ids: [x, y]};
        """,
    )
    x, y = result["ids"]
    assert result["a"]["list"] == [
        {"id": "1", "name": ""},
        {"id": x, "name": "X2"},
        {"id": y, "name": "Y"},
    ]
    assert result["a"]["current"] == y


def test_a_full_or_blocked_storage_changes_nothing(blank: Page):
    result = run(
        blank,
        """
        const out = {};
        for (const fault of ["full", "blocked"]) {
            const storage = memory();
            const b = book(storage);
            b.load();
            const id = b.create("A");
            storage.options[fault] = true;
            out[fault] = {created: b.create("B"), selected: b.select("1"), renamed: b.rename(id, "C"),
                          removed: b.remove(id), problem: b.problem, book: structuredClone(b.book)};
            storage.options[fault] = false;
            out[fault].stored = book(storage).load();
        }
        return out;
        """,
    )
    for fault in ("full", "blocked"):
        got = result[fault]
        assert got["created"] == "" and not got["selected"] and not got["renamed"]
        assert not got["removed"]
        assert got["problem"] == fault
        assert got["book"] == got["stored"], fault
        assert [p["name"] for p in got["stored"]["list"]] == ["", "A"], fault


def test_at_most_twenty_profiles(blank: Page):
    result = run(
        blank,
        """
        const b = book(memory());
        b.load();
        const ids = [];
        for (let i = 0; i < 25; i++) ids.push(b.create("P" + i));
        return {ids, count: b.book.list.length};
        """,
    )
    assert result["count"] == 20
    assert all(result["ids"][:19]) and not any(result["ids"][19:])


def test_a_broken_book_is_rebuilt_from_the_stored_states(blank: Page):
    """A book that cannot be read (hand-edited, cut off) loses no practice: the profiles are
    found from the states' keys (names again from their settings, when set there)."""
    broken = [
        "{",
        "null",
        "[]",
        '{"version": 1, "list": []}',
        '{"version": 9, "list": [{"id": "1"}]}',
    ]
    result = run(
        blank,
        """
        const out = [];
        for (const raw of arg.broken) {
            const storage = memory();
            storage.setItem(profiles.stateKey(root, "1"), '{"version":1,"tasks":{}}');
            storage.setItem(profiles.stateKey(root, "abc123"), '{"version":1,"tasks":{}}');
            storage.setItem("drejebog:v1:/andet-site/#zzz", '{"version":1,"tasks":{}}');
            storage.setItem(profiles.bookKey(root), raw);
            out.push(book(storage).load());
        }
        // Odd but readable entries are skipped one by one.
        out.push(profiles.parseBook(JSON.stringify({version: 1, current: "nope",
            list: [{id: "Bad id"}, {id: "a1", name: 7}, {id: "a1", name: "twice"}, {id: "b2", name: "B"}]})));
        return out;
        """,
        broken=broken,
    )
    for raw, got in zip(broken, result, strict=False):
        assert got == {
            "current": "1",
            "list": [{"id": "1", "name": ""}, {"id": "abc123", "name": ""}],
        }, raw
    assert result[-1] == {
        "current": "a1",
        "list": [{"id": "a1", "name": ""}, {"id": "b2", "name": "B"}],
    }


# --- on the site ----------------------------------------------------------------------------
# (Imported here, below the module tests, so that those need no site.)

from playwright.sync_api import BrowserContext, expect  # noqa: E402

from tests.browser.test_checklist import (  # noqa: E402
    FIRST,
    KEY,
    check,
    group_text,
    open_group,
    open_home,
    overall_text,
    seed,
    status,
)
from tests.browser.test_checklist_practice import CLINIC, PRACTICE, set_name  # noqa: E402

SITE_BOOK = "drejebog:profiles:/"
PROFILE = "#drb--profile"
MESSAGE = ".drb-practice-message"


# The note's pause before it is written (init.js NOTE_DELAY) made endless in a tab, so that a
# typed note is still waiting to be written when another tab acts.
HOLD_NOTES = """() => {
    const set = window.setTimeout;
    window.setTimeout = (fn, ms, ...args) => (ms === 250 ? 0 : set(fn, ms, ...args));
}"""


def typing_in_another_tab(context: BrowserContext, practice: str, task, text: str) -> Page:
    """A second tab on the group page of ``task``, showing ``practice``, with ``text`` typed
    into the task's note and waiting to be written (HOLD_NOTES)."""
    other = context.new_page()
    open_group(other, FIRST)
    expect(group_text(other)).to_have_text(re.compile("^" + re.escape(practice) + ": "))
    other.locator(f"section[data-task-id='{task.id}'] .drb-work-toggle").click()
    other.evaluate(HOLD_NOTES)
    other.locator(f"#drb--note-{task.id}").press_sequentially(text)
    return other


def open_profiles(page: Page) -> None:
    open_home(page)
    expect(page.locator(PRACTICE)).to_be_visible()


def book_of(page: Page) -> dict:
    raw = page.evaluate("k => localStorage.getItem(k)", SITE_BOOK)
    return json.loads(raw) if raw else {}


def add_practice(page: Page, name: str) -> str:
    """Add a practice with the switcher and name it; its id."""
    before = len(page.locator(f"{PROFILE} option").all())
    page.get_by_role("button", name="Tilføj en praksis").click()
    expect(page.locator(f"{PROFILE} option")).to_have_count(before + 1)
    expect(page.locator(CLINIC)).to_be_focused()
    set_name(page, name)
    expect(page.locator(f"{PROFILE} option:checked")).to_have_text(name)
    return page.locator(PROFILE).input_value()


def test_practices_are_added_switched_renamed_and_deleted(page: Page):
    """The first practice is today's state (a tick stored in today's exact format); a second
    one starts empty; switching shows each one's ticks and name, on the home page and on a
    group page ("NAME: 0 af ..." at the progress); deleting asks first and removes only it."""
    a, b = FIRST.actionable[:2]
    open_profiles(page)
    seed(page, {a.id: {"status": "done", "hash": a.content_hash}})  # today's format, then reload
    expect(page.locator(PRACTICE)).to_be_visible()
    expect(page.locator(PROFILE)).to_have_value("1")
    expect(page.locator(f"{PROFILE} option")).to_have_text(["Praksis 1"])
    expect(overall_text(page)).not_to_contain_text(":")  # one practice: no name at the progress

    new = add_practice(page, "Lægehuset Syd")
    assert new != "1"
    expect(overall_text(page)).to_have_text(re.compile(r"^Lægehuset Syd: 0 af "))
    open_group(page, FIRST)
    expect(group_text(page)).to_have_text(re.compile(r"^Lægehuset Syd: 0 af "))
    expect(check(page, a)).not_to_be_checked()
    check(page, b).check()
    expect(status(page, b)).to_have_attribute("data-status", "done")

    open_profiles(page)
    page.select_option(PROFILE, "1")
    expect(page.locator(MESSAGE)).to_have_text("Du arbejder nu med Praksis 1.")
    expect(overall_text(page)).to_have_text(re.compile(r"^Praksis 1: 1 af "))
    expect(page.locator(CLINIC)).to_have_value("")
    set_name(page, "Lægehuset Nord")  # a rename
    expect(page.locator(f"{PROFILE} option")).to_have_text(["Lægehuset Nord", "Lægehuset Syd"])
    open_group(page, FIRST)
    expect(check(page, a)).to_be_checked()
    expect(check(page, b)).not_to_be_checked()
    expect(group_text(page)).to_have_text(re.compile(r"^Lægehuset Nord: 1 af "))

    # The first practice's state is still today's key, as a single-practice release reads it.
    first = json.loads(page.evaluate("k => localStorage.getItem(k)", KEY))
    assert first["tasks"][a.id]["status"] == "done" and b.id not in first["tasks"]
    assert first["practice"]["name"] == "Lægehuset Nord"

    # Delete the second one: asked first; cancelling keeps it.
    open_profiles(page)
    page.select_option(PROFILE, new)
    page.get_by_role("button", name="Slet denne praksis").click()
    dialog = page.get_by_role("dialog", name="Vil du slette Lægehuset Syd?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Eksportér først")).to_be_visible()
    dialog.get_by_role("button", name="Annullér").click()
    expect(page.locator(MESSAGE)).to_have_text("Intet er slettet.")
    expect(page.locator(f"{PROFILE} option")).to_have_count(2)
    page.get_by_role("button", name="Slet denne praksis").click()
    page.get_by_role("dialog").get_by_role("button", name="Slet", exact=True).click()
    expect(page.locator(MESSAGE)).to_have_text(
        "Lægehuset Syd er slettet. Du arbejder nu med Lægehuset Nord."
    )
    expect(page.locator(f"{PROFILE} option")).to_have_text(["Lægehuset Nord"])
    assert book_of(page)["list"] == [{"id": "1", "name": "Lægehuset Nord"}]
    assert page.evaluate("k => localStorage.getItem(k)", f"{KEY}#{new}") is None
    expect(overall_text(page)).to_have_text(re.compile(r"^1 af "))


def test_other_tabs_follow_a_switch_and_a_note_stays_with_its_practice(
    page: Page, context: BrowserContext
):
    """Tab A types a note in practice 1 (not yet written: notes wait for a pause) when tab B
    switches to practice 2: A follows, and the note is written to practice 1, not 2."""
    a = FIRST.actionable[0]
    open_profiles(page)
    new = add_practice(page, "Lægehuset Syd")
    page.select_option(PROFILE, "1")
    other = typing_in_another_tab(context, "Praksis 1", a, "ring til banken")
    assert other.evaluate("k => localStorage.getItem(k)", KEY) is None  # not written yet
    page.select_option(PROFILE, new)  # tab B (this page) switches while A's note waits
    expect(group_text(other)).to_have_text(re.compile(r"^Lægehuset Syd: "))
    expect(other.locator(f"#drb--note-{a.id}")).to_have_value("")
    first = json.loads(other.evaluate("k => localStorage.getItem(k)", KEY))
    assert first["tasks"][a.id]["note"] == "ring til banken"
    second = other.evaluate("k => localStorage.getItem(k)", f"{KEY}#{new}")
    assert second is None or a.id not in json.loads(second)["tasks"]
    other.close()


def test_a_full_storage_while_adding_a_practice_warns_and_loses_nothing(page: Page):
    a = FIRST.actionable[0]
    open_profiles(page)
    seed(page, {a.id: {"status": "done", "hash": a.content_hash}})
    expect(page.locator(PRACTICE)).to_be_visible()
    page.evaluate(
        """() => {
            const set = Storage.prototype.setItem;
            Storage.prototype.setItem = function (k, v) {
                if (k.startsWith("drejebog:")) throw new DOMException("full", "QuotaExceededError");
                return set.call(this, k, v);
            };
        }"""
    )
    page.get_by_role("button", name="Tilføj en praksis").click()
    expect(page.locator(MESSAGE)).to_have_text(
        "Der kunne ikke tilføjes en praksis: denne browser kan ikke gemme mere. Intet er ændret."
    )
    expect(page.locator(".drb-storage-warning:not([hidden])").first).to_be_visible()
    expect(page.locator(f"{PROFILE} option")).to_have_count(1)
    assert book_of(page) == {}
    expect(overall_text(page)).to_have_text(re.compile(r"^1 af "))


def test_an_import_can_be_added_as_a_new_practice(page: Page):
    """An exported file, imported with "Tilføj som ny praksis": a practice of its own with the
    file's statuses, notes and settings (not the file's calendar key), the one in use before
    untouched."""
    a, b = FIRST.actionable[:2]
    open_profiles(page)
    seed(page, {a.id: {"status": "done", "hash": a.content_hash}})
    expect(page.locator(PRACTICE)).to_be_visible()
    before = page.evaluate("k => localStorage.getItem(k)", KEY)
    exported = {
        "format": "drejebog-fremgang",
        "version": 1,
        "exported": "2026-11-30T10:00:00.000Z",
        "practice": {
            "opening": "2027-03-01",
            "type": "takeover",
            "name": "Lægehuset Vest",
            "id": "abcdefgh12345678",
        },
        "tasks": {b.id: {"status": "doing", "note": "ring til regionen"}},
    }
    upload = {
        "name": "vest.json",
        "mimeType": "application/json",
        "buffer": json.dumps(exported).encode(),
    }
    page.set_input_files("#drb--import", upload)
    dialog = page.get_by_role("dialog", name="Vil du importere fremgangen fra filen?")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Tilføj som ny praksis").click()
    expect(page.locator(".drb-message")).to_have_text(
        "Fremgangen fra filen er tilføjet som Lægehuset Vest, som du nu arbejder med."
    )
    expect(page.locator(f"{PROFILE} option")).to_have_text(["Praksis 1", "Lægehuset Vest"])
    expect(page.locator(f"{PROFILE} option:checked")).to_have_text("Lægehuset Vest")
    expect(page.locator(CLINIC)).to_have_value("Lægehuset Vest")
    expect(page.locator("#drb--opening")).to_have_value("2027-03-01")
    new = page.locator(PROFILE).input_value()
    state = json.loads(page.evaluate("k => localStorage.getItem(k)", f"{KEY}#{new}"))
    assert state["tasks"][b.id]["status"] == "doing"
    assert state["tasks"][b.id]["note"] == "ring til regionen"
    assert state["practice"]["name"] == "Lægehuset Vest" and "id" not in state["practice"]
    assert page.evaluate("k => localStorage.getItem(k)", KEY) == before


def test_a_share_link_can_be_added_as_a_new_practice(page: Page, base_url: str):
    """A share link opened with "Tilføj som ny praksis": a new practice with the link's
    statuses and none of the notes of the practice in use, which is left as it was."""
    a, b = FIRST.actionable[:2]
    open_profiles(page)
    seed(page, {a.id: {"status": "doing", "hash": a.content_hash, "note": "min note"}})
    expect(page.locator(PRACTICE)).to_be_visible()
    before = page.evaluate("k => localStorage.getItem(k)", KEY)
    code = base64.urlsafe_b64encode(json.dumps({"v": 1, "s": {a.id: "d", b.id: "n"}}).encode())
    page.goto("./#fremgang=" + code.decode().rstrip("="))
    dialog = page.get_by_role("dialog", name="Vil du bruge fremgangen fra linket?")
    dialog.get_by_role("button", name="Tilføj som ny praksis").click()
    expect(page.locator(".drb-message")).to_have_text(
        "Fremgangen fra linket er tilføjet som Praksis 2, som du nu arbejder med."
    )
    expect(page).to_have_url(base_url)
    expect(page.locator(f"{PROFILE} option:checked")).to_have_text("Praksis 2")
    new = page.locator(PROFILE).input_value()
    state = json.loads(page.evaluate("k => localStorage.getItem(k)", f"{KEY}#{new}"))
    assert {k: v["status"] for k, v in state["tasks"].items()} == {a.id: "done", b.id: "na"}
    assert not any("note" in v for v in state["tasks"].values())
    assert page.evaluate("k => localStorage.getItem(k)", KEY) == before


def test_all_practices_are_exported_in_one_file_and_added_back_elsewhere(
    page: Page, new_context, page_guard, tmp_path
):
    """ "Eksportér alle praksisser" writes every practice (settings, statuses, notes) in the
    switcher's order; importing that file in another browser asks once and adds each as a
    new practice beside the one there."""
    a, b = FIRST.actionable[:2]
    open_profiles(page)
    seed(page, {a.id: {"status": "done", "hash": a.content_hash, "note": "første"}})
    expect(page.locator(PRACTICE)).to_be_visible()
    set_name(page, "Lægehuset Nord")
    add_practice(page, "Lægehuset Syd")
    open_group(page, FIRST)
    check(page, b).check()
    expect(status(page, b)).to_have_attribute("data-status", "done")
    open_profiles(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Eksportér alle praksisser").click()
    download = info.value
    assert re.fullmatch(
        r"drejebog-fremgang-alle-\d{4}-\d{2}-\d{2}\.json", download.suggested_filename
    )
    expect(page.locator(MESSAGE)).to_contain_text("Alle praksisser er gemt i filen")
    exported = tmp_path / download.suggested_filename
    download.save_as(exported)
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["format"] == "drejebog-fremgang" and data["version"] == 1
    assert [p["practice"]["name"] for p in data["practices"]] == ["Lægehuset Nord", "Lægehuset Syd"]
    assert data["practices"][0]["tasks"][a.id]["note"] == "første"
    assert data["practices"][1]["tasks"][b.id]["status"] == "done"
    assert a.id not in data["practices"][1]["tasks"]

    context = new_context()
    page_guard.watch(context)
    other = context.new_page()
    open_profiles(other)
    other.set_input_files("#drb--import", str(exported))
    dialog = other.get_by_role("dialog", name="Vil du tilføje 2 praksisser fra filen?")
    expect(dialog).to_contain_text("Lægehuset Nord, Lægehuset Syd")
    dialog.get_by_role("button", name="Tilføj", exact=True).click()
    expect(other.locator(".drb-message")).to_have_text(
        "2 praksisser er tilføjet. Du arbejder nu med Lægehuset Syd."
    )
    expect(other.locator(f"{PROFILE} option")).to_have_text(
        ["Praksis 1", "Lægehuset Nord", "Lægehuset Syd"]
    )
    other.select_option(PROFILE, label="Lægehuset Nord")
    open_group(other, FIRST)
    expect(check(other, a)).to_be_checked()
    expect(check(other, b)).not_to_be_checked()


def calendar_of(page: Page, path) -> list[dict[str, str]]:
    """Download the overview's calendar file to ``path``: each event's UID and DESCRIPTION."""
    with page.expect_download() as info:
        page.get_by_role("button", name="Hent kalenderfil (.ics)").click()
    info.value.save_as(path)
    text = path.read_bytes().decode("utf-8").replace("\r\n ", "")  # unfolded (CRLF kept)
    events = []
    for block in text.split("BEGIN:VEVENT")[1:]:
        fields = dict(line.split(":", 1) for line in block.split("\r\n") if ":" in line)
        events.append({"uid": fields["UID"], "about": fields["DESCRIPTION"].replace("\\n", "\n")})
    return events


def test_each_practice_has_its_own_calendar(page: Page, tmp_path):
    """Two practices' calendar files: every event names its practice, and no UID is in both
    (a calendar app would take one practice's events for the other's)."""
    open_profiles(page)
    set_name(page, "Lægehuset Nord")
    add_practice(page, "Lægehuset Syd")
    files = {}
    for name in ("Lægehuset Nord", "Lægehuset Syd"):
        page.goto("overblik/")
        expect(page.locator(PRACTICE)).to_be_visible()
        page.select_option(PROFILE, label=name)
        expect(page.locator(CLINIC)).to_have_value(name)
        page.fill("#drb--opening", "2027-03-01")
        page.locator("#drb--opening").dispatch_event("change")
        expect(page.locator(".drb-timeline")).to_be_visible()
        files[name] = calendar_of(page, tmp_path / f"{len(files)}.ics")
    for name, events in files.items():
        assert events, name
        assert all(e["about"].startswith(f"Praksis: {name}\n") for e in events), name
    north, south = ({e["uid"] for e in events} for events in files.values())
    assert not north & south


def test_a_practice_deleted_in_another_tab_is_left_there_too(page: Page, context: BrowserContext):
    """Tab A types a note in practice 2 (not yet written) when tab B deletes practice 2: A
    follows to practice 1, and the note is not written back into the deleted practice."""
    a = FIRST.actionable[0]
    open_profiles(page)
    new = add_practice(page, "Lægehuset Syd")
    other = typing_in_another_tab(context, "Lægehuset Syd", a, "skal slettes")
    stored = json.loads(other.evaluate("k => localStorage.getItem(k)", f"{KEY}#{new}"))
    assert a.id not in stored["tasks"]  # the note waits to be written
    page.get_by_role("button", name="Slet denne praksis").click()
    page.get_by_role("dialog").get_by_role("button", name="Slet", exact=True).click()
    expect(page.locator(MESSAGE)).to_contain_text("Lægehuset Syd er slettet.")
    expect(group_text(other)).not_to_contain_text("Lægehuset Syd")
    expect(other.locator(f"#drb--note-{a.id}")).to_have_value("")
    other.evaluate("dispatchEvent(new Event('pagehide'))")  # writes whatever waits, at once
    assert other.evaluate("k => localStorage.getItem(k)", f"{KEY}#{new}") is None
    assert other.evaluate("k => localStorage.getItem(k)", KEY) is None
    other.close()


def test_other_tabs_follow_a_rename(page: Page, context: BrowserContext):
    open_profiles(page)
    add_practice(page, "Lægehuset Syd")
    other = context.new_page()
    open_group(other, FIRST)
    expect(group_text(other)).to_have_text(re.compile(r"^Lægehuset Syd: "))
    set_name(page, "Lægehuset Øst")
    expect(group_text(other)).to_have_text(re.compile(r"^Lægehuset Øst: "))
    other.close()
