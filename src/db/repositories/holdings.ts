import type { Kysely } from "kysely";
import type { Edition } from "../../domain/catalogue.ts";
import type { AuthorizedNumber } from "../../domain/entitlement.ts";
import type { Subscription } from "../../domain/subscriptions.ts";
import { prepareQuery } from "../prepared-query.ts";
import type { Database } from "../schema.ts";

/** What a user holds: authorised numbers and the subscriptions covering them. */
export interface Holdings {
  readonly numbers: AuthorizedNumber[];
  readonly subscriptions: Subscription[];
}

export interface NewAuthorizations {
  readonly numbers: readonly string[];
  readonly userId: string;
  readonly method: "pin" | "partner";
  readonly partnerId: string | null;
}

/** One number on an account, with who authorised it. */
export interface AccountNumberRow {
  readonly userId: string;
  readonly registrationNumber: string;
  readonly productCode: string;
  readonly purchaseDate: string | null;
  /** The partner that authorised it; null for the user's own PIN. */
  readonly authorizedBy: string | null;
}

export type HoldingsRepository = ReturnType<typeof holdingsRepository>;

function prepareHoldingsQueries(db: Kysely<Database>) {
  const numbersHeldBy = prepareQuery(db, 1, (userId: string) =>
    db
      .selectFrom("authorizations as a")
      .innerJoin("registration_numbers as r", "r.number", "a.registration_number")
      .innerJoin("products as p", "p.code", "r.product_code")
      .leftJoin("product_configurations as pc", "pc.product_code", "p.code")
      .select([
        "a.registration_number",
        "r.product_code",
        "r.purchase_date",
        "p.edition",
        "p.free_support_months",
        "pc.configuration_code",
      ])
      .where("a.user_id", "=", userId),
  );

  // Subscriptions whose main or additional number the user holds, one row per additional number.
  const subscriptionsHeldBy = prepareQuery(db, 1, (userId: string) =>
    db
      .selectFrom("subscriptions as s")
      .leftJoin("subscription_numbers as sn", "sn.subscription_id", "s.id")
      .select(["s.id", "s.main_number", "s.from_month", "s.months", "sn.registration_number"])
      .where("s.id", "in", (eb) =>
        eb
          .selectFrom("authorizations as a")
          .innerJoin("subscriptions as main", "main.main_number", "a.registration_number")
          .select("main.id")
          .where("a.user_id", "=", userId)
          .unionAll(
            eb
              .selectFrom("authorizations as a")
              .innerJoin(
                "subscription_numbers as extra",
                "extra.registration_number",
                "a.registration_number",
              )
              .select("extra.subscription_id as id")
              .where("a.user_id", "=", userId),
          ),
      ),
  );
  return { numbersHeldBy, subscriptionsHeldBy };
}

/** Authorisations: which account holds which registration number. */
export function holdingsRepository(db: Kysely<Database>) {
  // The holdings look-ups serve the update check: compiled once, on first use, for this database.
  let prepared: ReturnType<typeof prepareHoldingsQueries> | undefined;

  return {
    /**
     * A user's numbers with their products, and the subscriptions covering them: two prepared
     * queries, the second only for holders of an edition other than basic.
     */
    async holdingsOf(userId: string): Promise<Holdings> {
      prepared ??= prepareHoldingsQueries(db);
      const numberRows = await prepared.numbersHeldBy(userId);
      const byNumber = new Map<string, AuthorizedNumber & { configurations: string[] }>();
      for (const row of numberRows) {
        let number = byNumber.get(row.registration_number);
        if (!number) {
          number = {
            registrationNumber: row.registration_number,
            product: row.product_code,
            edition: row.edition as Edition,
            configurations: [],
            purchaseDate: row.purchase_date,
            freeSupportMonths: Number(row.free_support_months),
          };
          byNumber.set(row.registration_number, number);
        }
        if (row.configuration_code) number.configurations.push(row.configuration_code);
      }
      const numbers = [...byNumber.values()].sort((a, b) =>
        a.registrationNumber < b.registrationNumber
          ? -1
          : a.registrationNumber > b.registrationNumber
            ? 1
            : 0,
      );
      // Basic editions never need a subscription: only holders of others look theirs up.
      if (numbers.every((n) => n.edition === "basic")) return { numbers, subscriptions: [] };
      const subscriptions = new Map<string, Subscription & { additionalNumbers: string[] }>();
      for (const row of await prepared.subscriptionsHeldBy(userId)) {
        let subscription = subscriptions.get(row.id);
        if (!subscription) {
          subscription = {
            mainNumber: row.main_number,
            fromMonth: row.from_month,
            months: Number(row.months),
            additionalNumbers: [],
          };
          subscriptions.set(row.id, subscription);
        }
        if (row.registration_number) subscription.additionalNumbers.push(row.registration_number);
      }
      return { numbers, subscriptions: [...subscriptions.values()] };
    },

    /**
     * Authorises registration numbers on an account. The primary key on registration_number makes
     * a number already authorised elsewhere fail here, as a unique violation, with the whole transaction.
     */
    async authorize(now: Date, input: NewAuthorizations): Promise<void> {
      await db
        .insertInto("authorizations")
        .values(
          input.numbers.map((number) => ({
            registration_number: number,
            user_id: input.userId,
            method: input.method,
            partner_id: input.partnerId,
            created_at: now.toISOString(),
          })),
        )
        .execute();
    },

    async isAuthorized(number: string): Promise<boolean> {
      const row = await db
        .selectFrom("authorizations")
        .select("registration_number")
        .where("registration_number", "=", number)
        .executeTakeFirst();
      return row !== undefined;
    },

    /** The accounts holding any of these numbers, each once. */
    async holdersOf(numbers: readonly string[]): Promise<string[]> {
      if (numbers.length === 0) return [];
      const holders = await db
        .selectFrom("authorizations")
        .select("user_id")
        .where("registration_number", "in", numbers)
        .execute();
      return [...new Set(holders.map((h) => h.user_id))];
    },

    /** The accounts holding any number of the product, each once. */
    async holdersOfProduct(productCode: string): Promise<string[]> {
      const holders = await db
        .selectFrom("authorizations")
        .innerJoin(
          "registration_numbers",
          "registration_numbers.number",
          "authorizations.registration_number",
        )
        .select("authorizations.user_id")
        .where("registration_numbers.product_code", "=", productCode)
        .distinct()
        .execute();
      return holders.map((h) => h.user_id);
    },

    /**
     * The numbers of these accounts with their product, purchase date and the partner that
     * authorised each (null: the user's own PIN), by account and number.
     */
    async accountNumbers(userIds: readonly string[]): Promise<AccountNumberRow[]> {
      if (userIds.length === 0) return [];
      const rows = await db
        .selectFrom("authorizations as a")
        .innerJoin("registration_numbers as r", "r.number", "a.registration_number")
        .select(["a.user_id", "a.registration_number", "a.partner_id", "r.product_code", "r.purchase_date"])
        .where("a.user_id", "in", userIds)
        .orderBy("a.user_id")
        .orderBy("a.registration_number")
        .execute();
      return rows.map((row) => ({
        userId: row.user_id,
        registrationNumber: row.registration_number,
        productCode: row.product_code,
        purchaseDate: row.purchase_date,
        authorizedBy: row.partner_id,
      }));
    },

    /** How each of an account's numbers joined it: its PIN, or a partner (named). */
    async authorizationsOf(
      userId: string,
    ): Promise<{ registrationNumber: string; method: string; partnerName: string | null }[]> {
      const rows = await db
        .selectFrom("authorizations as a")
        .leftJoin("partners as p", "p.id", "a.partner_id")
        .select(["a.registration_number", "a.method", "p.name as partner_name"])
        .where("a.user_id", "=", userId)
        .execute();
      return rows.map((row) => ({
        registrationNumber: row.registration_number,
        method: row.method,
        partnerName: row.partner_name,
      }));
    },

    /** Is the number authorised by this partner, or held by one of its clients. */
    async heldThroughPartner(partnerId: string, number: string): Promise<boolean> {
      const held = await db
        .selectFrom("authorizations as a")
        .innerJoin("users as u", "u.id", "a.user_id")
        .select("a.registration_number")
        .where("a.registration_number", "=", number)
        .where((eb) => eb.or([eb("a.partner_id", "=", partnerId), eb("u.partner_id", "=", partnerId)]))
        .executeTakeFirst();
      return held !== undefined;
    },
  };
}
