import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
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
