import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Kysely } from "kysely";
import { isUniqueViolation } from "../../src/db/errors.ts";
import { type TufMetadataRow, tufMetadataRepository } from "../../src/db/repositories/tuf-metadata.ts";
import type { Database } from "../../src/db/schema.ts";
import { openTestDatabase } from "../support/database.ts";
import { availableDialects } from "../support/harness.ts";

const row = (role: string, version: number): TufMetadataRow => ({
  role,
  version,
  body: `{"${role}":${version}}`,
  expires: "2027-01-01T00:00:00Z",
});

for (const dialect of await availableDialects()) {
  describe(`TUF metadata repository on ${dialect}`, () => {
    let db: Kysely<Database>;
    let close: () => Promise<void>;
    before(async () => {
      ({ db, close } = await openTestDatabase(dialect));
    });
    after(() => close());

    it("reads the newest version of each role and any stored version", async () => {
      const metadata = tufMetadataRepository(db);
      assert.deepEqual(await metadata.latestVersions(), new Map());
      await metadata.insert([row("root", 1), row("targets", 1)]);
      await metadata.insert([row("targets", 2)]);
      await metadata.insert([row("targets", 10)]);
      assert.deepEqual(
        await metadata.latestVersions(),
        new Map([
          ["root", 1],
          ["targets", 10],
        ]),
      );
      assert.deepEqual(await metadata.read("targets", 2), row("targets", 2));
      await assert.rejects(metadata.read("targets", 3));
      assert.equal(await metadata.findBody("root", 1), '{"root":1}');
      assert.equal(await metadata.findBody("root", 2), undefined);
    });

    it("writes all rows of one insert or none, refusing a version another node wrote", async () => {
      const metadata = tufMetadataRepository(db);
      await metadata.insert([row("snapshot", 1)]);
      const error = await metadata.insert([row("timestamp", 1), row("snapshot", 1)]).catch((e: unknown) => e);
      assert.equal(isUniqueViolation(error), true);
      assert.equal(await metadata.findBody("timestamp", 1), undefined);
    });

    it("drops a role's versions up to the one given, and no other role's", async () => {
      const metadata = tufMetadataRepository(db);
      await metadata.insert([1, 2, 3, 4].map((version) => row("timestamp", version)));
      await metadata.insert([row("snapshot", 2)]);
      await metadata.deleteUpTo("timestamp", 2);
      const left = await db
        .selectFrom("tuf_metadata")
        .select(["role", "version"])
        .orderBy("role")
        .orderBy("version")
        .execute();
      assert.deepEqual(
        left
          .filter((r) => r.role === "timestamp" || r.role === "snapshot")
          .map((r) => `${r.role}:${Number(r.version)}`),
        ["snapshot:1", "snapshot:2", "timestamp:3", "timestamp:4"],
      );
    });
  });
}
