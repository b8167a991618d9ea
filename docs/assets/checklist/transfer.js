// @ts-check
/* The export file: writing it (one practice, or all of them), downloading it, and reading it
 * back. Only the home page's panel and the practice switcher need this, so group pages never
 * load it. */
import {
  dict, isObject, isTombstone, NAME_MAX, NOTE_MAX, parseStored, practiceFields, stateKey, validatePractice,
  validateTasks, VERSION,
} from "./store.js";

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
 * @typedef {{tasks: Tasks, practice?: Practice}} Imported  one practice's state from a file
 *   (without `practice`: an older file, whose import leaves the settings as they are)
 */

/**
 * An export file's text: one practice's state, or every practice's (an export of all of
 * them: `practices`), or why it is refused (a Danish sentence).
 * @param {string} text
 * @param {readonly string[]} statuses
 * @returns {Imported | {practices: Imported[]} | {error: string}}
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
  if (!Array.isArray(data.practices)) return readPractice(data, statuses);
  if (!data.practices.length) return { error: "den indeholder ingen praksisser." };
  const practices = [];
  for (const item of data.practices) {
    const one = readPractice(item, statuses);
    if ("error" in one) return one;
    practices.push(one);
  }
  return { practices };
}

/**
 * One practice of an export file. @param {any} data @param {readonly string[]} statuses
 * @returns {Imported | {error: string}}
 */
function readPractice(data, statuses) {
  if (!isObject(data) || !isObject(data.tasks)) return { error: "den indeholder ingen liste over opgaver." };
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
  return { format: EXPORT_FORMAT, version: VERSION, exported: now.toISOString(), ...practiceData(tasks, practice) };
}

/** One practice in an export file: its settings when there are any, its tasks. @param {Tasks} tasks @param {Practice} [practice] */
function practiceData(tasks, practice = {}) {
  const fields = practiceFields(practice);
  return { ...(Object.keys(fields).length ? { practice: fields } : {}), tasks: withoutTombstones(tasks) };
}

/**
 * Every practice of the browser (profiles.js) as one file: `practices`, each as in a one-practice
 * export, in the switcher's order. What waits to be written is written first.
 * @param {any} app  the checklist (init.js), with its book @param {Date} now
 */
export function exportAllData(app, now) {
  app.flush();
  const practices = app.profiles.book.list.map((/** @type {{id: string}} */ { id }) => {
    let state = app.store;
    if (id !== app.profileId) {
      let raw = null;
      try {
        raw = localStorage.getItem(stateKey(app.root.pathname, id));
      } catch {
        // unreadable: exported empty
      }
      state = parseStored(raw, app.store.statuses);
    }
    return practiceData(state.tasks, state.practice);
  });
  return { format: EXPORT_FORMAT, version: VERSION, exported: now.toISOString(), practices };
}

/**
 * Download the practice in use (or, `all`, every practice) as an export file, and say where it went.
 * @param {any} app @param {(text: string) => void} say @param {boolean} [all]
 */
export function download(app, say, all = false) {
  const now = new Date();
  const name = "drejebog-fremgang-" + (all ? "alle-" : "") + localDate(now) + ".json";
  const data = all ? exportAllData(app, now) : exportData(app.store.tasks, now, app.store.practice);
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click(); // detached: no listener of the page sees it
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  say((all ? "Alle praksisser er gemt" : "Fremgangen er gemt") + " i filen " + name + ". Gem den et sikkert sted, så du kan importere den igen.");
}

/** YYYY-MM-DD in local time (the export file's name). @param {Date} d */
export function localDate(d) {
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
}
