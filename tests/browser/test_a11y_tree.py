"""The checklist in Chromium's accessibility tree (project issue 12, WCAG 2.2 AA).

What a screen reader gets is the browser's accessibility tree, not the DOM: these tests
read it through the DevTools protocol (``Accessibility.getPartialAXTree`` for one element,
``Accessibility.getFullAXTree`` for a page) and check what docs/dev/checklist-contract.md
promises a screen reader user:

* every control of the checklist has a name and a description that read as Danish
  sentences (no words run together: "Status og noter til TITLE", described by "Har en
  note."; a home page row reads "TITLE. 6 opgaver." then "Ikke startet: 0 af 6 færdige");
* the progress is read once (the bar is purely visual: the text carries the figures);
* the home panel's "Importér fra fil" is one button, and its status line is in the tree,
  empty, before its first message (a live region that appears with its message is often
  not announced);
* each dialog is modal, named by its heading, described by its explanation (the list of
  changes), opens with the focus on its safe button ("Annullér" / "Luk") and gives the
  focus back to the button that opened it; what "Eksportér først" says is inside the open
  dialog, in a status region;
* nothing is read twice in a row in a page's content (``reading_order``).

Every expectation comes from the data (``drejebog.load_runbook``) and the contract's
Danish texts; the tests wait for conditions (Playwright's ``expect``, or ``until``, which
asks the browser again on each animation frame), never for a fixed time.
"""

from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest
from playwright.sync_api import CDPSession, FileChooser, Page, expect

from drejebog.model import Group, Task
from tests.browser.test_checklist import (
    FIRST,
    OPEN_DIALOG,
    PANEL,
    RUNBOOK,
    SHARE_CODE,
    SMALL,
    STATUS_TEXT,
    TOTAL,
    entry,
    group_url,
    open_group,
    open_home,
    open_work,
    plural,
    progress_text,
    seed,
    wait_enhanced_group,
    wait_enhanced_home,
    wait_saved,
)

T = TypeVar("T")

NOTE_HINT = "Skriv ikke patientoplysninger her."
PANEL_BUTTONS = ["Eksportér", "Importér fra fil", "Kopiér link med fremgang", "Nulstil"]

# Roles whose own name is all a screen reader says of them: their content is their name,
# or presentational (a button's), or the browser's own (a date field's parts).
LEAVES = frozenset({
    "button", "checkbox", "radio", "switch", "textbox", "searchbox", "combobox", "listbox",
    "spinbutton", "slider", "Date", "DateTime", "InputTime", "progressbar", "meter", "image",
    "img", "link", "menuitem", "tab", "option", "PopUpButton",
})  # fmt: skip
# Form fields: a screen reader presents a field's <label> (or a group's <legend>) as the
# field's label, so the label's text beside its own field is one thing, not said twice.
# A button is no field: its text is its name, and a <label> beside it says it again.
FIELDS = LEAVES - {
    "button", "progressbar", "meter", "image", "img", "link", "menuitem", "tab", "PopUpButton"
}  # fmt: skip
CELLS = frozenset({"cell", "gridcell", "columnheader", "rowheader"})


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def until(page: Page, probe: Callable[[], T], ok: Callable[[T], bool], timeout: float = 20) -> T:
    """Ask ``probe`` again, once per animation frame, until ``ok`` holds for its answer;
    the last answer when it never does (the caller's assertion says what was wrong)."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if ok(value) or time.monotonic() > deadline:
            return value
        page.evaluate("() => new Promise(requestAnimationFrame)")


# --- the browser's accessibility tree --------------------------------------------------------


@dataclass
class AX:
    """One node of Chromium's accessibility tree, as a screen reader gets it."""

    role: str
    name: str
    description: str
    ignored: bool
    properties: dict[str, Any]
    raw: dict

    @classmethod
    def of(cls, node: dict) -> AX:
        return cls(
            role=node.get("role", {}).get("value", ""),
            name=norm(str(node.get("name", {}).get("value", ""))),
            description=norm(str(node.get("description", {}).get("value", ""))),
            ignored=bool(node.get("ignored")),
            properties={p["name"]: p["value"].get("value") for p in node.get("properties", [])},
            raw=node,
        )


class Tree:
    """The DevTools protocol's accessibility domain of one page."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.cdp: CDPSession = page.context.new_cdp_session(page)
        self.cdp.send("Accessibility.enable")

    def _object(self, expression: str) -> str | None:
        result = self.cdp.send("Runtime.evaluate", {"expression": expression})["result"]
        return result.get("objectId")

    def node(self, expression: str) -> AX | None:
        """The node of the element ``expression`` (JavaScript) gives; None for no element."""
        object_id = self._object(expression)
        if object_id is None:
            return None
        nodes = self.cdp.send(
            "Accessibility.getPartialAXTree", {"objectId": object_id, "fetchRelatives": False}
        )["nodes"]
        return AX.of(nodes[0])

    def of(self, selector: str) -> AX | None:
        return self.node(f"document.querySelector({json.dumps(selector)})")

    def focused(self) -> AX | None:
        return self.node("document.activeElement")

    def subtree(self, selector: str) -> list[dict]:
        """The nodes of the element's subtree (the element first), in document order."""
        object_id = self._object(f"document.querySelector({json.dumps(selector)})")
        assert object_id, f"no element {selector}"
        backend = self.cdp.send("DOM.describeNode", {"objectId": object_id})["node"][
            "backendNodeId"
        ]
        nodes = self.cdp.send("Accessibility.getFullAXTree")["nodes"]
        by_id = {n["nodeId"]: n for n in nodes}
        root = next(n for n in nodes if n.get("backendDOMNodeId") == backend)
        out: list[dict] = []

        def walk(n: dict) -> None:
            out.append(n)
            for child in n.get("childIds", []):
                if child in by_id:
                    walk(by_id[child])

        walk(root)
        return out


def exposed(nodes: list[dict]) -> list[AX]:
    """The nodes a screen reader meets (not ignored; no inline text boxes)."""
    return [ax for ax in map(AX.of, nodes) if not ax.ignored and ax.role not in ("InlineTextBox",)]


def read_in(tree: Tree, selector: str) -> str:
    """What a screen reader reads in the element: its texts, in order."""
    return norm(" ".join(s.text for s in reading_order(tree.subtree(selector)) if s))


def expect_ax(tree: Tree, selector: str, *, role: str, name: str, description: str = "") -> AX:
    """The element's role, accessible name and description, once they are these."""
    node = until(
        tree.page,
        lambda: tree.of(selector),
        lambda n: n is not None and (n.role, n.name, n.description) == (role, name, description),
    )
    assert node is not None, f"{selector}: no such element"
    assert not node.ignored, f"{selector} is not in the accessibility tree"
    assert (node.role, node.name, node.description) == (role, name, description), (
        f"{selector}: got role {node.role!r}, name {node.name!r}, description "
        f"{node.description!r}; want {role!r}, {name!r}, {description!r}"
    )
    return node


# --- what a screen reader reads, in order -------------------------------------------------------


@dataclass
class Said:
    """One thing a screen reader says reading a page in order: a text, or a node's name."""

    text: str
    kind: str  # "text" | "name"
    role: str
    label: int | None = None  # text: the <label>/<legend> element it is in (backend id)
    labels: frozenset[int] = frozenset()  # name: the elements it comes from (backend ids)
    own: bool = False  # name of a group or region taken from its own heading, legend, caption


def _source(node: dict) -> dict | None:
    """The source the browser took the node's name from."""
    for source in node.get("name", {}).get("sources", []):
        if "value" in source and not source.get("superseded"):
            return source
    return None


def reading_order(nodes: list[dict]) -> list[Said | None]:
    """The page's texts and names in the order a screen reader reads them (``nodes``: one
    subtree, root first). A node named by its own content says that content (its texts);
    one named otherwise says its name; a field, button or the like says only that. None
    separates table cells: the same words in two columns are two facts."""
    by_id = {n["nodeId"]: n for n in nodes}
    out: list[Said | None] = []

    def descendants(node: dict) -> set[int]:
        found: set[int] = set()
        stack = list(node.get("childIds", []))
        while stack:
            child = by_id.get(stack.pop())
            if child:
                if "backendDOMNodeId" in child:
                    found.add(child["backendDOMNodeId"])
                stack.extend(child.get("childIds", []))
        return found

    def walk(node: dict, label: int | None) -> None:
        ax = AX.of(node)
        children = [by_id[c] for c in node.get("childIds", []) if c in by_id]
        if ax.ignored:
            for child in children:
                walk(child, label)
            return
        if ax.role == "InlineTextBox":
            return
        if ax.role == "StaticText":
            if ax.name:
                out.append(Said(ax.name, "text", ax.role, label=label))
            return
        if ax.role in ("LabelText", "Legend"):
            label = node.get("backendDOMNodeId")
        cell = ax.role in CELLS
        if cell:
            out.append(None)
        source = _source(node)
        if ax.name and source and source["type"] != "contents" and ax.role != "RootWebArea":
            related = (source.get("attributeValue") or source.get("nativeSourceValue") or {}).get(
                "relatedNodes", []
            )
            labels = frozenset(r["backendDOMNodeId"] for r in related if "backendDOMNodeId" in r)
            own = ax.role not in LEAVES and bool(labels) and labels <= descendants(node)
            out.append(Said(ax.name, "name", ax.role, labels=labels, own=own))
            if ax.role in LEAVES:
                return
        for child in children:
            walk(child, label)
        if cell:
            out.append(None)

    walk(nodes[0], None)
    return out


def _label_of(name: Said, texts: list[Said]) -> bool:
    """``texts`` are the field's own visible label (or the group's own legend/caption)."""
    if name.own:
        return True
    return name.role in FIELDS and all(
        t.label is not None and t.label in name.labels for t in texts
    )


def read_twice(said: list[Said | None]) -> list[str]:
    """The places where the same words are read twice in a row: two texts alike, or a name
    equal to the text (or the run of texts) right before or after it, unless that text is
    the field's own label."""
    problems = []
    for i, item in enumerate(said):
        if item is None:
            continue
        nxt = said[i + 1] if i + 1 < len(said) else None
        if nxt is not None and item.text == nxt.text:
            pair = [item, nxt]
            name = next((s for s in pair if s.kind == "name"), None)
            texts = [s for s in pair if s.kind == "text"]
            if not (name and texts and _label_of(name, texts)):
                problems.append(f"{item.role} {item.text!r} then {nxt.role} {nxt.text!r}")
        if item.kind != "name":
            continue
        # A name made of several texts beside it ("Klinikkens navn " "(valgfrit)").
        for step in (-1, 1):
            run: list[Said] = []
            j = i + step
            while 0 <= j < len(said) and said[j] is not None and said[j].kind == "text":
                run.append(said[j])
                words = norm(" ".join(s.text for s in (run if step > 0 else reversed(run))))
                if len(run) > 1 and words == item.text and not _label_of(item, run):
                    problems.append(f"{item.role} {item.text!r} beside the texts {words!r}")
                if len(words) >= len(item.text):
                    break
                j += step
    return problems


# --- the data's expectations ---------------------------------------------------------------------


def task_count(group: Group) -> str:
    """The home page's "6 opgaver", "1 opgave og 2 punkter, som regionen klarer"."""
    n = len(group.actionable)
    k = len(group.tasks) - n
    text = plural(n, "opgave", "opgaver")
    if k:
        text += f" og {plural(k, 'punkt', 'punkter')}, som regionen klarer"
    return text


def sentence(text: str) -> str:
    """``text`` ending with a full stop (a title that ends with one gets no second)."""
    return text if text.endswith(".") else text + "."


def row_status(group: Group, statuses: dict[str, str]) -> str:
    """The Status cell of ``group``'s row: "I gang: 1 af 5 færdige (1 ikke relevant)"."""
    tasks = [statuses.get(t.id, "todo") for t in group.actionable]
    counted = [s for s in tasks if s != "na"]
    done = counted.count("done")
    started = done + counted.count("doing")
    state = "done" if done == len(counted) else "doing" if started else "todo"
    state = state if counted else "na"
    out = len(tasks) - len(counted)
    left_out = f" ({plural(out, 'ikke relevant', 'ikke relevante')})" if out else ""
    return f"{STATUS_TEXT[state]}: {done} af {plural(len(counted), 'færdig', 'færdige')}{left_out}"


def share_fragment(statuses: dict[str, str]) -> str:
    code = base64.urlsafe_b64encode(
        json.dumps({"v": 1, "s": {k: SHARE_CODE[v] for k, v in statuses.items()}}).encode()
    )
    return "#fremgang=" + code.decode().rstrip("=")


def change_line(task: Task, before: str, after: str) -> str:
    """A dialog's line for a task whose status changes (dialog.js diff)."""
    return f"{task.title}: {STATUS_TEXT[before]} → {STATUS_TEXT[after]}"


def export_file(tasks: dict[str, dict]) -> dict:
    data = {"format": "drejebog-fremgang", "version": 1, "exported": "2026-11-20T10:00:00Z"}
    return {
        "name": "fremgang.json",
        "mimeType": "application/json",
        "buffer": json.dumps({**data, "tasks": tasks}).encode(),
    }


# --- a task's controls -----------------------------------------------------------------------------


def test_task_controls_are_named_and_described_in_sentences(page: Page):
    """The checkbox is the title, described by the status; "Status og noter til TITLE" is
    described by "Har en note." only when there is one (not run into its name); the select
    and the note are named after the task, the note described by its hint."""
    noted, plain = SMALL.actionable[:2]
    page.goto("./")
    seed(page, {noted.id: entry(noted, "doing", note="Ring til revisor")}, url=group_url(SMALL))
    wait_enhanced_group(page, SMALL)
    tree = Tree(page)

    for task in SMALL.actionable:
        state = "doing" if task is noted else "todo"
        expect_ax(
            tree,
            f"#drb--check-{task.id}",
            role="checkbox",
            name=norm(task.title),
            description=STATUS_TEXT[state],
        )
        toggle = f'section[data-task-id="{task.id}"] .drb-work-toggle'
        node = expect_ax(
            tree,
            toggle,
            role="button",
            name=f"Status og noter til {norm(task.title)}",
            description="Har en note." if task is noted else "",
        )
        assert node.properties.get("expanded") is False, node.properties

    for task in (noted, plain):
        open_work(page, task)
        node = expect_ax(
            tree,
            f'section[data-task-id="{task.id}"] .drb-work-toggle',
            role="button",
            name=f"Status og noter til {norm(task.title)}",
            description="Har en note." if task is noted else "",
        )
        assert node.properties.get("expanded") is True, node.properties
        expect_ax(
            tree, f"#drb--select-{task.id}", role="combobox", name=f"Status for {norm(task.title)}"
        )
        expect_ax(
            tree,
            f"#drb--note-{task.id}",
            role="textbox",
            name=f"Noter til {norm(task.title)}",
            description=NOTE_HINT,
        )

    # A tick changes the checkbox's description; a note typed gives the button its own.
    page.locator(f"#drb--check-{plain.id}").check()
    expect_ax(
        tree,
        f"#drb--check-{plain.id}",
        role="checkbox",
        name=norm(plain.title),
        description=STATUS_TEXT["done"],
    )
    page.fill(f"#drb--note-{plain.id}", "Aftalt med lægesekretæren")
    wait_saved(page, plain, status="done", note="Aftalt med lægesekretæren")
    expect_ax(
        tree,
        f'section[data-task-id="{plain.id}"] .drb-work-toggle',
        role="button",
        name=f"Status og noter til {norm(plain.title)}",
        description="Har en note.",
    )


# --- progress ------------------------------------------------------------------------------------------


def times_read(tree: Tree, scope: str, text: str) -> list[str]:
    """Each time ``text`` is read in ``scope`` (``reading_order``): the role that says it."""
    return [
        f"{s.role} {s.text!r}" for s in reading_order(tree.subtree(scope)) if s and s.text == text
    ]


@pytest.mark.parametrize("where", ["group", "home"])
def test_progress_is_read_once(page: Page, where: str):
    """The count is said by its text once; the bar only shows it (aria-hidden)."""
    done = SMALL.actionable[0]
    page.goto("./")
    if where == "group":
        seed(page, {done.id: entry(done, "done")}, url=group_url(SMALL))
        wait_enhanced_group(page, SMALL)
        text = progress_text(1, len(SMALL.actionable))
    else:
        seed(page, {done.id: entry(done, "done")})
        wait_enhanced_home(page)
        text = progress_text(1, TOTAL)
    box = f'[data-drb-progress="{"group" if where == "group" else "overall"}"]'
    expect(page.locator(f"{box} .drb-progress-text")).to_have_text(text)
    tree = Tree(page)
    read = until(page, lambda: times_read(tree, box, text), lambda r: len(r) == 1)
    assert read == [f"StaticText {text!r}"], (
        f"{where}: the progress is read {len(read)} times: {read}"
    )
    bar = tree.of(f"{box} progress")
    assert bar is None or bar.ignored, f"the bar is read too: {bar}"


# --- the home page's table of groups --------------------------------------------------------


def test_home_table_rows_read_as_sentences(page: Page):
    """Each group's row: "TITLE. 6 opgaver." then "Ikke startet: 0 af 6 færdige"; the
    numbers never run into each other ("6 opgaver Ikke startet 0 af 6 færdige")."""
    statuses: dict[str, str] = {}
    for i, group in enumerate(g for g in RUNBOOK.groups if g.actionable):
        first = group.actionable[0]
        statuses[first.id] = ("done", "doing", "na", "todo")[i % 4]
    page.goto("./")
    seed(page, {tid: {"status": s} for tid, s in statuses.items()})
    wait_enhanced_home(page)
    tree = Tree(page)
    rows = 'tbody[data-drb-module="groups"] > tr'
    expect(page.locator(rows)).to_have_count(len(RUNBOOK.groups) + 1)  # and "I alt"
    for i, group in enumerate(RUNBOOK.groups, start=1):
        row = f"{rows}:nth-child({i})"
        expect_ax(
            tree,
            f"{row} > td:nth-child(1)",
            role="cell",
            name=f"{sentence(norm(group.title))} {task_count(group)}.",
        )
        status = row_status(group, statuses) if group.actionable else ""
        expect_ax(tree, f"{row} > td:nth-child(2)", role="cell", name=status)


# --- the home panel ----------------------------------------------------------------------------------


def test_panel_buttons_and_its_status_line(page: Page):
    """Four buttons, each read once and described by nothing more; "Importér fra fil" is
    reached with Tab, shows its focus and opens the file picker with Enter; the status line
    is in the tree, empty, before its first message, and then says it."""
    # Listening for the file picker from the start: set up only as Enter is pressed, the
    # browser's interception can come after the picker.
    choosers: list[FileChooser] = []
    page.on("filechooser", lambda chooser: choosers.append(chooser))
    open_home(page)
    tree = Tree(page)
    nodes = exposed(tree.subtree(PANEL))
    buttons = [(ax.name, ax.description) for ax in nodes if ax.role == "button"]
    assert buttons == [(name, "") for name in PANEL_BUTTONS], buttons
    import_read = times_read(tree, PANEL, "Importér fra fil")
    assert len(import_read) == 1, (
        f'"Importér fra fil" is read {len(import_read)} times: {import_read}'
    )

    # The live region is there before anything is said in it.
    status = [ax for ax in nodes if ax.role == "status"]
    assert len(status) == 1, (
        f"the panel's status line is not in the tree: {[a.role for a in nodes]}"
    )
    assert page.locator(f"{PANEL} [role=status]").inner_text() == ""
    box = page.locator(f"{PANEL} [role=status]").bounding_box()
    assert box is not None and box["height"] == 0, f"the empty status line takes room: {box}"

    # Keyboard: Tab reaches the button, its focus shows, Enter opens the file picker.
    page.locator(f"{PANEL} button").first.focus()
    page.keyboard.press("Tab")
    focused = until(page, tree.focused, lambda n: n is not None and n.name == "Importér fra fil")
    assert focused is not None and (focused.role, focused.name) == ("button", "Importér fra fil")
    style = page.evaluate(
        """() => { const el = document.activeElement, s = getComputedStyle(el);
                   return {visible: el.matches(':focus-visible'), outline: s.outlineStyle,
                           width: parseFloat(s.outlineWidth)}; }"""
    )
    assert style["visible"] and style["outline"] != "none" and style["width"] >= 2, style
    page.keyboard.press("Enter")
    until(page, lambda: choosers, bool)
    assert choosers, "Enter on the button opens no file picker"
    choosers[0].set_files(
        {"name": "ikke-json.json", "mimeType": "application/json", "buffer": b"{"}
    )
    message = "Filen kunne ikke importeres: den er ikke en gyldig JSON-fil. Intet er ændret."
    expect(page.locator(f"{PANEL} [role=status]")).to_have_text(message)
    said = until(
        page, lambda: read_in(tree, f"{PANEL} [role=status]"), lambda text: text == message
    )
    assert said == message


# --- the dialogs -------------------------------------------------------------------------------------


def expect_dialog(tree: Tree, title: str, description: str, safe: str = "Annullér") -> None:
    """The open dialog: modal, named by its heading, described by its explanation, with the
    focus on its safe button."""
    node = expect_ax(tree, OPEN_DIALOG, role="dialog", name=title, description=description)
    assert node.properties.get("modal") is True, node.properties
    focused = until(tree.page, tree.focused, lambda n: n is not None and n.name == safe)
    assert focused is not None and (focused.role, focused.name) == ("button", safe), (
        f"the dialog opens with the focus on {focused and (focused.role, focused.name)}, not on {safe!r}"
    )


def test_import_dialog(page: Page):
    """Named, described by its list of changes, focus on "Annullér", back on the button."""
    a = FIRST.actionable[0]
    # The browser intercepts file pickers once a listener exists: from the start, or the
    # picker can come before the interception (as in test_panel_buttons_and_its_status_line).
    page.on("filechooser", lambda chooser: None)
    open_home(page)
    tree = Tree(page)
    opener = page.locator(PANEL).get_by_role("button", name="Importér fra fil")
    with page.expect_file_chooser() as chooser:
        opener.click()
    chooser.value.set_files(export_file({a.id: entry(a, "done")}))
    expect(page.locator(OPEN_DIALOG)).to_be_visible()
    expect_dialog(
        tree,
        "Vil du importere fremgangen fra filen?",
        f"Hvis du anvender filen, ændres 1 opgave i denne browser: {change_line(a, 'todo', 'done')}"
        f" {AS_NEW.format('filen')}",
    )
    page.keyboard.press("Escape")
    expect(page.locator(OPEN_DIALOG)).to_have_count(0)
    expect(opener).to_be_focused()


# The import and share dialogs' last sentence, before their choice "Tilføj som ny praksis".
AS_NEW = "Gælder {} en anden praksis, så tilføj den som en ny praksis: så ændres intet af det, der er gemt nu."


def test_share_dialog(page: Page):
    """A group page opened from a share link: named, described by the changes and by
    "Dine noter bliver ikke ændret.", the focus on "Annullér"; Escape cancels."""
    a, b = SMALL.actionable[:2]
    page.goto("./")
    fragment = share_fragment({a.id: "done"})
    seed(page, {b.id: entry(b, "doing", note="Min note")}, url=group_url(SMALL) + fragment)
    expect(page.locator(OPEN_DIALOG)).to_be_visible()
    expect_dialog(
        Tree(page),
        "Vil du bruge fremgangen fra linket?",
        "Hvis du anvender linket, ændres 2 opgaver i denne browser: "
        f"{change_line(a, 'todo', 'done')} {change_line(b, 'doing', 'todo')} "
        f"Dine noter bliver ikke ændret. {AS_NEW.format('linket')}",
    )
    page.keyboard.press("Escape")
    expect(page.locator(OPEN_DIALOG)).to_have_count(0)
    wait_enhanced_group(page, SMALL)
    expect(page.locator(f"#drb--check-{a.id}")).not_to_be_checked()


def test_reset_dialog_says_inside_itself_what_export_first_did(page: Page):
    """The reset dialog's "Eksportér først" says where the file went in a status region inside the open
    dialog (the page behind a modal dialog is neither seen nor read)."""
    a = FIRST.actionable[0]
    open_home(page)
    seed(page, {a.id: entry(a, "done")})
    wait_enhanced_home(page)
    tree = Tree(page)
    opener = page.locator(PANEL).get_by_role("button", name="Nulstil")
    opener.click()
    expect(page.locator(OPEN_DIALOG)).to_be_visible()
    expect_dialog(
        tree,
        "Vil du nulstille din fremgang?",
        "Alle flueben, statusser og noter i denne browser (1 opgave) slettes, og det samme gør "
        "oplysningerne om praksis. Det kan ikke fortrydes. "
        "Eksportér først, hvis du vil kunne hente dem igen.",
    )
    status = f"{OPEN_DIALOG} [role=status]"
    node = tree.of(status)
    assert node is not None and not node.ignored and node.role == "status", (
        f"no status region in the dialog before the export: {node}"
    )
    assert read_in(tree, status) == "", "the dialog's status region is not empty"
    with page.expect_download() as download:
        page.locator(OPEN_DIALOG).get_by_role("button", name="Eksportér først").click()
    name = download.value.suggested_filename
    said = (
        f"Fremgangen er gemt i filen {name}. Gem den et sikkert sted, så du kan importere den igen."
    )
    expect(page.locator(status)).to_have_text(said)
    expect(page.locator(status)).to_be_visible()
    heard = until(page, lambda: read_in(tree, status), lambda text: text == said)
    assert heard == said
    dialog = exposed(tree.subtree(OPEN_DIALOG))
    assert [ax.role for ax in dialog].count("status") == 1, "one status region, in the dialog"
    page.get_by_role("button", name="Annullér").click()
    expect(page.locator(OPEN_DIALOG)).to_have_count(0)
    expect(opener).to_be_focused()


def test_broken_share_link_dialog(page: Page):
    """Without changes to list: named, described by why, the focus on "Luk"."""
    open_home(page)
    page.evaluate("() => { location.hash = '#fremgang=ikke-et-link'; }")
    expect(page.locator(OPEN_DIALOG)).to_be_visible()
    expect_dialog(
        Tree(page),
        "Linket kunne ikke læses",
        "Linket med fremgang er ufuldstændigt eller beskadiget. Intet er ændret.",
        safe="Luk",
    )


# --- nothing read twice ---------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["home", "group", "overview"])
def test_nothing_is_read_twice(page: Page, where: str):
    """In a page's content, with the checklist in use (a tick, a note, a task's fields open,
    the panel's link and message), no words are read twice in a row."""
    a, b = SMALL.actionable[:2]
    page.goto("./")
    seed(page, {a.id: entry(a, "done"), b.id: entry(b, "doing", note="Venter på svar")})
    if where == "home":
        wait_enhanced_home(page)
        page.get_by_role("button", name="Kopiér link med fremgang").click()
        expect(page.locator(f"{PANEL} [role=status]")).to_have_text(re.compile(r"\w"))
    elif where == "group":
        open_group(page, SMALL)
        open_work(page, a)
        open_work(page, b)
    else:
        page.goto("overblik/")
        expect(page.locator("form.drb-filters")).to_be_visible()
        expect(page.locator('[data-drb-progress="overall"]')).to_be_visible()
    tree = Tree(page)
    said = reading_order(tree.subtree("article"))
    assert any(s and s.kind == "text" for s in said), "nothing read at all"
    problems = read_twice(said)
    assert not problems, f"{where}: read twice in a row:\n" + "\n".join(problems)


def test_the_reading_order_finds_what_is_read_twice():
    """The rule itself, on small trees: a bar named by the text before it, a button named by
    the label after it are read twice; a field's own label, a group's own legend and the
    same words in two table cells are not."""

    def node(nid, role, name="", children=(), source=None, backend=None, ignored=False):
        n: dict[str, Any] = {"nodeId": nid, "role": {"value": role}, "childIds": list(children)}
        n["name"] = {"value": name, "sources": [source] if source else []}
        if backend is not None:
            n["backendDOMNodeId"] = backend
        if ignored:
            n["ignored"] = True
        return n

    def text(nid, value):
        return node(
            nid, "StaticText", value, source={"type": "contents", "value": {"value": value}}
        )

    def by(kind, backend, **extra):
        key = "attributeValue" if kind == "attribute" else "nativeSourceValue"
        return {
            "type": "relatedElement",
            "value": {},
            key: {"relatedNodes": [{"backendDOMNodeId": backend}]},
            **extra,
        }

    bar = [
        node("1", "generic", children=["2", "4"]),
        node("2", "paragraph", children=["3"], backend=20),
        text("3", "1 af 2"),
        node("4", "progressbar", "1 af 2", source=by("attribute", 20)),
    ]
    assert read_twice(reading_order(bar))
    button = [
        node("1", "generic", children=["2", "3"]),
        node("2", "button", "Importér", source=by("native", 30)),
        node("3", "LabelText", children=["4"], backend=30),
        text("4", "Importér"),
    ]
    assert read_twice(reading_order(button))
    field = [
        node("1", "generic", children=["2", "4"]),
        node("2", "LabelText", children=["3"], backend=30),
        text("3", "Opstartsdato"),
        node("4", "Date", "Opstartsdato", source=by("native", 30)),
    ]
    assert read_twice(reading_order(field)) == []
    group = [
        node("1", "group", "Praksistype", children=["2"], source=by("native", 30)),
        node("2", "Legend", children=["3"], backend=30),
        text("3", "Praksistype"),
    ]
    assert read_twice(reading_order(group)) == []
    cells = [
        node("1", "row", children=["2", "4"]),
        node("2", "cell", children=["3"]),
        text("3", "Regionen"),
        node("4", "cell", children=["5"]),
        text("5", "Regionen"),
    ]
    assert read_twice(reading_order(cells)) == []
    twice = [
        node("1", "paragraph", children=["2", "3"]),
        text("2", "Ikke startet"),
        text("3", "Ikke startet"),
    ]
    assert read_twice(reading_order(twice))
