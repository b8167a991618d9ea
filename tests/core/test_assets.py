"""drejebog.assets: the built copies of the site's scripts and styles lose their comments
and needless blanks, and nothing else (the browser tier runs every script from the
stripped build)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from drejebog.assets import strip_css, strip_js, strip_own_assets

ROOT = Path(__file__).resolve().parents[2]
ASSETS = ROOT / "docs" / "assets"
OWN = sorted(p for p in ASSETS.rglob("*") if p.suffix in (".js", ".css"))

JS_CASES = {
    "line comment": ("a = 1; // note\nb = 2;", "a = 1;\nb = 2;"),
    "block comment": ("/* doc\n * more */\nexport const x = 1;", "\nexport const x = 1;"),
    "blank runs": ("if (a)\n\n    return;\n  x  =  1;", "if (a)\nreturn;\nx = 1;"),
    "strings keep slashes": (
        "const u = \"https://x/*y*/\"; const v = '//z'; // c",
        "const u = \"https://x/*y*/\"; const v = '//z'; ",
    ),
    "escaped quote": ("s = 'it\\'s // here'; // c", "s = 'it\\'s // here'; "),
    "template with nested code": (
        "t = `a // ${b ? `c ${{d: 1}.d}` : '/*'} /* e */`; // f",
        "t = `a // ${b ? `c ${{d: 1}.d}` : '/*'} /* e */`; ",
    ),
    "regex with slashes": (
        "r = /^\\/\\/[/*]+$/g.test(s); // c",
        "r = /^\\/\\/[/*]+$/g.test(s); ",
    ),
    "regex after return": ("return /a\\/b/.exec(s) // c", "return /a\\/b/.exec(s) "),
    "division is not a regex": ("x = a / b / c; // d", "x = a / b / c; "),
    "division after a bracket": ("y = (a) / 2 /* h */ / 3;", "y = (a) / 2 / 3;"),
    "blank lines in a template stay": ("t = `a\n\n  b`;", "t = `a\n\n  b`;"),
}


@pytest.mark.parametrize("name", list(JS_CASES))
def test_strip_js(name: str):
    source, expected = JS_CASES[name]
    assert strip_js(source) == expected


@pytest.mark.parametrize(
    "source", ["s = 'open", "t = `open ${a", "/* open", "r = /open\n/"], ids=str
)
def test_what_cannot_be_read_to_the_end_is_left_as_it_is(source: str):
    assert strip_js(source) == source


def test_strip_css():
    source = '/* head */\na { content: "/* kept */"; } /* tail */\n\n\nb  ,\n  c { d: e  f; }\n'
    assert strip_css(source) == 'a{content:"/* kept */"}b,c{d:e f}\n'
    # The blank before a colon (a descendant's pseudo-class) stays; a ";" in a string too.
    assert strip_css('a :is(b) { x: ";" ; }') == 'a :is(b){x:";"}\n'
    assert strip_css("a { /* open") == "a { /* open"


@pytest.mark.parametrize("path", OWN, ids=lambda p: p.relative_to(ASSETS).as_posix())
def test_every_own_asset_loses_its_comments_and_keeps_its_code(path: Path):
    text = path.read_text(encoding="utf-8")
    strip = strip_js if path.suffix == ".js" else strip_css
    stripped = strip(text)
    assert strip(stripped) == stripped  # a fixed point: no comment left to find
    assert len(stripped) < len(text)
    # Every string literal of the source is still there, unchanged.
    for literal in re.findall(r'"(?:[^"\\\n]|\\.)*"', stripped):
        assert literal in text
    if path.suffix == ".js":
        assert "@ts-check" not in stripped and "/**" not in stripped


def test_only_the_sites_own_files_are_stripped(tmp_path: Path):
    docs, site = tmp_path / "docs", tmp_path / "site"
    (docs / "assets").mkdir(parents=True)
    (docs / "assets" / "own.js").write_text("a(); // mine\n", encoding="utf-8")
    (site / "assets" / "javascripts").mkdir(parents=True)
    (site / "assets" / "own.js").write_text("a(); // mine\n", encoding="utf-8")
    theme = site / "assets" / "javascripts" / "bundle.js"
    theme.write_text("b(); // theirs\n", encoding="utf-8")
    done = strip_own_assets(docs, site)
    assert done == [("assets/own.js", 13, 5)]
    assert (site / "assets" / "own.js").read_text(encoding="utf-8") == "a();\n"
    assert theme.read_text(encoding="utf-8") == "b(); // theirs\n"
