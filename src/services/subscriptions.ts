import { randomUUID } from "node:crypto";
import { type Kysely, sql } from "kysely";
import type { RecordedSubscription } from "../contract/partners.ts";
import type { ChangeFeed } from "../db/change-feed.ts";
import type { Database } from "../db/schema.ts";
import type { Clock } from "../domain/clock.ts";
import { conflict, notFound } from "../domain/errors.ts";
import { monthsInSpan } from "../domain/months.ts";
import { isSameSubscription, spansOverlap, validateSubscription } from "../domain/subscriptions.ts";
import { recordAudit } from "./audit.ts";
import { holdingsChanged, withAdditionalNumbers } from "./entitlements.ts";

export type { RecordedSubscription };

export type SubscriptionsService = ReturnType<typeof createSubscriptionsService>;

/** Support subscriptions (ITS) as partners and the vendor's sales department record them. */
export function createSubscriptionsService(deps: {
  db: Kysely<Database>;
  clock: Clock;
  changes: ChangeFeed;
}) {
  const { db, clock, changes } = deps;
  return {
    /**
     * Records a subscription once: the same subscription recorded again by the same seller (a
     * retried request) answers the one recorded first with `created: false`; one that overlaps
     * another of its main number in any other way is a conflict.
     */
    async record(
      input: {
        registrationNumber: unknown;
        fromMonth: unknown;
        months?: unknown;
        toMonth?: unknown;
        additionalNumbers?: unknown;
      },
      actor: { id: string; partnerId: string | null },
    ): Promise<{ subscription: RecordedSubscription; created: boolean }> {
      const subscription = validateSubscription({
        mainNumber: input.registrationNumber,
        fromMonth: input.fromMonth,
        months: input.months,
        toMonth: input.toMonth,
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
      const answer = (id: string, partnerId: string | null): RecordedSubscription => ({
        id,
        registrationNumber: subscription.mainNumber,
        fromMonth: subscription.fromMonth,
        months: subscription.months,
        toMonth: monthsInSpan(subscription.fromMonth, subscription.months),
        additionalNumbers: [...subscription.additionalNumbers],
        partner: partnerId,
      });
      return changes.transaction(async (trx, changed) => {
        // Recordings for one main number run one after another, so two requests at once cannot
        // both find nothing recorded: a no-op UPDATE takes PostgreSQL's row lock on the number
        // (SQLite's transaction holds the only connection already).
        await trx
          .updateTable("registration_numbers")
          .set({ issued_at: sql<string>`issued_at` })
          .where("number", "=", subscription.mainNumber)
          .execute();
        const recorded = await trx
          .selectFrom("subscriptions")
          .selectAll()
          .where("main_number", "=", subscription.mainNumber)
          .execute();
        const overlapping = (await withAdditionalNumbers(trx, recorded)).filter((s) =>
          spansOverlap(s, subscription),
        );
        const same = overlapping.find(
          (s) => s.partnerId === actor.partnerId && isSameSubscription(s, subscription),
        );
        if (same) return { subscription: answer(same.id, same.partnerId), created: false };
        const [clash] = overlapping;
        if (clash) {
          const clashTo = monthsInSpan(clash.fromMonth, clash.months);
          throw conflict(
            "subscription_overlap",
            `${subscription.mainNumber} already has a different subscription from ${clash.fromMonth} to ${clashTo}, which this one overlaps.`,
            {
              registrationNumber: subscription.mainNumber,
              overlaps: { fromMonth: clash.fromMonth, toMonth: clashTo },
            },
          );
        }
        const id = randomUUID();
        const now = clock.now();
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
        return { subscription: answer(id, actor.partnerId), created: true };
      });
    },
  };
}
