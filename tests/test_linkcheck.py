"""Link checking, proven offline against a fixture server on 127.0.0.1.

The fixture server answers the ways real servers fail: 403, 404, 429, 500, a
redirect, a request that never gets an answer, and a robots.txt that forbids
everything (which must not make dead links pass unchecked).
"""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from drejebog import linkcheck, load_runbook

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = Path(__file__).parent / "fixtures" / "minimal.yaml"

PATHS = {
    "ok": 200, "moved": 301, "forbidden": 403, "missing": 404, "busy": 429, "error": 500, "slow": None,
}


class FixtureHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802
        name = self.path.strip("/")
        if name == "robots.txt":
            self._answer(200, b"User-agent: *\nDisallow: /\n", "text/plain")
        elif name == "moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif name == "slow":
            time.sleep(8)  # longer than the test's timeout; the server thread ends by itself
        elif name in PATHS:
            self._answer(PATHS[name] or 500, b"<html><body>svar</body></html>", "text/html")
        else:
            self._answer(404, b"", "text/plain")

    def _answer(self, code: int, body: bytes, kind: str) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with_body = self.command != "HEAD"
        if with_body:
            self.wfile.write(body)


@pytest.fixture(scope="module")
def fixture_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FixtureHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def data_file(tmp_path: Path, server: str, names: list[str]) -> Path:
    """The minimal fixture with one task per fixture URL (task id = link-<name>)."""
    tasks = "".join(
        f"      - id: link-{name}\n        title: Link {name}\n        links:\n"
        f"          - text: Til {name}\n            url: {server}/{name}\n"
        for name in names
    )
    text = MINIMAL.read_text(encoding="utf-8").replace("    tasks:\n", "    tasks:\n" + tasks, 1)
    path = tmp_path / "links.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def fast_config(tmp_path: Path) -> Path:
    text = (linkcheck.CONFIG.read_text(encoding="utf-8")
            .replace("timeout=20", "timeout=3")
            .replace("maxrequestspersecond=2", "maxrequestspersecond=100"))
    path = tmp_path / "linkcheckerrc"
    path.write_text(text, encoding="utf-8")
    return path


def build_and_check(tmp_path: Path, data: Path, *, config: Path) -> tuple[linkcheck.Outcome, str]:
    port = linkcheck.free_port()
    base = f"http://127.0.0.1:{port}/"
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DREJEBOG_DATA": str(data), "DREJEBOG_SITE_URL": base}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    with linkcheck.serve(site, port) as url:
        return linkcheck.check_site(site, load_runbook(data), external=True, base_url=url, config=config)


def test_reports_exactly_the_broken_links_with_their_tasks(tmp_path: Path, fixture_server: str):
    data = data_file(tmp_path, fixture_server, list(PATHS))
    # The minimal fixture also links https://example.org/ and mails example.dk:
    # offline those fail too, so they are ignored here and only the fixture host is judged.
    config = fast_config(tmp_path)
    config.write_text(config.read_text(encoding="utf-8") + "\n[filtering]\nignore=\n  ^https://example\\.org\n  ^mailto:\n")
    outcome, report = build_and_check(tmp_path, data, config=config)

    broken = {r.url: r for r in outcome.broken}
    assert set(broken) == {f"{fixture_server}/{n}" for n in ("forbidden", "missing", "error", "slow")}
    assert broken[f"{fixture_server}/forbidden"].status.startswith("403")
    assert broken[f"{fixture_server}/missing"].status.startswith("404")
    assert broken[f"{fixture_server}/error"].status.startswith("500")
    assert "timed out" in broken[f"{fixture_server}/slow"].status.lower()
    for name in ("forbidden", "missing", "error", "slow"):
        assert broken[f"{fixture_server}/{name}"].tasks == {f"link-{name}"}
        assert broken[f"{fixture_server}/{name}"].pages == {"/opgaver/gruppe-a/"}

    warnings = {r.url: r for r in outcome.warnings}
    assert warnings[f"{fixture_server}/moved"].redirect == f"{fixture_server}/ok"
    assert "429" in warnings[f"{fixture_server}/busy"].status
    assert not outcome.ok

    assert "**4 link(s) virker ikke**" in report
    assert f"| {fixture_server}/missing | 404 Not Found | `link-missing` | /opgaver/gruppe-a/ |" in report
    assert f"| {fixture_server}/moved | 301 Moved Permanently | {fixture_server}/ok | `link-moved` |" in report


def test_cli_exits_zero_when_all_links_are_good(tmp_path: Path, fixture_server: str):
    data = data_file(tmp_path, fixture_server, ["ok"])
    data.write_text(data.read_text(encoding="utf-8")
                    .replace("url: https://example.org/", f"url: {fixture_server}/ok")
                    .replace("    email: hjaelp@example.dk\n", ""), encoding="utf-8")
    report = tmp_path / "rapport" / "links.md"
    result = subprocess.run(
        [sys.executable, "-m", "drejebog", "--data", str(data), "linkcheck", "--external",
         "--config", str(fast_config(tmp_path)), "--report", str(report)],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Alle links er i orden (alle links, også eksterne)." in report.read_text(encoding="utf-8")


def test_cli_exits_non_zero_on_a_broken_link(tmp_path: Path, fixture_server: str):
    data = data_file(tmp_path, fixture_server, ["missing"])
    data.write_text(data.read_text(encoding="utf-8")
                    .replace("url: https://example.org/", f"url: {fixture_server}/ok")
                    .replace("    email: hjaelp@example.dk\n", ""), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "drejebog", "--data", str(data), "linkcheck", "--external",
         "--config", str(fast_config(tmp_path))],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 1
    assert f"| {fixture_server}/missing | 404 Not Found | `link-missing` |" in result.stdout


def test_internal_links_and_anchors_of_the_real_site(tmp_path: Path):
    """Runs on every `make test`: the real data's internal links and #anchors all resolve."""
    result = subprocess.run([sys.executable, "-m", "drejebog", "linkcheck"], cwd=ROOT,
                            capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Alle links er i orden (interne links)." in result.stdout


def test_a_missing_anchor_is_reported_as_broken(built_site: Path, tmp_path: Path):
    import shutil

    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    index = site / "index.html"
    index.write_text(index.read_text(encoding="utf-8").replace(
        "<body", '<body><a href="opgaver/laboratorie/#findes-ikke">x</a>', 1), encoding="utf-8")
    outcome, _ = linkcheck.check_site(site, load_runbook(ROOT / "data" / "tasks.yaml"), external=False)
    assert [r.url for r in outcome.broken] == ["opgaver/laboratorie/#findes-ikke"]
