/** Calendar months as "YYYY-MM", the unit in which support subscriptions are sold. All in UTC. */
import { badRequest } from "./errors.ts";

const DAY_MS = 86_400_000;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(text: unknown): text is string {
  return typeof text === "string" && MONTH.test(text);
}

export function parseMonth(text: unknown, field = "month"): string {
  if (isMonth(text)) return text;
  throw badRequest(
    "invalid_month",
    `${field} must be a calendar month as YYYY-MM, got ${JSON.stringify(text)}.`,
    { field },
  );
}

/** Months since year 0, so month arithmetic is plain integer arithmetic. */
function monthIndex(month: string): number {
  const valid = parseMonth(month);
  return Number(valid.slice(0, 4)) * 12 + Number(valid.slice(5, 7)) - 1;
}

function monthFromIndex(index: number): string {
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}`;
}

function assertInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be an integer, got ${n}`);
}

/** A UTC date; setUTCFullYear because Date.UTC maps years 0-99 to 1900-1999. */
function utcDate(year: number, monthZeroBased: number, day: number, timeOfDay = 0): Date {
  const date = new Date(timeOfDay);
  date.setUTCFullYear(year, monthZeroBased, day);
  return date;
}

export function monthOf(date: Date): string {
  return monthFromIndex(date.getUTCFullYear() * 12 + date.getUTCMonth());
}

export function addMonths(month: string, n: number): string {
  assertInteger(n, "n");
  return monthFromIndex(monthIndex(month) + n);
}

export function compareMonths(a: string, b: string): number {
  return Math.sign(monthIndex(a) - monthIndex(b));
}

/** How many months a span from `fromMonth` to `toMonth`, both included, has (0 or less when `toMonth` comes first). */
export function monthCount(fromMonth: string, toMonth: string): number {
  return monthIndex(toMonth) - monthIndex(fromMonth) + 1;
}

/** The last month of a span of `months` months starting with `fromMonth`. */
export function monthsInSpan(fromMonth: string, months: number): string {
  assertInteger(months, "months");
  if (months < 1) throw new RangeError(`a span has at least one month, got ${months}`);
  return addMonths(fromMonth, months - 1);
}

/** 00:00Z on the first day of the month. */
export function monthStart(month: string): Date {
  const index = monthIndex(month);
  return utcDate(Math.floor(index / 12), index % 12, 1);
}

/** The same day `n` months later (time of day kept), clamped to the month's end: Jan 31 + 1 -> Feb 28/29. */
export function addCalendarMonths(date: Date, n: number): Date {
  assertInteger(n, "n");
  const index = date.getUTCFullYear() * 12 + date.getUTCMonth() + n;
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  const lastDay = utcDate(year, month + 1, 0).getUTCDate();
  const timeOfDay = ((date.getTime() % DAY_MS) + DAY_MS) % DAY_MS;
  return utcDate(year, month, Math.min(date.getUTCDate(), lastDay), timeOfDay);
}
