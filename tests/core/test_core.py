"""Core tests: load, validate and render without MkDocs or a browser."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from markupsafe import escape

from drejebog import DataErrors, load_runbook, parse_runbook, richtext
from drejebog.model import Repeat, Source, Timing
from drejebog.render import (
    MANIFEST_FILE,
    md_inline,
    navigation,
    render_site,
    tel_href,
)
from drejebog.render import manifest as render_manifest
from drejebog.validate import SCHEMA_FILE, load_schema

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
BAD = FIXTURES / "bad"

# file -> every error it must give: (line, field path, words the message must contain)
EXPECTED_ERRORS: dict[str, list[tuple[int, str, str]]] = {
    "syntax.yaml": [(5, "(filen)", "YAML-syntaksfejl")],
    "empty.yaml": [(1, "(filen)", "filen er tom")],
    "only-comment.yaml": [(1, "(filen)", "filen er tom")],
    "not-utf8.yaml": [(3, "(filen)", "ikke gyldig UTF-8")],
    "unknown-key.yaml": [
        (18, "groups[0].tasks[0]", "mangler det påkrævede felt 'title'"),
        (19, "groups[0].tasks[0].titel", "ukendt felt 'titel'. Mente du 'title'?"),
    ],
    "missing-id-title.yaml": [
        (18, "groups[0].tasks[0]", "mangler det påkrævede felt 'id'"),
        (18, "groups[0].tasks[0]", "mangler det påkrævede felt 'title'"),
        (18, "groups[0].tasks[0].when", "må ikke være tom"),
    ],
    # Also reuses a contact id as a group id, which is allowed: contacts have their own ids.
    "duplicate-ids.yaml": [
        (
            26,
            "groups[0].tasks[1].id",
            "id 'opgave-1' er allerede brugt af groups[0].tasks[0] (linje 18)",
        ),
    ],
    "duplicate-group-task-id.yaml": [
        (26, "groups[0].tasks[1].id", "id 'gruppe-a' er allerede brugt af groups[0] (linje 15)"),
    ],
    "duplicate-key.yaml": [(20, "groups[0].tasks[0].title", "feltet 'title' står to gange")],
    "bad-id.yaml": [
        (18, "groups[0].tasks[0].id", "'Opgave 1' er ikke gyldig her. Fast id: små bogstaver")
    ],
    "tasks-mapping.yaml": [(17, "groups[0].tasks", "der skal stå en liste")],
    "wrong-types.yaml": [
        (5, "meta.region", "her står en liste, men der skal stå en tekst"),
        (25, "groups[0].tasks[0].help", "her står 'hjaelper', men der skal stå en liste"),
    ],
    "javascript-url.yaml": [
        (24, "groups[0].tasks[0].links[0].url", "'javascript:alert(1)' er ikke gyldig her")
    ],
    "not-a-url.yaml": [
        (24, "groups[0].tasks[0].links[0].url", "'www.example.org' er ikke gyldig her")
    ],
    "details-js-link.yaml": [(26, "groups[0].tasks[0].details", "linket 'javascript:")],
    "bad-email.yaml": [(12, "contacts[0].email", "En e-mailadresse")],
    "bad-phone.yaml": [(13, "contacts[0].phone", "8 cifre")],
    "python-tag.yaml": [
        (
            4,
            "meta.title",
            "YAML-mærket 'tag:yaml.org,2002:python/object/apply:os.system' er ikke tilladt",
        )
    ],
    "alias-bomb.yaml": [(3, "(filen)", "aliaser (*a) er ikke tilladt")],
    "unknown-contact.yaml": [
        (
            25,
            "groups[0].tasks[0].help[0]",
            "kontakten 'hjaelperen' findes ikke. Mente du 'hjaelper'?",
        )
    ],
    "bad-date.yaml": [(8, "meta.updated", "'2026-02-31' er ikke en rigtig dato")],
    "due-day-contradictions.yaml": [
        (23, "groups[0].tasks[0].when.due_day", "due_day: 7 ligger før earliest_day: 14"),
        (28, "groups[0].tasks[1].when.due_day", "har ikke 'before' under when. Tilføj fx before"),
        (33, "groups[0].tasks[2].when.due_day", "har ikke 'after' under when. Tilføj fx after"),
        (38, "groups[0].tasks[3].when.due_source", "men der er ingen due_day"),
    ],
    "info-with-due-day.yaml": [
        (21, "groups[0].tasks[0].when", "kind: info klares af regionen og har ingen 'when'")
    ],
    "bad-repeat.yaml": [
        (22, "groups[0].tasks[0].when.due_day", "højst 730"),
        (25, "groups[0].tasks[0].when.due_source.url", "'localhost' er ikke et offentligt"),
        (27, "groups[0].tasks[0].when.repeat.every", 'Brug en af: "monthly", "quarterly"'),
    ],
    # Provenance marks (``added:``): an unknown 'what', a missing source and source text, a
    # refused source address (the URL policy), and due_day, which due_source marks.
    "bad-marks.yaml": [
        (14, "contacts[0].added[0].what", "'hjemmeside' er ikke tilladt. Brug en af: \"contact\""),
        (21, "groups[0].added[0]", "mangler det påkrævede felt 'source'"),
        (32, "groups[0].tasks[0].added[0].what", "markeres af sin kilde, when.due_source"),
        (36, "groups[0].tasks[0].added[1].source", "mangler det påkrævede felt 'text'"),
        (41, "groups[0].tasks[0].added[2].source.url", "'localhost' er ikke et offentligt"),
    ],
    # A mark of a field the task, contact or group does not have.
    "mark-without-field.yaml": [
        (14, "contacts[0].added[0].what", "men kontakten har ingen phone"),
        (22, "groups[0].added[0].what", "men gruppen har ingen intro"),
        (34, "groups[0].tasks[0].added[0].what", "men opgaven har ingen depends_on"),
    ],
    "dependency-cycle.yaml": [
        (
            32,
            "groups[0].tasks[2].depends_on",
            "afhængighederne går i ring: opgave-1 → opgave-3 → opgave-1",
        )
    ],
}


def errors_of(path: Path) -> list[tuple[int, str, str]]:
    with pytest.raises(DataErrors) as caught:
        load_runbook(path)
    return [(e.line, e.path, e.message) for e in caught.value.errors]


def test_every_bad_fixture_is_covered():
    assert sorted(p.name for p in BAD.glob("*.yaml")) == sorted(EXPECTED_ERRORS)


@pytest.mark.parametrize("name", sorted(EXPECTED_ERRORS))
def test_bad_input_gives_line_numbered_errors(name: str):
    found = errors_of(BAD / name)
    expected = EXPECTED_ERRORS[name]
    assert len(found) == len(expected), found
    for (line, path, words), (got_line, got_path, message) in zip(expected, found, strict=True):
        assert (got_line, got_path) == (line, path), found
        assert words in message, message


def test_error_lines_have_the_documented_format():
    with pytest.raises(DataErrors) as caught:
        load_runbook(BAD / "unknown-key.yaml")
    lines = caught.value.lines()
    assert lines
    for line in lines:
        assert re.fullmatch(r"tests/fixtures/bad/unknown-key\.yaml:\d+: [^:]+: .+", line), line


def test_alias_bomb_fails_fast_in_a_fresh_process():
    # A separate process with a memory cap: an expanding loader would be killed or hang.
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (512 * 2**20, 512 * 2**20))\n"
        "from drejebog.cli import main\n"
        f"sys.exit(main(['--data', {str(BAD / 'alias-bomb.yaml')!r}, 'check']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=20,
        env={},
    )
    assert result.returncode == 1
    assert "aliaser" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_check_reports_errors_without_traceback():
    result = subprocess.run(
        [sys.executable, "-m", "drejebog", "--data", str(BAD / "wrong-types.yaml"), "check"],
        capture_output=True,
        text=True,
        env={},
        cwd=ROOT,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "tests/fixtures/bad/wrong-types.yaml:5: meta.region:" in result.stderr


def test_cli_check_passes_on_real_data(runbook):
    result = subprocess.run(
        [sys.executable, "-m", "drejebog", "check"],
        capture_output=True,
        text=True,
        env={},
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    groups, tasks, contacts = (
        len(runbook.groups),
        len(list(runbook.tasks())),
        len(runbook.contacts),
    )
    assert (
        f"data/tasks.yaml: OK – {groups} grupper, {tasks} opgaver, {contacts} kontakter."
        in result.stdout
    )


def test_missing_file_is_a_data_error(tmp_path: Path):
    assert errors_of(tmp_path / "findes-ikke.yaml")[0][2].startswith("filen kan ikke læses")


# --- the real data ---------------------------------------------------------------


@pytest.fixture(scope="module")
def runbook():
    return load_runbook(ROOT / "data" / "tasks.yaml")


def test_real_data_keeps_every_group_and_task_in_order(runbook):
    """The model holds every group and task of the file, in the file's order
    (counted from the YAML itself, so adding a task changes both sides)."""
    raw = yaml.safe_load((ROOT / "data" / "tasks.yaml").read_text(encoding="utf-8"))
    assert [g.id for g in runbook.groups] == [g["id"] for g in raw["groups"]]
    assert [[t.id for t in g.tasks] for g in runbook.groups] == [
        [t["id"] for t in g["tasks"]] for g in raw["groups"]
    ]
    assert [t.title for t in runbook.tasks()] == [
        t["title"] for g in raw["groups"] for t in g["tasks"]
    ]
    assert [t.is_info for t in runbook.tasks()] == [
        t.get("kind") == "info" for g in raw["groups"] for t in g["tasks"]
    ]
    assert all(g.tasks for g in runbook.groups)


@pytest.mark.parametrize(
    "data",
    [ROOT / "data" / "tasks.yaml", *sorted(FIXTURES.glob("*.yaml")), *sorted(BAD.glob("*.yaml"))],
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_data_files_point_editors_at_the_schema(data: Path):
    """A data file's first line names the schema (shipped in the package) by a path
    relative to the file, so VS Code's YAML extension finds it."""
    first = data.read_bytes().split(b"\n", 1)[0].decode("utf-8", "replace")
    if not first.startswith("# yaml-language-server:"):
        return  # a broken-on-purpose file (empty, not UTF-8, ...)
    target = first.removeprefix("# yaml-language-server: $schema=")
    assert (data.parent / target).resolve() == (ROOT / "src" / "drejebog" / SCHEMA_FILE)


def test_real_data_has_the_seed_contacts(runbook):
    emails = {c.email for c in runbook.contacts} | {
        p.email for c in runbook.contacts for p in c.people
    }
    phones = {re.sub(r"\D", "", c.phone or "") for c in runbook.contacts}
    phones |= {re.sub(r"\D", "", p.phone or "") for c in runbook.contacts for p in c.people}
    for email in [
        "c.kusk@rm.dk",
        "heidi.lindholt@rm.dk",
        "plo@dadl.dk",
        "praksis.administration@rm.dk",
        "sorpost@sundhedsdata.dk",
        "dk.dnh-support@cgi.com",
        "digitalpost@erst.dk",
        "lev.plo@dadl.dk",
    ]:
        assert email in emails
    for phone in [
        "24657633",
        "29458724",
        "32685341",
        "82303231",
        "82303230",
        "44827964",
        "44222080",
        "32683900",
    ]:
        assert phone in phones
    assert "7220030" not in phones  # the seed's number is a digit short: never guessed


def test_hint_level_urls_are_flagged_unverified(runbook):
    # shared/research/links.md rates these addresses "hint": they must carry the flag.
    hints = (
        "sundhed.dk/sundhedsfaglig/min-side/",
        "webreq.dk",
        "/midtjylland/almen-praksis/it/mitid/",
    )
    links = [link for task in runbook.tasks() for link in task.links]
    hinted = [link for link in links if link.url and any(h in link.url for h in hints)]
    assert hinted
    assert all(link.unverified for link in hinted), [
        link.url for link in hinted if not link.unverified
    ]


def test_links_without_evidence_have_no_url(runbook):
    # Seed link texts with no evidenced URL (links.md: "none") stay as text.
    missing = {link.text for task in runbook.tasks() for link in task.links if link.missing}
    for text in ["Makulering af papirjournaler", "WebPatient", "Praksisadministrationen"]:
        assert text in missing


# --- rendering ---------------------------------------------------------------


def test_render_escapes_everything_from_the_yaml():
    runbook = load_runbook(FIXTURES / "hostile.yaml")
    page = next(p for p in render_site(runbook) if p.path == "opgaver/gruppe-a.md")
    # The manifest is JSON in a file of its own; the page only names its version.
    site_manifest = render_manifest(runbook)
    assert "<script>" in json.loads(site_manifest.text)["groups"][0]["tasks"][0]["title"]
    assert re.fullmatch(r"[0-9a-f]{16}", site_manifest.version)
    content = page.markdown
    assert content.count(str(site_manifest.element)) == 1
    assert "<script" not in content
    assert "<img" not in content
    assert "<b>" not in content
    # Attribute lists stay text: in Markdown lines escaped, in the details' raw HTML block plain text.
    assert not re.search(r"(?<!\\)\{:", content.replace('<p>Tekst {: onclick="alert(2)" }</p>', ""))
    assert '<div class="drb-text">\n<p>&lt;script&gt;' in content
    assert "&lt;script&gt;alert(&#39;titel&#39;)&lt;/script&gt;" in content


def _expected_manifest_task(task: dict) -> dict:
    """What the manifest must say about one task of the YAML, derived from the YAML itself."""
    when = task.get("when") or {}
    expected = {"id": task["id"], "title": task["title"], "kind": task.get("kind", "task")}
    for key in ("before", "after"):
        if key in when:
            expected[key] = when[key]
    if "due_day" in when:
        expected["due"] = when["due_day"]
    elif when.get("before") == "required" and when.get("after") != "required":
        expected["due"] = 0  # the opening day
    if "earliest_day" in when:
        expected["earliest"] = when["earliest_day"]
    if "repeat" in when:
        expected["repeat"] = when["repeat"]["every"]
    if len(set(task.get("applies_to") or ())) == 1:
        expected["applies"] = list(task["applies_to"])
    if task.get("depends_on"):
        expected["deps"] = task["depends_on"]
    if task.get("responsible"):
        expected["resp"] = task["responsible"]
    return expected


def test_manifest_carries_the_plan_of_every_task(runbook):
    """Every page's manifest has each task's timing, audience, dependencies and
    responsible, and only the keys a task has (derived from data/tasks.yaml)."""
    raw = yaml.safe_load((ROOT / "data" / "tasks.yaml").read_text(encoding="utf-8"))
    pages = render_site(runbook)
    site_manifest = render_manifest(runbook)
    manifest = json.loads(site_manifest.text)
    assert manifest["version"] == 1
    # Every page with the checklist names the manifest's version, once.
    with_checklist = [p for p in pages if "drb--config" in p.markdown]
    assert len(with_checklist) == len(runbook.groups) + 2  # home, overview, each group
    assert all(p.markdown.count(str(site_manifest.element)) == 1 for p in with_checklist)
    assert [(g["id"], g["title"], g["url"]) for g in manifest["groups"]] == [
        (g["id"], g["title"], f"opgaver/{g['id']}/") for g in raw["groups"]
    ]
    got = [t for g in manifest["groups"] for t in g["tasks"]]
    expected = [_expected_manifest_task(t) for g in raw["groups"] for t in g["tasks"]]
    assert [t.pop("hash") for t in got] == [t.content_hash for t in runbook.tasks()]
    assert got == expected
    # The real data uses each of the plan's keys somewhere.
    used = {key for task in got for key in task}
    assert {"before", "after", "due", "earliest", "repeat", "applies", "deps", "resp"} <= used


def test_suggested_deadlines_and_repeats_are_on_the_task_cards(runbook):
    """Without JavaScript: "Forslag til frist" in words with its source, and "Gentages"."""
    pages = {p.path: p.markdown for p in render_site(runbook)}
    every = {"monthly": "Hver måned", "quarterly": "Hvert kvartal", "yearly": "Hvert år"}
    shown = 0
    for task in runbook.tasks():
        page = pages[f"opgaver/{task.group_id}.md"]
        card = page[page.index(f'data-task-id="{task.id}"') :]
        card = card[: card.index("</section>")]
        timing = task.timing
        if timing.due_day is None:
            assert "Forslag til frist" not in card
        else:
            shown += 1
            days = abs(timing.due_day)
            words = (
                "Senest på opstartsdagen."
                if days == 0
                else f"Senest {days} {'dag' if days == 1 else 'dage'} "
                f"{'før' if timing.due_day < 0 else 'efter'} opstart."
            )
            assert f"<dt>Forslag til frist</dt> <dd>{words}" in card, card
            if timing.due_source:
                source = str(escape(timing.due_source.text))
                if timing.due_source.url:
                    source = f'<a href="{escape(timing.due_source.url)}">{source}</a>'
                assert f"Kilde: {source}</dd>" in card
        if timing.repeat:
            text = f": {escape(timing.repeat.text)}" if timing.repeat.text else ""
            assert f"<dt>Gentages</dt> <dd>{every[timing.repeat.every]}{text}</dd>" in card
        else:
            assert "<dt>Gentages</dt>" not in card
    assert shown


def test_suggestions_do_not_change_a_tasks_hash(runbook):
    """content_hash covers what the user reads in the task (title, details, links),
    not the timing: a new or changed suggestion never marks a task "Opdateret"."""
    task = next(t for t in runbook.tasks() if t.timing.due_day is not None)
    changed = replace(
        task,
        timing=Timing(
            before="optional", due_day=-1, due_source=Source("x"), repeat=Repeat("monthly")
        ),
    )
    assert changed.content_hash == task.content_hash


def test_md_inline_neutralises_markup():
    assert md_inline("<b>*x*</b> {#y}") == "&lt;b&gt;\\*x\\*&lt;/b&gt; \\{\\#y\\}"


def test_markdown_fields_show_html_as_text_and_keep_lists():
    rendered = richtext.render("<script>x</script> & {: onclick=y }")
    assert rendered.html == "<p>&lt;script&gt;x&lt;/script&gt; &amp; {: onclick=y }</p>"
    assert richtext.render("Giv adgang til:\n- FMK\n- DDV").html == (
        "<p>Giv adgang til:</p>\n<ul>\n<li>FMK</li>\n<li>DDV</li>\n</ul>"
    )


@pytest.mark.parametrize(
    ("phone", "href"),
    [
        ("3268 5341", "tel:+4532685341"),
        ("+45 3544 8468", "tel:+4535448468"),
        ("45 35 12 34", "tel:+4545351234"),
    ],
)
def test_tel_links(phone: str, href: str):
    assert tel_href(phone) == href


def test_pages_in_navigation_order(runbook):
    paths = [p.path for p in render_site(runbook)]
    groups = len(runbook.groups)
    assert paths[:2] == ["index.md", "overblik.md"]
    assert paths[2 : 2 + groups] == [f"opgaver/{g.id}.md" for g in runbook.groups]
    assert paths[2 + groups :] == [
        "hvem-kan-hjaelpe.md",
        "aendringer.md",
        "om.md",
        "tilgaengelighed.md",
    ]


def test_accessibility_statement_follows_about_and_links_the_official_one(runbook):
    """ "Tilgængelighedserklæring" comes right after "Om drejebogen"; the official statement's
    address (meta.accessibility_statement) is a link, or "(adressen mangler)" without it."""
    assert [next(iter(item)) for item in navigation(render_site(runbook))][-2:] == [
        "Om drejebogen",
        "Tilgængelighedserklæring",
    ]
    url = "https://www.was.digst.dk/test-dk"
    for address in (None, url):
        meta = replace(runbook.meta, accessibility_statement=address)
        (page,) = [
            p for p in render_site(replace(runbook, meta=meta)) if p.path == "tilgaengelighed.md"
        ]
        assert (f'<a href="{url}">' in page.markdown) == bool(address)
        assert ('<span class="drb-flag">(adressen mangler)</span>' in page.markdown) != bool(
            address
        )


@pytest.mark.parametrize("address", ["javascript:alert(1)", "http://localhost/erklaering", "was"])
def test_accessibility_statement_address_follows_the_url_policy(address: str):
    raw = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    raw = raw.replace(
        '  updated: "2026-01-31"\n',
        f'  updated: "2026-01-31"\n  accessibility_statement: "{address}"\n',
    )
    assert "accessibility_statement" in raw
    with pytest.raises(DataErrors) as caught:
        parse_runbook(raw.encode(), "minimal.yaml")
    assert "meta.accessibility_statement" in caught.value.report()


def test_write_pages_writes_the_same_pages(runbook, tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "-m", "drejebog", "write-pages", str(tmp_path)],
        capture_output=True,
        text=True,
        env={},
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    # The slots in the Markdown (a generator without hooks has no on_page_content), and the
    # manifest's file beside the pages.
    for page in render_site(runbook):
        written = (tmp_path / page.path).read_text(encoding="utf-8")
        assert written == page.markdown
        assert "<!--drb:" not in written
    assert (tmp_path / MANIFEST_FILE).read_text(encoding="utf-8") == render_manifest(runbook).text


def test_core_never_imports_mkdocs():
    code = "import sys, drejebog, drejebog.render, drejebog.cli; print('mkdocs' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={},
    )
    assert result.stdout.strip() == "False", result.stderr


def test_gap_report_lists_what_maintainers_must_fill_in(runbook):
    from drejebog.gaps import find_gaps, report

    gaps = find_gaps(runbook)
    missing = [(t.id, link.text) for t in runbook.tasks() for link in t.links if link.url is None]
    assert [g for g in gaps.missing_urls if g[0] not in ("om-siden", "tilgaengelighed")] == missing
    # The official accessibility statement's address, until the region fills it in.
    statement = [g for g in gaps.missing_urls if g[0] == "tilgaengelighed"]
    assert len(statement) == (0 if runbook.meta.accessibility_statement else 1)
    assert len(gaps.unverified_urls) == sum(
        link.unverified for t in runbook.tasks() for link in t.links
    )
    assert "erhvervsstyrelsen" in dict(gaps.contacts)  # the seed's phone is a digit short
    text = report(gaps)
    task, link = missing[0]
    assert f"| `{task}` | {link} |" in text
    assert f"## Links uden adresse ({len(gaps.missing_urls)})" in text


@pytest.mark.parametrize("name", sorted(EXPECTED_ERRORS))
def test_errors_are_danish_and_show_the_way(name: str):
    """Every message is in Danish; field errors say what a right value looks like."""
    english = re.compile(r"\b(is not|required property|expected|should|must|invalid|Failed)\b")
    with pytest.raises(DataErrors) as caught:
        load_runbook(BAD / name)
    for error in caught.value.errors:
        assert not english.search(error.message), error.message
        if error.path != "(filen)":
            assert re.search(r"Eksempel:|Mente du|\bfx\b", error.message), error.message


def test_schema_documents_every_field_in_danish():
    """Editors show these descriptions as help; each field needs one, and an example where useful."""
    import json

    schema = json.loads((ROOT / "src" / "drejebog" / SCHEMA_FILE).read_text(encoding="utf-8"))
    assert schema == load_schema()  # the file the package loads (package data)
    defs = schema["$defs"]

    def described(node: dict) -> bool:
        ref = node.get("$ref")
        return bool(
            node.get("description") or (ref and defs[ref.rsplit("/", 1)[-1]].get("description"))
        )

    def walk(node: dict, where: str) -> None:
        for name, sub in (node.get("properties") or {}).items():
            assert described(sub), f"{where}.{name} has no description"
            walk(sub, f"{where}.{name}")
        if isinstance(node.get("items"), dict):
            walk(node["items"], where + "[]")

    walk(schema, "tasks.yaml")
    for name, sub in defs.items():
        assert sub.get("description"), name
        walk(sub, name)
    for name in ("id", "text", "url", "email", "phone", "date"):
        assert defs[name]["examples"], name
    assert "små bogstaver" in defs["id"]["description"]


def test_a_second_render_in_the_same_process_shows_its_own_contacts():
    """render_site keeps each contact's HTML for the pages of one call (``memo``); a build
    after it in the same process (``mkdocs serve`` after an edit, linkcheck's builds) must
    show the contact as the data now says, not as the first build made it."""
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    assert "hjaelp@example.dk" in text
    first = parse_runbook(text.encode(), "a.yaml")
    second = parse_runbook(text.replace("hjaelp@example.dk", "ny@example.dk").encode(), "b.yaml")
    render_site(first)
    pages = "".join(p.markdown for p in render_site(second))
    assert "ny@example.dk" in pages and "hjaelp@example.dk" not in pages
