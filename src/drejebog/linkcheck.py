"""Run LinkChecker over a built site and report broken links with their tasks.

The site is served from its folder on 127.0.0.1 (LinkChecker over file://
trips over root-absolute paths). Broken links fail the run; redirects and
"rate limited" answers are listed as warnings that do not, so maintainers can
update a moved URL before it breaks. Each URL is traced back to the task ids
that use it, because data/tasks.yaml is where it gets fixed.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import http.server
import io
import os
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .model import Runbook

SRC = Path(__file__).resolve().parents[1]
CONFIG = SRC.parent / "config" / "linkcheckerrc"


@dataclass
class Result:
    url: str
    status: str
    pages: set[str] = field(default_factory=set)
    tasks: set[str] = field(default_factory=set)
    redirect: str | None = None


@dataclass
class Outcome:
    broken: list[Result]
    warnings: list[Result]
    checked_external: bool

    @property
    def ok(self) -> bool:
        return not self.broken


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files without a log line per request (also used by the tests' server)."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def end_headers(self) -> None:
        # LinkChecker skips its per-host politeness delay for servers that say this.
        self.send_header("LinkChecker", "local")
        super().end_headers()


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


def _config_copy(path: Path, folder: Path, *, local_only: bool) -> Path:
    """The config to use. For a check of the local copy only, the per-host
    rate limit meant for public servers is lifted; it would make every
    ``make test`` wait."""
    target = folder / path.name
    text = path.read_text(encoding="utf-8")
    if local_only:
        text = re.sub(r"(?m)^maxrequestspersecond=.*$", "maxrequestspersecond=100", text)
    target.write_text(text, encoding="utf-8")
    return target


def run_linkchecker(base_url: str, *, external: bool, config: Path = CONFIG,
                    extra_args: list[str] | None = None) -> tuple[int, str, str]:
    """Run LinkChecker; returns (exit code, CSV text, stderr)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cfg = _config_copy(config, folder, local_only=not external)
        args = [sys.executable, "-m", "drejebog._linkchecker", "--config", str(cfg), "--no-status",
                "--output", "csv", "--no-robots"]
        if external:
            args.append("--check-extern")
        args += extra_args or []
        args.append(base_url)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))}
        proc = subprocess.run(args, capture_output=True, text=True, cwd=folder, env=env)
    return proc.returncode, proc.stdout, proc.stderr


def parse(csv_text: str, base_url: str, owners: dict[str, set[str]], *, external: bool) -> Outcome:
    rows = [line for line in csv_text.splitlines() if line and not line.startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(rows)), delimiter=";")
    broken: dict[str, Result] = {}
    warnings: dict[str, Result] = {}
    for row in reader:
        url = row.get("urlname") or row.get("url") or ""
        page = _page_name(row.get("parentname") or "", base_url)
        result = row.get("result") or ""
        warning = row.get("warningstring") or ""
        tasks = owners.get(url, set()) | owners.get(url.rstrip("/"), set()) | owners.get(url + "/", set())
        if row.get("valid") == "False":
            entry = broken.setdefault(url, Result(url, result or warning))
        elif warning.startswith("Anchor "):
            # A deep link to a task that is not there is as broken as a 404.
            entry = broken.setdefault(url, Result(url, warning.split(". Available anchors", 1)[0]))
        elif warning:
            entry = warnings.setdefault(url, Result(url, f"{result}: {warning}".strip(": ")))
            if warning.startswith("Redirected to"):
                target = row.get("url") or ""
                entry.redirect = target
                entry.status = warning.split(" status: ", 1)[-1].rstrip(".") if " status: " in warning else result
        else:
            continue
        if page:
            entry.pages.add(page)
        entry.tasks |= tasks
    return Outcome(sorted(broken.values(), key=lambda r: r.url), sorted(warnings.values(), key=lambda r: r.url), external)


def _page_name(parent: str, base_url: str) -> str:
    if parent.startswith(base_url):
        return "/" + parent[len(base_url):]
    return urlsplit(parent).path or parent


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _owners_text(result: Result) -> str:
    return ", ".join(f"`{t}`" for t in sorted(result.tasks)) or "–"


def report(outcome: Outcome) -> str:
    """A Markdown report (Danish: maintainers read it in a GitHub issue)."""
    lines = ["# Linktjek", ""]
    scope = "alle links, også eksterne" if outcome.checked_external else "interne links"
    if outcome.ok:
        lines.append(f"Alle links er i orden ({scope}).")
    else:
        lines.append(f"**{len(outcome.broken)} link(s) virker ikke** ({scope}). Ret dem i `data/tasks.yaml` ved de nævnte opgaver.")
        lines += ["", "| URL | Status eller fejl | Opgave(r) | Side(r) |", "|---|---|---|---|"]
        for r in outcome.broken:
            pages = ", ".join(sorted(r.pages))
            lines.append(f"| {_cell(r.url)} | {_cell(r.status)} | {_owners_text(r)} | {_cell(pages)} |")
    if outcome.warnings:
        lines += ["", "## Advarsler (stopper ikke tjekket)", "",
                  "Omdirigerede links virker stadig, men bør opdateres til den nye adresse.", "",
                  "| URL | Advarsel | Ny adresse | Opgave(r) |", "|---|---|---|---|"]
        for r in outcome.warnings:
            lines.append(f"| {_cell(r.url)} | {_cell(r.status)} | {_cell(r.redirect or '–')} | {_owners_text(r)} |")
    return "\n".join(lines) + "\n"


def check_site(site_dir: Path, runbook: Runbook, *, external: bool, base_url: str | None = None,
               config: Path = CONFIG) -> tuple[Outcome, str]:
    """Serve ``site_dir`` and check it. Pass ``base_url`` when it is already served."""
    owners = url_owners(runbook)
    if base_url is not None:
        code, out, err = run_linkchecker(base_url, external=external, config=config)
        return _finish(code, out, err, base_url, owners, external)
    with serve(site_dir) as url:
        code, out, err = run_linkchecker(url, external=external, config=config)
        return _finish(code, out, err, url, owners, external)


def _finish(code: int, out: str, err: str, base_url: str, owners: dict[str, set[str]],
            external: bool) -> tuple[Outcome, str]:
    if code not in (0, 1):
        raise RuntimeError(f"LinkChecker stoppede med kode {code}:\n{err.strip()}")
    outcome = parse(out, base_url, owners, external=external)
    return outcome, report(outcome)
