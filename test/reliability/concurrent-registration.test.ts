import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { FastifyInstance } from "fastify";
import { MAX_PIN_FAILURES, MAX_PIN_FAILURES_PER_DAY } from "../../src/domain/pin-lock.ts";
import { buildHttpApp } from "../../src/http/app.ts";
import { loadOrCreatePinKey } from "../../src/secrets/pin-key.ts";
import { createRegistrationNumbersService } from "../../src/services/registration-numbers/index.ts";
import { pinHashesEqual } from "../../src/services/registration-numbers/pin-hash.ts";
import { createRegistrationsService } from "../../src/services/registrations.ts";
import { availableDialects, startTestApp, type TestApp } from "../support/harness.ts";
import {
  issueRegistered,
  organization,
  partnerAccount,
  register,
  registrationCatalogue,
} from "../support/registration-fixtures.ts";

const CONCURRENCY = 20;
const LIMITS = {
  rateLimits: {
    signIn: { max: 10_000, timeWindow: 60_000 },
    registration: { max: 10_000, timeWindow: 60_000 },
  },
};

async function countRows(t: TestApp) {
  const db = t.upkeep.database.db;
  const count = async (table: "users" | "organizations" | "authorizations") =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    users: await count("users"),
    organizations: await count("organizations"),
    authorizations: await count("authorizations"),
  };
}

/**
 * The same services over the same database, but counting every PIN comparison: the only way to
 * see that a guess was compared even when the answer does not say so.
 */
async function countingApp(t: TestApp): Promise<{ app: FastifyInstance; compared: () => number }> {
  let comparisons = 0;
  const registrationNumbers = createRegistrationNumbersService({
    db: t.upkeep.database.db,
    clock: t.clock,
    changes: t.upkeep.database.changes,
    pinKey: loadOrCreatePinKey(join(t.environment.dataDir, "secrets", "pin-key")),
    products: t.upkeep.services.catalogue,
    comparePins: (expected, actual) => {
      comparisons++;
      return pinHashesEqual(expected, actual);
    },
  });
  const registrations = createRegistrationsService({
    db: t.upkeep.database.db,
    clock: t.clock,
    changes: t.upkeep.database.changes,
    activationDelayMinutes: 15,
    accounts: t.upkeep.services.accounts,
    numbers: registrationNumbers,
    entitlements: t.upkeep.services.entitlements,
  });
  const app = await buildHttpApp(
    { ...t.upkeep.services, registrationNumbers, registrations },
    { logLevel: "silent", ...LIMITS },
  );
  return { app, compared: () => comparisons };
}

function wrongPinFor(pin: string, i: number): string {
  const wrong = String(i).padStart(16, "7");
  return wrong === pin ? String(i).padStart(16, "8") : wrong;
}

function tally(statuses: { statusCode: number; json(): { code?: string } }[]) {
  const created = statuses.filter((r) => r.statusCode === 201).length;
  const conflicts = statuses.filter(
    (r) => r.statusCode === 409 && r.json().code === "already_registered",
  ).length;
  return { created, conflicts, other: statuses.length - created - conflicts };
}

for (const dialect of await availableDialects()) {
  describe(`concurrent registration on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(dialect, LIMITS);
      await registrationCatalogue(t);
    });
    after(() => t.close());

    it(`${CONCURRENCY} concurrent registrations of one number and PIN make exactly one account`, async () => {
      const item = await issueRegistered(t, "ACC-BASIC");
      const before = await countRows(t);
      const responses = await Promise.all(
        Array.from({ length: CONCURRENCY }, (_, i) =>
          register(t, item.registrationNumber, item.pin!, { name: `Racer ${i}` }),
        ),
      );
      assert.deepEqual(
        tally(responses),
        { created: 1, conflicts: CONCURRENCY - 1, other: 0 },
        responses.map((r) => r.body).join("\n"),
      );
      const after = await countRows(t);
      // Nothing half-written: one user, one organisation, one authorisation, no orphans.
      assert.deepEqual(after, {
        users: before.users + 1,
        organizations: before.organizations + 1,
        authorizations: before.authorizations + 1,
      });
      const users = await t.upkeep.database.db
        .selectFrom("users")
        .selectAll()
        .where("login", "=", item.registrationNumber)
        .execute();
      assert.equal(users.length, 1);
      const authorization = await t.upkeep.database.db
        .selectFrom("authorizations")
        .selectAll()
        .where("registration_number", "=", item.registrationNumber)
        .executeTakeFirstOrThrow();
      assert.equal(authorization.user_id, users[0]!.id);
      const orphans = await t.upkeep.database.db
        .selectFrom("organizations")
        .leftJoin("users", "users.organization_id", "organizations.id")
        .select("organizations.id")
        .where("users.id", "is", null)
        .execute();
      assert.equal(orphans.length, 0);
    });

    it("15 concurrent wrong PINs are compared at most 5 times, and the number locks", async () => {
      const item = await issueRegistered(t, "ACC-BASIC");
      const { app, compared } = await countingApp(t);
      try {
        const send = (pin: string) =>
          app.inject({
            method: "POST",
            url: "/api/v1/registrations",
            payload: { registrationNumber: item.registrationNumber, pin, organization: organization(t) },
          });
        const responses = await Promise.all(
          Array.from({ length: 15 }, (_, i) => send(wrongPinFor(item.pin!, i))),
        );
        assert.equal(compared(), MAX_PIN_FAILURES, "no more PINs compared than the lock allows");
        const wrong = responses.filter((r) => r.json().code === "invalid_pin");
        const locked = responses.filter((r) => r.json().code === "pin_locked");
        assert.equal(wrong.length, MAX_PIN_FAILURES, responses.map((r) => r.body).join("\n"));
        assert.equal(locked.length, 15 - MAX_PIN_FAILURES);
        assert.deepEqual(wrong.map((r) => r.json().attemptsLeft).sort(), [0, 1, 2, 3, 4]);
        const attempts = await t.upkeep.database.db
          .selectFrom("pin_attempts")
          .selectAll()
          .where("registration_number", "=", item.registrationNumber)
          .executeTakeFirstOrThrow();
        assert.equal(Number(attempts.failures), MAX_PIN_FAILURES);
        // The right PIN afterwards is refused without being compared.
        const right = await send(item.pin!);
        assert.equal(right.json().code, "pin_locked");
        assert.equal(compared(), MAX_PIN_FAILURES);
      } finally {
        await app.close();
      }
    });

    it("concurrent wrong PINs from several addresses: at most 5 compared per address", async () => {
      const item = await issueRegistered(t, "ACC-BASIC");
      const { app, compared } = await countingApp(t);
      try {
        const addresses = ["10.2.0.1", "10.2.0.2", "10.2.0.3"];
        const responses = await Promise.all(
          Array.from({ length: 24 }, (_, i) =>
            app.inject({
              method: "POST",
              url: "/api/v1/registrations",
              remoteAddress: addresses[i % addresses.length],
              payload: {
                registrationNumber: item.registrationNumber,
                pin: wrongPinFor(item.pin!, i),
                organization: organization(t),
              },
            }),
          ),
        );
        assert.equal(compared(), addresses.length * MAX_PIN_FAILURES);
        const codes = responses.map((r) => r.json().code);
        assert.equal(codes.filter((c) => c === "invalid_pin").length, addresses.length * MAX_PIN_FAILURES);
        assert.equal(
          codes.filter((c) => c === "pin_locked").length,
          24 - addresses.length * MAX_PIN_FAILURES,
        );
        // Another address is still let in with the right PIN.
        const owner = await app.inject({
          method: "POST",
          url: "/api/v1/registrations",
          remoteAddress: "10.2.0.9",
          payload: {
            registrationNumber: item.registrationNumber,
            pin: item.pin!,
            organization: organization(t),
          },
        });
        assert.equal(owner.statusCode, 201, owner.body);
      } finally {
        await app.close();
      }
    });

    it(`concurrent wrong PINs from many addresses: at most ${MAX_PIN_FAILURES_PER_DAY} compared a day, then locked for all`, async () => {
      const item = await issueRegistered(t, "ACC-BASIC");
      const { app, compared } = await countingApp(t);
      try {
        const send = (address: string, pin: string) =>
          app.inject({
            method: "POST",
            url: "/api/v1/registrations",
            remoteAddress: address,
            payload: { registrationNumber: item.registrationNumber, pin, organization: organization(t) },
          });
        // 40 addresses, 2 guesses each: no address reaches its own limit, the number's day does.
        const responses = await Promise.all(
          Array.from({ length: 80 }, (_, i) => send(`10.3.${i % 40}.1`, wrongPinFor(item.pin!, i))),
        );
        assert.equal(compared(), MAX_PIN_FAILURES_PER_DAY, "no more PINs compared than the day allows");
        const codes = responses.map((r) => r.json().code);
        assert.equal(codes.filter((c) => c === "invalid_pin").length, MAX_PIN_FAILURES_PER_DAY);
        assert.equal(codes.filter((c) => c === "pin_locked").length, 80 - MAX_PIN_FAILURES_PER_DAY);
        const attempts = await t.upkeep.database.db
          .selectFrom("pin_attempts")
          .selectAll()
          .where("registration_number", "=", item.registrationNumber)
          .executeTakeFirstOrThrow();
        assert.equal(Number(attempts.failures), MAX_PIN_FAILURES_PER_DAY);
        const right = await send("10.3.99.1", item.pin!);
        assert.equal(right.json().code, "pin_locked");
        assert.equal(compared(), MAX_PIN_FAILURES_PER_DAY, "the right PIN was not even compared");
      } finally {
        await app.close();
      }
    });

    it("a burst of 15 wrong PINs followed at once by the right one never registers", async () => {
      // Three rounds, each on a fresh number: the right PIN is sent while the wrong ones are in flight.
      for (let round = 0; round < 3; round++) {
        const item = await issueRegistered(t, "ACC-BASIC");
        const { app, compared } = await countingApp(t);
        try {
          const send = (pin: string) =>
            app.inject({
              method: "POST",
              url: "/api/v1/registrations",
              payload: { registrationNumber: item.registrationNumber, pin, organization: organization(t) },
            });
          const wrong = Array.from({ length: 15 }, (_, i) => send(wrongPinFor(item.pin!, i)));
          await new Promise((resolve) => setImmediate(resolve));
          const right = send(item.pin!);
          const responses = await Promise.all([...wrong, right]);
          const codes = responses.map((r) => r.json().code);
          assert.equal(codes[15], "pin_locked", `round ${round}: ${codes.join(", ")}`);
          assert.equal(codes.filter((c) => c === "invalid_pin").length, MAX_PIN_FAILURES);
          assert.equal(compared(), MAX_PIN_FAILURES, "the right PIN was not even compared");
          assert.equal(await t.upkeep.services.accounts.findByLogin(item.registrationNumber), null);
          const authorization = await t.upkeep.database.db
            .selectFrom("authorizations")
            .select("user_id")
            .where("registration_number", "=", item.registrationNumber)
            .executeTakeFirst();
          assert.equal(authorization, undefined);
        } finally {
          await app.close();
        }
      }
    });

    it(`${CONCURRENCY} accounts adding one number at once: exactly one gets it`, async () => {
      const item = await issueRegistered(t, "ACC-BASIC");
      const accounts = await Promise.all(Array.from({ length: CONCURRENCY }, () => t.signUp("user")));
      const responses = await Promise.all(
        accounts.map(({ token }) =>
          t.request({
            method: "POST",
            url: "/api/v1/me/products",
            token,
            body: { registrationNumber: item.registrationNumber, pin: item.pin },
          }),
        ),
      );
      assert.deepEqual(tally(responses), { created: 1, conflicts: CONCURRENCY - 1, other: 0 });
    });

    it(`${CONCURRENCY} partners' registrations of one number at once: exactly one client`, async () => {
      const item = await issueRegistered(t, "ACC-BASIC", { pin: false });
      const partners = await Promise.all(
        Array.from({ length: CONCURRENCY }, (_, i) => partnerAccount(t, `Racing partner ${i}`)),
      );
      const before = await countRows(t);
      const responses = await Promise.all(
        partners.map(({ token }) =>
          t.request({
            method: "POST",
            url: "/api/v1/partner/users",
            token,
            body: { organization: organization(t), registrationNumbers: [item.registrationNumber] },
          }),
        ),
      );
      assert.deepEqual(tally(responses), { created: 1, conflicts: CONCURRENCY - 1, other: 0 });
      const after = await countRows(t);
      assert.deepEqual(after, {
        users: before.users + 1,
        organizations: before.organizations + 1,
        authorizations: before.authorizations + 1,
      });
    });
  });
}
