import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import type { Kysely } from "kysely";
import type { Distribution } from "../../contract/catalogue.ts";
import { conflictOnDuplicate } from "../../db/errors.ts";
import type { CatalogueRepository, StoredRelease } from "../../db/repositories/catalogue.ts";
import { inTransaction } from "../../db/repositories/index.ts";
import type { Database } from "../../db/schema.ts";
import {
  distributionKindsOf,
  isUpdatePackage,
  validateDistributionKind,
  validateFileName,
  validateSha256,
} from "../../domain/catalogue.ts";
import type { Clock } from "../../domain/clock.ts";
import { conflict, unprocessable } from "../../domain/errors.ts";
import type { BlobStore } from "../../storage/blob-store.ts";
import type { CatalogueRecords } from "./records.ts";
import { checkUpdatePackage } from "./update-packages.ts";

const filesImmutable = (release: StoredRelease, kind: string) =>
  conflict(
    "release_files_immutable",
    `${release.configuration} ${release.version} is no longer a draft: its ${kind} file cannot be replaced ` +
      "(downloads under way and the signed metadata name it). Publish a new release instead.",
    { release: release.id, kind },
  );

export interface DistributionsDeps {
  readonly db: Kysely<Database>;
  readonly blobs: BlobStore;
  readonly clock: Clock;
  /** The catalogue repository made over `db`. */
  readonly catalogue: CatalogueRepository;
  readonly records: CatalogueRecords;
  /** Tells the listeners, after the commit, that a configuration's published catalogue changed. */
  readonly changed: (configuration: string) => Promise<void>;
}

/** Distributions: the files of a release, stored in the blob store. */
export function createDistributions(deps: DistributionsDeps) {
  const { db, blobs, clock, catalogue, records, changed } = deps;
  return {
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
      const release = await records.requireRelease(input.releaseId);
      const configuration = await records.requireConfiguration(release.configuration);
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
        const hashSum = isUpdatePackage(configuration.packageFormat, kind)
          ? (await checkUpdatePackage(blobs, storageKey, stored.size, release.version)).hashSum
          : null;
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
                  hashSum,
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

    getDistribution: records.getDistribution,
  };
}
