"""axe-core in the browser tests: one way to run it and report what it found."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

_axe = Axe()

# Promise of every finite CSS transition/animation on the page having finished.
SETTLE_ANIMATIONS = """() => Promise.all(document.getAnimations()
  .filter(a => a.effect && a.effect.getComputedTiming().iterations !== Infinity)
  .map(a => a.finished.catch(() => null))).then(() => null)"""


def settle(page: Page) -> None:
    """Wait for running CSS transitions and animations to finish.

    axe measuring a colour halfway through Material's 125-250 ms fades reports
    contrast that nobody sees.
    """
    page.evaluate(SETTLE_ANIMATIONS)


def axe_violations(page: Page, label: str) -> list[str]:
    """Run axe-core's default rule set on the page; one line per violation."""
    settle(page)
    result = _axe.run(page)
    lines = []
    for v in result.response["violations"]:
        targets = ", ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:8])
        more = f" (+{len(v['nodes']) - 8} more)" if len(v["nodes"]) > 8 else ""
        lines.append(f"{label}: {v['id']} [{v['impact']}] {v['help']} -> {targets}{more}")
    return lines


def assert_no_violations(page: Page, label: str) -> None:
    problems = axe_violations(page, label)
    assert not problems, f"{len(problems)} axe violation(s):\n" + "\n".join(problems)
