import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { usersRepository } from "../../src/db/repositories/users.ts";
import type { User } from "../../src/services/accounts.ts";
import { createSessionsService, type SessionsService } from "../../src/services/sessions.ts";
import { openTestDatabase, type TestDatabase } from "../support/database.ts";
import { availableDialects, TestClock } from "../support/harness.ts";
import { newUser } from "../support/repository-fixtures.ts";

for (const dialect of await availableDialects()) {
  describe(`web sessions on ${dialect}`, () => {
    let database: TestDatabase;
    let sessions: SessionsService;
    let clock: TestClock;
    let anna: User;
    let boris: User;
    before(async () => {
      database = await openTestDatabase(dialect);
      clock = new TestClock();
      sessions = createSessionsService({ db: database.db, clock, idleMinutes: 30, maxMinutes: 8 * 60 });
      const users = usersRepository(database.db);
      anna = await users.insert(clock.now(), newUser("anna"));
      boris = await users.insert(clock.now(), newUser("boris"));
    });
    after(() => database.close());

    it("finds the user of a session by its secret, which is stored only hashed", async () => {
      const { secret, session } = await sessions.start(anna, "Firefox");
      const found = await sessions.resolve(secret);
      assert.deepEqual(found?.user, anna);
      assert.equal(found?.session.id, session.id);
      const rows = await database.db.selectFrom("web_sessions").select("secret_hash").execute();
      assert.ok(rows.every((row) => row.secret_hash !== secret && !row.secret_hash.includes(secret)));
      assert.equal(await sessions.resolve("not-a-session"), null);
    });

    it("ends a session idle too long, and keeps one in use alive up to its absolute end", async () => {
      const idle = await sessions.start(anna, null);
      const busy = await sessions.start(anna, null);
      for (let minute = 0; minute < 8 * 60 - 20; minute += 20) {
        clock.advanceMinutes(20);
        assert.ok(await sessions.resolve(busy.secret), `in use after ${minute + 20} minutes`);
      }
      assert.equal(await sessions.resolve(idle.secret), null, "idle for hours");
      clock.advanceMinutes(20);
      assert.equal(await sessions.resolve(busy.secret), null, "past its absolute end");
      assert.equal(await sessions.resolve(busy.secret), null);
    });

    it("signs out: the session is deleted", async () => {
      const { secret, session } = await sessions.start(anna, null);
      await sessions.end(secret);
      assert.equal(await sessions.resolve(secret), null);
      const rows = await database.db
        .selectFrom("web_sessions")
        .select("id")
        .where("id", "=", session.id)
        .execute();
      assert.deepEqual(rows, []);
    });

    it("lists a user's own sessions and revokes one, never another user's", async () => {
      await sessions.revokeAllOfUser(anna.id);
      const first = await sessions.start(anna, "Phone");
      clock.advanceMinutes(2);
      const second = await sessions.start(anna, "Laptop");
      const other = await sessions.start(boris, "Boris's");
      const listed = await sessions.listForUser(anna.id);
      assert.deepEqual(
        listed.map((s) => s.userAgent),
        ["Laptop", "Phone"],
        "most recently used first",
      );
      assert.ok(listed.every((s) => !("secret" in s) && !("secretHash" in s)));
      await assert.rejects(sessions.revoke(anna.id, other.session.id), { code: "session_not_found" });
      assert.ok(await sessions.resolve(other.secret), "another user's session stays");
      await sessions.revoke(anna.id, first.session.id);
      assert.equal(await sessions.resolve(first.secret), null);
      assert.ok(await sessions.resolve(second.secret));
      assert.equal(await sessions.revokeAllOfUser(anna.id), 1);
      assert.equal(await sessions.resolve(second.secret), null);
    });

    it("does not let a disabled account's session in", async () => {
      const { secret } = await sessions.start(boris, null);
      await database.db.updateTable("users").set({ disabled: 1 }).where("id", "=", boris.id).execute();
      assert.equal(await sessions.resolve(secret), null);
    });
  });
}
