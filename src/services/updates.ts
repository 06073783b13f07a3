import type { PlanDescription, PlanRequest } from "../contract/plans.ts";
import type { PackageFormat } from "../domain/catalogue.ts";
import { type PlanAccess, planAccess } from "../domain/entitlement.ts";
import { notFound } from "../domain/errors.ts";
import { describeUpdatePlan, whatsNewOfChain } from "../domain/plan-description.ts";
import { ReleaseGraph } from "../domain/update-planner.ts";
import type { User } from "./accounts.ts";
import type { CatalogueService, Release } from "./catalogue/index.ts";
import type { EntitlementsService } from "./entitlements.ts";

export type { PlanRequest };
/** A plan as every caller gets it; the caller's download verdict goes beside it. */
export type Plan = PlanDescription;
export type { PlanAccess };

/** Sends a plan with the caller's access; takes the context it needs so that no closure is made per answer. */
export type PlanAnswer<C, R> = (context: C, plan: Plan, access: PlanAccess) => R;

/** How long a node trusts its cached graph before asking the database whether the catalogue changed. */
const REVISION_CHECK_MS = 1_000;
/** How long a graph whose revision checks fail may still answer without waiting for one. */
const UNCHECKED_LIMIT_MS = 30_000;

interface CachedGraph {
  readonly revision: number;
  readonly packageFormat: PackageFormat;
  readonly graph: ReleaseGraph<Release>;
  readonly newestFirst: Release[];
  /** Plans are the same for every caller with the same request; they live as long as the graph. */
  readonly plans: Map<string, Plan>;
  checkedAt: number;
}

const MAX_CACHED_PLANS = 20_000;

// A valid version has one spelling only, so the request's own is the key (an invalid one is never cached).
const planKey = (request: PlanRequest) =>
  `${request.version}|${request.platformVersion ?? ""}|${request.target ?? ""}`;

export type UpdatesService = ReturnType<typeof createUpdatesService>;

/**
 * Plans over the published releases of a configuration. The release graph is built once per
 * catalogue revision and shared by every plan and listing until a release is published,
 * withdrawn or gets new distributions (on any node: the revision lives in the database).
 */
export interface UpdatesDeps {
  readonly catalogue: CatalogueService;
  readonly entitlements: EntitlementsService;
}

export function createUpdatesService(deps: UpdatesDeps) {
  const { catalogue, entitlements } = deps;
  const cache = new Map<string, CachedGraph>();
  // One revision check at a time per configuration: requests arriving meanwhile wait for it.
  const checking = new Map<string, Promise<CachedGraph>>();
  // Changes made through this node are seen at once (a check begun before one is not kept);
  // other nodes' within REVISION_CHECK_MS.
  const changesSeen = new Map<string, number>();
  catalogue.onChange((configuration) => {
    cache.delete(configuration);
    checking.delete(configuration);
    changesSeen.set(configuration, (changesSeen.get(configuration) ?? 0) + 1);
  });

  async function check(configuration: string, cached: CachedGraph | undefined): Promise<CachedGraph> {
    const changesBefore = changesSeen.get(configuration) ?? 0;
    const now = performance.now();
    const revision = await catalogue.configurationRevision(configuration);
    if (revision === null) {
      cache.delete(configuration);
      throw notFound("configuration_not_found", `There is no configuration ${configuration}.`, {
        configuration,
      });
    }
    if (cached && cached.revision === revision) {
      cached.checkedAt = now;
      return cached;
    }
    const [{ packageFormat }, newestFirst] = await Promise.all([
      catalogue.requireConfiguration(configuration),
      catalogue.listReleases(configuration, ["published"]),
    ]);
    const entry: CachedGraph = {
      revision,
      packageFormat,
      graph: new ReleaseGraph(newestFirst),
      newestFirst,
      plans: new Map(),
      checkedAt: now,
    };
    if ((changesSeen.get(configuration) ?? 0) === changesBefore) cache.set(configuration, entry);
    return entry;
  }

  function published(configuration: string): Promise<CachedGraph> {
    const cached = cache.get(configuration);
    if (cached && performance.now() - cached.checkedAt < REVISION_CHECK_MS) return Promise.resolve(cached);
    let pending = checking.get(configuration);
    if (!pending) {
      pending = check(configuration, cached).finally(() => {
        if (checking.get(configuration) === pending) checking.delete(configuration);
      });
      checking.set(configuration, pending);
    }
    return pending;
  }

  /**
   * The plan already made for this request, without waiting for the database: when the
   * revision is due for a check, the check runs in the background and this answer still comes
   * from the graph it may replace (another node's change is planned a moment later).
   */
  function cachedPlan(request: PlanRequest): Plan | undefined {
    return keptGraph(request.configuration)?.plans.get(planKey(request));
  }

  /** The kept graph without waiting for the database; a revision check that is due runs in the background. */
  function keptGraph(configuration: string): CachedGraph | undefined {
    const cached = cache.get(configuration);
    if (!cached) return undefined;
    const age = performance.now() - cached.checkedAt;
    // While checks keep failing (the database is away), plans stop coming from an old graph.
    if (age >= UNCHECKED_LIMIT_MS) return undefined;
    if (age >= REVISION_CHECK_MS && !checking.has(configuration)) {
      // A failed check (the configuration was deleted) drops the graph: the next request is told.
      published(configuration).catch(() => undefined);
    }
    return cached;
  }

  async function plan(request: PlanRequest): Promise<Plan> {
    const { graph, plans, packageFormat } = await published(request.configuration);
    const key = planKey(request);
    const cached = plans.get(key);
    if (cached) return cached;
    const chain = describeUpdatePlan(graph, request, packageFormat);
    const texts = await catalogue.whatsNewOf(chain.steps.map((step) => step.releaseId));
    const result: Plan = { ...chain, whatsNew: whatsNewOfChain(chain.steps, (id) => texts.get(id)) };
    if (plans.size >= MAX_CACHED_PLANS) plans.clear();
    plans.set(key, result);
    return result;
  }

  return {
    /** Published releases, newest first. */
    async publishedReleases(configuration: string): Promise<Release[]> {
      return (await published(configuration)).newestFirst;
    },

    /**
     * Published releases, newest first, as kept, without waiting for a due revision check (like
     * cachedPlan); undefined when none are kept (then call publishedReleases).
     */
    keptPublishedReleases(configuration: string): Release[] | undefined {
      return keptGraph(configuration)?.newestFirst;
    },

    /** Published releases, newest first, for a user who may open the configuration (404 before 403). */
    async publishedReleasesFor(user: User, configuration: string): Promise<Release[]> {
      const releases = (await published(configuration)).newestFirst;
      await entitlements.assertCanSee(user, configuration);
      return releases;
    },

    cachedPlan,
    plan,

    /**
     * The busiest use case answered without a promise: when the plan and the user's decision are
     * both kept, `answer` is called with them (or the 403 thrown) and its result returned;
     * undefined when either must be read first (then call planFor).
     */
    keptPlanFor<C, R>(user: User, request: PlanRequest, context: C, answer: PlanAnswer<C, R>): R | undefined {
      const planned = cachedPlan(request);
      if (!planned) return undefined;
      const decision = entitlements.keptDownloadDecision(user, request.configuration);
      if (!decision) return undefined;
      return answer(context, planned, planAccess(decision));
    },

    /** The plan with the user's download access; an unknown configuration or version fails before any entitlement question. */
    async planFor<C, R>(user: User, request: PlanRequest, context: C, answer: PlanAnswer<C, R>): Promise<R> {
      const planned = cachedPlan(request) ?? (await plan(request));
      const decision =
        entitlements.keptDownloadDecision(user, request.configuration) ??
        (await entitlements.downloadDecision(user, request.configuration));
      return answer(context, planned, planAccess(decision));
    },
  };
}
