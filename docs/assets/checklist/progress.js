// @ts-check
/* Progress: counts, states and the next task (no DOM, from the page's manifest), the
 * component that shows them, `[data-drb-module="progress"]`, a box
 * (data-drb-progress="group" | "overall", markup from the template), and the states in
 * Material's navigation (markNav). The home page's table of groups is groups.js. */

/**
 * @typedef {{id: string, title: string, hash: string, kind: string} & import("./plan.js").PlanTask} Entry
 * @typedef {Entry & {group: Group}} ManifestTask
 * @typedef {{id: string, title: string, url: string, tasks: Entry[]}} Group
 * @typedef {{groups: Group[], byId: Record<string, ManifestTask>, order: ManifestTask[]}} Manifest
 * @typedef {(id: string) => string} StatusOf
 */

/**
 * The manifest (`#drb--manifest`'s data-manifest) indexed: tasks by id, and the
 * actionable tasks in runbook order.
 * @param {{groups: Group[]}} data
 * @returns {Manifest}
 */
export function indexManifest(data) {
  /** @type {Record<string, ManifestTask>} */
  const byId = Object.create(null);
  const order = [];
  for (const group of data.groups) {
    for (const task of group.tasks) {
      const item = { ...task, group };
      byId[task.id] = item;
      if (task.kind === "task") order.push(item);
    }
  }
  return { groups: data.groups, byId, order };
}

/**
 * Done, started (done or "I gang") and counted tasks ("Ikke relevant" is not counted).
 * @param {ManifestTask[]} tasks
 * @param {StatusOf} statusOf
 */
export function counts(tasks, statusOf) {
  let done = 0;
  let total = 0;
  let started = 0;
  for (const task of tasks) {
    const status = statusOf(task.id);
    if (status === "na") continue;
    total++;
    if (status === "done") done++;
    if (status !== "todo") started++;
  }
  return { done, total, started };
}

/**
 * The state of a group of tasks, as a status id (its label is the status's): "na" when
 * none is counted, "done" when all are done, "doing" once one is started, else "todo".
 * @param {{done: number, total: number, started: number}} c  counts()
 */
export function stateOf(c) {
  return !c.total ? "na" : c.done === c.total ? "done" : c.started ? "doing" : "todo";
}

/**
 * plan.js and dates.js once loaded (loadPlan): task.js reads them from here too.
 * @type {{plan: typeof import("./plan.js") | null, dates: typeof import("./dates.js") | null}}
 */
export const planned = { plan: null, dates: null };

/**
 * Loads plan.js (and dates.js) when its rules apply: the settings, or tasks with deps, after or earliest.
 * @param {Manifest} manifest @param {import("./plan.js").Practice} [practice]
 * @returns {Promise<void> | null}  null: nothing to load
 */
export function loadPlan(manifest, practice = {}) {
  return planned.plan || !(practice.opening || practice.type || manifest.order.some((t) => t.deps || t.after || t.earliest))
    ? null
    : Promise.all([import("./plan.js"), import("./dates.js")]).then(([plan, dates]) => {
      planned.plan = plan;
      planned.dates = dates;
    });
}

/**
 * Of the tasks doable now (plan.js's rules once loaded, else the open ones): the first in the
 * group; else with an opening date the first due, without one the next after the group.
 * @param {ManifestTask[]} order @param {string | null} groupId @param {StatusOf} statusOf
 * @param {import("./plan.js").Practice} [practice] @param {number} [today]
 * @returns {ManifestTask | null}
 */
export function nextTask(order, groupId, statusOf, practice = {}, today = undefined, byId = undefined) {
  const plan = planned.plan;
  const list = plan
    ? plan.doable(order, statusOf, practice, today, byId)
    : order.filter((t) => /^(todo|doing)$/.test(statusOf(t.id)));
  let after = -1;
  order.forEach((t, i) => {
    if (t.group.id === groupId) after = i;
  });
  const inGroup = list.find((t) => t.group.id === groupId);
  if (inGroup) return inGroup;
  if (!practice.opening) {
    // Without a date: the next in runbook order after the group, then from the start.
    const doable = new Set(list);
    for (let i = after + 1; i < order.length; i++) if (doable.has(order[i])) return order[i];
  }
  return list[0] || null;
}

/** @param {ManifestTask[]} order @param {string} groupId */
export function groupTasks(order, groupId) {
  return order.filter((t) => t.group.id === groupId);
}

/** "1 opgave", "2 opgaver" (Danish: the singular for exactly 1). @param {number} n @param {string} one @param {string} many */
export function plural(n, one, many) {
  return n + " " + (n === 1 ? one : many);
}

export class Progress {
  /**
   * @param {HTMLElement} root
   * @param {import("./init.js").App} app
   */
  constructor(root, app) {
    this.root = root;
    this.app = app;
    this.groupId = root.dataset.groupId || null; // none on the "overall" box
    this.text = root.querySelector(".drb-progress-text");
    this.render();
    root.hidden = false;
  }

  render() {
    const app = this.app;
    const manifest = /** @type {Manifest} */ (app.manifest);
    const statusOf = (/** @type {string} */ id) => app.store.statusOf(id);
    const all = counted(app);
    const group = this.groupId;
    const c = counts(group ? groupTasks(all, group) : all, statusOf);
    this.text.textContent = (app.profiles ? app.profiles.label(app) : "") + c.done + " af " + plural(c.total, "opgave færdig", "opgaver færdige") +
      notCounted(app, group, c);
    // The bar only shows the sentence above (aria-hidden in the template, _macros.j2): a
    // screen reader reads the count once, with the tasks left out.
    const bar = /** @type {HTMLProgressElement} */ (this.root.querySelector("progress"));
    bar.max = Math.max(c.total, 1);
    bar.value = c.done;
    const slot = /** @type {HTMLElement} */ (this.root.querySelector(".drb-progress-next"));
    const next = nextTask(manifest.order, this.groupId, statusOf, app.store.practice, undefined, manifest.byId);
    if (!next) {
      const open = all.some((t) => /^(todo|doing)$/.test(statusOf(t.id)));
      slot.textContent = open
        ? "Ingen opgave kan gøres lige nu: de resterende venter på andre opgaver eller på opstarten"
        : "Alle opgaver er færdige";
      return;
    }
    let link = slot.querySelector("a");
    if (!link) {
      slot.textContent = "";
      link = slot.appendChild(document.createElement("a"));
      link.className = "drb-next";
    }
    link.textContent = "Næste opgave: " + next.title;
    link.href = next.group.id === this.groupId && app.tasks.has(next.id)
      ? "#" + next.id
      : app.root.pathname + next.group.url + "#" + next.id;
  }

  /** The sentence the live region reads after a change. */
  sentence() {
    return this.text.textContent + ".";
  }
}

/**
 * The tasks counted: the actionable ones, without those that do not apply to this type of
 * practice (their status is kept). @param {import("./init.js").App} app
 */
export function counted(app) {
  const { order } = /** @type {Manifest} */ (app.manifest);
  const plan = planned.plan;
  const type = app.store.practice.type;
  return plan && type ? order.filter((t) => plan.applies(t, type)) : order;
}

/**
 * The tasks not counted ("Ikke relevant", or not for this type of practice), so that a count
 * agrees with the page's "6 opgaver": " (1 ikke relevant)" after "3 af 5 opgaver færdige";
 * "" when every task counts.
 * @param {import("./init.js").App} app @param {string | null} group  null: all groups
 * @param {{total: number}} c  counts()
 */
export function notCounted(app, group, c) {
  const { order } = /** @type {Manifest} */ (app.manifest);
  const out = (group ? groupTasks(order, group) : order).length - c.total;
  return out ? " (" + plural(out, "ikke relevant", "ikke relevante") + ")" : "";
}

/** The navigation the links below are in: instant navigation makes a new one. */
let nav = /** @type {Element | null} */ (null);
/**
 * Its links that show a state, found once: the box in the link the state goes into, the
 * task's id or the group, then the state's tag (made when first needed) and the state shown.
 * @type {{box: Element, task: string, group: Group | undefined, tag?: HTMLElement, state?: string}[]}
 */
let items = [];

/**
 * The state in Material's navigation, outside the article: each group page's link in the
 * side navigation (matched by address) and each task's link in the table of contents
 * (`#ID`) gets `span.drb-nav-state` with the state's label, "I gang", "Færdig" or "Ikke
 * relevant" (hidden while not started), inside the link, so it is part of its name ("· "
 * before it is CSS). Only a changed state is written: a tick costs little on a page of a
 * thousand tasks.
 * @param {import("./init.js").App} app
 */
export function markNav(app) {
  const { byId, groups, order } = /** @type {Manifest} */ (app.manifest);
  const statusOf = (/** @type {string} */ id) => app.store.statusOf(id);
  if (nav !== (nav = document.querySelector(".md-nav"))) {
    items = [];
    for (const link of /** @type {NodeListOf<HTMLAnchorElement>} */ (document.querySelectorAll("a.md-nav__link"))) {
      const [path, task] = link.href.split("#");
      const group = task === undefined ? groups.find((g) => path === app.root.href + g.url) : undefined;
      if (byId[task] ? byId[task].kind === "task" : group && groupTasks(order, group.id).length) {
        items.push({ box: link.firstElementChild || link, task, group });
      }
    }
  }
  const all = counted(app);
  for (const item of items) {
    const state = item.group ? stateOf(counts(groupTasks(all, item.group.id), statusOf)) : statusOf(item.task);
    if (state === (item.state || "todo")) continue;
    item.state = state;
    const tag = item.tag || (item.tag = item.box.appendChild(document.createElement("span")));
    tag.className = "drb-nav-state";
    tag.hidden = state === "todo";
    tag.textContent = app.config.labels[state];
  }
}
