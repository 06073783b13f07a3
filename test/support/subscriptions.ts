import type { Subscription } from "../../src/domain/subscriptions.ts";

/** A subscription as the unit tests write it: main number, first month, months, additional numbers. */
export function sub(
  mainNumber: string,
  fromMonth: string,
  months: number,
  additionalNumbers: string[] = [],
): Subscription {
  return { mainNumber, fromMonth, months, additionalNumbers };
}
