/* One actionable task: `<section data-drb-module="task">` (group.md.j2). The page has its
 * title's label with the checkbox (hidden until the page is enhanced) and its status row;
 * this ticks the box of a finished task, keeps the row's status tag, the note flag and the
 * "changed" notice up to date, and makes the status select and the note (cloned from the
 * page's <template data-drb-template="task">) on first open of "Status og noter". */
import { NOTE_MAX } from "./store.js";
import { planned, plural } from "./progress.js";

const REASON = { new: "kun ved helt ny praksis", takeover: "kun ved overtagelse af en eksisterende praksis" };

/** The opening day and today, worked out once for all the cards (again after a minute). */
let days = { opening: "", day: /** @type {number | null} */ (null), today: 0, at: -Infinity };
function daysFor(dates, opening = "") {
  const now = Date.now();
  if (days.opening !== opening || now - days.at > 6e4) {
    days = { opening, day: dates.parseISODate(opening), today: dates.todayDay(), at: now };
  }
  return days;
}

/**
 * The parts every task is cloned from, owned by this document (cloning costs no parsing):
 * made once per visit from the page's template.
 */
let parts = null;

function prepared(app) {
  if (!parts) {
    const content = app.template("task");
    const work = content.querySelector(".drb-work");
    (work.querySelector("textarea")).maxLength = NOTE_MAX;
    parts = {
      flag: content.querySelector(".drb-note-flag"),
      work,
      changed: content.querySelector(".drb-changed"),
    };
  }
  return parts;
}

export class Task {
  constructor(section, app) {
    this.app = app;
    this.section = section;
    this.id = section.getAttribute("data-task-id");
    this.hash = section.getAttribute("data-task-hash") || "";
    const heading = section.firstElementChild;
    const label = heading.firstElementChild;
    const row = heading.nextElementSibling;
    this.label = label;
    this.tag = row.firstElementChild;
    this.toggle = this.tag.nextElementSibling;
    this.line = this.toggle.nextElementSibling; // the plan's part of the row (renderPlan)
    this.work = null;
    this.select = null;
    this.note = null;
    this.notice = null;
    this.flag = null;
    this.planKey = "";
    this.folded = false;
    const entry = app.store.tasks[this.id];
    const status = (this.status = entry ? entry.status : "todo");
    if (status !== "todo") { // the page says "todo"; cheaper than replacing the text node
      section.setAttribute("data-status", status);
      this.tag.firstChild.data = app.config.labels[status];
      this.tag.setAttribute("data-status", status);
    }
    // The page's checkbox (inserting one per task cost a third of enhancing 1,000 tasks).
    this.check = /** @type {HTMLInputElement} */ (label.firstElementChild);
    if (status === "done") this.check.checked = true;
    if (entry && (entry.note || (entry.hash && entry.hash !== this.hash))) this.render(); // note flag, notice
    else this.renderPlan();
  }

  /** The title (read when first needed: a thousand tasks' texts cost to read). */
  get title() {
    return this.label.textContent.trim();
  }

  /**
   * The plan's line (once plan.js is loaded): "Gælder ikke for jer" for a task of the other
   * type of practice (folded, not counted), else for an open task its window from the
   * opening date and the open tasks it waits for, each a link. Rewritten only on a change.
   */
  renderPlan() {
    const { plan, dates } = planned;
    const app = this.app;
    const item = app.manifest && app.manifest.byId[this.id];
    if (!plan || !dates || !item) return;
    const practice = app.store.practice;
    const folded = !plan.applies(item, practice.type);
    let when = null;
    let waiting = [];
    if (!folded && (this.status === "todo" || this.status === "doing")) {
      const d = daysFor(dates, practice.opening);
      when = dates.windowOf(item, d.day, d.today);
      waiting = plan.waitingFor(item, (id) => app.store.statusOf(id), app.manifest.byId, practice.type);
    }
    const key = folded + (when ? when.state + when.text : "") + (waiting.length ? waiting.map((t) => t.id).join() : "");
    if (key === this.planKey) return;
    this.planKey = key;
    if (folded !== this.folded) this.section.toggleAttribute("data-drb-folded", (this.folded = folded));
    // The row's last span (from the page): its text is set, nothing is inserted.
    const line = this.line;
    if (when) line.setAttribute("data-state", when.state);
    else line.removeAttribute("data-state");
    line.textContent = folded
      ? "Gælder ikke for jer: " + REASON[/** @type {"new"|"takeover"} */ (item.applies[0])] + "."
      : when ? when.text + "." : "";
    if (waiting.length) {
      const span = line.appendChild(document.createElement("span"));
      span.className = "drb-waiting";
      span.append((when ? " " : "") + "Venter på: ");
      waiting.forEach((dep, i) => {
        const link = span.appendChild(document.createElement("a"));
        link.textContent = dep.title;
        link.href = app.tasks.has(dep.id) ? "#" + dep.id : app.root.pathname + dep.group.url + "#" + dep.id;
        span.append(i < waiting.length - 1 ? ", " : ".");
      });
    }
  }

  /** Show the stored state (cheap when nothing changed). */
  render() {
    const entry = this.app.store.tasks[this.id];
    const status = entry ? entry.status : "todo";
    const note = (entry && entry.note) || "";
    if (this.status !== status) this.paint(status);
    else if (this.check.checked !== (status === "done")) this.check.checked = status === "done";
    this.renderFlag(!!note);
    this.renderPlan();
    if (this.select && this.note) {
      this.select.value = status;
      // Not over what is being typed, unless it belonged to the practice left (profiles.js openProfile).
      if (this.note.value !== note && (document.activeElement !== this.note || this.app.switching)) this.note.value = note;
    }
    const changed = !!entry && (status === "done" || status === "doing") && !!entry.hash && !!this.hash && entry.hash !== this.hash;
    if (changed && !this.notice) {
      const notice = (this.notice = prepared(this.app).changed.cloneNode(true));
      const after = this.work || this.tag.parentNode;
      after.after(notice);
    } else if (!changed && this.notice) {
      this.notice.remove();
      this.notice = null;
    }
  }

  paint(status) {
    this.status = status;
    this.section.setAttribute("data-status", status);
    this.check.checked = status === "done";
    this.tag.textContent = this.app.config.labels[status];
    this.tag.setAttribute("data-status", status);
  }

  /**
   * "Har en note" in the button, so a closed task shows that it has a note. The flag is
   * aria-hidden (template) and the button's description, "Har en note.", said after its
   * name ("Status og noter til TITLE"), not run into it.
   */
  renderFlag(hasNote) {
    if (hasNote === !!this.flag) return;
    this.section.toggleAttribute("data-has-note", hasNote);
    const toggle = this.toggle;
    if (this.flag) {
      this.flag.remove();
      this.flag = null;
      toggle.removeAttribute("aria-describedby");
    } else {
      this.flag = toggle.appendChild(prepared(this.app).flag.cloneNode(true));
      toggle.setAttribute("aria-describedby", (this.flag.id = "drb--flag-" + this.id));
    }
  }

  /** Make the status select and the note, closed (on first open, or to print the note). */
  fillWork() {
    if (this.work) return;
    const id = this.id;
    const work = (this.work = prepared(this.app).work.cloneNode(true));
    work.id = "drb--work-body-" + id;
    const [statusLabel, noteLabel] = work.querySelectorAll("label");
    statusLabel.htmlFor = "drb--select-" + id;
    (statusLabel.lastChild).textContent = " for " + this.title;
    noteLabel.htmlFor = "drb--note-" + id;
    (noteLabel.lastChild).textContent = " til " + this.title;
    (work.querySelector(".drb-hint")).id = "drb--hint-" + id;
    this.select = work.querySelector("select");
    this.select.id = "drb--select-" + id;
    this.note = work.querySelector("textarea");
    this.note.id = "drb--note-" + id;
    this.note.setAttribute("aria-describedby", "drb--hint-" + id);
    (this.tag.parentNode).after(work);
    this.toggle.setAttribute("aria-controls", work.id);
    this.render();
  }

  toggleWork() {
    const start = performance.now();
    this.fillWork();
    const work = this.work;
    const open = work.hidden;
    this.toggle.setAttribute("aria-expanded", String(open));
    work.hidden = !open;
    performance.measure("drb:open", { start, end: performance.now() });
  }

  setStatus(status) {
    const app = this.app;
    const start = performance.now();
    app.afterWrite(app.store.setStatus(this.id, status, this.hash));
    this.render();
    // The tasks that wait for this one say so, or stop saying so.
    for (const task of app.tasks.values()) {
      const item = app.manifest.byId[task.id];
      if (item && item.deps && item.deps.includes(this.id)) task.renderPlan();
    }
    app.renderProgress();
    performance.measure("drb:update", { start, end: performance.now() });
    app.announce(this.title + ": " + app.config.labels[status] + ". " + app.sentence());
  }

  /**
   * The page's one listener per event type (init.js) hands over the events of the
   * elements with a data-drb-action in this section.
   */
  act(type, action, el) {
    const app = this.app;
    if (type === "click" && action === "toggle") this.toggleWork();
    else if (type === "click" && action === "ack") {
      app.afterWrite(app.store.acknowledge(this.id, this.hash));
      this.render();
      this.check.focus();
    } else if (type === "change" && action === "tick") this.setStatus(el.checked ? "done" : "todo");
    else if (type === "change" && action === "status") this.setStatus(el.value);
    else if (action === "note" && type !== "click") {
      app.store.setNote(this.id, el.value);
      this.renderFlag(!!el.value);
      app.flushLater();
      if (type === "change") app.flush();
    }
  }
}

/** The tab's choice to hide finished tasks (sessionStorage: it lasts while the tab is open). */
const HIDE_KEY = "drejebog:skjul-faerdige";

/**
 * "Skjul færdige opgaver" on a group page, `<p data-drb-module="hide">` in the progress box:
 * the tasks finished when it is ticked (or the page opened) are hidden; one ticked later stays
 * until then, so focus never vanishes with it.
 */
export class HideDone {
  constructor(root, app) {
    this.app = app;
    const box = root.querySelector("input");
    try {
      box.checked = sessionStorage.getItem(HIDE_KEY) === "1";
    } catch {
      box.checked = false;
    }
    if (box.checked) this.apply(true);
  }

  /** Nothing to show again on a second sync: the tasks keep their places. */
  render() {}

  /** Hide the finished tasks (or show all); returns how many are hidden. */
  apply(on) {
    let hidden = 0;
    for (const task of this.app.tasks.values()) {
      const hide = on && (task.status === "done" || task.status === "na");
      if (hide !== task.section.hasAttribute("data-drb-hidden")) task.section.toggleAttribute("data-drb-hidden", hide);
      if (hide) hidden++;
    }
    return hidden;
  }

  act(type, action, el) {
    if (type !== "change" || action !== "hide-done") return;
    try {
      if (el.checked) sessionStorage.setItem(HIDE_KEY, "1");
      else sessionStorage.removeItem(HIDE_KEY);
    } catch {
      // Not remembered in this tab: it still applies on this page.
    }
    const hidden = this.apply(el.checked);
    this.app.announce(el.checked ? plural(hidden, "færdig opgave", "færdige opgaver") + " skjult." : "Alle opgaver vises.");
  }
}
