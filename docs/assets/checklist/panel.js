/* The home page's panel, `<div data-drb-module="panel">` (index.md.j2): export, import,
 * share link and reset. Imported by init.js only on a page that has the panel; the code of
 * each action (transfer.js, share.js, dialog.js) when it is first used. */
import { SHARE_PREFIX } from "./store.js";
import { plural } from "./progress.js";

function warn(error) {
  console.warn("drejebog checklist:", error);
}

/** The dialogs' code, loaded when one is first needed; the export's and import's likewise. */
const dialogs = () => import("./dialog.js");
const transfer = () => import("./transfer.js");

const FILE_MAX = 5e6;

/** Safari may delete a site's data after 7 days without a visit: say so there. */
export function isSafari(ua = navigator.userAgent) {
  return /AppleWebKit/.test(ua) && /Safari/.test(ua) && !/Chrome|Chromium|CriOS|Edg|FxiOS|OPR|Android/.test(ua);
}

export class Panel {
  constructor(root, app) {
    this.root = root;
    this.app = app;
    (root.querySelector(".drb-safari")).hidden = !isSafari();
    root.hidden = false;
  }

  act(type, action, el) {
    if (type === "click" && action === "export") this.export().catch(warn);
    else if (type === "click" && action === "share") this.share().catch(warn);
    else if (type === "click" && action === "reset") this.confirmReset().catch(warn);
    // "Importér fra fil" (a button) opens the picker of the hidden file input; the input's
    // change imports (its own click, made here, is no button's).
    else if (type === "click" && action === "import" && el.localName === "button") this.root.querySelector(".drb-import").click();
    else if (type === "change" && action === "import") this.import(el).catch(warn);
  }

  /** @param {(text: string) => void} say  where the result is said (the reset dialog's own line) */
  async export(say = (text) => this.app.message(text)) {
    (await transfer()).download(this.app, say);
  }

  async import(input) {
    const app = this.app;
    const file = input.files[0];
    input.value = "";
    if (file.size > FILE_MAX) {
      app.message("Filen kunne ikke importeres: den er for stor til at være en eksport fra drejebogen. Intet er ændret.");
      return;
    }
    const text = await file.text().catch(() => ""); // unreadable: refused as "not JSON"
    const result = (await transfer()).parseImport(text, app.store.statuses);
    if ("error" in result) {
      app.message("Filen kunne ikke importeres: " + result.error + " Intet er ændret.");
      return;
    }
    (await dialogs()).confirmImport(app, result);
  }

  async share() {
    const app = this.app;
    const { encodeShare } = await import("./share.js"); // only when a link is made
    const link = encodeShare(app.store.tasks, app.config.statuses);
    const url = app.root.href + SHARE_PREFIX + link.code;
    const field = this.root.querySelector(".drb-share-field");
    const input = this.root.querySelector(".drb-share-url");
    field.hidden = false;
    input.value = url;
    const about = "Linket viser status for " + plural(link.count, "opgave", "opgaver") + ". Dine noter kommer ikke med.";
    // Where the clipboard is not allowed (or missing), the link is selected to copy by hand.
    Promise.resolve()
      .then(() => navigator.clipboard.writeText(url))
      .then(
        () => app.message("Linket er kopieret. " + about),
        () => {
          input.focus();
          input.select();
          app.message("Kopiér linket i feltet herunder. " + about);
        },
      );
  }

  async confirmReset() {
    (await dialogs()).confirmReset(this.app, (say) => this.export(say).catch(warn));
  }
}
