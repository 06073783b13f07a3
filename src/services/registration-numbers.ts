import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { type Kysely, type Selectable, sql } from "kysely";
import type { Database, RegistrationNumbersTable } from "../db/schema.ts";
import type { Clock } from "../domain/clock.ts";
import { parseIsoDate } from "../domain/dates.ts";
import { type AppError, badRequest, forbidden, notFound } from "../domain/errors.ts";
import { type Organization, validateOrganization } from "../domain/organization.ts";
import {
  normalizePin,
  PIN_RANDOM_BYTES,
  pinFromRandomBytes,
  REGISTRATION_NUMBER_RANDOM_BYTES,
  registrationNumberFromRandomBytes,
  validateRegistrationNumber,
} from "../domain/pin.ts";
import { recordAudit } from "./audit.ts";

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
export const LOCK_MINUTES = 60;
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

export function pinLockedError(lockedUntil: string): AppError {
  return forbidden(
    "pin_locked",
    `Too many wrong PINs for this registration number; try again after ${lockedUntil}.`,
    { lockedUntil },
  );
}

export type RegistrationNumbersService = ReturnType<typeof createRegistrationNumbersService>;

export function createRegistrationNumbersService(deps: {
  db: Kysely<Database>;
  clock: Clock;
  pinKey: Buffer;
}) {
  const { db, clock, pinKey } = deps;
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

  /** One wrong PIN, counted atomically in its own statement so a failed registration cannot roll it back. */
  async function recordFailure(
    number: string,
    now: Date,
  ): Promise<{ failures: number; lockedUntil: string | null }> {
    const at = now.toISOString();
    const windowStart = new Date(now.getTime() - LOCK_MINUTES * 60_000).toISOString();
    const lockUntil = new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString();
    // A lock that has run out, or failures older than the window, start the count again.
    const stale = sql<boolean>`(pin_attempts.locked_until is not null and pin_attempts.locked_until <= ${at})
      or (pin_attempts.locked_until is null and pin_attempts.last_failure_at <= ${windowStart})`;
    const row = await db
      .insertInto("pin_attempts")
      .values({
        registration_number: number,
        failures: 1,
        locked_until: MAX_PIN_FAILURES <= 1 ? lockUntil : null,
        last_failure_at: at,
      })
      .onConflict((oc) =>
        oc.column("registration_number").doUpdateSet({
          failures: sql<number>`case when ${stale} then 1 else pin_attempts.failures + 1 end`,
          locked_until: sql<string | null>`case
            when ${stale} then null
            when pin_attempts.failures + 1 >= ${sql.lit(MAX_PIN_FAILURES)} then cast(${lockUntil} as text)
            else pin_attempts.locked_until end`,
          last_failure_at: at,
        }),
      )
      .returning(["failures", "locked_until"])
      .executeTakeFirstOrThrow();
    return { failures: Number(row.failures), lockedUntil: row.locked_until };
  }

  return {
    requireNumber,

    /**
     * Checks a registration number's PIN in constant time, honouring the lock. Returns the number's
     * row; throws invalid_pin (unknown number, no PIN envelope, wrong PIN) or pin_locked.
     */
    async verifyPin(numberText: unknown, pinText: unknown): Promise<RegistrationNumberRow> {
      const number = validateRegistrationNumber(numberText);
      const pin = normalizePin(pinText);
      const now = clock.now();
      const row = await db
        .selectFrom("registration_numbers")
        .selectAll()
        .where("number", "=", number)
        .executeTakeFirst();
      if (row) {
        const attempt = await db
          .selectFrom("pin_attempts")
          .select("locked_until")
          .where("registration_number", "=", number)
          .executeTakeFirst();
        if (attempt?.locked_until && attempt.locked_until > now.toISOString()) {
          throw pinLockedError(attempt.locked_until);
        }
      }
      const expected = row?.pin_hash ? Buffer.from(row.pin_hash, "hex") : decoy;
      const actual = Buffer.from(pinHash(pinKey, number, pin), "hex");
      const matches = expected.length === actual.length && timingSafeEqual(expected, actual);
      if (row?.pin_hash && matches) return row;
      if (row?.pin_hash) {
        const { failures, lockedUntil } = await recordFailure(number, now);
        if (lockedUntil && lockedUntil > now.toISOString()) throw pinLockedError(lockedUntil);
        throw forbidden("invalid_pin", "The registration number or the PIN is wrong.", {
          attemptsLeft: Math.max(0, MAX_PIN_FAILURES - failures),
        });
      }
      throw forbidden("invalid_pin", "The registration number or the PIN is wrong.");
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
      await db.transaction().execute(async (trx) => {
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
    const pin = item.pin ? item.pin.match(/[0-9]{4}/g)!.join("-") : "";
    lines.push(`${item.registrationNumber},${pin},${csvField(product)}`);
  }
  return `${lines.join("\r\n")}\r\n`;
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
