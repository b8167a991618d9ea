// @ts-check
/* The plan's rules (no DOM): which tasks apply to the practice, wait for others or can be
 * started, and the next task to suggest. Task fields as in the page's manifest
 * (docs/dev/checklist-contract.md); absent fields impose nothing. */
import { parseISODate, startDay, todayDay } from "./dates.js";

/**
 * @typedef {import("./dates.js").Timing & {id: string, kind?: string, applies?: string[], deps?: string[]}} PlanTask
 * @typedef {{opening?: string, type?: string}} Practice  the practice's settings
 * @typedef {{opening: number | null, today: number, type: string | undefined, beforeOpen: boolean, byId: Record<string, PlanTask>}} Situation
 * @typedef {(id: string) => string} StatusOf
 */

/** @param {string} status */
const isOpen = (status) => status === "todo" || status === "doing";

/**
 * Whether the task is for a practice of `type` ("new" | "takeover"): every task is while the type is unknown.
 * @param {PlanTask} task @param {string} [type]
 */
export function applies(task, type) {
  return !type || !task.applies || task.applies.includes(type);
}

/**
 * The open (todo/doing) tasks this one depends on. Not waited for: ids not in `byId`, info rows
 * and tasks that do not apply to `type`.
 * @param {PlanTask} task @param {StatusOf} statusOf @param {Record<string, PlanTask>} byId @param {string} [type]
 */
export function waitingFor(task, statusOf, byId, type) {
  if (!task.deps) return [];
  return task.deps.map((id) => byId[id])
    .filter((dep) => dep && dep.kind !== "info" && applies(dep, type) && isOpen(statusOf(dep.id)));
}

/**
 * What the rules need, worked out once for a list of tasks: the opening day (null without a
 * valid date), today, the type, the tasks by id, and `beforeOpen`: whether a task required
 * before the opening that applies is still open.
 * @param {PlanTask[]} order @param {StatusOf} statusOf @param {Practice} [practice] @param {number} [today]
 * @param {Record<string, PlanTask>} [byId]  the tasks by id, when the caller has them
 * @returns {Situation}
 */
export function situation(order, statusOf, practice = {}, today = todayDay(), byId = undefined) {
  const type = practice.type;
  return {
    opening: parseISODate(practice.opening),
    today,
    type,
    beforeOpen: order.some((t) => t.before === "required" && applies(t, type) && isOpen(statusOf(t.id))),
    byId: byId || Object.fromEntries(order.map((t) => [t.id, t])),
  };
}

/**
 * Whether the task's window is open. With a date: from its start day on (dates.startDay:
 * `earliest`, or the opening day for an after-only task). Without: a task with a positive
 * `earliest`, or an after-only task, cannot start while `beforeOpen`.
 * @param {PlanTask} task @param {Situation} s
 */
export function canStart(task, s) {
  if (s.opening !== null) {
    const start = startDay(task, s.opening);
    return start === null || s.today >= start;
  }
  return !s.beforeOpen || !((task.earliest || 0) > 0 || (task.after && !task.before));
}

/**
 * The tasks to do now, best first: open, applying, waiting for nothing and startable; with a
 * date by effective due day (`due`, else the start day, else last), then in `order`.
 * @template {PlanTask} T
 * @param {T[]} order  the actionable tasks in runbook order
 * @param {StatusOf} statusOf @param {Practice} [practice] @param {number} [today]
 * @param {Record<string, PlanTask>} [byId]  the tasks by id, when the caller has them
 * @returns {T[]}
 */
export function doable(order, statusOf, practice, today, byId = undefined) {
  const s = situation(order, statusOf, practice, today, byId);
  const list = order.filter((t) => isOpen(statusOf(t.id)) && applies(t, s.type)
    && !waitingFor(t, statusOf, s.byId, s.type).length && canStart(t, s));
  const due = (/** @type {T} */ t) => t.due ?? startDay(t, 0) ?? Infinity;
  return s.opening === null ? list : list.sort((a, b) => due(a) - due(b));
}

/**
 * The next task to suggest (doable's first), or null.
 * @template {PlanTask} T
 * @param {T[]} order @param {StatusOf} statusOf @param {Practice} [practice] @param {number} [today]
 * @returns {T | null}
 */
export function nextTask(order, statusOf, practice, today) {
  return doable(order, statusOf, practice, today)[0] || null;
}
