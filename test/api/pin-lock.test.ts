import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { MAX_PIN_FAILURES_PER_DAY } from "../../src/domain/pin-lock.ts";
import { availableDialects, type TestApp } from "../support/harness.ts";
import {
  clientHolding,
  type Issued,
  issueRegistered,
  organization,
  type PartnerLogin,
  register,
  startRegistrationApp,
  subscribe,
} from "../support/registration-fixtures.ts";

const START = "2026-11-16T10:00:00.000Z";

function wrongPinOf(item: Issued): string {
  return item.pin === "1111111111111111" ? "2222222222222222" : "1111111111111111";
}

for (const dialect of await availableDialects()) {
  describe(`PIN lock on ${dialect}`, () => {
    let t: TestApp;
    let alpha: PartnerLogin;
    let beta: PartnerLogin;
    before(async () => {
      ({ t, alpha, beta } = await startRegistrationApp(dialect));
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

    describe("wrong and malformed PINs from one address, on both registration routes", () => {
      it("locks a number for an hour after 5 wrong PINs, even for the right PIN", async () => {
        const item = await issueRegistered(t, "ACC-BASIC");
        const wrongPin = item.pin === "1111111111111111" ? "2222222222222222" : "1111111111111111";
        const answers: [number, string, number][] = [];
        for (let i = 0; i < 5; i++) {
          const response = await register(t, item.registrationNumber, wrongPin);
          answers.push([response.statusCode, response.json().code, response.json().attemptsLeft]);
        }
        // The 5th wrong PIN is still answered invalid_pin, with no attempts left; the lock answers from the 6th.
        assert.deepEqual(answers, [
          [403, "invalid_pin", 4],
          [403, "invalid_pin", 3],
          [403, "invalid_pin", 2],
          [403, "invalid_pin", 1],
          [403, "invalid_pin", 0],
        ]);
        const attempts = await t.upkeep.database.db
          .selectFrom("pin_attempts")
          .selectAll()
          .where("registration_number", "=", item.registrationNumber)
          .executeTakeFirstOrThrow();
        assert.equal(Number(attempts.failures), 5);

        const sixth = await register(t, item.registrationNumber, wrongPin);
        assert.equal(sixth.statusCode, 403);
        assert.equal(sixth.json().code, "pin_locked");
        const locked = await register(t, item.registrationNumber, item.pin!);
        assert.equal(locked.statusCode, 403);
        assert.equal(locked.json().code, "pin_locked");
        assert.equal(
          locked.json().lockedUntil,
          new Date(t.clock.now().getTime() + 60 * 60_000).toISOString(),
        );
        t.clock.advanceMinutes(59);
        assert.equal((await register(t, item.registrationNumber, item.pin!)).json().code, "pin_locked");
        t.clock.advanceMinutes(1);
        const unlocked = await register(t, item.registrationNumber, item.pin!);
        assert.equal(unlocked.statusCode, 201, unlocked.body);
        const cleared = await t.upkeep.database.db
          .selectFrom("pin_attempts")
          .selectAll()
          .where("registration_number", "=", item.registrationNumber)
          .execute();
        assert.equal(cleared.length, 0);
      });

      it("counts wrong PINs sent to the account route as well, and keeps the count when the rest fails", async () => {
        // A PROF number without a subscription: the right PIN passes, then the PROF rule refuses it.
        const item = await issueRegistered(t, "ENT-PROF");
        const { token } = await t.signUp("user");
        const addProduct = (pin: string) =>
          t.request({
            method: "POST",
            url: "/api/v1/me/products",
            token,
            body: { registrationNumber: item.registrationNumber, pin },
          });
        const failures = async () =>
          Number(
            (
              await t.upkeep.database.db
                .selectFrom("pin_attempts")
                .select("failures")
                .where("registration_number", "=", item.registrationNumber)
                .executeTakeFirst()
            )?.failures ?? 0,
          );
        const wrongPin = item.pin === "0000000000000000" ? "1111111111111111" : "0000000000000000";
        assert.equal((await addProduct(wrongPin)).json().attemptsLeft, 4);
        assert.equal((await addProduct(wrongPin)).json().attemptsLeft, 3);
        assert.equal(await failures(), 2);

        // The right PIN, refused after the PIN check: the two failures are neither cleared nor added to.
        const refused = await addProduct(item.pin!);
        assert.equal(refused.statusCode, 403);
        assert.equal(refused.json().code, "support_subscription_required");
        assert.equal(await failures(), 2);
        // Nor by a registration that fails as already registered, after the PIN check.
        const registered = await issueRegistered(t, "ACC-BASIC");
        await clientHolding(t, alpha.token, [registered.registrationNumber]);
        for (let i = 0; i < 2; i++) {
          await t.request({
            method: "POST",
            url: "/api/v1/me/products",
            token,
            body: { registrationNumber: registered.registrationNumber, pin: wrongPin },
          });
        }
        const taken = await t.request({
          method: "POST",
          url: "/api/v1/me/products",
          token,
          body: { registrationNumber: registered.registrationNumber, pin: registered.pin },
        });
        assert.equal(taken.statusCode, 409);
        assert.equal(taken.json().code, "already_registered");
        const takenAttempts = await t.upkeep.database.db
          .selectFrom("pin_attempts")
          .select("failures")
          .where("registration_number", "=", registered.registrationNumber)
          .executeTakeFirstOrThrow();
        assert.equal(Number(takenAttempts.failures), 2);

        // The count goes on from 2: three more wrong PINs lock the number, even for the right PIN.
        assert.deepEqual(
          [
            (await addProduct(wrongPin)).json().attemptsLeft,
            (await addProduct(wrongPin)).json().attemptsLeft,
            (await addProduct(wrongPin)).json().attemptsLeft,
          ],
          [2, 1, 0],
        );
        const locked = await addProduct(item.pin!);
        assert.equal(locked.json().code, "pin_locked");
      });

      it("treats a malformed PIN as a wrong one: invalid_pin, counted toward the lock", async () => {
        const item = await issueRegistered(t, "ACC-BASIC");
        const answers: [number, string, number | undefined][] = [];
        for (const malformed of ["1234", "wrong-pin", "", "1234-5678-9012-345x", "12345678901234567"]) {
          const response = await register(t, item.registrationNumber, malformed);
          answers.push([response.statusCode, response.json().code, response.json().attemptsLeft]);
        }
        assert.deepEqual(answers, [
          [403, "invalid_pin", 4],
          [403, "invalid_pin", 3],
          [403, "invalid_pin", 2],
          [403, "invalid_pin", 1],
          [403, "invalid_pin", 0],
        ]);
        const locked = await register(t, item.registrationNumber, item.pin!);
        assert.equal(locked.json().code, "pin_locked");
        // On the account route as well; and on an unknown number it answers like any wrong PIN.
        const other = await issueRegistered(t, "ACC-BASIC");
        const { token } = await t.signUp("user");
        const viaAccount = await t.request({
          method: "POST",
          url: "/api/v1/me/products",
          token,
          body: { registrationNumber: other.registrationNumber, pin: "wrong-pin" },
        });
        assert.equal(viaAccount.statusCode, 403);
        assert.deepEqual([viaAccount.json().code, viaAccount.json().attemptsLeft], ["invalid_pin", 4]);
        const unknown = await register(t, "9999999997", "1234");
        assert.equal(unknown.statusCode, 403);
        assert.equal(unknown.json().code, "invalid_pin");
        assert.equal(unknown.json().attemptsLeft, undefined);
      });
    });
  });
}
