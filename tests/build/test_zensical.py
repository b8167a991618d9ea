"""The Zensical build (src/drejebog/zensical.py): the same pages at the same addresses as the
MkDocs build, the runbook's navigation order, nothing written outside its own folder.
Expectations come from the data and from the MkDocs build, never from today's counts."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

import pytest

from drejebog import load_runbook
from drejebog.linkcheck import free_port
from drejebog.render import navigation, render_site
from drejebog.settings import Settings, read_mkdocs_config
from drejebog.zensical import BuildError, prepare

ROOT = Path(__file__).resolve().parents[2]


def pages_of(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def nav_links(html: str, page: str) -> list[str]:
    """The site addresses of the primary navigation's page links, in order (``page``: the
    address the HTML is at, for its relative links)."""
    start = html.index('class="md-nav md-nav--primary"')
    end = html.index("md-sidebar--secondary", start)
    hrefs = re.findall(r'<a href="([^"#]*)" class="md-nav__link', html[start:end])
    base = "http://site/"
    return list(dict.fromkeys(urljoin(base + page, h).removeprefix(base) for h in hrefs))


def test_the_same_pages_at_the_same_addresses(built_site: Path, zensical_site: Path):
    assert pages_of(zensical_site) == pages_of(built_site)
    assert (zensical_site / "assets" / "manifest.json").read_bytes() == (
        built_site / "assets" / "manifest.json"
    ).read_bytes()


def test_the_navigation_follows_the_runbook(zensical_site: Path):
    runbook = load_runbook(ROOT / "data" / "tasks.yaml")
    expected = []
    for item in navigation(render_site(runbook)):
        for value in item.values():
            paths = [next(iter(v.values())) for v in value] if isinstance(value, list) else [value]
            expected += ["" if p == "index.md" else p.removesuffix(".md") + "/" for p in paths]
    html = (zensical_site / "overblik" / "index.html").read_text(encoding="utf-8")
    assert nav_links(html, "overblik/") == expected
    # The home page is "Forside" in the navigation, not titled like the site.
    nav = html[html.index("md-nav--primary") : html.index("md-sidebar--secondary")]
    home = re.search(r'<a href="(?:\./)?\.\./?" class="md-nav__link">(.*?)</a>', nav, re.S)
    assert home and " ".join(re.sub(r"<[^>]+>", " ", home.group(1)).split()) == "Forside"


def test_the_configuration_comes_from_mkdocs_yml(tmp_path: Path):
    runbook = load_runbook(ROOT / "data" / "tasks.yaml")
    prepared = prepare(ROOT, Settings(), runbook, tmp_path / "z")
    config = json.loads(prepared.config.read_text(encoding="utf-8"))
    assert config["site_name"] == runbook.meta.title.replace("&", "&amp;")
    assert config["theme"]["language"] == "da"
    assert config["theme"]["font"] is False
    assert config["theme"]["palette"]
    assert "hooks" not in config
    assert config["extra_css"] == ["assets/drejebog.css"]
    assert config["extra_javascript"][0]["path"] == "assets/checklist/init.js"
    # The shared override and the Zensical ones; Material's partials stay out.
    overrides = {
        p.relative_to(tmp_path / "z" / "overrides").as_posix()
        for p in (tmp_path / "z" / "overrides").rglob("*.html")
    }
    assert "main.html" in overrides and "partials/header.html" in overrides
    assert "partials/search.html" not in overrides


def test_prepare_writes_only_its_own_folder_and_again_only_what_changed(tmp_path: Path):
    runbook = load_runbook(ROOT / "data" / "tasks.yaml")
    docs_before = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").rglob("*"))
    first = prepare(ROOT, Settings(), runbook, tmp_path / "z")
    assert first.changed > first.pages
    stale = tmp_path / "z" / "docs" / "opgaver" / "gone.md"
    stale.write_text("# gammel\n", encoding="utf-8")
    again = prepare(ROOT, Settings(), runbook, tmp_path / "z")
    assert again.changed == 1 and not stale.exists()
    assert sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").rglob("*")) == docs_before


@pytest.mark.parametrize("folder", ["docs", "docs/x", "."])
def test_prepare_refuses_the_tracked_docs(folder: str):
    runbook = load_runbook(ROOT / "data" / "tasks.yaml")
    with pytest.raises(BuildError, match="sin egen mappe"):
        prepare(ROOT, Settings(), runbook, ROOT / folder)


def test_make_targets_name_the_zensical_commands():
    """`make build-zensical` and `make serve-zensical` run the package's command (dry run)."""
    for target, action in (("build-zensical", "build"), ("serve-zensical", "serve")):
        result = subprocess.run(
            ["make", "-n", target], cwd=ROOT, capture_output=True, text=True, check=True
        )
        assert f"-m drejebog zensical {action} --folder build/zensical" in result.stdout


def test_a_data_error_is_one_clean_message(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "-m", "drejebog", "--data", "tests/fixtures/bad/unknown-key.yaml"]
        + ["zensical", "build", "--folder", str(tmp_path / "z")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "unknown-key.yaml:19: groups[0].tasks[0].titel: ukendt felt 'titel'" in result.stderr


def test_env_tags_are_read_as_mkdocs_reads_them(tmp_path: Path, monkeypatch):
    config = tmp_path / "mkdocs.yml"
    config.write_text("a: !ENV [DRB_X, DRB_Y, standard]\nb: !ENV DRB_Z\n", encoding="utf-8")
    for name in ("DRB_X", "DRB_Y", "DRB_Z"):
        monkeypatch.delenv(name, raising=False)
    assert read_mkdocs_config(config) == {"a": "standard", "b": None}
    monkeypatch.setenv("DRB_Y", "fra-y")
    monkeypatch.setenv("DRB_Z", "123")
    assert read_mkdocs_config(config) == {"a": "fra-y", "b": "123"}
    monkeypatch.setenv("DRB_X", "fra-x")
    assert read_mkdocs_config(config)["a"] == "fra-x"
    config.write_text("- ikke en mapping\n", encoding="utf-8")
    with pytest.raises(ValueError, match="YAML-mapping"):
        read_mkdocs_config(config)


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(condition, what: str, timeout: float = 120):
    """Poll ``condition`` until it returns something truthy (a condition, not a moment)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def test_serve_shows_the_runbook_and_follows_edits_of_the_data(tmp_path: Path):
    """`make serve-zensical`'s command: the site in the runbook's order, and a retitled group
    shown again after an edit of the data, without a restart."""
    data = tmp_path / "tasks.yaml"
    source = (ROOT / "data" / "tasks.yaml").read_text(encoding="utf-8")
    data.write_text(source, encoding="utf-8")
    runbook = load_runbook(data)
    group = runbook.groups[-1]
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "drejebog", "--data", str(data), "zensical", "serve"]
        + ["--folder", str(tmp_path / "z"), "--addr", f"127.0.0.1:{port}"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/opgaver/{group.id}/"
        html = _wait_for(lambda: _get(url), "the served group page")
        shown = nav_links(html, f"opgaver/{group.id}/")
        assert [u for u in shown if u.startswith("opgaver/")] == [
            f"opgaver/{g.id}/" for g in runbook.groups
        ]
        new_title = f"{group.title} (ny titel)"
        line = f"title: {group.title}"
        assert line in source
        data.write_text(source.replace(line, f"title: {new_title}", 1), encoding="utf-8")
        _wait_for(lambda: new_title in (_get(url) or ""), "the page with the new title")
    finally:
        server.terminate()
        server.wait(timeout=30)
    # Zensical's own server went with it (the command stops it on SIGTERM).
    _wait_for(lambda: _get(url) is None, "Zensical's server to stop", timeout=30)
