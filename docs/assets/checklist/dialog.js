/* Dialogs (native <dialog>, cloned from the page's <template data-drb-template="dialog">):
 * confirming an import or a share link (into the practice in use, or as a new one), the
 * reset and deleting a practice. Imported by panel.js and switcher.js, and by init.js only
 * when a page is opened with a share link. */
import { dict, isTombstone, practiceFields, SHARE_PREFIX } from "./store.js";
import { decodeShare, tasksWithStatuses } from "./share.js";
import { plural } from "./progress.js";

const LIST_MAX = 8;

let current = null;

class Dialog {
  constructor(app, options) {
    this.options = options;
    const element = (this.element = app.template("dialog").firstElementChild);
    // "reset" | "import" | "share": drejebog.css gives a reset's confirm button a destructive look.
    element.dataset.kind = options.kind;
    (element.querySelector("h2")).textContent = options.title;
    (element.querySelector(".drb-dialog-summary")).append(...options.body);
    const [exportFirst, confirm, alternative, cancel] = element.querySelectorAll("button");
    if (!options.onExport) exportFirst.remove();
    if (options.confirm) confirm.textContent = options.confirm;
    else confirm.remove();
    if (options.alternative) alternative.textContent = options.alternative;
    else alternative.remove();
    if (options.cancel) cancel.textContent = options.cancel;
    this.status = element.querySelector(".drb-dialog-message");
    app.components.set(element, this);
    // Escape closes the dialog: a cancel.
    element.addEventListener("close", () => this.finish(false));
    this.opener = document.activeElement;
    document.body.append(element);
    element.showModal();
    // The focus starts on the safe button, "Annullér" ("Luk"), as the WAI-ARIA APG's modal
    // dialog pattern advises when the other choice changes or deletes everything: a stray
    // Enter cancels. As the dialog opens a screen reader reads its name (the heading) and
    // its description (the explanation, the list of changes); focusing the heading would
    // read the title a second time.
    cancel.focus();
  }

  act(type, action) {
    if (type !== "click") return;
    if (action === "confirm" || action === "alternative") this.finish(true, action === "alternative");
    else if (action === "cancel") this.finish(false);
    // What the export did is said in the dialog's own status line: the page behind a modal
    // dialog is neither seen nor read.
    else if (action === "export" && this.options.onExport) this.options.onExport((text) => { this.status.textContent = text; });
  }

  /** @param {boolean} confirmed @param {boolean} [alternative]  the second choice ("Tilføj som ny praksis") */
  finish(confirmed, alternative = false) {
    if (current !== this) return;
    current = null;
    if (this.element.open) this.element.close();
    this.element.remove();
    // The focus goes back to the button that opened the dialog: close() does that in
    // current browsers; this is for those that do not.
    const opener = this.opener;
    if (opener && opener !== document.body && opener.isConnected && document.activeElement !== opener) opener.focus();
    const after = alternative ? this.options.onAlternative : confirmed ? this.options.onConfirm : this.options.onCancel;
    if (after) after();
  }
}

export function openDialog(app, options) {
  if (current) current.finish(false);
  current = new Dialog(app, options);
}

export function paragraph(text) {
  const p = document.createElement("p");
  p.textContent = text;
  return p;
}


/**
 * One line per task whose status or note differs, in runbook order.
 */
export function diff(app, before, after) {
  const order = app.manifest ? app.manifest.order.map((t) => t.id) : [];
  const rank = (id) => {
    const i = order.indexOf(id);
    return i < 0 ? order.length : i;
  };
  const ids = [...new Set(Object.keys(before).concat(Object.keys(after)))].sort((a, b) => rank(a) - rank(b));
  const labels = app.config.labels;
  const lines = [];
  for (const id of ids) {
    const a = before[id] || { status: "todo" };
    const b = after[id] || { status: "todo" };
    const parts = [];
    if (a.status !== b.status) parts.push(labels[a.status] + " → " + labels[b.status]);
    if ((a.note || "") !== (b.note || "")) parts.push(!a.note ? "ny note" : !b.note ? "noten slettes" : "noten ændres");
    if (!parts.length) continue;
    const task = app.manifest && app.manifest.byId[id];
    lines.push((task ? task.title : id) + ": " + parts.join(", "));
  }
  return lines;
}

/**
 * Show what an import or a share link would change, and apply it on "Anvend"; or, on
 * "Tilføj som ny praksis", make it a practice of its own (profiles.js addPractice), the one
 * in use left as it is. `asNew`: the state of the new one (a share link's without the notes
 * of the practice in use).
 */
export function confirmChanges(app, kind, tasks, practice, asNew = tasks) {
  const changes = diff(app, app.store.tasks, tasks);
  const settings = practice && JSON.stringify(practice) !== JSON.stringify(practiceFields(app.store.practice));
  const source = kind === "share" ? "linket" : "filen";
  const body = [];
  if (changes.length === 0 && !settings) {
    body.push(paragraph("Fremgangen i " + source + " er den samme som den, der er gemt i denne browser. Intet ændres."));
  } else if (changes.length === 0) {
    body.push(paragraph("Fluebenene i " + source + " er de samme som i denne browser."));
  } else {
    body.push(paragraph("Hvis du anvender " + source + ", ændres " + plural(changes.length, "opgave", "opgaver") + " i denne browser:"));
    const list = document.createElement("ul");
    for (const line of changes.slice(0, LIST_MAX)) list.append(Object.assign(document.createElement("li"), { textContent: line }));
    body.push(list);
    if (changes.length > LIST_MAX) body.push(paragraph("… og " + (changes.length - LIST_MAX) + " til."));
  }
  if (settings) body.push(paragraph("Oplysningerne om praksis (opstartsdato, praksistype og navn) erstattes med filens."));
  if (kind === "share") body.push(paragraph("Dine noter bliver ikke ændret."));
  body.push(paragraph("Gælder " + source + " en anden praksis, så tilføj den som en ny praksis: så ændres intet af det, der er gemt nu."));
  openDialog(app, {
    kind,
    title: kind === "share" ? "Vil du bruge fremgangen fra linket?" : "Vil du importere fremgangen fra filen?",
    body,
    confirm: "Anvend",
    onConfirm() {
      app.replace(tasks, practice);
      removeFragment();
      app.message((kind === "share" ? "Fremgangen fra linket er anvendt: " : "Fremgangen er importeret: ") +
        (changes.length ? plural(changes.length, "opgave", "opgaver") : "ingen opgaver") + " ændret.");
    },
    alternative: "Tilføj som ny praksis",
    onAlternative() {
      removeFragment();
      import("./profiles.js").then(({ addPractice, PROFILES_MAX }) => {
        const id = addPractice(app, asNew, practice);
        app.message(id
          ? (kind === "share" ? "Fremgangen fra linket" : "Fremgangen fra filen") + " er tilføjet som " + app.profiles.name(id) + ", som du nu arbejder med."
          : app.profiles.book.list.length >= PROFILES_MAX
            ? "Der kan højst være " + PROFILES_MAX + " praksisser i en browser. Intet er ændret."
            : "Der kunne ikke tilføjes en praksis: denne browser kan ikke gemme mere. Intet er ændret.");
      }).catch((error) => console.warn("drejebog checklist:", error));
    },
    onCancel() {
      removeFragment();
      app.message(kind === "share" ? "Linket er ikke brugt. Intet er ændret." : "Importen er annulleret. Intet er ændret.");
    },
  });
}

/**
 * An export file read (transfer.js parseImport): one practice's state, asked as an import
 * (confirmChanges); every practice's, asked before each is added as a new practice.
 * @param {any} app @param {any} result
 */
export function confirmImport(app, result) {
  // Entries without a hash (older files) take the task's current one.
  const withHashes = (/** @type {any} */ tasks) => {
    for (const id of Object.keys(tasks)) if (!tasks[id].hash && app.hashOf(id)) tasks[id].hash = app.hashOf(id);
    return tasks;
  };
  if (!result.practices) {
    confirmChanges(app, "import", withHashes(result.tasks), result.practice);
    return;
  }
  const practices = result.practices;
  const names = practices.map((/** @type {any} */ p, /** @type {number} */ i) => (p.practice && p.practice.name) || "praksis nr. " + (i + 1));
  openDialog(app, {
    kind: "import",
    title: "Vil du tilføje " + plural(practices.length, "praksis", "praksisser") + " fra filen?",
    body: [
      paragraph("Filen er en eksport af flere praksisser: " + names.join(", ") + "."),
      paragraph("Hver bliver tilføjet som en ny praksis. Intet af det, der er gemt nu, ændres."),
    ],
    confirm: "Tilføj",
    onConfirm() {
      import("./profiles.js").then(({ addPractice, PROFILES_MAX }) => {
        let added = 0;
        for (const p of practices) {
          if (!addPractice(app, withHashes(p.tasks), p.practice || {})) break;
          added++;
        }
        app.message(added === practices.length
          ? plural(added, "praksis", "praksisser") + " er tilføjet. Du arbejder nu med " + app.profiles.name(app.profileId) + "."
          : added + " af " + plural(practices.length, "praksis", "praksisser") + " er tilføjet: " +
            (app.profiles.book.list.length >= PROFILES_MAX
              ? "der kan højst være " + PROFILES_MAX + " praksisser i en browser."
              : "denne browser kan ikke gemme mere."));
      }).catch((error) => console.warn("drejebog checklist:", error));
    },
    onCancel() {
      app.message("Importen er annulleret. Intet er ændret.");
    },
  });
}

/** The page was opened with a share link (`#fremgang=…`): ask before applying it. */
export function confirmShareLink(app) {
  if (!location.hash.startsWith(SHARE_PREFIX) || (current && current.options.kind === "share")) return;
  const statuses = decodeShare(location.hash.slice(SHARE_PREFIX.length), app.config.statuses);
  if (!statuses) {
    openDialog(app, {
      kind: "share",
      title: "Linket kunne ikke læses",
      body: [paragraph("Linket med fremgang er ufuldstændigt eller beskadiget. Intet er ændret.")],
      cancel: "Luk",
      onCancel: removeFragment,
    });
    return;
  }
  const withStatuses = (/** @type {any} */ tasks) => tasksWithStatuses(tasks, statuses, (id) => app.hashOf(id), new Date());
  // Into the practice in use its notes stay; a new practice has the link's statuses only.
  confirmChanges(app, "share", withStatuses(app.store.tasks), undefined, withStatuses(dict()));
}

/**
 * "Nulstil": ask, then forget every task's state and the practice's settings.
 * @param {(say: (text: string) => void) => void} onExport  "Eksportér først"; `say` puts
 *   its result in the dialog's status line
 */
export function confirmReset(app, onExport) {
  const count = Object.values(app.store.tasks).filter((entry) => !isTombstone(entry)).length;
  openDialog(app, {
    kind: "reset",
    title: "Vil du nulstille din fremgang?",
    body: [
      paragraph("Alle flueben, statusser og noter i denne browser" +
        (count ? " (" + plural(count, "opgave", "opgaver") + ")" : "") +
        " slettes, og det samme gør oplysningerne om praksis. Det kan ikke fortrydes."),
      paragraph("Eksportér først, hvis du vil kunne hente dem igen."),
    ],
    confirm: "Nulstil",
    onExport,
    onConfirm() {
      app.replace(dict(), {});
      app.message("Fremgangen er nulstillet.");
    },
    onCancel() {
      app.message("Intet er nulstillet.");
    },
  });
}

function removeFragment() {
  if (location.hash.startsWith(SHARE_PREFIX)) history.replaceState(history.state, "", location.pathname + location.search);
}
