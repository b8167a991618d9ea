"""The pure parts of benchmarks/lighthouse.py (``make bench``'s phone scores): the gzip
server, reading Lighthouse's JSON into the table, the goal. Lighthouse itself (Node) is never
run here: ``make test`` does not need Node."""

from __future__ import annotations

import gzip
import urllib.request
from pathlib import Path

from benchmarks import lighthouse
from tests.support.sites import running


def report(perf: float, a11y: float, cls: float, lcp: float = 1500, tbt: float = 100) -> dict:
    """The parts of a Lighthouse report the benchmark reads."""
    return {
        "categories": {
            "performance": {"score": perf},
            "accessibility": {"score": a11y},
            "best-practices": {"score": 1.0},
            "seo": {"score": 1.0},
        },
        "audits": {
            "cumulative-layout-shift": {"numericValue": cls},
            "largest-contentful-paint": {"numericValue": lcp},
            "total-blocking-time": {"numericValue": tbt},
        },
    }


def test_the_server_answers_gzip_to_who_asks_and_plain_to_others(tmp_path: Path) -> None:
    page = "<!doctype html><title>x</title>" + "<p>drejebog</p>" * 200
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(page, encoding="utf-8")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG" + bytes(100))
    with running(lighthouse.gzip_server(tmp_path)) as base:
        asks = urllib.request.Request(base + "a/", headers={"Accept-Encoding": "gzip, br"})
        with urllib.request.urlopen(asks) as answer:
            assert answer.headers["Content-Encoding"] == "gzip"
            assert answer.headers["Vary"] == "Accept-Encoding"
            body = answer.read()
        assert len(body) < len(page) and gzip.decompress(body).decode() == page
        with urllib.request.urlopen(base + "a/") as answer:
            assert answer.headers["Content-Encoding"] is None
            assert answer.read().decode() == page
        image = urllib.request.Request(base + "logo.png", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(image) as answer:  # images are compressed already
            assert answer.headers["Content-Encoding"] is None
        with urllib.request.urlopen(base + "a") as answer:  # the directory's redirect
            assert answer.url == base + "a/"


def test_reports_become_medians_with_their_spread_and_the_goal_is_judged() -> None:
    ours = [report(0.97, 1.0, 0.0), report(1.0, 1.0, 0.0), report(0.99, 1.0, 0.0, lcp=1900)]
    plain = [report(1.0, 0.92, 0.0)] * 3
    results = {
        "home": {
            "this site": lighthouse.medians([lighthouse.scores(r) for r in ours]),
            "plain": lighthouse.medians([lighthouse.scores(r) for r in plain]),
        }
    }
    assert results["home"]["this site"]["Perf"] == (99, 97, 100)
    assert results["home"]["this site"]["LCP ms"] == (1500, 1500, 1900)
    lines = lighthouse.table(results)
    assert lines[0].split() == [
        "page",
        "site",
        "Perf",
        "A11y",
        "BP",
        "SEO",
        "CLS",
        "LCP",
        "ms",
        "TBT",
        "ms",
    ]
    assert "99 (97–100)" in lines[1] and "1500 (1500–1900)" in lines[1]
    assert lines[2].split()[:6] == ["home", "plain", "100", "92", "100", "100"]
    assert lighthouse.judge(results) == [
        "home: Perf 99 < 100",
        "home: Perf 99 below the plain site's",
    ]
    results["home"]["this site"] = lighthouse.medians([lighthouse.scores(report(1, 1, 0.02))])
    assert lighthouse.judge(results) == ["home: CLS 0.020 > 0"]


def test_without_node_it_says_what_is_missing_and_passes(monkeypatch, capsys) -> None:
    monkeypatch.setattr(lighthouse.shutil, "which", lambda name: None)
    assert lighthouse.main([]) == 0
    out = capsys.readouterr().out
    assert "Lighthouse skipped: node and npm not found on PATH" in out
    assert "install Node.js" in out


def test_lighthouse_is_pinned_to_one_exact_version() -> None:
    import json

    package = json.loads((lighthouse.FOLDER / "package.json").read_text(encoding="utf-8"))
    wanted = package["dependencies"]["lighthouse"]
    assert wanted[0].isdigit() and wanted == lighthouse.pinned_version(), wanted
    assert wanted.startswith("12.")
