import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { ChangeFeed } from "../db/change-feed.ts";
import type { Database } from "../db/schema.ts";
import type { Clock } from "../domain/clock.ts";
import { notFound } from "../domain/errors.ts";
import { monthsInSpan } from "../domain/months.ts";
import { validateSubscription } from "../domain/subscriptions.ts";
import { recordAudit } from "./audit.ts";
import { holdingsChanged } from "./entitlements.ts";

export interface RecordedSubscription {
  id: string;
  registrationNumber: string;
  fromMonth: string;
  months: number;
  toMonth: string;
  additionalNumbers: string[];
  partner: string | null;
}

export type SubscriptionsService = ReturnType<typeof createSubscriptionsService>;

/** Support subscriptions (ITS) as partners and the vendor's sales department record them. */
export function createSubscriptionsService(deps: {
  db: Kysely<Database>;
  clock: Clock;
  changes: ChangeFeed;
}) {
  const { db, clock, changes } = deps;
  return {
    async record(
      input: {
        registrationNumber: unknown;
        fromMonth: unknown;
        months: unknown;
        additionalNumbers?: unknown;
      },
      actor: { id: string; partnerId: string | null },
    ): Promise<RecordedSubscription> {
      const subscription = validateSubscription({
        mainNumber: input.registrationNumber,
        fromMonth: input.fromMonth,
        months: input.months,
        additionalNumbers: input.additionalNumbers,
      });
      const all = [subscription.mainNumber, ...subscription.additionalNumbers];
      const known = await db
        .selectFrom("registration_numbers")
        .select("number")
        .where("number", "in", all)
        .execute();
      const missing = all.filter((n) => !known.some((k) => k.number === n));
      if (missing.length > 0) {
        throw notFound(
          "registration_number_not_found",
          `Unknown registration numbers: ${missing.join(", ")}.`,
          {
            missing,
          },
        );
      }
      const id = randomUUID();
      const now = clock.now();
      await changes.transaction(async (trx, changed) => {
        await holdingsChanged(trx, changed, all);
        await trx
          .insertInto("subscriptions")
          .values({
            id,
            main_number: subscription.mainNumber,
            from_month: subscription.fromMonth,
            months: subscription.months,
            partner_id: actor.partnerId,
            created_by: actor.id,
            created_at: now.toISOString(),
          })
          .execute();
        if (subscription.additionalNumbers.length > 0) {
          await trx
            .insertInto("subscription_numbers")
            .values(
              subscription.additionalNumbers.map((n) => ({ subscription_id: id, registration_number: n })),
            )
            .execute();
        }
        await recordAudit(trx, now, {
          actorId: actor.id,
          action: "subscription.create",
          subject: `subscription:${id}`,
          details: { ...subscription, partnerId: actor.partnerId },
        });
      });
      return {
        id,
        registrationNumber: subscription.mainNumber,
        fromMonth: subscription.fromMonth,
        months: subscription.months,
        toMonth: monthsInSpan(subscription.fromMonth, subscription.months),
        additionalNumbers: [...subscription.additionalNumbers],
        partner: actor.partnerId,
      };
    },
  };
}
