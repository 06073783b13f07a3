import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Kysely } from "kysely";
import type { IssuedNumber, IssueRequest } from "../contract/registration.ts";
import type { ChangeFeed } from "../db/change-feed.ts";
import { inTransaction, repositories } from "../db/repositories/index.ts";
import type { RegistrationNumberRow } from "../db/repositories/registration-numbers.ts";
import type { Database } from "../db/schema.ts";
import type { Clock } from "../domain/clock.ts";
import { addMinutes, utcDay, validatePurchaseDate } from "../domain/dates.ts";
import { type AppError, badRequest, forbidden } from "../domain/errors.ts";
import { type Organization, validateOrganization } from "../domain/organization.ts";
import {
  alreadyRegistered,
  formatPin,
  MAX_ISSUE_COUNT,
  PIN_RANDOM_BYTES,
  parsePin,
  pinFromRandomBytes,
  REGISTRATION_NUMBER_RANDOM_BYTES,
  registrationNumberFromRandomBytes,
  registrationNumberNotFound,
  validateRegistrationNumber,
} from "../domain/pin.ts";
import {
  ADDRESS_LOCK_MINUTES,
  afterAddressFailure,
  afterNumberFailure,
  attemptsLeft,
  laterLock,
  runningLock,
} from "../domain/pin-lock.ts";
import { recordAudit } from "./audit.ts";
import type { Product, ProductCatalogue } from "./catalogue.ts";

export { MAX_PIN_FAILURES, MAX_PIN_FAILURES_PER_DAY } from "../domain/pin-lock.ts";
export type { IssuedNumber, IssueRequest };

/** 8 columns a row: 2,000 rows keep a statement at 16,000 parameters, far below SQLite's and PostgreSQL's limits. */
const INSERT_CHUNK = 2000;

/** PINs are bound to their number: HMAC-SHA256(key, number ":" pin), hex. */
export function pinHash(key: Buffer, number: string, pin: string): string {
  return createHmac("sha256", key).update(`${number}:${pin}`).digest("hex");
}

/** Draws from one buffer of random bytes, refilled as needed, so bulk issue makes few system calls. */
class RandomPool {
  private buffer = Buffer.alloc(0);
  private offset = 0;
  constructor(private readonly chunk: number) {}
  take(n: number): Buffer {
    if (this.offset + n > this.buffer.length) {
      this.buffer = randomBytes(Math.max(this.chunk, n));
      this.offset = 0;
    }
    const out = this.buffer.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }
  pin(): string {
    for (;;) {
      const pin = pinFromRandomBytes(this.take(PIN_RANDOM_BYTES));
      if (pin !== null) return pin;
    }
  }
  number(): string {
    for (;;) {
      const number = registrationNumberFromRandomBytes(this.take(REGISTRATION_NUMBER_RANDOM_BYTES));
      if (number !== null) return number;
    }
  }
}

function pinLockedError(lockedUntil: string): AppError {
  return forbidden(
    "pin_locked",
    `Too many wrong PINs for this registration number; try again after ${lockedUntil}.`,
    { lockedUntil },
  );
}

const notVendorRegistered = (number: string) =>
  forbidden(
    "not_vendor_registered",
    `The registration number ${number} is not registered with the vendor yet: send the registration card first (or ask your partner).`,
    { registrationNumber: number },
  );

export type RegistrationNumbersService = ReturnType<typeof createRegistrationNumbersService>;

/** Constant-time equality of two PIN hashes. */
export function pinHashesEqual(expected: Buffer, actual: Buffer): boolean {
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export interface RegistrationNumbersDeps {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly changes: ChangeFeed;
  /** Server key under which PINs are stored as HMAC-SHA256. */
  readonly pinKey: Buffer;
  /** Where the products numbers are issued for are read. */
  readonly products: ProductCatalogue;
  /** The PIN comparison; tests wrap it to count how many PINs were compared. */
  readonly comparePins?: (expected: Buffer, actual: Buffer) => boolean;
}

export function createRegistrationNumbersService(deps: RegistrationNumbersDeps) {
  const { db, clock, changes, pinKey, products } = deps;
  const { registrationNumbers, holdings } = repositories(db);
  const comparePins = deps.comparePins ?? pinHashesEqual;
  // A stand-in hash, so an unknown number or one without a PIN costs the same comparison.
  const decoy = Buffer.from(pinHash(pinKey, "0", "0"), "hex");

  async function requireNumber(number: string): Promise<RegistrationNumberRow> {
    const row = await registrationNumbers.find(number);
    if (!row) throw registrationNumberNotFound(number);
    return row;
  }

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
    requireNumber,

    /** A number that may join an account: registered with the vendor, on no account yet; with its product. */
    async authorizable(
      row: RegistrationNumberRow,
    ): Promise<{ row: RegistrationNumberRow; product: Product }> {
      if (!row.vendor_registered_at) throw notVendorRegistered(row.number);
      if (await holdings.isAuthorized(row.number)) throw alreadyRegistered(row.number);
      return { row, product: await products.requireProduct(row.product_code) };
    },

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
      return inTransaction(db, async (repos, trx) => {
        const now = clock.now();
        const wasLocked = await repos.registrationNumbers.pinLocked(number, now.toISOString());
        await repos.registrationNumbers.clearPinFailures(number);
        await recordAudit(trx, now, {
          actorId: actor.id,
          action: "registration_number.unlock",
          subject: `registration_number:${number}`,
          details: { wasLocked, partnerId: actor.partnerId },
        });
        return { registrationNumber: number, wasLocked };
      });
    },

    /** Issues `count` new numbers of a product in one transaction, with random PINs when asked. */
    async issue(request: IssueRequest, actorId: string | null): Promise<IssuedNumber[]> {
      const { product, count } = request;
      if (!Number.isInteger(count) || count < 1 || count > MAX_ISSUE_COUNT) {
        throw badRequest("validation_failed", `count must be a whole number from 1 to ${MAX_ISSUE_COUNT}.`, {
          field: "count",
        });
      }
      const issuedAt = clock.now();
      const today = utcDay(issuedAt);
      // An electronic delivery is sold as it is issued: its free support months start then.
      const purchaseDate =
        request.purchaseDate == null
          ? request.vendorRegistered
            ? today
            : null
          : validatePurchaseDate(request.purchaseDate, today);
      // Throws product_not_found for an unknown product.
      await products.requireProduct(product);

      const now = issuedAt.toISOString();
      const vendorRegisteredAt = request.vendorRegistered ? now : null;
      const pool = new RandomPool(64 * 1024);
      const issued: IssuedNumber[] = [];
      await inTransaction(db, async (repos, trx) => {
        const seen = new Set<string>();
        type Batch = { number: string; pin: string | null }[];
        // Numbers are random: a rare clash with an existing number is skipped and drawn again.
        const insert = (batch: Batch) =>
          repos.registrationNumbers.insertNew(
            batch.map((b) => ({
              number: b.number,
              product_code: product,
              pin_hash: b.pin === null ? null : pinHash(pinKey, b.number, b.pin),
              vendor_registered_at: vendorRegisteredAt,
              card: null,
              purchase_date: purchaseDate,
              issued_at: now,
              issued_by: actorId,
            })),
          );
        let inFlight: { batch: Batch; result: ReturnType<typeof insert> } | null = null;
        // Rows issued or in flight; a clash gives its row back to be drawn again.
        let planned = 0;
        const settle = async () => {
          const { batch, result } = inFlight!;
          inFlight = null;
          const stored = new Set(await result);
          for (const b of batch) {
            if (!stored.has(b.number)) continue;
            issued.push(
              b.pin === null
                ? { registrationNumber: b.number }
                : { registrationNumber: b.number, pin: b.pin },
            );
          }
          planned -= batch.length - stored.size;
        };
        while (issued.length < count) {
          if (planned >= count) {
            await settle();
            continue;
          }
          // The next chunk is drawn and hashed while the previous one is with the database.
          const batch: Batch = [];
          while (batch.length < Math.min(count - planned, INSERT_CHUNK)) {
            const number = pool.number();
            if (seen.has(number)) continue;
            seen.add(number);
            batch.push({ number, pin: request.pin ? pool.pin() : null });
          }
          planned += batch.length;
          if (inFlight) await settle();
          const result = insert(batch);
          // Observed at once so a failure is not reported as unhandled before settle awaits it.
          result.catch(() => undefined);
          inFlight = { batch, result };
        }
        await recordAudit(trx, new Date(now), {
          actorId,
          action: "registration_numbers.issue",
          subject: `product:${product}`,
          details: {
            count,
            withPin: request.pin,
            vendorRegistered: Boolean(request.vendorRegistered),
            purchaseDate,
            first: issued[0]?.registrationNumber,
            last: issued.at(-1)?.registrationNumber,
          },
        });
      });
      return issued;
    },

    /** Records the registration card the customer sent: the number is then registered with the vendor. */
    async recordCard(numberText: unknown, organizationInput: unknown, actorId: string | null) {
      const number = validateRegistrationNumber(numberText);
      const now = clock.now();
      const organization: Organization = validateOrganization(
        organizationInput,
        now.toISOString().slice(0, 10),
      );
      const row = await requireNumber(number);
      const vendorRegisteredAt = row.vendor_registered_at ?? now.toISOString();
      await changes.transaction(async (trx, changed) => {
        const repos = repositories(trx);
        // The purchase date starts the free support period of whoever holds the number.
        for (const holder of await repos.holdings.holdersOf([number])) changed("holdings", holder);
        await repos.registrationNumbers.recordCard(number, {
          vendorRegisteredAt,
          card: JSON.stringify(organization),
          purchaseDate: organization.purchaseDate,
        });
        await recordAudit(trx, now, {
          actorId,
          action: "registration_number.card",
          subject: `registration_number:${number}`,
          details: { organization: organization.name, purchaseDate: organization.purchaseDate },
        });
      });
      return {
        registrationNumber: number,
        product: row.product_code,
        vendorRegisteredAt,
        purchaseDate: organization.purchaseDate,
      };
    },
  };
}

/** The envelope file printed and sealed for each PIN: one row a number. */
export function envelopeCsv(product: string, items: readonly IssuedNumber[]): string {
  const lines = ["registrationNumber,pin,product"];
  for (const item of items) {
    const pin = item.pin ? formatPin(item.pin) : "";
    lines.push(`${item.registrationNumber},${pin},${csvField(product)}`);
  }
  return `${lines.join("\r\n")}\r\n`;
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
