"""Build tests: the real data through MkDocs (strict), no browser."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape

from drejebog import load_runbook
from drejebog.render import tel_href
from tests.support.sites import GENERATORS, build_site

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
GOLDEN = FIXTURES / "golden"


class Elements(HTMLParser):
    """Collects (tag, attributes) for every element of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Elements()
    parser.feed(html)
    return parser.elements


def build(data: Path, site_dir: Path) -> subprocess.CompletedProcess[str]:
    return build_site(site_dir, data=data)


@pytest.fixture(scope="module")
def runbook():
    return load_runbook(ROOT / "data" / "tasks.yaml")


def group_pages(site: Path) -> list[Path]:
    return sorted((site / "opgaver").glob("*/index.html"))


def test_one_page_per_group(built_site: Path, runbook):
    assert [p.parent.name for p in group_pages(built_site)] == sorted(g.id for g in runbook.groups)
    for page in ["index.html", "hvem-kan-hjaelpe/index.html", "om/index.html", "404.html"]:
        assert (built_site / page).is_file(), page


def test_every_task_appears_exactly_once(built_site: Path, runbook):
    """One card per task on the group pages, one row per task in the overview's table."""
    cards: list[str] = []
    rows: list[str] = []
    for page in built_site.rglob("*.html"):
        found = elements(page.read_text(encoding="utf-8"))
        ids = [(tag, a["data-task-id"]) for tag, a in found if "data-task-id" in a]
        if page.parent.name == "overblik":
            assert {tag for tag, _ in ids} == {"tr"}, ids
            rows += [i for _, i in ids]
        else:
            cards += [i for tag, i in ids if tag == "section"]
    everything = sorted(t.id for t in runbook.tasks())
    assert sorted(cards) == everything
    assert sorted(rows) == everything


def test_every_task_has_an_anchor_on_its_group_page(built_site: Path, runbook):
    for group in runbook.groups:
        html = (built_site / "opgaver" / group.id / "index.html").read_text(encoding="utf-8")
        ids = {a.get("id") for _, a in elements(html)}
        for task in group.tasks:
            assert task.id in ids, task.id


def _contact_hrefs(contact) -> set[str]:
    """The mailto:/tel: links a contact (and its people) should get."""
    hrefs = set()
    for who in (contact, *contact.people):
        if who.email:
            hrefs.add(f"mailto:{who.email}")
        if who.phone:
            hrefs.add(tel_href(who.phone))
    return hrefs


def test_contacts_are_linked_with_mailto_and_tel(built_site: Path, runbook):
    html = (built_site / "hvem-kan-hjaelpe" / "index.html").read_text(encoding="utf-8")
    hrefs = {a.get("href") for tag, a in elements(html) if tag == "a"}
    contacts = {c.id: c for c in runbook.contacts}
    assert any(_contact_hrefs(c) for c in runbook.contacts), "no contact has an e-mail or phone"
    for contact in runbook.contacts:
        assert f'id="{contact.id}"' in html
        assert _contact_hrefs(contact) <= hrefs, contact.id
    # Each task page links its helpers' e-mail addresses and phone numbers too.
    for group in runbook.groups:
        wanted = set().union(*(_contact_hrefs(contacts[c]) for t in group.tasks for c in t.help))
        page = (built_site / "opgaver" / group.id / "index.html").read_text(encoding="utf-8")
        assert wanted <= {a.get("href") for tag, a in elements(page) if tag == "a"}, group.id


def test_missing_and_unverified_links_are_visible(built_site: Path, runbook):
    text = "".join(p.read_text(encoding="utf-8") for p in group_pages(built_site))
    missing = sum(1 for t in runbook.tasks() for link in t.links if link.missing)
    unverified = sum(1 for t in runbook.tasks() for link in t.links if link.unverified)
    assert text.count("(adressen mangler)") == missing > 0
    assert text.count("(link ikke bekræftet)") == unverified > 0


def test_info_rows_are_marked_as_handled_by_the_region(built_site: Path, runbook):
    for task in (t for t in runbook.tasks() if t.is_info):
        html = (built_site / "opgaver" / task.group_id / "index.html").read_text(encoding="utf-8")
        section = html[html.index(f'data-task-id="{task.id}"') :]
        section = section[: section.index("</section>")]
        assert (
            'data-task-kind="info"'
            in html[html.rindex("<section", 0, html.index(f'data-task-id="{task.id}"')) :][:300]
        )
        assert "Du skal ikke gøre noget her" in section


def test_no_third_party_requests_in_pages(built_site: Path):
    # Only links (<a href>) may point elsewhere; nothing the browser loads by itself.
    loaders = {"script": "src", "link": "href", "img": "src", "iframe": "src", "source": "src"}
    for page in built_site.rglob("*.html"):
        for tag, attrs in elements(page.read_text(encoding="utf-8")):
            url = attrs.get(loaders.get(tag, ""), None)
            if tag == "link" and attrs.get("rel") in ("canonical", "alternate"):
                continue
            if url:
                assert not re.match(r"^(https?:)?//", url), f"{page}: <{tag}> loads {url}"


def count_phrase(tasks) -> str:
    """ "6 opgaver", "1 opgave og 2 punkter, som regionen klarer" (group and home pages)."""
    n = sum(1 for t in tasks if not t.is_info)
    k = len(tasks) - n
    text = f"{n} {'opgave' if n == 1 else 'opgaver'}"
    return text + (f" og {k} {'punkt' if k == 1 else 'punkter'}, som regionen klarer" if k else "")


def test_home_page_lists_groups_with_counts(built_site: Path, runbook):
    """One count everywhere: the tasks a practice does, and the region's rows apart; the
    same words on the home page's rows and total and on each group page."""
    html = (built_site / "index.html").read_text(encoding="utf-8")
    for group in runbook.groups:
        row = html[html.index(f'<a href="opgaver/{group.id}/">') :]
        row = row[: row.index("</tr>")]
        # The stop after the count is read, not seen (drejebog.css .drb-stop).
        count = (
            f'<span class="drb-small">{count_phrase(group.tasks)}<span class="drb-stop">.</span>'
        )
        assert count in row, group.id
        assert ('class="drb-group-progress"' in row) == bool(group.actionable), group.id
        page = (built_site / "opgaver" / group.id / "index.html").read_text(encoding="utf-8")
        assert f" · {count_phrase(group.tasks)}.</p>" in page, group.id
    every = list(runbook.tasks())
    assert f"<strong>I alt:</strong> {count_phrase(every)}</td>" in html


def test_about_page_has_source_date_and_privacy(built_site: Path, runbook):
    html = (built_site / "om" / "index.html").read_text(encoding="utf-8")
    assert "ingen cookies" in html
    # The about text is there (its first words; Markdown may wrap the rest).
    assert runbook.about.text
    assert " ".join(runbook.about.text.split()[:3]) in html
    day = runbook.meta.updated
    assert f"{day.day}. " in html and str(day.year) in html


@pytest.mark.parametrize("generator", GENERATORS)
def test_hostile_text_never_becomes_live_html(tmp_path: Path, generator: str):
    result = build_site(tmp_path / "site", data=FIXTURES / "hostile.yaml", generator=generator)
    tmp_path = tmp_path / "site"
    assert result.returncode == 0, result.stderr
    for page in tmp_path.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "alert(" not in "".join(
            (a.get("src") or "") + (a.get("href") or "") for _, a in elements(html)
        )
        for tag, attrs in elements(html):
            assert tag != "img" or attrs.get("src") != "x", page
            assert not any(name.startswith("on") for name in attrs), (page, tag, attrs)
        for body in re.findall(r"<script[^>]*>(.*?)</script>", html, flags=re.S):
            assert "alert(" not in body, page


@pytest.mark.parametrize("generator", GENERATORS)
def test_bad_data_fails_the_build_with_one_line_per_error(tmp_path: Path, generator: str):
    result = build_site(tmp_path, data=FIXTURES / "bad" / "unknown-key.yaml", generator=generator)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        "tests/fixtures/bad/unknown-key.yaml:19: groups[0].tasks[0].titel: ukendt felt 'titel'"
        in result.stderr
    )


def test_golden_group_page(tmp_path: Path):
    """The rendered Markdown of the minimal fixture; regenerate with UPDATE_GOLDEN=1."""
    from drejebog.render import render_site

    runbook = load_runbook(FIXTURES / "minimal.yaml")
    page = next(p for p in render_site(runbook) if p.path == "opgaver/gruppe-a.md")
    golden = GOLDEN / "gruppe-a.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(page.markdown, encoding="utf-8")
    assert page.markdown == golden.read_text(encoding="utf-8")


def test_golden_group_page_html(tmp_path: Path):
    """The task sections of the built HTML page; regenerate with UPDATE_GOLDEN=1."""
    result = build(FIXTURES / "minimal.yaml", tmp_path)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "opgaver" / "gruppe-a" / "index.html").read_text(encoding="utf-8")
    body = "\n".join(re.findall(r"<section class=\"drb-task.*?</section>", html, flags=re.S)) + "\n"
    golden = GOLDEN / "gruppe-a.html"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(body, encoding="utf-8")
    assert body == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("generator", GENERATORS)
def test_edit_links_point_at_the_data_file_and_each_task_line(
    tmp_path: Path, runbook, generator: str
):
    tmp_path = tmp_path / "site"
    result = build_site(
        tmp_path,
        env={"DREJEBOG_REPO_URL": "https://github.com/eksempel/drejebog"},
        generator=generator,
    )
    assert result.returncode == 0, result.stderr
    data_lines = (ROOT / "data" / "tasks.yaml").read_text(encoding="utf-8").splitlines()
    for group in runbook.groups:
        html = (tmp_path / "opgaver" / group.id / "index.html").read_text(encoding="utf-8")
        anchors = elements(html)
        edit = [a for tag, a in anchors if tag == "a" and a.get("rel") == "edit"]
        assert [a["href"] for a in edit] == [
            "https://github.com/eksempel/drejebog/edit/main/data/tasks.yaml"
        ]
        for task in group.tasks:
            href = f"https://github.com/eksempel/drejebog/blob/main/data/tasks.yaml#L{task.line}"
            assert any(a.get("href") == href for tag, a in anchors if tag == "a"), task.id
            assert data_lines[task.line - 1].strip() == f"- id: {task.id}"


def test_no_edit_links_without_a_repository(built_site: Path):
    for page in built_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert 'rel="edit"' not in html and "/blob/" not in html, page


def test_changes_page_lists_changes_newest_first(tmp_path: Path):
    data = tmp_path / "changes.yaml"
    data.write_text(
        (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
        + (
            "changes:\n"
            '  - date: "2026-01-02"\n    text: Ældste ændring.\n'
            '  - date: "2026-03-04"\n    text: Nyeste ændring.\n    tasks: [opgave-1]\n'
        ),
        encoding="utf-8",
    )
    result = build(data, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "aendringer" / "index.html").read_text(encoding="utf-8")
    assert html.index("4. marts 2026") < html.index("2. januar 2026")
    assert 'href="../opgaver/gruppe-a/#opgave-1"' in html


def test_about_page_shows_the_newest_checked_date(tmp_path: Path):
    data = tmp_path / "checked.yaml"
    text = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "        title: Første opgave\n",
        '        title: Første opgave\n        checked: "2026-05-17"\n',
    )
    text = text.replace(
        "        title: Anden opgave\n",
        '        title: Anden opgave\n        checked: "2026-03-01"\n',
    )
    data.write_text(text, encoding="utf-8")
    result = build(data, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "om" / "index.html").read_text(encoding="utf-8")
    assert "Senest tjekket: <strong>17. maj 2026</strong>" in html
    assert "1. marts 2026" not in html


@pytest.mark.parametrize("generator", GENERATORS)
def test_a_branch_named_like_a_number_keeps_its_name(tmp_path: Path, generator: str):
    """DREJEBOG_BRANCH=1.10 is the branch 1.10, not the number 1.1 (MkDocs' !ENV)."""
    env = {"DREJEBOG_REPO_URL": "https://github.com/eksempel/drejebog", "DREJEBOG_BRANCH": "1.10"}
    site = tmp_path / "site"
    result = build_site(site, data=FIXTURES / "minimal.yaml", env=env, generator=generator)
    assert result.returncode == 0, result.stderr
    html = (site / "opgaver" / "gruppe-a" / "index.html").read_text(encoding="utf-8")
    assert "/blob/1.10/tests/fixtures/minimal.yaml#L" in html
    assert "/blob/1.1/" not in html


def test_the_build_encodes_a_hostile_branch_and_refuses_a_hostile_repository(tmp_path: Path):
    settings = {
        "DREJEBOG_REPO_URL": "https://github.com/eksempel/drejebog",
        "DREJEBOG_BRANCH": 'x"{y}',
    }
    result = build_site(tmp_path / "site", data=FIXTURES / "minimal.yaml", env=settings)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "opgaver" / "gruppe-a" / "index.html").read_text(encoding="utf-8")
    assert "/blob/x%22%7By%7D/tests/fixtures/minimal.yaml#L" in html
    settings["DREJEBOG_REPO_URL"] = 'https://github.com/x" onmouseover="alert(1)'
    result = build_site(tmp_path / "site2", data=FIXTURES / "minimal.yaml", env=settings)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "DREJEBOG_REPO_URL skal være en https-adresse" in result.stderr


def test_the_built_scripts_and_styles_are_the_source_without_comments(built_site: Path):
    from drejebog.assets import strip_css, strip_js

    own = [p for p in (ROOT / "docs" / "assets").rglob("*") if p.suffix in (".js", ".css")]
    assert own
    for source in own:
        built = built_site / source.relative_to(ROOT / "docs")
        strip = strip_js if source.suffix == ".js" else strip_css
        assert built.read_text(encoding="utf-8") == strip(source.read_text(encoding="utf-8"))
    # The theme's own files are left alone.
    bundle = next((built_site / "assets" / "javascripts").glob("bundle.*.min.js"))
    assert bundle.stat().st_size > 0


def _provenance_items(fragment: str) -> list[tuple[str, set[str]]]:
    """The provenance notes in a piece of a built page: (text, hrefs) of each mark (a note is
    "Tilføjet af redaktionen: <mark>", or the lead and a line per mark)."""
    items = []
    for note in re.findall(r'<p class="drb-provenance[^"]*">(.*?)</p>', fragment, flags=re.S):
        marks = re.sub(r"^[^:<]* af redaktionen:", "", note)
        for line in re.split(r"<br\s*/?>", marks):
            text = html.unescape(re.sub(r"<[^>]+>", "", line)).strip()
            if text:
                hrefs = {html.unescape(h) for h in re.findall(r'href="([^"]*)"', line)}
                items.append((text, hrefs))
    return items


def _shown(items: list[tuple[str, set[str]]], mark, label: str) -> bool:
    """A note item says this mark: label, text, what the region wrote, source and its link."""
    for text, hrefs in items:
        wanted = [label, f"kilde: {mark.source.text}"]
        wanted += [mark.text] if mark.text else []
        wanted += [f"idligere: {mark.replaces}"] if mark.replaces else []
        if text.startswith(label) and all(w in text for w in wanted):
            return not mark.source.url or mark.source.url in hrefs
    return False


def test_every_mark_is_shown_where_its_fact_is(built_site: Path, runbook):
    """Each added or changed fact has its note ("Tilføjet af redaktionen: … – kilde: …") on
    the built page of its task, group or contact, and the about page lists them all."""
    from drejebog import provenance

    labels = provenance.LABELS
    shown = 0
    for group in runbook.groups:
        page = (built_site / "opgaver" / group.id / "index.html").read_text(encoding="utf-8")
        head = page[: page.index('<section class="drb-task')]
        items = _provenance_items(head)
        assert len(items) == len(group.added), group.id
        assert all(_shown(items, m, labels["group"][m.what]) for m in group.added), group.id
        shown += len(group.added)
        for task in group.tasks:
            start = page.index(f'data-task-id="{task.id}"')
            card = page[start : page.index("</section>", start)]
            items = _provenance_items(card)
            assert len(items) == len(task.added), task.id
            for mark in task.added:
                assert _shown(items, mark, labels["task"][mark.what]), (task.id, mark, items)
                shown += 1
            if task.timing.due_day is not None:  # its source is on the deadline's row
                words = html.unescape(re.sub(r"<[^>]+>", "", card))
                assert f"Kilde: {task.timing.due_source.text}" in words, task.id
                shown += 1
    page = (built_site / "hvem-kan-hjaelpe" / "index.html").read_text(encoding="utf-8")
    for contact in runbook.contacts:
        start = page.index(f'id="{contact.id}"')
        following = [page.find(f'id="{c.id}"', start + 1) for c in runbook.contacts]
        end = min([i for i in following if i > start] or [len(page)])
        items = _provenance_items(page[start:end])
        assert len(items) == len(contact.added), contact.id
        for mark in contact.added:
            assert _shown(items, mark, labels["contact"][mark.what]), (contact.id, mark, items)
            shown += 1
    assert shown == provenance.count(runbook) > 0
    about = (built_site / "om" / "index.html").read_text(encoding="utf-8")
    assert "Hvad kommer fra regionen, og hvad er tilføjet?" in about
    assert f"{shown} oplysninger på siden står ikke sådan i regionens drejebog" in about
    for owner in provenance.owners(runbook):
        if owner.kind == "contact":
            href = f"../hvem-kan-hjaelpe/#{owner.item.id}"
        elif owner.kind == "group":
            href = f"../opgaver/{owner.item.id}/"
        else:
            href = f"../opgaver/{owner.item.group_id}/#{owner.item.id}"
        assert f'href="{href}"' in about, owner.item.id


# --- contacts, whole and the same everywhere -----------------------------------------

MISSING_CONTACT = '<span class="drb-flag">(kontaktoplysninger mangler)</span>'


def contact_spans(html: str) -> dict[str, list[str]]:
    """Every rendered contact (``span.drb-contact``, nested spans included) by contact id,
    with the link to the contacts page made the same from every page."""
    found: dict[str, list[str]] = {}
    start = html.find('<span class="drb-contact">')
    while start >= 0:
        depth, i = 0, start
        for tag in re.finditer(r"<(/?)span\b", html[start:]):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                i = start + tag.end()
                break
        span = html[start : html.index(">", i) + 1]
        span = re.sub(r'href="[^"]*hvem-kan-hjaelpe/#', 'href="#', span)
        named = re.match(r'<span class="drb-contact"><a href="#([^"]+)"', span)
        found.setdefault(named.group(1) if named else "", []).append(span)
        start = html.find('<span class="drb-contact">', i)
    return found


def expected_parts(contact) -> list[str]:
    """What a contact's rendering must show (unescaped text and link addresses): its note,
    e-mail, phone, web page and each person's name, e-mail and phone."""
    parts = [contact.note, contact.email, contact.phone]
    parts += [f'href="{tel_href(contact.phone)}"' if contact.phone else None]
    parts += [f'href="{contact.url}"' if contact.url else None]
    for person in contact.people:
        parts += [person.name, person.email, person.phone]
        parts += [f'href="{tel_href(person.phone)}"' if person.phone else None]
    return [p for p in parts if p]


def section_of(html: str, task_id: str) -> str:
    start = html.index(f'data-task-id="{task_id}"')
    return html[start : html.index("</section>", start)]


def row_of(html: str, task_id: str) -> str:
    start = html.index(f'data-task-id="{task_id}"')
    return html[start : html.index("</tr>", start)]


def test_every_card_shows_its_helpers_whole_and_the_same_everywhere(built_site: Path, runbook):
    """A contact's note, people, e-mail, phone and web page on every task card that lists it,
    rendered the same there, in the overview's cell, on the home and about pages and (without
    its name, the page's heading there) on the contacts page."""
    contacts = {c.id: c for c in runbook.contacts}
    overview = (built_site / "overblik" / "index.html").read_text(encoding="utf-8")
    listed: dict[str, set[str]] = {}
    for group in runbook.groups:
        page = (built_site / "opgaver" / group.id / "index.html").read_text(encoding="utf-8")
        for task in group.tasks:
            card = contact_spans(section_of(page, task.id))
            row = contact_spans(row_of(overview, task.id))
            assert sorted(card) == sorted(row) == sorted(task.help), task.id
            for cid in task.help:
                (span,) = card[cid]
                assert row[cid] == [span], (task.id, cid)
                for part in expected_parts(contacts[cid]):
                    assert part in unescape(span), (task.id, cid, part)
                listed.setdefault(cid, set()).add(span)
    assert all(len(spans) == 1 for spans in listed.values()), "a contact rendered two ways"
    for name in ("index.html", "om/index.html"):
        html = (built_site / name).read_text(encoding="utf-8")
        for cid in runbook.about.contacts:
            spans = contact_spans(html)[cid]
            assert spans and set(spans) <= listed.get(cid, set(spans)), (name, cid)
            for part in expected_parts(contacts[cid]):
                assert part in unescape(spans[0]), (name, cid, part)
    # The contacts page: under each name the same contact, unnamed.
    html = (built_site / "hvem-kan-hjaelpe" / "index.html").read_text(encoding="utf-8")
    for contact in runbook.contacts:
        body = html[html.index(f'id="{contact.id}"') :]
        (span,) = contact_spans(body[: body.find("<h2", 1) if "<h2" in body[1:] else None])[""]
        for part in expected_parts(contact):
            assert part in unescape(span), (contact.id, part)
        for named in listed.get(contact.id, ()):
            # Named: "<a>Name</a>, Organisation: …"; unnamed: "…", the same from there on.
            org = contact.organisation
            head = f'<span class="drb-contact"><a href="#{contact.id}">{escape(contact.name)}</a>'
            head += f", {escape(org)}" if org and org not in contact.name else ""
            rest = re.sub(r"^(: | – |\. | )", "", named.removeprefix(head))
            assert span == '<span class="drb-contact">' + rest, contact.id
        missing = not contact.reachable and not contact.note
        assert (MISSING_CONTACT in span) == missing, contact.id


def test_a_contact_without_a_way_to_reach_it_says_so(tmp_path: Path):
    """tests/fixtures/contacts.yaml: a contact with no e-mail, phone, web page, people or
    note is flagged wherever it is listed; a note that says how, or any way to reach it, is
    enough. And the official accessibility statement's address, given, is a link."""
    data = FIXTURES / "contacts.yaml"
    runbook = load_runbook(data)
    result = build(data, tmp_path)
    assert result.returncode == 0, result.stderr
    flagged = {c.id for c in runbook.contacts if not c.reachable and not c.note}
    assert flagged and flagged != {c.id for c in runbook.contacts}, "the fixture has both kinds"
    pages = {
        "card": (tmp_path / "opgaver" / "gruppe-a" / "index.html").read_text(encoding="utf-8"),
        "overview": (tmp_path / "overblik" / "index.html").read_text(encoding="utf-8"),
        "home": (tmp_path / "index.html").read_text(encoding="utf-8"),
        "about": (tmp_path / "om" / "index.html").read_text(encoding="utf-8"),
    }
    for where, page in pages.items():
        for cid, spans in contact_spans(page).items():
            for span in spans:
                assert (MISSING_CONTACT in span) == (cid in flagged), (where, cid)
        assert MISSING_CONTACT in page, where
    contacts_page = (tmp_path / "hvem-kan-hjaelpe" / "index.html").read_text(encoding="utf-8")
    assert contacts_page.count(MISSING_CONTACT) == len(flagged)
    statement = (tmp_path / "tilgaengelighed" / "index.html").read_text(encoding="utf-8")
    assert f'href="{runbook.meta.accessibility_statement}"' in statement
    assert "(adressen mangler)" not in statement


def test_accessibility_statement_page(built_site: Path, runbook):
    """The page exists, is in the navigation right after "Om drejebogen", names how to
    report a problem (a contact from the data) and links the official statement, or says
    that its address is missing."""
    html = (built_site / "tilgaengelighed" / "index.html").read_text(encoding="utf-8")
    assert "<h1" in html and "Tilgængelighedserklæring" in html
    nav = re.findall(r'<a href="([^"]*)" class="md-nav__link', html)
    about = next(i for i, href in enumerate(nav) if href.endswith("om/"))
    assert nav[about + 1] in ("./", ".", "../tilgaengelighed/"), nav
    address = runbook.meta.accessibility_statement
    if address:
        assert f'href="{address}"' in html and "(adressen mangler)" not in html
    else:
        assert '<span class="drb-flag">(adressen mangler)</span>' in html
    for cid in runbook.about.contacts[:1]:
        assert cid in contact_spans(html), cid


def test_the_search_index_has_every_task_card_as_the_page_shows_it(built_site: Path, runbook):
    """The search index reads each card's searchable slot as its search view (only the
    elements the index keeps, render.Slot.search_view), not the whole card: it must index
    the same words as the built page's whole card (Material's own parser run over the built
    page; white space aside) and leave out what the page marks data-search-exclude."""
    from material.plugins.search.plugin import Parser

    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    indexed = {doc["location"]: doc for doc in index["docs"]}
    norm = lambda text: re.sub(r"\s+", " ", text).strip()  # noqa: E731
    checked = 0
    for group in runbook.groups:
        html = (built_site / "opgaver" / group.id / "index.html").read_text(encoding="utf-8")
        article = html[html.index("<article") : html.index("</article>")]
        parser = Parser()
        parser.feed(article)
        parser.close()
        for section in parser.data:
            if section.id not in {t.id for t in group.tasks}:
                continue
            doc = indexed[f"opgaver/{group.id}/#{section.id}"]
            assert norm(doc["title"]) == norm("".join(section.title)), section.id
            assert norm(doc["text"]) == norm("".join(section.text)), section.id
            assert "Status og noter" not in doc["text"]  # the status row is left out
            checked += 1
    assert checked == sum(len(g.tasks) for g in runbook.groups)
