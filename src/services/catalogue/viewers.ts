import type { Configuration, ReleaseWithDocuments } from "../../contract/catalogue.ts";
import type { DistributionWithRelease } from "../../db/repositories/catalogue.ts";
import { releaseVisible } from "../../domain/entitlement.ts";
import type { User } from "../accounts.ts";
import type { EntitlementsService } from "../entitlements.ts";
import { type CatalogueRecords, distributionNotFound, releaseNotFound } from "./records.ts";

export interface CatalogueViewingDeps {
  readonly records: CatalogueRecords;
  readonly listConfigurations: () => Promise<Configuration[]>;
  /** Who may see which configuration, for the releases and files shown to users. */
  readonly entitlements: EntitlementsService;
}

/**
 * The catalogue as one user may see it: unpublished releases and their files are not there for
 * non-staff (the same not-found as a missing one); a configuration the user holds no right to is a 403.
 */
export function createCatalogueViewing(deps: CatalogueViewingDeps) {
  const { records, listConfigurations, entitlements } = deps;
  return {
    /** A release as a user may see it: unpublished ones are not there for non-staff; 403 if not entitled. */
    async releaseForViewer(id: string, user: User): Promise<ReleaseWithDocuments> {
      const release = await records.getRelease(id);
      if (!releaseVisible(release.status, user.role)) throw releaseNotFound(id);
      await entitlements.assertCanSee(user, release.configuration);
      return release;
    },

    /** A configuration's release of this version as a user may see it (the same rules as releaseForViewer). */
    async releaseOfVersionForViewer(
      configuration: string,
      version: string,
      user: User,
    ): Promise<ReleaseWithDocuments> {
      const release = await records.getReleaseOfVersion(configuration, version);
      if (!releaseVisible(release.status, user.role)) throw releaseNotFound(`${configuration} ${version}`);
      await entitlements.assertCanSee(user, release.configuration);
      return release;
    },

    /**
     * The whole catalogue split for one user: the configurations its products give, which it may
     * open, and the others, which it is offered to buy and register (staff hold them all).
     */
    async catalogueForViewer(user: User): Promise<{ mine: Configuration[]; others: Configuration[] }> {
      const [visible, all] = await Promise.all([
        entitlements.visibleConfigurations(user),
        listConfigurations(),
      ]);
      if (visible === "all") return { mine: all, others: [] };
      return {
        mine: all.filter((c) => visible.has(c.code)),
        others: all.filter((c) => !visible.has(c.code)),
      };
    },

    /** The configurations a user may open. */
    async configurationsForViewer(user: User): Promise<Configuration[]> {
      const [visible, all] = await Promise.all([
        entitlements.visibleConfigurations(user),
        listConfigurations(),
      ]);
      return visible === "all" ? all : all.filter((c) => visible.has(c.code));
    },

    /** A distribution a user may download: unpublished ones are not there for non-staff; 403 if not entitled. */
    async distributionForViewer(id: string, user: User): Promise<DistributionWithRelease> {
      const distribution = await records.getDistribution(id);
      if (!releaseVisible(distribution.releaseStatus, user.role)) throw distributionNotFound(id);
      await entitlements.assertCanDownload(user, distribution.configuration);
      return distribution;
    },
  };
}
