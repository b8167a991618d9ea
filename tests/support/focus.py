"""Keyboard focus in the browser tests: tab through a page and judge every stop.

``tab_through(page, names, direction)`` puts the focus navigation's starting point at the
start (Tab) or the end (Shift+Tab) of the document, then presses the key until the focus
leaves the document or comes back to the pass's first stop. Each stop is judged by one
``page.evaluate`` (``PROBE``) and, the first time an element is focused on a page load, one
Chrome DevTools Protocol look-up of its accessible name (``AccessibleNames``). Before it
judges, PROBE lets the page react to the step: after a scroll, and next to Material's search,
it waits for the next frame and for a timer queued behind Material's 1 ms focus debounce,
then finishes the transitions the step started (the state the user sees a moment later).
The number of presses is capped (a focus trap). The checks (WCAG 2.2 AA), each a letter in
the reports:

(a) **in view**: the element's visible box lies in the viewport, all of it (a box larger
    than the viewport spans it), is not scrolled out of sight inside a scrolling container,
    has a non-empty area and is not transparent (opacity 0, also of an ancestor) or
    ``visibility: hidden``. A control that is visually hidden on purpose (a 0/1 px, clipped
    or transparent ``<input>``, such as Material's palette radio buttons or the panel's file
    input) is judged by the rendered ``<label>`` that stands for it: one of its ``labels``
    or the ``<label>`` right after it (the ``input:focus + label`` pattern of both Material
    and checklist.css). (2.4.7, 2.4.3)
(b) **not obscured** (2.4.11): ``document.elementFromPoint`` at the centre and four corners
    (2 px inside) of the part of that box in the viewport hits the element, something inside
    it or one of its labels, and never an element that is, or is inside, a ``position:
    fixed``/``sticky`` element (or an open modal dialog) that does not contain the focused
    element: the sticky header, "Tilbage til start", the search overlay. Other elements that
    merely overlap a corner (a wrapped link's line box) are not counted.
(c) **visible focus indicator** (2.4.7; 1.4.11 for its contrast): the element (or its
    label, as in (a)) has an outline (style not ``none``, width >= 1 px, colour not
    transparent, not cut away by the viewport or a clipping ancestor) with at least 3:1
    contrast against the first opaque background behind it (its ancestors' backgrounds,
    composited); for ``outline-style: auto`` Chromium also paints a white ring, so white's
    contrast counts too. Without such an outline, a ``box-shadow``, background or border
    colour that differs between the focused and the unfocused state by at least 3:1 counts
    (the unfocused state is read after the pass, when the element no longer has the focus).
    A change of text colour alone does not count. Not judged while the focus is on a part
    the browser draws itself (a date field's calendar button: the field does not match
    ``:focus`` then).
(d) **accessible name**: Chromium's computed name (``Accessibility.getPartialAXTree`` of
    ``document.activeElement``) contains a letter or digit ("#" or "¶" tells a screen reader
    nothing), and the element is not ignored by the accessibility tree.

Besides, ``pointer_only_controls(page)`` lists (k) rendered ``<label>``s that look clickable
(``cursor: pointer``) but work only with a pointer: their control is not rendered or not
focusable (a radio group counts by its checked button), they are not focusable themselves
and they are not drawn inside a tab stop next to them (the magnifier in the search field);
Material's menu and search buttons are such labels. ARIA widgets that take no focus are
listed too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from playwright.sync_api import CDPSession, Page

FORWARD = "forward"
BACKWARD = "backward"
KEYS = {FORWARD: "Tab", BACKWARD: "Shift+Tab"}

# Shared JavaScript: a short description of an element, colours and the visible box.
_HELPERS = r"""
const focused = () => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  return el;
};
const K = window.__drbFocus || (window.__drbFocus = { stops: [], focused: [] });
const short = (text, n) => { text = (text || "").replace(/\s+/g, " ").trim(); return text.length > n ? text.slice(0, n - 1) + "…" : text; };
const describe = (el) => {
  if (!el || !el.tagName) return String(el);
  let d = el.tagName.toLowerCase();
  if (el.id) d += "#" + el.id;
  const classes = [...el.classList].filter((c) => c !== "focus-visible");
  if (classes.length) d += "." + classes.join(".");
  for (const attr of ["for", "type", "role", "tabindex", "data-task-id"]) {
    if (el.hasAttribute(attr) && !(attr === "type" && el.tagName !== "INPUT")) d += "[" + attr + "=" + el.getAttribute(attr) + "]";
  }
  if (el.tagName === "A" && el.hasAttribute("href")) d += "[href=" + short(el.getAttribute("href").replace(location.origin, ""), 60) + "]";
  const text = short(el.getAttribute("aria-label") || el.textContent || el.getAttribute("title") || el.value || "", 40);
  if (text) d += ' "' + text + '"';
  return d;
};
const AREAS = [".md-dialog", "dialog", ".md-header", ".md-search", ".md-sidebar--primary",
  ".md-sidebar--secondary", ".md-top", ".md-footer", "[data-drb-module]", ".md-content"];
const area = (el) => { for (const s of AREAS) { const a = el.closest(s); if (a) return s; } return ""; };
const parse = (c) => {
  if (!c) return null;
  let m = c.match(/^rgba?\(([^)]*)\)$/);
  if (m) { const n = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number); return [n[0], n[1], n[2], n.length > 3 ? n[3] : 1]; }
  m = c.match(/^color\(srgb ([^)]*)\)$/);
  if (m) { const n = m[1].split(/[\s\/]+/).filter(Boolean).map(Number); return [n[0] * 255, n[1] * 255, n[2] * 255, n.length > 3 ? n[3] : 1]; }
  return null;
};
const over = (top, below) => top[3] >= 1 ? top : [0, 1, 2].map((i) => top[3] * top[i] + (1 - top[3]) * below[i]).concat(1);
const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
const contrast = (a, b) => { const [h, l] = [lum(a), lum(b)].sort((x, y) => y - x); return (h + 0.05) / (l + 0.05); };
const hex = (c) => c ? "#" + c.slice(0, 3).map((v) => Math.round(v).toString(16).padStart(2, "0")).join("") + (c[3] < 1 ? "/" + c[3].toFixed(2) : "") : "?";
// The opaque colour behind `el` (its ancestors' backgrounds, composited; white at the end).
const behind = (el) => {
  const layers = [];
  for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
    const c = parse(getComputedStyle(n).backgroundColor);
    if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
  }
  let colour = [255, 255, 255, 1];
  for (const layer of layers.reverse()) colour = over(layer, colour);
  return colour;
};
const visibleStyle = (n) => n.checkVisibility({ opacityProperty: true, visibilityProperty: true, checkOpacity: true, checkVisibilityCSS: true });
const hasArea = (n) => { const r = n.getBoundingClientRect(); return r.width > 1 && r.height > 1; };
const hiddenControl = (el) => {
  const r = el.getBoundingClientRect();
  return r.width <= 1 || r.height <= 1 || getComputedStyle(el).clip === "rect(0px, 0px, 0px, 0px)" || !visibleStyle(el);
};
// The element whose box the user sees for `el`: itself, or the label that stands for a
// visually hidden control; null when there is none.
const proxyOf = (el) => {
  if (!hiddenControl(el)) return el;
  const candidates = [...(el.labels || [])];
  const next = el.nextElementSibling;
  if (next && next.tagName === "LABEL") candidates.unshift(next);
  return candidates.find((l) => l.getClientRects().length && visibleStyle(l) && hasArea(l)) || null;
};
const snapshot = (n) => {
  const s = getComputedStyle(n);
  return { shadow: s.boxShadow, background: s.backgroundColor,
    border: s.borderTopColor, borderWidth: parseFloat(s.borderTopWidth) || 0 };
};
"""

# One focus step: everything (a)-(c) needs, about document.activeElement. Returns
# {left: true} when the focus is not on an element of the page.
PROBE = (
    "async () => {"
    + _HELPERS
    + r"""
  let el = focused();
  if (K.marker && K.marker !== el) { K.marker.remove(); K.marker = null; }
  if (!el || el === document.body || el === document.documentElement) return { left: true };
  // What the user sees once the page has reacted to the step. Scroll events (Material's
  // back-to-top button, the header's shadow) are dispatched with the next frame, and
  // Material opens or closes the search in a timer 1 ms after a focus change in or out of
  // it (debounceTime(1)). So after a scroll, and next to the search, the next frame runs
  // first, then a timer of 1 ms started now, which the browser runs after that one (timers
  // run in the order they are due). Then the transitions the step started (Material fades
  // the skip link, the "#" permalinks and the search in) are finished at once.
  const y = Math.round(window.scrollY), x = Math.round(window.scrollX);
  const nearSearch = !!(el && el.closest && el.closest(".md-search, .md-header"));
  if (K.y !== y || K.x !== x || nearSearch || K.nearSearch) {
    await new Promise((resolve) => requestAnimationFrame(resolve));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  K.y = Math.round(window.scrollY); K.x = Math.round(window.scrollX); K.nearSearch = nearSearch;
  for (const a of document.getAnimations()) {
    const timing = a.effect && a.effect.getComputedTiming();
    if (timing && timing.iterations !== Infinity && a.playState === "running") a.finish();
  }
  let index = K.stops.indexOf(el);
  const isNew = index < 0;
  if (isNew) { index = K.stops.length; K.stops.push(el); }
  const problems = [];
  const vw = document.documentElement.clientWidth, vh = document.documentElement.clientHeight;
  const proxy = proxyOf(el);
  // Where it is; "closed" when the drawer (phone, tablet) or the search is closed.
  const drawerButton = document.querySelector('label.md-header__button[for="__drawer"]');
  let where = area(el);
  if (where === ".md-sidebar--primary" && drawerButton && drawerButton.getClientRects().length &&
      !(document.getElementById("__drawer") || {}).checked) where += " (drawer closed)";
  if (el.closest(".md-search") && !(document.getElementById("__search") || {}).checked) where += " (search closed)";
  const out = {
    left: false, index, isNew, desc: describe(el), area: where, problems,
    proxy: proxy && proxy !== el ? describe(proxy) : null,
    scrollY: Math.round(window.scrollY), focusVisible: el.matches(":focus-visible"),
    drawerOpen: !!(document.getElementById("__drawer") || {}).checked,
    searchOpen: !!(document.getElementById("__search") || {}).checked,
    inPrimary: !!el.closest(".md-sidebar--primary"), inSearchOutput: !!el.closest(".md-search__output"),
    needsCompare: false, focusedStyle: null,
  };
  const r0 = el.getBoundingClientRect();
  const size = (r) => Math.round(r.width) + "×" + Math.round(r.height);
  const at = (r) => "(" + Math.round(r.left) + "," + Math.round(r.top) + " " + size(r) + ")";
  if (!proxy) {
    let why = "its box is " + size(r0) + " px";
    if (getComputedStyle(el).visibility === "hidden") why = "visibility: hidden";
    else for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
      if (getComputedStyle(n).opacity === "0") { why = "transparent: " + (n === el ? "it has" : describe(n).split(" ")[0] + " has") + " opacity 0"; break; }
    }
    problems.push(["a", "invisible tab stop: nothing of it can be seen (" + why + ") and no rendered <label> stands for it"]);
    return out;
  }
  // (a) in the viewport, not scrolled away inside a container.
  const r = proxy.getBoundingClientRect();
  const ix = Math.min(r.right, vw) - Math.max(r.left, 0), iy = Math.min(r.bottom, vh) - Math.max(r.top, 0);
  const viewport = "viewport " + vw + "×" + vh + ", scrollY " + Math.round(window.scrollY);
  if (ix <= 0 || iy <= 0) {
    problems.push(["a", "outside the viewport: box " + at(r) + ", " + viewport]);
    return out;
  }
  if (ix < Math.min(r.width, vw) - 1 || iy < Math.min(r.height, vh) - 1) {
    problems.push(["a", "partly outside the viewport: box " + at(r) + ", " + viewport]);
  }
  // The part of the page where it can be seen: the viewport, cut by scrolling and clipping
  // ancestors (also used for its outline below).
  const shown = { left: 0, top: 0, right: vw, bottom: vh, by: "the viewport" };
  for (let n = proxy.parentElement; n && n !== document.body && n !== document.documentElement; n = n.parentElement) {
    const s = getComputedStyle(n);
    if (s.overflowX === "visible" && s.overflowY === "visible") continue;
    const c = n.getBoundingClientRect();
    if (c.left > shown.left) { shown.left = c.left; shown.by = describe(n).split(" ")[0]; }
    if (c.top > shown.top) { shown.top = c.top; shown.by = describe(n).split(" ")[0]; }
    if (c.right < shown.right) { shown.right = c.right; shown.by = describe(n).split(" ")[0]; }
    if (c.bottom < shown.bottom) { shown.bottom = c.bottom; shown.by = describe(n).split(" ")[0]; }
    if (Math.min(r.right, c.right) - Math.max(r.left, c.left) <= 0 || Math.min(r.bottom, c.bottom) - Math.max(r.top, c.top) <= 0) {
      problems.push(["a", "scrolled out of sight inside " + describe(n).split(" ")[0] + " (box " + at(r) + ", container " + at(c) + ")"]);
      return out;
    }
  }
  // (b) not under a fixed or sticky element.
  const left = Math.max(r.left, 0), right = Math.min(r.right, vw), top = Math.max(r.top, 0), bottom = Math.min(r.bottom, vh);
  const inset = (a, b) => Math.min(2, (b - a) / 2);
  const dx = inset(left, right), dy = inset(top, bottom);
  const points = [[(left + right) / 2, (top + bottom) / 2], [left + dx, top + dy], [right - dx, top + dy], [left + dx, bottom - dy], [right - dx, bottom - dy]];
  const labels = [...(el.labels || [])];
  const covers = new Map();
  for (const [x, y] of points) {
    const hit = document.elementFromPoint(x, y);
    if (!hit || el.contains(hit) || proxy.contains(hit) || labels.some((l) => l.contains(hit))) continue;
    let cover = null;
    for (let n = hit; n && n.nodeType === 1; n = n.parentElement) {
      const position = getComputedStyle(n).position;
      if (position === "fixed" || position === "sticky" || (n.tagName === "DIALOG" && n.matches(":modal"))) { cover = n; break; }
    }
    if (!cover || cover.contains(el)) continue;
    const entry = covers.get(cover) || { n: 0, hit };
    entry.n += 1;
    covers.set(cover, entry);
  }
  for (const [cover, { n, hit }] of covers) {
    const c = cover.getBoundingClientRect();
    problems.push(["b", "covered at " + n + "/5 points by " + describe(cover).split(" ")[0] + " (" + getComputedStyle(cover).position +
      ", box y " + Math.round(c.top) + "–" + Math.round(c.bottom) + (hit !== cover ? ", hit " + describe(hit).split(" ")[0] : "") +
      "); control box " + at(r) + ", " + viewport]);
  }
  // (c) a visible focus indicator. Not judged while the focus is on a browser-internal part
  // of the control (a date field's calendar button: the host does not match :focus then, and
  // the browser paints that part's ring itself).
  if (!el.matches(":focus")) return out;
  // An outline with 3:1 against what is behind it ...
  const s = getComputedStyle(proxy);
  const width = parseFloat(s.outlineWidth) || 0;
  const colour = parse(s.outlineColor);
  const back = behind(proxy.parentElement || proxy);
  let outline = "none";
  // The outline's four bands, cut to what can be seen: all cut away means no outline.
  const off = parseFloat(s.outlineOffset) || 0;
  const o = { left: r.left - off - width, top: r.top - off - width, right: r.right + off + width, bottom: r.bottom + off + width };
  const bands = [[o.left, o.top, o.right, r.top - off], [o.left, r.bottom + off, o.right, o.bottom],
    [o.left, o.top, r.left - off, o.bottom], [r.right + off, o.top, o.right, o.bottom]];
  const seen = bands.some(([l, t, rr, b]) => Math.min(rr, shown.right) - Math.max(l, shown.left) > 0.5 &&
    Math.min(b, shown.bottom) - Math.max(t, shown.top) > 0.5);
  if (s.outlineStyle !== "none" && width >= 1 && !seen) {
    outline = s.outlineStyle + " " + width + "px " + hex(colour) + " cut away by " + shown.by;
  } else if (s.outlineStyle !== "none" && width >= 1 && (!colour || colour[3] > 0)) {
    const ratio = colour ? contrast(over(colour, back), back) : 21;
    const white = s.outlineStyle === "auto" ? contrast([255, 255, 255, 1], back) : 0;
    if (Math.max(ratio, white) >= 3) return out;
    outline = s.outlineStyle + " " + width + "px " + hex(colour) + " (" + ratio.toFixed(2) + ":1 against " + hex(back) + ")";
  } else if (s.outlineStyle !== "none") {
    outline = s.outlineStyle + " " + width + "px " + hex(colour);
  }
  // ... or a changed shadow, background or border: compared after the pass (COMPARE).
  out.needsCompare = true;
  out.focusedStyle = { ...snapshot(proxy), outline, back: hex(back) };
  K.focused[index] = out.focusedStyle;
  return out;
}"""
)

# After a pass: the unfocused state of the stops PROBE could not judge by their outline.
COMPARE = (
    "async (indices) => {"
    + _HELPERS
    + r"""
  if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
  const result = {};
  for (const i of indices) {
    const el = K.stops[i];
    const focused = K.focused[i];
    if (!el || !el.isConnected || !focused) continue;
    const proxy = proxyOf(el) || el;
    await Promise.all(proxy.getAnimations().map((a) => a.finished.catch(() => null)));
    const now = snapshot(proxy);
    const back = behind(proxy.parentElement || proxy);
    const changed = [];
    if (focused.shadow !== now.shadow && focused.shadow !== "none") changed.push("box-shadow");
    const a = parse(focused.background), b = parse(now.background);
    if (a && b && contrast(over(a, back), over(b, back)) >= 3) changed.push("background");
    if (focused.borderWidth >= 1 && focused.border !== now.border) {
      const fa = parse(focused.border), fb = parse(now.border);
      if (!fa || !fb || contrast(over(fa, back), over(fb, back)) >= 3) changed.push("border");
    }
    result[i] = changed.length ? null : "no visible focus indicator: outline " + focused.outline +
      ", and box-shadow/background/border do not change by 3:1 (focused background " + focused.background +
      ", unfocused " + now.background + ")";
  }
  return result;
}"""
)

# Puts the sequential focus navigation starting point at the start or the end of <body>: a
# temporary focusable (not tabbable) element there gets the focus; PROBE removes it after
# the first key press has moved the focus on.
START_AT = """(where) => {
  const K = window.__drbFocus || (window.__drbFocus = { stops: [], focused: [] });
  if (K.marker) K.marker.remove();
  if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
  const marker = (K.marker = document.createElement("span"));
  marker.tabIndex = -1;
  if (where === "start") document.body.prepend(marker); else document.body.append(marker);
  marker.focus({ preventScroll: where === "start" });
  if (where === "start") window.scrollTo(0, 0);
}"""

# An upper bound of the page's tab stops: every element that could take the focus.
CANDIDATES = """() => document.querySelectorAll(
  'a[href], area[href], button, input, select, textarea, iframe, summary, [tabindex], [contenteditable]'
).length"""

POINTER_ONLY = (
    "() => {"
    + _HELPERS
    + r"""
  const found = [];
  const focusable = (n) => n.tabIndex >= 0 && !n.disabled && n.getClientRects().length > 0;
  const vw = document.documentElement.clientWidth;
  const shown = (n) => { const r = n.getBoundingClientRect();
    return n.getClientRects().length && visibleStyle(n) && hasArea(n) && r.right > 0 && r.left < vw; };
  for (const label of document.querySelectorAll("label")) {
    const style = getComputedStyle(label);
    if (!shown(label) || focusable(label) || style.cursor !== "pointer" || style.pointerEvents === "none") continue;
    const control = label.control;
    if (!control || focusable(control)) continue;
    // A radio button of a group: the group's checked button is the tab stop.
    if (control.type === "radio" && control.name &&
        [...document.getElementsByName(control.name)].some((r) => r.checked && focusable(r))) continue;
    // A label drawn inside a tab stop of its own component (the magnifier in the search
    // field) is part of it.
    const r = label.getBoundingClientRect(), x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
    if ([...label.parentElement.querySelectorAll("input, button, a[href], [tabindex]")].some((n) => {
      if (n === label || !focusable(n) || !visibleStyle(n)) return false;
      const b = n.getBoundingClientRect();
      return b.width > 1 && b.height > 1 && x >= b.left && x <= b.right && y >= b.top && y <= b.bottom;
    })) continue;
    const why = !control.getClientRects().length ? "not rendered" : "not focusable";
    found.push(describe(label) + " (title " + JSON.stringify(label.title || "") + ", in " + (area(label) || "page") + "): its control " + describe(control).split(" ")[0] + " is " + why + ", and the label takes no focus");
  }
  const widgets = '[role=button], [role=link], [role=checkbox], [role=tab], [role=menuitem], [role=switch], [onclick]';
  for (const w of document.querySelectorAll(widgets)) {
    if (shown(w) && !focusable(w) && !w.closest("a[href], button, label")) found.push(describe(w) + ": a widget that takes no focus");
  }
  return found;
}"""
)


@dataclass
class Stop:
    """One focus step of a pass."""

    index: int  # the element's number on this page load (the same element: the same number)
    desc: str
    area: str
    problems: list[tuple[str, str]]
    info: dict = field(repr=False)


@dataclass
class Pass:
    """A pass through the page with Tab (``forward``) or Shift+Tab (``backward``)."""

    direction: str
    stops: list[Stop]
    end: str  # how it ended: "left the document", "wrapped", or a problem
    trouble: list[str]  # a focus trap or loop, or the cap hit
    condition: str = ""  # what else the caller wants reports to name (the colour scheme)

    @property
    def label(self) -> str:
        return f"{self.direction} {self.condition}".strip()


class AccessibleNames:
    """Chromium's accessible name and role of the active element, looked up once per element
    of a page load (by PROBE's element number)."""

    def __init__(self, cdp: CDPSession) -> None:
        self.cdp = cdp
        self.known: dict[int, tuple[str, str, list[str] | None]] = {}

    def reset(self) -> None:
        """Forget the names (a new page load numbers its elements again)."""
        self.known.clear()
        self.release()

    def release(self) -> None:
        """Let the browser free the element references of the look-ups."""
        self.cdp.send("Runtime.releaseObjectGroup", {"objectGroup": "drb-focus"})

    def of_active(self, index: int) -> tuple[str, str, list[str] | None]:
        """(name, role, ignored reasons or None) of document.activeElement."""
        if index not in self.known:
            found = self.cdp.send(
                "Runtime.evaluate",
                {"expression": "document.activeElement", "objectGroup": "drb-focus"},
            )
            tree = self.cdp.send(
                "Accessibility.getPartialAXTree",
                {"objectId": found["result"]["objectId"], "fetchRelatives": False},
            )
            node = tree["nodes"][0] if tree["nodes"] else {}
            name = str(node.get("name", {}).get("value", ""))
            role = str(node.get("role", {}).get("value", ""))
            ignored = None
            if node.get("ignored"):
                ignored = [str(r.get("name")) for r in node.get("ignoredReasons", [])]
            self.known[index] = (name, role, ignored)
        return self.known[index]


def name_problem(name: str, role: str, ignored: list[str] | None) -> str | None:
    if ignored is not None:
        return f"not in the accessibility tree (ignored: {', '.join(ignored) or '?'})"
    if not name.strip():
        return f"no accessible name (role {role or '?'})"
    if not re.search(r"\w", name):
        return f"accessible name {name!r} says nothing (no letter or digit; role {role or '?'})"
    return None


def start_at(page: Page, where: str) -> None:
    """Focus navigation starts at the ``start`` or the ``end`` of the document."""
    page.evaluate(START_AT, where)


def tab_through(page: Page, names: AccessibleNames | None, direction: str, slack: int = 10) -> Pass:
    """Tab (forward) or Shift+Tab (backward) from one end of the page until the focus leaves
    the document or returns to the pass's first stop; judge every stop (a)-(d).

    The number of presses is capped at the page's focusable candidates plus ``slack``:
    reaching the cap without an end, or coming back to a stop other than the first, is
    reported as a focus trap. Without ``names`` the accessible names are not looked up.
    """
    start_at(page, "start" if direction == FORWARD else "end")
    cap = page.evaluate(CANDIDATES) + slack
    stops: list[Stop] = []
    seen: dict[int, int] = {}
    trouble: list[str] = []
    end = ""
    restarts = 0
    for press in range(1, cap + 1):
        page.keyboard.press(KEYS[direction])
        info = page.evaluate(PROBE)
        if info["left"] and not stops and restarts < 2:
            # The press only brought the focus back from the browser's own interface (where
            # a previous pass left it) to the document: start again.
            restarts += 1
            start_at(page, "start" if direction == FORWARD else "end")
            continue
        if info["left"]:
            end = "left the document"
            # The browser's own interface has the focus now: one more press brings it back
            # into the page, where the next pass (or test step) expects it.
            page.keyboard.press(KEYS[direction])
            break
        index = info["index"]
        if stops and index == stops[-1].index:
            continue  # Tab moved inside the element (the day, month and year of a date field)
        if index in seen:
            if seen[index] == 0:
                end = "wrapped"
            else:
                first = stops[seen[index]]
                trouble.append(
                    f"focus trap: after {press} presses of {KEYS[direction]} the focus came back to "
                    f"stop {seen[index] + 1} ({first.desc}) instead of leaving the page; the loop: "
                    + " -> ".join(s.desc for s in stops[seen[index] :][:8])
                )
                end = "loop"
            break
        seen[index] = len(stops)
        problems = [tuple(p) for p in info["problems"]]
        if names is not None:
            problem = name_problem(*names.of_active(index))
            if problem:
                problems.append(("d", problem))
        stops.append(Stop(index, info["desc"], info["area"], problems, info))
    else:
        trouble.append(
            f"focus trap: {cap} presses of {KEYS[direction]} (the page's focusable candidates + "
            f"{slack}) and the focus neither left the page nor came back to its first stop; "
            f"the last stops: " + " -> ".join(s.desc for s in stops[-5:])
        )
        end = "cap"
    if names is not None:
        names.release()
    pending = {s.index: s for s in stops if s.info["needsCompare"]}
    if pending:
        verdicts = page.evaluate(COMPARE, list(pending))
        for index, verdict in verdicts.items():
            if verdict:
                pending[int(index)].problems.append(("c", verdict))
    return Pass(direction, stops, end, trouble)


def pointer_only_controls(page: Page) -> list[str]:
    """Rendered labels and ARIA widgets in the viewport's width that no key can reach."""
    return page.evaluate(POINTER_ONLY)


CHECKS = {
    "a": "(a) in view",
    "b": "(b) not obscured",
    "c": "(c) focus indicator",
    "d": "(d) accessible name",
    "k": "(k) keyboard reachable",
    "t": "(t) no focus trap",
}


def page_report(label: str, passes: list[Pass], extra: list[str] = (), limit: int = 200) -> str:
    """One block for one page load: its problems, each (element, check) once with the passes
    it was found in (the first pass's wording), counted per check; "" when there is none."""
    merged: dict[tuple[int, str], list] = {}
    for p in passes:
        for stop in p.stops:
            for check, text in stop.problems:
                key = (stop.index, check)
                if key not in merged:
                    where = f" in {stop.area}" if stop.area else ""
                    merged[key] = [check, f"{stop.desc}{where}: {text}", []]
                if p.label not in merged[key][2]:
                    merged[key][2].append(p.label)
    lines = [f"{CHECKS[c]} {text} [{', '.join(found)}]" for c, text, found in merged.values()]
    lines += [f"{CHECKS['t']} [{p.label}] {t}" for p in passes for t in p.trouble]
    lines += [f"{CHECKS['k']} {text}" for text in dict.fromkeys(extra)]
    if not lines:
        return ""
    counts: dict[str, int] = {}
    for line in lines:
        counts[line[1]] = counts.get(line[1], 0) + 1
    summary = ", ".join(f"({c}) {n}" for c, n in sorted(counts.items()))
    shown = lines[:limit]
    more = [f"... and {len(lines) - limit} more"] if len(lines) > limit else []
    return f"{label}: {len(lines)} problem(s): {summary}\n    " + "\n    ".join(shown + more)


# --- the accessibility tree of one element ---------------------------------------------


def ax_node(cdp: CDPSession, expression: str) -> dict | None:
    """Chromium's accessibility node of the element a JavaScript ``expression`` evaluates to
    (None when it is no element)."""
    found = cdp.send("Runtime.evaluate", {"expression": expression, "objectGroup": "drb-ax"})
    try:
        result = found["result"]
        if result.get("subtype") != "node" or "objectId" not in result:
            return None
        tree = cdp.send(
            "Accessibility.getPartialAXTree",
            {"objectId": result["objectId"], "fetchRelatives": False},
        )
        return tree["nodes"][0] if tree["nodes"] else {}
    finally:
        cdp.send("Runtime.releaseObjectGroup", {"objectGroup": "drb-ax"})


def ax_summary(node: dict) -> dict:
    """Role, name, ignored reasons and the live-region property of an accessibility node."""
    props = {p["name"]: p.get("value", {}).get("value") for p in node.get("properties", [])}
    ignored = None
    if node.get("ignored"):
        ignored = [str(r.get("name")) for r in node.get("ignoredReasons", [])]
    return {
        "role": str(node.get("role", {}).get("value", "")),
        "name": str(node.get("name", {}).get("value", "")),
        "ignored": ignored,
        "live": props.get("live"),
    }


# --- inside one region: is each focused element uncovered? ------------------------------

# The focused element (or the label that stands for it, as in (a)) once the step has
# settled: null when the focus is not inside ``container``; else its description and what
# is wrong with it (null when nothing): not rendered, transparent or ``visibility: hidden``,
# its centre outside the viewport, or ``document.elementFromPoint`` at its centre hitting
# neither it nor something inside it (another layer lies over it). Before judging it waits
# for the next frame (a focus change starts transitions: the drawer's slide, Material's
# nested layers) and for every finite animation of the page to finish.
UNCOVERED = (
    "async (container) => {"
    + _HELPERS
    + r"""
  let el = focused();
  if (!el || !el.closest || !el.closest(container)) return null;
  await new Promise((resolve) => requestAnimationFrame(resolve));
  await Promise.all(document.getAnimations()
    .filter((a) => a.effect && a.effect.getComputedTiming().iterations !== Infinity)
    .map((a) => a.finished.catch(() => null)));
  const desc = describe(el), href = el.href || null;
  const proxy = proxyOf(el);
  if (!proxy) return { desc, href, problem: "not visible (no rendered box, transparent or visibility: hidden)" };
  const r = proxy.getBoundingClientRect();
  const vw = document.documentElement.clientWidth, vh = document.documentElement.clientHeight;
  const left = Math.max(r.left, 0), right = Math.min(r.right, vw);
  const top = Math.max(r.top, 0), bottom = Math.min(r.bottom, vh);
  const box = "(" + Math.round(r.left) + "," + Math.round(r.top) + " " + Math.round(r.width) + "×" + Math.round(r.height) + ")";
  if (right - left < 1 || bottom - top < 1) return { desc, href, problem: "outside the viewport " + box };
  const hit = document.elementFromPoint((left + right) / 2, (top + bottom) / 2);
  if (hit && (hit === proxy || proxy.contains(hit) || hit === el)) return { desc, href, problem: null };
  return { desc, href, problem: "covered " + box + ": the element at its centre is " + (hit ? describe(hit) : "none") +
    (hit && area(hit) ? " in " + area(hit) : "") };
}"""
)


def uncovered(page: Page, container: str = "body") -> dict | None:
    """The focused element inside ``container`` judged by ``UNCOVERED``: ``{"desc", "href",
    "problem"}`` (``href`` the resolved address of a link, else None; ``problem`` None when
    it is visible and uncovered), or None when the focus is not inside ``container``."""
    return page.evaluate(UNCOVERED, container)


def tab_within(page: Page, container: str, slack: int = 5) -> tuple[list[dict], list[str]]:
    """From the focused element inside ``container``, press Tab until the focus leaves
    ``container`` or comes back to the first stop (wraps), judging every stop with
    ``uncovered``. Returns the stops (``uncovered``'s dicts) and the problems (one line
    each, with the stop's number). The presses are capped at the focusable candidates inside
    ``container`` plus ``slack`` (reported as a trap)."""
    cap = page.locator(container).evaluate(
        "(c) => c.querySelectorAll('a[href], button, input, select, textarea, [tabindex]').length"
    )
    cap += slack
    marker = "__drbWithinFirst"
    stops: list[dict] = []
    problems: list[str] = []
    for _ in range(cap):
        found = uncovered(page, container)
        if found is None:
            return stops, problems
        if stops and page.evaluate(f"() => document.activeElement === window.{marker}"):
            return stops, problems  # wrapped
        if not stops:
            page.evaluate(f"() => {{ window.{marker} = document.activeElement; }}")
        stops.append(found)
        if found["problem"]:
            problems.append(f"stop {len(stops)}: {found['desc']}: {found['problem']}")
        page.keyboard.press("Tab")
    problems.append(
        f"{cap} presses of Tab and the focus neither left {container} nor came back to its "
        f"first stop; the last stops: " + " -> ".join(s["desc"] for s in stops[-5:])
    )
    return stops, problems
