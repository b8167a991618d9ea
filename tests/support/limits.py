"""The largest data files the limits accept, for tests/build/test_limits.py and
``make bench``.

Two worst cases, each made as large as the limits allow (the limits are read from
the schema and from drejebog.budget, so the files follow them when they change):

* Markdown: every task's ``details`` and every group's ``intro`` at the maximum
  length, filled with what makes Markdown slow: runs of brackets, unclosed links
  and images, quotes and lists nested to the limit, emphasis and backticks;
* pages: as many groups and tasks as allowed, every title at its maximum, every
  task naming the most contacts, each with the most people and the longest note, the most
  dependencies and responsible, and a suggested deadline with its source and a
  repetition: what the pages (the cards and the overview) repeat the most.
"""

from __future__ import annotations

from drejebog import budget, yamlsafe
from tests.support import schemagen

KINDS = {"markdown": True, "pages": False}


def limit(path: schemagen.FieldPath, key: str = "maxLength") -> int:
    return schemagen.schema_at(path)[key]


TASK = ("groups", 0, "tasks", 0)
CONTACT = ("contacts", 0)
PERSON = ("contacts", 0, "people", 0)


def slow_markdown(length: int) -> str:
    depth = "> " * 4 + "- " * 4  # nested to the limit (8)
    pieces = [
        "[" * 600,
        "![" * 300,
        "[a](" * 150,
        depth + "*a" * 200,
        "`a" * 300,
        "_a_ " * 150,
        "[a](b) " * 80,
        "\n\n" + depth + "[x]: javascript:y\n",
        "**" * 300,
    ]
    text = ""
    while len(text) < length:
        text += pieces[len(text) % len(pieces)] + "\n\n"
    return text[:length].rstrip()


def runbook(tasks: int, groups: int, *, markdown: bool) -> dict:
    people = [
        {
            "name": "P" * limit(PERSON + ("name",)),
            "role": "R" * limit(PERSON + ("role",)),
            "email": "p" * 60 + "@example.org",
            "phone": "1234 5678",
            "phone_label": "L" * limit(PERSON + ("phone_label",)),
        }
    ] * limit(CONTACT + ("people",), "maxItems")
    contact_count = limit(TASK + ("help",), "maxItems")
    contacts = [
        {
            "id": f"k{i}",
            "name": "N" * limit(CONTACT + ("name",)),
            "email": "k" * 60 + "@example.org",
            "phone": "1234 5678",
            "url": "https://example.org/" + "u" * 200,
            **({} if markdown else {"people": people, "note": "O" * limit(CONTACT + ("note",))}),
        }
        for i in range(contact_count)
    ]
    details = slow_markdown(limit(TASK + ("details",)))
    title = "[*<" * limit(TASK + ("title",))
    per_group = -(-tasks // groups)
    made, out = 0, []
    for g in range(groups):
        items = []
        for _ in range(min(per_group, tasks - made)):
            made += 1
            task = {"id": f"t{made}", "title": title[: limit(TASK + ("title",))]}
            if markdown:
                task["details"] = details
            else:
                task["help"] = [c["id"] for c in contacts]
                first = max(1, made - limit(TASK + ("depends_on",), "maxItems"))
                task["depends_on"] = [f"t{n}" for n in range(first, made)]
                task["responsible"] = ["A" * limit(TASK + ("responsible", 0))] * limit(
                    TASK + ("responsible",), "maxItems"
                )
                task["when"] = {
                    "before": "required",
                    "due_day": -21,
                    "due_source": {
                        "text": "S" * limit(TASK + ("when", "due_source", "text")),
                        "url": "https://example.org/" + "u" * 200,
                    },
                    "repeat": {
                        "every": "quarterly",
                        "text": "G" * limit(TASK + ("when", "repeat", "text")),
                    },
                }
            items.append(task)
        if items:
            group = {"id": f"g{g}", "title": title[: limit(("groups", 0, "title"))], "tasks": items}
            if markdown:
                group["intro"] = details
            out.append(group)
    return {
        "version": 1,
        "meta": {
            "title": "Grænser",
            "region": "R",
            "publisher": "P",
            "source": "S",
            "updated": "2026-01-31",
        },
        "contacts": contacts,
        "groups": out,
    }


def fits(data: dict) -> bool:
    tasks, size = budget.estimate(data)
    if tasks > budget.MAX_TASKS or size > budget.MAX_PAGE_BYTES:
        return False
    return len(schemagen.dump(data)) <= yamlsafe.MAX_BYTES


def largest(*, markdown: bool) -> bytes:
    """The file with the most tasks that still fits every limit: one more task, in a new
    group or in the last one, is refused."""
    groups = limit(("groups",), "maxItems")
    low, high = 1, budget.MAX_TASKS
    while low < high:
        middle = (low + high + 1) // 2
        if fits(runbook(middle, groups, markdown=markdown)):
            low = middle
        else:
            high = middle - 1
    data = runbook(low, groups, markdown=markdown)
    # One more task in a new group costs more than one more in the last group (the
    # navigation grows on every page), so fill the last group up to the limits too.
    last = data["groups"][-1]["tasks"]
    while True:
        last.append({**last[-1], "id": f"t{low + 1}"})
        if not fits(data):
            last.pop()
            break
        low += 1
    return schemagen.dump(data)
