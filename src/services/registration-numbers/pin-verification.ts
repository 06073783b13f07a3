import type { Kysely } from "kysely";
import { inTransaction } from "../../db/repositories/index.ts";
import type {
  RegistrationNumberRow,
  RegistrationNumbersRepository,
} from "../../db/repositories/registration-numbers.ts";
import type { Database } from "../../db/schema.ts";
import type { Clock } from "../../domain/clock.ts";
import { addMinutes } from "../../domain/dates.ts";
import { type AppError, forbidden } from "../../domain/errors.ts";
import { parsePin, validateRegistrationNumber } from "../../domain/pin.ts";
import {
  ADDRESS_LOCK_MINUTES,
  afterAddressFailure,
  afterNumberFailure,
  attemptsLeft,
  laterLock,
  runningLock,
} from "../../domain/pin-lock.ts";
import { pinHash, pinHashesEqual } from "./pin-hash.ts";

function pinLockedError(lockedUntil: string): AppError {
  return forbidden(
    "pin_locked",
    `Too many wrong PINs for this registration number; try again after ${lockedUntil}.`,
    { lockedUntil },
  );
}

export interface PinVerificationDeps {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  /** Server key under which PINs are stored as HMAC-SHA256. */
  readonly pinKey: Buffer;
  /** The repository made over `db`. */
  readonly registrationNumbers: RegistrationNumbersRepository;
  /** A number's row, or registration_number_not_found. */
  readonly requireNumber: (number: string) => Promise<RegistrationNumberRow>;
  /** The PIN comparison; tests wrap it to count how many PINs were compared. */
  readonly comparePins?: (expected: Buffer, actual: Buffer) => boolean;
}

/** PIN checks under the PIN lock, and the lifting of a lock. */
export function createPinVerification(deps: PinVerificationDeps) {
  const { db, clock, pinKey, registrationNumbers, requireNumber } = deps;
  const comparePins = deps.comparePins ?? pinHashesEqual;
  // A stand-in hash, so an unknown number or one without a PIN costs the same comparison.
  const decoy = Buffer.from(pinHash(pinKey, "0", "0"), "hex");

  /**
   * One PIN attempt from a client address on a number that has a PIN, in a short transaction of
   * its own: the number's pin_attempts row is write-locked first (a no-op UPDATE takes
   * PostgreSQL's row lock; SQLite's transaction holds the only connection), then the locks and
   * counts of the number and of the address are read, the PIN is compared, and a failure is
   * counted in both before the row is released. Attempts on one number thus run one after the
   * other, whatever their address, so concurrent guesses cannot all be compared before a count
   * locks them out: at most MAX_PIN_FAILURES wrong PINs from one address in an hour, and
   * MAX_PIN_FAILURES_PER_DAY from all addresses in a UTC day. The transaction commits on its own,
   * so a registration that fails later never rolls a failure back.
   */
  async function attempt(
    number: string,
    address: string,
    now: Date,
    matches: () => boolean,
  ): Promise<
    | { outcome: "right" }
    | { outcome: "wrong"; attemptsLeft: number }
    | { outcome: "locked"; lockedUntil: string }
  > {
    const at = now.toISOString();
    return inTransaction(db, async (repos) => {
      const numberCount = await repos.registrationNumbers.lockPinAttempts(number, at);
      const addressCount = await repos.registrationNumbers.addressPinAttempts(number, address);
      const lockedUntil = laterLock(runningLock(numberCount, now), runningLock(addressCount, now));
      if (lockedUntil) return { outcome: "locked" as const, lockedUntil };
      if (matches()) return { outcome: "right" as const };

      const numberAfter = afterNumberFailure(numberCount, now);
      const addressAfter = afterAddressFailure(addressCount, now);
      await repos.registrationNumbers.saveFailure(number, address, {
        number: numberAfter,
        address: addressAfter,
      });
      // Other addresses' counts of this number that can no longer lock anything are dropped.
      await repos.registrationNumbers.dropSpentAddressCounts(
        number,
        addMinutes(now, -ADDRESS_LOCK_MINUTES).toISOString(),
        at,
      );
      return { outcome: "wrong" as const, attemptsLeft: attemptsLeft(addressAfter, numberAfter) };
    });
  }

  return {
    /**
     * Checks a registration number's PIN in constant time, honouring the lock. Returns the number's
     * row; throws invalid_pin (unknown number, no PIN envelope, wrong or malformed PIN) or
     * pin_locked. The attempt holds the number's attempt row before the comparison, so concurrent
     * guesses cannot overtake the lock; a malformed PIN costs an attempt like any wrong one.
     */
    async verifyPin(numberText: unknown, pinText: unknown, address: string): Promise<RegistrationNumberRow> {
      const number = validateRegistrationNumber(numberText);
      const pin = parsePin(pinText);
      const now = clock.now();
      const row = await registrationNumbers.find(number);
      // Unknown numbers, numbers without a PIN and malformed PINs are compared against a stand-in.
      const expected = row?.pin_hash && pin !== null ? Buffer.from(row.pin_hash, "hex") : decoy;
      const compare = () => {
        const actual = Buffer.from(pinHash(pinKey, number, pin ?? ""), "hex");
        return comparePins(expected, actual) && pin !== null && Boolean(row?.pin_hash);
      };
      if (!row?.pin_hash) {
        compare();
        throw forbidden("invalid_pin", "The registration number or the PIN is wrong.");
      }
      const result = await attempt(number, address, now, compare);
      if (result.outcome === "locked") throw pinLockedError(result.lockedUntil);
      if (result.outcome === "right") return row;
      // The last wrong PIN still answers invalid_pin (no attempts left); the lock answers from the next one.
      throw forbidden("invalid_pin", "The registration number or the PIN is wrong.", {
        attemptsLeft: result.attemptsLeft,
      });
    },

    /**
     * Lifts every lock wrong PINs put on a number, for all addresses, and starts its counts again:
     * staff, or a partner for a number of its own (the caller checks that). Audited.
     */
    async unlock(
      numberText: unknown,
      actor: { id: string; partnerId: string | null },
    ): Promise<{ registrationNumber: string; wasLocked: boolean }> {
      const number = validateRegistrationNumber(numberText);
      await requireNumber(number);
      return inTransaction(db, async (repos) => {
        const now = clock.now();
        const wasLocked = await repos.registrationNumbers.pinLocked(number, now.toISOString());
        await repos.registrationNumbers.clearPinFailures(number);
        await repos.audit.record(now, {
          actorId: actor.id,
          action: "registration_number.unlock",
          subject: `registration_number:${number}`,
          details: { wasLocked, partnerId: actor.partnerId },
        });
        return { registrationNumber: number, wasLocked };
      });
    },
  };
}
