/* The practice's settings, `<div data-drb-module="practice">` (_macros.j2 practice_form): the
 * opening date, new practice or takeover, and the clinic's name (the practice's name),
 * stored with the ticks (Store#setPractice); which practice is in use, adding and deleting
 * one (switcher.js, loaded once a browser has several or one of its buttons is used).
 * Imported by init.js only on a page that has the form. */
import { isISODate, NAME_MAX } from "./store.js";
import { loadPlan } from "./progress.js";

function warn(error) {
  console.warn("drejebog checklist:", error);
}

const switcher = () => import("./switcher.js");

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
    if (this.app.profiles) switcher().then((m) => m.render(this)).catch(warn);
  }

  act(type, action, el) {
    if (action.startsWith("profile") && type === (action === "profile" ? "change" : "click")) {
      switcher().then((m) => m.act(this, action, el)).catch(warn);
      return;
    }
    if (type !== "change") return;
    const app = this.app;
    let fields;
    if (action === "opening") {
      if (el.value && !isISODate(el.value)) return; // a half-typed date: wait for a whole one
      fields = { opening: el.value || undefined };
    } else if (action === "type") fields = { type: el.value };
    else if (action === "name") fields = { name: el.value.trim().slice(0, NAME_MAX) || undefined };
    else return;
    app.afterWrite(app.store.setPractice(fields));
    // The first setting on a page without plan.js loads it; the cards and counts follow.
    Promise.resolve(loadPlan(app.manifest, app.store.practice)).then(() => app.applyAll(), () => app.applyAll());
    this.status.textContent = app.store.problems.full || app.store.problems.blocked
      ? "Oplysningerne kunne ikke gemmes i denne browser."
      : "Gemt i denne browser.";
  }
}
