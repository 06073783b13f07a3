import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { FastifyInstance } from "fastify";
import { addMinutes } from "../../src/domain/dates.ts";
import {
  availableDialects,
  isPostgresReachable,
  type SecondNode,
  startSecondNode,
  startTestApp,
  type TestApp,
} from "../support/harness.ts";
import {
  issueRegistered,
  partnerAccount,
  register,
  registrationCatalogue,
  signIn,
} from "../support/registration-fixtures.ts";

const HIGH_LIMITS = {
  rateLimits: {
    signIn: { max: 10_000, timeWindow: 60_000 },
    registration: { max: 10_000, timeWindow: 60_000 },
  },
};

const activate = (t: TestApp, login: string, token: string | null) =>
  t.request({ method: "POST", url: `/api/v1/admin/users/${login}/activate`, token });

/** A customer account not active for another 15 minutes, with a token, holding ACC through a partner. */
async function waitingUser(t: TestApp, partnerToken: string, login: string) {
  const user = await t.upkeep.services.accounts.createUser({
    login,
    password: "password-123",
    role: "user",
    activeFrom: addMinutes(t.clock.now(), 15),
  });
  const { token } = await t.upkeep.services.accounts.issueToken(user);
  const number = await issueRegistered(t, "ACC-BASIC", { pin: false });
  const authorized = await t.request({
    method: "POST",
    url: `/api/v1/partner/users/${login}/products`,
    token: partnerToken,
    body: { registrationNumber: number.registrationNumber },
  });
  assert.equal(authorized.statusCode, 201, authorized.body);
  return { user, token };
}

for (const dialect of await availableDialects()) {
  describe(`staff activation of accounts on ${dialect}`, () => {
    let t: TestApp;
    let alpha: { token: string };
    before(async () => {
      t = await startTestApp(dialect, HIGH_LIMITS);
      await registrationCatalogue(t);
      alpha = await partnerAccount(t, "Partner Alpha");
    });
    after(() => t.close());

    it("says when a self-registered account opens, and staff may open it at once, audited", async () => {
      const item = await issueRegistered(t, "ACC-BASIC");
      const registered = await register(t, item.registrationNumber, item.pin!);
      const { userCode, password, activeFrom } = registered.json();
      const early = await signIn(t, userCode, password);
      assert.equal(early.statusCode, 403);
      assert.equal(early.json().code, "not_active_yet");
      assert.equal(early.json().activeFrom, activeFrom);
      assert.match(early.json().detail, /becomes active at 2026-11-16 10:15:00 UTC/);

      const user = await t.signUp("user");
      const partner = await partnerAccount(t, "Partner Gamma");
      assert.equal((await activate(t, userCode, user.token)).statusCode, 403);
      assert.equal((await activate(t, userCode, partner.token)).statusCode, 403);
      assert.equal((await activate(t, userCode, null)).statusCode, 401);
      assert.equal((await signIn(t, userCode, password)).statusCode, 403);

      const support = await t.signUp("support");
      const activated = await activate(t, userCode, support.token);
      assert.equal(activated.statusCode, 200, activated.body);
      assert.deepEqual(activated.json(), {
        login: userCode,
        activeFrom: t.clock.now().toISOString(),
        activated: true,
      });
      assert.equal((await signIn(t, userCode, password)).statusCode, 201);
      const audit = await t.upkeep.database.db
        .selectFrom("audit_log")
        .selectAll()
        .where("action", "=", "user.activate")
        .execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0]!.actor_id, support.user.id);
      assert.deepEqual(JSON.parse(audit[0]!.details), {
        login: userCode,
        activeFromBefore: activeFrom,
        activeFrom: t.clock.now().toISOString(),
      });

      // Active already: nothing changes, nothing is audited.
      const again = await activate(t, userCode, t.adminToken);
      assert.deepEqual(again.json(), {
        login: userCode,
        activeFrom: t.clock.now().toISOString(),
        activated: false,
      });
      assert.equal(
        (
          await t.upkeep.database.db
            .selectFrom("audit_log")
            .selectAll()
            .where("action", "=", "user.activate")
            .execute()
        ).length,
        1,
      );
      const unknown = await activate(t, "nobody-here", t.adminToken);
      assert.equal(unknown.statusCode, 404);
      assert.equal(unknown.json().code, "user_not_found");
    });

    it("a token already in use sees the activation at once", async () => {
      const { token } = await waitingUser(t, alpha.token, "early-bird");
      const releases = () => t.request({ method: "GET", url: "/api/v1/configurations/ACC/releases", token });
      const refused = await releases();
      assert.equal(refused.statusCode, 403);
      assert.equal(refused.json().code, "not_active_yet");
      assert.match(refused.json().detail, /becomes active at 2026-11-16 10:15:00 UTC/);
      assert.equal((await activate(t, "early-bird", t.adminToken)).statusCode, 200);
      const opened = await releases();
      assert.equal(opened.statusCode, 200, opened.body);
    });
  });
}

// Two nodes on one PostgreSQL database: the embedded database serves a single process.
if (await isPostgresReachable()) {
  describe("staff activation across nodes on postgres", () => {
    let t: TestApp;
    let second: SecondNode;
    let secondApp: FastifyInstance;
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

    it("an account activated through one node opens on the other, which had it cached", async () => {
      const alpha = await partnerAccount(t, "Partner Alpha");
      const { token } = await waitingUser(t, alpha.token, "early-owl");
      const onSecond = () =>
        secondApp.inject({
          method: "GET",
          url: "/api/v1/configurations/ACC/releases",
          headers: { authorization: `Bearer ${token}` },
        });
      assert.equal((await onSecond()).json().code, "not_active_yet");
      assert.equal((await activate(t, "early-owl", t.adminToken)).statusCode, 200);
      const deadline = Date.now() + 10_000;
      while ((await onSecond()).statusCode !== 200) {
        if (Date.now() > deadline) assert.fail("the activation was not seen on the second node");
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    });
  });
}
