/* The checklist's entry point (docs/dev/checklist-contract.md). Components are found by
 * `data-drb-module` and made once per element; ONE listener per event type at the document
 * hands each event to the component of its element's `data-drb-action`. sync() runs for
 * every page (document$) and again on pageshow. Task, panel and dialog code load on need.
 */
import { bookKey, FIRST, SHARE_PREFIX, stateKey, Store } from "./store.js";
import { Progress, indexManifest, loadPlan, markNav } from "./progress.js";

const NOTE_DELAY = 250;

export class App {
  /** @param {URL} root  the site's root (this file is <root>/assets/checklist/init.js) */
  constructor(root) {
    this.root = root;
    this.config = { statuses: [], labels: {} }; // from #drb--config
    this.store = null; // the state of the practice in use: made on the first page with the checklist
    this.profiles = null; // the book of practices (profiles.js): once a browser has one
    this.profileId = ""; // the practice in use
    this.manifest = null;
    this.tasks = new Map(); // id -> Task on this page
    this.progress = [];
    this.others = []; // the page's other components (panel, practice): render() on a change
    this.components = new WeakMap(); // root element -> component
    this.article = document.body;
    this.parts = null; // #drb--config, with the <template>s
    this.noteTimer = 0;
    this.warnings = {}; // kind ("blocked", "full", "corrupt") -> its box while shown (warnings.js)
  }

  /** A copy of the page's `<template data-drb-template="NAME">` content. */
  template(name) {
    const parts = this.parts;
    const template = parts.querySelector(`template[data-drb-template="${name}"]`);
    return document.importNode(template.content, true);
  }

  /** The current hash of a task: from this page, else from the manifest ("" when unknown). */
  hashOf(id) {
    return (this.tasks.get(id) || this.manifest?.byId[id])?.hash || "";
  }

  /** After a write: everything again when another tab's value was merged in, else the warnings. */
  afterWrite(incoming) {
    if (incoming) this.applyAll();
    else this.renderWarnings();
  }

  applyAll() {
    for (const task of this.tasks.values()) task.render();
    this.renderProgress();
    for (const other of this.others) if (other.render) other.render();
    this.renderWarnings();
  }

  renderProgress() {
    for (const progress of this.progress) progress.render();
    markNav(this);
  }

  /** The storage warnings (warnings.js), loaded only when one is due or shown. */
  renderWarnings() {
    if ([...Object.values(this.store.problems), ...Object.values(this.warnings)].some(Boolean)) {
      import("./warnings.js").then((module) => module.render(this)).catch(warn);
    }
  }

  /** The first progress box's sentence, for the live region. */
  sentence() {
    return this.progress.map((p) => p.sentence()).find(Boolean) || "";
  }

  /** Say `text` through the one polite live region (outside the content: it survives instant navigation). */
  announce(text) {
    let live = document.getElementById("drb--live");
    if (!live) {
      live = document.createElement("div");
      live.id = "drb--live";
      live.className = "drb-vh";
      live.setAttribute("aria-live", "polite");
      document.body.append(live);
    }
    // A repeated text is not read again unless it changes.
    live.textContent = live.textContent === text ? text + "\u00a0" : text;
  }

  /** A result for the panel's status line (or the live region on other pages). */
  message(text) {
    const box = document.querySelector('[data-drb-module="panel"] .drb-message');
    if (box) box.textContent = text;
    else this.announce(text);
  }

  /** Write typed notes after a pause. */
  flushLater() {
    clearTimeout(this.noteTimer);
    this.noteTimer = window.setTimeout(guard(() => this.flush()), NOTE_DELAY);
  }

  /** Write what waits to be written (notes being typed). */
  flush() {
    clearTimeout(this.noteTimer);
    if (this.store && this.store.pending()) this.afterWrite(this.store.save());
  }

  /** The store of practice `id` (its state read); profiles.js openProfile shows it. @param {string} id */
  startStore(id) {
    this.store = new Store({
      key: stateKey(this.root.pathname, id),
      statuses: this.config.statuses.map((s) => s.id),
      storage: () => window.localStorage,
    });
    this.store.load();
    this.profileId = id;
  }

  /**
   * The practice in use, from the book; the first without one. profiles.js is loaded only
   * once a book is stored (a browser that has had a second practice).
   * @returns {Promise<string>}
   */
  async currentProfile() {
    if (!this.profiles) {
      try {
        if (localStorage.getItem(bookKey(this.root.pathname)) === null) return FIRST;
      } catch {
        return FIRST; // blocked: the store says so
      }
      const { Profiles } = await import("./profiles.js");
      this.profiles ||= new Profiles(this.root.pathname);
    }
    return this.profiles.load().current;
  }

  /** Import, share link, reset: the new state replaces the old one (and the settings, if given). */
  replace(tasks, practice) {
    clearTimeout(this.noteTimer);
    this.store.replace(tasks, practice);
    this.applyAll();
  }
}

function warn(error) {
  console.warn("drejebog checklist:", error);
}

/** An entry point: an error (also of a promise it returns) is reported, never thrown further. */
export function guard(fn) {
  return (...args) => {
    try {
      const result = fn(...args);
      if (result instanceof Promise) result.catch(warn);
    } catch (e) {
      warn(e);
    }
  };
}

const app = new App(new URL("../../", import.meta.url));

/**
 * The site's manifest (every group and task), one file for all pages
 * (assets/manifest.json): fetched once per version (the page's `data-version`, a hash of its
 * content, so that a new build is never read from an old copy), and kept for the next
 * pages. A failed fetch is tried again on the next page.
 * @type {Map<string, Promise<import("./progress.js").Manifest>>}
 */
const manifests = new Map();

/** @param {HTMLElement} el  #drb--manifest */
function manifestOf(el) {
  const url = new URL("assets/manifest.json?v=" + el.dataset.version, app.root).href;
  let found = manifests.get(url);
  if (!found) {
    found = fetch(url).then((r) => (r.ok ? r.json() : Promise.reject(r.status))).then(indexManifest);
    manifests.set(url, found);
    found.catch(() => manifests.delete(url));
  }
  return found;
}

/**
 * Read the page's config and manifest element; false on a page without the checklist.
 * The first such page starts the store (the statuses are in the config).
 */
async function readPage() {
  const parts = document.getElementById("drb--config");
  const manifest = document.getElementById("drb--manifest");
  if (!parts || !manifest) return false;
  app.parts = parts;
  if (!app.store) {
    const statuses = JSON.parse(parts.dataset.config).statuses;
    app.config = { statuses, labels: Object.fromEntries(statuses.map((s) => [s.id, s.label])) };
    app.startStore(await app.currentProfile());
  }
  app.article = parts.closest("article") || document.body;
  return manifest;
}


/** task.js (Task, HideDone): imported on the first page with a task (the home page has none). */
let tasksModule = null;

/**
 * Make the components of the page's `[data-drb-module]` elements (tasks first: the
 * progress links to them), or show the state again in those made before.
 * Returns how many were made.
 */
function createAll(found) {
  const tasks = new Map();
  const progress = [];
  const lazy = [];
  let made = 0;
  const make = (el, Component) => {
    let component = app.components.get(el);
    if (component) component.render();
    else {
      component = new Component(el, app);
      app.components.set(el, component);
      made++;
    }
    return component;
  };
  for (const el of found) {
    const name = el.getAttribute("data-drb-module");
    if (name === "task") {
      const task = make(el, tasksModule.Task);
      tasks.set(task.id, task);
    } else if (name === "panel" || name === "practice" || name === "overview" || name === "groups") lazy.push(el);
  }
  app.tasks = tasks;
  for (const el of found) {
    const name = el.getAttribute("data-drb-module");
    if (name === "progress") progress.push(make(el, Progress));
    else if (name === "hide" && tasksModule) make(el, tasksModule.HideDone);
  }
  app.progress = progress;
  // The panel's, the settings', the overview's and the home page's table's code (and the
  // dialogs') is loaded only on a page that has them.
  app.others = [];
  for (const el of lazy) {
    const known = app.components.get(el);
    if (known) {
      if (known.render) known.render();
      app.others.push(known);
      continue;
    }
    const name = el.getAttribute("data-drb-module");
    const load = name === "panel" ? import("./panel.js").then((m) => m.Panel)
      : name === "overview" ? import("./overview.js").then((m) => m.Overview)
      : name === "groups" ? import("./groups.js").then((m) => m.Groups)
      : import("./practice.js").then((m) => m.Practice);
    load.then((Component) => {
      if (app.components.has(el)) return;
      const component = new Component(el, app);
      app.components.set(el, component);
      app.others.push(component);
    }).catch(warn);
  }
  return made;
}

/**
 * The page's components' roots: the elements with a data-drb-module also have the class
 * drb-module, found by class (an attribute query of a 1,000-task page costs about 2 ms more).
 */
const roots = () => [...app.article.getElementsByClassName("drb-module")];

/*
 * Material's instant navigation saves the scroll offset into the current history entry 100 ms
 * after each scroll. On a slow response that lands on the new entry (pushed at the click), and
 * Material then restores the old page's offset instead of going to the link's #fragment: the
 * task linked from the contacts page or the overview was nowhere in sight. The link clicked
 * last is remembered here; sync() goes to its fragment when it is the page's address.
 */
let followed = "";
// A page opened with an offset of 0 saved forgets it: Zensical's instant navigation saves the
// first offset while the page's scripts still load, before the browser goes to the address's
// #fragment, and then restores it, leaving a linked task out of sight. Without it, the theme
// goes to the fragment. (A reload keeps an offset the reader had scrolled to.)
if (!history.state?.y) history.replaceState(null, "");
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element && event.target.closest("a[href]");
  followed = link && link.pathname !== location.pathname ? link.href : "";
}, true);

/** The element the address's #fragment names; null for none, a share link or a bad escape. */
function fragment() {
  try {
    return location.hash.startsWith(SHARE_PREFIX) ? null : document.getElementById(decodeURIComponent(location.hash.slice(1)));
  } catch {
    return null;
  }
}

// drb:apply covers everything from the start of enhancing a page to its saved state being
// shown (made tasks, progress, warnings); drb:enhance, inside it, ends with the components.
async function sync() {
  app.flush();
  const target = fragment();
  if (target && followed === location.href) target.scrollIntoView();
  followed = "";
  const html = document.documentElement;
  const manifest = await readPage();
  // Without the manifest the checklist cannot count or plan: the page stays as it is without
  // JavaScript (complete and readable; the room kept for its rows goes too), and the next
  // page tries again.
  app.manifest = manifest && (await manifestOf(manifest).catch(warn));
  if (!app.manifest) {
    html.classList.remove("drb-js");
    if (manifest) html.classList.remove("drb-mjs");
    app.tasks = new Map();
    app.progress = [];
    return;
  }
  html.classList.add("drb-mjs");
  if (!tasksModule && app.article.getElementsByClassName("drb-task").length) tasksModule = await import("./task.js");
  const planning = loadPlan(app.manifest, app.store.practice);
  if (planning) await planning.catch(warn);
  const start = performance.now();
  // A linked task on screen, which the status rows would push down.
  const box = target && target.getBoundingClientRect();
  const anchor = box && box.bottom > 0 && box.top < window.innerHeight ? target : null;
  const before = anchor && box.top;
  const found = roots();
  // The status rows in the page are shown (drejebog.css) only once this page is enhanced.
  // Not hidden again when it is (pageshow): the page would shrink and lose its scroll.
  if ([...found].some((el) => !app.components.has(el))) html.classList.remove("drb-js");
  const made = createAll(found);
  html.classList.add("drb-js");
  // The status rows shown above a linked task push it down; keep it where the reader
  // (or the browser, scrolling to the link) had it.
  if (anchor && made) window.scrollBy(0, anchor.getBoundingClientRect().top - before);
  if (made) performance.measure("drb:enhance", { start, end: performance.now() });
  app.renderWarnings();
  if (made) performance.measure("drb:apply", { start, end: performance.now() });
  // The navigation's states (outside the page's content) in the next frame: on a page of a
  // thousand tasks its table of contents has two thousand links.
  requestAnimationFrame(guard(() => markNav(app)));
  if (!document.getElementById("drb--live")) app.announce("");
  checkShareFragment();
}

/** A share link opened (or pasted into this page's address): ask, in a dialog. */
function checkShareFragment() {
  if (!app.store || !location.hash.startsWith(SHARE_PREFIX)) return;
  import("./dialog.js").then(({ confirmShareLink }) => confirmShareLink(app)).catch(warn);
}

/** The one listener per event type: to the component of the element's data-drb-action. */
function dispatch(event) {
  const target = event.target;
  const el = target instanceof Element ? target.closest("[data-drb-action]") : null;
  const owner = el && el.closest("[data-drb-module]");
  const component = owner && app.components.get(owner);
  if (el && component && component.act) component.act(event.type, (el.getAttribute("data-drb-action")), el, event);
}

for (const type of ["change", "input", "click"]) document.addEventListener(type, guard(dispatch));
// Another tab changed this practice's state, or the practices (a switch, a rename, a delete):
// this one follows.
window.addEventListener("storage", guard(async (event) => {
  if (!app.store) return;
  if (event.key === null || event.key === bookKey(app.root.pathname)) {
    if (await follow()) return;
  } else if (event.key !== app.store.key) return;
  app.store.load();
  app.applyAll();
}));

/** The practice put in use in another tab is put in use here too (true when it changed). */
async function follow() {
  const current = await app.currentProfile();
  if (current === app.profileId) return false;
  (await import("./profiles.js")).openProfile(app, current);
  return true;
}
// Every pageshow reads the storage again: after the back/forward cache, or over form state
// the browser put back (autocomplete="off" prevents that too).
window.addEventListener("pageshow", guard(async () => {
  if (app.store && !(await follow())) app.store.load();
  await sync();
}));
window.addEventListener("hashchange", guard(checkShareFragment));
// Notes are printed (drejebog.css), so their fields must exist.
window.addEventListener("beforeprint", guard(() => {
  for (const task of app.tasks.values()) if (app.store.tasks[task.id]?.note) task.fillWork();
}));
window.addEventListener("pagehide", guard(() => app.flush()));
document.addEventListener("visibilitychange", guard(() => app.flush()));

// The header's menu and search buttons: header.js, loaded on the first click of one (it then
// follows the drawer and search itself).
document.addEventListener("click", guard((event) => {
  if (event.target instanceof Element && event.target.closest("[data-drb-toggle]")) {
    import("./header.js").then((module) => module.click(event)).catch(warn);
  }
}));

const documents = window.document$;
// A module runs before DOMContentLoaded, after Material's bundle (which defines document$).
if (documents && typeof documents.subscribe === "function") {
  documents.subscribe(guard(sync));
  // After instant navigation (every page but the first), focus to the new page (header.js).
  let arrivals = 0;
  documents.subscribe(() => arrivals++ && import("./header.js").then((module) => module.arrived()).catch(warn));
} else document.addEventListener("DOMContentLoaded", guard(sync));
