import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { isUniqueViolation } from "../../src/db/errors.ts";
import { inTransaction } from "../../src/db/repositories/index.ts";
import { type UsersRepository, usersRepository } from "../../src/db/repositories/users.ts";
import { openTestDatabase, type TestDatabase } from "../support/database.ts";
import { availableDialects } from "../support/harness.ts";
import { newUser } from "../support/repository-fixtures.ts";

const NOW = new Date("2026-11-16T10:00:00.000Z");

for (const dialect of await availableDialects()) {
  describe(`users repository on ${dialect}`, () => {
    let database: TestDatabase;
    let users: UsersRepository;
    before(async () => {
      database = await openTestDatabase(dialect);
      users = usersRepository(database.db);
    });
    after(() => database.close());

    it("finds a login whatever its case, and keeps it as it was written", async () => {
      const created = await users.insert(NOW, { ...newUser("Anna.Smith"), email: "anna@example.com" });
      for (const spelling of ["Anna.Smith", "anna.smith", "ANNA.SMITH"]) {
        const found = await users.findByLogin(spelling);
        assert.deepEqual(found?.user, created, spelling);
        assert.equal(found?.user.login, "Anna.Smith");
      }
      assert.equal((await users.findByLogin("anna.smith"))?.passwordHash, "hash-of-Anna.Smith");
      assert.equal(await users.findByLogin("anna.smit"), undefined);
    });

    it("refuses a second login that differs only in case, as a unique violation", async () => {
      await users.insert(NOW, newUser("Boris"));
      await assert.rejects(users.insert(NOW, newUser("bORIS")), (error) => isUniqueViolation(error));
    });

    it("finds a login only in the role asked for", async () => {
      await users.insert(NOW, newUser("Seller-1", "partner"));
      assert.equal(await users.findByLogin("seller-1", "user"), undefined);
      assert.equal((await users.findByLogin("seller-1", "partner"))?.user.role, "partner");
      assert.equal((await users.findByLogin("seller-1"))?.user.role, "partner");
    });

    it("tells whether anyone has a role", async () => {
      assert.equal(await users.someoneHasRole("admin"), false);
      await users.insert(NOW, newUser("the-admin", "admin"));
      assert.equal(await users.someoneHasRole("admin"), true);
    });

    it("reports a disabled account as disabled", async () => {
      await users.insert(NOW, newUser("dora"));
      assert.equal((await users.findByLogin("dora"))?.disabled, false);
      await database.db.updateTable("users").set({ disabled: 1 }).where("login", "=", "dora").execute();
      assert.equal((await users.findByLogin("dora"))?.disabled, true);
    });

    it("finds a token's owner by the token's hash, until the token is revoked", async () => {
      const owner = await users.insert(NOW, newUser("erik"));
      const token = { userId: owner.id, name: "laptop", createdAt: NOW.toISOString() };
      await users.insertToken({ ...token, tokenHash: "hash-1", expiresAt: "2026-12-16T10:00:00.000Z" });
      await users.insertToken({ ...token, tokenHash: "hash-2", expiresAt: "2026-12-17T10:00:00.000Z" });
      assert.deepEqual(await users.tokenOwner("hash-1"), {
        user: owner,
        expiresAt: "2026-12-16T10:00:00.000Z",
      });
      assert.equal(await users.tokenOwner("hash-3"), undefined);
      assert.deepEqual((await users.liveTokenHashes(owner.id)).sort(), ["hash-1", "hash-2"]);

      assert.equal(await users.revokeToken("hash-1", NOW.toISOString()), true);
      assert.equal(await users.tokenOwner("hash-1"), undefined);
      assert.equal(await users.revokeToken("hash-1", NOW.toISOString()), false, "revoked already");
      assert.equal(await users.revokeToken("hash-3", NOW.toISOString()), false, "no such token");
      assert.deepEqual(await users.liveTokenHashes(owner.id), ["hash-2"]);
      assert.equal((await users.tokenOwner("hash-2"))?.user.id, owner.id);
    });

    it("finds no owner for the token of a disabled account", async () => {
      const owner = await users.insert(NOW, newUser("fred"));
      await users.insertToken({
        userId: owner.id,
        tokenHash: "hash-of-fred",
        name: "api",
        createdAt: NOW.toISOString(),
        expiresAt: "2026-12-16T10:00:00.000Z",
      });
      await database.db.updateTable("users").set({ disabled: 1 }).where("id", "=", owner.id).execute();
      assert.equal(await users.tokenOwner("hash-of-fred"), undefined);
    });

    it("builds the token check once, on its first use, and runs one statement a check", async () => {
      const { db } = database;
      let built = 0;
      const counting = new Proxy(db, {
        get(target, property, receiver) {
          if (property === "selectFrom") built++;
          const value = Reflect.get(target, property, receiver);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
      const repository = usersRepository(counting);
      assert.equal(built, 0, "a repository made for a transaction builds nothing");
      database.queries.length = 0;
      for (const hash of ["hash-2", "hash-4", "hash-2"]) await repository.tokenOwner(hash);
      assert.equal(built, 1);
      assert.equal(database.queries.length, 3);
    });

    it("moves an account's activation", async () => {
      const user = await users.insert(NOW, {
        ...newUser("gina"),
        activeFrom: new Date("2026-11-17T00:00:00.000Z"),
      });
      await users.setActiveFrom(user.id, NOW.toISOString());
      assert.equal((await users.findByLogin("gina"))?.user.activeFrom, NOW.toISOString());
    });

    it("writes nothing of a transaction that fails", async () => {
      await assert.rejects(
        inTransaction(database.db, async (repos) => {
          await repos.users.insert(NOW, newUser("hanna"));
          await repos.users.insert(NOW, newUser("HANNA"));
        }),
        (error) => isUniqueViolation(error),
      );
      assert.equal(await users.findByLogin("hanna"), undefined);
    });
  });
}
