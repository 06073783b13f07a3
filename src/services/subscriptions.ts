import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { RecordedSubscription } from "../contract/partners.ts";
import type { ChangeFeed } from "../db/change-feed.ts";
import { repositories } from "../db/repositories/index.ts";
import type { Database } from "../db/schema.ts";
import type { Clock } from "../domain/clock.ts";
import { conflict, notFound } from "../domain/errors.ts";
import { monthsInSpan } from "../domain/months.ts";
import { type Role, requirePartnerId } from "../domain/roles.ts";
import { isSameSubscription, spansOverlap, validateSubscription } from "../domain/subscriptions.ts";

export type { RecordedSubscription };

export type SubscriptionsService = ReturnType<typeof createSubscriptionsService>;

/** Support subscriptions (ITS) as partners and the vendor's sales department record them. */
export interface SubscriptionsDeps {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly changes: ChangeFeed;
}

export function createSubscriptionsService(deps: SubscriptionsDeps) {
  const { db, clock, changes } = deps;
  const { registrationNumbers } = repositories(db);
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
      actor: { id: string; role: Role; partnerId: string | null },
    ): Promise<{ subscription: RecordedSubscription; created: boolean }> {
      // A partner sells for its own partner; the vendor's sales department (admin) for none.
      const partnerId = actor.role === "partner" ? requirePartnerId(actor) : null;
      const subscription = validateSubscription({
        mainNumber: input.registrationNumber,
        fromMonth: input.fromMonth,
        months: input.months,
        toMonth: input.toMonth,
        additionalNumbers: input.additionalNumbers,
      });
      const all = [subscription.mainNumber, ...subscription.additionalNumbers];
      const known = await registrationNumbers.existing(all);
      const missing = all.filter((n) => !known.includes(n));
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
        const repos = repositories(trx);
        // Recordings for one main number run one after another, so two requests at once cannot
        // both find nothing recorded.
        await repos.registrationNumbers.lock(subscription.mainNumber);
        const overlapping = (await repos.subscriptions.ofMainNumber(subscription.mainNumber)).filter((s) =>
          spansOverlap(s, subscription),
        );
        const same = overlapping.find(
          (s) => s.partnerId === partnerId && isSameSubscription(s, subscription),
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
        for (const holder of await repos.holdings.holdersOf(all)) changed("holdings", holder);
        await repos.subscriptions.insert({
          ...subscription,
          id,
          partnerId: partnerId,
          createdBy: actor.id,
          createdAt: now.toISOString(),
        });
        await repos.audit.record(now, {
          actorId: actor.id,
          action: "subscription.create",
          subject: `subscription:${id}`,
          details: { ...subscription, partnerId: partnerId },
        });
        return { subscription: answer(id, partnerId), created: true };
      });
    },
  };
}
