// @ts-check
/* Progress: counts and the next task (no DOM, from the page's manifest), and the
 * component that shows them: `[data-drb-module="progress"]`, a box
 * (data-drb-progress="group" | "overall", markup from the template) or a group's
 * line in the home page's table ("group-inline"). */

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
 * Done and counted tasks ("Ikke relevant" is not counted).
 * @param {ManifestTask[]} tasks
 * @param {StatusOf} statusOf
 */
export function counts(tasks, statusOf) {
  let done = 0;
  let total = 0;
  for (const task of tasks) {
    const status = statusOf(task.id);
    if (status === "na") continue;
    total++;
    if (status === "done") done++;
  }
  return { done, total };
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

/** "1 opgave", "2 opgaver". @param {number} n @param {string} one @param {string} many */
export function plural(n, one, many) {
  return n + " " + (n === 1 ? one : many);
}

/** The tab's choice to hide finished tasks (sessionStorage: it lasts while the tab is open). */
const HIDE_KEY = "drejebog:skjul-faerdige";
function hidingDone() {
  try {
    return sessionStorage.getItem(HIDE_KEY) === "1";
  } catch {
    return false;
  }
}

export class Progress {
  /**
   * @param {HTMLElement} root
   * @param {import("./init.js").App} app
   */
  constructor(root, app) {
    this.root = root;
    this.app = app;
    this.kind = root.dataset.drbProgress;
    this.groupId = this.kind === "overall" ? null : root.dataset.groupId || null;
    this.text = root.querySelector(".drb-progress-text");
    this.hide = /** @type {HTMLInputElement | null} */ (root.querySelector(".drb-hide-check"));
    if (this.hide && (this.hide.checked = hidingDone())) this.hideDone();
    this.render();
    root.hidden = false;
  }

  /**
   * "Skjul færdige opgaver" (a group page): the tasks finished when it is ticked (or the page
   * opened) are hidden; one ticked later stays until then, so focus never vanishes with it.
   */
  hideDone() {
    const on = !!this.hide && this.hide.checked;
    for (const task of this.app.tasks.values()) {
      const hide = on && (task.status === "done" || task.status === "na");
      if (hide !== task.section.hasAttribute("data-drb-hidden")) task.section.toggleAttribute("data-drb-hidden", hide);
    }
  }

  /** @param {string} type @param {string} action @param {HTMLInputElement} el */
  act(type, action, el) {
    if (type !== "change" || action !== "hide-done") return;
    try {
      if (el.checked) sessionStorage.setItem(HIDE_KEY, "1");
      else sessionStorage.removeItem(HIDE_KEY);
    } catch {
      // Not remembered in this tab: it still applies on this page.
    }
    this.hideDone();
    let hidden = 0;
    for (const task of this.app.tasks.values()) if (task.section.hasAttribute("data-drb-hidden")) hidden++;
    this.app.announce(el.checked ? plural(hidden, "færdig opgave", "færdige opgaver") + " skjult." : "Alle opgaver vises.");
  }

  render() {
    const app = this.app;
    const manifest = /** @type {Manifest} */ (app.manifest);
    const statusOf = (/** @type {string} */ id) => app.store.statusOf(id);
    const type = app.store.practice.type;
    const plan = planned.plan;
    // Tasks that do not apply to this type of practice are not counted (their status is kept).
    const all = plan && type ? manifest.order.filter((t) => plan.applies(t, type)) : manifest.order;
    const tasks = this.groupId ? groupTasks(all, this.groupId) : all;
    const c = counts(tasks, statusOf);
    if (!this.text) {
      this.root.textContent = c.done + " af " + c.total + " færdige";
      return;
    }
    this.text.textContent = c.done + " af " + c.total + " opgaver færdige";
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

  /** The sentence the live region reads after a change ("" for a group's line). */
  sentence() {
    return this.text ? this.text.textContent + "." : "";
  }
}
