import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Kysely } from "kysely";
import { downloadLogRepository } from "../../src/db/repositories/download-log.ts";
import type { Database } from "../../src/db/schema.ts";
import { openTestDatabase } from "../support/database.ts";
import { availableDialects } from "../support/harness.ts";

for (const dialect of await availableDialects()) {
  describe(`download log repository on ${dialect}`, () => {
    let db: Kysely<Database>;
    let close: () => Promise<void>;
    before(async () => {
      ({ db, close } = await openTestDatabase(dialect));
    });
    after(() => close());

    it("keeps one row per answered download, in the order they came", async () => {
      const log = downloadLogRepository(db);
      await log.record({
        at: "2026-11-16T10:00:00.000Z",
        userId: "user-1",
        distributionId: "file-1",
        range: null,
        status: 200,
        bytes: 5_000_000_000,
      });
      await log.record({
        at: "2026-11-16T10:01:00.000Z",
        userId: null,
        distributionId: "file-1",
        range: "bytes=0-99",
        status: 206,
        bytes: 100,
      });
      const rows = await db
        .selectFrom("download_log")
        .select(["at", "user_id", "distribution_id", "range", "status", "bytes"])
        .orderBy("id")
        .execute();
      assert.deepEqual(
        rows.map((row) => ({ ...row, status: Number(row.status), bytes: Number(row.bytes) })),
        [
          {
            at: "2026-11-16T10:00:00.000Z",
            user_id: "user-1",
            distribution_id: "file-1",
            range: null,
            status: 200,
            bytes: 5_000_000_000,
          },
          {
            at: "2026-11-16T10:01:00.000Z",
            user_id: null,
            distribution_id: "file-1",
            range: "bytes=0-99",
            status: 206,
            bytes: 100,
          },
        ],
      );
    });
  });
}
