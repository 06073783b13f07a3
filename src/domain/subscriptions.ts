/**
 * The support subscription (ITS): it covers its main registration number and its additional
 * numbers for every calendar month of its span. A new PROF purchase also has a free period,
 * counted to the day from the purchase date.
 */
import type { Edition } from "./catalogue.ts";
import { addDays, parseIsoDate } from "./dates.ts";
import { badRequest } from "./errors.ts";
import {
  addCalendarMonths,
  addMonths,
  compareMonths,
  isMonth,
  monthCount,
  monthStart,
  monthsInSpan,
} from "./months.ts";
import { REGISTRATION_NUMBER } from "./pin.ts";

export interface Subscription {
  mainNumber: string;
  fromMonth: string;
  months: number;
  additionalNumbers: readonly string[];
}

export const MAX_SUBSCRIPTION_MONTHS = 120;
/** No subscription was sold before the first one; an earlier month is a typing error. */
const FIRST_SUBSCRIPTION_MONTH = "1991-01";

function invalid(message: string, field: string) {
  return badRequest("invalid_subscription", message, { field });
}

function isRegistrationNumber(value: unknown): value is string {
  return typeof value === "string" && REGISTRATION_NUMBER.test(value);
}

/** The number of months of a span given by `months`, by its last month `toMonth`, or by both (they must agree). */
function spanMonths(fromMonth: string, months: unknown, toMonth: unknown): number {
  if (toMonth !== undefined) {
    if (!isMonth(toMonth)) {
      throw invalid(
        `toMonth must be a calendar month as YYYY-MM, got ${JSON.stringify(toMonth)}.`,
        "toMonth",
      );
    }
    const span = monthCount(fromMonth, toMonth);
    if (span < 1) throw invalid(`toMonth ${toMonth} comes before fromMonth ${fromMonth}.`, "toMonth");
    if (span > MAX_SUBSCRIPTION_MONTHS) {
      throw invalid(
        `A subscription lasts at most ${MAX_SUBSCRIPTION_MONTHS} months; ${fromMonth} to ${toMonth} is ${span}.`,
        "toMonth",
      );
    }
    if (months !== undefined && months !== span) {
      throw invalid(
        `months (${JSON.stringify(months)}) disagrees with ${fromMonth} to ${toMonth} (${span}).`,
        "months",
      );
    }
    return span;
  }
  if (
    typeof months !== "number" ||
    !Number.isInteger(months) ||
    months < 1 ||
    months > MAX_SUBSCRIPTION_MONTHS
  ) {
    throw invalid(
      `months must be a whole number from 1 to ${MAX_SUBSCRIPTION_MONTHS} (or give toMonth).`,
      "months",
    );
  }
  // Beyond 9999-12 there is no YYYY-MM month to end in.
  if (!isMonth(monthsInSpan(fromMonth, months))) {
    throw invalid(`A subscription from ${fromMonth} cannot last ${months} months.`, "months");
  }
  return months;
}

/**
 * Checks a subscription as a partner or the vendor records it: its span is `months` months from
 * `fromMonth`, or runs from `fromMonth` to `toMonth` (both included); `additionalNumbers` may be omitted.
 */
export function validateSubscription(input: unknown): Subscription {
  const raw = (typeof input === "object" && input !== null ? input : {}) as Record<string, unknown>;
  const { mainNumber, fromMonth } = raw;
  const additional = raw.additionalNumbers ?? [];
  if (!isRegistrationNumber(mainNumber)) {
    throw invalid("mainNumber must be a registration number of 8 to 12 digits.", "mainNumber");
  }
  if (!isMonth(fromMonth)) {
    throw invalid(
      `fromMonth must be a calendar month as YYYY-MM, got ${JSON.stringify(fromMonth)}.`,
      "fromMonth",
    );
  }
  if (compareMonths(fromMonth, FIRST_SUBSCRIPTION_MONTH) < 0) {
    throw invalid(`fromMonth must be ${FIRST_SUBSCRIPTION_MONTH} or later, got ${fromMonth}.`, "fromMonth");
  }
  const months = spanMonths(fromMonth, raw.months, raw.toMonth);
  if (!Array.isArray(additional) || !additional.every(isRegistrationNumber)) {
    throw invalid(
      "additionalNumbers must be a list of registration numbers of 8 to 12 digits.",
      "additionalNumbers",
    );
  }
  if (additional.includes(mainNumber)) {
    throw invalid(`The main number ${mainNumber} cannot also be an additional number.`, "additionalNumbers");
  }
  const duplicate = additional.find((number, i) => additional.indexOf(number) !== i);
  if (duplicate !== undefined) {
    throw invalid(`The additional number ${duplicate} is listed more than once.`, "additionalNumbers");
  }
  return { mainNumber, fromMonth, months, additionalNumbers: [...additional] };
}

/** Whether two subscriptions of one main number share a month. */
export function spansOverlap(a: Subscription, b: Subscription): boolean {
  return (
    a.mainNumber === b.mainNumber &&
    compareMonths(a.fromMonth, monthsInSpan(b.fromMonth, b.months)) <= 0 &&
    compareMonths(b.fromMonth, monthsInSpan(a.fromMonth, a.months)) <= 0
  );
}

/** Whether two subscriptions say the same: main number, span, and additional numbers in any order. */
export function isSameSubscription(a: Subscription, b: Subscription): boolean {
  return (
    a.mainNumber === b.mainNumber &&
    a.fromMonth === b.fromMonth &&
    a.months === b.months &&
    a.additionalNumbers.length === b.additionalNumbers.length &&
    a.additionalNumbers.every((number) => b.additionalNumbers.includes(number))
  );
}

function coversNumber(subscription: Subscription, number: string): boolean {
  return subscription.mainNumber === number || subscription.additionalNumbers.includes(number);
}

export function isCoveredInMonth(
  number: string,
  subscriptions: readonly Subscription[],
  month: string,
): boolean {
  return subscriptions.some(
    (s) =>
      coversNumber(s, number) &&
      compareMonths(s.fromMonth, month) <= 0 &&
      compareMonths(month, monthsInSpan(s.fromMonth, s.months)) <= 0,
  );
}

/** The exclusive end of the free period: [purchaseDate 00:00Z, that date + freeMonths calendar months). */
export function freeSupportEnd(purchaseDate: string, freeMonths: number): Date | null {
  if (!Number.isInteger(freeMonths) || freeMonths < 0) {
    throw badRequest(
      "invalid_free_support_months",
      "Free support months must be a whole number, 0 or more.",
      {
        freeMonths,
      },
    );
  }
  if (freeMonths === 0) return null;
  return addCalendarMonths(new Date(`${parseIsoDate(purchaseDate, "purchaseDate")}T00:00:00Z`), freeMonths);
}

export interface SupportStatusInput {
  number: string;
  edition: Edition;
  purchaseDate: string | null;
  freeSupportMonths: number;
  subscriptions: readonly Subscription[];
  now: Date;
}

export interface SupportStatus {
  coveredThisMonth: boolean;
  /** The last day (YYYY-MM-DD) of the unbroken coverage that includes now; null when not covered. */
  until: string | null;
  needed: boolean;
}

interface Span {
  start: number;
  end: number; // exclusive
}

function coverageSpans(input: SupportStatusInput): Span[] {
  const spans = input.subscriptions
    .filter((s) => coversNumber(s, input.number))
    .map((s) => ({
      start: monthStart(s.fromMonth).getTime(),
      end: monthStart(addMonths(s.fromMonth, s.months)).getTime(),
    }));
  if (input.purchaseDate !== null) {
    const end = freeSupportEnd(input.purchaseDate, input.freeSupportMonths);
    if (end) spans.push({ start: Date.parse(`${input.purchaseDate}T00:00:00Z`), end: end.getTime() });
  }
  return spans.sort((a, b) => a.start - b.start);
}

export function supportStatus(input: SupportStatusInput): SupportStatus {
  if (input.edition === "basic") return { coveredThisMonth: true, until: null, needed: false };
  // Paid spans are whole months, so covering now is covering the current month; the free span is date-precise.
  const at = input.now.getTime();
  const spans = coverageSpans(input);
  let end: number | null = null;
  for (const span of spans) {
    if (span.start <= at && at < span.end && (end === null || span.end > end)) end = span.end;
  }
  if (end === null) return { coveredThisMonth: false, until: null, needed: true };
  // Chain later spans that start before (or exactly when) the coverage so far ends.
  for (const span of spans) {
    if (span.start > end) break;
    if (span.end > end) end = span.end;
  }
  const until = addDays(new Date(end), -1).toISOString().slice(0, 10);
  return { coveredThisMonth: true, until, needed: true };
}
