"""Command line: ``python -m drejebog check | write-pages DIR | linkcheck``.

``check`` validates data/tasks.yaml alone (no MkDocs), for editors and CI.
``write-pages`` writes the generated Markdown pages to a folder, so another
generator (for example Zensical, which ignores MkDocs hooks) can build them.
``linkcheck`` builds the site (MkDocs in a subprocess), serves it on
127.0.0.1 and runs LinkChecker over it, writing a Markdown report.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from . import DataErrors, load_runbook
from .render import write_pages

DEFAULT_DATA = Path("data/tasks.yaml")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="drejebog", description="Drejebogens data og sider.")
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="datafilen (standard: data/tasks.yaml)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="tjek datafilen")
    pages = sub.add_parser("write-pages", help="skriv de genererede sider som Markdown")
    pages.add_argument("target", type=Path, help="mappe, siderne skrives i")
    changes = sub.add_parser(
        "diff", help="opsummér ændringer i indholdet mellem to datafiler (til pull requests)"
    )
    changes.add_argument("old", type=Path, help="den gamle datafil (fx fra main)")
    changes.add_argument("new", type=Path, nargs="?", help="den nye datafil (standard: --data)")
    sub.add_parser(
        "report", help="vis huller i indholdet: manglende og ubekræftede adresser, kontakter"
    )
    links = sub.add_parser("linkcheck", help="byg siden og tjek dens links med LinkChecker")
    links.add_argument("--external", action="store_true", help="tjek også eksterne links")
    links.add_argument("--report", type=Path, help="skriv rapporten (Markdown) til denne fil")
    links.add_argument(
        "--config", type=Path, help="LinkCheckers konfiguration (standard: config/linkcheckerrc)"
    )
    links.add_argument(
        "--url-limit",
        type=float,
        metavar="SEK",
        help="højst så mange sekunder pr. link (standard: $DREJEBOG_LINKCHECK_URL_LIMIT, ellers 60)",
    )
    links.add_argument(
        "--run-limit",
        type=float,
        metavar="SEK",
        help="højst så mange sekunder for hele tjekket; rapporten skrives alligevel "
        "(standard: $DREJEBOG_LINKCHECK_RUN_LIMIT, ellers 1200)",
    )
    args = parser.parse_args(argv)

    if args.command == "diff":
        return _diff(args)
    try:
        runbook = load_runbook(args.data)
    except DataErrors as exc:
        print(exc.report(), file=sys.stderr)
        return 1

    if args.command == "check":
        tasks = list(runbook.tasks())
        print(
            f"{args.data}: OK – {len(runbook.groups)} grupper, {len(tasks)} opgaver, {len(runbook.contacts)} kontakter."
        )
        return 0
    if args.command == "report":
        from .gaps import find_gaps, report

        print(report(find_gaps(runbook)))
        return 0
    if args.command == "linkcheck":
        return _linkcheck(runbook, args)
    written = write_pages(runbook, args.target)
    print(f"Skrev {len(written)} sider i {args.target}")
    return 0


def _diff(args: argparse.Namespace) -> int:
    from .diff import compare, summary

    try:
        new = load_runbook(args.new or args.data)
    except DataErrors as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    try:
        old = load_runbook(args.old)
    except DataErrors:
        print(
            "## Ændringer i indholdet\n\nDen gamle datafil kunne ikke læses, så der er intet at sammenligne med."
        )
        return 0
    print(summary(compare(old, new)))
    return 0


def _linkcheck(runbook, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    from . import linkcheck

    try:
        limits = linkcheck.Limits.from_env(url=args.url_limit, run=args.run_limit)
    except ValueError as exc:
        print(f"linkcheck: {exc}", file=sys.stderr)
        return 2
    port = linkcheck.free_port()
    base_url = f"http://127.0.0.1:{port}/"
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        env = {
            **os.environ,
            "NO_MKDOCS_2_WARNING": "1",
            "DREJEBOG_SITE_URL": base_url,
            "DREJEBOG_DATA": str(args.data.resolve()),
        }
        build = subprocess.run(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "build",
                "--strict",
                "--quiet",
                "--site-dir",
                str(site),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if build.returncode != 0:
            print(build.stderr, file=sys.stderr)
            return build.returncode
        with linkcheck.serve(site, port) as url:
            outcome, text = linkcheck.check_site(
                site,
                runbook,
                external=args.external,
                base_url=url,
                config=args.config or linkcheck.CONFIG,
                limits=limits,
            )
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(text, encoding="utf-8")
    print(text)
    return 0 if outcome.ok else 1
