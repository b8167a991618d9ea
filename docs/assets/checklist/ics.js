// @ts-check
/* Calendar files (iCalendar, RFC 5545) of the plan's dated tasks, no DOM: the events (one per
 * open task with a date), the file's text and its name. A task's UID stays the same from one
 * download to the next, so importing a new file updates the events already in a calendar;
 * SEQUENCE rises with the time of the download. The caller offers the text as
 * `text/calendar;charset=utf-8` (a Blob and an a[download]). */
import { parseISODate, startDay } from "./dates.js";
import { applies } from "./plan.js";

const DAY = 864e5;
const MINUTE = 6e4;
/** SEQUENCE counts whole minutes from here. */
const SEQUENCE_EPOCH = Date.UTC(2026, 0, 1);
/** The days a DATE value can hold (0001-01-01 … 9999-12-30: the day after is DTEND). */
const FIRST_DAY = -719162;
const LAST_DAY = 2932895;
const RRULE = { monthly: "FREQ=MONTHLY", quarterly: "FREQ=MONTHLY;INTERVAL=3", yearly: "FREQ=YEARLY" };
/** A content line's octets before it is folded; a continuation line has one less (its space). */
const LINE_OCTETS = 75;
const CRLF = "\r\n";

/**
 * @typedef {import("./progress.js").ManifestTask} ManifestTask
 * @typedef {{id: string, title: string, url: string, day: number, repeat?: "monthly" | "quarterly" | "yearly"}} CalendarEvent
 * @typedef {{uidKey: string, host: string, stamp: number, name?: string}} CalendarOptions
 *   uidKey: the practice's key in the UIDs; host: the site's host; stamp: the time of the
 *   download (ms since the epoch); name: the clinic's name
 */

/** @param {string} status */
const isOpen = (status) => status === "todo" || status === "doing";

/** @param {unknown} kind @returns {kind is keyof typeof RRULE} */
const isRepeat = (kind) => typeof kind === "string" && Object.hasOwn(RRULE, kind);

/** Whether `day` is a whole day number a DATE value (and the next day) can hold. @param {number} day */
const writable = (day) => Number.isInteger(day) && day >= FIRST_DAY && day <= LAST_DAY;

/**
 * The task's day in the calendar: opening + `due`, else its start day (dates.startDay); null
 * when it has neither. A repeated task always has one: its start day, else its due day, else
 * the opening day (the first of the series).
 * @param {ManifestTask} task @param {number} opening
 * @returns {number | null}
 */
function eventDay(task, opening) {
  const due = task.due ?? null;
  const start = startDay(task, opening);
  if (isRepeat(task.repeat)) return start ?? (due === null ? opening : opening + due);
  return due === null ? start : opening + due;
}

/**
 * The calendar's events: one per actionable (kind "task"), open (todo/doing) task that applies
 * to the practice's type and has a day (eventDay), in runbook order. [] without a valid
 * opening date. A task whose day no calendar can hold (not a whole number of days, or outside
 * the years 1–9999) gets no event.
 * @param {ManifestTask[]} order  the tasks in runbook order (progress.indexManifest's order)
 * @param {(id: string) => string} statusOf
 * @param {import("./plan.js").Practice} practice  the practice's settings
 * @param {string | URL} siteUrl  the site's root, e.g. `new URL("../../", import.meta.url)`
 * @returns {CalendarEvent[]}
 */
export function eventsOf(order, statusOf, practice, siteUrl) {
  const opening = parseISODate(practice && practice.opening);
  if (opening === null) return [];
  /** @type {CalendarEvent[]} */
  const events = [];
  for (const task of order) {
    if (task.kind !== "task" || !isOpen(statusOf(task.id)) || !applies(task, practice.type)) continue;
    const day = eventDay(task, opening);
    if (day === null || !writable(day)) continue;
    /** @type {CalendarEvent} */
    const event = {
      id: task.id,
      title: task.title,
      url: new URL(task.group.url + "#" + task.id, siteUrl).href,
      day,
    };
    if (isRepeat(task.repeat)) event.repeat = task.repeat;
    events.push(event);
  }
  return events;
}

/**
 * A string as it can go into the file: well-formed UTF-16 (a lone surrogate becomes U+FFFD,
 * as TextEncoder would write it), line breaks as "\n", and no control characters but the
 * newline and the tab. @param {unknown} value
 */
function clean(value) {
  return String(value ?? "")
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD")
    .replace(/\r\n?/g, "\n")
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, "");
}

/** A TEXT value (RFC 5545 3.3.11): `\` `;` `,` and the newline escaped. @param {unknown} value */
function escapeText(value) {
  return clean(value).replace(/[\\;,]/g, "\\$&").replace(/\n/g, "\\n");
}

/**
 * A URI value: anything but printable ASCII percent-encoded (URL#href already is).
 * @param {string} url
 */
function uri(url) {
  return clean(url).replace(/[^\x21-\x7E]/gu, encodeURIComponent);
}

/** A day number as a DATE value, "20270215". @param {number} day */
function dateValue(day) {
  if (!writable(day)) throw new RangeError("not a day a calendar can hold: " + day);
  const d = new Date(day * DAY);
  return String(d.getUTCFullYear()).padStart(4, "0")
    + String(d.getUTCMonth() + 1).padStart(2, "0") + String(d.getUTCDate()).padStart(2, "0");
}

/** A time (ms since the epoch) as a UTC DATE-TIME value, "20270104T100000Z". @param {number} ms */
function utcValue(ms) {
  return new Date(ms).toISOString().replace(/[-:]|\.\d+/g, "");
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * One content line, folded (RFC 5545 3.1): no physical line over 75 octets of UTF-8, a
 * continuation starts with one space, and a break never falls inside a character's octets.
 * @param {string} line  well-formed (see clean), without CR or LF
 */
function fold(line) {
  const bytes = encoder.encode(line);
  if (bytes.length <= LINE_OCTETS) return line;
  const parts = [];
  let limit = LINE_OCTETS;
  for (let i = 0; i < bytes.length;) {
    let end = Math.min(i + limit, bytes.length);
    // Back up to the first octet of a character (continuation octets are 10xxxxxx).
    while (end < bytes.length && (bytes[end] & 0xc0) === 0x80) end--;
    parts.push(decoder.decode(bytes.subarray(i, end)));
    i = end;
    limit = LINE_OCTETS - 1;
  }
  return parts.join(CRLF + " ");
}

/**
 * The calendar file's text (RFC 5545, UTF-8): a VCALENDAR named "Drejebog" (or
 * "Drejebog – <name>") with one all-day VEVENT per event, every line folded and ended by CRLF.
 * Any title or name gives a valid file (escaped; control characters dropped).
 * UID `<id>.<uidKey>@<host>` is the same for the same task and practice in every download;
 * SEQUENCE is the whole minutes from 2026-01-01 to `stamp`, so a later download wins.
 * @param {CalendarEvent[]} events
 * @param {CalendarOptions} options
 * @returns {string}
 */
export function calendar(events, { uidKey, host, stamp, name }) {
  const clinic = clean(name).trim();
  const dtstamp = utcValue(stamp);
  const sequence = Math.max(0, Math.floor((stamp - SEQUENCE_EPOCH) / MINUTE));
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Region Midtjylland//Drejebog//DA",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    "X-WR-CALNAME:" + escapeText(clinic ? "Drejebog – " + clinic : "Drejebog"),
  ];
  for (const event of events) {
    const url = uri(event.url);
    const about = (clinic ? ["Praksis: " + clinic] : []).concat("Opgave i drejebogen: " + url);
    lines.push(
      "BEGIN:VEVENT",
      "UID:" + escapeText(event.id + "." + uidKey + "@" + host),
      "DTSTAMP:" + dtstamp,
      "SEQUENCE:" + sequence,
      "DTSTART;VALUE=DATE:" + dateValue(event.day),
      "DTEND;VALUE=DATE:" + dateValue(event.day + 1),
    );
    if (isRepeat(event.repeat)) lines.push("RRULE:" + RRULE[event.repeat]);
    lines.push(
      "SUMMARY:" + escapeText(event.title),
      "DESCRIPTION:" + escapeText(about.join("\n")),
      "URL:" + url,
      "TRANSP:TRANSPARENT",
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return lines.map(fold).join(CRLF) + CRLF;
}

/**
 * The file's name: "drejebog.ics", or with the clinic's name "drejebog-<slug>.ics" (ASCII:
 * æ → ae, ø → oe, å → aa, ß → ss, other accents dropped, anything else a hyphen; at most 40
 * characters).
 * @param {string} [name]
 */
export function calendarFileName(name) {
  const slug = clean(name).toLowerCase()
    .replace(/æ/g, "ae").replace(/ø/g, "oe").replace(/å/g, "aa").replace(/ß/g, "ss")
    .normalize("NFKD").replace(/\p{M}/gu, "")
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, 40)
    .replace(/^-+|-+$/g, "");
  return slug ? "drejebog-" + slug + ".ics" : "drejebog.ics";
}
