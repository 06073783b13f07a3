import type { Kysely, Selectable } from "kysely";
import type { Subscription } from "../../domain/subscriptions.ts";
import type { Database, SubscriptionsTable } from "../schema.ts";

/** A recorded subscription: who sold it (null: the vendor) and its id. */
export type StoredSubscription = Subscription & { id: string; partnerId: string | null };

export interface NewSubscription extends Subscription {
  readonly id: string;
  readonly partnerId: string | null;
  readonly createdBy: string | null;
  readonly createdAt: string;
}

export type SubscriptionsRepository = ReturnType<typeof subscriptionsRepository>;

/** Support subscriptions (ITS) and their additional numbers. */
export function subscriptionsRepository(db: Kysely<Database>) {
  /** Subscription rows as subscriptions, with their additional numbers (one more query). */
  async function withAdditionalNumbers(
    rows: readonly Selectable<SubscriptionsTable>[],
  ): Promise<StoredSubscription[]> {
    if (rows.length === 0) return [];
    const additional = await db
      .selectFrom("subscription_numbers")
      .selectAll()
      .where(
        "subscription_id",
        "in",
        rows.map((r) => r.id),
      )
      .execute();
    return rows.map((row) => ({
      id: row.id,
      partnerId: row.partner_id,
      mainNumber: row.main_number,
      fromMonth: row.from_month,
      months: Number(row.months),
      additionalNumbers: additional
        .filter((a) => a.subscription_id === row.id)
        .map((a) => a.registration_number),
    }));
  }

  return {
    async ofMainNumber(mainNumber: string): Promise<StoredSubscription[]> {
      const rows = await db
        .selectFrom("subscriptions")
        .selectAll()
        .where("main_number", "=", mainNumber)
        .execute();
      return withAdditionalNumbers(rows);
    },

    /** The subscriptions naming any of these numbers as main or additional number. */
    async covering(numbers: readonly string[]): Promise<StoredSubscription[]> {
      if (numbers.length === 0) return [];
      // Two indexed look-ups: an OR with a sub-select makes PostgreSQL scan every subscription.
      const additionalIds = (
        await db
          .selectFrom("subscription_numbers")
          .select("subscription_id")
          .where("registration_number", "in", numbers)
          .execute()
      ).map((row) => row.subscription_id);
      const rows = await db
        .selectFrom("subscriptions")
        .selectAll()
        .where((eb) =>
          additionalIds.length === 0
            ? eb("main_number", "in", numbers)
            : eb.or([eb("main_number", "in", numbers), eb("id", "in", additionalIds)]),
        )
        .execute();
      return withAdditionalNumbers(rows);
    },

    async insert(subscription: NewSubscription): Promise<void> {
      await db
        .insertInto("subscriptions")
        .values({
          id: subscription.id,
          main_number: subscription.mainNumber,
          from_month: subscription.fromMonth,
          months: subscription.months,
          partner_id: subscription.partnerId,
          created_by: subscription.createdBy,
          created_at: subscription.createdAt,
        })
        .execute();
      if (subscription.additionalNumbers.length > 0) {
        await db
          .insertInto("subscription_numbers")
          .values(
            subscription.additionalNumbers.map((n) => ({
              subscription_id: subscription.id,
              registration_number: n,
            })),
          )
          .execute();
      }
    },

    /** Did this partner sell a subscription naming the number, as main or additional number. */
    async soldBy(partnerId: string, number: string): Promise<boolean> {
      const sold = await db
        .selectFrom("subscriptions as s")
        .select("s.id")
        .where("s.partner_id", "=", partnerId)
        .where((eb) =>
          eb.or([
            eb("s.main_number", "=", number),
            eb.exists(
              eb
                .selectFrom("subscription_numbers as sn")
                .select("sn.registration_number")
                .whereRef("sn.subscription_id", "=", "s.id")
                .where("sn.registration_number", "=", number),
            ),
          ]),
        )
        .executeTakeFirst();
      return sold !== undefined;
    },
  };
}
