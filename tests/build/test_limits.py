"""Any file that ``check`` accepts builds, whatever it contains.

The two worst cases of tests/support/limits.py (the largest Markdown and the most
page content the limits allow) must pass ``python -m drejebog check`` and build
with MkDocs into complete pages. How long that takes is measured by ``make bench``
(budget: 60 s on two cores), not here: a test must not depend on the machine's
load. ``HANG_GUARD`` only ends a build that never finishes, inside CI's time.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from drejebog import DataErrors, parse_runbook, yamlsafe
from tests.support import schemagen
from tests.support.limits import KINDS, largest
from tests.support.sites import build_site

ROOT = Path(__file__).resolve().parents[2]
HANG_GUARD = 900  # seconds; not a budget (see above)


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_largest_accepted_file_builds(kind: str, tmp_path: Path):
    source = tmp_path / "tasks.yaml"
    source.write_bytes(largest(markdown=KINDS[kind]))
    runbook = parse_runbook(source.read_bytes(), str(source))  # what check accepts
    built = build_site(tmp_path / "site", data=source, timeout=HANG_GUARD)
    assert built.returncode == 0, built.stderr[-2000:]
    for group in runbook.groups:
        html = (tmp_path / "site" / "opgaver" / group.id / "index.html").read_text("utf-8")
        shown = re.findall(r'<section class="drb-task[^>]* data-task-id="([^"]+)"', html)
        assert shown == [t.id for t in group.tasks], group.id


def test_one_more_task_is_refused():
    data = yamlsafe.load(largest(markdown=False))[0]
    group = data["groups"][-1]
    group["tasks"].append({**group["tasks"][-1], "id": "en-for-meget"})
    with pytest.raises(DataErrors) as caught:
        parse_runbook(schemagen.dump(data), "tasks.yaml")
    assert [e.path for e in caught.value.errors] in (["groups"], ["(filen)"]), caught.value.report()
