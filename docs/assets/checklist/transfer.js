// @ts-check
/* The export file: writing it and reading it back (no DOM). Only the home page's panel
 * needs this, so group pages never load it. */
import { dict, isObject, isTombstone, NAME_MAX, NOTE_MAX, practiceFields, validatePractice, validateTasks, VERSION } from "./store.js";

/** @typedef {import("./store.js").Tasks} Tasks */
/** @typedef {import("./store.js").Practice} Practice */

/** The tasks without tombstones (an export has none). @param {Tasks} tasks @returns {Tasks} */
function withoutTombstones(tasks) {
  const out = dict();
  for (const id of Object.keys(tasks)) if (!isTombstone(tasks[id])) out[id] = tasks[id];
  return out;
}

export const EXPORT_FORMAT = "drejebog-fremgang";

/** @type {Record<string, (name: string) => string>} */
const REFUSED = {
  id: (name) => name + " er ikke et gyldigt opgave-id.",
  status: (name) => "opgaven " + name + " har en ugyldig status.",
  note: (name) => "noten til opgaven " + name + " er ikke gyldig (højst " + NOTE_MAX + " tegn).",
  practice: () => "oplysningerne om praksis er ikke gyldige.",
  opening: () => "opstartsdatoen er ikke en gyldig dato.",
  type: () => "praksistypen er ikke gyldig.",
  name: () => "klinikkens navn er ikke gyldigt (højst " + NAME_MAX + " tegn).",
  key: () => "praksissens nøgle til kalenderfilen er ikke gyldig.",
};

/**
 * Why an entry or a setting was refused (store.js validateTasks, validatePractice), as a
 * Danish sentence.
 * @param {import("./store.js").Refused} refused
 */
export function refusal([kind, id = ""]) {
  return REFUSED[kind]('"' + id.slice(0, 60) + '"');
}

/**
 * An export file's text: its tasks, or why it is refused (a Danish sentence).
 * @param {string} text
 * @param {readonly string[]} statuses
 * @returns {{tasks: Tasks, practice?: Practice} | {error: string}}
 */
export function parseImport(text, statuses) {
  let data;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { error: "den er ikke en gyldig JSON-fil." };
  }
  if (!isObject(data) || data.format !== EXPORT_FORMAT) {
    return { error: "det er ikke en eksport af fremgang fra drejebogen." };
  }
  if (data.version !== VERSION) return { error: "den er lavet med en anden version af drejebogen." };
  if (!isObject(data.tasks)) return { error: "den indeholder ingen liste over opgaver." };
  const result = validateTasks(data.tasks, statuses);
  if (result.errors.length) return { error: refusal(result.errors[0]) };
  if (data.practice === undefined) return { tasks: result.tasks }; // an older file: settings stay
  const settings = validatePractice(data.practice);
  if (settings.errors.length) return { error: refusal(settings.errors[0]) };
  return { tasks: result.tasks, practice: practiceFields(settings.practice) };
}

/**
 * The export file's content (tombstones left out; the settings when there are any).
 * @param {Tasks} tasks
 * @param {Date} now
 * @param {Practice} [practice]
 */
export function exportData(tasks, now, practice = {}) {
  const fields = practiceFields(practice);
  return {
    format: EXPORT_FORMAT, version: VERSION, exported: now.toISOString(),
    ...(Object.keys(fields).length ? { practice: fields } : {}),
    tasks: withoutTombstones(tasks),
  };
}

/** YYYY-MM-DD in local time (the export file's name). @param {Date} d */
export function localDate(d) {
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
}
