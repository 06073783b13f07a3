import type { Kysely, Selectable } from "kysely";
import { type CacheEntry, expiringCache } from "../cache/expiring-cache.ts";
import type { Changed, ChangeFeed } from "../db/change-feed.ts";
import { prepareQuery } from "../db/prepared-query.ts";
import type { Database, SubscriptionsTable } from "../db/schema.ts";
import type { Edition } from "../domain/catalogue.ts";
import type { Clock } from "../domain/clock.ts";
import {
  type AuthorizedNumber,
  accessStableUntil,
  configurationAccess,
  type DownloadAccess,
  downloadAccess,
  entitlementProblem,
  type Viewer,
} from "../domain/entitlement.ts";
import { isStaff } from "../domain/roles.ts";
import type { Subscription } from "../domain/subscriptions.ts";
import type { User } from "./accounts.ts";

export interface Holdings {
  readonly numbers: AuthorizedNumber[];
  readonly subscriptions: Subscription[];
}

/**
 * Entitlements are read on every catalogue request and cached. Registrations and subscription
 * changes drop entries on every node through the change feed; the limit covers changes made by hand.
 */
const HOLDINGS_CACHE_MS = 5 * 60_000;
const HOLDINGS_CACHE_ENTRIES = 100_000;

/** A user's holdings and the download decisions already taken on them, per configuration. */
interface HoldingsEntry {
  readonly holdings: Holdings;
  readonly decisions: Map<string, Decision>;
}

/**
 * The holdings entry last used for a user object (the one the token cache keeps for the token),
 * remembered on that object: the busiest path then follows a pointer instead of looking the user
 * up among 100,000 entries, which measured 2% of its throughput.
 */
const LINKED_HOLDINGS = Symbol("holdings entry last used for this user");
type LinkedUser = User & { [LINKED_HOLDINGS]?: CacheEntry<HoldingsEntry> };

interface Decision {
  readonly access: DownloadAccess;
  readonly viewer: Viewer;
  readonly takenAt: number;
  readonly stableUntil: number;
}

const stillValid = (decision: Decision, user: User, at: number) =>
  decision.takenAt <= at &&
  at < decision.stableUntil &&
  decision.viewer.role === user.role &&
  decision.viewer.activeFrom === user.activeFrom;

/** Staff may download everything; one shared answer. */
const STAFF_ACCESS: DownloadAccess = Object.freeze({ allowed: true, via: [] as string[] });

/**
 * Inside a transaction that changes what these numbers grant: names their holders as changed,
 * so every node reloads their holdings once it commits.
 */
export async function holdingsChanged(
  trx: Kysely<Database>,
  changed: Changed,
  numbers: readonly string[],
): Promise<void> {
  if (numbers.length === 0) return;
  const holders = await trx
    .selectFrom("authorizations")
    .select("user_id")
    .where("registration_number", "in", numbers)
    .execute();
  for (const userId of new Set(holders.map((h) => h.user_id))) changed("holdings", userId);
}

/** Subscription rows as subscriptions, with their additional numbers (one more query). */
export async function withAdditionalNumbers(
  db: Kysely<Database>,
  rows: readonly Selectable<SubscriptionsTable>[],
): Promise<(Subscription & { id: string; partnerId: string | null })[]> {
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

export type EntitlementsService = ReturnType<typeof createEntitlementsService>;

/**
 * Loads what a user holds (authorised numbers and the subscriptions covering them) and asks the
 * pure entitlement rules of src/domain; routes call assertCanSee / assertCanDownload.
 */
export function createEntitlementsService(deps: { db: Kysely<Database>; clock: Clock; changes: ChangeFeed }) {
  const { db, clock, changes } = deps;
  const cache = expiringCache<HoldingsEntry>(clock, {
    max: HOLDINGS_CACHE_ENTRIES,
    ttlMs: HOLDINGS_CACHE_MS,
  });
  changes.subscribe("holdings", (userId) => cache.delete(userId));
  changes.onMissedChanges(() => cache.clear());

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
    return withAdditionalNumbers(db, rows);
  }

  async function loadHoldings(userId: string): Promise<Holdings> {
    const numberRows = await numbersHeldBy(userId);
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
      a.registrationNumber < b.registrationNumber ? -1 : a.registrationNumber > b.registrationNumber ? 1 : 0,
    );
    // Basic editions never need a subscription: only holders of others look theirs up.
    if (numbers.every((n) => n.edition === "basic")) return { numbers, subscriptions: [] };
    const subscriptions = new Map<string, Subscription & { additionalNumbers: string[] }>();
    for (const row of await subscriptionsHeldBy(userId)) {
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
  }

  function cachedEntry(user: LinkedUser): HoldingsEntry | undefined {
    const linked = user[LINKED_HOLDINGS];
    if (linked && cache.isLive(linked)) return linked.value;
    const entry = cache.entry(user.id);
    // A dead link is replaced too, so that its entry does not outlive the cache through the user.
    if (entry || linked) user[LINKED_HOLDINGS] = entry;
    return entry?.value;
  }

  async function holdingsEntry(user: User): Promise<HoldingsEntry> {
    const cached = cachedEntry(user);
    if (cached) return cached;
    const loadStarted = cache.beforeLoad();
    const entry: HoldingsEntry = { holdings: await loadHoldings(user.id), decisions: new Map() };
    cache.set(user.id, entry, loadStarted);
    return entry;
  }

  const viewer = (user: User): Viewer => ({ role: user.role, activeFrom: user.activeFrom });

  return {
    async holdings(user: User): Promise<Holdings> {
      return (await holdingsEntry(user)).holdings;
    },
    subscriptionsCovering,

    async assertCanSee(user: User, configuration: string): Promise<void> {
      if (isStaff(user.role)) return;
      const { holdings } = await holdingsEntry(user);
      const access = configurationAccess({
        viewer: viewer(user),
        numbers: holdings.numbers,
        configuration,
        now: clock.now(),
      });
      if (!access.allowed) throw entitlementProblem(access);
    },

    /**
     * May the user download this configuration's updates now. The decision is kept with the
     * holdings and reused (the same object) while the rules say it cannot change.
     */
    async downloadDecision(user: User, configuration: string): Promise<DownloadAccess> {
      if (isStaff(user.role)) return STAFF_ACCESS;
      const { holdings, decisions } = await holdingsEntry(user);
      const now = clock.now();
      const kept = decisions.get(configuration);
      if (kept && stillValid(kept, user, now.getTime())) return kept.access;
      const current = viewer(user);
      const access = downloadAccess({ viewer: current, ...holdings, configuration, now });
      decisions.set(configuration, {
        access,
        viewer: current,
        takenAt: now.getTime(),
        stableUntil: accessStableUntil(current, now),
      });
      return access;
    },

    /** The decision downloadDecision took for this user and configuration, while it cannot have changed. */
    keptDownloadDecision(user: User, configuration: string): DownloadAccess | undefined {
      if (isStaff(user.role)) return STAFF_ACCESS;
      const kept = cachedEntry(user)?.decisions.get(configuration);
      return kept && stillValid(kept, user, clock.now().getTime()) ? kept.access : undefined;
    },

    async assertCanDownload(user: User, configuration: string): Promise<void> {
      const access = await this.downloadDecision(user, configuration);
      if (!access.allowed) throw entitlementProblem(access);
    },

    /** The configurations a user may open: staff see all. */
    async visibleConfigurations(user: User): Promise<Set<string> | "all"> {
      if (isStaff(user.role)) return "all";
      const { holdings } = await holdingsEntry(user);
      return new Set(holdings.numbers.flatMap((n) => n.configurations));
    },
  };
}
