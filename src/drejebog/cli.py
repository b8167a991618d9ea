"""Command line: ``python -m drejebog [--data FILE] check | write-pages DIR | report | additions | diff | linkcheck``.

``check`` validates data/tasks.yaml alone (no MkDocs), for editors and CI.
``report`` lists the content gaps and then what the editors added to the region's
runbook; ``additions`` lists only the latter, one a line, for the region to approve
(drejebog.provenance).
``write-pages`` writes the generated Markdown pages to a folder, so another
generator can build them. ``zensical build`` and ``zensical serve`` do that for Zensical
(drejebog.zensical): pages, assets and configuration in a folder of their own, then
Zensical's build, or its preview server, which follows edits of the data.
``linkcheck`` checks a built site (``--site DIR``), or builds the site once in
this process with MkDocs (imported only then) and checks that: it serves the
site on 127.0.0.1 and runs LinkChecker over it, writing a Markdown report.

The options before the command are the build settings
(:class:`drejebog.settings.Settings`): the data file, and the repository and
branch that edit links point at.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from . import DataErrors, load_runbook
from .model import Runbook
from .settings import DEFAULT_BRANCH, DEFAULT_DATA, Settings, linkcheck_limits


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="drejebog", description="Drejebogens data og sider.")
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help=f"datafilen (standard: {DEFAULT_DATA.as_posix()})",
    )
    parser.add_argument(
        "--repo-url",
        default="",
        metavar="URL",
        help="GitHub-repositoriet, fx https://github.com/org/drejebog: siderne får links "
        "til datafilens linjer (standard: ingen)",
    )
    parser.add_argument(
        "--branch",
        default=DEFAULT_BRANCH,
        help=f"grenen, de links peger på (standard: {DEFAULT_BRANCH})",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="tjek datafilen")
    pages = sub.add_parser("write-pages", help="skriv de genererede sider som Markdown")
    pages.add_argument("target", type=Path, help="mappe, siderne skrives i")
    zensical = sub.add_parser("zensical", help="byg eller vis siden med Zensical")
    zensical.add_argument("action", choices=("build", "serve"), help="build eller serve")
    zensical.add_argument(
        "--folder",
        type=Path,
        default=None,
        metavar="MAPPE",
        help="byggemappen (standard: build/zensical); siden kommer i MAPPE/site",
    )
    zensical.add_argument(
        "--site-url", default=None, metavar="URL", help="sidens adresse (standard: mkdocs.yml's)"
    )
    zensical.add_argument(
        "--addr", default="127.0.0.1:8000", metavar="IP:PORT", help="serve: adressen"
    )
    changes = sub.add_parser(
        "diff", help="opsummér ændringer i indholdet mellem to datafiler (til pull requests)"
    )
    changes.add_argument("old", type=Path, help="den gamle datafil (fx fra main)")
    changes.add_argument("new", type=Path, nargs="?", help="den nye datafil (standard: --data)")
    sub.add_parser(
        "report",
        help="vis huller i indholdet (manglende og ubekræftede adresser, kontakter) og det, "
        "redaktionen har tilføjet til regionens drejebog",
    )
    sub.add_parser(
        "additions",
        help="vis kun det, redaktionen har tilføjet eller ændret, én linje pr. oplysning med "
        "kilden, så regionen kan godkende det",
    )
    links = sub.add_parser(
        "linkcheck", help="tjek sidens links med LinkChecker (bygger siden, hvis --site mangler)"
    )
    links.add_argument(
        "--site",
        type=Path,
        metavar="MAPPE",
        help="en allerede bygget side (fx site/); uden den bygges siden én gang her",
    )
    links.add_argument(
        "--port",
        type=int,
        default=0,
        help="servér siden på 127.0.0.1 på denne port (standard: en ledig); en side bygget "
        "med site_url http://127.0.0.1:PORT/ skal tjekkes på den port, ellers er dens "
        "kanoniske links eksterne",
    )
    links.add_argument(
        "--mkdocs-config",
        type=Path,
        default=Path("mkdocs.yml"),
        metavar="FIL",
        help="MkDocs' konfiguration, når siden bygges (standard: mkdocs.yml)",
    )
    links.add_argument("--external", action="store_true", help="tjek også eksterne links")
    links.add_argument("--report", type=Path, help="skriv rapporten (Markdown) til denne fil")
    links.add_argument(
        "--config",
        type=Path,
        help="LinkCheckers konfiguration (standard: den i pakken, drejebog/linkcheckerrc)",
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
    settings = Settings(data=args.data, repo_url=args.repo_url, branch=args.branch)

    if args.command == "diff":
        return _diff(settings, args)
    if args.command == "zensical":
        return _zensical(settings, args)
    try:
        runbook = load_runbook(settings.data)
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
        from . import provenance
        from .gaps import find_gaps, report

        print(report(find_gaps(runbook)))
        print()
        print(provenance.report(runbook))
        return 0
    if args.command == "additions":
        from . import provenance

        print(provenance.report(runbook))
        return 0
    if args.command == "linkcheck":
        return _linkcheck(
            Settings(settings.data, settings.repo_url, settings.branch, runbook), args
        )
    return _write_pages(settings, runbook, args.target)


def _write_pages(settings: Settings, runbook: Runbook, target: Path) -> int:
    from .editlinks import for_data
    from .render import write_pages

    try:
        links = for_data(settings.repo_url, settings.branch, settings.data, Path.cwd())
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    pages = write_pages(runbook, target, line_url=links.line_url if links else None)
    print(f"Skrev {len(pages)} sider i {target}")
    return 0


def _zensical(settings: Settings, args: argparse.Namespace) -> int:
    """Build with Zensical, or preview and rebuild the pages whenever the data changes."""
    from . import zensical
    from .settings import MKDOCS_KEY, read_mkdocs_config

    root = Path.cwd()
    folder = args.folder or zensical.BUILD_DIR
    # As in the MkDocs build: mkdocs.yml's settings (which read DREJEBOG_DATA,
    # DREJEBOG_REPO_URL and DREJEBOG_BRANCH), unless an option says otherwise.
    try:
        extra = read_mkdocs_config(root / "mkdocs.yml").get("extra") or {}
        configured = Settings.from_mkdocs(extra.get(MKDOCS_KEY), root)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    settings = Settings(
        data=settings.data if settings.data != DEFAULT_DATA else configured.data,
        repo_url=settings.repo_url or configured.repo_url,
        branch=settings.branch if settings.branch != DEFAULT_BRANCH else configured.branch,
    )

    def prepare() -> zensical.Prepared | None:
        try:
            runbook = load_runbook(settings.data)
            return zensical.prepare(root, settings, runbook, folder, site_url=args.site_url)
        except DataErrors as exc:
            print(exc.report(), file=sys.stderr)
        except zensical.BuildError as exc:
            print(exc, file=sys.stderr)
        return None

    prepared = prepare()
    if prepared is None:
        return 1
    if args.action == "build":
        try:
            site = zensical.build(prepared)
        except zensical.BuildError as exc:
            print(exc, file=sys.stderr)
            return 1
        print(f"Zensical byggede {prepared.pages} sider i {site}")
        return 0
    return _serve_zensical(
        prepared,
        args.addr,
        prepare,
        [settings.data, root / "docs", root / "overrides", root / "mkdocs.yml"],
    )


def _serve_zensical(prepared, address: str, prepare, watched: list[Path]) -> int:
    """Zensical's preview server; the pages are written again when a watched file changes
    (the data, docs/, mkdocs.yml), and Zensical rebuilds them."""
    import signal
    import time

    from . import zensical

    def stamp() -> list[tuple[str, int]]:
        found = []
        for path in watched:
            files = sorted(path.rglob("*")) if path.is_dir() else [path]
            found += [(str(f), f.stat().st_mtime_ns) for f in files if f.is_file()]
        return found

    # Stopped by a signal (make's, a test's), Zensical's server is stopped too (finally).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server = zensical.serve(prepared, address)
    seen = stamp()
    try:
        while server.poll() is None:
            time.sleep(0.5)
            now = stamp()
            if now != seen:
                seen = now
                again = prepare()
                if again is not None and again.changed:
                    print(f"drejebog: {again.changed} filer skrevet igen", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=10)
    return 0


def _diff(settings: Settings, args: argparse.Namespace) -> int:
    from .diff import compare, summary

    try:
        new = load_runbook(args.new or settings.data)
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


def _linkcheck(settings: Settings, args: argparse.Namespace) -> int:
    """``settings.runbook`` is the data, loaded already: the build uses it too."""
    from . import linkcheck

    try:
        limits = linkcheck_limits(url=args.url_limit, run=args.run_limit)
    except ValueError as exc:
        print(f"linkcheck: {exc}", file=sys.stderr)
        return 2
    runbook = settings.runbook
    assert runbook is not None
    config = args.config or linkcheck.CONFIG
    if args.site is not None:
        if not (args.site / "index.html").is_file():
            print(
                f"linkcheck: {args.site} er ikke en bygget side (ingen index.html)", file=sys.stderr
            )
            return 2
        with linkcheck.serve(args.site, args.port) as url:
            outcome, text = linkcheck.check_site(
                args.site,
                runbook,
                external=args.external,
                base_url=url,
                config=config,
                limits=limits,
            )
    else:
        port = args.port or linkcheck.free_port()
        with tempfile.TemporaryDirectory() as tmp:
            site = Path(tmp) / "site"
            try:
                linkcheck.build_site(
                    settings,
                    site,
                    mkdocs_config=args.mkdocs_config,
                    site_url=f"http://127.0.0.1:{port}/",
                )
            except linkcheck.BuildFailed as exc:
                print(f"linkcheck: siden kunne ikke bygges: {exc}", file=sys.stderr)
                return 1
            with linkcheck.serve(site, port) as url:
                outcome, text = linkcheck.check_site(
                    site,
                    runbook,
                    external=args.external,
                    base_url=url,
                    config=config,
                    limits=limits,
                )
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(text, encoding="utf-8")
    print(text)
    return 0 if outcome.ok else 1
