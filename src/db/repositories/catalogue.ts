import type { Kysely, Selectable } from "kysely";
import type {
  Configuration,
  Distribution,
  Product,
  PublishedReleaseSummary,
  Release,
  ReleaseWithDocuments,
} from "../../contract/catalogue.ts";
import type {
  ConfigurationKind,
  Edition,
  PackageFormat,
  ReleaseDocuments,
  ReleaseStatus,
} from "../../domain/catalogue.ts";
import { UPDATE_DISTRIBUTION } from "../../domain/catalogue.ts";
import { versionSortKey } from "../../domain/version.ts";
import type { ConfigurationsTable, Database, DistributionsTable, ReleasesTable } from "../schema.ts";

/** Where a distribution's bytes live in the blob store. */
export interface StoredDistribution extends Distribution {
  readonly releaseId: string;
  readonly storageKey: string;
  /** A 1C update package's Base64 MD5 of its `1cv8.cfu`; null (or left out) for other files. */
  readonly hashSum?: string | null;
}

/** A stored 1C update package whose `hashSum` is not known yet (stored before it was kept). */
export interface PackageWithoutHashSum {
  readonly id: string;
  readonly storageKey: string;
  readonly size: number;
}

/** A release as its row holds it, without its files and documents. */
export type StoredRelease = Omit<Release, "distributions" | "hasUpdateDistribution">;

/** A distribution with the release it belongs to, as a download needs it. */
export type DistributionWithRelease = StoredDistribution & {
  readonly configuration: string;
  readonly releaseStatus: ReleaseStatus;
};

/** One file of a published release, as the signed TUF targets list it. */
export interface PublishedDistribution {
  readonly distributionId: string;
  readonly configuration: string;
  readonly version: string;
  readonly kind: string;
  readonly fileName: string;
  readonly size: number;
  readonly sha256: string;
}

export function toConfiguration(row: Selectable<ConfigurationsTable>): Configuration {
  return {
    code: row.code,
    name: row.name,
    kind: row.kind as ConfigurationKind,
    vendor: row.vendor,
    programName: row.program_name,
    packageFormat: row.package_format as PackageFormat,
  };
}

export function toDistribution(row: Selectable<DistributionsTable>): Distribution {
  return { id: row.id, kind: row.kind, fileName: row.file_name, size: Number(row.size), sha256: row.sha256 };
}

function toStoredRelease(row: Selectable<ReleasesTable>): StoredRelease {
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
  };
}

/** The release with its files. */
export function toRelease(release: StoredRelease, distributions: Distribution[]): Release {
  return {
    ...release,
    distributions,
    hasUpdateDistribution: distributions.some((d) => d.kind === UPDATE_DISTRIBUTION),
  };
}

/** Configurations, products, releases and their distributions. */
export function catalogueRepository(db: Kysely<Database>) {
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

  function releaseRow(id: string): Promise<Selectable<ReleasesTable> | undefined> {
    return db.selectFrom("releases").selectAll().where("id", "=", id).executeTakeFirst();
  }

  async function withFiles(row: Selectable<ReleasesTable>): Promise<ReleaseWithDocuments> {
    const distributions = await distributionsOf([row.id]);
    return {
      ...toRelease(toStoredRelease(row), distributions.get(row.id) ?? []),
      documents: JSON.parse(row.documents),
    };
  }

  return {
    async findConfiguration(code: string): Promise<Configuration | undefined> {
      const row = await db
        .selectFrom("configurations")
        .selectAll()
        .where("code", "=", code)
        .executeTakeFirst();
      return row && toConfiguration(row);
    },

    /** The configuration of this program name (a 1C configuration's own name, as its manifest says). */
    async findConfigurationByProgramName(programName: string): Promise<Configuration | undefined> {
      const row = await db
        .selectFrom("configurations")
        .selectAll()
        .where("program_name", "=", programName)
        .orderBy("code")
        .executeTakeFirst();
      return row && toConfiguration(row);
    },

    async setConfigurationProgramName(code: string, programName: string): Promise<void> {
      await db
        .updateTable("configurations")
        .set({ program_name: programName })
        .where("code", "=", code)
        .execute();
    },

    async configurationExists(code: string): Promise<boolean> {
      const row = await db
        .selectFrom("configurations")
        .select("code")
        .where("code", "=", code)
        .executeTakeFirst();
      return row !== undefined;
    },

    /** Which of `codes` name a configuration. */
    async existingConfigurationCodes(codes: string[]): Promise<string[]> {
      const rows = await db.selectFrom("configurations").select("code").where("code", "in", codes).execute();
      return rows.map((row) => row.code);
    },

    /** The most recently published releases of every configuration, newest first. */
    async latestPublishedReleases(limit: number): Promise<PublishedReleaseSummary[]> {
      const rows = await db
        .selectFrom("releases")
        .innerJoin("configurations", "configurations.code", "releases.configuration_code")
        .select([
          "releases.id",
          "releases.configuration_code",
          "configurations.name",
          "releases.version",
          "releases.released_on",
          "releases.published_at",
        ])
        .where("releases.status", "=", "published")
        .orderBy("releases.published_at", "desc")
        .orderBy("releases.version_key", "desc")
        .limit(limit)
        .execute();
      return rows.map((row) => ({
        id: row.id,
        configuration: row.configuration_code,
        configurationName: row.name,
        version: row.version,
        releasedOn: row.released_on,
        publishedAt: row.published_at ?? row.released_on,
      }));
    },

    async listConfigurations(): Promise<Configuration[]> {
      const rows = await db.selectFrom("configurations").selectAll().orderBy("code").execute();
      return rows.map(toConfiguration);
    },

    /** The counter that moves whenever the configuration's published catalogue changes; null: no such configuration. */
    async configurationRevision(code: string): Promise<number | null> {
      const row = await db
        .selectFrom("configurations")
        .select("revision")
        .where("code", "=", code)
        .executeTakeFirst();
      return row ? Number(row.revision) : null;
    },

    async insertConfiguration(configuration: Configuration, createdAt: string): Promise<void> {
      await db
        .insertInto("configurations")
        .values({
          code: configuration.code,
          name: configuration.name,
          kind: configuration.kind,
          vendor: configuration.vendor,
          program_name: configuration.programName,
          package_format: configuration.packageFormat,
          revision: 0,
          created_at: createdAt,
        })
        .execute();
    },

    async bumpConfigurationRevision(code: string): Promise<void> {
      await db
        .updateTable("configurations")
        .set((eb) => ({ revision: eb("revision", "+", 1) }))
        .where("code", "=", code)
        .execute();
    },

    /** The product with its configurations in code order. */
    async findProduct(code: string): Promise<Product | undefined> {
      const row = await db.selectFrom("products").selectAll().where("code", "=", code).executeTakeFirst();
      if (!row) return undefined;
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
    },

    async productExists(code: string): Promise<boolean> {
      const row = await db.selectFrom("products").select("code").where("code", "=", code).executeTakeFirst();
      return row !== undefined;
    },

    /** The product row and its configuration links. */
    async insertProduct(product: Product, createdAt: string): Promise<void> {
      await db
        .insertInto("products")
        .values({
          code: product.code,
          name: product.name,
          edition: product.edition,
          free_support_months: product.freeSupportMonths,
          created_at: createdAt,
        })
        .execute();
      await db
        .insertInto("product_configurations")
        .values(product.configurations.map((c) => ({ product_code: product.code, configuration_code: c })))
        .execute();
    },

    /** Every product with its configurations, by code. */
    async listProducts(): Promise<Product[]> {
      const [rows, links] = await Promise.all([
        db.selectFrom("products").selectAll().orderBy("code").execute(),
        db
          .selectFrom("product_configurations")
          .select(["product_code", "configuration_code"])
          .orderBy("configuration_code")
          .execute(),
      ]);
      const configurations = new Map<string, string[]>(rows.map((row) => [row.code, []]));
      for (const link of links) configurations.get(link.product_code)?.push(link.configuration_code);
      return rows.map((row) => ({
        code: row.code,
        name: row.name,
        edition: row.edition as Edition,
        freeSupportMonths: Number(row.free_support_months),
        configurations: configurations.get(row.code) ?? [],
      }));
    },

    /** Writes a product's name, free support months and configuration links as given. */
    async updateProduct(product: Product): Promise<void> {
      await db
        .updateTable("products")
        .set({ name: product.name, free_support_months: product.freeSupportMonths })
        .where("code", "=", product.code)
        .execute();
      await db.deleteFrom("product_configurations").where("product_code", "=", product.code).execute();
      await db
        .insertInto("product_configurations")
        .values(product.configurations.map((c) => ({ product_code: product.code, configuration_code: c })))
        .execute();
    },

    /** Replaces a release's documents. */
    async setReleaseDocuments(id: string, documents: ReleaseDocuments): Promise<void> {
      await db
        .updateTable("releases")
        .set({ documents: JSON.stringify(documents) })
        .where("id", "=", id)
        .execute();
    },

    /** The release without its files and documents. */
    async findRelease(id: string): Promise<StoredRelease | undefined> {
      const row = await releaseRow(id);
      return row && toStoredRelease(row);
    },

    /** The configuration's release of this version (its one stored spelling) with its files and documents. */
    async findReleaseWithFilesOfVersion(
      configuration: string,
      version: string,
    ): Promise<ReleaseWithDocuments | undefined> {
      const row = await db
        .selectFrom("releases")
        .selectAll()
        .where("configuration_code", "=", configuration)
        .where("version", "=", version)
        .executeTakeFirst();
      return row && withFiles(row);
    },

    /** The release with its files and documents. */
    async findReleaseWithFiles(id: string): Promise<ReleaseWithDocuments | undefined> {
      const row = await releaseRow(id);
      return row && withFiles(row);
    },

    /** The "what's new" document of each of these releases that has one, by release id. */
    async whatsNewOf(releaseIds: readonly string[]): Promise<Map<string, string>> {
      const texts = new Map<string, string>();
      if (releaseIds.length === 0) return texts;
      const rows = await db
        .selectFrom("releases")
        .select(["id", "documents"])
        .where("id", "in", releaseIds)
        .execute();
      for (const row of rows) {
        const text = (JSON.parse(row.documents) as { whatsNew?: unknown }).whatsNew;
        if (typeof text === "string") texts.set(row.id, text);
      }
      return texts;
    },

    /** The id of the configuration's release of this version, if there is one. */
    async findReleaseId(configuration: string, version: string): Promise<string | undefined> {
      const row = await db
        .selectFrom("releases")
        .select("id")
        .where("configuration_code", "=", configuration)
        .where("version", "=", version)
        .executeTakeFirst();
      return row?.id;
    },

    /** The configuration's releases in these states, newest version first, each with its files. */
    async listReleases(configuration: string, statuses: readonly ReleaseStatus[]): Promise<Release[]> {
      const rows = await db
        .selectFrom("releases")
        .selectAll()
        .where("configuration_code", "=", configuration)
        .where("status", "in", statuses)
        .orderBy("version_key", "desc")
        .execute();
      const distributions = await distributionsOf(rows.map((r) => r.id));
      return rows.map((row) => toRelease(toStoredRelease(row), distributions.get(row.id) ?? []));
    },

    /** A new release; its version's sort key is derived here. */
    async insertRelease(
      release: StoredRelease & { documents: ReleaseDocuments },
      createdAt: string,
    ): Promise<void> {
      await db
        .insertInto("releases")
        .values({
          id: release.id,
          configuration_code: release.configuration,
          version: release.version,
          version_key: versionSortKey(release.version),
          released_on: release.releasedOn,
          its_issue: release.itsIssue,
          min_platform_version: release.minPlatformVersion,
          channel: release.channel,
          status: release.status,
          update_from: JSON.stringify(release.updateFrom),
          documents: JSON.stringify(release.documents),
          created_at: createdAt,
          published_at: release.publishedAt,
          withdrawn_at: null,
        })
        .execute();
    },

    /** What an import may change of a release: its date, the versions it updates from, minimum platform, documents. */
    async updateRelease(
      id: string,
      fields: Pick<StoredRelease, "releasedOn" | "updateFrom" | "minPlatformVersion"> & {
        documents: ReleaseDocuments;
      },
    ): Promise<void> {
      await db
        .updateTable("releases")
        .set({
          released_on: fields.releasedOn,
          update_from: JSON.stringify(fields.updateFrom),
          min_platform_version: fields.minPlatformVersion,
          documents: JSON.stringify(fields.documents),
        })
        .where("id", "=", id)
        .execute();
    },

    async markReleasePublished(id: string, publishedAt: string): Promise<void> {
      await db
        .updateTable("releases")
        .set({ status: "published", published_at: publishedAt, withdrawn_at: null })
        .where("id", "=", id)
        .execute();
    },

    async markReleaseWithdrawn(id: string, withdrawnAt: string): Promise<void> {
      await db
        .updateTable("releases")
        .set({ status: "withdrawn", withdrawn_at: withdrawnAt })
        .where("id", "=", id)
        .execute();
    },

    /**
     * Whether the release is still a draft, taking its row lock (PostgreSQL) for the rest of the
     * transaction: a publication waits until the upload is committed, and an upload that waited on a
     * publication sees it.
     */
    async lockDraftRelease(id: string): Promise<boolean> {
      const result = await db
        .updateTable("releases")
        .set({ status: "draft" })
        .where("id", "=", id)
        .where("status", "=", "draft")
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async releaseHasDistributions(releaseId: string): Promise<boolean> {
      const file = await db
        .selectFrom("distributions")
        .select("id")
        .where("release_id", "=", releaseId)
        .limit(1)
        .executeTakeFirst();
      return file !== undefined;
    },

    /** The release's file of this kind: its id and where its bytes are. */
    async findDistributionOfKind(
      releaseId: string,
      kind: string,
    ): Promise<{ id: string; storageKey: string } | undefined> {
      const row = await db
        .selectFrom("distributions")
        .select(["id", "storage_key"])
        .where("release_id", "=", releaseId)
        .where("kind", "=", kind)
        .executeTakeFirst();
      return row && { id: row.id, storageKey: row.storage_key };
    },

    async insertDistribution(distribution: StoredDistribution, createdAt: string): Promise<void> {
      await db
        .insertInto("distributions")
        .values({
          id: distribution.id,
          release_id: distribution.releaseId,
          kind: distribution.kind,
          file_name: distribution.fileName,
          size: distribution.size,
          sha256: distribution.sha256,
          storage_key: distribution.storageKey,
          created_at: createdAt,
          hash_sum: distribution.hashSum ?? null,
        })
        .execute();
    },

    /** The update files of `1c` configurations that have no hashSum yet. */
    async listPackagesWithoutHashSum(): Promise<PackageWithoutHashSum[]> {
      const rows = await db
        .selectFrom("distributions")
        .innerJoin("releases", "releases.id", "distributions.release_id")
        .innerJoin("configurations", "configurations.code", "releases.configuration_code")
        .select(["distributions.id", "distributions.storage_key", "distributions.size"])
        .where("distributions.kind", "=", UPDATE_DISTRIBUTION)
        .where("distributions.hash_sum", "is", null)
        .where("configurations.package_format", "=", "1c")
        .where("configurations.kind", "!=", "platform")
        .orderBy("distributions.id")
        .execute();
      return rows.map((row) => ({ id: row.id, storageKey: row.storage_key, size: Number(row.size) }));
    },

    /** Records a package's hashSum where none is known yet. */
    async setHashSum(id: string, hashSum: string): Promise<void> {
      await db
        .updateTable("distributions")
        .set({ hash_sum: hashSum })
        .where("id", "=", id)
        .where("hash_sum", "is", null)
        .execute();
    },

    async deleteDistribution(id: string): Promise<void> {
      await db.deleteFrom("distributions").where("id", "=", id).execute();
    },

    async findDistribution(id: string): Promise<DistributionWithRelease | undefined> {
      const row = await db
        .selectFrom("distributions")
        .innerJoin("releases", "releases.id", "distributions.release_id")
        .selectAll("distributions")
        .select(["releases.configuration_code", "releases.status as release_status"])
        .where("distributions.id", "=", id)
        .executeTakeFirst();
      if (!row) return undefined;
      return {
        ...toDistribution(row),
        releaseId: row.release_id,
        storageKey: row.storage_key,
        hashSum: row.hash_sum,
        configuration: row.configuration_code,
        releaseStatus: row.release_status as ReleaseStatus,
      };
    },

    /** Every distribution of every published release, in no particular order. */
    async listPublishedDistributions(): Promise<PublishedDistribution[]> {
      const rows = await db
        .selectFrom("distributions")
        .innerJoin("releases", "releases.id", "distributions.release_id")
        .select([
          "distributions.id",
          "distributions.kind",
          "distributions.file_name",
          "distributions.size",
          "distributions.sha256",
          "releases.configuration_code",
          "releases.version",
        ])
        .where("releases.status", "=", "published")
        .execute();
      return rows.map((row) => ({
        distributionId: row.id,
        configuration: row.configuration_code,
        version: row.version,
        kind: row.kind,
        fileName: row.file_name,
        size: Number(row.size),
        sha256: row.sha256,
      }));
    },
  };
}

export type CatalogueRepository = ReturnType<typeof catalogueRepository>;
