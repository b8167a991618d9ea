"""Fast tests of the checklist's modules (docs/assets/checklist/) in Chromium, without a site.

docs/assets/ is served as it is and the modules are imported with ``import()`` in a blank
page of that origin: the DOM-free ones (store.js: state, storage, validation, migrations;
share.js; progress.js's counts and next task) are tested function by function, with an
in-memory storage and a fixed clock. ``test_every_module_imports`` is the project's
JavaScript check: a syntax error (or a bad import) in any module fails it.

The statuses come from drejebog.model.STATUSES, as the page's config gives them.
"""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import Page

from drejebog.model import STATUSES
from tests.support.modules import ASSETS, MEMORY_STORAGE, blank_page
from tests.support.sites import serve_directory

MODULES = sorted(p.name for p in (ASSETS / "checklist").glob("*.js"))
STATUS_IDS = [s.id for s in STATUSES]
CONFIG = [s.config for s in STATUSES]
KEY = "drejebog:v1:/"

# Imports the modules (as `store`, `share`, `progress`, `panel`, `transfer`) and gives the tests an
# in-memory storage (tests.support.modules.MEMORY_STORAGE).
PRELUDE = (
    MEMORY_STORAGE
    + """
const [store, share, progress, panel, transfer] = await Promise.all(
    ["store", "share", "progress", "panel", "transfer"].map(n => import(`/checklist/${n}.js`)));
const {statuses, config, key} = arg;
const clock = {t: Date.parse("2026-11-20T10:00:00.000Z")};
const newStore = storage => new store.Store(
    {key, statuses, storage: () => storage, now: () => clock.t});
"""
)


def run(page: Page, body: str, **extra):
    """Run ``body`` (an async function body using PRELUDE's names) and return its result."""
    arg = {"statuses": STATUS_IDS, "config": CONFIG, "key": KEY, **extra}
    return page.evaluate(f"async arg => {{ {PRELUDE}\n{body} }}", arg)


# --- every module ---------------------------------------------------------------------


def import_failures(page: Page) -> list[str]:
    """Each module of docs/assets/checklist/ that fails to import at ``page``'s origin."""
    return page.evaluate(
        """async names => {
            const failed = [];
            for (const name of names) {
                try { await import(`/checklist/${name}`); }
                catch (e) { failed.push(`${name}: ${e}`); }
            }
            return failed;
        }""",
        MODULES,
    )


def test_every_module_imports(blank: Page):
    assert {"init.js", "store.js", "task.js", "progress.js", "panel.js"} <= set(MODULES)
    assert import_failures(blank) == []


def test_every_built_module_imports(page: Page, built_site: Path):
    """The built copies (comments stripped by the build) import too."""
    with serve_directory(built_site / "assets") as url:
        assert import_failures(blank_page(page, url)) == []


def test_a_syntax_error_fails_the_import(blank: Page):
    """The check above would see a broken module (served here in place of store.js)."""
    blank.route(
        "**/checklist/store.js?broken",
        lambda route: route.fulfill(body="export const x = ;", content_type="text/javascript"),
    )
    error = blank.evaluate("() => import('/checklist/store.js?broken').then(() => '', e => e.name)")
    assert error == "SyntaxError"


# --- store: loading, validation, migrations ---------------------------------------------

TODAYS_FORMAT = json.dumps(
    {
        "version": 1,
        "tasks": {
            "cvr-nummer": {
                "status": "done",
                "hash": "0123456789ab",
                "note": "Klaret – æøå",
                "updated": "2026-11-01T08:00:00.000Z",
            },
            "mitid": {"status": "doing", "updated": "2026-11-02T08:00:00.000Z"},
            "yder": {"status": "todo", "updated": "2026-11-03T08:00:00.000Z"},
            "gammel": {"status": "na", "hash": "abc"},
            "fjernet-opgave": {"status": "done", "hash": "abc", "note": "gammel"},
        },
    }
)


def test_a_value_in_todays_format_loads_as_it_is(blank: Page):
    result = run(
        blank,
        """
        const storage = memory();
        storage.setItem(key, arg.raw);
        const s = newStore(storage);
        s.load();
        return {tasks: s.tasks, problems: s.problems, stored: storage.getItem(key),
                status: s.statusOf("yder"), none: s.statusOf("ukendt")};
        """,
        raw=TODAYS_FORMAT,
    )
    assert result["tasks"] == json.loads(TODAYS_FORMAT)["tasks"]
    assert result["stored"] == TODAYS_FORMAT, "a readable value is not written again"
    assert result["problems"] == {"blocked": False, "full": False, "corrupt": False}
    assert result["status"] == "todo" and result["none"] == "todo"


def test_validate_tasks_keeps_valid_entries_and_names_each_refused_one(blank: Page):
    result = run(
        blank,
        """
        const result = store.validateTasks({
            "ok": {status: "done", hash: "h", note: "n", updated: "2026-11-01T00:00:00Z",
                   extra: 1},
            "Bad Id": {status: "done"},
            "bad-status": {status: "færdig"},
            "not-object": "done",
            "null-entry": null,
            "long-note": {status: "done", note: "x".repeat(5001)},
            "number-note": {status: "done", note: 5},
            "max-note": {status: "na", note: "x".repeat(5000), hash: ""},
        }, statuses);
        return {tasks: result.tasks, errors: result.errors.map(transfer.refusal)};
        """,
    )
    assert result["tasks"] == {
        "ok": {"status": "done", "hash": "h", "note": "n", "updated": "2026-11-01T00:00:00Z"},
        "max-note": {"status": "na", "note": "x" * 5000},
    }
    assert len(result["errors"]) == 6
    assert '"Bad Id" er ikke et gyldigt opgave-id.' in result["errors"]
    assert 'noten til opgaven "long-note" er ikke gyldig (højst 5000 tegn).' in result["errors"]


def test_migrate_and_parse_stored(blank: Page):
    result = run(
        blank,
        """
        const p = raw => store.parseStored(raw, statuses);
        return {
            v1: store.migrate({version: 1, tasks: {}}) !== null,
            v2: store.migrate({version: 2, tasks: {}}),
            noTasks: store.migrate({version: 1, tasks: []}),
            nothing: p(null),
            notJson: p("{not json"),
            partly: p(JSON.stringify({version: 1, tasks: {a: {status: "done"}, b: {status: "?"}}})),
            practice: p(JSON.stringify({version: 1, tasks: {},
                practice: {opening: "2028-02-29", type: "new", name: "N", updated: "u", x: 1}})),
            badPractice: p(JSON.stringify({version: 1, tasks: {a: {status: "na"}},
                practice: {opening: "2027-02-29", type: "takeover"}})),
            dates: ["2027-01-31", "2027-02-29", "2028-02-29", "2027-13-01", "2027-1-01", "x"]
                .map(store.isISODate),
        };
        """,
    )
    assert result["v1"] is True and result["v2"] is None and result["noTasks"] is None
    assert result["nothing"] == {"tasks": {}, "practice": {}, "broken": False}
    assert result["notJson"] == {"tasks": {}, "practice": {}, "broken": True}
    assert result["partly"] == {"tasks": {"a": {"status": "done"}}, "practice": {}, "broken": True}
    # The settings: valid fields copied (unknown ones dropped), a bad one makes it broken.
    assert result["practice"] == {
        "tasks": {},
        "practice": {"opening": "2028-02-29", "type": "new", "name": "N", "updated": "u"},
        "broken": False,
    }
    assert result["badPractice"] == {
        "tasks": {"a": {"status": "na"}},
        "practice": {"type": "takeover"},
        "broken": True,
    }
    assert result["dates"] == [True, False, True, False, False, False]


def test_unreadable_value_is_kept_and_the_readable_part_written(blank: Page):
    result = run(
        blank,
        """
        const storage = memory();
        const raw = JSON.stringify({version: 1, tasks: {a: {status: "done"}, b: 7}});
        storage.setItem(key, raw);
        const s = newStore(storage);
        s.load();
        return {corrupt: s.problems.corrupt, backup: storage.getItem(key + ":broken") === raw,
                stored: JSON.parse(storage.getItem(key))};
        """,
    )
    assert result["corrupt"] and result["backup"]
    assert result["stored"] == {"version": 1, "tasks": {"a": {"status": "done"}}}


def test_storage_faults(blank: Page):
    result = run(
        blank,
        """
        const full = newStore(memory({full: true}));
        full.load();
        full.setStatus("a", "done", "h");
        const blocked = newStore(memory({blocked: true}));
        blocked.load();
        const merged = blocked.setStatus("a", "done", "h");
        return {full: full.problems, fullStatus: full.statusOf("a"),
                blocked: blocked.problems, readable: blocked.readable, merged,
                blockedStatus: blocked.statusOf("a")};
        """,
    )
    assert result["full"]["full"] and not result["full"]["blocked"]
    assert result["fullStatus"] == "done", "the visit keeps working in memory"
    assert result["blocked"]["blocked"] and result["readable"] is False
    assert result["merged"] is False and result["blockedStatus"] == "done"


# --- store: merge on write, tombstones, stamps --------------------------------------------


def test_merge_on_write_keeps_the_other_tabs_changes(blank: Page):
    result = run(
        blank,
        """
        const storage = memory();
        const one = newStore(storage), two = newStore(storage);
        one.load(); two.load();
        one.setStatus("a", "done", "ha");
        clock.t += 1000;
        const incoming = two.setStatus("b", "doing", "hb");   // two has not seen "a"
        const afterTwo = JSON.parse(storage.getItem(key)).tasks;
        // An older change elsewhere loses against a newer one made here; a newer one wins.
        clock.t += 1000;
        one.setNote("b", "mit");                                // not written yet
        const elsewhere = JSON.parse(storage.getItem(key));
        elsewhere.tasks.b = {status: "na", updated: "2000-01-01T00:00:00.000Z"};
        elsewhere.tasks.a = {status: "todo", updated: "2100-01-01T00:00:00.000Z"};
        storage.setItem(key, JSON.stringify(elsewhere));
        const pending = one.pending();
        one.save();
        return {incoming, afterTwo, pending, merged: one.tasks, twoSees: two.statusOf("a")};
        """,
    )
    assert result["incoming"] is True
    assert set(result["afterTwo"]) == {"a", "b"}
    assert result["afterTwo"]["a"]["status"] == "done" and result["twoSees"] == "done"
    assert result["pending"] is True
    merged = result["merged"]
    # One's entry for b (made when it had not seen two's "doing") is newer: it wins whole.
    assert merged["b"]["note"] == "mit" and merged["b"]["status"] == "todo", "ours is newer"
    assert merged["a"] == {"status": "todo", "updated": "2100-01-01T00:00:00.000Z"}, "a tombstone"


def test_tombstones_stamps_and_replace(blank: Page):
    result = run(
        blank,
        """
        const storage = memory();
        const s = newStore(storage);
        s.load();
        s.setStatus("a", "done", "h");
        s.setStatus("a", "todo", "h");                 // a tombstone: {status, updated}
        const tomb = s.tasks.a;
        // An entry stamped ahead of the clock (an imported file): a change comes after it.
        s.replace({b: {status: "done", updated: "2100-01-01T00:00:00.000Z"}});
        s.setStatus("b", "na", "");
        const ahead = s.tasks.b.updated;
        const stamps = [store.entryTime(undefined), store.entryTime({status: "todo"}),
                        store.entryTime({status: "todo", updated: "nonsense"})];
        s.acknowledge("b", "new-hash");
        const hash = s.tasks.b.hash;
        s.replace(store.dict());
        return {tomb, ahead, stamps, hash, removed: storage.getItem(key),
                exported: transfer.exportData({x: {status: "todo", updated: "u"},
                                            y: {status: "todo", note: "n"}},
                                           new Date("2026-11-20T10:00:00Z")),
                date: transfer.localDate(new Date(2026, 0, 5))};
        """,
    )
    # stamped after the "done" of the same millisecond
    assert result["tomb"] == {"status": "todo", "updated": "2026-11-20T10:00:00.001Z"}
    assert result["ahead"] == "2100-01-01T00:00:00.001Z"
    assert result["stamps"] == [0, 0, 0]
    assert result["hash"] == "new-hash"
    assert result["removed"] is None, "an empty state removes the key"
    assert result["exported"] == {
        "format": "drejebog-fremgang",
        "version": 1,
        "exported": "2026-11-20T10:00:00.000Z",
        "tasks": {"y": {"status": "todo", "note": "n"}},
    }
    assert result["date"] == "2026-01-05"


def test_parse_import(blank: Page):
    cases = {
        "good": {"format": "drejebog-fremgang", "version": 1, "tasks": {"a": {"status": "na"}}},
        "format": {"format": "x", "version": 1, "tasks": {}},
        "version": {"format": "drejebog-fremgang", "version": 2, "tasks": {}},
        "tasks": {"format": "drejebog-fremgang", "version": 1, "tasks": []},
        "status": {"format": "drejebog-fremgang", "version": 1, "tasks": {"a": {"status": "x"}}},
    }
    texts = {name: json.dumps(value) for name, value in cases.items()} | {"json": "{"}
    result = run(
        blank,
        """
        const out = {};
        for (const [name, text] of Object.entries(arg.texts)) {
            out[name] = transfer.parseImport(text, statuses);
        }
        return out;
        """,
        texts=texts,
    )
    assert result["good"] == {"tasks": {"a": {"status": "na"}}}
    assert result["json"]["error"] == "den er ikke en gyldig JSON-fil."
    assert "ikke en eksport" in result["format"]["error"]
    assert "anden version" in result["version"]["error"]
    assert "ingen liste" in result["tasks"]["error"]
    assert result["status"]["error"] == 'opgaven "a" har en ugyldig status.'


# --- share links ------------------------------------------------------------------------


def test_share_codes_round_trip_and_bad_codes_are_refused(blank: Page):
    result = run(
        blank,
        """
        const tasks = {a: {status: "done", note: "privat"}, b: {status: "doing"},
                       c: {status: "na"}, d: {status: "todo", note: "n"}, e: {status: "todo"}};
        const made = share.encodeShare(tasks, config);
        const code = s => btoa(JSON.stringify(s)).replace(/=+$/, "");
        return {
            made,
            back: share.decodeShare(made.code, config),
            garbage: share.decodeShare("%%%", config),
            notJson: share.decodeShare(btoa("nej"), config),
            version: share.decodeShare(code({v: 2, s: {}}), config),
            badCode: share.decodeShare(code({v: 1, s: {a: "x"}}), config),
            todoCode: share.decodeShare(code({v: 1, s: {a: null}}), config),
            badId: share.decodeShare(code({v: 1, s: {"Ikke id": "d"}}), config),
            prefix: share.SHARE_PREFIX,
        };
        """,
    )
    codes = {s.id: s.share_code for s in STATUSES}
    assert result["made"]["count"] == 3
    payload = result["made"]["code"]
    assert "=" not in payload and "+" not in payload and "/" not in payload
    assert result["back"] == {"a": "done", "b": "doing", "c": "na"}
    assert codes["todo"] is None
    for bad in ("garbage", "notJson", "version", "badCode", "todoCode", "badId"):
        assert result[bad] is None, bad
    assert result["prefix"] == "#fremgang="


def test_statuses_from_a_share_link_replace_statuses_and_keep_notes(blank: Page):
    result = run(
        blank,
        """
        const current = {
            same: {status: "done", hash: "old", updated: "2026-01-01T00:00:00.000Z"},
            noted: {status: "done", note: "behold"},
            cleared: {status: "doing"},
        };
        return share.tasksWithStatuses(current, {same: "done", noted: "na", added: "doing"},
                                       id => id === "added" ? "h-added" : "",
                                       new Date("2026-11-20T10:00:00Z"));
        """,
    )
    stamp = "2026-11-20T10:00:00.000Z"
    assert result == {
        "same": {"status": "done", "hash": "old", "updated": "2026-01-01T00:00:00.000Z"},
        "noted": {"status": "na", "note": "behold", "updated": stamp},
        "cleared": {"status": "todo", "updated": stamp},
        "added": {"status": "doing", "hash": "h-added", "updated": stamp},
    }


# --- progress: counts and the next task ----------------------------------------------------


def test_counts_and_next_task(blank: Page):
    result = run(
        blank,
        """
        const task = (id, kind = "task") => ({id, title: id.toUpperCase(), hash: "h", kind});
        const m = progress.indexManifest({version: 1, groups: [
            {id: "g1", title: "G1", url: "opgaver/g1/", tasks: [task("a"), task("i", "info"), task("b")]},
            {id: "g2", title: "G2", url: "opgaver/g2/", tasks: [task("c"), task("d")]},
        ]});
        const of = statuses => id => statuses[id] || "todo";
        const next = (group, statuses) => {
            const t = progress.nextTask(m.order, group, of(statuses));
            return t && t.id;
        };
        return {
            order: m.order.map(t => t.id),
            info: m.byId.i.group.id,
            counts: progress.counts(m.order, of({a: "done", b: "na", c: "doing"})),
            group: progress.counts(progress.groupTasks(m.order, "g2"), of({c: "done"})),
            inGroup: next("g2", {c: "done"}),
            afterGroup: next("g1", {a: "done", b: "na"}),
            wraps: next("g2", {c: "done", d: "done"}),
            home: next(null, {a: "done"}),
            doing: next("g1", {a: "doing"}),
            none: next("g1", {a: "done", b: "na", c: "done", d: "done"}),
            states: [{}, {c: "doing"}, {c: "done"}, {c: "done", d: "done"}, {c: "na", d: "done"}, {c: "na", d: "na"}]
                .map(s => progress.stateOf(progress.counts(progress.groupTasks(m.order, "g2"), of(s)))),
        };
        """,
    )
    assert result["order"] == ["a", "b", "c", "d"] and result["info"] == "g1"
    assert result["counts"] == {"done": 1, "total": 3, "started": 2}
    assert result["group"] == {"done": 1, "total": 2, "started": 1}
    # A group's state: not started, started ("I gang" or one done), all counted done,
    # none counted ("Ikke relevant").
    assert result["states"] == ["todo", "doing", "doing", "done", "done", "na"]
    assert result["inGroup"] == "d"
    assert result["afterGroup"] == "c"
    assert result["wraps"] == "a"
    assert result["home"] == "b"
    assert result["doing"] == "a"
    assert result["none"] is None


def test_safari_is_told_to_export(blank: Page):
    agents = {
        "safari": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.5 Safari/605.1.15",
        "iphone": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        "chrome": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.0.0 Safari/537.36",
        "chrome-ios": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) "
        "AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0 Mobile/15E148 Safari/604.1",
    }
    result = run(
        blank,
        """
        const out = {};
        for (const [name, ua] of Object.entries(arg.agents)) out[name] = panel.isSafari(ua);
        return out;
        """,
        agents=agents,
    )
    assert result == {"safari": True, "iphone": True, "chrome": False, "chrome-ios": False}
