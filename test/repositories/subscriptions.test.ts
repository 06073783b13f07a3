import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { partnersRepository } from "../../src/db/repositories/partners.ts";
import {
  type StoredSubscription,
  type SubscriptionsRepository,
  subscriptionsRepository,
} from "../../src/db/repositories/subscriptions.ts";
import { openTestDatabase, type TestDatabase } from "../support/database.ts";
import { availableDialects } from "../support/harness.ts";
import { addNumbers, addProduct } from "../support/repository-fixtures.ts";

const NOW = new Date("2026-11-16T10:00:00.000Z");

/** Subscriptions in a fixed order, their additional numbers too. */
const sorted = (list: StoredSubscription[]) =>
  list
    .map((s) => ({ ...s, additionalNumbers: [...s.additionalNumbers].sort() }))
    .sort((a, b) => a.id.localeCompare(b.id));

for (const dialect of await availableDialects()) {
  describe(`subscriptions repository on ${dialect}`, () => {
    let database: TestDatabase;
    let subscriptions: SubscriptionsRepository;
    const sold = (
      id: string,
      mainNumber: string,
      additionalNumbers: string[],
      partnerId: string | null = null,
    ) => ({
      id,
      mainNumber,
      fromMonth: "2026-01",
      months: 12,
      additionalNumbers,
      partnerId,
      createdBy: null,
      createdAt: NOW.toISOString(),
    });
    const stored = (subscription: ReturnType<typeof sold>): StoredSubscription => ({
      id: subscription.id,
      partnerId: subscription.partnerId,
      mainNumber: subscription.mainNumber,
      fromMonth: subscription.fromMonth,
      months: subscription.months,
      additionalNumbers: [...subscription.additionalNumbers].sort(),
    });

    const withTwoAdditional = sold("a-sub", "900000001", ["900000003", "900000002"], "p-1");
    const withNone = sold("b-sub", "900000001", [], null);
    const ofOther = sold("c-sub", "900000004", ["900000005"], "p-1");

    before(async () => {
      database = await openTestDatabase(dialect);
      subscriptions = subscriptionsRepository(database.db);
      await addProduct(database.db, "PROF", "prof", []);
      await addNumbers(database.db, "PROF", [
        "900000001",
        "900000002",
        "900000003",
        "900000004",
        "900000005",
      ]);
      await partnersRepository(database.db).insert({ id: "p-1", name: "Partner One" }, NOW);
      await partnersRepository(database.db).insert({ id: "p-2", name: "Partner Two" }, NOW);
      for (const subscription of [withTwoAdditional, withNone, ofOther])
        await subscriptions.insert(subscription);
    });
    after(() => database.close());

    it("reads a main number's subscriptions with their additional numbers", async () => {
      assert.deepEqual(sorted(await subscriptions.ofMainNumber("900000001")), [
        stored(withTwoAdditional),
        stored(withNone),
      ]);
      assert.deepEqual(
        await subscriptions.ofMainNumber("900000002"),
        [],
        "an additional number is no main number",
      );
    });

    it("finds the subscriptions covering numbers as main or as additional number, each once", async () => {
      assert.deepEqual(sorted(await subscriptions.covering(["900000002"])), [stored(withTwoAdditional)]);
      assert.deepEqual(sorted(await subscriptions.covering(["900000002", "900000003", "900000004"])), [
        stored(withTwoAdditional),
        stored(ofOther),
      ]);
      assert.deepEqual(sorted(await subscriptions.covering(["900000004"])), [stored(ofOther)]);
      database.queries.length = 0;
      assert.deepEqual(await subscriptions.covering([]), []);
      assert.equal(database.queries.length, 0);
    });

    it("knows the numbers a partner sold a subscription for, main or additional", async () => {
      assert.equal(await subscriptions.soldBy("p-1", "900000001"), true, "main number");
      assert.equal(await subscriptions.soldBy("p-1", "900000005"), true, "additional number");
      assert.equal(await subscriptions.soldBy("p-2", "900000001"), false);
      assert.equal(await subscriptions.soldBy("p-1", "900000009"), false);
    });
  });
}
