// @ts-check
/* Several practices in one browser (profiles), no DOM. Each profile is one practice: its
 * state (settings, statuses, notes) is a Store value of its own, and one more value, the
 * book, lists the profiles in order with their names and says which one is in use. See
 * docs/dev/checklist-contract.md ("Profiles").
 *
 * The first profile's state is the single-practice value, `drejebog:v1:<root>`: a state saved
 * by an earlier release is the first profile as it is (nothing to move, nothing lost), and a
 * tab of an earlier release that is still open goes on with the first profile. Every other
 * profile's state is `drejebog:v1:<root>#<id>` ("#" is never part of a path). Two tabs on two
 * profiles write two values, so neither can overwrite the other's ticks. */
import { bookKey, FIRST, isObject, NAME_MAX, stateKey } from "./store.js";

export { bookKey, FIRST, stateKey };
export const PROFILES_MAX = 20;
export const BOOK_VERSION = 1;
const ID_RE = /^[a-z0-9]{1,16}$/;

/** @typedef {{id: string, name: string}} Profile */
/** @typedef {{current: string, list: Profile[]}} Book */

/** The book of a browser that has never had a second profile. @returns {Book} */
export function firstBook() {
  return { current: FIRST, list: [{ id: FIRST, name: "" }] };
}

/**
 * A stored book read as far as it can be: null (none stored) is the first book; a broken one
 * is null (the caller rebuilds it from the stored states: profilesIn).
 * @param {string | null} raw
 * @returns {Book | null}
 */
export function parseBook(raw) {
  if (raw === null) return firstBook();
  let data;
  try {
    data = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isObject(data) || data.version !== BOOK_VERSION || !Array.isArray(data.list)) return null;
  /** @type {Profile[]} */
  const list = [];
  for (const item of data.list.slice(0, PROFILES_MAX)) {
    if (!isObject(item) || typeof item.id !== "string" || !ID_RE.test(item.id)) continue;
    if (list.some((p) => p.id === item.id)) continue;
    const name = typeof item.name === "string" ? item.name.slice(0, NAME_MAX) : "";
    list.push({ id: item.id, name });
  }
  if (!list.length) return null;
  const current = list.some((p) => p.id === data.current) ? data.current : list[0].id;
  return { current, list };
}

/**
 * The profiles whose states are stored (the first one always), from the storage's keys: what
 * a broken or missing book is rebuilt from, so no stored practice is ever out of reach.
 * @param {Storage} storage @param {string} root
 * @returns {Profile[]}
 */
export function profilesIn(storage, root) {
  const prefix = stateKey(root, FIRST) + "#";
  const list = [{ id: FIRST, name: "" }];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    const id = key && key.startsWith(prefix) ? key.slice(prefix.length) : "";
    if (ID_RE.test(id) && list.length < PROFILES_MAX) list.push({ id, name: "" });
  }
  return list;
}

/** A new profile id: 8 random letters and digits, not one of `taken`. @param {Profile[]} taken */
export function newProfileId(taken, random = Math.random) {
  for (;;) {
    let id = "";
    while (id.length < 8) id += "abcdefghijklmnopqrstuvwxyz0123456789"[Math.floor(random() * 36)];
    if (id !== FIRST && !taken.some((p) => p.id === id)) return id;
  }
}

/**
 * "Lægehuset Nord", or "Praksis 2" for an unnamed one (its place in the list).
 * @param {Book} book @param {string} id
 */
export function profileName(book, id) {
  const index = book.list.findIndex((p) => p.id === id);
  const profile = book.list[index];
  return (profile && profile.name) || "Praksis " + (index + 1);
}

/**
 * The book in the storage: every change reads the stored book first and applies itself to it
 * (another tab may have changed it), then writes it. A write that fails (a full or blocked
 * storage) changes nothing, here or stored, and returns false.
 */
export class Profiles {
  /** @param {string} root  the site's path @param {() => Storage} storage */
  constructor(root, storage = () => window.localStorage) {
    this.root = root;
    this.storage = storage;
    this.key = bookKey(root);
    /** @type {Book} */
    this.book = firstBook();
    /** @type {string | null | undefined} the stored book as last read or written here */
    this.stored = undefined;
    /** "full" | "blocked" | "": why the last write failed */
    this.problem = "";
  }

  /** The stored book (rebuilt from the stored states when it is broken). */
  read() {
    let raw = null;
    try {
      raw = this.storage().getItem(this.key);
    } catch {
      return this.book; // blocked: what this visit has
    }
    this.stored = raw;
    let book = parseBook(raw);
    if (!book) {
      try {
        book = { current: FIRST, list: profilesIn(this.storage(), this.root) };
      } catch {
        book = firstBook();
      }
    }
    return book;
  }

  load() {
    this.book = this.read();
    return this.book;
  }

  get current() {
    return this.book.current;
  }

  /** @param {string} id */
  stateKey(id) {
    return stateKey(this.root, id);
  }

  /** @param {string} id */
  name(id) {
    return profileName(this.book, id);
  }

  /**
   * "Lægehuset Nord: " (the practice in use) at the start of every progress sentence while
   * there are several, so that nobody ticks the wrong one; "" while there is one.
   * @param {any} app
   */
  label(app) {
    return this.book.list.length < 2 ? "" : (app.store.practice.name || this.name(app.profileId)) + ": ";
  }

  /**
   * Apply `change` to the stored book and write it; false (and nothing changed) when it
   * cannot be written.
   * @param {(book: Book) => Book | null} change  null: nothing to change
   */
  update(change) {
    const stored = this.read();
    const book = change(stored);
    if (!book) {
      this.book = stored;
      return true;
    }
    const value = JSON.stringify({ version: BOOK_VERSION, current: book.current, list: book.list });
    try {
      this.storage().setItem(this.key, value);
    } catch (e) {
      this.problem = e && /** @type {any} */ (e).name === "QuotaExceededError" ? "full" : "blocked";
      return false;
    }
    this.problem = "";
    this.stored = value;
    this.book = book;
    return true;
  }

  /** Add a practice and use it; its id, or "" when it could not be stored (or there are 20). @param {string} name */
  create(name) {
    let id = "";
    const ok = this.update((book) => {
      if (book.list.length >= PROFILES_MAX) return null;
      id = newProfileId(book.list);
      return { current: id, list: [...book.list, { id, name: name.slice(0, NAME_MAX) }] };
    });
    return ok && id ? id : "";
  }

  /** @param {string} id */
  select(id) {
    return this.update((book) => (book.list.some((p) => p.id === id) ? { current: id, list: book.list } : null));
  }

  /** The name kept in the book (the profile's own state has it too: Practice.name). @param {string} id @param {string} name */
  rename(id, name) {
    const clean = name.slice(0, NAME_MAX);
    return this.update((book) => {
      const profile = book.list.find((p) => p.id === id);
      if (!profile || profile.name === clean) return null;
      return { current: book.current, list: book.list.map((p) => (p.id === id ? { id, name: clean } : p)) };
    });
  }

  /**
   * Delete a practice with its state. Deleting the last one leaves an empty first profile.
   * The one in use afterwards: the same, or the first of the rest when it was this one.
   * @param {string} id
   */
  remove(id) {
    let found = false;
    const ok = this.update((book) => {
      const list = book.list.filter((p) => p.id !== id);
      if (list.length === book.list.length) return null;
      found = true;
      if (!list.length) list.push({ id: FIRST, name: "" });
      return { current: book.current === id ? list[0].id : book.current, list };
    });
    if (ok && found) {
      try {
        this.storage().removeItem(this.stateKey(id));
        this.storage().removeItem(this.stateKey(id) + ":broken");
      } catch {
        // the book no longer names it; a later create never reuses its id
      }
    }
    return ok;
  }
}

/**
 * Put practice `id` in use on the page: what waits to be written (a note being typed) goes
 * to the practice it belongs to first; then its state is read and everything on the page
 * shows it, fields being typed in included (`app.switching`, read by task.js and
 * practice.js).
 * @param {any} app  the checklist (init.js) @param {string} id
 */
export function openProfile(app, id) {
  const start = performance.now();
  // Not into a practice deleted meanwhile (in another tab): its state stays gone.
  if (app.store && (!app.profiles || app.profiles.book.list.some((/** @type {Profile} */ p) => p.id === app.profileId))) {
    app.flush();
  }
  app.startStore(id);
  app.switching = true;
  try {
    app.applyAll();
  } finally {
    app.switching = false;
  }
  performance.measure("drb:switch", { start, end: performance.now() });
}

/**
 * Add a practice and put it in use, with the state of an import or a share link when given
 * (a calendar key from a file is another practice's: this one makes its own). Its id; ""
 * when there are PROFILES_MAX already or it could not be stored (then the page's storage
 * warning shows), and nothing has changed.
 * @param {any} app @param {import("./store.js").Tasks} [tasks] @param {import("./store.js").Practice} [practice]
 */
export function addPractice(app, tasks, practice) {
  const profiles = (app.profiles ||= new Profiles(app.root.pathname));
  profiles.load();
  if (profiles.book.list.length >= PROFILES_MAX) return "";
  app.flush();
  const id = profiles.create((practice && practice.name) || "");
  if (!id) {
    app.store.problems[profiles.problem === "full" ? "full" : "blocked"] = true;
    app.renderWarnings();
    return "";
  }
  openProfile(app, id);
  if (tasks) {
    const fields = { ...practice };
    delete fields.id;
    app.replace(tasks, practice && fields);
  }
  return id;
}
