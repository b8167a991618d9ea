// @ts-check
/* Calendar dates as day numbers, Date.UTC(y, m - 1, d) / 864e5: whole days are added to
 * the number and it is shown in UTC, so no time zone or summer time shifts a date. Danish
 * wording from Intl. No DOM. */

const DAY = 864e5;
const REPEAT = { monthly: "hver måned", quarterly: "hvert kvartal", yearly: "hvert år" };

/**
 * @typedef {{due?: number, earliest?: number, after?: string, before?: string, repeat?: string}} Timing
 * @typedef {{state: "not-yet" | "due" | "today" | "overdue" | "none", day: number | null, text: string}} Window
 */

/**
 * "2027-02-01" (an input[type=date]'s value) to its day number; null unless a real date.
 * @param {unknown} text
 * @returns {number | null}
 */
export function parseISODate(text) {
  const m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(String(text));
  if (!m) return null;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  // 2027-02-30 rolls over into March; year 0050 into 1950.
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3]
    ? d.getTime() / DAY
    : null;
}

/** The visitor's local calendar date as a day number. */
export function todayDay(now = new Date()) {
  return Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()) / DAY;
}

/**
 * "8. januar 2027", with weekday "fredag den 8. januar 2027".
 * @param {number} day
 * @param {{weekday?: boolean}} [options]
 */
export function formatDate(day, { weekday = false } = {}) {
  // Each text is made once: Intl's formatting costs, and a page with a thousand dated
  // tasks shows far fewer different dates.
  const key = (weekday ? "w" : "d") + day;
  let text = texts.get(key);
  if (text === undefined) {
    formats[key[0]] ||= new Intl.DateTimeFormat("da-DK", {
      weekday: weekday ? "long" : undefined, day: "numeric", month: "long", year: "numeric", timeZone: "UTC",
    });
    text = formats[key[0]].format(day * DAY);
    texts.set(key, text);
  }
  return text;
}

/** @type {Record<string, Intl.DateTimeFormat>} */
const formats = {};
/** @type {Map<string, string>} */
const texts = new Map();
/** @type {Intl.RelativeTimeFormat | undefined} */
let relative;

/** `days` from today: "i dag", "i morgen", "om 12 dage", "for 3 dage siden". @param {number} days */
export function relativeDays(days) {
  const key = "r" + days;
  let text = texts.get(key);
  if (text === undefined) {
    relative ||= new Intl.RelativeTimeFormat("da", { numeric: "auto" });
    text = relative.format(days, "day");
    texts.set(key, text);
  }
  return text;
}

/**
 * The day the task can be started at the earliest: `earliest`, else the opening day for
 * an after-only task; null when any day will do. @param {Timing} task @param {number} opening
 */
export function startDay(task, opening) {
  const earliest = task.earliest ?? (task.after && !task.before ? 0 : null);
  return earliest === null ? null : opening + earliest;
}

/**
 * The task's window seen from `today`, as a sentence for its card; "Gentages hver måned"
 * (…kvartal, …år) is added for a repeated task. Without an opening date (null) only the
 * repetition is said. null when there is nothing to say.
 * @param {Timing} task
 * @param {number | null} opening  the opening day
 * @param {number} today
 * @returns {Window | null}
 */
export function windowOf(task, opening, today) {
  /** @type {Window} */
  let w = { state: "none", day: null, text: "" };
  if (opening !== null) {
    const start = startDay(task, opening);
    const due = task.due ?? null;
    if (start !== null && today < start) {
      w = { state: "not-yet", day: start, text: "Kan tidligst gøres fra " + formatDate(start) };
    } else if (due !== null) {
      const day = opening + due;
      const late = today - day;
      w = late > 0
        ? { state: "overdue", day, text: "Forsinket " + late + (late === 1 ? " dag" : " dage") }
        : late
          ? { state: "due", day, text: `Senest ${formatDate(day, { weekday: true })} (${relativeDays(-late)})` }
          : { state: "today", day, text: "Senest i dag" };
    }
  }
  const repeat = REPEAT[/** @type {keyof REPEAT} */ (task.repeat)];
  if (repeat) w.text += (w.text && ". ") + "Gentages " + repeat;
  return w.text ? w : null;
}
