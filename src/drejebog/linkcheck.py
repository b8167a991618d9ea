"""Run LinkChecker over a built site and report broken links with their tasks.

The site is served from its folder on 127.0.0.1 (LinkChecker over file://
trips over root-absolute paths). Broken links fail the run; redirects and
"rate limited" answers are listed as warnings that do not, so maintainers can
update a moved URL before it breaks. Each URL is traced back to the task ids
that use it, because data/tasks.yaml is where it gets fixed.

LinkChecker runs in a child process (``drejebog._linkchecker``, see its
docstring) that refuses connections to addresses that are not public and ends
a check after :attr:`Limits.url` seconds and the whole run after
:attr:`Limits.run` seconds; this module kills that process if it still runs
:attr:`Limits.grace` seconds later, and reports what it wrote until then.
Whatever is cut short is reported as broken, so the run exits non-zero.

The report ends up in a public GitHub issue, so every string that comes from a
server or from the data (URLs, status lines, error texts, redirect targets) is
rendered by :func:`md_code`: one inline code span, inert in GitHub Markdown.
"""

from __future__ import annotations

import configparser
import contextlib
import csv
import functools
import http.server
import io
import ipaddress
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from urllib.parse import urlsplit

from . import _linkchecker as guard
from .model import Runbook
from .settings import MKDOCS_KEY, Settings

# LinkChecker's configuration, shipped in the package (package data).
CONFIG: Traversable = resources.files(__package__) / "linkcheckerrc"


@dataclass(frozen=True)
class Limits:
    """Time limits in seconds: per URL, per run, and the grace period after
    the run limit before the LinkChecker process is killed."""

    url: float = guard.DEFAULT_URL_LIMIT
    run: float = guard.DEFAULT_RUN_LIMIT
    grace: float = 60.0

    @classmethod
    def of(cls, url: float | None = None, run: float | None = None) -> Limits:
        """Limits with the given values (None: the default), a grace period that
        fits the run limit, and a check that both are positive."""
        url = cls.url if url is None else url
        run = cls.run if run is None else run
        if not (url > 0 and run > 0):
            raise ValueError("tidsgrænserne skal være positive antal sekunder")
        return cls(url=url, run=run, grace=min(cls.grace, max(5.0, run / 10)))


@dataclass
class Result:
    url: str
    status: str  # as LinkChecker (i.e. a server) put it: rendered only as code
    pages: set[str] = field(default_factory=set)
    tasks: set[str] = field(default_factory=set)
    redirect: str | None = None
    reason: str | None = None  # our own Danish words, rendered as they are


@dataclass
class Outcome:
    broken: list[Result]
    warnings: list[Result]
    checked_external: bool
    interrupted_after: float | None = None  # the run limit, when it was reached

    @property
    def ok(self) -> bool:
        return not self.broken and self.interrupted_after is None


class LocalServer(http.server.BaseHTTPRequestHandler):
    """A handler for a server on 127.0.0.1 that the link check reads: no log line per
    request, and LinkChecker skips its per-host politeness delay (0.1-0.6 s before
    each request) for servers that send ``LinkChecker: local``."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("LinkChecker", "local")
        super().end_headers()


class QuietHandler(LocalServer, http.server.SimpleHTTPRequestHandler):
    """Static files from a folder (the site; also the tests' server)."""


@contextlib.contextmanager
def serve(directory: Path, port: int = 0) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 in a thread; yields the base URL."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class BuildFailed(Exception):
    """The site could not be built; the message says why (MkDocs logged the details)."""


def build_site(
    settings: Settings, site_dir: Path, *, mkdocs_config: Path, site_url: str | None = None
) -> Path:
    """Build the site into ``site_dir`` in this process, as ``mkdocs build --strict``
    would, with ``settings`` handed to the hook (hooks/drejebog_hooks.py) through
    the config instead of the environment: when ``settings.runbook`` is set, the
    data is not loaded again. ``site_url`` replaces the configured address.

    MkDocs is imported here, only when a site is built.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    try:
        config = load_config(
            str(mkdocs_config), site_dir=str(site_dir), site_url=site_url, strict=True
        )
        config.extra[MKDOCS_KEY] = settings
        build(config)
    except MkDocsException as exc:
        raise BuildFailed(exc.format_message()) from None
    except OSError as exc:  # e.g. no mkdocs.yml
        raise BuildFailed(str(exc)) from None
    return site_dir


def url_owners(runbook: Runbook) -> dict[str, set[str]]:
    """Every URL in the data, with the ids of the tasks (or contacts) that use it."""
    owners: dict[str, set[str]] = {}
    for task in runbook.tasks():
        for link in task.links:
            if link.url:
                owners.setdefault(link.url, set()).add(task.id)
        for contact_id in task.help:
            contact = runbook.contact(contact_id)
            for url in _contact_urls(contact):
                owners.setdefault(url, set()).add(task.id)
    for contact in runbook.contacts:
        for url in _contact_urls(contact):
            owners.setdefault(url, set()).add(f"kontakt:{contact.id}")
    for link in runbook.about.links:
        if link.url:
            owners.setdefault(link.url, set()).add("om-siden")
    return owners


def _contact_urls(contact) -> Iterator[str]:  # type: ignore[no-untyped-def]
    if contact.url:
        yield contact.url
    for email in [contact.email, *(p.email for p in contact.people)]:
        if email:
            yield f"mailto:{email}"


def _config_copy(path: Traversable, folder: Path, *, local_only: bool) -> Path:
    """The config to use. For a check of the local copy only, the per-host
    rate limit meant for public servers is lifted; it would make every
    ``make test`` wait."""
    target = folder / path.name
    text = path.read_text(encoding="utf-8")
    if local_only:
        text = re.sub(r"(?m)^maxrequestspersecond=.*$", "maxrequestspersecond=1000", text)
    target.write_text(text, encoding="utf-8")
    return target


@dataclass
class Run:
    """What a LinkChecker run left behind."""

    code: int
    csv: str
    stderr: str
    run_limit_reached: bool = False  # the child stopped itself at the run limit
    killed: bool = False  # ... or had to be killed after the grace period

    @property
    def cut_short(self) -> bool:
        return self.run_limit_reached or self.killed


def _site_allowance(base_url: str) -> list[str]:
    """``ADDRESS:PORT`` entries for the local site server (it is on 127.0.0.1)."""
    parts = urlsplit(base_url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    host = parts.hostname or "127.0.0.1"
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        addresses = [
            ipaddress.ip_address(info[4][0].split("%", 1)[0])
            for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        ]
    return [f"[{ip}]:{port}" if ip.version == 6 else f"{ip}:{port}" for ip in addresses]


def run_linkchecker(
    base_url: str,
    *,
    external: bool,
    config: Traversable = CONFIG,
    extra_args: list[str] | None = None,
    limits: Limits | None = None,
    command: list[str] | None = None,
) -> Run:
    """Run LinkChecker (``command`` replaces ``python -m drejebog._linkchecker``
    in tests) with the limits; never runs longer than ``limits.run + limits.grace``.

    ``$DREJEBOG_LINKCHECK_ALLOW`` (tests only) lists further ``ADDRESS:PORT``
    pairs the child may connect to although they are not public; the site's own
    server is always allowed.
    """
    limits = limits or Limits()
    allow = os.environ.get(guard.ALLOW_ENV, "")
    guard.parse_allow(allow)  # a typo fails here, not silently in the child
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cfg = _config_copy(config, folder, local_only=not external)
        args = [
            *(command or [sys.executable, "-m", "drejebog._linkchecker"]),
            "--config",
            str(cfg),
            "--no-status",
            "--output",
            "csv",
            "--no-robots",
        ]
        if external:
            args.append("--check-extern")
        args += extra_args or []
        args.append(base_url)
        env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",  # every CSV row reaches us at once, even if the child is killed
            guard.ALLOW_ENV: " ".join([*_site_allowance(base_url), allow]).strip(),
            guard.URL_LIMIT_ENV: str(limits.url),
            guard.RUN_LIMIT_ENV: str(limits.run),
        }
        proc = subprocess.Popen(
            args,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
            cwd=folder,
            env=env,
        )
        killed = False
        try:
            out, err = proc.communicate(timeout=limits.run + limits.grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()  # everything written before the kill
            killed = True
        except BaseException:  # e.g. Ctrl-C: leave no checker running
            proc.kill()
            proc.wait()
            raise
    return Run(
        proc.returncode,
        out,
        err,
        run_limit_reached=proc.returncode == guard.RUN_LIMIT_EXIT,
        killed=killed,
    )


def _rows(csv_text: str) -> Iterator[dict[str, str]]:
    """LinkChecker's CSV rows. Comment lines (``# ...``) come before the header
    and after the last row; a row itself may start with ``#`` (a link to an
    anchor on the same page) or span lines (several warnings), so rows are told
    apart from comments by their number of fields, not by their first character."""
    lines = csv_text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith("urlname;")), None)
    if start is None:
        return
    reader = csv.reader(io.StringIO("".join(lines[start:])), delimiter=";")
    try:
        header = next(reader)
        for row in reader:
            if len(row) == len(header):
                yield dict(zip(header, row, strict=True))
    except csv.Error:  # a row cut off by a kill
        return


def _mark_reason(result: str, limits: Limits) -> tuple[str, str] | None:
    """(Danish reason, detail) for the results our LinkChecker wrapper sets."""
    if result == f"{guard.TIMEOUT_MARK} url":
        return (
            f"Tidsgrænsen på {_secs(limits.url)} pr. link blev overskredet (serveren svarede for langsomt)",
            "",
        )
    if result == f"{guard.TIMEOUT_MARK} run":
        return (
            f"Linktjekkets samlede tidsgrænse på {_secs(limits.run)} blev nået, "
            "før linket var tjekket færdigt"
        ), ""
    if result.startswith(guard.REFUSED_MARK + " "):
        _, address, port = result.split(" ", 2)
        host = f"[{address}]" if ":" in address else address
        return (
            "Afvist: adressen er ikke offentlig (lokal, privat eller reserveret), "
            "så linktjekket forbinder ikke til den"
        ), f"{host}:{port}"
    return None


def _secs(seconds: float) -> str:
    return f"{seconds:g} s"


def parse(
    csv_text: str,
    base_url: str,
    owners: dict[str, set[str]],
    *,
    external: bool,
    limits: Limits | None = None,
) -> Outcome:
    limits = limits or Limits()
    broken: dict[str, Result] = {}
    warnings: dict[str, Result] = {}
    for row in _rows(csv_text):
        url = row.get("urlname") or row.get("url") or ""
        page = _page_name(row.get("parentname") or "", base_url)
        result = row.get("result") or ""
        warning = row.get("warningstring") or ""
        tasks = (
            owners.get(url, set())
            | owners.get(url.rstrip("/"), set())
            | owners.get(url + "/", set())
        )
        marked = _mark_reason(result, limits)
        if marked:
            entry = broken.setdefault(url, Result(url, marked[1], reason=marked[0]))
        elif row.get("valid") == "False":
            entry = broken.setdefault(url, Result(url, result or warning))
        elif warning.startswith("Anchor "):
            # A deep link to a task that is not there is as broken as a 404.
            entry = broken.setdefault(url, Result(url, warning.split(". Available anchors", 1)[0]))
        elif warning:
            entry = warnings.setdefault(url, Result(url, f"{result}: {warning}".strip(": ")))
            if warning.startswith("Redirected to"):
                entry.redirect = row.get("url") or ""
                # The last redirect's line (warnings are joined with newlines); the
                # URL in it is percent-encoded, so its first " status: " ends the URL.
                line = [w for w in warning.split("\n") if w.startswith("Redirected to")][-1]
                entry.status = (
                    line.split(" status: ", 1)[1].rstrip(".") if " status: " in line else result
                )
        else:
            continue
        if page:
            entry.pages.add(page)
        entry.tasks |= tasks
    return Outcome(
        sorted(broken.values(), key=lambda r: r.url),
        sorted(warnings.values(), key=lambda r: r.url),
        external,
    )


def _ignored(config: Traversable) -> list[re.Pattern[str]]:
    """The ``ignore=`` patterns of LinkChecker's config: those URLs never get a row."""
    parser = configparser.RawConfigParser(strict=False)
    parser.read_string(config.read_text(encoding="utf-8"))
    lines = parser.get("filtering", "ignore", fallback="").splitlines()
    return [re.compile(line.strip()) for line in lines if line.strip()]


def add_unchecked(
    outcome: Outcome,
    csv_text: str,
    owners: dict[str, set[str]],
    base_url: str,
    limits: Limits,
    ignored: list[re.Pattern[str]],
) -> None:
    """After a cut-short run: every URL in the data without a row was never
    checked. It is listed as broken with its tasks, so it is not forgotten."""
    seen: set[str] = set()
    for row in _rows(csv_text):
        for value in (row.get("urlname") or "", row.get("url") or ""):
            seen |= {value, value.rstrip("/")}
    listed = {r.url.rstrip("/") for r in outcome.broken}
    reason = f"Ikke tjekket: linktjekkets samlede tidsgrænse på {_secs(limits.run)} blev nået"
    extra = [
        Result(url, "", tasks=set(tasks), reason=reason)
        for url, tasks in owners.items()
        if url.rstrip("/") not in seen
        and url.rstrip("/") not in listed
        and not url.startswith(base_url)
        and not any(p.search(url) for p in ignored)
    ]
    outcome.broken = sorted([*outcome.broken, *extra], key=lambda r: r.url)
    outcome.interrupted_after = limits.run


def _page_name(parent: str, base_url: str) -> str:
    if parent.startswith(base_url):
        return "/" + parent[len(base_url) :]
    return urlsplit(parent).path or parent


_LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x1c-\x1f\x85\u2028\u2029]+")


def md_code(text: str, limit: int = 200) -> str:
    """``text`` as one inline code span that GitHub renders as plain text, also
    inside a table cell.

    Inside a code span Markdown, HTML, autolinks, @-mentions and #-references
    are inert. What could still escape it is handled here: line breaks become
    spaces, other control and format characters (e.g. bidi overrides) are
    removed, the text is capped at ``limit`` characters, the backtick fence is
    longer than any run of backticks inside (padded with a space where the text
    starts or ends with one), and ``|`` is escaped for the table. GitHub splits
    table rows before it parses code spans and reads ``\\`` followed by
    punctuation as an escape, so backslashes right before a ``|`` are doubled
    too; otherwise ``\\|`` in the text would become ``\\\\|`` and end the cell.
    """
    text = _LINE_BREAKS.sub(" ", text)
    text = "".join(c for c in text if not unicodedata.category(c).startswith("C"))
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    if not text:
        return "–"
    text = re.sub(r"(\\*)\|", lambda m: m.group(1) * 2 + "\\|", text)
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _status_cell(result: Result) -> str:
    if result.reason and result.status:
        return f"{result.reason}: {md_code(result.status)}"
    return result.reason or md_code(result.status)


def _owners_text(result: Result) -> str:
    return ", ".join(md_code(t, limit=80) for t in sorted(result.tasks)) or "–"


def _pages_text(result: Result) -> str:
    return ", ".join(md_code(p) for p in sorted(result.pages)) or "–"


def report(outcome: Outcome) -> str:
    """A Markdown report (Danish: maintainers read it in a GitHub issue)."""
    lines = ["# Linktjek", ""]
    scope = "alle links, også eksterne" if outcome.checked_external else "interne links"
    if outcome.ok:
        lines.append(f"Alle links er i orden ({scope}).")
    if outcome.interrupted_after is not None:
        lines += [
            f"**Linktjekket blev stoppet af sin samlede tidsgrænse på {_secs(outcome.interrupted_after)}** "
            "og er ikke tjekket færdigt. Links, der ikke nåede at blive tjekket, står som fejl nedenfor.",
            "",
        ]
    if outcome.broken:
        lines.append(
            f"**{len(outcome.broken)} link(s) virker ikke** ({scope}). Ret dem i `data/tasks.yaml` ved de nævnte opgaver."
        )
        lines += ["", "| URL | Status eller fejl | Opgave(r) | Side(r) |", "|---|---|---|---|"]
        for r in outcome.broken:
            lines.append(
                f"| {md_code(r.url, limit=300)} | {_status_cell(r)} | {_owners_text(r)} | {_pages_text(r)} |"
            )
    if outcome.warnings:
        lines += [
            "",
            "## Advarsler (stopper ikke tjekket)",
            "",
            "Omdirigerede links virker stadig, men bør opdateres til den nye adresse.",
            "",
            "| URL | Advarsel | Ny adresse | Opgave(r) |",
            "|---|---|---|---|",
        ]
        for r in outcome.warnings:
            target = md_code(r.redirect, limit=300) if r.redirect else "–"
            lines.append(
                f"| {md_code(r.url, limit=300)} | {_status_cell(r)} | {target} | {_owners_text(r)} |"
            )
    return "\n".join(lines) + "\n"


def check_site(
    site_dir: Path,
    runbook: Runbook,
    *,
    external: bool,
    base_url: str | None = None,
    config: Traversable = CONFIG,
    limits: Limits | None = None,
) -> tuple[Outcome, str]:
    """Serve ``site_dir`` and check it. Pass ``base_url`` when it is already served."""
    owners = url_owners(runbook)
    limits = limits or Limits()
    if base_url is not None:
        run = run_linkchecker(base_url, external=external, config=config, limits=limits)
        return finish(run, base_url, owners, external=external, limits=limits, config=config)
    with serve(site_dir) as url:
        run = run_linkchecker(url, external=external, config=config, limits=limits)
        return finish(run, url, owners, external=external, limits=limits, config=config)


def finish(
    run: Run,
    base_url: str,
    owners: dict[str, set[str]],
    *,
    external: bool,
    limits: Limits,
    config: Traversable = CONFIG,
) -> tuple[Outcome, str]:
    """The outcome and report of a run, also of one that was cut short."""
    if run.code not in (0, 1) and not run.cut_short:
        raise RuntimeError(f"LinkChecker stoppede med kode {run.code}:\n{run.stderr.strip()}")
    outcome = parse(run.csv, base_url, owners, external=external, limits=limits)
    if run.cut_short:
        add_unchecked(
            outcome, run.csv, owners if external else {}, base_url, limits, _ignored(config)
        )
    return outcome, report(outcome)
