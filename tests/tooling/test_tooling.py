"""The build tooling itself: lock files, Makefile targets, scripts."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCK_FILES = ("requirements/site.txt", "requirements/test.txt")
# Every file make installs with --require-hashes: the lock files and the build backend's.
HASHED_FILES = (*LOCK_FILES, "requirements/build.txt")
REQUIREMENT = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)")


def requirements(path: Path) -> list[str]:
    """Logical requirement lines (continuations joined, comments dropped)."""
    text = path.read_text(encoding="utf-8").replace("\\\n", " ")
    lines = (line.split(" #", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def pins(path: Path) -> dict[tuple[str, str], str]:
    """{(normalised name, marker): version} for every line of a lock file."""
    result = {}
    for line in requirements(path):
        match = REQUIREMENT.match(line)
        assert match, f"{path.name}: not an exact pin: {line[:80]}"
        name = re.sub(r"[-_.]+", "-", match["name"]).lower()
        marker = line.split(";", 1)[1].split("--hash")[0].strip() if ";" in line else ""
        result[(name, marker)] = match["version"]
    return result


def version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


@pytest.mark.parametrize("lock", HASHED_FILES)
def test_lock_file_is_hash_pinned(lock: str) -> None:
    path = ROOT / lock
    lines = requirements(path)
    assert lines, f"{lock} has no requirements"
    for line in lines:
        assert REQUIREMENT.match(line), f"{lock}: not pinned with ==: {line[:80]}"
        assert "--hash=sha256:" in line, f"{lock}: no --hash for {line.split()[0]}"
        assert not line.startswith(("-e", "--", "git+", "http")), f"{lock}: {line[:80]}"


@pytest.mark.parametrize("lock", LOCK_FILES)
def test_lock_file_pins_mkdocs_1_and_material_9(lock: str) -> None:
    found = pins(ROOT / lock)
    mkdocs = [v for (name, _), v in found.items() if name == "mkdocs"]
    material = [v for (name, _), v in found.items() if name == "mkdocs-material"]
    assert mkdocs, f"{lock} does not pin mkdocs"
    assert all((1, 6, 1) <= version(v) < (2,) for v in mkdocs), f"{lock}: mkdocs {mkdocs}"
    assert material, f"{lock} does not pin mkdocs-material"
    assert all((9, 7, 6) <= version(v) < (10,) for v in material), f"{lock}: {material}"


def test_lock_files_agree_on_shared_packages() -> None:
    site, test = (pins(ROOT / lock) for lock in LOCK_FILES)
    site_names = {name for name, _ in site}
    differ = {
        key: (site.get(key), v)
        for key, v in test.items()
        if key[0] in site_names and site.get(key) != v
    }
    # Markers may differ (a package needed on more Pythons in test.txt), the
    # versions for the same marker may not.
    differ = {k: v for k, v in differ.items() if v[0] is not None}
    assert not differ, f"site.txt and test.txt pin differently: {differ}"
    assert site_names <= {name for name, _ in test}, "test.txt lacks site packages"


def test_makefile_has_the_documented_targets() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([A-Za-z0-9_.-]+(?:\s+[A-Za-z0-9_.-]+)*)\s*:(?!=)", makefile, re.M))
    defined = {name for group in targets for name in group.split()}
    phony = set(" ".join(re.findall(r"^\.PHONY:(.*)$", makefile, re.M)).split())
    for target in ("help", "serve", "build", "check", "test", "bench", "lock", "clean"):
        assert target in defined, f"Makefile has no '{target}' target"
        assert target in phony, f"'{target}' is not .PHONY"
    assert "--require-hashes" in makefile
    for lock in HASHED_FILES:
        assert f"install_lock,{lock}" in makefile, f"make does not install {lock}"


def test_the_package_is_installed_not_put_on_sys_path() -> None:
    """make installs drejebog editable (with the hash-pinned build backend); no .pth
    file, pytest setting or environment variable puts src/ on sys.path."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "--no-build-isolation" in makefile and " -e ." in makefile
    assert "write_text" not in makefile  # the old drejebog-src.pth
    assert "pythonpath" not in pyproject["tool"]["pytest"]["ini_options"]
    assert pyproject["build-system"]["build-backend"] == "flit_core.buildapi"
    backend = pins(ROOT / "requirements" / "build.txt")
    assert [name for name, _ in backend] == ["flit-core"]
    assert requirements(ROOT / "requirements" / "build.in") == pyproject["build-system"]["requires"]
    sources = [ROOT / "hooks" / "drejebog_hooks.py", *(ROOT / "benchmarks").glob("*.py")]
    sources += [*(ROOT / "src").rglob("*.py"), *(ROOT / "tests").rglob("*.py")]
    for path in sources:
        if path == Path(__file__).resolve():
            continue
        text = path.read_text(encoding="utf-8")
        assert "sys.path.insert" not in text and "PYTHONPATH" not in text, path


def test_only_the_settings_read_the_environment() -> None:
    """Settings have one path (drejebog.settings); the link checker's child process
    (drejebog._linkchecker) and the test-only allow list are the exceptions."""
    allowed = {"settings.py", "_linkchecker.py"}
    for path in [*(ROOT / "src" / "drejebog").glob("*.py"), ROOT / "hooks" / "drejebog_hooks.py"]:
        reads = re.findall(r"os\.environ(?:\.get)?\(?\[?[^\n]*", path.read_text(encoding="utf-8"))
        if path.name in allowed:
            continue
        if path.name == "linkcheck.py":  # the child's environment, and the test-only guard
            assert all("ALLOW_ENV" in r or r.startswith("os.environ,") for r in reads), reads
            continue
        assert not reads, f"{path.name} reads the environment: {reads}"


def test_the_wheel_ships_the_schema_the_checker_config_and_the_templates(tmp_path: Path) -> None:
    """flit builds the package from src/drejebog with its data files; the package
    reads them with importlib.resources, never from outside itself."""
    build = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, flit_core.buildapi as b; print(b.build_wheel(sys.argv[1]))",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert build.returncode == 0, build.stderr
    with zipfile.ZipFile(tmp_path / build.stdout.strip().splitlines()[-1]) as wheel:
        names = set(wheel.namelist())
    for name in ("tasks.schema.json", "linkcheckerrc", "templates/group.md.j2", "settings.py"):
        assert f"drejebog/{name}" in names, sorted(names)
    for path in (ROOT / "src" / "drejebog").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "parents[" not in text and ".parent.parent" not in text, path.name


@pytest.mark.parametrize("script", ["scripts/ensure-browser", ".ci/run"])
def test_scripts_are_executable(script: str) -> None:
    path = ROOT / script
    assert path.is_file(), f"{script} is missing"
    assert os.access(path, os.X_OK), f"{script} is not executable (chmod +x)"
