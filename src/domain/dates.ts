import { badRequest } from "./errors.ts";

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date as YYYY-MM-DD; rejects impossible dates such as 2024-02-30. */
export function parseIsoDate(text: unknown, field = "date"): string {
  const match = typeof text === "string" ? ISO_DATE.exec(text) : null;
  if (match) {
    const [, y, m, d] = match.map(Number) as [number, number, number, number];
    const date = new Date(Date.UTC(y, m - 1, d));
    if (date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d)
      return text as string;
  }
  throw badRequest(
    "invalid_date",
    `${field} must be a calendar date as YYYY-MM-DD, got ${JSON.stringify(text)}.`,
    {
      field,
    },
  );
}

/** No product of the vendor was sold before its first release in 1991. */
export const EARLIEST_PURCHASE_DATE = "1991-01-01";

/**
 * Why a purchase date is not acceptable, or null when it is: a calendar date as YYYY-MM-DD, not
 * after `today` (YYYY-MM-DD, the service clock's UTC day) and not before EARLIEST_PURCHASE_DATE.
 * Every way a purchase date enters (issue, registration card, registration forms) asks this.
 */
export function purchaseDateProblem(value: unknown, today: string): string | null {
  if (!isIsoDate(value)) return "must be a calendar date as YYYY-MM-DD";
  if (value > today) return `cannot be later than today (${today})`;
  if (value < EARLIEST_PURCHASE_DATE) return `cannot be earlier than ${EARLIEST_PURCHASE_DATE}`;
  return null;
}

/** The purchase date, or 400 invalid_date naming the field. */
export function validatePurchaseDate(value: unknown, today: string, field = "purchaseDate"): string {
  const problem = purchaseDateProblem(value, today);
  if (problem === null) return value as string;
  throw badRequest("invalid_date", `${field} ${problem}, got ${JSON.stringify(value)}.`, { field });
}

function isIsoDate(value: unknown): value is string {
  try {
    parseIsoDate(value);
    return true;
  } catch {
    return false;
  }
}

/** The UTC day (YYYY-MM-DD) of a moment. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** An ISO timestamp as people read it: "2026-11-16 10:15:00 UTC". */
export function readableUtc(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

export function addMinutes(date: Date, minutes: number): Date {
  return new Date(date.getTime() + minutes * 60_000);
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}
