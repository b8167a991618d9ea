"""What the checklist shows on a first visit (nothing stored), rendered into the page.

The checklist's rows and boxes take their room before the script runs (drejebog.css,
``html.drb-mjs``) and are shown once it has enhanced the page. For nothing to move then
(layout shift 0), the texts that decide their height are in the page already: the progress
sentences, "Næste opgave", each task's "Venter på", the home page's group states. The script
writes the same texts (docs/assets/checklist/progress.js, plan.js, task.js, groups.js); this
mirrors their rules for the state of a first visit: every task "Ikke startet", no opening
date, no practice type. With a stored state the script shows that state instead.
``tests/browser/test_layout_shift.py`` fails when the two disagree.
"""

from __future__ import annotations

from drejebog.model import Runbook, Task


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def progress_text(tasks: list[Task] | tuple[Task, ...]) -> str:
    """progress.js's sentence with nothing done: "0 af 17 opgaver færdige"."""
    n = sum(1 for t in tasks if not t.is_info)
    return "0 af " + _plural(n, "opgave færdig", "opgaver færdige")


def group_count(tasks: list[Task] | tuple[Task, ...]) -> str:
    """groups.js's count in a home page row with nothing done: "0 af 6 færdige"."""
    n = sum(1 for t in tasks if not t.is_info)
    return "0 af " + _plural(n, "færdig", "færdige")


class FirstView:
    """The runbook's first-visit texts, worked out once per render (render_site): the
    templates ask for every task's and every page's, so each is a lookup, not a pass
    over all the tasks."""

    def __init__(self, runbook: Runbook) -> None:
        self.order = [t for t in runbook.tasks() if not t.is_info]
        self.by_id = {t.id: t for t in self.order}
        # progress.js loadPlan: plan.js is loaded when a task has deps, after or earliest.
        self.planned = any(
            t.depends_on or t.timing.after or t.timing.earliest_day for t in self.order
        )
        before_open = any(t.timing.before == "required" for t in self.order)

        def can_start(t: Task) -> bool:
            later = (t.timing.earliest_day or 0) > 0 or (t.timing.after and not t.timing.before)
            return not before_open or not later

        self.doable = (
            [t for t in self.order if not self.waiting_for(t) and can_start(t)]
            if self.planned
            else list(self.order)
        )
        self.doable_ids = {t.id for t in self.doable}
        # Per group: its first doable task, and the position of its last task in the order.
        self.first_doable: dict[str, Task] = {}
        for t in self.doable:
            self.first_doable.setdefault(t.group_id, t)
        self.last_index = {t.group_id: i for i, t in enumerate(self.order)}

    def waiting_for(self, task: Task) -> list[Task]:
        """plan.js waitingFor with every task open: the tasks it depends on, info rows left
        out (none when plan.js is not loaded)."""
        if task.is_info or not self.planned:
            return []
        return [self.by_id[d] for d in task.depends_on if d in self.by_id]

    def next_task(self, group_id: str | None = None) -> Task | None:
        """progress.js nextTask with every task open and no practice settings: of the doable
        tasks (plan.js doable), the first in the group, else the next after the group in
        runbook order, else the first; None when none is doable."""
        in_group = self.first_doable.get(group_id) if group_id else None
        if in_group:
            return in_group
        after = self.last_index.get(group_id, -1) if group_id else -1
        following = next((t for t in self.order[after + 1 :] if t.id in self.doable_ids), None)
        return following or (self.doable[0] if self.doable else None)

    def next_line(self, group_id: str | None = None) -> tuple[Task | None, str]:
        """The progress box's last line: the next task (its link says "Næste opgave:
        TITLE"), or none and progress.js's sentence for that."""
        task = self.next_task(group_id)
        if task:
            return task, ""
        if self.order:
            return None, (
                "Ingen opgave kan gøres lige nu: de resterende venter på andre opgaver"
                " eller på opstarten"
            )
        return None, "Alle opgaver er færdige"

    progress_text = staticmethod(progress_text)
    group_count = staticmethod(group_count)
