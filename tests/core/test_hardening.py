"""Hostile data, class by class: each case failed (or hung, or crashed) before the hardening.

Generated attacks on every field live in test_hostile.py (browser) and
test_mutations.py (tracebacks); here are the named classes from the security
review, each with the exact error a maintainer gets, or proof that it is inert.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from drejebog import DataErrors, parse_runbook, richtext, yamlsafe
from drejebog.editlinks import edit_links
from drejebog.htmlcheck import fragments_problems, page_problems
from drejebog.urlpolicy import image_problem, link_problem

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = (ROOT / "tests" / "fixtures" / "minimal.yaml").read_text(encoding="utf-8")
NAME = "tasks.yaml"


def errors(text: str) -> list[tuple[int, str, str]]:
    with pytest.raises(DataErrors) as caught:
        parse_runbook(text.encode("utf-8"), NAME)
    return [(e.line, e.path, e.message) for e in caught.value.errors]


def with_task_field(field: str) -> str:
    """The minimal runbook with ``field`` (YAML lines, 8 spaces in) added to the first task."""
    anchor = "        title: Første opgave\n"
    return MINIMAL.replace(anchor, anchor + field)


def line_of(text: str, needle: str) -> int:
    return text.splitlines().index(next(line for line in text.splitlines() if needle in line)) + 1


# --- one URL policy, on the rendered HTML of every Markdown field --------------------


@pytest.mark.parametrize(
    ("field", "words"),
    [
        ("details: Klik [her](javascript:void0).", "'javascript:' er ikke tilladt"),
        ("details: Klik [her](JaVaScRiPt:alert%281%29).", "'javascript:' er ikke tilladt"),
        ("details: Klik [her](javascript:alert(1)).", "'javascript:' er ikke tilladt"),
        ("details: Klik [her](data:text/html,hej).", "'data:' er ikke tilladt"),
        ("details: Skriv [her](mailto:a@b.dk?bcc=spion@c.dk).", "intet efter den"),
        ('details: "![](https://evil.example/x.png)"', "billeder må kun komme fra siden selv"),
        ('details: "![](//evil.example/x.png)"', "billeder må kun komme fra siden selv"),
        ('details: "![](http://192.168.1.10/x.png)"', "billeder må kun komme fra siden selv"),
        ('details: "[intra](http://192.168.1.10/)"', "lokal eller privat adresse"),
        ('details: "[lokal](http://localhost:8000/)"', "ikke et offentligt domænenavn"),
        ('details: "[dobbelt](//evil.example/)"', "mangler https:"),
        ('details: "[omvendt](\\\\\\\\evil.example/x)"', "'\\'"),
    ],
)
def test_markdown_links_and_images_follow_the_policy(field: str, words: str):
    text = with_task_field(f"        {field}\n")
    found = errors(text)
    assert [(line, path) for line, path, _ in found] == [
        (line_of(text, "details:"), "groups[0].tasks[0].details")
    ], found
    assert words in found[0][2], found[0][2]


def test_the_policy_covers_intro_and_about_text_too():
    text = MINIMAL.replace(
        "    title: Gruppe A\n", "    title: Gruppe A\n    intro: Se [her](javascript:void0).\n"
    )
    text += "about:\n  text: Se [her](vbscript:x).\n"
    found = errors(text)
    assert [(path, "er ikke tilladt" in message) for _, path, message in found] == [
        ("groups[0].intro", True),
        ("about.text", True),
    ], found


@pytest.mark.parametrize(
    "details",
    [
        "> [r]: javascript:alert(1)\n\n[klik][r]",  # inside a quote
        "- [r]: javascript:alert(1)\n\n[klik][r]",  # inside a list
        "   [r]: javascript:alert(1)\n\n[klik][r]",  # indented
        "[]: javascript:alert(1)\n\n[klik][]",  # empty label
        "[r]: https://evil.example/i.png\n\n![billede][r]",  # reference-style image
        "<https://evil.example/> <javascript:alert(1)>",  # autolinks
        "<a href='javascript:alert(1)'>a</a> <img src=x onerror=alert(1)>",  # raw HTML
    ],
)
def test_reference_links_autolinks_and_raw_html_stay_text(details: str):
    rendered = richtext.render(details)
    assert rendered.problems == ()
    assert "<a " not in rendered.html and "<img" not in rendered.html, rendered.html
    assert "javascript:" in rendered.html or "evil.example" in rendered.html  # shown, as text


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost:8000/",
        "https://192.168.0.1/",
        "http://10.0.0.8/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://2130706433/",
        "http://0x7f.1/",
        "http://127.1/",
        "https://169.254.169.254/latest/",
        "http://intranet/",
        "https://printer.local/",
        "https://app.internal/",
        "https://user@virk.dk/",
        "mailto:a@b.dk?bcc=c@d.dk",
        "mailto:a@b.dk,c@d.dk",
        "mailto:root@localhost",
        "javascript:alert(1)",
        "https://virk.dk/\u202e",
        "https://virk.dk/ x",
    ],
)
def test_link_urls_refuse_non_public_and_hidden_targets(url: str):
    text = MINIMAL.replace("url: https://example.org/", f"url: {url!r}".replace("'", '"'))
    found = errors(text)
    assert [path for _, path, _ in found] == ["groups[0].tasks[0].links[0].url"], found


@pytest.mark.parametrize(
    "url",
    [
        "https://virk.dk/",
        "http://www.cvr.dk/",
        "https://[2a00:1450::1]/x",
        "https://93.184.216.34/",
        "mailto:plo@dadl.dk",
        "tel:+4532685341",
    ],
)
def test_public_addresses_are_fine(url: str):
    assert link_problem(url) is None
    assert (
        image_problem("../assets/x.png") is None
        and link_problem("#cvr-nummer", relative=True) is None
    )


def test_contact_urls_follow_the_policy_too():
    text = MINIMAL.replace(
        '    phone: "1234 5678"\n', '    phone: "1234 5678"\n    url: http://10.1.2.3/\n'
    )
    assert [path for _, path, _ in errors(text)] == ["contacts[0].url"]


# --- linear time, bounded input ----------------------------------------------------------


def test_a_huge_file_of_brackets_is_refused_quickly(tmp_path: Path):
    # Once 996 s: a reference-link regular expression in the validator was quadratic.
    body = "\n".join("          [" + "[" * 60 for _ in range(27_000))
    source = tmp_path / "tasks.yaml"
    source.write_text(with_task_field("        details: |\n" + body + "\n"), encoding="utf-8")
    assert source.stat().st_size > 1_700_000
    result = subprocess.run(
        [sys.executable, "-m", "drejebog", "--data", str(source), "check"],
        capture_output=True,
        text=True,
        env={},
        timeout=120,
    )
    assert result.returncode == 1
    assert "er for lang: højst 4000 tegn" in result.stderr


def test_a_field_of_brackets_renders_in_linear_time():
    # Python-Markdown alone took 97 s for 20 KB of '['; hidden brackets make it one pass.
    rendered = richtext.render("[" * 4000)
    assert rendered.html == "<p>" + "[" * 4000 + "</p>"


def test_deep_nesting_is_refused_before_markdown_sees_it():
    found = errors(with_task_field('        details: "' + "> " * 500 + 'x"\n'))
    assert "indlejret for dybt" in found[0][2]


def bracketless_texts() -> list[str]:
    """Texts without brackets made of every Markdown construct, in many combinations (a
    fixed seed), and the real data's bracketless fields."""
    pieces = [
        "tekst",
        "*kursiv*",
        "**fed**",
        "`kode`",
        "<b>html</b>",
        "&amp;",
        "<https://x.dk>",
        "\n\n",
        "\n",
        "  \n",
        "# Overskrift\n",
        "Overskrift\n===\n",
        "- punkt\n",
        "1. punkt\n",
        "3) punkt\n",
        "> citat\n",
        "    kode\n",
        "```\nblok\n```\n",
        "---\n",
        "| a | b |\n|:--|--:|\n| 1 | 2 |\n",
        "![",
        "(x)",
        "https://virk.dk/",
        "\\",
        "~~",
        "<!-- x -->",
        "\t- indrykket\n",
        "   > > citat\n",
        "* * *\n",
        "_a_",
        "<script>",
        "javascript:x",
    ]
    rng = random.Random(13)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(400)]
    texts += ["> " * depth + "x" for depth in range(7, 11)]
    texts += ["- " * depth + "x" for depth in range(7, 11)]
    data = yamlsafe.load((ROOT / "data" / "tasks.yaml").read_bytes())[0]
    texts += [
        t["details"] for g in data["groups"] for t in g["tasks"] if "[" not in t.get("details", "[")
    ]
    return [t.replace("[", "").replace("]", "") for t in texts]


def test_a_field_without_brackets_has_the_problems_its_rendering_has():
    """richtext.problems skips Markdown for such a field: its claim, checked."""
    texts = bracketless_texts()
    assert any(richtext.render(t).problems for t in texts)  # the depth cases
    for text in texts:
        assert richtext.problems(text) == richtext.render(text).problems, text


def test_a_one_paragraph_text_renders_as_markdown_renders_it():
    """richtext.render makes a plain one-line text into <p> itself: for every such text
    (random ones from an alphabet with each of Markdown's characters, and the real data's),
    exactly what Markdown makes; and it leaves every other text to Markdown."""
    alphabet = "aæ Z9.,:;()'\"{}/%@$?\t\n\\`*_[]#+-!<>&|~=€"
    rng = random.Random(7)
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(6000)]
    texts += ["Ring til os: tlf. 12 34 56 78 (hverdage)", "a", "x" * 500]
    data = yamlsafe.load((ROOT / "data" / "tasks.yaml").read_bytes())[0]
    texts += [t["details"] for g in data["groups"] for t in g["tasks"] if t.get("details")]
    short = [t for t in texts if richtext._ONE_PARAGRAPH.fullmatch(t)]
    assert len(short) > 300 and len(texts) - len(short) > 3000
    for text in texts:
        assert richtext.render(text) == richtext.markdown_render(text), repr(text)


# --- strict scalars and every cross-reference --------------------------------------------


@pytest.mark.parametrize(
    ("field", "path", "words"),
    [
        ('        id: "opgave-1\\n"\n', "groups[0].tasks[0].id", "ikke gyldig"),
        ('        checked: "2026-01-01\\n"\n', "groups[0].tasks[0].checked", "ikke gyldig"),
        ('        checked: "2026-02-30"\n', "groups[0].tasks[0].checked", "ikke en rigtig dato"),
        ('        responsible: ["Klinik\\rejer"]\n', "groups[0].tasks[0].responsible[0]", "U+000D"),
        (
            '        responsible: ["Klinik\\u2028ejer"]\n',
            "groups[0].tasks[0].responsible[0]",
            "U+2028",
        ),
        ('        responsible: ["\\ud83d"]\n', "groups[0].tasks[0].responsible[0]", "U+D83D"),
    ],
)
def test_one_line_fields_refuse_line_breaks_and_hidden_characters(
    field: str, path: str, words: str
):
    text = (
        with_task_field(field)
        if "id:" not in field
        else MINIMAL.replace("      - id: opgave-1\n", "      - " + field.strip() + "\n")
    )
    found = errors(text)
    assert any(p == path and words in m for _, p, m in found), found


def test_a_title_written_as_a_block_is_refused():
    text = MINIMAL.replace(
        "        title: Første opgave\n",
        "        title: |\n          Første\n          # Overskrift\n",
    )
    assert [(line, path) for line, path, _ in errors(text)] == [
        (line_of(text, "title: |"), "groups[0].tasks[0].title")
    ]


def test_a_duplicate_id_gets_a_free_suggestion_even_when_the_obvious_ones_are_taken():
    taken = "".join(f"      - id: opgave-1-{n}\n        title: T{n}\n" for n in range(2, 1002))
    text = MINIMAL.replace(
        "      - id: opgave-2\n",
        "      - id: opgave-1\n        title: Igen\n      - id: opgave-2\n",
    )
    text = text.replace(
        "groups:\n", f"groups:\n  - id: gruppe-b\n    title: Gruppe B\n    tasks:\n{taken}"
    )
    found = errors(text)
    assert len(found) == 1 and "fx 'opgave-1-1002'" in found[0][2], found


def test_a_long_dependency_chain_is_checked_without_recursion():
    def steps(first: int, last: int) -> str:
        return "".join(
            f"      - id: trin-{n}\n        title: Trin {n}\n        depends_on: [trin-{n - 1}]\n"
            for n in range(first, last)
        )

    text = MINIMAL.replace(
        "      - id: opgave-2\n",
        "      - id: trin-0\n        title: Trin 0\n" + steps(1, 900) + "      - id: opgave-2\n",
    )
    text += f"  - id: gruppe-b\n    title: Gruppe B\n    tasks:\n{steps(900, 1800)}"
    parse_runbook(text.encode("utf-8"), NAME)
    ring = text.replace(
        "        title: Trin 0\n", "        title: Trin 0\n        depends_on: [trin-1799]\n"
    )
    found = errors(ring)
    assert len(found) == 1 and "går i ring: trin-0 → trin-1799 → trin-1798" in found[0][2], found


def test_unknown_task_ids_in_changes_are_errors():
    text = (
        MINIMAL
        + 'changes:\n  - date: "2026-02-01"\n    text: Ny tekst.\n    tasks: [opgave-1, opgave-3]\n'
    )
    assert errors(text) == [
        (
            line_of(text, "tasks: [opgave-1, opgave-3]"),
            "changes[0].tasks[1]",
            "opgaven 'opgave-3' findes ikke. Mente du 'opgave-2'?",
        )
    ]


@pytest.mark.parametrize(
    ("old", "new"), [("- id: gruppe-a", "- id: index"), ("- id: opgave-2", "- id: drb-live")]
)
def test_reserved_ids_are_refused(old: str, new: str):
    found = errors(MINIMAL.replace(old, new))
    assert len(found) == 1 and "reserveret" in found[0][2], found


# --- the safety net and the edit links --------------------------------------------------


def test_the_page_check_names_the_task_of_anything_not_allowed():
    html = (
        '<section class="drb-task" data-task-id="opgave-1"><h2 id="opgave-1">T</h2>'
        '<p><a href="javascript:x()">a</a><svg onload="x()"></svg></p></section>'
    )
    found = page_problems(html)
    assert [task for task, _ in found] == ["opgave-1", "opgave-1"]
    assert "'javascript:' er ikke tilladt" in found[0][1] and "<svg>" in found[1][1]


# Start tags written the ways a browser still reads as tags: the page check must see each
# one's element and attributes as the browser does (or refuse the tag outright).
@pytest.mark.parametrize(
    "html",
    [
        '<a href="javascript:x()">a</a>',
        "<A HREF='JAVASCRIPT:x()'>a</A>",
        "<a href=javascript:x()>a</a>",
        '<a/href="javascript:x()">a</a>',
        '<a title=">" href="javascript:x()">a</a>',
        "<a title='\"' href=javascript:x()>a</a>",
        '<a href="java&#115;cript:x()">a</a>',
        '<a\nhref\n=\n"javascript:x()">a</a>',
        '<p><a href="javascript:x()>a</a></p> text " more',  # a quote left open
        '<!-- <a href="javascript:x()"> -->',
        '<textarea><a href="javascript:x()"></textarea>',
        "<p onclick=x()>a</p>",
        "<svg/onload=x()>",
        "<a href=\"https://ok.dk/\" onmouseover='x()'>a</a>",
        '<a href="x" <',
    ],
)
def test_the_page_check_reads_start_tags_as_a_browser_does_or_stricter(html: str):
    assert page_problems(html), html


def test_a_block_of_a_page_that_ends_inside_a_tag_is_refused():
    cut = '<section class="drb-task" data-task-id="t"><a href="https://ok.dk/" title="'
    found = fragments_problems([cut, '">x</a></section>'])
    assert found and found[0][0] == "t" and "slutter ikke" in found[0][1]
    assert fragments_problems(['<section class="drb-task" data-task-id="t">', "<p>x</p>"]) == []


@pytest.mark.parametrize(
    "branch", ["{x}", 'a"b onmouseover="alert(1)', "feature/ny tekst", "{line}"]
)
def test_branch_names_are_encoded_never_formatted(branch: str):
    links = edit_links("https://github.com/eksempel/drejebog/", branch, "data/tasks.yaml")
    url = links.line_url(42)
    assert url.startswith("https://github.com/eksempel/drejebog/blob/") and url.endswith(
        "/data/tasks.yaml#L42"
    )
    assert not re.search(r'[{}" ]', url) and not re.search(r'[{}" ]', links.edit_uri)


@pytest.mark.parametrize(
    "repo",
    [
        "javascript:alert(1)",
        'https://github.com/x"onmouseover=1',
        "http://github.com/x",
        "https://127.0.0.1/x",
        "https://github.com/x?y=1",
    ],
)
def test_a_bad_repository_address_is_refused(repo: str):
    with pytest.raises(ValueError, match="DREJEBOG_REPO_URL"):
        edit_links(repo, "main", "data/tasks.yaml")
