import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { type Kysely, type Selectable, sql } from "kysely";
import type { ChangeFeed } from "../db/change-feed.ts";
import type { Database, RegistrationNumbersTable } from "../db/schema.ts";
import type { Clock } from "../domain/clock.ts";
import { parseIsoDate } from "../domain/dates.ts";
import { type AppError, badRequest, conflict, forbidden, notFound } from "../domain/errors.ts";
import { type Organization, validateOrganization } from "../domain/organization.ts";
import {
  formatPin,
  PIN_RANDOM_BYTES,
  parsePin,
  pinFromRandomBytes,
  REGISTRATION_NUMBER_RANDOM_BYTES,
  registrationNumberFromRandomBytes,
  validateRegistrationNumber,
} from "../domain/pin.ts";
import { recordAudit } from "./audit.ts";
import { type Product, readProduct } from "./catalog.ts";
import { holdingsChanged } from "./entitlements.ts";

export type RegistrationNumberRow = Selectable<RegistrationNumbersTable>;

export interface IssuedNumber {
  readonly registrationNumber: string;
  /** Present only when issued with a PIN; shown this once and never stored. */
  readonly pin?: string;
}

export interface IssueRequest {
  readonly product: string;
  readonly count: number;
  readonly pin: boolean;
  /** Electronic deliveries: issued already registered with the vendor, no card needed. */
  readonly vendorRegistered?: boolean;
  /** YYYY-MM-DD, for deliveries sold at issue; starts a PROF product's free support months. */
  readonly purchaseDate?: string | null;
}

export const MAX_ISSUE_COUNT = 100_000;
/** Wrong PINs allowed per registration number within LOCK_MINUTES before it locks for LOCK_MINUTES. */
export const MAX_PIN_FAILURES = 5;
const LOCK_MINUTES = 60;
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

export const alreadyRegistered = (number: string) =>
  conflict("already_registered", `The registration number ${number} is registered on the site already.`, {
    registrationNumber: number,
  });

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

export function createRegistrationNumbersService(deps: {
  db: Kysely<Database>;
  clock: Clock;
  changes: ChangeFeed;
  pinKey: Buffer;
  /** The PIN comparison; tests wrap it to count how many PINs were compared. */
  comparePins?: (expected: Buffer, actual: Buffer) => boolean;
}) {
  const { db, clock, changes, pinKey } = deps;
  const comparePins = deps.comparePins ?? pinHashesEqual;
  // A stand-in hash, so an unknown number or one without a PIN costs the same comparison.
  const decoy = Buffer.from(pinHash(pinKey, "0", "0"), "hex");

  async function requireNumber(number: string): Promise<RegistrationNumberRow> {
    const row = await db
      .selectFrom("registration_numbers")
      .selectAll()
      .where("number", "=", number)
      .executeTakeFirst();
    if (!row) {
      throw notFound("registration_number_not_found", `There is no registration number ${number}.`, {
        registrationNumber: number,
      });
    }
    return row;
  }

  /**
   * One PIN attempt on a number that has a PIN, in a short transaction of its own: the number's
   * pin_attempts row is write-locked first (a no-op UPDATE takes PostgreSQL's row lock; SQLite's
   * transaction holds the only connection), then the lock and the count are read, the PIN is
   * compared, and a failure is counted before the row is released. Attempts on one number thus run
   * one after the other, so concurrent guesses cannot all be compared before the count locks it:
   * at most MAX_PIN_FAILURES wrong PINs are ever compared in a window. The transaction commits on
   * its own, so a registration that fails later never rolls a failure back.
   */
  async function attempt(
    number: string,
    now: Date,
    matches: () => boolean,
  ): Promise<
    { outcome: "right" } | { outcome: "wrong"; failures: number } | { outcome: "locked"; lockedUntil: string }
  > {
    const at = now.toISOString();
    const windowStart = new Date(now.getTime() - LOCK_MINUTES * 60_000).toISOString();
    return db.transaction().execute(async (trx) => {
      let current: { failures: number; locked_until: string | null; last_failure_at: string } | undefined;
      // A row deleted meanwhile (a registration that succeeded clears it) is made again.
      for (let round = 0; round < 3 && !current; round++) {
        await trx
          .insertInto("pin_attempts")
          .values({ registration_number: number, failures: 0, locked_until: null, last_failure_at: at })
          .onConflict((oc) => oc.column("registration_number").doNothing())
          .execute();
        current = await trx
          .updateTable("pin_attempts")
          .set({ failures: sql<number>`failures` })
          .where("registration_number", "=", number)
          .returning(["failures", "locked_until", "last_failure_at"])
          .executeTakeFirst();
      }
      if (!current) throw new Error(`pin_attempts row for ${number} kept disappearing`);
      if (current.locked_until && current.locked_until > at) {
        return { outcome: "locked" as const, lockedUntil: current.locked_until };
      }
      if (matches()) return { outcome: "right" as const };
      // A lock that has run out, or failures older than the window, start the count again.
      const stale = current.locked_until !== null || current.last_failure_at <= windowStart;
      const failures = (stale ? 0 : Number(current.failures)) + 1;
      const lockedUntil =
        failures >= MAX_PIN_FAILURES ? new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString() : null;
      await trx
        .updateTable("pin_attempts")
        .set({ failures, locked_until: lockedUntil, last_failure_at: at })
        .where("registration_number", "=", number)
        .execute();
      return { outcome: "wrong" as const, failures };
    });
  }

  return {
    requireNumber,

    /** A number that may join an account: registered with the vendor, on no account yet; with its product. */
    async authorizable(
      row: RegistrationNumberRow,
    ): Promise<{ row: RegistrationNumberRow; product: Product }> {
      if (!row.vendor_registered_at) throw notVendorRegistered(row.number);
      const taken = await db
        .selectFrom("authorizations")
        .select("registration_number")
        .where("registration_number", "=", row.number)
        .executeTakeFirst();
      if (taken) throw alreadyRegistered(row.number);
      return { row, product: await readProduct(db, row.product_code) };
    },

    /**
     * Checks a registration number's PIN in constant time, honouring the lock. Returns the number's
     * row; throws invalid_pin (unknown number, no PIN envelope, wrong or malformed PIN) or
     * pin_locked. The attempt holds the number's attempt row before the comparison, so concurrent
     * guesses cannot overtake the lock; a malformed PIN costs an attempt like any wrong one.
     */
    async verifyPin(numberText: unknown, pinText: unknown): Promise<RegistrationNumberRow> {
      const number = validateRegistrationNumber(numberText);
      const pin = parsePin(pinText);
      const now = clock.now();
      const row = await db
        .selectFrom("registration_numbers")
        .selectAll()
        .where("number", "=", number)
        .executeTakeFirst();
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
      const result = await attempt(number, now, compare);
      if (result.outcome === "locked") throw pinLockedError(result.lockedUntil);
      if (result.outcome === "right") return row;
      // The 5th wrong PIN still answers invalid_pin (no attempts left); the lock answers from the next one.
      throw forbidden("invalid_pin", "The registration number or the PIN is wrong.", {
        attemptsLeft: Math.max(0, MAX_PIN_FAILURES - result.failures),
      });
    },

    /** Forgets the wrong PINs of a number, after it was registered with the right one. */
    async clearFailures(trx: Kysely<Database>, number: string): Promise<void> {
      await trx.deleteFrom("pin_attempts").where("registration_number", "=", number).execute();
    },

    /** Issues `count` new numbers of a product in one transaction, with random PINs when asked. */
    async issue(request: IssueRequest, actorId: string | null): Promise<IssuedNumber[]> {
      const { product, count } = request;
      if (!Number.isInteger(count) || count < 1 || count > MAX_ISSUE_COUNT) {
        throw badRequest("validation_failed", `count must be a whole number from 1 to ${MAX_ISSUE_COUNT}.`, {
          field: "count",
        });
      }
      const purchaseDate =
        request.purchaseDate == null ? null : parseIsoDate(request.purchaseDate, "purchaseDate");
      const exists = await db
        .selectFrom("products")
        .select("code")
        .where("code", "=", product)
        .executeTakeFirst();
      if (!exists) throw notFound("product_not_found", `There is no product ${product}.`, { product });

      const now = clock.now().toISOString();
      const vendorRegisteredAt = request.vendorRegistered ? now : null;
      const pool = new RandomPool(64 * 1024);
      const issued: IssuedNumber[] = [];
      await db.transaction().execute(async (trx) => {
        const seen = new Set<string>();
        type Batch = { number: string; pin: string | null }[];
        const insert = (batch: Batch) =>
          trx
            .insertInto("registration_numbers")
            .values(
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
            )
            // Numbers are random: a rare clash with an existing number is skipped and drawn again.
            .onConflict((oc) => oc.column("number").doNothing())
            .returning("number")
            .execute();
        let inFlight: { batch: Batch; result: ReturnType<typeof insert> } | null = null;
        // Rows issued or in flight; a clash gives its row back to be drawn again.
        let planned = 0;
        const settle = async () => {
          const { batch, result } = inFlight!;
          inFlight = null;
          const stored = new Set((await result).map((r) => r.number));
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
        // The purchase date starts the free support period of whoever holds the number.
        await holdingsChanged(trx, changed, [number]);
        await trx
          .updateTable("registration_numbers")
          .set({
            vendor_registered_at: vendorRegisteredAt,
            card: JSON.stringify(organization),
            purchase_date: organization.purchaseDate,
          })
          .where("number", "=", number)
          .execute();
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
