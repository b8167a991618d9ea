"""Command line: ``python -m drejebog check | write-pages DIR``.

``check`` validates data/tasks.yaml alone (no MkDocs), for editors and CI.
``write-pages`` writes the generated Markdown pages to a folder, so another
generator (for example Zensical, which ignores MkDocs hooks) can build them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import DataErrors, load_runbook
from .render import write_pages

DEFAULT_DATA = Path("data/tasks.yaml")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="drejebog", description="Drejebogens data og sider.")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="datafilen (standard: data/tasks.yaml)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="tjek datafilen")
    pages = sub.add_parser("write-pages", help="skriv de genererede sider som Markdown")
    pages.add_argument("target", type=Path, help="mappe, siderne skrives i")
    args = parser.parse_args(argv)

    try:
        runbook = load_runbook(args.data)
    except DataErrors as exc:
        print(exc.report(), file=sys.stderr)
        return 1

    if args.command == "check":
        tasks = list(runbook.tasks())
        print(f"{args.data}: OK – {len(runbook.groups)} grupper, {len(tasks)} opgaver, {len(runbook.contacts)} kontakter.")
        return 0
    written = write_pages(runbook, args.target)
    print(f"Skrev {len(written)} sider i {args.target}")
    return 0
