import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Kysely } from "kysely";
import { auditRepository } from "../../src/db/repositories/audit.ts";
import { inTransaction } from "../../src/db/repositories/index.ts";
import type { Database } from "../../src/db/schema.ts";
import { openTestDatabase } from "../support/database.ts";
import { availableDialects } from "../support/harness.ts";

const AT = new Date("2026-11-16T10:00:00.000Z");

for (const dialect of await availableDialects()) {
  describe(`audit repository on ${dialect}`, () => {
    let db: Kysely<Database>;
    let close: () => Promise<void>;
    before(async () => {
      ({ db, close } = await openTestDatabase(dialect));
    });
    after(() => close());

    const rowsAbout = (subject: string) =>
      db
        .selectFrom("audit_log")
        .select(["at", "actor_id", "action", "details"])
        .where("subject", "=", subject)
        .execute();

    it("writes the event with its details as JSON", async () => {
      await inTransaction(db, ({ audit }) =>
        audit.record(AT, {
          actorId: null,
          action: "product.create",
          subject: "product:A",
          details: { months: 12 },
        }),
      );
      await inTransaction(db, ({ audit }) =>
        audit.record(AT, { actorId: null, action: "product.create", subject: "product:B" }),
      );
      assert.deepEqual(await rowsAbout("product:A"), [
        { at: AT.toISOString(), actor_id: null, action: "product.create", details: '{"months":12}' },
      ]);
      assert.equal((await rowsAbout("product:B"))[0]?.details, "{}");
    });

    it("commits the event with the change it records, and rolls it back with it", async () => {
      const configuration = {
        code: "KEPT",
        name: "Kept",
        kind: "configuration",
        vendor: "1c",
        programName: null,
        packageFormat: "1c",
      } as const;
      await inTransaction(db, async ({ catalogue, audit }) => {
        await catalogue.insertConfiguration(configuration, AT.toISOString());
        await audit.record(AT, {
          actorId: null,
          action: "configuration.create",
          subject: "configuration:KEPT",
        });
      });
      await assert.rejects(
        inTransaction(db, async ({ catalogue, audit }) => {
          await catalogue.insertConfiguration({ ...configuration, code: "LOST" }, AT.toISOString());
          await audit.record(AT, {
            actorId: null,
            action: "configuration.create",
            subject: "configuration:LOST",
          });
          throw new Error("abandoned");
        }),
        /abandoned/,
      );
      assert.equal((await rowsAbout("configuration:KEPT")).length, 1);
      assert.deepEqual(await rowsAbout("configuration:LOST"), []);
      assert.deepEqual(
        await db.selectFrom("configurations").select("code").where("code", "in", ["KEPT", "LOST"]).execute(),
        [{ code: "KEPT" }],
      );
    });

    it("records through a repository made over the caller's own transaction", async () => {
      await assert.rejects(
        db.transaction().execute(async (trx) => {
          await auditRepository(trx).record(AT, {
            actorId: null,
            action: "release.publish",
            subject: "release:gone",
          });
          assert.equal(
            (await trx.selectFrom("audit_log").select("id").where("subject", "=", "release:gone").execute())
              .length,
            1,
          );
          throw new Error("abandoned");
        }),
        /abandoned/,
      );
      assert.deepEqual(await rowsAbout("release:gone"), []);
    });
  });
}
