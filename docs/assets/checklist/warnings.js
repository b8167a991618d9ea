// @ts-check
/* The storage warnings (docs/dev/checklist-contract.md): a box under the page's heading for
 * each problem the store has (blocked, full, corrupt), from the page's templates; kept, not
 * looked up (a query of a long page costs ms per tick), and removed when the problem is
 * gone. Loaded by init.js only while a warning is due or shown. */

/** @param {import("./init.js").App} app */
export function render(app) {
  const problems = app.store.problems;
  for (const kind of ["blocked", "full", "corrupt"]) {
    const shown = app.warnings[kind];
    const showing = !!shown && shown.isConnected; // not when the page has changed since
    if (problems[kind] && !showing) {
      const box = (app.warnings[kind] = app.template("warning-" + kind).firstElementChild);
      const h1 = app.article.querySelector("h1");
      if (h1 && h1.parentNode === app.article) h1.after(box);
      else app.article.prepend(box);
    } else if (!problems[kind] && showing) {
      shown.remove();
      app.warnings[kind] = null;
    }
  }
}
