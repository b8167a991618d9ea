"""The two generators side by side: MkDocs + Material and Zensical (issue 15, README "Zensical").

``python -m benchmarks.generators [RUNS] [--no-lighthouse]`` (also part of ``make bench``):

* build time, the median and spread of RUNS builds (default 5) of data/tasks.yaml and of a
  1,000-task file (benchmarks/build_ratio.data_for), each generator alternately; the whole
  command a maintainer runs (``mkdocs build --strict``; ``python -m drejebog zensical build``:
  pages, configuration, Zensical, the finishing step);
* page weight: every file the home page and the largest group page load in Chromium, HTML,
  CSS, JS, JSON and fonts/images, counted gzipped (-9) as GitHub Pages sends text;
* Lighthouse (mobile, as benchmarks/lighthouse.py): the median of 3 runs of each page, when
  Node is there.

Nothing is judged: the figures are for the README's comparison. The machine's cores and load
are printed with them.
"""

from __future__ import annotations

import gzip
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml
from playwright.sync_api import sync_playwright

from benchmarks import build_ratio, lighthouse
from drejebog import load_runbook
from tests.support.sites import build_site, running, server_url

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "tasks.yaml"
GENERATORS = ("mkdocs", "zensical")
LABELS = {"mkdocs": "MkDocs + Material", "zensical": "Zensical"}
RUNS = 5
LIGHTHOUSE_RUNS = 3


def timed_build(data: Path, site: Path, generator: str) -> float:
    start = time.perf_counter()
    result = build_site(site, data=data, generator=generator)
    took = time.perf_counter() - start
    if result.returncode:
        raise RuntimeError(f"{generator} build failed:\n{result.stdout}{result.stderr}")
    return took


def build_times(runs: int) -> None:
    tasks = len(list(load_runbook(DATA).tasks()))
    print(f"\nBuild time, s: median (min–max) of {runs} builds, generators alternately")
    print(f"  {'data':<22} {LABELS['mkdocs']:>22} {LABELS['zensical']:>22}")
    with tempfile.TemporaryDirectory(prefix="drejebog-generators-") as name:
        tmp = Path(name)
        big = tmp / "tasks-1000.yaml"
        big.write_text(
            yaml.safe_dump(build_ratio.data_for(1000, 50), allow_unicode=True, sort_keys=False),
            encoding="utf-8",
        )
        for label, data in ((f"data/tasks.yaml ({tasks})", DATA), ("1,000 tasks", big)):
            times: dict[str, list[float]] = {g: [] for g in GENERATORS}
            for run in range(runs):
                for generator in GENERATORS:
                    site = tmp / f"{generator}-{run}"
                    times[generator].append(timed_build(data, site, generator))
                    shutil.rmtree(site, ignore_errors=True)
                    shutil.rmtree(site.with_name(site.name + ".zensical"), ignore_errors=True)
            cells = [
                f"{statistics.median(t):.2f} ({min(t):.2f}–{max(t):.2f})"
                for t in (times[g] for g in GENERATORS)
            ]
            print(f"  {label:<22} {cells[0]:>22} {cells[1]:>22}")


def page_weights(chrome: str) -> dict[str, dict[str, str]]:
    """Per generator: the built site's folder and server address (for Lighthouse after)."""
    group = max(load_runbook(DATA).groups, key=lambda g: len(g.tasks))
    pages = {"home": "", f"group ({len(group.tasks)} tasks)": f"opgaver/{group.id}/"}
    print("\nPage weight, KB gzipped (-9): HTML / CSS / JS / other, and all together")
    print(f"  {'page':<20} {LABELS['mkdocs']:>34} {LABELS['zensical']:>34}")
    rows: dict[str, list[str]] = {p: [] for p in pages}
    with tempfile.TemporaryDirectory(prefix="drejebog-weight-") as name:
        for generator in GENERATORS:
            site = Path(name) / generator
            server = lighthouse.gzip_server(site)
            result = build_site(site, site_url=server_url(server), generator=generator)
            if result.returncode:
                raise RuntimeError(f"{generator} build failed:\n{result.stderr}")
            with running(server) as base, sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chrome, args=["--disable-gpu"])
                for label, path in pages.items():
                    page = browser.new_page(viewport={"width": 390, "height": 844})
                    loaded: list[str] = []
                    page.on("requestfinished", lambda r: loaded.append(r.url))  # noqa: B023
                    page.goto(base + path)
                    page.wait_for_load_state("networkidle")
                    kinds = {"html": 0, "css": 0, "js": 0, "other": 0}
                    for url in dict.fromkeys(loaded):
                        local = url.removeprefix(base).split("#")[0].split("?")[0]
                        file = site / (local or "index.html")
                        if file.is_dir():
                            file = file / "index.html"
                        if not file.is_file():
                            continue
                        size = len(gzip.compress(file.read_bytes(), 9, mtime=0))
                        suffix = file.suffix.lstrip(".")
                        kinds[suffix if suffix in kinds else "other"] += size
                    page.close()
                    parts = " / ".join(f"{kinds[k] / 1024:.1f}" for k in kinds)
                    rows[label].append(f"{parts} = {sum(kinds.values()) / 1024:.1f}")
                browser.close()
    for label, cells in rows.items():
        print(f"  {label:<20} {cells[0]:>34} {cells[1]:>34}")
    return pages


def phone_scores(chrome: str, pages: dict[str, str], runs: int) -> None:
    problem = lighthouse.missing_node()
    if problem:
        print(f"\nLighthouse: {problem}")
        return
    cli = lighthouse.install()
    print(f"\nLighthouse {lighthouse.pinned_version()} (mobile), median of {runs} runs")
    raw: dict[str, dict[str, list[dict[str, float]]]] = {
        p: {LABELS[g]: [] for g in GENERATORS} for p in pages
    }
    with tempfile.TemporaryDirectory(prefix="drejebog-lh-") as name:
        tmp = Path(name)
        servers = {g: lighthouse.gzip_server(tmp / g) for g in GENERATORS}
        try:
            for generator, server in servers.items():
                result = build_site(
                    tmp / generator, site_url=server_url(server), generator=generator
                )
                if result.returncode:
                    raise RuntimeError(f"{generator} build failed:\n{result.stderr}")
            with running(servers["mkdocs"]) as m_url, running(servers["zensical"]) as z_url:
                bases = {"mkdocs": m_url, "zensical": z_url}
                for run in range(runs):
                    for page, path in pages.items():
                        for generator in GENERATORS:
                            out = tmp / f"r-{run}-{generator}-{path.count('/')}.json"
                            report = lighthouse.lighthouse(
                                cli, bases[generator] + path, chrome, out
                            )
                            raw[page][LABELS[generator]].append(lighthouse.scores(report))
        finally:
            for server in servers.values():
                server.server_close()
    results = {
        page: {site: lighthouse.medians(r) for site, r in sites.items()}
        for page, sites in raw.items()
    }
    for line in lighthouse.table(results):
        print(line)


def main(argv: list[str]) -> int:
    runs = int(argv[0]) if argv and argv[0].isdigit() else RUNS
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nGenerators side by side ({os.cpu_count()} CPUs, load average {load} before)")
    chrome = lighthouse.find_browser()
    build_times(runs)
    if not chrome:
        print("  page weight and Lighthouse skipped: no Chromium (set DREJEBOG_CHROMIUM).")
        return 0
    pages = page_weights(chrome)
    if "--no-lighthouse" not in argv:
        phone_scores(chrome, pages, LIGHTHOUSE_RUNS)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"  (load average {load} after)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
