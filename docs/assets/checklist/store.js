// @ts-check
/* The checklist's state and storage, no DOM: one localStorage value per site, merged per
 * task on every write (Store#save). See docs/dev/checklist-contract.md ("Storage"). */

/** @typedef {{status: string, hash?: string, note?: string, updated?: string}} Entry */
/** @typedef {Record<string, Entry>} Tasks  id -> entry; made with dict(), so no prototype */
/** @typedef {"blocked" | "full" | "corrupt"} Problem */
/**
 * The practice's settings (since the plan release; optional in the stored value, so a
 * value without them is the same version): the opening date, new practice or takeover,
 * the clinic's name, and when they last changed (for the merge between tabs).
 * @typedef {{opening?: string, type?: string, name?: string, id?: string, updated?: string}} Practice
 *   id: made for the first calendar file, so that its events keep their UIDs
 */

export const VERSION = 1;
export const ID_RE = /^[a-z][a-z0-9-]*$/;
export const NOTE_MAX = 5000;
export const SHARE_PREFIX = "#fremgang=";
export const PRACTICE_TYPES = ["new", "takeover"];
export const NAME_MAX = 100;
/** The practice's key in the calendar file's UIDs (overview.js makes it). */
export const PRACTICE_ID = /^[a-z0-9]{8,32}$/;

/* Keys. A practice's state (profiles.js: the first one's is the single-practice key), and the
 * book of practices, which exists once a browser has had a second one. */
export const FIRST = "1";
/** @param {string} root  the site's path @param {string} id  a practice */
export const stateKey = (root, id) => "drejebog:v1:" + root + (id === FIRST ? "" : "#" + id);
/** @param {string} root */
export const bookKey = (root) => "drejebog:profiles:" + root;

/** @returns {Tasks} */
export function dict() {
  return Object.create(null);
}

/** @param {unknown} value @returns {value is Record<string, any>} */
export function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Why an entry or a setting was refused: its kind, and the task's id for a task's. Said in
 * Danish by transfer.js (refusal) for an import; a page only needs to know there was one.
 * @typedef {[kind: "id" | "status" | "note" | "practice" | "opening" | "type" | "name" | "key", id?: string]} Refused
 */

/**
 * The one validation of task entries (stored value, imported file, share link): valid
 * ones copied without unknown fields, a Refused for each refused one.
 * @param {Record<string, unknown>} tasks
 * @param {readonly string[]} statuses  the valid status ids
 * @returns {{tasks: Tasks, errors: Refused[]}}
 */
export function validateTasks(tasks, statuses) {
  const out = dict();
  /** @type {Refused[]} */
  const errors = [];
  for (const id of Object.keys(tasks)) {
    const value = tasks[id];
    if (!ID_RE.test(id)) errors.push(["id", id]);
    else if (!isObject(value) || !statuses.includes(value.status)) errors.push(["status", id]);
    else if (value.note !== undefined && (typeof value.note !== "string" || value.note.length > NOTE_MAX)) {
      errors.push(["note", id]);
    } else {
      /** @type {Entry} */
      const entry = { status: value.status };
      if (typeof value.hash === "string" && value.hash) entry.hash = value.hash;
      if (value.note) entry.note = value.note;
      if (typeof value.updated === "string" && value.updated) entry.updated = value.updated;
      out[id] = entry;
    }
  }
  return { tasks: out, errors };
}

/** "YYYY-MM-DD" naming a real calendar date. @param {unknown} text */
export function isISODate(text) {
  const m = typeof text === "string" && /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

/**
 * The one validation of the practice's settings (stored value, imported file): the
 * valid fields copied, a Refused for each refused one.
 * @param {unknown} value  undefined when there are none
 * @returns {{practice: Practice, errors: Refused[]}}
 */
export function validatePractice(value) {
  /** @type {Practice} */
  const out = {};
  if (value === undefined) return { practice: out, errors: [] };
  if (!isObject(value)) return { practice: out, errors: [["practice"]] };
  /** @type {Refused[]} */
  const errors = [];
  if (value.opening !== undefined) {
    if (isISODate(value.opening)) out.opening = value.opening;
    else errors.push(["opening"]);
  }
  if (value.type !== undefined) {
    if (PRACTICE_TYPES.includes(value.type)) out.type = value.type;
    else errors.push(["type"]);
  }
  if (value.name !== undefined) {
    if (typeof value.name === "string" && value.name.length <= NAME_MAX) {
      if (value.name) out.name = value.name;
    } else errors.push(["name"]);
  }
  if (value.id !== undefined) {
    if (typeof value.id === "string" && PRACTICE_ID.test(value.id)) out.id = value.id;
    else errors.push(["key"]);
  }
  if (typeof value.updated === "string" && value.updated) out.updated = value.updated;
  return { practice: out, errors };
}

/** The settings without their time stamp (export, and whether there are any). @param {Practice} p */
export function practiceFields(p) {
  /** @type {Practice} */
  const out = {};
  if (p.opening) out.opening = p.opening;
  if (p.type) out.type = p.type;
  if (p.name) out.name = p.name;
  if (p.id) out.id = p.id;
  return out;
}

/**
 * A stored value in the current format, or null when it is none this script knows.
 * Version 1 is the only one yet; a later version adds its step from 1 here.
 * @param {unknown} data
 * @returns {{version: number, tasks: Record<string, unknown>} | null}
 */
export function migrate(data) {
  if (!isObject(data) || data.version !== VERSION || !isObject(data.tasks)) return null;
  return /** @type {{version: number, tasks: Record<string, unknown>}} */ (data);
}

/**
 * A stored value (null: nothing stored) read as far as it can be.
 * @param {string | null} raw
 * @param {readonly string[]} statuses
 * @returns {{tasks: Tasks, practice: Practice, broken: boolean}}
 */
export function parseStored(raw, statuses) {
  if (raw === null) return { tasks: dict(), practice: {}, broken: false };
  let data = null;
  try {
    data = migrate(JSON.parse(raw));
  } catch (e) {
    // not JSON: broken, as below
  }
  if (!data) return { tasks: dict(), practice: {}, broken: true };
  const result = validateTasks(data.tasks, statuses);
  const settings = validatePractice(/** @type {any} */ (data).practice);
  return { tasks: result.tasks, practice: settings.practice, broken: result.errors.length + settings.errors.length > 0 };
}

/* ---------- dates ---------- */

/**
 * The entry's `updated` in ms; 0 when it has none (older values) or an absurd one.
 * @param {Entry | undefined} entry
 */
export function entryTime(entry) {
  const t = entry && entry.updated ? Date.parse(entry.updated) : 0;
  return t > 0 && t < 8e15 ? t : 0;
}

/**
 * The time to stamp a change of `entry` with: now, but always after its old time,
 * even one ahead of the clock (an imported file).
 * @param {Entry | undefined} entry
 * @param {number} now  ms
 */
export function stamp(entry, now) {
  return new Date(Math.max(now, entryTime(entry) + 1)).toISOString();
}

/* ---------- tombstones ---------- */

/** "todo" with no note: kept as {status, updated} so that change can win a merge. @param {Entry} entry */
export function isTombstone(entry) {
  return entry.status === "todo" && !entry.note;
}

/** @param {Entry} entry @returns {Entry} */
export function tidy(entry) {
  return isTombstone(entry) ? { status: "todo", updated: entry.updated } : entry;
}

/* ---------- the store ---------- */

/**
 * @typedef {object} StoreOptions
 * @property {string} key                 the localStorage key
 * @property {readonly string[]} statuses the valid status ids
 * @property {() => Storage} storage      the storage (called each time: the getter may throw)
 * @property {() => number} [now]         the clock in ms (Date.now)
 */

export class Store {
  /** @param {StoreOptions} options */
  constructor(options) {
    this.key = options.key;
    this.statuses = options.statuses;
    this.storage = options.storage;
    this.now = options.now || Date.now;
    /** @type {Tasks} */
    this.tasks = dict();
    /** @type {Practice} */
    this.practice = {};
    /** the settings were changed here and not yet written */
    this.practiceChanged = false;
    /** @type {Record<string, true>} ids changed here and not yet written */
    this.changed = Object.create(null);
    /** @type {string | null | undefined} the stored value as last read or written here */
    this.stored = undefined;
    /** false: the storage could not be read, so it is never written over */
    this.readable = true;
    /** @type {Record<Problem, boolean>} */
    this.problems = { blocked: false, full: false, corrupt: false };
  }

  /** @returns {{ok: true, raw: string | null} | {ok: false}} */
  read() {
    try {
      return { ok: true, raw: this.storage().getItem(this.key) };
    } catch (e) {
      return { ok: false };
    }
  }

  /** Read the storage (merging the changes not yet written). */
  load() {
    const result = this.read();
    if (!result.ok) {
      this.readable = false;
      this.problems.blocked = true;
      return; // keep what this visit has in memory
    }
    this.readable = true;
    if (this.takeIn(result.raw)) this.write(); // write what could be read
  }

  /**
   * Write, merging first what another tab wrote since this one last read or wrote.
   * @returns {boolean} true when another tab's value was merged in (show everything again)
   */
  save() {
    if (!this.readable) return false;
    const result = this.read();
    const incoming = result.ok && result.raw !== this.stored;
    if (result.ok && incoming) this.takeIn(result.raw);
    this.write();
    return incoming;
  }

  /** Write this tab's state as it is (replacements, and after a merge). */
  write() {
    if (!this.readable) return;
    const practice = Object.keys(this.practice).length ? { practice: this.practice } : {};
    const empty = !Object.keys(this.tasks).length && !("practice" in practice);
    const value = empty ? null : JSON.stringify({ version: VERSION, ...practice, tasks: this.tasks });
    let problem = "";
    try {
      if (value === null) this.storage().removeItem(this.key);
      else this.storage().setItem(this.key, value);
      this.stored = value;
      this.changed = Object.create(null);
      this.practiceChanged = false;
    } catch (e) {
      problem = isQuotaError(e) ? "full" : "blocked";
    }
    this.problems.blocked = problem === "blocked";
    this.problems.full = problem === "full";
  }

  /**
   * A stored value, merged, becomes the state.
   * @param {string | null} raw
   * @returns {boolean} true when it was broken and has been backed up (write the rest)
   */
  takeIn(raw) {
    const parsed = parseStored(raw, this.statuses);
    this.tasks = this.merge(parsed.tasks);
    // The settings as one entry: changed here and newer (a tie: ours) wins, else the stored ones.
    if (!this.practiceChanged || entryTime(this.practice) < entryTime(parsed.practice)) {
      this.practice = parsed.practice;
      this.practiceChanged = false;
    }
    this.stored = raw;
    if (!parsed.broken) return false;
    this.problems.corrupt = true;
    try {
      this.storage().setItem(this.key + ":broken", String(raw));
      return true;
    } catch (e) {
      return false;
    }
  }

  /**
   * A task changed here and not yet written keeps the newer entry (a tie: ours); the
   * others take the stored one (or its absence).
   * @param {Tasks} stored
   */
  merge(stored) {
    for (const id of Object.keys(this.changed)) {
      const mine = this.tasks[id];
      if (mine && entryTime(mine) >= entryTime(stored[id])) stored[id] = mine;
      else delete this.changed[id];
    }
    return stored;
  }

  /** @param {string} id */
  statusOf(id) {
    const entry = this.tasks[id];
    return entry ? entry.status : "todo";
  }

  /** The entry of `id`, stamped as changed now (written by the next save). @param {string} id */
  change(id) {
    const entry = this.tasks[id] || { status: "todo" };
    entry.updated = stamp(entry, this.now());
    this.changed[id] = true;
    return entry;
  }

  /**
   * @param {string} id
   * @param {string} status
   * @param {string} hash  the task's current content hash ("" when unknown)
   * @returns {boolean} as save()
   */
  setStatus(id, status, hash) {
    const entry = this.change(id);
    entry.status = status;
    if (hash) entry.hash = hash;
    this.tasks[id] = tidy(entry);
    return this.save();
  }

  /** A note typed: changed in memory; the caller saves (debounced). @param {string} id @param {string} text */
  setNote(id, text) {
    const entry = this.change(id);
    if (text) entry.note = text;
    else delete entry.note;
    this.tasks[id] = tidy(entry);
  }

  /** "Markér som læst": store the current hash. @param {string} id @param {string} hash */
  acknowledge(id, hash) {
    if (this.tasks[id] && hash) this.change(id).hash = hash;
    return this.save();
  }

  /**
   * Change the settings (an empty value removes a field) and save.
   * @param {Practice} fields
   * @returns {boolean} as save()
   */
  setPractice(fields) {
    /** @type {Practice} */
    const next = { ...practiceFields(this.practice), ...fields };
    const practice = practiceFields(next);
    // Stamped even when emptied, so that clearing them also wins a merge.
    practice.updated = new Date(Math.max(this.now(), entryTime(this.practice) + 1)).toISOString();
    this.practice = practice;
    this.practiceChanged = true;
    return this.save();
  }

  /**
   * Import, share link, reset: the new state is written as it is (no merge).
   * @param {Tasks} tasks
   * @param {Practice} [practice]  new settings (reset: {}); left out, they stay
   */
  replace(tasks, practice) {
    this.tasks = tasks;
    if (practice) this.practice = Object.keys(practice).length ? { ...practice, updated: new Date(this.now()).toISOString() } : {};
    this.changed = Object.create(null);
    this.write();
  }

  /** True when changes wait to be written (a note being typed). */
  pending() {
    return Object.keys(this.changed).length > 0 || this.practiceChanged;
  }
}

/** @param {any} e */
function isQuotaError(e) {
  return !!e && (e.name === "QuotaExceededError" || e.name === "NS_ERROR_DOM_QUOTA_REACHED");
}
