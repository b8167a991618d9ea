// @ts-check
/* The practice switcher in the practice settings (practice.js): which practice (profiles.js)
 * is in use, adding one, deleting one. Loaded when a browser has a book of practices (it
 * has had a second one) or when one of the switcher's controls is first used, so that a
 * browser with one practice never loads it. */
import { addPractice, openProfile, Profiles, PROFILES_MAX } from "./profiles.js";

function warn(error) {
  console.warn("drejebog checklist:", error);
}

/**
 * The practices, read once (init.js reads them itself on a page where a book is stored).
 * @param {any} app
 */
function profilesOf(app) {
  app.profiles ||= new Profiles(app.root.pathname);
  return app.profiles;
}

/**
 * A control of the switcher used.
 * @param {any} form  the Practice component @param {string} action @param {HTMLSelectElement} el
 */
export function act(form, action, el) {
  profilesOf(form.app).load();
  keepName(form.app);
  if (action === "profile") open(form, el.value);
  else if (action === "profile-new") create(form);
  else if (action === "profile-delete") confirmDelete(form);
  else if (action === "profile-export") {
    import("./transfer.js").then((transfer) => transfer.download(form.app, (/** @type {string} */ text) => say(form, text), true)).catch(warn);
  }
}

/**
 * The book keeps each practice's name for the switcher; the practice's settings have the
 * newest one (renamed in the name field, named before there was a book, the book rebuilt).
 * @param {any} app
 */
function keepName(app) {
  const own = app.store.practice.name || "";
  const entry = app.profiles.book.list.find((/** @type {any} */ p) => p.id === app.profileId);
  if (entry && entry.name !== own) app.profiles.rename(app.profileId, own);
}

/** The switcher's result, in the settings' status line. @param {any} form @param {string} text */
function say(form, text) {
  form.status.textContent = text;
}

/** The practices to choose from, the one in use selected. @param {any} form */
export function render(form) {
  const app = form.app;
  keepName(app);
  const { book } = app.profiles;
  const select = form.profile;
  const options = book.list.map((p) => [p.id, app.profiles.name(p.id)]);
  const shown = [...select.options].map((o) => [o.value, o.text]);
  if (JSON.stringify(options) !== JSON.stringify(shown)) {
    select.replaceChildren(...options.map(([id, name]) => new Option(name, id)));
  }
  select.value = app.profileId;
}

/** Use another practice: its ticks, notes and settings everywhere on the page. @param {any} form @param {string} id */
function open(form, id) {
  const app = form.app;
  if (!app.profiles.select(id)) {
    say(form, "Praksissen kunne ikke vælges: denne browser kan ikke gemme valget.");
    form.render();
    return;
  }
  openProfile(app, id);
  say(form, "Du arbejder nu med " + app.profiles.name(id) + ".");
}

/** Add a practice and use it; the name field is next (focused). @param {any} form */
function create(form) {
  const app = form.app;
  const id = addPractice(app);
  if (!id) {
    say(form, app.profiles.book.list.length >= PROFILES_MAX
      ? "Der kan højst være " + PROFILES_MAX + " praksisser i en browser. Slet en, du ikke længere følger."
      : "Der kunne ikke tilføjes en praksis: denne browser kan ikke gemme mere. Intet er ændret.");
    return;
  }
  form.name.focus();
  say(form, app.profiles.name(id) + " er tilføjet og valgt. Skriv dens navn i feltet Klinikkens navn.");
}

/** Delete the practice in use, after asking (with an export first, if wanted). @param {any} form */
function confirmDelete(form) {
  const app = form.app;
  const id = app.profileId;
  const name = app.profiles.name(id);
  Promise.all([import("./dialog.js"), import("./transfer.js")]).then(([dialogs, transfer]) => {
    dialogs.openDialog(app, {
      kind: "reset",
      title: "Vil du slette " + name + "?",
      body: [
        dialogs.paragraph("Alle flueben, statusser, noter og oplysninger om " + name +
          " slettes fra denne browser. Det kan ikke fortrydes."),
        dialogs.paragraph("Eksportér først, hvis du vil kunne hente dem igen."),
      ],
      confirm: "Slet",
      onExport: (/** @type {(text: string) => void} */ say) => transfer.download(app, say),
      onConfirm: () => {
        if (!app.profiles.remove(id)) {
          say(form, name + " kunne ikke slettes: denne browser kan ikke gemme ændringen. Intet er slettet.");
          return;
        }
        openProfile(app, app.profiles.current);
        say(form, name + " er slettet. Du arbejder nu med " + app.profiles.name(app.profiles.current) + ".");
      },
      onCancel: () => say(form, "Intet er slettet."),
    });
  }).catch(warn);
}
