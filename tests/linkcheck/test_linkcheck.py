"""Link checking, proven offline against a fixture server on 127.0.0.1.

The fixture server answers the ways real servers fail: 403, 404, 429, 500, a
redirect, a request that never gets an answer, and a robots.txt that forbids
everything (which must not make dead links pass unchecked). It also answers the
ways hostile servers behave: trickling a byte now and then (a check must still
end), redirecting to a private address (must be refused), and putting Markdown,
HTML and @-mentions into its status line and Location header (the report goes
into a public GitHub issue and must show them as inert text).

The checker refuses connections to addresses that are not public, and the
fixture servers run on 127.0.0.1: tests that use them as stand-ins for external
hosts allow exactly their ports through ``$DREJEBOG_LINKCHECK_ALLOW``.

The fixture sites are built in this process (``drejebog.linkcheck.build_site``,
as ``drejebog linkcheck`` builds), each data file once per module
(``fixture_sites``), and checked in process; only the tests of the command line
run ``python -m drejebog linkcheck``. The real site is crawled once, in
``test_internal_links_and_anchors_of_the_real_site``.
"""

from __future__ import annotations

import contextlib
import http.server
import ipaddress
import os
import re
import string
import subprocess
import sys
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from drejebog import DataErrors, linkcheck, load_runbook, urlpolicy
from drejebog.model import Runbook
from drejebog.settings import Settings, linkcheck_limits

ALLOW = "DREJEBOG_LINKCHECK_ALLOW"
RESOLVE = "DREJEBOG_LINKCHECK_RESOLVE"
# The data may only name public hosts (urlpolicy.py): the fixture server gets a public-looking
# name, which the checker maps to 127.0.0.1 ($DREJEBOG_LINKCHECK_RESOLVE, tests only).
FIXTURE_HOST = "fixture.example.org"
# Longer than any of these runs takes on a loaded machine; the runs of the
# original code that hang on a trickling server fail here instead of hanging.
RUN_CAP = 180
# A status line and a redirect target carrying everything that would be live
# Markdown or HTML in a GitHub issue (http.server sends any reason phrase;
# \x85 is a line break to Unicode, \x1b a control character).
HOSTILE_REASON = (
    "Gone | x | y <img src=https://evil.example/p.png> ![i](https://evil.example/i.png) "
    "[klik](https://evil.example/) @octocat #1 ``` `x` \\| \x85 \x1b[31m <script>alert(1)</script> "
)
HOSTILE_LOCATION = "/ok?q=<img src=x>@octocat|`x`![i](https://evil.example/i.png)#1"

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "minimal.yaml"

PATHS = {
    "ok": 200,
    "moved": 301,
    "forbidden": 403,
    "missing": 404,
    "busy": 429,
    "error": 500,
    "slow": None,
}


class FixtureHandler(linkcheck.LocalServer):
    """Answers by path (PATHS and the special names below); quiet and "local" as the
    site's own server is, so LinkChecker's pause before each request, which no test is
    about, is skipped."""

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        name = self.path.split("?", 1)[0].strip("/")
        # The checker gives up on a trickle, as it should.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._get(name)

    def _get(self, name: str) -> None:
        if name.startswith("trickle-"):
            self._trickle(head_only=name == "trickle-head")
        elif name.startswith("to-private/"):
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.1:{name.split('/')[1]}/omdirigeret")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif name == "hostile":
            self.send_response(404, HOSTILE_REASON)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif name == "hostile-moved":
            self.send_response(302, HOSTILE_REASON)
            self.send_header("Location", HOSTILE_LOCATION)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif name == "robots.txt":
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

    def _trickle(self, *, head_only: bool) -> None:
        """One byte every 0.3 s (well inside LinkChecker's per-read timeout of
        3 s), forever: in the headers or in the body of an HTML page."""
        if head_only:
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Trickle: ")
        else:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "4000")
            self.end_headers()
            self.wfile.write(b"<html><body>")
        while not self.server.stopping.wait(0.3):  # type: ignore[attr-defined]
            self.wfile.write(b"a")

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
    server.stopping = threading.Event()  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://{FIXTURE_HOST}:{server.server_address[1]}"
    server.stopping.set()  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()


@pytest.fixture
def allow_fixture(fixture_server: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Let the checker connect to the fixture server (and to nothing else on
    127.0.0.1 but the site); returns the environment for CLI runs."""
    monkeypatch.setenv(ALLOW, "127.0.0.1:" + fixture_server.rsplit(":", 1)[1])
    monkeypatch.setenv(RESOLVE, f"{FIXTURE_HOST}=127.0.0.1 private.example.org=127.0.0.1")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    return dict(os.environ)


class RecordingHandler(http.server.BaseHTTPRequestHandler):
    """A server the checker must never reach: it notes every request."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.server.requests.append(self.path)  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = do_GET


@pytest.fixture
def private_server() -> Iterator[http.server.ThreadingHTTPServer]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RecordingHandler)
    server.daemon_threads = True
    server.requests = []  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def links_text(links: dict[str, str]) -> str:
    """The minimal fixture with one task per link (task id -> URL)."""
    tasks = "".join(
        f"      - id: {task}\n        title: Link {task}\n        links:\n"
        f'          - text: Til {task}\n            url: "{url}"\n'
        for task, url in links.items()
    )
    return MINIMAL.read_text(encoding="utf-8").replace("    tasks:\n", "    tasks:\n" + tasks, 1)


def fixture_links(server: str, names: list[str]) -> dict[str, str]:
    """One task per fixture URL (task id = link-<name>)."""
    return {f"link-{name}": f"{server}/{name}" for name in names}


def only_fixture_links(text: str, server: str) -> str:
    """``text`` without the minimal fixture's own external link and e-mail address
    (offline they fail): every link left is on the fixture server."""
    return text.replace("url: https://example.org/", f"url: {server}/ok").replace(
        "    email: hjaelp@example.dk\n", ""
    )


def data_with_links(tmp_path: Path, links: dict[str, str]) -> Path:
    path = tmp_path / "links.yaml"
    path.write_text(links_text(links), encoding="utf-8")
    return path


def fast_config(tmp_path: Path, *, offline: bool = False) -> Path:
    """The real config, with short timeouts. ``offline``: the minimal fixture's
    own https://example.org/ and mailto: links are ignored (offline they fail)."""
    text = (
        linkcheck.CONFIG.read_text(encoding="utf-8")
        .replace("timeout=20", "timeout=3")
        .replace("maxrequestspersecond=2", "maxrequestspersecond=100")
    )
    if offline:
        text += "\n[filtering]\nignore=\n  ^https://example\\.org\n  ^mailto:\n"
    path = tmp_path / "linkcheckerrc"
    path.write_text(text, encoding="utf-8")
    return path


@dataclass(frozen=True)
class FixtureSite:
    """A site built from a fixture data file, for the address ``http://127.0.0.1:port/``."""

    data: Path
    runbook: Runbook
    folder: Path
    port: int

    def check(
        self, *, config: Path, limits: linkcheck.Limits | None = None
    ) -> tuple[linkcheck.Outcome, str]:
        """Serve the site at its address and check it, external links too, in process."""
        with linkcheck.serve(self.folder, self.port) as url:
            return linkcheck.check_site(
                self.folder, self.runbook, external=True, base_url=url, config=config, limits=limits
            )


@pytest.fixture(scope="module")
def fixture_sites(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], FixtureSite]:
    """``site(text)``: the site of the data file ``text``, built in process
    (drejebog.linkcheck.build_site, the build of ``drejebog linkcheck``) the
    first time a test of this module asks for it, and reused after that."""
    folder = tmp_path_factory.mktemp("fixture-sites")
    built: dict[str, FixtureSite] = {}

    def site(text: str) -> FixtureSite:
        if text not in built:
            n = len(built)
            data = folder / f"links-{n}.yaml"
            data.write_text(text, encoding="utf-8")
            runbook = load_runbook(data)
            port = linkcheck.free_port()
            site_dir = linkcheck.build_site(
                Settings(data=data, runbook=runbook),
                folder / f"site-{n}",
                mkdocs_config=ROOT / "mkdocs.yml",
                site_url=f"http://127.0.0.1:{port}/",
            )
            built[text] = FixtureSite(data, runbook, site_dir, port)
        return built[text]

    return site


def run_cli(data: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "drejebog", "--data", str(data), "linkcheck", "--external", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=RUN_CAP,
    )


def test_reports_exactly_the_broken_links_with_their_tasks(
    tmp_path: Path, fixture_server: str, allow_fixture, fixture_sites
):
    site = fixture_sites(links_text(fixture_links(fixture_server, list(PATHS))))
    # The minimal fixture also links https://example.org/ and mails example.dk:
    # offline those fail too, so they are ignored here and only the fixture host is judged.
    outcome, report = site.check(config=fast_config(tmp_path, offline=True))

    broken = {r.url: r for r in outcome.broken}
    assert set(broken) == {
        f"{fixture_server}/{n}" for n in ("forbidden", "missing", "error", "slow")
    }
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
    assert (
        f"| `{fixture_server}/missing` | `404 Not Found` | `link-missing` | `/opgaver/gruppe-a/` |"
        in report
    )
    assert (
        f"| `{fixture_server}/moved` | `301 Moved Permanently` | `{fixture_server}/ok` | `link-moved` |"
        in report
    )


def test_cli_builds_the_site_and_exits_zero_when_all_links_are_good(
    tmp_path: Path, fixture_server: str, allow_fixture
):
    """Without --site the command builds the site itself (in its own process), once."""
    data = tmp_path / "links.yaml"
    data.write_text(
        only_fixture_links(links_text(fixture_links(fixture_server, ["ok"])), fixture_server),
        encoding="utf-8",
    )
    report = tmp_path / "rapport" / "links.md"
    result = run_cli(
        data, allow_fixture, "--config", str(fast_config(tmp_path)), "--report", str(report)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Alle links er i orden (alle links, også eksterne)." in report.read_text(
        encoding="utf-8"
    )


def test_cli_checks_a_built_site_and_exits_non_zero_on_a_broken_link(
    tmp_path: Path, fixture_server: str, allow_fixture, fixture_sites
):
    """With --site the command checks a site that is built already, at its address (--port)."""
    site = fixture_sites(
        only_fixture_links(links_text(fixture_links(fixture_server, ["missing"])), fixture_server)
    )
    result = run_cli(
        site.data,
        allow_fixture,
        "--site",
        str(site.folder),
        "--port",
        str(site.port),
        "--config",
        str(fast_config(tmp_path)),
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"| `{fixture_server}/missing` | `404 Not Found` | `link-missing` |" in result.stdout
    assert (
        "**1 link(s) virker ikke**" in result.stdout
    )  # nothing else, the site's own links neither


def test_internal_links_and_anchors_of_the_real_site(built_site: Path, tmp_path: Path):
    """Runs on every `make test`, and is the one crawl of the real site: its internal
    links and #anchors all resolve, and a missing anchor (added to a copy of the
    home page) is reported as broken; it is the only broken link."""
    import shutil

    runbook = load_runbook(ROOT / "data" / "tasks.yaml")
    missing = f"opgaver/{runbook.groups[0].id}/#findes-ikke"
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    index = site / "index.html"
    index.write_text(
        index.read_text(encoding="utf-8").replace("<body", f'<body><a href="{missing}">x</a>', 1),
        encoding="utf-8",
    )
    outcome, report = linkcheck.check_site(site, runbook, external=False)
    assert [r.url for r in outcome.broken] == [missing], report
    assert "**1 link(s) virker ikke** (interne links)" in report


# --- bounded time -------------------------------------------------------------


def test_a_trickling_server_is_cut_off_by_the_limit_per_url(
    tmp_path: Path,
    fixture_server: str,
    allow_fixture,
    fixture_sites,
    monkeypatch: pytest.MonkeyPatch,
):
    """A byte every 0.3 s never trips LinkChecker's own per-read timeout; the
    limit per URL ends the check, in the headers as in the body (read for the
    #anchor check), and the run still ends with a report."""
    head, body = f"{fixture_server}/trickle-head", f"{fixture_server}/trickle-body#svar"
    site = fixture_sites(links_text({"link-head": head, "link-body": body}))
    monkeypatch.setenv("DREJEBOG_LINKCHECK_URL_LIMIT", "2")
    outcome, text = site.check(
        config=fast_config(tmp_path, offline=True), limits=linkcheck_limits()
    )

    assert not outcome.ok, text
    reason = "Tidsgrænsen på 2 s pr. link blev overskredet"
    assert f"| `{head}` | {reason}" in text and "| `link-head` |" in text
    assert f"| `{body}` | {reason}" in text and "| `link-body` |" in text
    assert "**2 link(s) virker ikke**" in text


def test_the_run_limit_ends_the_run_and_lists_what_was_not_checked(
    tmp_path: Path,
    fixture_server: str,
    allow_fixture,
    fixture_sites,
    monkeypatch: pytest.MonkeyPatch,
):
    """With one checker thread, the trickle holds it until the run limit; the
    link queued behind it is never checked, and both are reported with their tasks."""
    head, missing = f"{fixture_server}/trickle-head", f"{fixture_server}/missing"
    site = fixture_sites(links_text({"link-head": head, "link-missing": missing}))
    config = fast_config(tmp_path, offline=True)
    config.write_text(
        config.read_text(encoding="utf-8").replace("threads=4", "threads=1"), encoding="utf-8"
    )
    monkeypatch.setenv("DREJEBOG_LINKCHECK_RUN_LIMIT", "3")
    outcome, text = site.check(config=config, limits=linkcheck_limits())

    assert not outcome.ok and outcome.interrupted_after == 3, text
    assert "**Linktjekket blev stoppet af sin samlede tidsgrænse på 3 s**" in text
    rows = {line.split(" | ")[0]: line for line in text.splitlines() if line.startswith("| `http")}
    assert set(rows) == {f"| `{head}`", f"| `{missing}`"}
    assert (
        "samlede tidsgrænse på 3 s" in rows[f"| `{head}`"] and "`link-head`" in rows[f"| `{head}`"]
    )
    assert "Ikke tjekket" in rows[f"| `{missing}`"] and "`link-missing`" in rows[f"| `{missing}`"]


def test_a_hung_checker_is_killed_and_what_it_wrote_is_reported(tmp_path: Path):
    """The last resort: a LinkChecker that hangs outside any socket is killed
    after the run limit plus grace; its rows so far and the unchecked URLs
    make the report. (The stand-in writes one row and then blocks.)"""
    stand_in = [
        sys.executable,
        "-c",
        "\n".join(
            [
                "import sys, threading",
                "print('# created by a stand-in')",
                "print('urlname;parentname;result;valid;url')",
                "print('https://a.example/x;http://127.0.0.1:1/side/;404 Not Found;False;https://a.example/x', flush=True)",
                f"threading.Event().wait({RUN_CAP})",  # 'forever'; ends by itself if the kill never comes
            ]
        ),
    ]
    limits = linkcheck.Limits(url=60, run=1, grace=1)
    run = linkcheck.run_linkchecker(
        "http://127.0.0.1:1/", external=True, limits=limits, command=stand_in
    )
    assert run.killed and run.cut_short and run.code != 0

    owners = {"https://a.example/x": {"opgave-a"}, "https://b.example/": {"opgave-b"}}
    outcome, report = linkcheck.finish(
        run, "http://127.0.0.1:1/", owners, external=True, limits=limits
    )
    assert not outcome.ok
    assert "| `https://a.example/x` | `404 Not Found` | `opgave-a` | `/side/` |" in report
    assert (
        "| `https://b.example/` | Ikke tjekket: linktjekkets samlede tidsgrænse på 1 s blev nået | `opgave-b` | – |"
        in report
    )


def test_the_watchdog_ends_a_stalled_tls_handshake():
    """TLS takes the socket's descriptor over from the socket the guard opened;
    the guard's duplicate still reaches it. A server that accepts, reads the
    ClientHello and never answers holds the handshake until the deadline."""
    import socket
    import ssl

    from drejebog import _linkchecker

    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    hello = threading.Event()

    def silent_server() -> None:
        conn, _ = listener.accept()
        with conn:
            if conn.recv(4096):
                hello.set()
            while conn.recv(4096):  # read and never answer, until the client goes away
                pass

    threading.Thread(target=silent_server, daemon=True).start()
    now = [0.0]
    guard = _linkchecker.Guard(
        {(ipaddress.ip_address("127.0.0.1"), port)},
        url_limit=60,
        run_limit=600,
        clock=lambda: now[0],
    )
    outcome: dict[str, object] = {}

    def check() -> None:
        job = guard.begin()
        try:
            sock = guard.connect(("127.0.0.1", port), timeout=None)
            ssl.create_default_context().wrap_socket(sock, server_hostname="example.org")
        except OSError as exc:
            outcome["error"] = exc
        finally:
            outcome["expired"] = job.expired
            guard.end(job)

    worker = threading.Thread(target=check, daemon=True)
    worker.start()
    assert hello.wait(RUN_CAP)  # the handshake has started and waits for the server
    guard.tick()
    assert worker.is_alive()  # not yet: the deadline is 60 s away
    now[0] = 61.0
    guard.tick()
    worker.join(RUN_CAP)
    assert not worker.is_alive()
    assert outcome["expired"] == "url" and isinstance(outcome["error"], OSError)
    listener.close()


# --- only public addresses ----------------------------------------------------


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("2606:4700:4700::1111", True),
        ("::ffff:8.8.8.8", True),
        ("127.0.0.1", False),
        ("127.8.9.10", False),
        ("10.0.0.1", False),
        ("172.16.5.4", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("0.0.0.0", False),
        ("100.64.0.1", False),
        ("224.0.0.1", False),
        ("255.255.255.255", False),
        ("240.0.0.1", False),
        ("192.0.2.1", False),
        ("::1", False),
        ("::", False),
        ("fe80::1", False),
        ("fd00::1", False),
        ("ff02::1", False),
        ("fec0::1", False),
        ("2001:db8::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:10.1.2.3", False),
        ("64:ff9b::7f00:1", False),
        ("2002:7f00:1::1", False),
        ("2002:c0a8:101::1", False),
    ],
)
def test_which_addresses_are_public(address: str, public: bool):
    assert urlpolicy.is_public(ipaddress.ip_address(address)) is public


def test_links_to_private_addresses_are_refused_not_fetched(
    tmp_path: Path, fixture_server: str, allow_fixture, private_server, fixture_sites
):
    """The data cannot name a private address (urlpolicy.py refuses it before the build);
    a public name that resolves to one, and a redirect from an allowed server to one,
    are refused by the checker: the private server never sees a request."""
    port = private_server.server_address[1]
    with pytest.raises(DataErrors):
        load_runbook(
            data_with_links(tmp_path, {"link-direkte": f"http://127.0.0.1:{port}/direkte"})
        )
    links = {
        "link-navn": f"http://private.example.org:{port}/navn",  # resolves to 127.0.0.1, not allowed
        "link-omdirigeret": f"{fixture_server}/to-private/{port}",
        "link-ok": f"{fixture_server}/ok",
    }
    site = fixture_sites(links_text(links))
    outcome, report = site.check(config=fast_config(tmp_path, offline=True))

    assert private_server.requests == []  # type: ignore[attr-defined]
    broken = {r.url: r for r in outcome.broken}
    assert set(broken) == {links["link-navn"], links["link-omdirigeret"]}
    for task in ("link-navn", "link-omdirigeret"):
        assert broken[links[task]].tasks == {task}
        assert broken[links[task]].reason.startswith("Afvist: adressen er ikke offentlig")
    assert broken[links["link-omdirigeret"]].status == f"127.0.0.1:{port}"
    assert f"| `{links['link-navn']}` | Afvist: adressen er ikke offentlig" in report


def test_the_resolve_map_takes_only_name_and_address():
    from drejebog import _linkchecker

    assert _linkchecker.parse_resolve("a.example.org=127.0.0.1, B.example.org=[::1]") == {
        "a.example.org": ipaddress.ip_address("127.0.0.1"),
        "b.example.org": ipaddress.ip_address("::1"),
    }
    for bad in ("a.example.org", "=127.0.0.1", "a.example.org=localhost"):
        with pytest.raises(ValueError, match="DREJEBOG_LINKCHECK_RESOLVE"):
            _linkchecker.parse_resolve(bad)


def test_the_allow_list_takes_only_address_and_port():
    from drejebog import _linkchecker

    assert _linkchecker.parse_allow("127.0.0.1:80, [::1]:8080") == {
        (ipaddress.ip_address("127.0.0.1"), 80),
        (ipaddress.ip_address("::1"), 8080),
    }
    for bad in ("127.0.0.1", "localhost:80", "10.0.0.0/8:80", "127.0.0.1:x"):
        with pytest.raises(ValueError):
            _linkchecker.parse_allow(bad)


# --- a report that is safe in a public issue -----------------------------------

PUNCTUATION = set(string.punctuation)


def table_cells(line: str) -> list[str]:
    """A table row split the way GitHub (cmark-gfm) splits it: a backslash and
    an ASCII punctuation character are one unit, every other ``|`` ends a cell;
    then ``\\|`` becomes ``|`` in each cell."""
    cells, cell, i = [], "", 0
    line = line.strip().removeprefix("|")
    while i < len(line):
        if line[i] == "\\" and i + 1 < len(line) and line[i + 1] in PUNCTUATION:
            cell, i = cell + line[i : i + 2], i + 2
        elif line[i] == "|":
            cells, cell, i = [*cells, cell], "", i + 1
        else:
            cell, i = cell + line[i], i + 1
    if cell.strip():
        cells.append(cell)
    return [c.replace("\\|", "|").strip() for c in cells]


def split_code(text: str) -> tuple[str, list[str]]:
    """(text outside code spans, contents of the code spans), as CommonMark
    reads them: a run of n backticks opens a span that the next run of exactly
    n closes; a backslash escapes punctuation outside spans."""
    outside, spans, i = "", [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text) and text[i + 1] in PUNCTUATION:
            outside, i = outside + text[i : i + 2], i + 2
        elif text[i] == "`":
            j = i
            while j < len(text) and text[j] == "`":
                j += 1
            k = j
            while k < len(text):
                if text[k] != "`":
                    k += 1
                    continue
                m = k
                while m < len(text) and text[m] == "`":
                    m += 1
                if m - k == j - i:
                    break
                k = m
            if k < len(text):
                content = text[j:k]
                if content.startswith(" ") and content.endswith(" ") and content.strip():
                    content = content[1:-1]
                spans.append(content)
                outside, i = outside + " ", k + (j - i)
            else:
                outside, i = outside + text[i:j], j
        else:
            outside, i = outside + text[i], i + 1
    return outside, spans


@pytest.mark.parametrize(
    "value",
    [
        "404 Not Found",
        "a | b || c",
        "`",
        "``a`` ```b```",
        "`x`",
        "ends with a backslash \\",
        "\\| and \\\\|",
        "<img src=x onerror=alert(1)>",
        "@octocat #12 ![i](http://e/i.png)",
        "line\nbreak\r\nand\x85more\u2028end",
        "bidi \u202eevil\u202c zero\u200bwidth \x00\x1b[31m",
        "x" * 500,
    ],
)
def test_md_code_makes_one_inert_code_span_that_keeps_the_table(value: str):
    cells = table_cells(f"| {linkcheck.md_code(value)} | næste |")
    assert len(cells) == 2 and cells[1] == "næste"
    outside, spans = split_code(cells[0])
    assert outside.strip() == "" and len(spans) == 1
    shown = spans[0]
    assert len(shown) <= 200 and not any(unicodedata.category(c).startswith("C") for c in shown)
    if "\\" not in value and len(value) < 200:  # what GitHub shows is the value, cleaned:
        cleaned = re.sub(r"[\r\n\x85\u2028]", " ", value)  # line breaks become spaces,
        cleaned = "".join(
            c for c in cleaned if not unicodedata.category(c).startswith("C")
        )  # controls go
        assert shown == " ".join(cleaned.split())


def test_server_supplied_text_is_inert_in_the_report(
    tmp_path: Path, fixture_server: str, allow_fixture, fixture_sites
):
    """A status line and a Location header full of Markdown, HTML, mentions,
    pipes and control characters: all of it lands in code spans, rows keep
    their four cells, and nothing outside code could link, ping or load."""
    links = {
        "link-hostile": f"{fixture_server}/hostile",
        "link-hostile-moved": f"{fixture_server}/hostile-moved",
    }
    outcome, report = fixture_sites(links_text(links)).check(
        config=fast_config(tmp_path, offline=True)
    )

    assert [r.url for r in outcome.broken] == [links["link-hostile"]]
    assert [r.url for r in outcome.warnings] == [links["link-hostile-moved"]]
    assert (
        "octocat" in report and "<img" in report and "evil.example" in report
    )  # the payload is there ...
    rows = [line for line in report.splitlines() if line.startswith("|")]
    assert len(rows) == 6  # two tables: header, delimiter and one row each
    for line in report.splitlines():
        parts = table_cells(line) if line.startswith("|") else [line]
        if line.startswith("|"):
            assert len(parts) == 4, line
        for part in parts:
            outside, _ = split_code(part)
            for live in ("<", ">", "@", "![", "](", "evil", "octocat", "#1", "script", "http"):
                assert live not in outside, (live, line)  # ... but only inside code spans
    assert not [c for c in report if c != "\n" and unicodedata.category(c).startswith("C")]
