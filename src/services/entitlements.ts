import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import type { Edition } from "../domain/catalogue.ts";
import type { Clock } from "../domain/clock.ts";
import {
  type AuthorizedNumber,
  configurationAccess,
  type DownloadAccess,
  downloadAccess,
  entitlementProblem,
} from "../domain/entitlement.ts";
import { isStaff } from "../domain/roles.ts";
import type { Subscription } from "../domain/subscriptions.ts";
import type { User } from "./accounts.ts";

export interface Holdings {
  readonly numbers: AuthorizedNumber[];
  readonly subscriptions: Subscription[];
}

/** Entitlements are read on every catalogue request; a short cache keeps the busiest path cheap. */
const HOLDINGS_CACHE_MS = 30_000;

export type EntitlementsService = ReturnType<typeof createEntitlementsService>;

/**
 * Loads what a user holds (authorised numbers and the subscriptions covering them) and asks the
 * pure entitlement rules of src/domain; routes call assertCanSee / assertCanDownload.
 */
export function createEntitlementsService(deps: { db: Kysely<Database>; clock: Clock }) {
  const { db, clock } = deps;
  const cache = new Map<string, { holdings: Holdings; at: number }>();

  async function subscriptionsCovering(numbers: string[]): Promise<Subscription[]> {
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
      mainNumber: row.main_number,
      fromMonth: row.from_month,
      months: Number(row.months),
      additionalNumbers: additional
        .filter((a) => a.subscription_id === row.id)
        .map((a) => a.registration_number),
    }));
  }

  async function loadHoldings(userId: string): Promise<Holdings> {
    const rows = await db
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
      .where("a.user_id", "=", userId)
      .orderBy("a.registration_number")
      .execute();
    const byNumber = new Map<string, AuthorizedNumber & { configurations: string[] }>();
    for (const row of rows) {
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
    const numbers = [...byNumber.values()];
    // Basic editions never need a subscription: only the others' coverage is looked up.
    const supported = numbers.filter((n) => n.edition !== "basic").map((n) => n.registrationNumber);
    return { numbers, subscriptions: await subscriptionsCovering(supported) };
  }

  async function holdings(user: User): Promise<Holdings> {
    const now = performance.now();
    const cached = cache.get(user.id);
    if (cached && now - cached.at < HOLDINGS_CACHE_MS) return cached.holdings;
    const loaded = await loadHoldings(user.id);
    if (cache.size > 50_000) cache.clear();
    cache.set(user.id, { holdings: loaded, at: now });
    return loaded;
  }

  const viewer = (user: User) => ({ role: user.role, activeFrom: user.activeFrom });

  return {
    holdings,
    subscriptionsCovering,

    /** Registration, authorisation and subscription changes take effect at once on this node. */
    invalidate(userId: string): void {
      cache.delete(userId);
    },

    /** After a subscription change: only the accounts holding those numbers see a difference. */
    async invalidateHoldersOf(numbers: readonly string[]): Promise<void> {
      if (numbers.length === 0) return;
      const holders = await db
        .selectFrom("authorizations")
        .select("user_id")
        .where("registration_number", "in", numbers)
        .execute();
      for (const { user_id } of holders) cache.delete(user_id);
    },

    async assertCanSee(user: User, configuration: string): Promise<void> {
      if (isStaff(user.role)) return;
      const { numbers } = await holdings(user);
      const access = configurationAccess({ viewer: viewer(user), numbers, configuration, now: clock.now() });
      if (!access.allowed) throw entitlementProblem(access);
    },

    async downloadDecision(user: User, configuration: string): Promise<DownloadAccess> {
      if (isStaff(user.role)) return { allowed: true, via: [] };
      const { numbers, subscriptions } = await holdings(user);
      return downloadAccess({
        viewer: viewer(user),
        numbers,
        subscriptions,
        configuration,
        now: clock.now(),
      });
    },

    async assertCanDownload(user: User, configuration: string): Promise<void> {
      const access = await this.downloadDecision(user, configuration);
      if (!access.allowed) throw entitlementProblem(access);
    },

    /** The configurations a user may open: staff see all. */
    async visibleConfigurations(user: User): Promise<Set<string> | "all"> {
      if (isStaff(user.role)) return "all";
      const { numbers } = await holdings(user);
      return new Set(numbers.flatMap((n) => n.configurations));
    },
  };
}
