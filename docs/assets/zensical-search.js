/* Zensical's search dialog, in Danish and without the two faults axe finds in it. The Zensical
 * build only: overrides/zensical/partials/header.html imports this module when the focus first
 * goes into the dialog (its own component, in a shadow root), so no page loads it before
 * search is used.
 *
 * Zensical 0.0.73's dialog is English only ("Search", "Close search", "13 results", ...), its
 * result paths are 45 % grey (contrast 2.9:1 on white), and its results' scroll box is no
 * Tab stop (axe: scrollable-region-focusable; the results are options of the field, reached
 * with the arrow keys). Here the texts are translated whenever the dialog draws them, the
 * paths get the results' own text colour at 70 % (about 5.9:1 light, 6.5:1 dark), and the
 * scroll box joins the tab order. The class names are Zensical's (minified, version-bound):
 * re-check on upgrade; the browser tests open the dialog in both colour schemes.
 */
const WORDS = new Map([
  ["Search", "Søg"],
  ["Close search", "Luk søgning"],
  ["Filters", "Filtre"],
  ["Search results", "Søgeresultater"],
  ["No results", "Ingen resultater"],
  ["Loading search\u2026", "Indlæser søgning\u2026"],
]);
const COUNT = /^([\d,]+) results?$/;
const STYLE = ".n{color:rgb(var(--color-foreground)/.7)}.k:focus-visible{outline:3px solid var(--drb-focus,#3b5bdb);outline-offset:-3px}";

/** @param {string} text */
function danish(text) {
  const count = COUNT.exec(text);
  if (count) return `${count[1].replace(/,/g, ".")} ${count[1] === "1" ? "resultat" : "resultater"}`;
  return WORDS.get(text);
}

/** @param {ShadowRoot} root */
function translate(root) {
  for (const el of root.querySelectorAll("[aria-label],[placeholder]")) {
    for (const name of ["aria-label", "placeholder"]) {
      const value = el.getAttribute(name);
      const shown = value && danish(value);
      if (shown) el.setAttribute(name, shown);
    }
  }
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const shown = danish(node.data.trim());
    if (shown) node.data = shown;
  }
  const box = root.querySelector(".k");
  if (box && box.tabIndex !== 0) {
    box.tabIndex = 0;
    box.setAttribute("aria-label", "Søgeresultater");
  }
}

/** @param {ShadowRoot} root */
function patch(root) {
  if (root.querySelector("style[data-drb]")) return;
  const style = document.createElement("style");
  style.dataset.drb = "";
  style.textContent = STYLE;
  root.append(style);
  translate(root);
  new MutationObserver(() => translate(root)).observe(root, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeFilter: ["aria-label", "placeholder"],
  });
}

for (const el of document.body.children) {
  if (el.shadowRoot && el.shadowRoot.querySelector("dialog")) patch(el.shadowRoot);
}
