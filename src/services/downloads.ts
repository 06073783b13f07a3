import type { Readable } from "node:stream";
import type { Kysely } from "kysely";
import type { StoredDistribution } from "../db/repositories/catalogue.ts";
import { downloadLogRepository } from "../db/repositories/download-log.ts";
import type { Database } from "../db/schema.ts";
import type { Clock } from "../domain/clock.ts";
import type { BlobStore, ByteRange } from "../storage/blob-store.ts";
import type { User } from "./accounts.ts";
import { openPackageEntry } from "./catalogue/update-packages.ts";

export type DownloadsService = ReturnType<typeof createDownloadsService>;

/** Serving distribution bytes: from the blob store, or by redirect where the store offers direct URLs (S3). */
export interface DownloadsDeps {
  readonly db: Kysely<Database>;
  readonly blobs: BlobStore;
  readonly clock: Clock;
}

export function createDownloadsService(deps: DownloadsDeps) {
  const { blobs, clock } = deps;
  const downloadLog = downloadLogRepository(deps.db);
  return {
    directUrl(distribution: StoredDistribution): Promise<string | null> {
      return blobs.directUrl(distribution.storageKey, distribution.fileName);
    },

    open(distribution: StoredDistribution, range?: ByteRange): Readable {
      return blobs.read(distribution.storageKey, range);
    },

    /** One file of a stored 1C package, unpacked; null when the package has no such file. */
    openPackageEntry(distribution: StoredDistribution, name: string) {
      return openPackageEntry(blobs, distribution.storageKey, distribution.size, name);
    },

    async log(entry: {
      user: User | null;
      distribution: StoredDistribution;
      range: string | null;
      status: number;
      bytes: number;
    }) {
      await downloadLog.record({
        at: clock.now().toISOString(),
        userId: entry.user?.id ?? null,
        distributionId: entry.distribution.id,
        range: entry.range,
        status: entry.status,
        bytes: entry.bytes,
      });
    },
  };
}
