// @ts-check
/* Share links: `<site root>#fremgang=<base64url(JSON {"v":1,"s":{"ID":"d|g|n"}})>`.
 * No DOM here. The letters come from the page's config (drejebog.model.STATUSES). */
import { dict, isObject, tidy, validateTasks } from "./store.js";

export { SHARE_PREFIX } from "./store.js";

/** @typedef {import("./store.js").Tasks} Tasks */
/** @typedef {{id: string, label: string, share: string | null}} StatusConfig */

/**
 * The fragment's code for the statuses in `tasks` (notes are never shared).
 * @param {Tasks} tasks
 * @param {readonly StatusConfig[]} statuses
 * @returns {{code: string, count: number}}
 */
export function encodeShare(tasks, statuses) {
  /** @type {Record<string, string>} */
  const codes = {};
  for (const id of Object.keys(tasks)) {
    const code = statuses.find((s) => s.id === tasks[id].status)?.share;
    if (code) codes[id] = code;
  }
  const bytes = new TextEncoder().encode(JSON.stringify({ v: 1, s: codes }));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  const code = btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return { code, count: Object.keys(codes).length };
}

/**
 * {id: status} from a fragment's code, or null when it cannot be read.
 * @param {string} code
 * @param {readonly StatusConfig[]} statuses
 * @returns {Record<string, string> | null}
 */
export function decodeShare(code, statuses) {
  let data;
  try {
    const binary = atob(code.replace(/-/g, "+").replace(/_/g, "/"));
    data = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
  } catch (e) {
    return null;
  }
  if (!isObject(data) || data.v !== 1 || !isObject(data.s)) return null;
  /** @type {Record<string, unknown>} */
  const entries = {};
  for (const id of Object.keys(data.s)) {
    const status = statuses.find((s) => s.share !== null && s.share === data.s[id]);
    entries[id] = { status: status ? status.id : null };
  }
  const result = validateTasks(entries, statuses.map((s) => s.id));
  if (result.errors.length) return null;
  /** @type {Record<string, string>} */
  const out = dict();
  for (const id of Object.keys(result.tasks)) out[id] = result.tasks[id].status;
  return out;
}

/**
 * The state after a share link: its statuses replace all statuses; notes stay.
 * @param {Tasks} current
 * @param {Record<string, string>} statuses  from decodeShare
 * @param {(id: string) => string} hashOf  a task's current hash ("" when unknown)
 * @param {Date} now
 * @returns {Tasks}
 */
export function tasksWithStatuses(current, statuses, hashOf, now) {
  const tasks = dict();
  for (const id of Object.keys(current).concat(Object.keys(statuses))) {
    if (tasks[id]) continue;
    const old = current[id];
    const status = statuses[id] || "todo";
    if (old && old.status === status) {
      tasks[id] = old;
      continue;
    }
    /** @type {import("./store.js").Entry} */
    const entry = { status, updated: now.toISOString() };
    const hash = hashOf(id);
    if (hash) entry.hash = hash;
    if (old && old.note) entry.note = old.note;
    tasks[id] = tidy(entry);
  }
  return tasks;
}
