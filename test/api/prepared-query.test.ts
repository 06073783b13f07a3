import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { prepareQuery } from "../../src/db/prepared-query.ts";
import { availableDialects, startTestApp, type TestApp } from "../support/harness.ts";

for (const dialect of await availableDialects()) {
  describe(`prepareQuery on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(dialect);
      for (const login of ["ann", "bob", "cid"]) await t.signUp("user", login);
      await t.signUp("partner", "pat");
    });
    after(() => t.close());

    it("binds each call's values in the placeholders' places and keeps the builder's own values", async () => {
      const { db } = t.upkeep.database;
      const usersNamed = prepareQuery(db, 2, (first: string, second: string) =>
        db
          .selectFrom("users")
          .select("login")
          .where("login", "in", [first, second, "cid"])
          .where("role", "=", "user")
          .orderBy("login"),
      );
      assert.deepEqual(
        (await usersNamed("ann", "bob")).map((r) => r.login),
        ["ann", "bob", "cid"],
      );
      // "pat" is a partner: the fixed role condition still applies.
      assert.deepEqual(
        (await usersNamed("pat", "nobody")).map((r) => r.login),
        ["cid"],
      );
    });

    it("binds a placeholder used twice in both places", async () => {
      const { db } = t.upkeep.database;
      const either = prepareQuery(db, 1, (login: string) =>
        db
          .selectFrom("users")
          .select("login")
          .where((eb) => eb.or([eb("login", "=", login), eb("email", "=", login)])),
      );
      assert.deepEqual(
        (await either("bob")).map((r) => r.login),
        ["bob"],
      );
      assert.deepEqual(await either("nobody"), []);
    });

    it("refuses a builder that leaves a placeholder unused", () => {
      const { db } = t.upkeep.database;
      assert.throws(
        () =>
          prepareQuery(db, 2, (login: string, _unused: string) =>
            db.selectFrom("users").select("login").where("login", "=", login),
          ),
        /placeholder 1 is not used/,
      );
    });
  });
}
