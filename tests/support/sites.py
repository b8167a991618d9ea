"""Build and serve sites for the tests: one way for every tier.

``build_site(site_dir, data=..., generator=...)`` runs ``mkdocs build --strict`` on the
repository's mkdocs.yml, or the Zensical build (``python -m drejebog zensical build``),
optionally with another data file, and returns the finished process; ``serve_directory(path)`` serves a folder on 127.0.0.1 in a
background thread.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

from drejebog.linkcheck import QuietHandler

ALLOWED_HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
GENERATORS = ("mkdocs", "zensical")


def build_site(
    site_dir: str | os.PathLike[str],
    *,
    data: str | os.PathLike[str] | None = None,
    site_url: str | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 600,
    generator: str = "mkdocs",
) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` of the repository's site into ``site_dir``, or with
    ``generator="zensical"`` the Zensical build (in a folder beside ``site_dir``, whose
    site is then copied there).

    ``data`` replaces data/tasks.yaml, ``site_url`` the configured address,
    ``env`` adds environment variables; both builds read the same ones. The caller checks
    ``returncode`` (tests of refused data expect a failure); see ``built``.
    """
    if generator not in GENERATORS:
        raise ValueError(f"unknown generator {generator!r}")
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    if data is not None:
        full_env["DREJEBOG_DATA"] = os.fspath(data)
    if site_url is not None:
        full_env["DREJEBOG_SITE_URL"] = site_url
    if generator == "mkdocs":
        cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", os.fspath(site_dir)]
    else:
        folder = Path(site_dir).with_name(Path(site_dir).name + ".zensical")
        cmd = [sys.executable, "-m", "drejebog", "zensical", "build", "--folder", str(folder)]
    result = subprocess.run(
        cmd, check=False, cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=timeout
    )
    if generator == "zensical" and result.returncode == 0:
        shutil.copytree(folder / "site", site_dir, dirs_exist_ok=True)
    return result


def built(site_dir: str | os.PathLike[str], **options) -> Path:
    """``build_site`` that must succeed; returns the site folder."""
    result = build_site(site_dir, **options)
    generator = options.get("generator", "mkdocs")
    assert result.returncode == 0, f"{generator} build failed:\n{result.stdout}{result.stderr}"
    return Path(site_dir)


def http_server(path: str | os.PathLike[str], port: int = 0) -> http.server.ThreadingHTTPServer:
    """A static file server for ``path``, bound to 127.0.0.1:``port`` (0: a free one).

    It listens at once (connections wait in the backlog) and answers once
    ``_running`` starts it. ``server.directory`` is the served folder.
    """
    directory = os.fspath(path)
    handler = functools.partial(QuietHandler, directory=directory)
    server = http.server.ThreadingHTTPServer((ALLOWED_HOST, port), handler)
    server.daemon_threads = True
    server.directory = directory  # type: ignore[attr-defined]
    return server


def server_url(server: http.server.ThreadingHTTPServer) -> str:
    return f"http://{ALLOWED_HOST}:{server.server_address[1]}/"


@contextlib.contextmanager
def running(server: http.server.ThreadingHTTPServer) -> Iterator[str]:
    """Answer requests in a background thread; yields the base URL; stops on exit."""
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
    )
    thread.start()
    try:
        yield server_url(server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextlib.contextmanager
def serve_directory(path: str | os.PathLike[str], port: int = 0) -> Iterator[str]:
    """Serve ``path`` over HTTP on 127.0.0.1 (free port) in a background thread.

    Yields the base URL, e.g. ``"http://127.0.0.1:41234/"``; stops on exit.
    ``port`` picks the port (e.g. to serve another build at an origin used before).
    """
    with running(http_server(path, port)) as url:
        yield url
