import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { PublishedReleaseSummary, Release, ReleaseWithDocuments } from "../../contract/catalogue.ts";
import { conflictOnDuplicate } from "../../db/errors.ts";
import { type CatalogueRepository, type StoredRelease, toRelease } from "../../db/repositories/catalogue.ts";
import { inTransaction } from "../../db/repositories/index.ts";
import type { Database } from "../../db/schema.ts";
import {
  RELEASE_DOCUMENTS,
  type ReleaseDocuments,
  type ReleaseStatus,
  validateChannel,
  validateCode,
} from "../../domain/catalogue.ts";
import type { Clock } from "../../domain/clock.ts";
import { parseIsoDate } from "../../domain/dates.ts";
import { badRequest, conflict, unprocessable } from "../../domain/errors.ts";
import { compareVersions, normalizeVersion } from "../../domain/version.ts";
import type { CatalogueRecords } from "./records.ts";

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

export interface ReleasesDeps {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  /** The catalogue repository made over `db`. */
  readonly catalogue: CatalogueRepository;
  readonly records: CatalogueRecords;
  /** Tells the listeners, after the commit, that a configuration's published catalogue changed. */
  readonly changed: (configuration: string) => Promise<void>;
}

/** Releases: drafts, their publication and withdrawal, and the listing of a configuration's releases. */
export function createReleases(deps: ReleasesDeps) {
  const { db, clock, catalogue, records, changed } = deps;

  /** Published-state changes alter what plans and feeds show: the configuration's revision moves with them. */
  async function setStatus(
    id: string,
    status: "published" | "withdrawn",
    actorId: string | null,
  ): Promise<ReleaseWithDocuments> {
    const release = await records.requireRelease(id);
    if (release.status === status) return records.getRelease(id);
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
    return records.getRelease(id);
  }

  return {
    /** The latest published releases of the whole catalogue, for everyone (the home page). */
    latestPublishedReleases(limit = 8): Promise<PublishedReleaseSummary[]> {
      return catalogue.latestPublishedReleases(limit);
    },

    async createRelease(input: NewRelease, actorId: string | null): Promise<ReleaseWithDocuments> {
      const configuration = await records.requireConfiguration(
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

    /**
     * Replaces a release's documents (those left out are removed). Documents are text, not files:
     * they may be corrected after publication, when plans and pages show the new text at once.
     */
    async updateDocuments(id: string, input: unknown, actorId: string | null): Promise<ReleaseWithDocuments> {
      const documents = validateDocuments(input);
      const release = await records.requireRelease(id);
      await inTransaction(db, async ({ catalogue, audit }) => {
        await catalogue.setReleaseDocuments(id, documents);
        if (release.status !== "draft") await catalogue.bumpConfigurationRevision(release.configuration);
        await audit.record(clock.now(), {
          actorId,
          action: "release.documents",
          subject: `release:${id}`,
          details: {
            configuration: release.configuration,
            version: release.version,
            documents: Object.keys(documents),
          },
        });
      });
      if (release.status !== "draft") await changed(release.configuration);
      return records.getRelease(id);
    },

    publishRelease: (id: string, actorId: string | null) => setStatus(id, "published", actorId),
    withdrawRelease: (id: string, actorId: string | null) => setStatus(id, "withdrawn", actorId),

    getRelease: records.getRelease,

    /** Releases of a configuration, newest first. */
    async listReleases(
      configuration: string,
      statuses: readonly ReleaseStatus[] = ["published"],
    ): Promise<Release[]> {
      await records.requireConfiguration(configuration);
      return catalogue.listReleases(configuration, statuses);
    },
  };
}
