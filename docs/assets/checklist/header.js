/* The header's menu and search buttons (overrides/partials/header.html), which replace
 * Material's <label>s of hidden checkboxes that a keyboard cannot reach. Loaded by init.js on
 * the first click of one of them (with JavaScript the labels are hidden, so the drawer and,
 * on a phone, search are opened only through them), or after instant navigation.
 *
 * The buttons click the checkboxes, as Material's own code does. The menu button says whether
 * the drawer is open (aria-expanded); opened from a button, focus goes to the drawer's first
 * link or to the search field; the drawer closes on Escape and when focus leaves it, and focus that was in it goes
 * back to the button. Search closed, focus that was in it goes back to the search button (on
 * a phone, where the button shows).
 *
 * arrived(): after instant navigation (init.js, every page but the first).
 */
/** A listener's error is reported, never thrown further (init.js's guard, without a cycle). */
const guard = (fn) => (event) => {
  try {
    fn(event);
  } catch (e) {
    console.warn("drejebog checklist:", e);
  }
};

const box = (name) => /** @type {HTMLInputElement} */ (document.getElementById("__" + name));
const button = (name) => document.querySelector(`[data-drb-toggle="${name}"]`);
const drawer = () => document.querySelector(".md-sidebar--primary");
const shown = (el) => !!el && el.getClientRects().length > 0;

/** @param {MouseEvent} event */
export function click(event) {
  const el = event.target instanceof Element && event.target.closest("[data-drb-toggle]");
  if (!el) return;
  const name = el.getAttribute("data-drb-toggle");
  box(name).click();
  if (!box(name).checked) return;
  const first = name === "drawer" ? drawer().querySelector("[href]") : document.querySelector(".md-search__input");
  if (first) first.focus();
}

document.addEventListener("change", guard((event) => {
  const toggle = event.target;
  if (toggle === box("drawer")) {
    const el = button("drawer");
    el.setAttribute("aria-expanded", String(toggle.checked));
    if (!toggle.checked && drawer().contains(document.activeElement) && shown(el)) el.focus();
  } else if (toggle === box("search") && !toggle.checked) {
    const el = button("search");
    const focus = document.activeElement;
    if ((!focus || focus === document.body || document.querySelector(".md-search").contains(focus)) && shown(el)) el.focus();
  }
}));
document.addEventListener("keydown", guard((event) => {
  if (event.key === "Escape" && box("drawer").checked) box("drawer").click();
}));
document.addEventListener("focusin", guard((event) => {
  const open = box("drawer");
  if (open.checked && !drawer().contains(event.target) && event.target !== button("drawer")) open.click();
}));

/**
 * After instant navigation focus would stay on <body>, at the top of the old page's tab
 * order: it goes to the new page's linked element, else its heading (neither a Tab stop).
 */
export function arrived() {
  let el = null;
  try {
    el = document.getElementById(decodeURIComponent(location.hash.slice(1)));
  } catch {
    // A malformed escape in the address: the heading, then.
  }
  el = el || document.querySelector(".md-content h1");
  if (!el) return;
  if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
  el.focus({ preventScroll: true });
}
