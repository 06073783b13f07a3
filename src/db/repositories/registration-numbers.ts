import { type ExpressionBuilder, type Kysely, type Selectable, sql } from "kysely";
import type { RegistrationNumberState, RegistrationNumberSummary } from "../../contract/staff.ts";
import type { Paging } from "../../domain/paging.ts";
import type { FailureCount } from "../../domain/pin-lock.ts";
import type { Database, PinAttemptsTable, RegistrationNumbersTable } from "../schema.ts";

export type RegistrationNumberRow = Selectable<RegistrationNumbersTable>;
type PinAttemptRow = Pick<PinAttemptsTable, "failures" | "locked_until" | "last_failure_at">;

const failureCount = (row: PinAttemptRow): FailureCount => ({
  failures: Number(row.failures),
  lockedUntil: row.locked_until,
  lastFailureAt: row.last_failure_at,
});

const failureColumns = (count: FailureCount): PinAttemptRow => ({
  failures: count.failures,
  locked_until: count.lockedUntil,
  last_failure_at: count.lastFailureAt,
});

export interface RegistrationCard {
  readonly vendorRegisteredAt: string;
  /** The registration form, as JSON. */
  readonly card: string;
  readonly purchaseDate: string | null;
}

/** Which numbers a staff list shows; `at` is the moment locks are judged at. */
export interface RegistrationNumberFilter {
  readonly product?: string;
  /** Numbers starting with these digits. */
  readonly numberPrefix?: string;
  readonly state?: RegistrationNumberState;
  readonly at: string;
}

/** The numbers starting with `prefix` (digits) are those from `from` up to, not including, `below`. */
function digitPrefixRange(prefix: string): { from: string; below: string | null } {
  const kept = prefix.replace(/9+$/, "");
  if (kept === "") return { from: prefix, below: null };
  return { from: prefix, below: kept.slice(0, -1) + String(Number(kept.at(-1)) + 1) };
}

export type RegistrationNumbersRepository = ReturnType<typeof registrationNumbersRepository>;

/** Registration numbers with their PIN hashes and registration cards, and the wrong PINs counted against them. */
export function registrationNumbersRepository(db: Kysely<Database>) {
  return {
    async find(number: string): Promise<RegistrationNumberRow | undefined> {
      return db
        .selectFrom("registration_numbers")
        .selectAll()
        .where("number", "=", number)
        .executeTakeFirst();
    },

    /** Numbers for staff, newest issue first, with their holder and running PIN lock; `paging` rows from its offset. */
    async list(filter: RegistrationNumberFilter, paging: Paging): Promise<RegistrationNumberSummary[]> {
      const { at } = filter;
      let query = db.selectFrom("registration_numbers as n").selectAll("n");
      if (filter.product) query = query.where("n.product_code", "=", filter.product);
      if (filter.numberPrefix) {
        // A range rather than LIKE, so that the primary key's index serves it in any collation.
        const { from, below } = digitPrefixRange(filter.numberPrefix);
        query = query.where("n.number", ">=", from);
        if (below !== null) query = query.where("n.number", "<", below);
      }
      const held = (eb: ExpressionBuilder<Database & { n: RegistrationNumbersTable }, "n">) =>
        eb.exists(
          eb
            .selectFrom("authorizations")
            .select("authorizations.registration_number")
            .whereRef("authorizations.registration_number", "=", "n.number"),
        );
      switch (filter.state) {
        case "awaiting-card":
          query = query.where("n.vendor_registered_at", "is", null);
          break;
        case "vendor-registered":
          query = query.where("n.vendor_registered_at", "is not", null);
          break;
        case "on-account":
          query = query.where(held);
          break;
        case "free":
          query = query.where((eb) => eb.not(held(eb)));
          break;
        case "locked":
          // The few numbers under a lock first, then their rows.
          query = query.where("n.number", "in", (eb) =>
            eb
              .selectFrom("pin_attempts")
              .select("pin_attempts.registration_number")
              .where("pin_attempts.locked_until", ">", at)
              .union(
                eb
                  .selectFrom("pin_address_attempts")
                  .select("pin_address_attempts.registration_number")
                  .where("pin_address_attempts.locked_until", ">", at),
              ),
          );
          break;
      }
      // The page's rows first; its holders and locks are looked up for those rows only.
      const page = query
        .orderBy("n.issued_at", "desc")
        .orderBy("n.number", "desc")
        .limit(paging.limit)
        .offset(paging.offset)
        .as("p");
      const rows = await db
        .selectFrom(page)
        .selectAll("p")
        .select((eb) => [
          eb
            .selectFrom("authorizations")
            .innerJoin("users", "users.id", "authorizations.user_id")
            .select("users.login")
            .whereRef("authorizations.registration_number", "=", "p.number")
            .limit(1)
            .as("holder"),
          eb
            .selectFrom("pin_attempts")
            .select("pin_attempts.locked_until")
            .whereRef("pin_attempts.registration_number", "=", "p.number")
            .where("pin_attempts.locked_until", ">", at)
            .as("number_lock"),
          eb
            .selectFrom("pin_address_attempts")
            .select((inner) => inner.fn.max("pin_address_attempts.locked_until").as("until"))
            .whereRef("pin_address_attempts.registration_number", "=", "p.number")
            .where("pin_address_attempts.locked_until", ">", at)
            .as("address_lock"),
        ])
        // Both descending: the index (issued_at, number) read backwards.
        .orderBy("p.issued_at", "desc")
        .orderBy("p.number", "desc")
        .execute();
      return rows.map((row) => {
        const locks = [row.number_lock, row.address_lock].filter((lock): lock is string => Boolean(lock));
        return {
          registrationNumber: row.number,
          product: row.product_code,
          withPin: row.pin_hash !== null,
          issuedAt: row.issued_at,
          vendorRegisteredAt: row.vendor_registered_at,
          purchaseDate: row.purchase_date,
          holder: row.holder ?? null,
          lockedUntil: locks.sort().at(-1) ?? null,
        };
      });
    },

    /** Those of the numbers that exist. */
    async existing(numbers: readonly string[]): Promise<string[]> {
      const rows = await db
        .selectFrom("registration_numbers")
        .select("number")
        .where("number", "in", numbers)
        .execute();
      return rows.map((row) => row.number);
    },

    /** Inserts new numbers, skipping any that exist already; answers the numbers stored. */
    async insertNew(rows: readonly RegistrationNumberRow[]): Promise<string[]> {
      const stored = await db
        .insertInto("registration_numbers")
        .values([...rows])
        .onConflict((oc) => oc.column("number").doNothing())
        .returning("number")
        .execute();
      return stored.map((row) => row.number);
    },

    /**
     * Inside a transaction: holds the number's row until the commit, so that work on one number
     * runs one request after another (a no-op UPDATE takes PostgreSQL's row lock; SQLite's
     * transaction holds the only connection already).
     */
    async lock(number: string): Promise<void> {
      await db
        .updateTable("registration_numbers")
        .set({ issued_at: sql<string>`issued_at` })
        .where("number", "=", number)
        .execute();
    },

    /** The card the customer sent: the number is then registered with the vendor. */
    async recordCard(number: string, card: RegistrationCard): Promise<void> {
      await db
        .updateTable("registration_numbers")
        .set({
          vendor_registered_at: card.vendorRegisteredAt,
          card: card.card,
          purchase_date: card.purchaseDate,
        })
        .where("number", "=", number)
        .execute();
    },

    /** Sets the purchase date of those of the numbers that have none. */
    async setMissingPurchaseDates(numbers: readonly string[], purchaseDate: string | null): Promise<void> {
      await db
        .updateTable("registration_numbers")
        .set({ purchase_date: purchaseDate })
        .where("number", "in", numbers)
        .where("purchase_date", "is", null)
        .execute();
    },

    /**
     * Inside a transaction: write-locks the number's pin_attempts row until the commit (made
     * first when missing; a no-op UPDATE takes PostgreSQL's row lock, SQLite's transaction holds
     * the only connection) and answers the number's count. Attempts on one number thus run one
     * after the other, whatever their address.
     */
    async lockPinAttempts(number: string, at: string): Promise<FailureCount> {
      let current: PinAttemptRow | undefined;
      // A row deleted meanwhile (a registration that succeeded, or an unlock, clears it) is made again.
      for (let round = 0; round < 3 && !current; round++) {
        await db
          .insertInto("pin_attempts")
          .values({ registration_number: number, failures: 0, locked_until: null, last_failure_at: at })
          .onConflict((oc) => oc.column("registration_number").doNothing())
          .execute();
        current = await db
          .updateTable("pin_attempts")
          .set({ failures: sql<number>`failures` })
          .where("registration_number", "=", number)
          .returning(["failures", "locked_until", "last_failure_at"])
          .executeTakeFirst();
      }
      if (!current) throw new Error(`pin_attempts row for ${number} kept disappearing`);
      return failureCount(current);
    },

    /** The wrong PINs counted against the number from one address, if any. */
    async addressPinAttempts(number: string, address: string): Promise<FailureCount | undefined> {
      const row = await db
        .selectFrom("pin_address_attempts")
        .select(["failures", "locked_until", "last_failure_at"])
        .where("registration_number", "=", number)
        .where("address", "=", address)
        .executeTakeFirst();
      return row && failureCount(row);
    },

    /** Stores the counts after a wrong PIN: the number's (its row held) and the address's. */
    async saveFailure(
      number: string,
      address: string,
      counts: { number: FailureCount; address: FailureCount },
    ): Promise<void> {
      await db
        .updateTable("pin_attempts")
        .set(failureColumns(counts.number))
        .where("registration_number", "=", number)
        .execute();
      await db
        .insertInto("pin_address_attempts")
        .values({ registration_number: number, address, ...failureColumns(counts.address) })
        .onConflict((oc) =>
          oc.columns(["registration_number", "address"]).doUpdateSet(failureColumns(counts.address)),
        )
        .execute();
    },

    /** Drops the number's address counts last failed at or before `failedBy` and not locked at `at`. */
    async dropSpentAddressCounts(number: string, failedBy: string, at: string): Promise<void> {
      await db
        .deleteFrom("pin_address_attempts")
        .where("registration_number", "=", number)
        .where("last_failure_at", "<=", failedBy)
        .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<=", at)]))
        .execute();
    },

    /** Is the number locked at `at`, for all addresses or for any one of them. */
    async pinLocked(number: string, at: string): Promise<boolean> {
      const running = await db
        .selectFrom("pin_attempts")
        .select("registration_number")
        .where("registration_number", "=", number)
        .where("locked_until", ">", at)
        .union(
          db
            .selectFrom("pin_address_attempts")
            .select("registration_number")
            .where("registration_number", "=", number)
            .where("locked_until", ">", at),
        )
        .execute();
      return running.length > 0;
    },

    /** Forgets the wrong PINs of a number, from every address. */
    async clearPinFailures(number: string): Promise<void> {
      // The number's row first: it is the one attempts hold while they count.
      await db.deleteFrom("pin_attempts").where("registration_number", "=", number).execute();
      await db.deleteFrom("pin_address_attempts").where("registration_number", "=", number).execute();
    },
  };
}
