/* Checklist: progressive enhancement of the generated task pages.
 *
 * The contract with the pages and the tests is docs/dev/checklist-contract.md.
 * Material's instant navigation runs this file once per visit: listeners are
 * registered once (delegated, at the document) and sync() re-applies the state
 * to every new page (document$), on pageshow and when another tab changes the
 * storage (storage event).
 * All mutable state is in `state`; localStorage is only reached through
 * `storage`, which never throws; writes merge (save()). Every element id starts
 * with "drb--", which no content id has. Every entry point is wrapped by guard().
 */
(function () {
  "use strict";

  var STATUSES = ["todo", "doing", "done", "na"];
  var LABELS = { todo: "Ikke startet", doing: "I gang", done: "Færdig", na: "Ikke relevant" };
  var SHARE_CODES = { done: "d", doing: "g", na: "n" };
  var SHARE_PREFIX = "#fremgang=";
  var ID_RE = /^[a-z][a-z0-9-]*$/;
  var NOTE_MAX = 5000;
  var NOTE_DELAY = 250;
  var LIST_MAX = 8;

  var WARNINGS = {
    blocked: "<strong>Din fremgang kan ikke gemmes i denne browser</strong>, fordi browseren ikke " +
      "tillader siden at gemme data. Det, du markerer nu, gælder kun, indtil du lukker eller " +
      "genindlæser siden. Brug <strong>Eksportér</strong> på forsiden for at gemme det i en fil.",
    full: "<strong>Din fremgang kan ikke gemmes</strong>, fordi browserens lager er fuldt. Det, du " +
      "markerer nu, gælder kun, indtil du lukker siden. Brug <strong>Eksportér</strong> på forsiden " +
      "for at gemme det i en fil.",
    corrupt: "<strong>Din gemte fremgang kunne ikke læses helt.</strong> Det, der kunne læses, er " +
      "bevaret. Tjek dine flueben, og importér en eksporteret fil, hvis du har en."
  };

  var root = siteRoot();
  var KEY = "drejebog:v1:" + root.pathname;

  // The one place for mutable state.
  var state = {
    tasks: dict(),      // id -> {status, hash?, note?, updated?}
    changed: dict(),    // id -> true: changed here, not yet written (merge())
    stored: null,       // the stored value as last read or written here
    readable: true,     // false: storage could not be read, so never write over it
    problems: {},       // "blocked" | "full" | "corrupt" -> true
    noteTimer: 0,
    manifest: null,     // last manifest read from a page (the same on every page)
    page: null,         // the current page's elements, see readPage()
    dialog: null        // the open dialog: {element, kind, onConfirm, onCancel}
  };

  /* ---------- storage: one small interface that never throws ---------- */

  var storage = {
    read: function () {
      try {
        return { ok: true, raw: window.localStorage.getItem(KEY) };
      } catch (e) {
        return { ok: false };
      }
    },
    write: function (value) { // null removes; returns "" or the problem's kind
      try {
        if (value === null) window.localStorage.removeItem(KEY);
        else window.localStorage.setItem(KEY, value);
        return "";
      } catch (e) {
        return isQuotaError(e) ? "full" : "blocked";
      }
    },
    backup: function (raw) {
      try {
        window.localStorage.setItem(KEY + ":broken", raw);
        return true;
      } catch (e) {
        return false;
      }
    }
  };

  function isQuotaError(e) {
    return !!e && (e.name === "QuotaExceededError" || e.name === "NS_ERROR_DOM_QUOTA_REACHED" ||
      e.code === 22 || e.code === 1014);
  }

  function load() {
    var result = storage.read();
    if (!result.ok) {
      state.readable = false;
      state.problems.blocked = true;
      return; // keep what this visit has in memory
    }
    state.readable = true;
    if (takeIn(result.raw)) save(); // write what could be read
  }

  // Write, merging first what another tab wrote since this one last read or wrote.
  function save() {
    if (!state.readable) return;
    var result = storage.read();
    var incoming = result.ok && result.raw !== state.stored;
    if (incoming) takeIn(result.raw);
    write();
    if (incoming) applyState();
  }

  function write() {
    if (!state.readable) return;
    var value = Object.keys(state.tasks).length ? JSON.stringify({ version: 1, tasks: state.tasks }) : null;
    var problem = storage.write(value);
    if (!problem) {
      state.stored = value;
      state.changed = dict();
    }
    state.problems.blocked = problem === "blocked";
    state.problems.full = problem === "full";
    renderWarnings();
  }

  // A stored value, merged, becomes the state. True when broken and backed up.
  function takeIn(raw) {
    var parsed = parseStored(raw);
    state.tasks = merge(parsed.tasks);
    state.stored = raw;
    if (!parsed.broken) return false;
    state.problems.corrupt = true;
    return storage.backup(raw);
  }

  // A task changed here and not yet written keeps the newer entry (a tie: ours); the others
  // take the stored one.
  function merge(stored) {
    Object.keys(state.changed).forEach(function (id) {
      var mine = state.tasks[id];
      if (mine && time(mine) >= time(stored[id])) stored[id] = mine;
      else delete state.changed[id];
    });
    return stored;
  }

  function time(entry) {
    var t = entry ? Date.parse(entry.updated) : 0;
    return t > 0 && t < 8e15 ? t : 0; // 0: none (older values) or absurd
  }

  function parseStored(raw) {
    if (raw === null || raw === undefined) return { tasks: dict(), broken: false };
    var data;
    try {
      data = JSON.parse(raw);
    } catch (e) {
      return { tasks: dict(), broken: true };
    }
    if (!isObject(data) || data.version !== 1 || !isObject(data.tasks)) {
      return { tasks: dict(), broken: true };
    }
    var tasks = dict();
    var broken = false;
    Object.keys(data.tasks).forEach(function (id) {
      var entry = cleanEntry(id, data.tasks[id]);
      if (entry) tasks[id] = entry;
      else broken = true;
    });
    return { tasks: tasks, broken: broken };
  }

  // A valid entry, copied without unknown fields, or null.
  function cleanEntry(id, value) {
    if (!ID_RE.test(id) || !isObject(value) || STATUSES.indexOf(value.status) < 0) return null;
    if (value.note !== undefined && (typeof value.note !== "string" || value.note.length > NOTE_MAX)) return null;
    var entry = { status: value.status };
    if (typeof value.hash === "string" && value.hash) entry.hash = value.hash;
    if (value.note) entry.note = value.note;
    if (typeof value.updated === "string" && value.updated) entry.updated = value.updated;
    return entry;
  }

  /* ---------- state changes ---------- */

  function statusOf(id) {
    var entry = state.tasks[id];
    return entry ? entry.status : "todo";
  }

  // Stamped after its old time, even one ahead of the clock (an imported file).
  function change(id) {
    var entry = state.tasks[id] || (state.tasks[id] = { status: "todo" });
    entry.updated = new Date(Math.max(Date.now(), time(entry) + 1)).toISOString();
    state.changed[id] = true;
    return entry;
  }

  // "todo" with no note is kept as a tombstone {status, updated}, so it can win a merge.
  function isTombstone(entry) {
    return entry.status === "todo" && !entry.note;
  }

  function tidy(entry) {
    return isTombstone(entry) ? { status: "todo", updated: entry.updated } : entry;
  }

  function withoutTombstones(tasks) {
    var out = dict();
    Object.keys(tasks).forEach(function (id) {
      if (!isTombstone(tasks[id])) out[id] = tasks[id];
    });
    return out;
  }

  function setStatus(id, status) {
    if (!id || STATUSES.indexOf(status) < 0) return;
    var start = now();
    var entry = change(id);
    entry.status = status;
    var hash = currentHash(id);
    if (hash) entry.hash = hash;
    state.tasks[id] = tidy(entry);
    save();
    var view = state.page && state.page.views[id];
    if (view) renderTask(view);
    renderProgress();
    measure("drb:update", start);
    announce((view ? view.title + ": " : "") + LABELS[status] + ". " + progressSentence());
  }

  function noteInput(id, text) {
    var entry = change(id);
    if (text) entry.note = text;
    else delete entry.note;
    state.tasks[id] = tidy(entry);
    clearTimeout(state.noteTimer);
    state.noteTimer = setTimeout(guard(flushChanges), NOTE_DELAY);
    var view = state.page && state.page.views[id];
    if (view) renderNoteFlag(view, !!text);
  }

  function flushChanges() {
    clearTimeout(state.noteTimer);
    if (Object.keys(state.changed).length) save();
  }

  function acknowledge(id) {
    var hash = currentHash(id);
    if (state.tasks[id] && hash) change(id).hash = hash;
    save();
    var view = state.page && state.page.views[id];
    if (view) {
      renderTask(view);
      view.check.focus();
    }
  }

  // Import, share link, reset: no merge.
  function replaceTasks(tasks) {
    clearTimeout(state.noteTimer);
    state.tasks = tasks;
    state.changed = dict();
    write();
    applyState();
  }

  function currentHash(id) {
    var view = state.page && state.page.views[id];
    if (view && view.hash) return view.hash;
    var task = state.manifest && state.manifest.byId[id];
    return task ? task.hash : "";
  }

  /* ---------- the page ---------- */

  // Read the page once per sync: the manifest, the task sections and the slots.
  function readPage() {
    var article = document.querySelector("article.md-content__inner") ||
      document.querySelector(".md-content") || document.querySelector("main") || document.body;
    var manifest = readManifest(article);
    var page = { article: article, manifest: manifest, views: dict(), ids: [], progress: [], inline: [], panel: null };
    // The tasks in one pass, by class (cheaper than selectors over a long page), copied
    // to an array first: the live list would be walked again after each change to the page.
    var sections = Array.prototype.slice.call(article.getElementsByClassName("drb-task"));
    for (var i = 0; i < sections.length; i++) {
      var view = sections[i].getAttribute("data-task-kind") === "task" && enhanceTask(sections[i]);
      if (view) {
        page.views[view.id] = view;
        page.ids.push(view.id);
      }
    }
    var found = article.querySelectorAll(".drb-progress, .drb-group-progress, .drb-panel");
    for (var j = 0; j < found.length; j++) {
      var el = found[j];
      var kind = el.getAttribute("data-drb-progress");
      if (kind === "group" || kind === "overall") page.progress.push(el);
      else if (kind === "group-inline") page.inline.push(el);
      else if (el.hasAttribute("data-drb-panel")) page.panel = page.panel || el;
    }
    return page;
  }

  // The manifest is a data attribute (docs/dev/checklist-contract.md), the same on every page.
  function readManifest(article) {
    var el = document.getElementById("drb--manifest");
    if (el) {
      try {
        state.manifest = indexManifest(JSON.parse(el.getAttribute("data-manifest")));
      } catch (e) {
        // keep the manifest read on an earlier page
      }
    }
    return el || article.querySelector("section.drb-task") ? state.manifest : null;
  }

  function indexManifest(data) {
    if (!isObject(data) || !Array.isArray(data.groups)) throw new Error("manifest");
    var byId = dict();
    var order = [];
    data.groups.forEach(function (group) {
      group.tasks.forEach(function (task) {
        var item = { id: task.id, title: task.title, hash: task.hash, kind: task.kind, group: group };
        byId[task.id] = item;
        if (task.kind === "task") order.push(item);
      });
    });
    return { groups: data.groups, byId: byId, order: order };
  }

  // The prepared parts every task is cloned from: made once per visit and owned by this
  // document, so a task costs a few cloneNode calls (no parsing, no adoption).
  var parts = null;

  function prepared() {
    if (!parts) {
      var template = document.createElement("template");
      template.innerHTML =
        '<label class="drb-title"><input type="checkbox" class="drb-check" autocomplete="off"></label>' +
        '<div class="drb-state"><strong class="drb-status"></strong>' +
        '<button type="button" class="drb-work-toggle" aria-expanded="false">Status og noter' +
        '<span class="drb-vh"></span></button></div>' +
        '<div class="drb-work">' +
        '<div class="drb-field drb-field--status"><label class="drb-label">Status<span class="drb-vh"></span></label>' +
        '<select class="drb-status-select" autocomplete="off">' +
        STATUSES.map(function (s) { return '<option value="' + s + '">' + LABELS[s] + "</option>"; }).join("") +
        "</select></div>" +
        '<div class="drb-field drb-field--note"><label class="drb-label">Noter<span class="drb-vh"></span></label>' +
        '<p class="drb-hint">Skriv ikke patientoplysninger her.</p>' +
        '<textarea class="drb-note" rows="2" autocomplete="off" maxlength="' + NOTE_MAX + '"></textarea></div>' +
        "</div>";
      var c = document.importNode(template.content, true).children;
      parts = { label: c[0].cloneNode(false), work: c[2], checks: {}, rows: {} };
      // Ready-made for each state (cloneNode copies a checkbox's checkedness too).
      [false, true].forEach(function (done) {
        var check = parts.checks[done] = c[0].firstChild.cloneNode(false);
        check.checked = done;
      });
      STATUSES.forEach(function (status) {
        var row = parts.rows[status] = c[1].cloneNode(true);
        row.firstChild.textContent = LABELS[status];
        row.firstChild.setAttribute("data-status", status);
      });
    }
    return parts;
  }

  // Add the checkbox and its label (the title) to the heading (one insertion per task,
  // put together and given its state first) and give the status row under it, which the
  // page already has (docs/dev/checklist-contract.md), its state. The select and the
  // note are made on first open: fillWork().
  function enhanceTask(section) {
    var id = section.getAttribute("data-task-id");
    var heading = section.firstElementChild;
    if (!ID_RE.test(id) || !heading || heading.tagName !== "H2") return null;
    var view = {
      id: id,
      section: section,
      hash: section.getAttribute("data-task-hash") || "",
      work: null, // the select and the note, made on first open
      select: null,
      note: null,
      notice: null,
      flag: null
    };
    var label = heading.firstChild;
    var isLabel = label && label.className === "drb-title";
    if (isLabel && label.firstChild && label.firstChild.className === "drb-check") { // enhanced before (back/forward cache)
      view.check = label.firstChild;
      view.title = label.textContent.trim();
      view.tag = section.querySelector(".drb-status");
      view.toggle = view.tag.nextSibling;
      view.flag = view.toggle.querySelector(".drb-note-flag");
      view.work = section.querySelector(".drb-work");
      view.select = section.querySelector(".drb-status-select");
      view.note = section.querySelector(".drb-note");
      view.notice = section.querySelector(".drb-changed");
      renderTask(view);
      return view;
    }
    var p = prepared();
    var status = statusOf(id);
    view.status = status;
    section.setAttribute("data-status", status);
    var check = view.check = p.checks[status === "done"].cloneNode(false);
    check.id = "drb--check-" + id;
    check.setAttribute("aria-describedby", "drb--status-" + id);
    if (isLabel) {
      // The usual title: the page has its label; the checkbox goes in first (one change).
      view.title = label.textContent.trim();
      label.insertBefore(check, label.firstChild);
    } else {
      enhanceHeading(view, heading, p.label.cloneNode(false), check);
    }
    var row = heading.nextElementSibling;
    if (row && row.className === "drb-state") {
      // The usual case: the page has the row (hidden until <html> has drb-js), made for "todo".
      view.tag = row.firstElementChild;
      view.toggle = row.lastElementChild;
      if (status !== "todo") {
        view.tag.firstChild.data = LABELS[status]; // cheaper than replacing the text node
        view.tag.setAttribute("data-status", status);
      }
    } else { // a page without it (made by an older build): make it
      row = p.rows[status].cloneNode(true);
      view.tag = row.firstChild;
      view.tag.id = "drb--status-" + id;
      view.toggle = row.lastChild;
      view.toggle.lastChild.textContent = " til " + view.title;
      section.insertBefore(row, heading.nextSibling);
    }
    var entry = state.tasks[id];
    if (entry && (entry.note || (entry.hash && entry.hash !== view.hash))) renderTask(view); // note flag, notice
    return view;
  }

  // A heading without the label (a page made by an older build): the title and any
  // inline markup go into a new label, after the checkbox; the headerlink stays last.
  function enhanceHeading(view, heading, label, check) {
    label.appendChild(check);
    var node = heading.firstChild;
    while (node) {
      var next = node.nextSibling;
      if (node.className !== "headerlink") label.appendChild(node);
      node = next;
    }
    heading.insertBefore(label, heading.firstChild);
    view.title = label.textContent.trim();
  }

  // Make the status select and the note field of one task, closed (on first open, or
  // to print its note). They come right after the row with the button.
  function fillWork(view) {
    if (!view || view.select) return;
    var id = view.id;
    var work = view.work = prepared().work.cloneNode(true);
    work.id = "drb--work-body-" + id;
    work.hidden = true;
    var statusField = work.firstChild;
    var noteField = work.lastChild;
    statusField.firstChild.htmlFor = "drb--select-" + id;
    statusField.firstChild.lastChild.textContent = " for " + view.title;
    view.select = statusField.lastChild;
    view.select.id = "drb--select-" + id;
    noteField.firstChild.htmlFor = "drb--note-" + id;
    noteField.firstChild.lastChild.textContent = " til " + view.title;
    noteField.children[1].id = "drb--hint-" + id;
    view.note = noteField.lastChild;
    view.note.id = "drb--note-" + id;
    view.note.setAttribute("aria-describedby", "drb--hint-" + id);
    var row = view.tag.parentNode;
    row.parentNode.insertBefore(work, row.nextSibling);
    view.toggle.setAttribute("aria-controls", work.id);
    renderTask(view);
  }

  function toggleWork(view) {
    if (!view) return;
    var start = now();
    fillWork(view);
    var open = view.work.hidden;
    view.toggle.setAttribute("aria-expanded", open);
    view.work.hidden = !open;
    measure("drb:open", start);
  }

  function viewOf(target) {
    return state.page && state.page.views[taskId(target)];
  }

  // Notes are printed (checklist.css), so their fields must exist.
  function beforePrint() {
    var page = state.page;
    if (!page) return;
    page.ids.forEach(function (id) {
      var entry = state.tasks[id];
      if (entry && entry.note) fillWork(page.views[id]);
    });
  }

  /* ---------- rendering ---------- */

  function applyState() {
    var page = state.page;
    if (!page) return;
    page.ids.forEach(function (id) { renderTask(page.views[id]); });
    renderPage();
  }

  function renderPage() {
    renderProgress();
    renderPanel();
    renderWarnings();
  }

  // The status in the section, the checkbox and the tag (written only when it changes).
  function paintStatus(view, status) {
    view.status = status;
    view.section.setAttribute("data-status", status);
    view.check.checked = status === "done";
    view.tag.textContent = LABELS[status];
    view.tag.setAttribute("data-status", status);
  }

  function renderTask(view) {
    var entry = state.tasks[view.id];
    var status = entry ? entry.status : "todo";
    var note = (entry && entry.note) || "";
    if (view.status !== status) paintStatus(view, status);
    else if (view.check.checked !== (status === "done")) view.check.checked = status === "done";
    renderNoteFlag(view, !!note);
    if (view.select) { // made on first open
      view.select.value = status;
      if (view.note.value !== note && document.activeElement !== view.note) view.note.value = note;
    }
    var changed = !!entry && (status === "done" || status === "doing") && !!entry.hash &&
      !!view.hash && entry.hash !== view.hash;
    var notice = view.notice;
    if (changed && !notice) {
      notice = view.notice = element("div", "drb-changed");
      notice.appendChild(element("p", "", "Opdateret siden du satte flueben eller status. " +
        "Læs opgaven igen, og se, om der er noget nyt for dig."));
      var ack = element("button", "drb-changed-ack md-button", "Markér som læst");
      ack.type = "button";
      notice.appendChild(ack);
      var after = view.work || view.tag.parentNode;
      after.parentNode.insertBefore(notice, after.nextSibling);
    } else if (!changed && notice) {
      notice.remove();
      view.notice = null;
    }
  }

  // "Har en note" in the button, so a closed task shows that it has a note.
  function renderNoteFlag(view, hasNote) {
    if (hasNote === !!view.flag) return;
    view.section.toggleAttribute("data-has-note", hasNote);
    if (hasNote) view.flag = view.toggle.appendChild(element("span", "drb-note-flag", "Har en note"));
    else {
      view.flag.remove();
      view.flag = null;
    }
  }

  function counts(tasks) {
    var done = 0;
    var total = 0;
    tasks.forEach(function (task) {
      var status = statusOf(task.id);
      if (status === "na") return;
      total++;
      if (status === "done") done++;
    });
    return { done: done, total: total };
  }

  function isOpen(task) {
    var status = statusOf(task.id);
    return status === "todo" || status === "doing";
  }

  // The next open task: on this page first, then after this group, then from the start.
  function nextTask(groupId) {
    var order = state.manifest.order;
    var onPage = order.filter(function (t) { return t.group.id === groupId && isOpen(t); })[0];
    if (onPage) return onPage;
    var after = -1;
    order.forEach(function (t, i) { if (t.group.id === groupId) after = i; });
    for (var i = 1; i <= order.length; i++) {
      var task = order[(after + i) % order.length];
      if (isOpen(task)) return task;
    }
    return null;
  }

  function groupTasks(groupId) {
    return state.manifest.order.filter(function (t) { return t.group.id === groupId; });
  }

  function renderProgress() {
    var page = state.page;
    if (!page || !page.manifest) return;
    Array.prototype.forEach.call(page.progress, renderProgressBox);
    Array.prototype.forEach.call(page.inline, function (el) {
      var c = counts(groupTasks(el.getAttribute("data-group-id")));
      el.textContent = c.done + " af " + c.total + " færdige";
    });
  }

  function renderProgressBox(box, i) {
    var groupId = box.getAttribute("data-drb-progress") === "group" ? box.getAttribute("data-group-id") : null;
    var c = counts(groupId ? groupTasks(groupId) : state.manifest.order);
    if (!box.querySelector(".drb-progress-text")) {
      var textId = "drb--progress-text-" + i;
      box.innerHTML = '<p class="drb-progress-text" id="' + textId + '"></p>' +
        '<progress class="drb-progress-bar" aria-labelledby="' + textId + '"></progress>' +
        '<p class="drb-progress-next"></p>';
      box.hidden = false;
    }
    box.querySelector(".drb-progress-text").textContent = c.done + " af " + c.total + " opgaver færdige";
    var bar = box.querySelector("progress");
    bar.max = Math.max(c.total, 1);
    bar.value = c.done;
    var slot = box.querySelector(".drb-progress-next");
    var next = nextTask(groupId);
    var link = slot.querySelector("a.drb-next");
    if (!next) {
      slot.textContent = "Alle opgaver er færdige";
      return;
    }
    if (!link) {
      slot.textContent = "";
      link = element("a", "drb-next");
      slot.appendChild(link);
    }
    link.textContent = "Næste opgave: " + next.title;
    link.href = next.group.id === groupId && state.page.views[next.id] ? "#" + next.id
      : root.pathname + next.group.url + "#" + next.id;
  }

  function progressSentence() {
    var box = state.page && state.page.progress[0];
    var text = box && box.querySelector(".drb-progress-text");
    return text ? text.textContent + "." : "";
  }

  function renderPanel() {
    var panel = state.page && state.page.panel;
    if (!panel || panel.querySelector(".drb-actions")) return;
    panel.innerHTML =
      (isSafari() ? '<p class="drb-safari">Du bruger Safari: eksportér din fremgang jævnligt, ' +
        "fx hver uge, så den ikke går tabt, hvis Safari sletter den.</p>" : "") +
      '<div class="drb-actions">' +
      '<button type="button" class="drb-export md-button">Eksportér</button>' +
      '<span class="drb-file"><input type="file" id="drb--import" class="drb-import" accept=".json,application/json">' +
      '<label for="drb--import" class="md-button">Importér fra fil</label></span>' +
      '<button type="button" class="drb-share md-button">Kopiér link med fremgang</button>' +
      '<button type="button" class="drb-reset md-button">Nulstil</button>' +
      "</div>" +
      '<p class="drb-share-field" hidden><label for="drb--share-url">Link med din fremgang</label>' +
      '<input type="text" id="drb--share-url" class="drb-share-url" readonly></p>' +
      '<p class="drb-message" role="status"></p>';
    panel.hidden = false;
  }

  function renderWarnings() {
    var page = state.page;
    if (!page || !page.manifest) return;
    Object.keys(WARNINGS).forEach(function (kind) {
      var shown = page.article.querySelector('.drb-storage-warning[data-kind="' + kind + '"]');
      if (state.problems[kind] && !shown) {
        var box = element("div", "drb-storage-warning");
        box.setAttribute("role", "alert");
        box.setAttribute("data-kind", kind);
        box.innerHTML = "<p>" + WARNINGS[kind] + "</p>";
        var h1 = page.article.querySelector("h1");
        if (h1 && h1.parentNode === page.article) page.article.insertBefore(box, h1.nextSibling);
        else page.article.insertBefore(box, page.article.firstChild);
      } else if (!state.problems[kind] && shown) {
        shown.remove();
      }
    });
  }

  function message(text) {
    var box = document.querySelector("[data-drb-panel] .drb-message");
    if (box) box.textContent = text;
    else announce(text);
  }

  // The polite live region lives outside the content, so it survives instant navigation.
  function liveRegion() {
    var live = document.getElementById("drb--live");
    if (!live) {
      live = element("div", "drb-vh");
      live.id = "drb--live";
      live.setAttribute("aria-live", "polite");
      document.body.appendChild(live);
    }
    return live;
  }

  function announce(text) {
    var live = liveRegion();
    // A repeated text is not read again unless it changes.
    live.textContent = live.textContent === text ? text + "\u00a0" : text;
  }

  /* ---------- export, import, share link, reset ---------- */

  function exportProgress() {
    var name = "drejebog-fremgang-" + localDate() + ".json";
    var data = { format: "drejebog-fremgang", version: 1, exported: new Date().toISOString(),
      tasks: withoutTombstones(state.tasks) };
    var url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.click(); // detached: neither Material's nor our click listener sees it
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
    message("Fremgangen er gemt i filen " + name + ". Gem den et sikkert sted, så du kan importere den igen.");
  }

  function importFile(input) {
    var file = input.files && input.files[0];
    if (!file) return;
    if (file.size > 5e6) {
      input.value = "";
      message("Filen kunne ikke importeres: den er for stor til at være en eksport fra drejebogen. Intet er ændret.");
      return;
    }
    file.text().then(guard(function (text) {
      input.value = "";
      var result = parseImport(text);
      if (result.error) {
        message("Filen kunne ikke importeres: " + result.error + " Intet er ændret.");
        return;
      }
      confirmChanges("import", result.tasks);
    }), guard(function () {
      input.value = "";
      message("Filen kunne ikke læses. Intet er ændret.");
    }));
  }

  function parseImport(text) {
    var data;
    try {
      data = JSON.parse(text);
    } catch (e) {
      return { error: "den er ikke en gyldig JSON-fil." };
    }
    if (!isObject(data) || data.format !== "drejebog-fremgang") {
      return { error: "det er ikke en eksport af fremgang fra drejebogen." };
    }
    if (data.version !== 1) return { error: "den er lavet med en anden version af drejebogen." };
    if (!isObject(data.tasks)) return { error: "den indeholder ingen liste over opgaver." };
    var tasks = dict();
    var ids = Object.keys(data.tasks);
    for (var i = 0; i < ids.length; i++) {
      var id = ids[i];
      var value = data.tasks[id];
      var name = '"' + id.slice(0, 60) + '"';
      if (!ID_RE.test(id)) return { error: name + " er ikke et gyldigt opgave-id." };
      if (!isObject(value) || STATUSES.indexOf(value.status) < 0) return { error: "opgaven " + name + " har en ugyldig status." };
      if (value.note !== undefined && (typeof value.note !== "string" || value.note.length > NOTE_MAX)) {
        return { error: "noten til opgaven " + name + " er ikke gyldig (højst " + NOTE_MAX + " tegn)." };
      }
      tasks[id] = cleanEntry(id, value);
      if (!tasks[id].hash && currentHash(id)) tasks[id].hash = currentHash(id);
    }
    return { tasks: tasks };
  }

  function shareLink() {
    var statuses = {};
    Object.keys(state.tasks).forEach(function (id) {
      var code = SHARE_CODES[state.tasks[id].status];
      if (code) statuses[id] = code;
    });
    var bytes = new TextEncoder().encode(JSON.stringify({ v: 1, s: statuses }));
    var binary = "";
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    var code64 = btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    return { url: root.href + SHARE_PREFIX + code64, count: Object.keys(statuses).length };
  }

  function share(panel) {
    var link = shareLink();
    var field = panel.querySelector(".drb-share-field");
    var input = panel.querySelector(".drb-share-url");
    field.hidden = false;
    input.value = link.url;
    var about = "Linket viser status for " + plural(link.count, "opgave", "opgaver") + ". Dine noter kommer ikke med.";
    var manual = function () {
      input.focus();
      input.select();
      message("Kopiér linket i feltet herunder. " + about);
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(link.url).then(guard(function () {
        message("Linket er kopieret. " + about);
      }), guard(manual));
    } else {
      manual();
    }
  }

  // {id: status} from a share fragment, or null when it cannot be read.
  function decodeShare(code) {
    try {
      var binary = atob(code.replace(/-/g, "+").replace(/_/g, "/"));
      var bytes = new Uint8Array(binary.length);
      for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      var data = JSON.parse(new TextDecoder().decode(bytes));
      if (!isObject(data) || data.v !== 1 || !isObject(data.s)) return null;
      var out = dict();
      var ids = Object.keys(data.s);
      for (var j = 0; j < ids.length; j++) {
        var status = statusForCode(data.s[ids[j]]);
        if (!ID_RE.test(ids[j]) || !status) return null;
        out[ids[j]] = status;
      }
      return out;
    } catch (e) {
      return null;
    }
  }

  function statusForCode(code) {
    for (var status in SHARE_CODES) {
      if (SHARE_CODES[status] === code) return status;
    }
    return null;
  }

  // Statuses from a share link replace all statuses; notes stay as they are.
  function tasksWithStatuses(statuses) {
    var tasks = dict();
    var ids = Object.keys(state.tasks).concat(Object.keys(statuses));
    ids.forEach(function (id) {
      if (tasks[id]) return;
      var old = state.tasks[id];
      var status = statuses[id] || "todo";
      if (old && old.status === status) {
        tasks[id] = old;
        return;
      }
      var entry = { status: status, updated: new Date().toISOString() };
      var hash = currentHash(id);
      if (hash) entry.hash = hash;
      if (old && old.note) entry.note = old.note;
      tasks[id] = tidy(entry);
    });
    return tasks;
  }

  function checkShareFragment() {
    var hash = location.hash;
    if (hash.indexOf(SHARE_PREFIX) !== 0 || (state.dialog && state.dialog.kind === "share")) return;
    var statuses = decodeShare(hash.slice(SHARE_PREFIX.length));
    if (!statuses) {
      openDialog({
        kind: "share",
        title: "Linket kunne ikke læses",
        body: [paragraph("Linket med fremgang er ufuldstændigt eller beskadiget. Intet er ændret.")],
        cancel: "Luk",
        onCancel: removeFragment
      });
      return;
    }
    confirmChanges("share", tasksWithStatuses(statuses));
  }

  function removeFragment() {
    if (location.hash.indexOf(SHARE_PREFIX) !== 0) return;
    try {
      history.replaceState(history.state, "", location.pathname + location.search);
    } catch (e) {
      location.hash = "";
    }
  }

  // Show what an import or a share link would change, and apply it on "Anvend".
  function confirmChanges(kind, tasks) {
    var changes = diff(state.tasks, tasks);
    var source = kind === "share" ? "linket" : "filen";
    var body = [];
    if (changes.length === 0) {
      body.push(paragraph("Fremgangen i " + source + " er den samme som den, der er gemt i denne browser. Intet ændres."));
    } else {
      body.push(paragraph("Hvis du anvender " + source + ", ændres " + plural(changes.length, "opgave", "opgaver") +
        " i denne browser:"));
      var list = element("ul");
      changes.slice(0, LIST_MAX).forEach(function (change) { list.appendChild(element("li", "", change)); });
      body.push(list);
      if (changes.length > LIST_MAX) body.push(paragraph("… og " + (changes.length - LIST_MAX) + " flere."));
    }
    if (kind === "share") body.push(paragraph("Dine noter bliver ikke ændret."));
    openDialog({
      kind: kind,
      title: kind === "share" ? "Vil du bruge fremgangen fra linket?" : "Vil du importere fremgangen fra filen?",
      body: body,
      confirm: "Anvend",
      onConfirm: function () {
        replaceTasks(tasks);
        removeFragment();
        message((kind === "share" ? "Fremgangen fra linket er anvendt: " : "Fremgangen er importeret: ") +
          (changes.length ? plural(changes.length, "opgave", "opgaver") : "ingen opgaver") + " ændret.");
      },
      onCancel: function () {
        removeFragment();
        message(kind === "share" ? "Linket er ikke brugt. Intet er ændret." : "Importen er annulleret. Intet er ændret.");
      }
    });
  }

  // One line per task whose status or note differs, in runbook order.
  function diff(before, after) {
    var ids = Object.keys(before).concat(Object.keys(after));
    var order = state.manifest ? state.manifest.order.map(function (t) { return t.id; }) : [];
    var rank = function (id) { var i = order.indexOf(id); return i < 0 ? order.length : i; };
    var seen = dict();
    ids = ids.filter(function (id) { return !seen[id] && (seen[id] = true); });
    ids.sort(function (a, b) { return rank(a) - rank(b); });
    var lines = [];
    ids.forEach(function (id) {
      var a = before[id] || { status: "todo" };
      var b = after[id] || { status: "todo" };
      var parts = [];
      if (a.status !== b.status) parts.push(LABELS[a.status] + " → " + LABELS[b.status]);
      if ((a.note || "") !== (b.note || "")) parts.push(!a.note ? "ny note" : !b.note ? "noten slettes" : "noten ændres");
      if (!parts.length) return;
      var task = state.manifest && state.manifest.byId[id];
      lines.push((task ? task.title : id) + ": " + parts.join(", "));
    });
    return lines;
  }

  function confirmReset() {
    var count = Object.keys(withoutTombstones(state.tasks)).length;
    openDialog({
      kind: "reset",
      title: "Vil du nulstille din fremgang?",
      body: [
        paragraph("Alle flueben, statusser og noter i denne browser slettes" +
          (count ? " (" + plural(count, "opgave", "opgaver") + ")" : "") + ". Det kan ikke fortrydes."),
        paragraph("Eksportér først, hvis du vil kunne hente dem igen.")
      ],
      exportFirst: true,
      confirm: "Nulstil",
      onConfirm: function () {
        replaceTasks(dict());
        message("Fremgangen er nulstillet.");
      },
      onCancel: function () { message("Intet er nulstillet."); }
    });
  }

  /* ---------- dialogs ---------- */

  function openDialog(options) {
    if (state.dialog) finishDialog(false);
    if (typeof HTMLDialogElement !== "function") {
      var text = options.title + "\n\n" + options.body.map(function (n) { return n.textContent; }).join("\n");
      if (options.onConfirm && window.confirm(text)) options.onConfirm();
      else {
        if (!options.onConfirm) window.alert(text);
        (options.onCancel || noop)();
      }
      return;
    }
    var dialog = element("dialog", "drb-dialog md-typeset");
    dialog.setAttribute("aria-labelledby", "drb--dialog-title");
    var title = element("h2", "", options.title);
    title.id = "drb--dialog-title";
    dialog.appendChild(title);
    var summary = element("div", "drb-dialog-summary");
    options.body.forEach(function (node) { summary.appendChild(node); });
    dialog.appendChild(summary);
    var actions = element("div", "drb-dialog-actions");
    if (options.exportFirst) actions.appendChild(button("drb-export md-button", "Eksportér først"));
    if (options.confirm) actions.appendChild(button("drb-confirm md-button md-button--primary", options.confirm));
    actions.appendChild(button("drb-cancel md-button", options.cancel || "Annullér"));
    dialog.appendChild(actions);
    state.dialog = { element: dialog, kind: options.kind, onConfirm: options.onConfirm, onCancel: options.onCancel };
    dialog.addEventListener("close", guard(function () {
      if (state.dialog && state.dialog.element === dialog) finishDialog(false);
    }));
    document.body.appendChild(dialog);
    try {
      dialog.showModal();
    } catch (e) {
      finishDialog(false);
    }
  }

  function finishDialog(confirmed) {
    var current = state.dialog;
    if (!current) return;
    state.dialog = null;
    if (current.element.open) current.element.close();
    current.element.remove();
    var after = confirmed ? current.onConfirm : current.onCancel;
    if (after) after();
  }

  /* ---------- events ---------- */

  function taskId(target) {
    var section = target.closest("section.drb-task");
    return section ? section.getAttribute("data-task-id") : null;
  }

  function onChange(event) {
    var target = event.target;
    if (target.matches(".drb-check")) setStatus(taskId(target), target.checked ? "done" : "todo");
    else if (target.matches(".drb-status-select")) setStatus(taskId(target), target.value);
    else if (target.matches(".drb-note")) {
      noteInput(taskId(target), target.value);
      flushChanges();
    } else if (target.matches(".drb-import")) importFile(target);
  }

  function onInput(event) {
    if (event.target.matches(".drb-note")) noteInput(taskId(event.target), event.target.value);
  }

  function onClick(event) {
    var target = event.target.closest ? event.target.closest("button") : null;
    if (!target) return;
    if (target.matches(".drb-dialog .drb-confirm")) finishDialog(true);
    else if (target.matches(".drb-dialog .drb-cancel")) finishDialog(false);
    else if (target.matches(".drb-export")) exportProgress();
    else if (target.matches(".drb-share")) share(target.closest("[data-drb-panel]"));
    else if (target.matches(".drb-reset")) confirmReset();
    else if (target.matches(".drb-changed-ack")) acknowledge(taskId(target));
    else if (target.matches(".drb-work-toggle")) toggleWork(viewOf(target));
  }

  function onStorage(event) {
    if (event.key !== null && event.key !== KEY) return;
    load();
    applyState();
  }

  // drb:apply covers everything from the start of enhancing the page to its saved state
  // being shown: each task is given its state as it is made (readPage), then the
  // progress, the panel and the warnings. drb:enhance, inside it, ends with the tasks.
  function sync() {
    flushChanges();
    var start = now();
    // The status rows in the page are shown (checklist.css) only once this page is enhanced.
    var html = document.documentElement;
    html.classList.remove("drb-js");
    state.page = readPage();
    html.classList.add("drb-js");
    if (state.page.manifest) liveRegion();
    measure("drb:enhance", start);
    renderPage();
    measure("drb:apply", start);
    checkShareFragment();
  }

  /* ---------- helpers ---------- */

  function guard(fn) {
    return function () {
      try {
        return fn.apply(this, arguments);
      } catch (e) {
        try { console.warn("drejebog checklist:", e); } catch (ignored) { /* nothing left to do */ }
      }
    };
  }

  function siteRoot() {
    var script = document.currentScript || document.querySelector('script[src*="assets/checklist.js"]');
    return new URL("..", script ? script.src : location.href);
  }

  function isSafari() {
    var ua = navigator.userAgent || "";
    return /AppleWebKit/.test(ua) && /Safari/.test(ua) && !/Chrome|Chromium|CriOS|Edg|FxiOS|OPR|Android/.test(ua);
  }

  function measure(name, start) {
    try {
      performance.measure(name, { start: start, end: now() });
    } catch (e) { /* User Timing Level 3 missing: no figures, no harm */ }
  }

  function now() {
    return window.performance && performance.now ? performance.now() : Date.now();
  }

  function localDate() {
    var d = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function button(className, text) {
    var el = element("button", className, text);
    el.type = "button";
    return el;
  }

  function paragraph(text) {
    return element("p", "", text);
  }

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function dict() {
    return Object.create(null);
  }

  function noop() {}

  /* ---------- start ---------- */

  guard(function () {
    load();
    document.addEventListener("change", guard(onChange));
    document.addEventListener("input", guard(onInput));
    document.addEventListener("click", guard(onClick));
    window.addEventListener("beforeprint", guard(beforePrint));
    window.addEventListener("storage", guard(onStorage));
    window.addEventListener("hashchange", guard(checkShareFragment));
    window.addEventListener("pagehide", guard(flushChanges));
    // Re-apply on every pageshow: after the bfcache, or over form state the browser put back.
    window.addEventListener("pageshow", guard(function (event) {
      load();
      if (event.persisted) sync();
      else applyState();
    }));
    document.addEventListener("visibilitychange", guard(function () {
      if (document.visibilityState === "hidden") flushChanges();
    }));
    var documents = window.document$;
    if (documents && typeof documents.subscribe === "function") {
      documents.subscribe(guard(sync));
    } else if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", guard(sync));
    } else {
      sync();
    }
  })();
})();
