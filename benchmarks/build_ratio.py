"""This site's build against a plain Material site with the same pages (issue 13).

``python -m benchmarks.build_ratio [RUNS]`` (also part of ``make bench``) generates data
files of 1,000 tasks in 50 groups and 10,000 tasks in 200 groups (benchmarks/make_data.py's
tasks), builds this site from each (``mkdocs build --strict``, the hooks, the checks, the
cards) and a plain Material for MkDocs site with the same pages (one Markdown page per group
with the same titles, texts, links and contacts; the same theme features, language and
navigation order; no hooks), alternately, RUNS times each (default 3), and prints the median
wall times, their spread and the ratio. The goal is at most 1.5 (aim: 1.15).

10,000 tasks in 200 groups is beyond the data contract's limits (2,000 tasks, 100 groups,
2 MB: a file must never make a build take minutes), so that size is built with the limits
lifted (benchmarks/lifted.py), to show how the build's cost grows.

Then ``make check`` on the 1,000-task file: ``python -m drejebog check``, CHECK_RUNS times,
median and spread of the wall time against CHECK_GOAL_S.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from benchmarks.make_data import _task, make_data
from drejebog.budget import MAX_TASKS
from tests.support.sites import build_site

SIZES = ((1000, 50), (10000, 200))
GOAL = 1.5
CHECK_RUNS = 7
CHECK_GOAL_S = 0.3
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
ROOT = Path(__file__).resolve().parents[1]


def data_for(tasks: int, groups: int) -> dict:
    """``tasks`` tasks (make_data's) split over ``groups`` groups."""
    data = make_data(1)
    per = tasks // groups
    data["groups"] = [
        {
            "id": f"gruppe-{g + 1}",
            "title": f"Gruppe {g + 1}",
            "tasks": [_task(g * per + i + 1) for i in range(per)],
        }
        for g in range(groups)
    ]
    for group in data["groups"]:  # a first task waits for nothing in another group
        group["tasks"][0].pop("depends_on", None)
    return data


def _plain_task(task: dict, contacts: dict[str, dict]) -> list[str]:
    """One task as plain Markdown: title, timing, responsible, details, links, helpers.
    Optional fields of real data (no ``when`` on a region's row, a link without ``url``,
    Markdown details) are written as they are, or left out."""
    lines = [f"## {task['title']}", ""]
    when = ", ".join(f"{k}: {v}" for k, v in (task.get("when") or {}).items())
    if when:
        lines += [f"**Hvornår:** {when}", ""]
    if task.get("responsible"):
        lines += [f"**Ansvarlig:** {', '.join(task['responsible'])}", ""]
    if task.get("details"):
        lines += [task["details"].strip(), ""]
    if task.get("links"):
        lines += ["### Links", ""]
        lines += [
            f"- [{ln['text']}]({ln['url']})"
            if ln.get("url")
            else f"- {ln['text']} (adressen mangler)"
            for ln in task["links"]
        ]
        lines += [""]
    helpers = [contacts[c] for c in task.get("help", []) if c in contacts]
    if helpers:
        lines += ["### Hvem kan hjælpe", ""]
        for contact in helpers:
            reach = ", ".join(
                filter(
                    None,
                    [contact.get("email"), contact.get("phone") and f"tlf. {contact['phone']}"],
                )
            )
            lines += [f"- {contact['name']}" + (f": {reach}" if reach else "")]
        lines += [""]
    return lines


def site_theme() -> dict:
    """This site's theme settings (mkdocs.yml: Material, language, font, features, the
    colour palette with its toggle) without its template overrides: the plain site pays
    for the same theme (palette.css, the features' scripts) and for nothing of ours."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!ENV", lambda loader, node: None)  # mkdocs.yml's !ENV settings
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    return {k: v for k, v in config["theme"].items() if k != "custom_dir"}


def plain_site(
    data: dict,
    folder: Path,
    *,
    home: str = "Forside.",
    site_url: str = "http://127.0.0.1:8000/",
    description: str | None = None,
) -> Path:
    """A plain Material project with the same pages; returns its mkdocs.yml.

    ``home`` is the home page's Markdown under its title, ``site_url`` the address it is
    served at (Material's instant navigation needs it), ``description`` the pages' meta
    description (none by default).
    """
    docs = folder / "docs"
    (docs / "opgaver").mkdir(parents=True)
    contacts = {c["id"]: c for c in data["contacts"]}
    (docs / "index.md").write_text(f"# {data['meta']['title']}\n\n{home}\n", encoding="utf-8")
    nav = [{"Forside": "index.md"}]
    for group in data["groups"]:
        lines = [f"# {group['title']}", ""]
        if group.get("intro"):
            lines += [group["intro"].strip(), ""]
        for task in group["tasks"]:
            lines += _plain_task(task, contacts)
        path = f"opgaver/{group['id']}.md"
        (docs / path).write_text("\n".join(lines), encoding="utf-8")
        nav.append({group["title"]: path})
    config = {
        "site_name": data["meta"]["title"],
        **({"site_description": description} if description else {}),
        "site_url": site_url,
        "theme": site_theme(),
        "markdown_extensions": [{"toc": {"permalink": "#", "toc_depth": 2}}, "attr_list"],
        "plugins": ["search"],
        "nav": nav,
    }
    mkdocs_yml = folder / "mkdocs.yml"
    mkdocs_yml.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return mkdocs_yml


def build_ours(site: Path, data_file: Path, *, lifted: bool = False) -> None:
    if lifted:
        cmd = [
            sys.executable,
            "-m",
            "benchmarks.lifted",
            "build",
            "--strict",
            "-q",
            "-d",
            str(site),
        ]
        env = {**ENV, "DREJEBOG_DATA": str(data_file)}
        result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    else:
        result = build_site(site, data=data_file)
    if result.returncode:
        sys.exit(f"this site's build failed:\n{result.stdout}{result.stderr}")


def build_plain(config: Path, site: Path) -> None:
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]
    subprocess.run(cmd, check=True, env=ENV)


def timed(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    runs = int(argv[0]) if argv else 3
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nBuild: this site against plain Material, {runs} runs each, alternately")
    print(f"  ({os.cpu_count()} CPUs, load average {load} before)")
    print(f"  {'tasks/groups':<14} {'this site s':>18} {'plain s':>18} {'ratio':>6}")
    over = False
    for tasks, groups in SIZES:
        lifted = tasks > MAX_TASKS
        data = data_for(tasks, groups)
        with tempfile.TemporaryDirectory(prefix="drejebog-ratio-") as tmp:
            folder = Path(tmp)
            data_file = folder / "tasks.yaml"
            data_file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
            config = plain_site(data, folder / "plain")
            ours, plain = [], []
            for run in range(runs):
                site, other = folder / f"ours{run}", folder / f"plain{run}"
                ours.append(timed(lambda: build_ours(site, data_file, lifted=lifted)))  # noqa: B023
                plain.append(timed(lambda: build_plain(config, other)))  # noqa: B023
                shutil.rmtree(site)
                shutil.rmtree(other)
            if tasks == SIZES[0][0]:
                checks = [timed(lambda: check(data_file)) for _ in range(CHECK_RUNS)]  # noqa: B023
        a, b = statistics.median(ours), statistics.median(plain)
        ratio = a / b
        flag = "  OVER THE GOAL" if ratio > GOAL else ""
        over = over or bool(flag)
        spread = f"{min(ours):.1f}–{max(ours):.1f}"
        spread_plain = f"{min(plain):.1f}–{max(plain):.1f}"
        note = "  (data limits lifted)" if lifted else ""
        print(
            f"  {f'{tasks}/{groups}':<14} {a:6.1f} ({spread:>9}) {b:6.1f} ({spread_plain:>9})"
            f" {ratio:6.2f}{flag}{note}"
        )
    median = statistics.median(checks)
    flag = "  OVER THE GOAL" if median > CHECK_GOAL_S else ""
    over = over or bool(flag)
    print(
        f"\nmake check ({SIZES[0][0]} tasks): median {median:.2f} s"
        f" ({min(checks):.2f}–{max(checks):.2f}, {CHECK_RUNS} runs; goal {CHECK_GOAL_S:g} s){flag}"
    )
    return 1 if over else 0


def check(data_file: Path) -> None:
    cmd = [sys.executable, "-m", "drejebog", "--data", str(data_file), "check"]
    subprocess.run(cmd, check=True, cwd=ROOT, env=ENV, capture_output=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
