// Types only: the plan is described in the API contract, which loads nothing of this module.
import type { Distribution } from "../contract/catalogue.ts";
import type { PlanChain, PlanStep, WhatsNewEntry } from "../contract/plans.ts";
import { type PackageFormat, UPDATE_DISTRIBUTION } from "./catalogue.ts";
import { notFound } from "./errors.ts";
import { type PlannableRelease, planUpdate, type ReleaseGraph } from "./update-planner.ts";
import { normalizeVersion } from "./version.ts";

/** A catalogue release as both the server and the client know it. */
export interface CatalogueRelease extends PlannableRelease {
  readonly id: string;
  readonly releasedOn: string;
  readonly distributions: readonly Distribution[];
}

/**
 * Plans over a configuration's published releases and describes the chain as the API answers it:
 * each step with the update distribution it downloads, and the total size. Used by the server and
 * by the client planning from a mirror, so both give the same answer.
 */
export function describeUpdatePlan<R extends CatalogueRelease>(
  graph: ReleaseGraph<R>,
  request: {
    configuration: string;
    version: string;
    target?: string | null;
    platformVersion?: string | null;
  },
  packageFormat: PackageFormat,
): PlanChain {
  const from = normalizeVersion(request.version, "version");
  const { configuration } = request;
  if (!graph.newest) {
    throw notFound("no_published_releases", `${configuration} has no published release yet.`, {
      configuration,
    });
  }
  const plan = planUpdate(graph, {
    from,
    // Only null or undefined leave them out: an empty string is an invalid version.
    ...(request.target != null ? { target: request.target } : {}),
    ...(request.platformVersion != null ? { platformVersion: request.platformVersion } : {}),
  });
  const steps = plan.steps.map(({ release }) => {
    const distribution = release.distributions.find((d) => d.kind === UPDATE_DISTRIBUTION) ?? null;
    return {
      version: release.version,
      releaseId: release.id,
      releasedOn: release.releasedOn,
      minPlatformVersion: release.minPlatformVersion,
      distribution,
      updateAvailable: distribution !== null,
    };
  });
  return {
    status: plan.status,
    configuration,
    from: plan.from,
    to: plan.to ?? graph.newest.version,
    steps,
    platformUpgrade: plan.platformUpgrade,
    totalSize: steps.reduce((sum, step) => sum + (step.distribution?.size ?? 0), 0),
    packageFormat,
    missingUpdates: steps.filter((step) => !step.updateAvailable).map((step) => step.version),
  };
}

/**
 * The combined "what's new" of a chain: each step's document in the order the steps are
 * installed, leaving out the releases that have none. `textOf` gives a release's document by id.
 */
export function whatsNewOfChain(
  steps: readonly Pick<PlanStep, "version" | "releaseId">[],
  textOf: (releaseId: string) => string | null | undefined,
): WhatsNewEntry[] {
  return steps.flatMap((step) => {
    const text = textOf(step.releaseId)?.trim();
    return text ? [{ version: step.version, text }] : [];
  });
}
