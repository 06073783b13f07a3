import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { createAccountsService } from "../../src/services/accounts.ts";
import {
  availableDialects,
  isPostgresReachable,
  type SecondNode,
  startSecondNode,
  startTestApp,
  type TestApp,
} from "../support/harness.ts";
import {
  addProduct,
  issueRegistered,
  recordCard,
  registrationCatalogue,
} from "../support/registration-fixtures.ts";

/** Asks until `check` holds; notifications arrive within moments, never within a fixed time. */
async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`${what}: not seen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

for (const dialect of await availableDialects()) {
  describe(`what a held number grants, on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(dialect);
      await registrationCatalogue(t);
    });
    after(() => t.close());

    it("a registration card recorded later changes the holder's support at once", async () => {
      const { token } = await t.signUp("user");
      // Six free months from a purchase today: supported now.
      const { registrationNumber, pin } = await issueRegistered(t, "ENT-PROF6", {
        purchaseDate: "2026-11-10",
      });
      const added = await addProduct(t, token, registrationNumber, pin!);
      assert.equal(added.statusCode, 201, added.body);
      const support = async () =>
        (await t.request({ method: "GET", url: "/api/v1/me/products", token })).json()[0].support;
      assert.equal((await support()).coveredThisMonth, true);
      // The card shows the purchase was two years ago: the free months are long over.
      await recordCard(t, registrationNumber, "2024-10-01");
      assert.deepEqual(await support(), { coveredThisMonth: false, until: null });
    });
  });
}

for (const dialect of await availableDialects()) {
  describe(`token cache on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(dialect);
    });
    after(() => t.close());

    it("a token read just before its revocation is not kept once the revocation is heard", async () => {
      const { token } = await t.signUp("user");
      // A second accounts service whose database answers are handed over only when a gate opens.
      let open = () => {};
      let gate: Promise<void> | null = null;
      const { db } = t.upkeep.database;
      const gated = new Proxy(db, {
        get(target, property, receiver) {
          if (property !== "executeQuery") {
            const value = Reflect.get(target, property, receiver);
            return typeof value === "function" ? value.bind(target) : value;
          }
          return async (...args: Parameters<typeof db.executeQuery>) => {
            const result = await target.executeQuery(...args);
            await gate;
            return result;
          };
        },
      });
      const accounts = createAccountsService({
        db: gated,
        clock: t.clock,
        changes: t.upkeep.database.changes,
        tokenTtlDays: 30,
      });
      gate = new Promise<void>((resolve) => (open = resolve));
      const resolving = accounts.resolveToken(token);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await t.upkeep.services.accounts.revokeToken(token);
      open();
      // The request that began before the revocation is answered from what it read ...
      assert.ok(await resolving);
      assert.equal(
        accounts.knownTokenOwner(token),
        undefined,
        "the read from before the revocation is not kept",
      );
      assert.equal(await accounts.resolveToken(token), null);
    });
  });
}

// Two nodes on one PostgreSQL database: the embedded database serves a single process.
if (await isPostgresReachable()) {
  describe("caches across nodes on postgres", () => {
    let t: TestApp;
    let second: SecondNode;
    let secondApp: FastifyInstance;
    const onSecond = (url: string, token: string) =>
      secondApp.inject({ method: "GET", url, headers: { authorization: `Bearer ${token}` } });

    before(async () => {
      t = await startTestApp("postgres");
      await registrationCatalogue(t);
      second = await startSecondNode(t);
      secondApp = second.app;
    });
    after(async () => {
      await second.close();
      await t.close();
    });

    it("a token revoked on one node is refused by the other, which had it cached", async () => {
      const { token } = await t.signUp("user");
      assert.equal((await onSecond("/api/v1/me", token)).statusCode, 200);
      const revoked = await t.request({ method: "DELETE", url: "/api/v1/auth/token", token });
      assert.equal(revoked.statusCode, 204);
      await eventually("the revocation on the second node", async () => {
        return (await onSecond("/api/v1/me", token)).statusCode === 401;
      });
    });

    it("a product registered through one node opens its configuration on the other", async () => {
      const { token } = await t.signUp("user");
      const visible = async () =>
        ((await onSecond("/api/v1/configurations", token)).json() as { code: string }[]).map((c) => c.code);
      assert.deepEqual(await visible(), []);
      const { registrationNumber, pin } = await issueRegistered(t, "ACC-BASIC");
      const added = await addProduct(t, token, registrationNumber, pin!);
      assert.equal(added.statusCode, 201, added.body);
      await eventually("the new holding on the second node", async () => (await visible()).includes("ACC"));
    });

    it("ignores notifications it does not understand, which anyone who may connect can send", async () => {
      const { token } = await t.signUp("user");
      assert.equal((await onSecond("/api/v1/me", token)).statusCode, 200);
      for (const payload of ["error:boom", "missed:x", "token", ":", "nonsense", "holdings:"]) {
        await sql`select pg_notify('upkeep_changes', ${payload})`.execute(t.upkeep.database.db);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal((await onSecond("/api/v1/me", token)).statusCode, 200, "still serving");
      await t.request({ method: "DELETE", url: "/api/v1/auth/token", token });
      await eventually("a real revocation afterwards", async () => {
        return (await onSecond("/api/v1/me", token)).statusCode === 401;
      });
    });

    it("after losing its listening connection a node forgets what it cached, as it may have missed changes", async () => {
      const { token } = await t.signUp("user");
      assert.equal((await onSecond("/api/v1/me", token)).statusCode, 200);
      // Every node's LISTEN connection is cut; the token is revoked behind the service's back meanwhile.
      await sql`select pg_terminate_backend(pid) from pg_stat_activity
                where datname = current_database() and query like 'LISTEN%'`.execute(t.upkeep.database.db);
      await t.upkeep.database.db
        .updateTable("api_tokens")
        .set({ revoked_at: t.clock.now().toISOString() })
        .where("revoked_at", "is", null)
        .execute();
      await eventually("the second node reloading after reconnecting", async () => {
        return (await onSecond("/api/v1/me", token)).statusCode === 401;
      });
      // Listening again: a later revocation is heard as before.
      const later = await t.signUp("user");
      assert.equal((await onSecond("/api/v1/me", later.token)).statusCode, 200);
      await t.request({ method: "DELETE", url: "/api/v1/auth/token", token: later.token });
      await eventually("a revocation after reconnecting", async () => {
        return (await onSecond("/api/v1/me", later.token)).statusCode === 401;
      });
    });
  });
}
