// @ts-check
/* The overview, `<div data-drb-module="overview">` (overview.md.j2): every task in one table
 * (complete without the script), here regrouped by phase, filtered (kept in the address's
 * query), with a count per filter choice, a timeline, a calendar file and a print header.
 * Imported by init.js only on a page that has it. The rules (phaseOf, matches, facets,
 * readQuery) need no DOM. */
import { planned, plural } from "./progress.js";

/**
 * @typedef {import("./progress.js").ManifestTask} ManifestTask
 * @typedef {{status: string, fase: string, ansvarlig: string, gruppe: string}} Filters
 * @typedef {{opening: number | null, today: number, type: string | undefined}} When
 */

/** A new random practice key (16 letters and digits), for the calendar file's UIDs. */
function newPracticeId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => "abcdefghijklmnopqrstuvwxyz0123456789"[b % 36]).join("");
}

/** The phases in their order; with an opening date the first five, without it Før/Efter. */
export const PHASES = {
  forsinket: "Forsinket",
  nu: "Nu (denne uge)",
  snart: "De næste 4 uger",
  senere: "Senere før opstart",
  foer: "Før opstart",
  efter: "Efter opstart",
  faerdig: "Færdig",
  ikke: "Gælder ikke for jer",
  regionen: "Klares af regionen",
};
/** Phases shown folded until opened. */
const FOLDED = ["faerdig", "ikke"];
export const FILTERS = /** @type {(keyof Filters)[]} */ (["status", "fase", "ansvarlig", "gruppe"]);
const NONE = "-"; // the responsible filter's choice for a task without one

const isOpen = (/** @type {string} */ s) => s === "todo" || s === "doing";

/**
 * The task's phase: the region's rows, tasks for the other type of practice and finished
 * ones apart; without an opening date before/after; with one by the suggested deadline
 * (`due`): overdue, within 7 days, within 28, else later (before the opening) or after it.
 * @param {ManifestTask} task @param {string} status @param {When} w
 * @returns {keyof PHASES}
 */
export function phaseOf(task, status, w) {
  if (task.kind !== "task") return "regionen";
  if (w.type && task.applies && !task.applies.includes(w.type)) return "ikke";
  if (!isOpen(status)) return "faerdig";
  if (w.opening === null) return task.before ? "foer" : "efter";
  const due = task.due ?? null;
  if (due !== null) {
    const day = w.opening + due;
    if (day < w.today) return "forsinket";
    if (day <= w.today + 6) return "nu";
    if (day <= w.today + 27) return "snart";
  }
  return task.before && (due === null || due <= 0) ? "senere" : "efter";
}

/** A phase's sort key: the deadline, else the start day, else last. @param {ManifestTask} t */
const keyDay = (t) => t.due ?? t.earliest ?? (t.after && !t.before ? 0 : Infinity);

/** The filters from the address's query (unknown values are ignored). @param {string} search */
export function readQuery(search) {
  const q = new URLSearchParams(search);
  return /** @type {Filters} */ (Object.fromEntries(FILTERS.map((k) => [k, q.get(k) || ""])));
}

/** The query for the filters ("" when none is set), in FILTERS order. @param {Filters} f */
export function toQuery(f) {
  const q = new URLSearchParams();
  for (const k of FILTERS) if (f[k]) q.set(k, f[k]);
  const text = q.toString();
  return text ? "?" + text : "";
}

/**
 * The choices of each filter a task has ("" = all): its status ("aabne" while open), before
 * and/or after, each responsible (NONE without), its group.
 * @param {ManifestTask} task @param {string} status
 * @returns {Record<keyof Filters, string[]>}
 */
export function choicesOf(task, status) {
  const fase = [""];
  if (task.before) fase.push("foer");
  if (task.after) fase.push("efter");
  return {
    status: isOpen(status) ? ["", "aabne", status] : ["", status],
    fase,
    ansvarlig: ["", ...(task.resp && task.resp.length ? task.resp : [NONE])],
    gruppe: ["", task.group.id],
  };
}

/**
 * Which tasks the filters show, and a count for every choice of every filter (the tasks it
 * would show with the other filters as they are). Only the tasks that apply are counted.
 * @param {{task: ManifestTask, status: string, applies: boolean, choices?: Record<keyof Filters, string[]>}[]} items  (choices: choicesOf's, when known)
 * @param {Filters} filters
 * @returns {{shown: boolean[], counts: Record<keyof Filters, Record<string, number>>, total: number, count: number}}
 */
export function facets(items, filters) {
  const counts = /** @type {Record<keyof Filters, Record<string, number>>} */ ({});
  for (const k of FILTERS) counts[k] = Object.create(null);
  const shown = [];
  let total = 0;
  let count = 0;
  for (const { task, status, applies, choices: known } of items) {
    const choices = known || choicesOf(task, status);
    let misses = 0;
    let missed = /** @type {keyof Filters | null} */ (null);
    for (const k of FILTERS) {
      if (!choices[k].includes(filters[k])) {
        misses++;
        missed = k;
      }
    }
    // A task for the other type of practice shows only when no filter is set.
    const ok = applies ? misses === 0 : FILTERS.every((k) => !filters[k]);
    shown.push(ok && task.kind === "task" ? true : ok && !filters.status && !filters.ansvarlig);
    if (!applies || task.kind !== "task") continue;
    total++;
    if (!misses) count++;
    for (const k of FILTERS) {
      if (misses === 0 || (misses === 1 && missed === k)) {
        for (const c of choices[k]) counts[k][c] = (counts[k][c] || 0) + 1;
      }
    }
  }
  return { shown, counts, total, count };
}

/** Set an element's text (not when it is empty and stays so). @param {HTMLElement} el @param {string} text */
function setText(el, text) {
  if (text || el.firstChild) el.textContent = text;
}

/** "8. jan." (the timeline's axis). @param {number} day */
function shortDate(day) {
  return new Intl.DateTimeFormat("da-DK", { day: "numeric", month: "short", timeZone: "UTC" }).format(day * 864e5);
}

/** @type {Promise<void> | null} */
let sheet = null;

/**
 * overview.css, linked once per visit (the head stays through instant navigation); resolves
 * when it has loaded or failed to (the form works unstyled too).
 * @param {URL} root  the site's root
 * @returns {Promise<void>}
 */
function styles(root) {
  const href = new URL("assets/overview.css", root).href;
  if ([...document.styleSheets].some((s) => s.href === href)) return Promise.resolve();
  sheet ||= new Promise((done) => {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    link.onload = link.onerror = () => done();
    document.head.append(link);
  });
  return sheet;
}

export class Overview {
  /** @param {HTMLElement} root @param {import("./init.js").App} app */
  constructor(root, app) {
    this.root = root;
    this.app = app;
    const table = /** @type {HTMLTableElement} */ (root.querySelector("table"));
    this.table = table;
    this.form = /** @type {HTMLFormElement} */ (root.querySelector(".drb-filters"));
    this.result = /** @type {HTMLElement} */ (root.querySelector(".drb-filter-result"));
    this.timeline = /** @type {HTMLElement} */ (root.querySelector(".drb-timeline"));
    this.selects = /** @type {HTMLSelectElement[]} */ ([...this.form.querySelectorAll("select[data-filter]")]);
    for (const select of this.selects) {
      for (const option of select.options) option.dataset.label = option.text;
    }
    /** @type {Record<string, HTMLTableSectionElement>} one tbody per phase, in PHASES order */
    this.bodies = {};
    /** @type {Record<string, HTMLElement>} each tbody's heading cell */
    this.heads = {};
    const stale = new Map([...table.tBodies].map((b) => [b.dataset.phase || "", b]));
    /** @type {{id: string, tr: HTMLTableRowElement, line: HTMLElement, tag: HTMLElement, key: string, parked: boolean}[]} */
    this.rows = [];
    for (const tr of table.querySelectorAll("tr[data-task-id]")) {
      const row = /** @type {HTMLTableRowElement} */ (tr);
      const cell = /** @type {HTMLElement} */ (row.cells[4]);
      this.rows.push({
        id: /** @type {string} */ (row.dataset.taskId),
        tr: row,
        line: /** @type {HTMLElement} */ (row.cells[0].firstElementChild), // .drb-window
        tag: /** @type {HTMLElement} */ (cell.firstElementChild), // strong.drb-status (none in an info row)
        key: "",
        parked: false,
      });
    }
    // In runbook order (the page lists the before-opening tasks first).
    /** @type {Record<string, number>} */
    const rank = Object.create(null);
    let n = 0;
    for (const group of /** @type {import("./progress.js").Manifest} */ (app.manifest).groups) {
      for (const task of group.tasks) rank[task.id] = n++;
    }
    this.rows.sort((a, b) => (rank[a.id] ?? n) - (rank[b.id] ?? n));
    for (const phase of Object.keys(PHASES)) {
      let body = stale.get(phase);
      if (!body) {
        body = document.createElement("tbody");
        body.className = "drb-phase";
        body.dataset.phase = phase;
        const head = body.insertRow().appendChild(document.createElement("th"));
        head.parentElement && (head.parentElement.className = "drb-phase-head");
        head.colSpan = 5;
        head.scope = "colgroup";
      }
      table.appendChild(body); // in PHASES order
      const th = /** @type {HTMLElement} */ (body.rows[0].cells[0]);
      th.id = "drb--phase-" + phase;
      if (FOLDED.includes(phase)) {
        th.textContent = "";
        const button = th.appendChild(document.createElement("button"));
        button.type = "button";
        button.className = "drb-fold";
        button.dataset.drbAction = "fold";
        button.setAttribute("aria-expanded", "false");
      }
      this.bodies[phase] = body;
      this.heads[phase] = th;
    }
    /** @type {Set<string>} the folded phases opened */
    this.unfolded = new Set();
    /** @type {Set<string>} the folded phases whose rows are in place (opened or printed once) */
    this.placed = new Set();
    // Ctrl+P as "Udskriv": every row in its phase first. Let go once the page is left.
    const beforePrint = () => {
      if (this.root.isConnected) this.placeAll();
      else window.removeEventListener("beforeprint", beforePrint);
    };
    window.addEventListener("beforeprint", beforePrint);
    this.filters = readQuery(location.search);
    for (const select of this.selects) {
      const k = /** @type {keyof Filters} */ (select.dataset.filter);
      if (![...select.options].some((o) => o.value === this.filters[k])) this.filters[k] = "";
    }
    this.order = "";
    this.render();
    // The filters show once their styles (overview.css: only this page needs them) are in.
    styles(app.root).then(() => (this.form.hidden = false));
  }

  /** The situation the phases and windows are worked out from. @returns {When} */
  when() {
    const dates = planned.dates;
    const p = this.app.store.practice;
    return {
      opening: dates ? dates.parseISODate(p.opening) : null,
      today: dates ? dates.todayDay() : 0,
      type: p.type,
    };
  }

  render() {
    const start = performance.now();
    const app = this.app;
    const manifest = /** @type {import("./progress.js").Manifest} */ (app.manifest);
    const statusOf = (/** @type {string} */ id) => app.store.statusOf(id);
    const w = this.when();
    const plan = planned.plan;
    const dates = planned.dates;
    /** @type {Record<string, {row: typeof this.rows[0], task: ManifestTask, status: string, applies: boolean, phase: string}[]>} */
    const byPhase = {};
    for (const phase of Object.keys(PHASES)) byPhase[phase] = [];
    const items = [];
    for (const row of this.rows) {
      const task = manifest.byId[row.id];
      if (!task) continue;
      const status = statusOf(row.id);
      const phase = phaseOf(task, status, w);
      const item = { row, task, status, applies: phase !== "ikke", phase, choices: choicesOf(task, status) };
      items.push(item);
      byPhase[phase].push(item);
      // A folded phase's rows wait, hidden where they are, until it is first opened (or
      // printed): finished tasks pile up over the months, and moving a row costs.
      const parked = FOLDED.includes(phase) && !this.placed.has(phase);
      if (parked !== row.parked) row.tr.toggleAttribute("data-parked", (row.parked = parked));
      if (!parked) this.renderRow(item, w, plan, dates, statusOf);
    }
    // Each phase in date order (then runbook order), moved only when the order changed.
    const order = [];
    for (const phase of Object.keys(PHASES)) {
      const list = byPhase[phase];
      // The rows are in runbook order, and sort() is stable: a tie keeps that order.
      if (w.opening !== null) list.sort((a, b) => keyDay(a.task) - keyDay(b.task));
      order.push(phase + ":" + list.map((it) => it.row.id).join());
    }
    const key = order.join("|") + "|" + [...this.placed].join();
    if (key !== this.order) {
      this.order = key;
      // Only the rows out of place move (a move costs: the row's layout is made again).
      for (const phase of Object.keys(PHASES)) {
        if (FOLDED.includes(phase) && !this.placed.has(phase)) continue;
        let at = /** @type {Element} */ (this.bodies[phase].firstElementChild); // the heading's row
        for (const it of byPhase[phase]) {
          const tr = it.row.tr;
          if (at.nextElementSibling !== tr) at.after(tr);
          at = tr;
        }
      }
    }
    this.items = items;
    this.byPhase = byPhase;
    this.renderPrintHead();
    this.applyFilters();
    this.renderHead(w);
    performance.measure("drb:overview", { start, end: performance.now() });
    // The timeline (below the table's top) in the next frame, so neither frame runs long.
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => {
      const begin = performance.now();
      this.renderTimeline(w);
      performance.measure("drb:timeline", { start: begin, end: performance.now() });
    });
  }

  /**
   * One row's window (with a date) and status cell: the status in words, what it waits for,
   * the note. Rewritten only on a change.
   */
  renderRow(item, w, plan, dates, statusOf) {
    const { row, task, status } = item;
    if (task.kind !== "task") return;
    const app = this.app;
    const win = dates && item.applies && isOpen(status) ? dates.windowOf(task, w.opening, w.today) : null;
    const waiting = plan && item.applies && isOpen(status)
      ? plan.waitingFor(task, statusOf, /** @type {any} */ (app.manifest).byId, w.type)
      : [];
    const entry = app.store.tasks[row.id];
    const note = (entry && entry.note) || "";
    const key = status + "\u0000" + (win ? win.state + win.text : "") + "\u0000" + waiting.map((t) => t.id).join() + "\u0000" + note + item.applies;
    if (key === row.key) return;
    row.key = key;
    // The page's empty spans get their text (no element is made: a thousand rows cost).
    const line = row.line;
    if (win) line.setAttribute("data-state", win.state);
    else line.removeAttribute("data-state");
    setText(line, win ? win.text : "");
    const tag = row.tag;
    tag.setAttribute("data-status", item.applies ? status : "ikke");
    setText(tag, !item.applies
      ? "Gælder ikke for jer"
      : waiting.length && status === "todo" ? "Kan ikke startes endnu" : app.config.labels[status]);
    const waits = /** @type {HTMLElement} */ (tag.nextElementSibling);
    setText(waits, waiting.length ? "Venter på: " + waiting.map((t) => t.title).join(", ") : "");
    setText(/** @type {HTMLElement} */ (waits.nextElementSibling), note ? "Note: " + note : "");
  }

  /** Show the rows the filters choose, the counts in the choices and the result line. */
  applyFilters() {
    const items = /** @type {any[]} */ (this.items);
    const f = this.filters;
    const { shown, counts, total, count } = facets(items, f);
    const visible = Object.create(null);
    items.forEach((it, i) => {
      if (it.row.tr.hidden === shown[i]) it.row.tr.hidden = !shown[i];
      if (shown[i]) visible[it.phase] = (visible[it.phase] || 0) + 1;
    });
    this.visible = visible;
    for (const select of this.selects) {
      const k = /** @type {keyof Filters} */ (select.dataset.filter);
      select.value = f[k];
      for (const option of select.options) {
        const text = option.dataset.label + " (" + (counts[k][option.value] || 0) + ")";
        if (option.text !== text) option.text = text;
      }
    }
    this.shown = shown;
    this.filterTimeline();
    const any = FILTERS.some((k) => f[k]);
    this.result.textContent = "Viser " + (any ? count + " af " : "alle ") + plural(total, "opgave.", "opgaver.");
  }

  /** The timeline's items follow the filters. */
  filterTimeline() {
    const shown = /** @type {boolean[]} */ (this.shown);
    if (this.timelineItems && shown) {
      for (const [li, i] of this.timelineItems) if (li.hidden === !!shown[i]) li.hidden = !shown[i];
    }
  }

  /** Each phase's heading with its count; empty phases are hidden. @param {When} w */
  renderHead(w) {
    const visible = /** @type {Record<string, number>} */ (this.visible);
    for (const [phase, title] of Object.entries(PHASES)) {
      const n = visible[phase] || 0;
      const body = this.bodies[phase];
      body.hidden = n === 0;
      const th = this.heads[phase];
      const text = title + " (" + n + ")";
      const button = th.querySelector("button");
      if (button) {
        const open = this.unfolded.has(phase);
        button.setAttribute("aria-expanded", String(open));
        body.toggleAttribute("data-folded", !open); // its rows hidden on screen (not on paper)
        const label = (open ? "Skjul " : "Vis ") + text.toLowerCase().replace(/^gælder ikke/, "opgaver, der ikke gælder").replace(/^færdig /, "færdige opgaver ");
        if (button.textContent !== label) button.textContent = label.charAt(0).toUpperCase() + label.slice(1);
      } else if (th.textContent !== text) th.textContent = text;
    }
  }

  /**
   * The timeline (with an opening date): an ordered list of the open, dated tasks, each with
   * its window as words (what a screen reader reads) and a bar across the weeks (drawn only).
   * @param {When} w
   */
  renderTimeline(w) {
    const box = this.timeline;
    const items = /** @type {any[]} */ (this.items);
    const dates = planned.dates;
    if (w.opening === null || !dates) {
      box.hidden = true;
      box.textContent = "";
      this.timelineItems = null;
      return;
    }
    const opening = w.opening;
    const marks = [];
    items.forEach((it, i) => {
      if (it.task.kind !== "task" || !it.applies || !isOpen(it.status)) return;
      const start = dates.startDay(it.task, opening);
      const due = it.task.due === undefined ? null : opening + it.task.due;
      if (start === null && due === null) return;
      marks.push({ it, i, start, due });
    });
    marks.sort((a, b) => (a.due ?? a.start) - (b.due ?? b.start) || a.i - b.i);
    const days = marks.flatMap((m) => [m.start, m.due]).filter((d) => d !== null);
    let from = Math.min(w.today, opening - 28, ...days);
    let to = Math.max(w.today, opening + 28, ...days) + 1;
    from -= ((from - 4) % 7 + 7) % 7; // back to a Monday (day 4 = Monday 5 Jan 1970)
    to += (7 - ((to - from) % 7)) % 7;
    const span = to - from;
    const at = (/** @type {number} */ d) => ((d - from) / span).toFixed(4);
    const key = [from, to, w.today, ...marks.map((m) => m.it.task.id + m.start + "/" + m.due + m.it.status)].join();
    if (key === this.timelineKey && this.timelineItems) return;
    this.timelineKey = key;
    // Made out of the document and put in at once; each item cloned from one made here.
    const title = document.createElement("h2");
    title.id = "drb--timeline-title";
    title.textContent = "Tidslinje";
    const intro = document.createElement("p");
    intro.textContent = "De åbne opgaver med en dato, uge for uge. Opstart: " + dates.formatDate(opening)
      + ". I dag: " + dates.formatDate(w.today) + ".";
    const chart = document.createElement("div");
    chart.className = "drb-tl";
    // Drawn only (aria-hidden): the weeks, the opening day and today; the list says it in words.
    const axis = chart.appendChild(document.createElement("div"));
    axis.className = "drb-tl-axis";
    axis.setAttribute("aria-hidden", "true");
    for (let d = from; d < to; d += 7) {
      const tick = axis.appendChild(document.createElement("span"));
      tick.style.setProperty("--at", at(d));
      tick.textContent = shortDate(d);
    }
    for (const [day, label, cls] of [[opening, "Opstart", "drb-tl-opening"], [w.today, "I dag", "drb-tl-today"]]) {
      const line = chart.appendChild(document.createElement("span"));
      line.className = "drb-tl-line " + cls;
      line.style.setProperty("--at", at(/** @type {number} */ (day) + 0.5));
      line.setAttribute("aria-hidden", "true");
      line.textContent = String(label);
    }
    const list = chart.appendChild(document.createElement("ol"));
    list.setAttribute("aria-labelledby", title.id);
    const proto = document.createElement("li");
    proto.appendChild(document.createElement("span")).className = "drb-tl-name";
    const track = proto.appendChild(document.createElement("span"));
    track.className = "drb-tl-track";
    track.setAttribute("aria-hidden", "true");
    track.appendChild(document.createElement("span")).className = "drb-tl-bar";
    /** @type {[HTMLLIElement, number][]} */
    const made = [];
    for (const m of marks) {
      const li = /** @type {HTMLLIElement} */ (proto.cloneNode(true));
      const win = dates.windowOf(m.it.task, opening, w.today);
      const state = win ? win.state : "none";
      li.setAttribute("data-task-id", m.it.task.id);
      li.setAttribute("data-state", state);
      /** @type {HTMLElement} */ (li.firstChild).textContent = m.it.task.title + (win ? ": " + win.text : "") + ".";
      // From the start day (else today or the deadline) to the deadline (today when overdue).
      const a = m.start ?? Math.min(w.today, /** @type {number} */ (m.due));
      const end = m.due === null ? a : state === "overdue" ? w.today : m.due;
      /** @type {HTMLElement} */ (/** @type {HTMLElement} */ (li.lastChild).firstChild).style.cssText =
        "--at:" + at(Math.min(a, end)) + ";--len:" + ((Math.abs(end - a) + 1) / span).toFixed(4);
      list.appendChild(li);
      made.push([li, m.i]);
    }
    box.replaceChildren(title, intro, chart);
    this.timelineItems = made;
    this.filterTimeline();
    box.hidden = marks.length === 0;
  }

  /** The print header: the clinic, the opening date and today. */
  renderPrintHead() {
    const dates = planned.dates;
    const page = this.root.ownerDocument;
    const p = this.app.store.practice;
    const set = (/** @type {string} */ sel, /** @type {string} */ text) => {
      const el = page.querySelector(sel);
      // Without a value, the blank to write in (as on the page without the script).
      if (el) el.textContent = text || el.getAttribute("data-blank") || "";
    };
    set(".drb-print-clinic", p.name || "");
    const opening = dates && dates.parseISODate(p.opening);
    set(".drb-print-opening", dates && opening !== null ? dates.formatDate(opening) : "");
    set(".drb-print-date", dates ? dates.formatDate(dates.todayDay()) : new Date().toLocaleDateString("da-DK"));
  }

  /** @param {string} type @param {string} action @param {HTMLElement} el */
  act(type, action, el) {
    if (type === "change" && action === "filter") {
      const k = /** @type {keyof Filters} */ (el.dataset.filter);
      this.filters = { ...this.filters, [k]: /** @type {HTMLSelectElement} */ (el).value };
      this.filtered();
    } else if (type === "click" && action === "clear-filters") {
      this.filters = readQuery("");
      this.filtered();
    } else if (type === "click" && action === "fold") {
      const phase = /** @type {string} */ (el.closest("tbody")?.dataset.phase);
      if (this.unfolded.has(phase)) this.unfolded.delete(phase);
      else this.unfolded.add(phase);
      if (this.placed.has(phase)) {
        this.applyFilters();
        this.renderHead(this.when());
      } else {
        this.placed.add(phase);
        this.render();
      }
    } else if (type === "click" && action === "print") {
      this.placeAll();
      window.print();
    } else if (type === "click" && action === "ics") this.calendar().catch((e) => console.warn("drejebog checklist:", e));
  }

  /** For paper: every folded phase's rows in place (shown there by the print styles). */
  placeAll() {
    const missing = FOLDED.filter((phase) => !this.placed.has(phase));
    for (const phase of missing) this.placed.add(phase);
    if (missing.length) this.render();
    else this.renderPrintHead();
  }

  /**
   * After a filter's change: the rows and counts, then the address (replaced: Back leaves the
   * page), after the next frame: Chromium takes up to 40 ms to replace it on a busy machine.
   */
  filtered() {
    const start = performance.now();
    this.applyFilters();
    this.renderHead(this.when());
    performance.measure("drb:filter", { start, end: performance.now() });
    clearTimeout(this.addressTimer);
    this.addressTimer = setTimeout(() => {
      if (this.root.isConnected) history.replaceState(history.state, "", location.pathname + toQuery(this.filters) + location.hash);
    }, 50);
  }

  /** "Hent kalenderfil (.ics)": the open, dated tasks as all-day events. */
  async calendar() {
    const app = this.app;
    const message = /** @type {HTMLElement} */ (this.root.querySelector(".drb-ics-message"));
    if (!app.store.practice.opening) {
      message.textContent = "Angiv først en opstartsdato under Jeres praksis: kalenderfilen får datoerne derfra.";
      return;
    }
    const ics = await import("./ics.js");
    if (!app.store.practice.id) app.afterWrite(app.store.setPractice({ id: newPracticeId() }));
    const practice = app.store.practice;
    const events = ics.eventsOf(/** @type {any} */ (app.manifest).order, (id) => app.store.statusOf(id), practice, app.root.href);
    if (!events.length) {
      message.textContent = "Ingen åbne opgaver har en dato: kalenderfilen ville være tom.";
      return;
    }
    const text = ics.calendar(events, {
      uidKey: /** @type {string} */ (practice.id),
      host: app.root.host || "drejebog",
      stamp: Date.now(),
      name: practice.name,
    });
    const url = URL.createObjectURL(new Blob([text], { type: "text/calendar;charset=utf-8" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = ics.calendarFileName(practice.name);
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    message.textContent = "Kalenderfilen er hentet med " + events.length + (events.length === 1 ? " begivenhed" : " begivenheder")
      + ". Åbn den i jeres kalender; hentes den igen, opdateres de samme begivenheder.";
  }
}
