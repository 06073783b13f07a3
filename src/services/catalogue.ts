import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import type { Kysely } from "kysely";
import type {
  Configuration,
  Distribution,
  Product,
  Release,
  ReleaseWithDocuments,
} from "../contract/catalogue.ts";
import { conflictOnDuplicate } from "../db/errors.ts";
import {
  type CatalogueRepository,
  catalogueRepository,
  type DistributionWithRelease,
  type StoredRelease,
  toRelease,
} from "../db/repositories/catalogue.ts";
import { inTransaction } from "../db/repositories/index.ts";
import type { Database } from "../db/schema.ts";
import {
  CONFIGURATION_KINDS,
  type ConfigurationKind,
  DEFAULT_PACKAGE_FORMAT,
  distributionKindsOf,
  EDITIONS,
  type Edition,
  isUpdatePackage,
  RELEASE_DOCUMENTS,
  type ReleaseDocuments,
  type ReleaseStatus,
  validateChannel,
  validateCode,
  validateDistributionKind,
  validateFileName,
  validatePackageFormat,
  validateSha256,
} from "../domain/catalogue.ts";
import type { Clock } from "../domain/clock.ts";
import { parseIsoDate } from "../domain/dates.ts";
import { releaseVisible } from "../domain/entitlement.ts";
import { badRequest, conflict, notFound, unprocessable } from "../domain/errors.ts";
import { compareVersions, normalizeVersion } from "../domain/version.ts";
import type { BlobStore } from "../storage/blob-store.ts";
import type { User } from "./accounts.ts";
import type { EntitlementsService } from "./entitlements.ts";
import { checkUpdatePackage } from "./update-packages.ts";

export type { Configuration, Distribution, Product, Release, ReleaseWithDocuments };

export interface NewRelease {
  readonly configuration: string;
  readonly version: string;
  readonly releasedOn: string;
  readonly itsIssue?: string | null;
  readonly minPlatformVersion?: string | null;
  readonly channel?: string;
  readonly updateFrom?: readonly string[];
  readonly documents?: ReleaseDocuments;
}

export type { StoredDistribution } from "../db/repositories/catalogue.ts";

/** The longest Markdown document a release holds. */
export const MAX_DOCUMENT_LENGTH = 1_000_000;

function validateDocuments(documents: unknown): ReleaseDocuments {
  if (documents === undefined || documents === null) return {};
  if (typeof documents !== "object" || Array.isArray(documents)) {
    throw badRequest("invalid_documents", "documents is an object of Markdown texts.");
  }
  const result: ReleaseDocuments = {};
  for (const [name, text] of Object.entries(documents)) {
    if (!(RELEASE_DOCUMENTS as readonly string[]).includes(name)) {
      throw badRequest(
        "invalid_documents",
        `Unknown document ${name}; known: ${RELEASE_DOCUMENTS.join(", ")}.`,
      );
    }
    if (typeof text !== "string" || text.length > MAX_DOCUMENT_LENGTH) {
      throw badRequest("invalid_documents", `Document ${name} must be Markdown text of at most 1 MB.`);
    }
    result[name as keyof ReleaseDocuments] = text;
  }
  return result;
}

export type CatalogueService = ReturnType<typeof createCatalogueService>;
/** The part of the catalogue other use cases read: products by code. */
export type ProductCatalogue = Pick<CatalogueService, "requireProduct">;

/** Told, after the commit, which configuration's published catalogue changed. */
export type CatalogueChangeListener = (configuration: string) => void | Promise<void>;

export interface CatalogueDeps {
  readonly db: Kysely<Database>;
  readonly blobs: BlobStore;
  readonly clock: Clock;
  /** Who may see which configuration, for the releases and files shown to users. */
  readonly entitlements: EntitlementsService;
}

export function createCatalogueService(deps: CatalogueDeps) {
  const { db, blobs, clock, entitlements } = deps;
  const catalogue = catalogueRepository(db);
  const listeners: CatalogueChangeListener[] = [];

  async function changed(configuration: string) {
    for (const listener of listeners) await listener(configuration);
  }

  async function requireConfiguration(code: string): Promise<Configuration> {
    const configuration = await catalogue.findConfiguration(code);
    if (!configuration)
      throw notFound("configuration_not_found", `There is no configuration ${code}.`, {
        configuration: code,
      });
    return configuration;
  }

  async function requireRelease(id: string): Promise<StoredRelease> {
    const release = await catalogue.findRelease(id);
    if (!release) throw notFound("release_not_found", `There is no release ${id}.`, { release: id });
    return release;
  }

  /** A published release is something to download: it has at least one file. */
  async function assertHasFiles(repository: CatalogueRepository, release: StoredRelease) {
    if (!(await repository.releaseHasDistributions(release.id))) {
      throw unprocessable(
        "release_without_files",
        `${release.configuration} ${release.version} has no distribution yet; upload its files before publishing it.`,
        { release: release.id },
      );
    }
  }

  const filesImmutable = (release: StoredRelease, kind: string) =>
    conflict(
      "release_files_immutable",
      `${release.configuration} ${release.version} is no longer a draft: its ${kind} file cannot be replaced ` +
        "(downloads under way and the signed metadata name it). Publish a new release instead.",
      { release: release.id, kind },
    );

  /** Published-state changes alter what plans and feeds show: the configuration's revision moves with them. */
  async function setStatus(
    id: string,
    status: "published" | "withdrawn",
    actorId: string | null,
  ): Promise<ReleaseWithDocuments> {
    const release = await requireRelease(id);
    if (release.status === status) return this_.getRelease(id);
    const now = clock.now().toISOString();
    await inTransaction(db, async ({ catalogue, audit }) => {
      if (status === "published") {
        await assertHasFiles(catalogue, release);
        await catalogue.markReleasePublished(id, release.publishedAt ?? now);
      } else {
        await catalogue.markReleaseWithdrawn(id, now);
      }
      await catalogue.bumpConfigurationRevision(release.configuration);
      await audit.record(clock.now(), {
        actorId,
        action: `release.${status === "published" ? "publish" : "withdraw"}`,
        subject: `release:${id}`,
        details: { configuration: release.configuration, version: release.version },
      });
    });
    await changed(release.configuration);
    return this_.getRelease(id);
  }

  const this_ = {
    requireConfiguration,

    /** A product, or product_not_found; for the use cases that name one outside the catalogue. */
    async requireProduct(code: string): Promise<Product> {
      const product = await catalogue.findProduct(code);
      if (!product) throw notFound("product_not_found", `There is no product ${code}.`, { product: code });
      return product;
    },

    onChange(listener: CatalogueChangeListener): void {
      listeners.push(listener);
    },

    /** Tells the listeners that a change committed elsewhere (an import) altered the configuration's published catalogue. */
    announceChange: changed,

    async createConfiguration(
      input: {
        code: string;
        name: string;
        kind: string;
        vendor?: string;
        programName?: string | null;
        packageFormat?: string;
      },
      actorId: string | null,
    ): Promise<Configuration> {
      const code = validateCode(input.code, "configuration code");
      if (!(CONFIGURATION_KINDS as readonly string[]).includes(input.kind)) {
        throw badRequest("invalid_kind", `kind is one of ${CONFIGURATION_KINDS.join(", ")}.`);
      }
      const vendor = validateCode(input.vendor ?? "vendor", "vendor folder");
      const configuration: Configuration = {
        code,
        name: input.name.trim(),
        kind: input.kind as ConfigurationKind,
        vendor,
        programName: input.programName ?? null,
        packageFormat: validatePackageFormat(input.packageFormat ?? DEFAULT_PACKAGE_FORMAT),
      };
      if (!configuration.name) throw badRequest("invalid_name", "name must not be empty.");
      const exists = () => conflict("configuration_exists", `Configuration ${code} exists already.`);
      await conflictOnDuplicate(
        () =>
          inTransaction(db, async ({ catalogue, audit }) => {
            if (await catalogue.configurationExists(code)) throw exists();
            await catalogue.insertConfiguration(configuration, clock.now().toISOString());
            await audit.record(clock.now(), {
              actorId,
              action: "configuration.create",
              subject: `configuration:${code}`,
              details: { ...configuration },
            });
          }),
        exists,
      );
      return configuration;
    },

    listConfigurations: (): Promise<Configuration[]> => catalogue.listConfigurations(),

    /** The update check asks this every second per configuration: the repository's query itself, unwrapped. */
    configurationRevision: catalogue.configurationRevision,

    async createProduct(
      input: {
        code: string;
        name: string;
        edition: string;
        configurations: string[];
        freeSupportMonths?: number;
      },
      actorId: string | null,
    ): Promise<Product> {
      const code = validateCode(input.code, "product code");
      if (!(EDITIONS as readonly string[]).includes(input.edition)) {
        throw badRequest("invalid_edition", `edition is one of ${EDITIONS.join(", ")}.`);
      }
      const months = input.freeSupportMonths ?? 0;
      if (!Number.isInteger(months) || months < 0 || months > 120) {
        throw badRequest("invalid_free_support_months", "freeSupportMonths is a whole number from 0 to 120.");
      }
      const configurations = [...new Set(input.configurations)];
      if (configurations.length === 0) {
        throw badRequest("invalid_configurations", "A product includes at least one configuration.");
      }
      const product: Product = {
        code,
        name: input.name.trim(),
        edition: input.edition as Edition,
        freeSupportMonths: months,
        configurations,
      };
      const exists = () => conflict("product_exists", `Product ${code} exists already.`);
      await conflictOnDuplicate(
        () =>
          inTransaction(db, async ({ catalogue, audit }) => {
            if (await catalogue.productExists(code)) throw exists();
            const known = await catalogue.existingConfigurationCodes(configurations);
            const missing = configurations.filter((c) => !known.includes(c));
            if (missing.length > 0) {
              throw unprocessable(
                "configuration_not_found",
                `Unknown configurations: ${missing.join(", ")}.`,
                {
                  missing,
                },
              );
            }
            await catalogue.insertProduct(product, clock.now().toISOString());
            await audit.record(clock.now(), {
              actorId,
              action: "product.create",
              subject: `product:${code}`,
              details: { ...product },
            });
          }),
        exists,
      );
      return product;
    },

    async createRelease(input: NewRelease, actorId: string | null): Promise<ReleaseWithDocuments> {
      const configuration = await requireConfiguration(
        validateCode(input.configuration, "configuration code"),
      );
      const version = normalizeVersion(input.version, "version");
      const releasedOn = parseIsoDate(input.releasedOn, "releasedOn");
      const minPlatformVersion = input.minPlatformVersion
        ? normalizeVersion(input.minPlatformVersion, "minPlatformVersion")
        : null;
      const channel = validateChannel(input.channel ?? "stable");
      const documents = validateDocuments(input.documents);
      const updateFrom = [
        ...new Set((input.updateFrom ?? []).map((from, i) => normalizeVersion(from, `updateFrom[${i}]`))),
      ].sort(compareVersions);
      const notLower = updateFrom.filter((from) => compareVersions(from, version) >= 0);
      if (notLower.length > 0) {
        throw unprocessable(
          "invalid_update_from",
          `A release updates only from lower versions; ${notLower.join(", ")} is not lower than ${version}.`,
          { versions: notLower },
        );
      }
      const release: StoredRelease = {
        id: randomUUID(),
        configuration: configuration.code,
        version,
        releasedOn,
        itsIssue: input.itsIssue?.trim() || null,
        minPlatformVersion,
        channel,
        status: "draft",
        updateFrom,
        publishedAt: null,
      };
      const exists = (id?: string) =>
        conflict("release_exists", `${configuration.code} ${version} exists already.`, id ? { id } : {});
      await conflictOnDuplicate(
        () =>
          inTransaction(db, async ({ catalogue, audit }) => {
            const existing = await catalogue.findReleaseId(configuration.code, version);
            if (existing) throw exists(existing);
            await catalogue.insertRelease({ ...release, documents }, clock.now().toISOString());
            await audit.record(clock.now(), {
              actorId,
              action: "release.create",
              subject: `release:${release.id}`,
              details: { configuration: configuration.code, version },
            });
          }),
        exists,
      );
      return { ...toRelease(release, []), documents };
    },

    publishRelease: (id: string, actorId: string | null) => setStatus(id, "published", actorId),
    withdrawRelease: (id: string, actorId: string | null) => setStatus(id, "withdrawn", actorId),

    async getRelease(id: string): Promise<ReleaseWithDocuments> {
      const release = await catalogue.findReleaseWithFiles(id);
      if (!release) throw notFound("release_not_found", `There is no release ${id}.`, { release: id });
      return release;
    },

    /** A release as a user may see it: unpublished ones are not there for non-staff; 403 if not entitled. */
    async releaseForViewer(id: string, user: User): Promise<ReleaseWithDocuments> {
      const release = await this_.getRelease(id);
      if (!releaseVisible(release.status, user.role)) {
        throw notFound("release_not_found", `There is no release ${id}.`, { release: id });
      }
      await entitlements.assertCanSee(user, release.configuration);
      return release;
    },

    /** The configurations a user may open. */
    async configurationsForViewer(user: User): Promise<Configuration[]> {
      const [visible, all] = await Promise.all([
        entitlements.visibleConfigurations(user),
        this_.listConfigurations(),
      ]);
      return visible === "all" ? all : all.filter((c) => visible.has(c.code));
    },

    /** Releases of a configuration, newest first. */
    async listReleases(
      configuration: string,
      statuses: readonly ReleaseStatus[] = ["published"],
    ): Promise<Release[]> {
      await requireConfiguration(configuration);
      return catalogue.listReleases(configuration, statuses);
    },

    /**
     * Streams an upload into the blob store under a fresh key; the row appears only after the
     * bytes were checked (not empty; a 1c configuration's update a package of this very version),
     * and a replaced distribution's old bytes are removed after the commit. Only a draft's files
     * may be replaced; a published or withdrawn release may still receive a kind it lacks.
     */
    async putDistribution(
      input: { releaseId: string; kind: string; fileName: string; body: Readable; sha256?: string | null },
      actorId: string | null,
    ): Promise<Distribution> {
      const kind = validateDistributionKind(input.kind);
      const fileName = validateFileName(input.fileName);
      const expected = input.sha256 ? validateSha256(input.sha256) : null;
      const release = await requireRelease(input.releaseId);
      const configuration = await requireConfiguration(release.configuration);
      const allowed = distributionKindsOf(configuration.kind);
      if (!allowed.includes(kind)) {
        throw unprocessable(
          "distribution_kind_not_allowed",
          `${configuration.code} is of kind ${configuration.kind}; its releases take ${allowed.join(", ")}, not ${kind}.`,
          { kind, allowed },
        );
      }
      // Refused before a byte is stored; checked again, under the row lock, before the write.
      if (release.status !== "draft" && (await catalogue.findDistributionOfKind(release.id, kind))) {
        throw filesImmutable(release, kind);
      }
      let wasDraft = true;
      const id = randomUUID();
      const storageKey = `distributions/${release.configuration}/${release.id}/${id}`;
      const stored = await blobs.put(storageKey, input.body, { sha256: expected });
      let replaced: string | null = null;
      const raced = () =>
        conflict(
          "upload_conflict",
          `Another ${kind} upload for this release finished at the same moment; retry.`,
        );
      try {
        if (stored.size === 0) {
          throw unprocessable(
            "empty_file",
            `The ${kind} file ${fileName} is empty (0 bytes); nothing was stored.`,
          );
        }
        if (isUpdatePackage(configuration.packageFormat, kind)) {
          await checkUpdatePackage(blobs, storageKey, stored.size, release.version);
        }
        await conflictOnDuplicate(
          () =>
            inTransaction(db, async ({ catalogue, audit }) => {
              wasDraft = await catalogue.lockDraftRelease(release.id);
              const previous = await catalogue.findDistributionOfKind(release.id, kind);
              if (previous) {
                if (!wasDraft) throw filesImmutable(release, kind);
                replaced = previous.storageKey;
                await catalogue.deleteDistribution(previous.id);
              }
              await catalogue.insertDistribution(
                {
                  id,
                  releaseId: release.id,
                  kind,
                  fileName,
                  size: stored.size,
                  sha256: stored.sha256,
                  storageKey,
                },
                clock.now().toISOString(),
              );
              if (!wasDraft) await catalogue.bumpConfigurationRevision(release.configuration);
              await audit.record(clock.now(), {
                actorId,
                action: "distribution.put",
                subject: `release:${release.id}`,
                details: {
                  kind,
                  fileName,
                  size: stored.size,
                  sha256: stored.sha256,
                  replaced: previous?.id ?? null,
                },
              });
            }),
          raced,
        );
      } catch (error) {
        await blobs.delete(storageKey);
        throw error;
      }
      if (replaced) await blobs.delete(replaced);
      // A draft's files show in no plan and no signed metadata until it is published.
      if (!wasDraft) await changed(release.configuration);
      return { id, kind, fileName, size: stored.size, sha256: stored.sha256 };
    },

    async getDistribution(id: string): Promise<DistributionWithRelease> {
      const distribution = await catalogue.findDistribution(id);
      if (!distribution) throw notFound("distribution_not_found", `There is no distribution ${id}.`);
      return distribution;
    },

    /** A distribution a user may download: unpublished ones are not there for non-staff; 403 if not entitled. */
    async distributionForViewer(id: string, user: User): Promise<DistributionWithRelease> {
      const distribution = await this_.getDistribution(id);
      if (!releaseVisible(distribution.releaseStatus, user.role)) {
        throw notFound("distribution_not_found", `There is no distribution ${id}.`);
      }
      await entitlements.assertCanDownload(user, distribution.configuration);
      return distribution;
    },
  };
  return this_;
}
