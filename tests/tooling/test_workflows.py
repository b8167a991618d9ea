"""GitHub workflows: security lint (zizmor), structure, and the link-check issue script."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"


def load(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def test_zizmor_finds_nothing():
    zizmor = shutil.which("zizmor") or str(Path(sys.executable).with_name("zizmor"))
    result = subprocess.run(
        [zizmor, "--offline", "--no-progress", str(ROOT / ".github")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_action_is_pinned_to_a_commit():
    for path in WORKFLOWS.glob("*.yml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "uses:" in line:
                ref = line.split("uses:", 1)[1].split("#", 1)[0].strip()
                assert len(ref.rsplit("@", 1)[1]) == 40, f"{path.name}: {line.strip()}"


def test_ci_runs_make_test_on_pull_requests_and_uploads_the_site():
    ci = load("ci.yml")
    assert "pull_request" in ci["on"] and "push" in ci["on"]
    assert ci["permissions"] == {"contents": "read"}
    runs = [s.get("run") for s in ci["jobs"]["test"]["steps"]]
    assert "make test" in runs
    assert any("upload-artifact" in (s.get("uses") or "") for s in ci["jobs"]["test"]["steps"])


def test_deploy_uses_pages_actions_with_least_privilege():
    deploy = load("deploy.yml")
    assert deploy["permissions"] == {}
    assert deploy["jobs"]["build"]["permissions"] == {"contents": "read"}
    assert deploy["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    uses = [s.get("uses", "") for job in deploy["jobs"].values() for s in job["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)


def test_link_check_is_scheduled_and_never_on_pull_requests():
    links = load("links.yml")
    assert set(links["on"]) == {"schedule", "workflow_dispatch"}
    steps = links["jobs"]["linkcheck"]["steps"]
    check = next(s for s in steps if s.get("run") == "make linkcheck")
    assert check["continue-on-error"] is True


def fake_gh(tmp_path: Path, open_issue: str) -> tuple[dict[str, str], Path]:
    """A `gh` stand-in that logs its arguments and lists `open_issue` (or none)."""
    log = tmp_path / "gh.log"
    gh = tmp_path / "bin" / "gh"
    gh.parent.mkdir()
    gh.write_text(
        "#!/bin/sh\n"
        f'echo "$*" >> "{log}"\n'
        f'if [ "$1 $2" = "issue list" ]; then echo "{open_issue}"; fi\n'
        'if [ "$1 $2" = "issue create" ] || [ "$1 $2" = "issue edit" ]; then\n'
        '  while [ $# -gt 0 ]; do [ "$1" = --body-file ] && cat "$2" >> "'
        + str(log)
        + '"; shift; done\n'
        "fi\n"
    )
    gh.chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{gh.parent}:{os.environ['PATH']}",
        "RUN_URL": "https://example.invalid/run/1",
    }
    return env, log


def run_script(tmp_path: Path, outcome: str, open_issue: str) -> str:
    report = tmp_path / "linkcheck.md"
    report.write_text(
        "# Linktjek\n\n| https://x.example/ | 404 Not Found | `cvr-nummer` | /opgaver/a/ |\n"
    )
    env, log = fake_gh(tmp_path, open_issue)
    env["OUTCOME"] = outcome
    result = subprocess.run(
        [str(ROOT / "scripts" / "link-issue"), str(report)], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return log.read_text() if log.exists() else ""


def test_link_issue_opens_one_issue_with_the_report(tmp_path: Path):
    log = run_script(tmp_path, "failure", open_issue="")
    assert "issue create --title Døde links i drejebogen --label link-check" in log
    assert "`cvr-nummer`" in log


def test_link_issue_updates_the_open_issue(tmp_path: Path):
    log = run_script(tmp_path, "failure", open_issue="7")
    assert "issue edit 7" in log and "issue create" not in log


def test_link_issue_closes_it_when_links_are_good(tmp_path: Path):
    log = run_script(tmp_path, "success", open_issue="7")
    assert "issue close 7" in log and "issue edit" not in log


def test_link_issue_does_nothing_when_good_and_none_open(tmp_path: Path):
    log = run_script(tmp_path, "success", open_issue="")
    assert "issue close" not in log and "issue create" not in log
