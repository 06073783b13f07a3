/**
 * How wrong PINs lock a registration number. Guesses are counted per client address, so one
 * address guessing wrong locks only itself out of the number for an hour, never its owner
 * elsewhere; and per number and UTC day across all addresses, so that many addresses together
 * still get at most MAX_PIN_FAILURES_PER_DAY guesses a day: against a 16-digit PIN (10^16, 53
 * bits) that is about 7,300 guesses a year, a chance below 10^-12 of finding it.
 */
import { addDays, addMinutes, utcDay } from "./dates.ts";

/** Wrong PINs allowed from one address within ADDRESS_LOCK_MINUTES before it is locked out. */
export const MAX_PIN_FAILURES = 5;
export const ADDRESS_LOCK_MINUTES = 60;
/** Wrong PINs allowed on one number per UTC day, from all addresses, before it locks for the day. */
export const MAX_PIN_FAILURES_PER_DAY = 20;

/** A count of wrong PINs, of one address on one number or of one number on one day. */
export interface FailureCount {
  readonly failures: number;
  /** ISO timestamp, or null while not locked. */
  readonly lockedUntil: string | null;
  readonly lastFailureAt: string;
}

/** When the lock of a count ends, or null when it does not hold at `now`. */
export function runningLock(count: FailureCount | undefined, now: Date): string | null {
  return count?.lockedUntil && Date.parse(count.lockedUntil) > now.getTime() ? count.lockedUntil : null;
}

/** The later of two lock ends (either may be null). */
export function laterLock(a: string | null, b: string | null): string | null {
  if (a === null || b === null) return a ?? b;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

/** One address's count after a wrong PIN: failures older than an hour, or a lock run out, start it again. */
export function afterAddressFailure(count: FailureCount | undefined, now: Date): FailureCount {
  const windowStart = addMinutes(now, -ADDRESS_LOCK_MINUTES).getTime();
  const fresh = !count || count.lockedUntil !== null || Date.parse(count.lastFailureAt) <= windowStart;
  const failures = (fresh ? 0 : count.failures) + 1;
  return {
    failures,
    lockedUntil: failures >= MAX_PIN_FAILURES ? addMinutes(now, ADDRESS_LOCK_MINUTES).toISOString() : null,
    lastFailureAt: now.toISOString(),
  };
}

/** One number's count after a wrong PIN: a new UTC day, or a lock run out, start it again. */
export function afterNumberFailure(count: FailureCount | undefined, now: Date): FailureCount {
  const fresh = !count || count.lockedUntil !== null || utcDay(new Date(count.lastFailureAt)) !== utcDay(now);
  const failures = (fresh ? 0 : count.failures) + 1;
  const nextMidnight = addDays(new Date(`${utcDay(now)}T00:00:00.000Z`), 1);
  return {
    failures,
    lockedUntil: failures >= MAX_PIN_FAILURES_PER_DAY ? nextMidnight.toISOString() : null,
    lastFailureAt: now.toISOString(),
  };
}

/** Wrong PINs the address may still send before either limit locks it out. */
export function attemptsLeft(address: FailureCount, number: FailureCount): number {
  return Math.max(
    0,
    Math.min(MAX_PIN_FAILURES - address.failures, MAX_PIN_FAILURES_PER_DAY - number.failures),
  );
}
