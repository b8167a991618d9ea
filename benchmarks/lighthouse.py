"""Phone scores: Lighthouse (mobile) on this site and a plain Material site (issue 13).

``python -m benchmarks.lighthouse [RUNS]`` (also the last part of ``make bench``) builds this
site from data/tasks.yaml and a plain Material for MkDocs site with the same content
(benchmarks/build_ratio.plain_site: the same group pages, titles, texts, links and helpers,
the home page's text without the checklist; no hooks, no own CSS or JS), serves each on
127.0.0.1 with gzip (as GitHub Pages does), and runs Lighthouse's command line on the home
page and the largest group page of each, RUNS times each (default 3), alternating the sites.
Lighthouse's defaults: a mobile phone, simulated slow 4G and a 4x slower CPU. It prints the
median of each category's score, CLS, LCP and TBT side by side, with the spread over the runs
and the machine's cores and load.

Goal: 100 in all four categories on both pages, never below the plain site, CLS 0. Exit 0
when met, 1 when not, 2 when Lighthouse itself failed.

Lighthouse needs Node (18.16 or newer) and npm. The exact version is pinned by
benchmarks/lighthouse/package-lock.json and installed with ``npm ci`` into
benchmarks/lighthouse/node_modules (git-ignored) on the first run. Without Node or npm this
prints what is missing and returns 0 (``make test`` never needs Node). The browser:
$DREJEBOG_CHROMIUM (``make bench`` sets it, scripts/ensure-browser), else Chromium on PATH.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from email.utils import formatdate
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from benchmarks import build_ratio
from drejebog import load_runbook
from drejebog.linkcheck import QuietHandler
from tests.support.sites import ALLOWED_HOST, build_site, running, server_url

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "tasks.yaml"
FOLDER = ROOT / "benchmarks" / "lighthouse"
CLI = FOLDER / "node_modules" / "lighthouse" / "cli" / "index.js"
RUNS = 3
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
NODE_MIN = (18, 16)
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
    " --disable-component-update --disable-sync --no-first-run"
)
GOAL_SCORE = 100
# Gzipped on the way out when the client accepts it (GitHub Pages compresses these too).
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map")


# --- a static server that gzips -----------------------------------------------------------


class GzipHandler(QuietHandler):
    """The tests' static file handler, answering text files gzipped to a client that sends
    ``Accept-Encoding: gzip`` (``Vary: Accept-Encoding``); anything else as it is."""

    _cache: dict[tuple[str, float], bytes] = {}  # noqa: RUF012 - shared by the handlers

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) and urlsplit(self.path).path.endswith("/"):
            path = os.path.join(path, "index.html")
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.endswith(COMPRESSIBLE) and os.path.isfile(path)):
            return super().send_head()  # directories' redirects, 404s, images, plain answers
        stat = os.stat(path)
        key = (path, stat.st_mtime)
        body = self._cache.get(key)
        if body is None:
            body = self._cache[key] = gzip.compress(Path(path).read_bytes(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Last-Modified", formatdate(stat.st_mtime, usegmt=True))
        self.end_headers()
        return io.BytesIO(body)


def gzip_server(folder: str | os.PathLike[str]) -> http.server.ThreadingHTTPServer:
    """A server for ``folder`` (which may not exist yet) on 127.0.0.1, a free port, bound
    but not answering yet (``tests.support.sites.running`` starts it)."""
    handler = functools.partial(GzipHandler, directory=os.fspath(folder))
    server = http.server.ThreadingHTTPServer((ALLOWED_HOST, 0), handler)
    server.daemon_threads = True
    return server


# --- Node and Lighthouse ----------------------------------------------------------------


def missing_node() -> str | None:
    """What is missing to run Lighthouse, in one line; None when Node and npm are there."""
    node, npm = shutil.which("node"), shutil.which("npm")
    how = "install Node.js 18.16 or newer with npm (Debian: apt-get install nodejs npm)"
    if not node or not npm:
        names = " and ".join(n for n, found in (("node", node), ("npm", npm)) if not found)
        return f"Lighthouse skipped: {names} not found on PATH; {how}, then run make bench again."
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=False)
    digits = version.stdout.strip().lstrip("v").split(".")
    try:
        found = (int(digits[0]), int(digits[1]))
    except (IndexError, ValueError):
        found = (0, 0)
    if found < NODE_MIN:
        return f"Lighthouse skipped: node {version.stdout.strip() or '?'} is too old; {how}."
    return None


def pinned_version() -> str:
    lock = json.loads((FOLDER / "package-lock.json").read_text(encoding="utf-8"))
    return lock["packages"]["node_modules/lighthouse"]["version"]


def install() -> Path:
    """Lighthouse at the locked version in benchmarks/lighthouse/node_modules (npm ci once)."""
    installed = FOLDER / "node_modules" / "lighthouse" / "package.json"
    want = pinned_version()
    if installed.is_file() and json.loads(installed.read_text(encoding="utf-8"))["version"] == want:
        return CLI
    print(f"Installing Lighthouse {want} into {FOLDER.relative_to(ROOT)}/node_modules (npm ci) ...")
    subprocess.run(
        ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=FOLDER,
        check=True,
    )
    return CLI


def find_browser() -> str | None:
    configured = os.environ.get("DREJEBOG_CHROMIUM")
    if configured:
        return configured
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def lighthouse(cli: Path, url: str, chrome: str, out: Path) -> dict:
    """One Lighthouse run (mobile, default throttling) of ``url``; its JSON report."""
    cmd = [
        "node",
        str(cli),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--no-enable-error-reporting",
        "--disable-full-page-screenshot",
    ]
    env = {**os.environ, "CHROME_PATH": chrome}
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False, timeout=300)
    if result.returncode != 0 or not out.is_file():
        raise RuntimeError(
            f"lighthouse {url} failed ({result.returncode}):\n{result.stderr[-2000:]}"
        )
    return json.loads(out.read_text(encoding="utf-8"))


# --- reports into a table ---------------------------------------------------------------

# (label, how a value is read from a report, its format)
COLUMNS = (
    ("Perf", lambda r: r["categories"]["performance"]["score"] * 100, "{:.0f}"),
    ("A11y", lambda r: r["categories"]["accessibility"]["score"] * 100, "{:.0f}"),
    ("BP", lambda r: r["categories"]["best-practices"]["score"] * 100, "{:.0f}"),
    ("SEO", lambda r: r["categories"]["seo"]["score"] * 100, "{:.0f}"),
    ("CLS", lambda r: r["audits"]["cumulative-layout-shift"]["numericValue"], "{:.3f}"),
    ("LCP ms", lambda r: r["audits"]["largest-contentful-paint"]["numericValue"], "{:.0f}"),
    ("TBT ms", lambda r: r["audits"]["total-blocking-time"]["numericValue"], "{:.0f}"),
)


def scores(report: dict) -> dict[str, float]:
    """The figures of one report (scores 0-100, CLS, LCP and TBT)."""
    return {label: float(read(report)) for label, read, _ in COLUMNS}


def medians(runs: Sequence[dict[str, float]]) -> dict[str, tuple[float, float, float]]:
    """Per figure: (median, min, max) over the runs."""
    return {
        label: (
            statistics.median(r[label] for r in runs),
            min(r[label] for r in runs),
            max(r[label] for r in runs),
        )
        for label, _, _ in COLUMNS
    }


def cell(label: str, stats: tuple[float, float, float]) -> str:
    fmt = next(f for name, _, f in COLUMNS if name == label)
    median, low, high = stats
    text = fmt.format(median)
    if fmt.format(low) != fmt.format(high):
        text += f" ({fmt.format(low)}–{fmt.format(high)})"
    return text


def table(results: dict[str, dict[str, dict[str, tuple[float, float, float]]]]) -> list[str]:
    """Lines of the table: one row per page and site, the median and (spread) of each figure."""
    widths = [12, 11, *[17] * len(COLUMNS)]
    head = ["page", "site", *(label for label, _, _ in COLUMNS)]
    lines = ["  " + "".join(h.ljust(w) for h, w in zip(head, widths, strict=True)).rstrip()]
    for page, sites in results.items():
        for site, stats in sites.items():
            row = [page, site, *(cell(label, stats[label]) for label, _, _ in COLUMNS)]
            lines.append(
                "  " + "".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
            )
    return lines


def judge(results: dict[str, dict[str, dict[str, tuple[float, float, float]]]]) -> list[str]:
    """The goal's misses, one line each: a score of this site under 100 or under the plain
    site's (medians), or a CLS above 0."""
    misses = []
    for page, sites in results.items():
        ours, plain = sites["this site"], sites.get("plain")
        for label in ("Perf", "A11y", "BP", "SEO"):
            if ours[label][0] < GOAL_SCORE:
                misses.append(f"{page}: {label} {ours[label][0]:.0f} < {GOAL_SCORE}")
            if plain and ours[label][0] < plain[label][0]:
                misses.append(f"{page}: {label} {ours[label][0]:.0f} below the plain site's")
        if ours["CLS"][0] > 0:
            misses.append(f"{page}: CLS {ours['CLS'][0]:.3f} > 0")
    return misses


# --- the two sites --------------------------------------------------------------------


def plain_home(data: dict) -> str:
    """The plain site's home page: the text of this site's, without the checklist."""
    meta = data["meta"]
    lines = [f"{meta.get('subtitle', '')} · {meta.get('region', '')}", "", meta.get("source", "")]
    lines += ["", "## Opgaverne", "", "| Gruppe |", "|---|"]
    for group in data["groups"]:
        lines.append(f"| [{group['title']}](opgaver/{group['id']}.md) ({len(group['tasks'])}) |")
    return "\n".join(lines)


def build_both(tmp: Path, ours_url: str, plain_url: str) -> None:
    """This site into tmp/ours, the plain one into tmp/plain, each with the address it is
    served at (Material's instant navigation needs it)."""
    result = build_site(tmp / "ours", site_url=ours_url)
    if result.returncode:
        raise RuntimeError(f"this site's build failed:\n{result.stdout}{result.stderr}")
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    mkdocs_yml = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    description = re.search(r"^site_description: *(.+)$", mkdocs_yml, re.MULTILINE)
    config = build_ratio.plain_site(
        data,
        tmp / "plain-src",
        home=plain_home(data),
        site_url=plain_url,
        description=description and description.group(1).strip(),
    )
    build_ratio.build_plain(config, tmp / "plain")


def largest_group() -> tuple[str, int]:
    """The id and size of the group with the most tasks in data/tasks.yaml."""
    group = max(load_runbook(DATA).groups, key=lambda g: len(g.tasks))
    return group.id, len(group.tasks)


def main(argv: list[str]) -> int:
    runs = int(argv[0]) if argv else RUNS
    print(
        f"\nPhone scores: Lighthouse (mobile), this site against plain Material, {runs} runs each"
    )
    problem = missing_node()
    if problem:
        print(f"  {problem}")
        return 0
    chrome = find_browser()
    if not chrome:
        print("  Lighthouse skipped: no Chromium (set DREJEBOG_CHROMIUM or run make bench).")
        return 0
    try:
        cli = install()
    except subprocess.CalledProcessError as exc:
        print(f"  Lighthouse skipped: npm ci failed ({exc.returncode}); see the lines above.")
        return 0
    group, size = largest_group()
    pages = {"home": "", f"group ({size})": f"opgaver/{group}/"}
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"  Lighthouse {pinned_version()}, {chrome}; {os.cpu_count()} CPUs, load average {load} before"
    )
    raw: dict[str, dict[str, list[dict[str, float]]]] = {
        p: {"this site": [], "plain": []} for p in pages
    }
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="drejebog-lighthouse-") as name:
        tmp = Path(name)
        ours_server, plain_server = gzip_server(tmp / "ours"), gzip_server(tmp / "plain")
        try:
            build_both(tmp, server_url(ours_server), server_url(plain_server))
            with running(ours_server) as ours_url, running(plain_server) as plain_url:
                for run in range(runs):
                    for page, path in pages.items():
                        for site, base in (("this site", ours_url), ("plain", plain_url)):
                            out = (
                                tmp
                                / f"report-{run}-{len(raw[page][site])}-{site[0]}-{path.count('/')}.json"
                            )
                            raw[page][site].append(
                                scores(lighthouse(cli, base + path, chrome, out))
                            )
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            print(f"  Lighthouse failed: {exc}")
            return 2
        finally:
            ours_server.server_close()
            plain_server.server_close()
    results = {page: {site: medians(r) for site, r in sites.items()} for page, sites in raw.items()}
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"  medians (min–max where the runs differ); {time.perf_counter() - start:.0f} s, load average {load} after"
    )
    for line in table(results):
        print(line)
    misses = judge(results)
    for miss in misses:
        print(f"  MISSED: {miss}")
    if not misses:
        print(f"  OK: {GOAL_SCORE} in every category on both pages, not below plain, CLS 0.")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
