import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import type { Kysely, Selectable } from "kysely";
import type {
  Configuration,
  Distribution,
  Product,
  Release,
  ReleaseWithDocuments,
} from "../contract/catalogue.ts";
import { conflictOnDuplicate } from "../db/errors.ts";
import type { ConfigurationsTable, Database, DistributionsTable, ReleasesTable } from "../db/schema.ts";
import {
  CONFIGURATION_KINDS,
  type ConfigurationKind,
  DEFAULT_PACKAGE_FORMAT,
  distributionKindsOf,
  EDITIONS,
  type Edition,
  isUpdatePackage,
  type PackageFormat,
  RELEASE_DOCUMENTS,
  type ReleaseDocuments,
  type ReleaseStatus,
  UPDATE_DISTRIBUTION,
  validateChannel,
  validateCode,
  validateDistributionKind,
  validateFileName,
  validatePackageFormat,
  validateSha256,
} from "../domain/catalogue.ts";
import type { Clock } from "../domain/clock.ts";
import { parseIsoDate } from "../domain/dates.ts";
import { badRequest, conflict, notFound, unprocessable } from "../domain/errors.ts";
import { compareVersions, normalizeVersion, versionSortKey } from "../domain/version.ts";
import type { BlobStore } from "../storage/blob-store.ts";
import { recordAudit } from "./audit.ts";
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

/** Where a distribution's bytes live in the blob store. */
export interface StoredDistribution extends Distribution {
  readonly releaseId: string;
  readonly storageKey: string;
}

const MAX_DOCUMENT_LENGTH = 1_000_000;

function toConfiguration(row: Selectable<ConfigurationsTable>): Configuration {
  return {
    code: row.code,
    name: row.name,
    kind: row.kind as ConfigurationKind,
    vendor: row.vendor,
    programName: row.program_name,
    packageFormat: row.package_format as PackageFormat,
  };
}

function toDistribution(row: Selectable<DistributionsTable>): Distribution {
  return { id: row.id, kind: row.kind, fileName: row.file_name, size: Number(row.size), sha256: row.sha256 };
}

function toRelease(row: Selectable<ReleasesTable>, distributions: Distribution[]): Release {
  return {
    id: row.id,
    configuration: row.configuration_code,
    version: row.version,
    releasedOn: row.released_on,
    itsIssue: row.its_issue,
    minPlatformVersion: row.min_platform_version,
    channel: row.channel,
    status: row.status as ReleaseStatus,
    updateFrom: JSON.parse(row.update_from) as string[],
    publishedAt: row.published_at,
    distributions,
    hasUpdateDistribution: distributions.some((d) => d.kind === UPDATE_DISTRIBUTION),
  };
}

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

export async function readProduct(db: Kysely<Database>, code: string): Promise<Product> {
  const row = await db.selectFrom("products").selectAll().where("code", "=", code).executeTakeFirst();
  if (!row) throw notFound("product_not_found", `There is no product ${code}.`, { product: code });
  const configurations = await db
    .selectFrom("product_configurations")
    .select("configuration_code")
    .where("product_code", "=", code)
    .orderBy("configuration_code")
    .execute();
  return {
    code: row.code,
    name: row.name,
    edition: row.edition as Edition,
    freeSupportMonths: Number(row.free_support_months),
    configurations: configurations.map((c) => c.configuration_code),
  };
}

export type CatalogService = ReturnType<typeof createCatalogService>;

/** Told, after the commit, which configuration's published catalogue changed. */
export type CatalogChangeListener = (configuration: string) => void | Promise<void>;

export function createCatalogService(deps: { db: Kysely<Database>; blobs: BlobStore; clock: Clock }) {
  const { db, blobs, clock } = deps;
  const listeners: CatalogChangeListener[] = [];

  async function changed(configuration: string) {
    for (const listener of listeners) await listener(configuration);
  }

  async function requireConfiguration(code: string): Promise<Configuration> {
    const row = await db.selectFrom("configurations").selectAll().where("code", "=", code).executeTakeFirst();
    if (!row)
      throw notFound("configuration_not_found", `There is no configuration ${code}.`, {
        configuration: code,
      });
    return toConfiguration(row);
  }

  async function distributionsOf(releaseIds: string[]): Promise<Map<string, Distribution[]>> {
    const byRelease = new Map<string, Distribution[]>(releaseIds.map((id) => [id, []]));
    if (releaseIds.length === 0) return byRelease;
    const rows = await db
      .selectFrom("distributions")
      .selectAll()
      .where("release_id", "in", releaseIds)
      .orderBy("kind")
      .execute();
    for (const row of rows) byRelease.get(row.release_id)?.push(toDistribution(row));
    return byRelease;
  }

  async function releaseRow(id: string): Promise<Selectable<ReleasesTable>> {
    const row = await db.selectFrom("releases").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) throw notFound("release_not_found", `There is no release ${id}.`, { release: id });
    return row;
  }

  /** Published-state changes alter what plans and feeds show: bump the configuration's revision with them. */
  async function bumpRevision(trx: Kysely<Database>, configuration: string) {
    await trx
      .updateTable("configurations")
      .set((eb) => ({ revision: eb("revision", "+", 1) }))
      .where("code", "=", configuration)
      .execute();
  }

  /** A published release is something to download: it has at least one file. */
  async function assertHasFiles(trx: Kysely<Database>, release: Selectable<ReleasesTable>) {
    const file = await trx
      .selectFrom("distributions")
      .select("id")
      .where("release_id", "=", release.id)
      .limit(1)
      .executeTakeFirst();
    if (!file) {
      throw unprocessable(
        "release_without_files",
        `${release.configuration_code} ${release.version} has no distribution yet; upload its files before publishing it.`,
        { release: release.id },
      );
    }
  }

  const filesImmutable = (release: Selectable<ReleasesTable>, kind: string) =>
    conflict(
      "release_files_immutable",
      `${release.configuration_code} ${release.version} is no longer a draft: its ${kind} file cannot be replaced ` +
        "(downloads under way and the signed metadata name it). Publish a new release instead.",
      { release: release.id, kind },
    );

  /**
   * Whether the release is still a draft, taking its row lock (PostgreSQL) for the rest of the
   * transaction: a publication waits until the upload is committed, and an upload that waited on a
   * publication sees it.
   */
  async function lockDraft(trx: Kysely<Database>, id: string): Promise<boolean> {
    const result = await trx
      .updateTable("releases")
      .set({ status: "draft" })
      .where("id", "=", id)
      .where("status", "=", "draft")
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async function setStatus(
    id: string,
    status: ReleaseStatus,
    actorId: string | null,
  ): Promise<ReleaseWithDocuments> {
    const row = await releaseRow(id);
    if (row.status === status) return this_.getRelease(id);
    const now = clock.now().toISOString();
    await db.transaction().execute(async (trx) => {
      if (status === "published") await assertHasFiles(trx, row);
      await trx
        .updateTable("releases")
        .set({
          status,
          ...(status === "published" ? { published_at: row.published_at ?? now, withdrawn_at: null } : {}),
          ...(status === "withdrawn" ? { withdrawn_at: now } : {}),
        })
        .where("id", "=", id)
        .execute();
      await bumpRevision(trx, row.configuration_code);
      await recordAudit(trx, clock.now(), {
        actorId,
        action: `release.${status === "published" ? "publish" : "withdraw"}`,
        subject: `release:${id}`,
        details: { configuration: row.configuration_code, version: row.version },
      });
    });
    await changed(row.configuration_code);
    return this_.getRelease(id);
  }

  const this_ = {
    requireConfiguration,

    onChange(listener: CatalogChangeListener): void {
      listeners.push(listener);
    },

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
          db.transaction().execute(async (trx) => {
            const existing = await trx
              .selectFrom("configurations")
              .select("code")
              .where("code", "=", code)
              .executeTakeFirst();
            if (existing) throw exists();
            await trx
              .insertInto("configurations")
              .values({
                code,
                name: configuration.name,
                kind: configuration.kind,
                vendor,
                program_name: configuration.programName,
                package_format: configuration.packageFormat,
                revision: 0,
                created_at: clock.now().toISOString(),
              })
              .execute();
            await recordAudit(trx, clock.now(), {
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

    async listConfigurations(): Promise<Configuration[]> {
      const rows = await db.selectFrom("configurations").selectAll().orderBy("code").execute();
      return rows.map(toConfiguration);
    },

    async configurationRevision(code: string): Promise<number | null> {
      const row = await db
        .selectFrom("configurations")
        .select("revision")
        .where("code", "=", code)
        .executeTakeFirst();
      return row ? Number(row.revision) : null;
    },

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
          db.transaction().execute(async (trx) => {
            if (await trx.selectFrom("products").select("code").where("code", "=", code).executeTakeFirst()) {
              throw exists();
            }
            const known = await trx
              .selectFrom("configurations")
              .select("code")
              .where("code", "in", configurations)
              .execute();
            const missing = configurations.filter((c) => !known.some((k) => k.code === c));
            if (missing.length > 0) {
              throw unprocessable(
                "configuration_not_found",
                `Unknown configurations: ${missing.join(", ")}.`,
                {
                  missing,
                },
              );
            }
            await trx
              .insertInto("products")
              .values({
                code,
                name: product.name,
                edition: product.edition,
                free_support_months: months,
                created_at: clock.now().toISOString(),
              })
              .execute();
            await trx
              .insertInto("product_configurations")
              .values(configurations.map((c) => ({ product_code: code, configuration_code: c })))
              .execute();
            await recordAudit(trx, clock.now(), {
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
      const itsIssue = input.itsIssue?.trim() || null;
      const row: Selectable<ReleasesTable> = {
        id: randomUUID(),
        configuration_code: configuration.code,
        version,
        version_key: versionSortKey(version),
        released_on: releasedOn,
        its_issue: itsIssue,
        min_platform_version: minPlatformVersion,
        channel,
        status: "draft",
        update_from: JSON.stringify(updateFrom),
        documents: JSON.stringify(documents),
        created_at: clock.now().toISOString(),
        published_at: null,
        withdrawn_at: null,
      };
      const exists = (id?: string) =>
        conflict("release_exists", `${configuration.code} ${version} exists already.`, id ? { id } : {});
      await conflictOnDuplicate(
        () =>
          db.transaction().execute(async (trx) => {
            const existing = await trx
              .selectFrom("releases")
              .select("id")
              .where("configuration_code", "=", configuration.code)
              .where("version", "=", version)
              .executeTakeFirst();
            if (existing) throw exists(existing.id);
            await trx.insertInto("releases").values(row).execute();
            await recordAudit(trx, clock.now(), {
              actorId,
              action: "release.create",
              subject: `release:${row.id}`,
              details: { configuration: configuration.code, version },
            });
          }),
        exists,
      );
      return { ...toRelease(row, []), documents };
    },

    publishRelease: (id: string, actorId: string | null) => setStatus(id, "published", actorId),
    withdrawRelease: (id: string, actorId: string | null) => setStatus(id, "withdrawn", actorId),

    async getRelease(id: string): Promise<ReleaseWithDocuments> {
      const row = await releaseRow(id);
      const distributions = await distributionsOf([id]);
      return { ...toRelease(row, distributions.get(id) ?? []), documents: JSON.parse(row.documents) };
    },

    /** Releases of a configuration, newest first. */
    async listReleases(
      configuration: string,
      statuses: readonly ReleaseStatus[] = ["published"],
    ): Promise<Release[]> {
      await requireConfiguration(configuration);
      const rows = await db
        .selectFrom("releases")
        .selectAll()
        .where("configuration_code", "=", configuration)
        .where("status", "in", statuses)
        .orderBy("version_key", "desc")
        .execute();
      const distributions = await distributionsOf(rows.map((r) => r.id));
      return rows.map((row) => toRelease(row, distributions.get(row.id) ?? []));
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
      const release = await releaseRow(input.releaseId);
      const configuration = await requireConfiguration(release.configuration_code);
      const allowed = distributionKindsOf(configuration.kind);
      if (!allowed.includes(kind)) {
        throw unprocessable(
          "distribution_kind_not_allowed",
          `${configuration.code} is of kind ${configuration.kind}; its releases take ${allowed.join(", ")}, not ${kind}.`,
          { kind, allowed },
        );
      }
      const previousOf = (trx: Kysely<Database>) =>
        trx
          .selectFrom("distributions")
          .select(["id", "storage_key"])
          .where("release_id", "=", release.id)
          .where("kind", "=", kind)
          .executeTakeFirst();
      // Refused before a byte is stored; checked again, under the row lock, before the write.
      if (release.status !== "draft" && (await previousOf(db))) throw filesImmutable(release, kind);
      let wasDraft = true;
      const id = randomUUID();
      const storageKey = `distributions/${release.configuration_code}/${release.id}/${id}`;
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
            db.transaction().execute(async (trx) => {
              wasDraft = await lockDraft(trx, release.id);
              const previous = await previousOf(trx);
              if (previous) {
                if (!wasDraft) throw filesImmutable(release, kind);
                replaced = previous.storage_key;
                await trx.deleteFrom("distributions").where("id", "=", previous.id).execute();
              }
              await trx
                .insertInto("distributions")
                .values({
                  id,
                  release_id: release.id,
                  kind,
                  file_name: fileName,
                  size: stored.size,
                  sha256: stored.sha256,
                  storage_key: storageKey,
                  created_at: clock.now().toISOString(),
                })
                .execute();
              if (!wasDraft) await bumpRevision(trx, release.configuration_code);
              await recordAudit(trx, clock.now(), {
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
      if (!wasDraft) await changed(release.configuration_code);
      return { id, kind, fileName, size: stored.size, sha256: stored.sha256 };
    },

    async getDistribution(
      id: string,
    ): Promise<StoredDistribution & { configuration: string; releaseStatus: ReleaseStatus }> {
      const row = await db
        .selectFrom("distributions")
        .innerJoin("releases", "releases.id", "distributions.release_id")
        .selectAll("distributions")
        .select(["releases.configuration_code", "releases.status as release_status"])
        .where("distributions.id", "=", id)
        .executeTakeFirst();
      if (!row) throw notFound("distribution_not_found", `There is no distribution ${id}.`);
      return {
        ...toDistribution(row),
        releaseId: row.release_id,
        storageKey: row.storage_key,
        configuration: row.configuration_code,
        releaseStatus: row.release_status as ReleaseStatus,
      };
    },
  };
  return this_;
}
