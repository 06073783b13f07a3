import type { Kysely } from "kysely";
import { type CacheEntry, expiringCache } from "../cache/expiring-cache.ts";
import type { ChangeFeed } from "../db/change-feed.ts";
import { type Holdings, holdingsRepository } from "../db/repositories/holdings.ts";
import { subscriptionsRepository } from "../db/repositories/subscriptions.ts";
import type { Database } from "../db/schema.ts";
import type { Clock } from "../domain/clock.ts";
import {
  accessStableUntil,
  configurationAccess,
  type DownloadAccess,
  downloadAccess,
  entitlementProblem,
  type Viewer,
} from "../domain/entitlement.ts";
import { isStaff } from "../domain/roles.ts";
import type { User } from "./accounts.ts";

export type { Holdings } from "../db/repositories/holdings.ts";

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

export type EntitlementsService = ReturnType<typeof createEntitlementsService>;

/**
 * Loads what a user holds (authorised numbers and the subscriptions covering them) and asks the
 * pure entitlement rules of src/domain; routes call assertCanSee / assertCanDownload.
 */
export interface EntitlementsDeps {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly changes: ChangeFeed;
}

export function createEntitlementsService(deps: EntitlementsDeps) {
  const { db, clock, changes } = deps;
  const cache = expiringCache<HoldingsEntry>(clock, {
    max: HOLDINGS_CACHE_ENTRIES,
    ttlMs: HOLDINGS_CACHE_MS,
  });
  changes.subscribe("holdings", (userId) => cache.delete(userId));
  changes.onMissedChanges(() => cache.clear());

  const { holdingsOf } = holdingsRepository(db);
  const { covering: subscriptionsCovering } = subscriptionsRepository(db);

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
    const entry: HoldingsEntry = { holdings: await holdingsOf(user.id), decisions: new Map() };
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
