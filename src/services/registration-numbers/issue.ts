import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { IssuedNumber, IssueRequest } from "../../contract/registration.ts";
import { inTransaction } from "../../db/repositories/index.ts";
import type { Database } from "../../db/schema.ts";
import type { Clock } from "../../domain/clock.ts";
import { utcDay, validatePurchaseDate } from "../../domain/dates.ts";
import { badRequest } from "../../domain/errors.ts";
import {
  MAX_ISSUE_COUNT,
  PIN_RANDOM_BYTES,
  pinFromRandomBytes,
  REGISTRATION_NUMBER_RANDOM_BYTES,
  registrationNumberFromRandomBytes,
} from "../../domain/pin.ts";
import type { ProductCatalogue } from "../catalogue/index.ts";
import { pinHash } from "./pin-hash.ts";

/** 8 columns a row: 2,000 rows keep a statement at 16,000 parameters, far below SQLite's and PostgreSQL's limits. */
const INSERT_CHUNK = 2000;

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

export interface IssuingDeps {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  /** Server key under which PINs are stored as HMAC-SHA256. */
  readonly pinKey: Buffer;
  /** Where the products numbers are issued for are read. */
  readonly products: ProductCatalogue;
}

/** Issuing new registration numbers, with the PINs printed in their envelopes. */
export function createIssuing(deps: IssuingDeps) {
  const { db, clock, pinKey, products } = deps;
  return {
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
      await inTransaction(db, async (repos) => {
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
        await repos.audit.record(new Date(now), {
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
  };
}
