/* The practice's settings, `<div data-drb-module="practice">` (_macros.j2 practice_form): which
 * practice (profile: profiles.js) is in use, adding and deleting one; the opening date, new
 * practice or takeover, and the clinic's name (the profile's name), stored with the ticks
 * (Store#setPractice). Imported by init.js only on a page that has the form. */
import { isISODate, NAME_MAX } from "./store.js";
import { loadPlan } from "./progress.js";
import { PROFILES_MAX } from "./profiles.js";

function warn(error) {
  console.warn("drejebog checklist:", error);
}

export class Practice {
  constructor(root, app) {
    this.root = root;
    this.app = app;
    this.opening = root.querySelector(".drb-opening");
    this.types = [...root.querySelectorAll('input[type="radio"]')];
    this.name = root.querySelector(".drb-clinic");
    this.status = root.querySelector(".drb-practice-message");
    this.profile = root.querySelector(".drb-profile");
    this.render();
    root.hidden = false;
  }

  /** Show the stored settings (not over a field the visitor is typing in). */
  render() {
    const p = this.app.store.practice;
    const set = (field, value) => {
      if (field.value !== value && (document.activeElement !== field || this.app.switching)) field.value = value;
    };
    set(this.opening, p.opening || "");
    set(this.name, p.name || "");
    for (const radio of this.types) radio.checked = radio.value === p.type;
    this.renderProfiles();
  }

  /** The practices to choose from, the one in use selected (its name from its settings). */
  renderProfiles() {
    const app = this.app;
    const { book } = app.profiles;
    const own = app.store.practice.name || "";
    const entry = book.list.find((p) => p.id === app.profileId);
    // The book keeps each practice's name for this list; its settings have the newest one.
    if (entry && own && entry.name !== own) app.profiles.rename(app.profileId, own);
    const select = this.profile;
    const options = book.list.map((p) => [p.id, app.profiles.name(p.id)]);
    const shown = [...select.options].map((o) => [o.value, o.text]);
    if (JSON.stringify(options) !== JSON.stringify(shown)) {
      select.replaceChildren(...options.map(([id, name]) => new Option(name, id)));
    }
    select.value = app.profileId;
  }

  act(type, action, el) {
    if (type === "click" && action === "profile-new") return this.create();
    if (type === "click" && action === "profile-delete") return this.confirmDelete();
    if (type !== "change") return;
    const app = this.app;
    if (action === "profile") return this.open(el.value);
    let fields;
    if (action === "opening") {
      if (el.value && !isISODate(el.value)) return; // a half-typed date: wait for a whole one
      fields = { opening: el.value || undefined };
    } else if (action === "type") fields = { type: el.value };
    else if (action === "name") fields = { name: el.value.trim().slice(0, NAME_MAX) || undefined };
    else return;
    app.afterWrite(app.store.setPractice(fields));
    if (action === "name") app.profiles.rename(app.profileId, fields.name || "");
    // The first setting on a page without plan.js loads it; the cards and counts follow.
    Promise.resolve(loadPlan(app.manifest, app.store.practice)).then(() => app.applyAll(), () => app.applyAll());
    this.status.textContent = app.store.problems.full || app.store.problems.blocked
      ? "Oplysningerne kunne ikke gemmes i denne browser."
      : "Gemt i denne browser.";
  }

  /** Use another practice: its ticks, notes and settings everywhere on the page. @param {string} id */
  open(id) {
    const app = this.app;
    if (!app.profiles.select(id)) {
      this.say("Praksissen kunne ikke vælges: denne browser kan ikke gemme valget.");
      this.render();
      return;
    }
    app.openProfile(id);
    this.say("Du arbejder nu med " + app.profiles.name(id) + ".");
  }

  /** Add a practice and use it; the name field is next (focused). */
  create() {
    const app = this.app;
    if (app.profiles.load().list.length >= PROFILES_MAX) {
      this.say("Der kan højst være " + PROFILES_MAX + " praksisser i en browser. Slet en, du ikke længere følger.");
      return;
    }
    app.flush();
    const id = app.profiles.create("");
    if (!id) {
      // The page's warning for a full (or blocked) storage, as for a tick that cannot be saved.
      app.store.problems[app.profiles.problem === "full" ? "full" : "blocked"] = true;
      app.renderWarnings();
      this.say("Der kunne ikke tilføjes en praksis: denne browser kan ikke gemme mere. Intet er ændret.");
      return;
    }
    app.openProfile(id);
    this.name.focus();
    this.say(app.profiles.name(id) + " er tilføjet og valgt. Skriv dens navn i feltet Klinikkens navn.");
  }

  /** Delete the practice in use, after asking (with an export first, if wanted). */
  confirmDelete() {
    const app = this.app;
    const id = app.profileId;
    const name = app.profiles.name(id);
    Promise.all([import("./dialog.js"), import("./panel.js")]).then(([dialogs, panel]) => {
      dialogs.openDialog(app, {
        kind: "reset",
        title: "Vil du slette " + name + "?",
        body: [
          dialogs.paragraph("Alle flueben, statusser, noter og oplysninger om " + name +
            " slettes fra denne browser. Det kan ikke fortrydes."),
          dialogs.paragraph("Eksportér først, hvis du vil kunne hente dem igen."),
        ],
        confirm: "Slet",
        onExport: (/** @type {(text: string) => void} */ say) => panel.exportFile(app, say).catch(warn),
        onConfirm: () => {
          if (!app.profiles.remove(id)) {
            this.say(name + " kunne ikke slettes: denne browser kan ikke gemme ændringen. Intet er slettet.");
            return;
          }
          app.store = null; // its state is gone: nothing of it is written again
          app.openProfile(app.profiles.current);
          this.say(name + " er slettet. Du arbejder nu med " + app.profiles.name(app.profiles.current) + ".");
        },
        onCancel: () => this.say("Intet er slettet."),
      });
    }).catch(warn);
  }

  /** @param {string} text */
  say(text) {
    this.status.textContent = text;
  }
}
