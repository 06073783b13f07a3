import type { Kysely } from "kysely";
import type { Database } from "../schema.ts";

export interface DownloadLogEntry {
  readonly at: string;
  readonly userId: string | null;
  readonly distributionId: string;
  /** The Range header asked for, if any. */
  readonly range: string | null;
  readonly status: number;
  readonly bytes: number;
}

/** One row per answered download. */
export function downloadLogRepository(db: Kysely<Database>) {
  return {
    async record(entry: DownloadLogEntry): Promise<void> {
      await db
        .insertInto("download_log")
        .values({
          at: entry.at,
          user_id: entry.userId,
          distribution_id: entry.distributionId,
          range: entry.range,
          status: entry.status,
          bytes: entry.bytes,
        })
        .execute();
    },
  };
}

export type DownloadLogRepository = ReturnType<typeof downloadLogRepository>;
