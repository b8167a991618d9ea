"""Shared test plumbing: the built site, a local HTTP server and the browser.

Fixtures (all documented below):

* ``built_site``   - the real site, built once per session with ``mkdocs build --strict``,
  with ``site_url`` (``$DREJEBOG_SITE_URL``) set to the address ``site_server`` uses:
  Material's instant navigation only takes over links it considers internal.
* ``site_server``  - ``built_site`` served on ``http://127.0.0.1:<free port>/`` (the port is
  reserved before the build, so the built ``site_url`` and the served address agree).
* ``base_url``     - pytest-playwright's base URL, pointed at ``site_server``; so
  ``page.goto("opgaver/")`` opens a page of the built site.
* ``generator``    - "mkdocs", or for the tests marked ``zensical`` each of "mkdocs" and
  "zensical" (the test runs once per build). ``base_url`` and ``site_dir`` follow it:
  ``zensical_site`` / ``zensical_server`` are the same site built with Zensical
  (``python -m drejebog zensical build``), built once per session when a test needs it.
* ``browser_type_launch_args`` - launches a Chromium/Chrome found on the machine
  (``$DREJEBOG_CHROMIUM``, else ``chromium`` & co. on PATH, else macOS's Chrome),
  never Playwright's download, which these machines cannot fetch.
* ``page_guard``   - active in every test that uses ``page``: the test fails on
  any uncaught JavaScript error, ``console.error`` (including failed loads such
  as 404s) or request to a host other than 127.0.0.1.

``tests.support.sites.serve_directory(path)`` is a context manager for tests that serve a build of
their own (e.g. a site built from a fixture data file).

Run the tests with ``make test``: it installs the dependencies and, where
needed, a browser (``scripts/ensure-browser``). Browser tests never skip: with no
browser they fail and say how to get one.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.support.sites import (
    ALLOWED_HOST,
    GENERATORS,
    build_site,
    http_server,
    running,
    server_url,
)

REPO_ROOT = Path(__file__).resolve().parents[1]

# Assertions wait for a condition, never for a moment. The ceiling is generous
# (Playwright's default is 5 s) so that a loaded 2-core machine only makes the
# suite slower, not red; a passing condition returns as soon as it holds.
expect.set_options(timeout=20_000)

# Same lookup order as scripts/ensure-browser.
BROWSER_ENV = "DREJEBOG_CHROMIUM"
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
BROWSER_PATHS = (
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
)
# Keep Chromium off the network (these machines reach only 127.0.0.1: without
# the background-networking flags Chromium keeps trying Google's hosts) and quiet.
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# --- browser ------------------------------------------------------------------


def find_browser() -> str | None:
    """Path of a Chromium/Chrome on this machine, or None.

    ``$DREJEBOG_CHROMIUM`` wins when set; a value that is not an executable file
    fails the session instead of silently falling back to another browser.
    """
    configured = os.environ.get(BROWSER_ENV)
    if configured:
        if os.path.isfile(configured) and os.access(configured, os.X_OK):
            return configured
        pytest.fail(f"{BROWSER_ENV}={configured!r} is not an executable file.", pytrace=False)
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    for path in BROWSER_PATHS:
        if os.access(path, os.X_OK):
            return path
    return None


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict, pytestconfig: pytest.Config, request: pytest.FixtureRequest
) -> dict:
    """pytest-playwright's launch options plus our browser and Chromium flags."""
    args = dict(browser_type_launch_args)
    args["args"] = [*args.get("args", []), *CHROMIUM_ARGS]
    if pytestconfig.getoption("--browser-channel"):
        return args  # an explicit --browser-channel chooses the browser itself
    executable = find_browser()
    if executable is None:
        # Last resort: a Chromium that `playwright install chromium` downloaded
        # earlier (works on a laptop with internet, never on CI here).
        cached = request.getfixturevalue("playwright").chromium.executable_path
        if os.access(cached, os.X_OK):
            executable = cached
    if executable is None:
        pytest.fail(
            "No Chromium or Chrome found for the browser tests (looked at "
            f"${BROWSER_ENV}, {', '.join(BROWSER_NAMES)} on PATH and /Applications). "
            "Run the tests with 'make test', which installs one (scripts/ensure-browser), "
            f"or set {BROWSER_ENV}=/path/to/chrome.",
            pytrace=False,
        )
    args["executable_path"] = executable
    return args


# --- the built site and a local server ----------------------------------------


@pytest.fixture(scope="session")
def _site_http(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[http.server.ThreadingHTTPServer]:
    """The session's HTTP server, bound to a free port but not answering yet.

    Binding first gives ``built_site`` its final address (``site_url``) without
    the race of probing for a free port and binding it again later.
    """
    server = http_server(tmp_path_factory.mktemp("site"))
    try:
        yield server
    finally:
        server.server_close()


def _build(server: http.server.ThreadingHTTPServer, generator: str) -> Path:
    """Build the real site (strict) into the server's folder, for its address."""
    site_dir = Path(server.directory)
    try:
        result = build_site(site_dir, site_url=server_url(server), generator=generator)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"{generator} build timed out after {exc.timeout} s", pytrace=False)
    if result.returncode != 0:
        pytest.fail(
            f"{generator} build failed (exit {result.returncode}):\n{result.stdout}{result.stderr}",
            pytrace=False,
        )
    return site_dir


@pytest.fixture(scope="session")
def built_site(_site_http: http.server.ThreadingHTTPServer) -> Path:
    """Build the real site once (``mkdocs build --strict``) into a temporary folder and
    return it. ``site_url`` is the address ``site_server`` serves it at."""
    return _build(_site_http, "mkdocs")


@pytest.fixture(scope="session")
def site_server(built_site: Path, _site_http: http.server.ThreadingHTTPServer) -> Iterator[str]:
    """Base URL of the built site, served on 127.0.0.1 (the build's ``site_url``)."""
    with running(_site_http) as url:
        yield url


@pytest.fixture(scope="session")
def _zensical_http(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[http.server.ThreadingHTTPServer]:
    server = http_server(tmp_path_factory.mktemp("zensical-site"))
    try:
        yield server
    finally:
        server.server_close()


@pytest.fixture(scope="session")
def zensical_site(_zensical_http: http.server.ThreadingHTTPServer) -> Path:
    """The real site built once with Zensical (``python -m drejebog zensical build``)."""
    return _build(_zensical_http, "zensical")


@pytest.fixture(scope="session")
def zensical_server(
    zensical_site: Path, _zensical_http: http.server.ThreadingHTTPServer
) -> Iterator[str]:
    with running(_zensical_http) as url:
        yield url


@pytest.fixture
def generator(request: pytest.FixtureRequest) -> str:
    """The build a test runs against: "mkdocs", or its parameter (tests marked zensical)."""
    return getattr(request, "param", "mkdocs")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test marked ``zensical`` runs against each build (ids ``[mkdocs]``, ``[zensical]``)."""
    if "generator" in metafunc.fixturenames and metafunc.definition.get_closest_marker("zensical"):
        metafunc.parametrize("generator", GENERATORS, indirect=True)


@pytest.fixture
def site_dir(request: pytest.FixtureRequest, generator: str) -> Path:
    """The built site of the test's ``generator``."""
    return request.getfixturevalue("zensical_site" if generator == "zensical" else "built_site")


@pytest.fixture
def base_url(request: pytest.FixtureRequest, generator: str) -> str:
    """pytest-playwright resolves relative ``page.goto()`` URLs against this: the site of
    the test's ``generator``. Per test, so that one session serves both builds."""
    return request.getfixturevalue("zensical_server" if generator == "zensical" else "site_server")


@pytest.fixture
def browser_context_args(
    pytestconfig: pytest.Config, playwright, device, base_url: str, _pw_artifacts_folder
) -> dict:
    """pytest-playwright's context options (its own fixture, which is per session), with
    the test's ``base_url``."""
    args = dict(playwright.devices[device]) if device else {}
    args["base_url"] = base_url
    if pytestconfig.getoption("--video") in ("on", "retain-on-failure"):
        args["record_video_dir"] = _pw_artifacts_folder.name
    return args


@pytest.fixture(scope="session", autouse=True)
def _verify_url() -> None:
    """Replaces pytest-base-url's autouse ``_verify_url``, which requests
    ``base_url`` in every session and would build the site even for tests that
    never open a page."""


# --- page guard -----------------------------------------------------------------


class PageGuard:
    """Records JavaScript errors, console errors and off-site requests.

    ``problems`` lists what was seen; ``ignore("text")`` drops problems that
    contain the text (for a test that provokes an error on purpose);
    ``watch(page_or_context)`` adds pages the ``page`` fixture did not create
    (pages of the same context, popups included, are watched already).
    """

    def __init__(self) -> None:
        self.problems: list[str] = []
        self._ignored: list[str] = []
        self._reported = 0
        self._pages: list = []

    def ignore(self, text: str) -> None:
        self._ignored.append(text)

    def watch(self, target) -> None:
        if hasattr(target, "new_page"):  # a BrowserContext
            for page in target.pages:
                self._watch_page(page)
            target.on("page", self._watch_page)
        else:
            self._watch_page(target)

    def _watch_page(self, page) -> None:
        if page in self._pages:
            return
        self._pages.append(page)
        page.on("pageerror", lambda exc: self._add(f"uncaught JavaScript error: {exc}"))
        page.on("console", self._on_console)
        page.on("request", lambda req: self._on_url(req.url, "request"))
        page.on("websocket", lambda ws: self._on_url(ws.url, "websocket"))

    def _on_console(self, msg) -> None:
        if msg.type == "error":
            where = msg.location.get("url", "") if msg.location else ""
            self._add(f"console error: {msg.text}" + (f" ({where})" if where else ""))

    def _on_url(self, url: str, kind: str) -> None:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname != ALLOWED_HOST:
            self._add(f"{kind} to another host: {url}")

    def _add(self, problem: str) -> None:
        self.problems.append(problem)

    def flush(self) -> None:
        """Let Playwright deliver events that are still queued (one round trip)."""
        for page in self._pages:
            if not page.is_closed():
                with contextlib.suppress(Exception):
                    page.evaluate("0")
                return

    def new_problems(self) -> list[str]:
        """Problems not yet reported (and not ignored); marks them reported."""
        fresh = self.problems[self._reported :]
        self._reported = len(self.problems)
        return [p for p in fresh if not any(text in p for text in self._ignored)]


_GUARD_KEY = pytest.StashKey[PageGuard]()


def _report(problems: list[str]) -> str:
    shown = problems[:20]
    more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
    return f"{len(problems)} page problem(s):\n  " + "\n  ".join(shown) + more


@pytest.fixture
def page_guard(request: pytest.FixtureRequest, page) -> Iterator[PageGuard]:
    """Fail the test on page errors, console errors or off-site requests."""
    guard = PageGuard()
    guard.watch(page.context)
    request.node.stash[_GUARD_KEY] = guard
    yield guard
    # Normally checked right after the test body (hook below); this catches
    # what arrived later.
    guard.flush()
    late = guard.new_problems()
    if late:
        pytest.fail(_report(late), pytrace=False)


@pytest.fixture(autouse=True)
def _guard_pages(request: pytest.FixtureRequest) -> None:
    if "page" in request.fixturenames:
        request.getfixturevalue("page_guard")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """Report page problems as a failure of the test itself, not of teardown."""
    guard = item.stash.get(_GUARD_KEY, None)
    try:
        result = yield
    except BaseException:
        if guard is not None:  # the test failed anyway: show the problems beside it
            guard.flush()
            problems = guard.new_problems()
            if problems:
                item.add_report_section("call", "page problems", _report(problems))
        raise
    if guard is not None:
        guard.flush()
        problems = guard.new_problems()
        if problems:
            pytest.fail(_report(problems), pytrace=False)
    return result


def pytest_configure(config: pytest.Config) -> None:
    # Also declared in pyproject.toml; repeated so --strict-markers never trips.
    config.addinivalue_line("markers", "browser: runs in headless Chromium")
    config.addinivalue_line("markers", "zensical: runs against the MkDocs and the Zensical build")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that use a browser page get the ``browser`` marker (``-m "not browser"``)."""
    for item in items:
        if "page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
