import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { MAX_PIN_FAILURES_PER_DAY } from "../../src/domain/pin-lock.ts";
import { availableDialects, startTestApp, type TestApp } from "../support/harness.ts";
import {
  clientHolding,
  type Issued,
  issueRegistered,
  organization,
  partnerAccount,
  registrationCatalogue,
  subscribe,
} from "../support/registration-fixtures.ts";

const HIGH_LIMITS = {
  rateLimits: {
    signIn: { max: 10_000, timeWindow: 60_000 },
    registration: { max: 10_000, timeWindow: 60_000 },
  },
};
const START = "2026-11-16T10:00:00.000Z";

function wrongPinOf(item: Issued): string {
  return item.pin === "1111111111111111" ? "2222222222222222" : "1111111111111111";
}

for (const dialect of await availableDialects()) {
  describe(`PIN lock per address and per day on ${dialect}`, () => {
    let t: TestApp;
    let alpha: { token: string; user: { id: string } };
    let beta: { token: string; user: { id: string } };
    before(async () => {
      t = await startTestApp(dialect, HIGH_LIMITS);
      await registrationCatalogue(t);
      alpha = await partnerAccount(t, "Partner Alpha");
      beta = await partnerAccount(t, "Partner Beta");
    });
    after(() => t.close());

    /** Self-registration from a client address. */
    const registerFrom = (address: string, item: Issued, pin: string) =>
      t.app.inject({
        method: "POST",
        url: "/api/v1/registrations",
        remoteAddress: address,
        payload: { registrationNumber: item.registrationNumber, pin, organization: organization(t) },
      });
    const answer = (response: { statusCode: number; json(): Record<string, unknown> }) => [
      response.statusCode,
      response.json().code,
      response.json().attemptsLeft,
    ];
    const unlock = (scope: "admin" | "partner", number: string, token: string | null) =>
      t.request({ method: "POST", url: `/api/v1/${scope}/registration-numbers/${number}/unlock`, token });
    /** Wrong PINs from distinct addresses until the number's ceiling of the day locks it for everyone. */
    async function lockForTheDay(item: Issued) {
      const answers = [];
      for (let i = 0; i < MAX_PIN_FAILURES_PER_DAY; i++) {
        answers.push(answer(await registerFrom(`10.1.${i}.1`, item, wrongPinOf(item))));
      }
      return answers;
    }

    it("one address guessing wrong locks itself out of the number, not the owner at another address", async () => {
      const item = await issueRegistered(t, "ACC-BASIC");
      const answers = [];
      for (let i = 0; i < 5; i++)
        answers.push(answer(await registerFrom("203.0.113.9", item, wrongPinOf(item))));
      assert.deepEqual(answers, [
        [403, "invalid_pin", 4],
        [403, "invalid_pin", 3],
        [403, "invalid_pin", 2],
        [403, "invalid_pin", 1],
        [403, "invalid_pin", 0],
      ]);
      const locked = await registerFrom("203.0.113.9", item, item.pin!);
      assert.equal(locked.json().code, "pin_locked");
      assert.equal(locked.json().lockedUntil, new Date(t.clock.now().getTime() + 60 * 60_000).toISOString());
      const owner = await registerFrom("198.51.100.7", item, item.pin!);
      assert.equal(owner.statusCode, 201, owner.body);
    });

    it(`many addresses together lock the number for everyone after ${MAX_PIN_FAILURES_PER_DAY} wrong PINs a day, until UTC midnight`, async () => {
      const item = await issueRegistered(t, "ACC-BASIC");
      const answers = await lockForTheDay(item);
      // Each address could try 4 more times, until the day's ceiling comes closer than that.
      assert.deepEqual(
        answers.map(([, , left]) => left),
        [4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3, 2, 1, 0],
      );
      assert.ok(answers.every(([status, code]) => status === 403 && code === "invalid_pin"));
      const owner = await registerFrom("198.51.100.8", item, item.pin!);
      assert.equal(owner.statusCode, 403);
      assert.equal(owner.json().code, "pin_locked");
      assert.equal(owner.json().lockedUntil, "2026-11-17T00:00:00.000Z");
      try {
        t.clock.set("2026-11-16T23:59:59.000Z");
        assert.equal((await registerFrom("198.51.100.8", item, item.pin!)).json().code, "pin_locked");
        t.clock.set("2026-11-17T00:00:00.000Z");
        const nextDay = await registerFrom("198.51.100.8", item, item.pin!);
        assert.equal(nextDay.statusCode, 201, nextDay.body);
      } finally {
        t.clock.set(START);
      }
    });

    it("staff unlock a number for every address, audited; others may not", async () => {
      const item = await issueRegistered(t, "ACC-BASIC");
      await lockForTheDay(item);
      assert.equal((await registerFrom("198.51.100.9", item, item.pin!)).json().code, "pin_locked");

      const user = await t.signUp("user");
      assert.equal((await unlock("admin", item.registrationNumber, user.token)).statusCode, 403);
      assert.equal((await unlock("admin", item.registrationNumber, alpha.token)).statusCode, 403);
      assert.equal((await unlock("admin", item.registrationNumber, null)).statusCode, 401);
      assert.equal((await registerFrom("198.51.100.9", item, item.pin!)).json().code, "pin_locked");

      const support = await t.signUp("support");
      const unlocked = await unlock("admin", item.registrationNumber, support.token);
      assert.equal(unlocked.statusCode, 200, unlocked.body);
      assert.deepEqual(unlocked.json(), { registrationNumber: item.registrationNumber, wasLocked: true });
      const audit = await t.upkeep.database.db
        .selectFrom("audit_log")
        .selectAll()
        .where("action", "=", "registration_number.unlock")
        .where("subject", "=", `registration_number:${item.registrationNumber}`)
        .execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0]!.actor_id, support.user.id);
      assert.deepEqual(JSON.parse(audit[0]!.details), { wasLocked: true, partnerId: null });
      // Every address starts again, the ones that guessed wrong too.
      assert.deepEqual(answer(await registerFrom("10.1.0.1", item, wrongPinOf(item))), [
        403,
        "invalid_pin",
        4,
      ]);
      const registered = await registerFrom("198.51.100.9", item, item.pin!);
      assert.equal(registered.statusCode, 201, registered.body);

      const again = await unlock("admin", item.registrationNumber, t.adminToken);
      assert.deepEqual(again.json(), { registrationNumber: item.registrationNumber, wasLocked: false });
      const unknown = await unlock("admin", "9999999991", t.adminToken);
      assert.equal(unknown.statusCode, 404);
      assert.equal(unknown.json().code, "registration_number_not_found");
      assert.equal((await unlock("admin", "12ab", t.adminToken)).statusCode, 400);
    });

    it("a partner unlocks numbers of its own: its clients' and those it sold support for; others are not found", async () => {
      // A PROF number alpha sold a subscription for, locked by wrong PINs from one address.
      const sold = await issueRegistered(t, "ENT-PROF");
      await subscribe(t, alpha.token, sold.registrationNumber, "2026-11", 12);
      for (let i = 0; i < 5; i++) await registerFrom("203.0.113.20", sold, wrongPinOf(sold));
      assert.equal((await registerFrom("203.0.113.20", sold, sold.pin!)).json().code, "pin_locked");

      const byBeta = await unlock("partner", sold.registrationNumber, beta.token);
      assert.equal(byBeta.statusCode, 404);
      assert.equal(byBeta.json().code, "registration_number_not_found");
      assert.equal((await registerFrom("203.0.113.20", sold, sold.pin!)).json().code, "pin_locked");

      const byAlpha = await unlock("partner", sold.registrationNumber, alpha.token);
      assert.equal(byAlpha.statusCode, 200, byAlpha.body);
      assert.deepEqual(byAlpha.json(), { registrationNumber: sold.registrationNumber, wasLocked: true });
      const audit = await t.upkeep.database.db
        .selectFrom("audit_log")
        .selectAll()
        .where("action", "=", "registration_number.unlock")
        .where("subject", "=", `registration_number:${sold.registrationNumber}`)
        .executeTakeFirstOrThrow();
      assert.equal(audit.actor_id, alpha.user.id);
      assert.equal(JSON.parse(audit.details).wasLocked, true);
      const registered = await registerFrom("203.0.113.20", sold, sold.pin!);
      assert.equal(registered.statusCode, 201, registered.body);

      // A number one of alpha's clients holds: alpha's, not beta's.
      const held = await issueRegistered(t, "ACC-BASIC", { pin: false });
      await clientHolding(t, alpha.token, [held.registrationNumber]);
      assert.equal((await unlock("partner", held.registrationNumber, alpha.token)).statusCode, 200);
      assert.equal((await unlock("partner", held.registrationNumber, beta.token)).statusCode, 404);
      // Self-registered without a partner, a number nobody sold support for, an unknown number: not found.
      assert.equal((await unlock("partner", registered.json().userCode, beta.token)).statusCode, 404);
      const stranger = await issueRegistered(t, "ACC-BASIC");
      assert.equal((await unlock("partner", stranger.registrationNumber, alpha.token)).statusCode, 404);
      assert.equal((await unlock("partner", "9999999992", alpha.token)).statusCode, 404);
      // Staff use the admin route; a user may use neither.
      assert.equal((await unlock("partner", held.registrationNumber, t.adminToken)).statusCode, 403);
    });

    it("documents the staff and partner routes in OpenAPI", async () => {
      const openapi = (await t.request({ method: "GET", url: "/api/openapi.json" })).json();
      const tags = (path: string) => openapi.paths[path]?.post?.tags;
      assert.ok(tags("/api/v1/admin/registration-numbers/{number}/unlock")?.includes("admin"));
      assert.ok(tags("/api/v1/partner/registration-numbers/{number}/unlock")?.includes("partner"));
      assert.ok(tags("/api/v1/admin/users/{login}/activate")?.includes("admin"));
    });
  });
}
