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

export function addMinutes(date: Date, minutes: number): Date {
  return new Date(date.getTime() + minutes * 60_000);
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}
