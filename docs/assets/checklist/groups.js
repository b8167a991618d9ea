// @ts-check
/* The home page's table of groups, `<tbody data-drb-module="groups">` (index.md.j2): in each
 * group's row (`.drb-group-progress[data-group-id]`, markup from the template) its status tag
 * (`strong.drb-status[data-status]`, the label of the group's state: "Ikke startet", "I gang",
 * "Færdig" or "Ikke relevant") and its count, "3 af 5 færdige (1 ikke relevant)", so that the
 * row's "6 opgaver" and the count agree; the template's stop, a ":" in the tag (font size 0:
 * read, not seen), makes the cell read "I gang: 3 af 5 færdige (1 ikke relevant)". Imported by
 * init.js only on the home page. */
import { counted, counts, groupTasks, notCounted, plural, stateOf } from "./progress.js";

export class Groups {
  /**
   * @param {HTMLElement} root
   * @param {import("./init.js").App} app
   */
  constructor(root, app) {
    this.root = root;
    this.app = app;
    this.render();
  }

  render() {
    const app = this.app;
    const statusOf = (/** @type {string} */ id) => app.store.statusOf(id);
    const all = counted(app);
    for (const line of /** @type {NodeListOf<HTMLElement>} */ (this.root.querySelectorAll(".drb-group-progress"))) {
      const group = /** @type {string} */ (line.dataset.groupId);
      const c = counts(groupTasks(all, group), statusOf);
      const state = stateOf(c);
      const tag = /** @type {HTMLElement} */ (line.firstElementChild);
      /** @type {HTMLElement} */ (tag.firstElementChild).textContent = app.config.labels[state];
      tag.setAttribute("data-status", state);
      /** @type {HTMLElement} */ (line.querySelector(".drb-small")).textContent =
        c.done + " af " + plural(c.total, "færdig", "færdige") + notCounted(app, group, c);
    }
  }
}
