import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { isUniqueViolation } from "../../src/db/errors.ts";
import { type HoldingsRepository, holdingsRepository } from "../../src/db/repositories/holdings.ts";
import { partnersRepository } from "../../src/db/repositories/partners.ts";
import { subscriptionsRepository } from "../../src/db/repositories/subscriptions.ts";
import { usersRepository } from "../../src/db/repositories/users.ts";
import { openTestDatabase, type TestDatabase } from "../support/database.ts";
import { availableDialects } from "../support/harness.ts";
import { addNumbers, addProduct, newUser } from "../support/repository-fixtures.ts";

const NOW = new Date("2026-11-16T10:00:00.000Z");

for (const dialect of await availableDialects()) {
  describe(`holdings repository on ${dialect}`, () => {
    let database: TestDatabase;
    let holdings: HoldingsRepository;
    const addUser = (login: string, partnerId: string | null = null) =>
      usersRepository(database.db).insert(NOW, newUser(login, "user", partnerId));
    const authorize = (userId: string, numbers: string[], partnerId: string | null = null) =>
      holdings.authorize(NOW, { numbers, userId, method: partnerId ? "partner" : "pin", partnerId });

    before(async () => {
      database = await openTestDatabase(dialect);
      holdings = holdingsRepository(database.db);
      await addProduct(database.db, "ACC-BASIC", "basic", ["ACC"]);
      await addProduct(database.db, "ACC-PROF", "prof", ["ACC", "ACC-EXTRA"]);
      await addProduct(database.db, "HR-BASIC", "basic", ["HR"]);
      await addNumbers(database.db, "ACC-BASIC", ["500000001", "500000002"]);
      await addNumbers(database.db, "HR-BASIC", ["500000003"]);
      await addNumbers(database.db, "ACC-PROF", ["600000001", "600000002", "600000003", "600000004"]);
    });
    after(() => database.close());

    it("reads a basic-only holder's numbers in one statement, without looking up subscriptions", async () => {
      const user = await addUser("basic-holder");
      await authorize(user.id, ["500000003", "500000001"]);
      database.queries.length = 0;
      const held = await holdings.holdingsOf(user.id);
      assert.equal(database.queries.length, 1, database.queries.join("\n"));
      assert.doesNotMatch(database.queries[0]!, /subscriptions/);
      assert.deepEqual(held, {
        numbers: [
          {
            registrationNumber: "500000001",
            product: "ACC-BASIC",
            edition: "basic",
            configurations: ["ACC"],
            purchaseDate: null,
            freeSupportMonths: 0,
          },
          {
            registrationNumber: "500000003",
            product: "HR-BASIC",
            edition: "basic",
            configurations: ["HR"],
            purchaseDate: null,
            freeSupportMonths: 0,
          },
        ],
        subscriptions: [],
      });
    });

    it("reads a PROF holder's subscriptions, by main or additional number, in a second statement", async () => {
      const user = await addUser("prof-holder");
      await authorize(user.id, ["600000001", "600000003", "500000002"]);
      const subscriptions = subscriptionsRepository(database.db);
      const sold = { partnerId: null, createdBy: null, createdAt: NOW.toISOString(), months: 12 };
      // Main number held.
      await subscriptions.insert({
        ...sold,
        id: "s-main",
        mainNumber: "600000001",
        fromMonth: "2026-01",
        additionalNumbers: ["600000002", "600000004"],
      });
      // Only an additional number held.
      await subscriptions.insert({
        ...sold,
        id: "s-extra",
        mainNumber: "600000002",
        fromMonth: "2027-01",
        additionalNumbers: ["600000003"],
      });
      // Nothing held.
      await subscriptions.insert({
        ...sold,
        id: "s-other",
        mainNumber: "600000004",
        fromMonth: "2026-01",
        additionalNumbers: [],
      });
      database.queries.length = 0;
      const held = await holdings.holdingsOf(user.id);
      assert.equal(database.queries.length, 2, database.queries.join("\n"));
      assert.deepEqual(
        held.numbers.map((n) => [n.registrationNumber, n.edition, [...n.configurations].sort()]),
        [
          ["500000002", "basic", ["ACC"]],
          ["600000001", "prof", ["ACC", "ACC-EXTRA"]],
          ["600000003", "prof", ["ACC", "ACC-EXTRA"]],
        ],
      );
      const byMain = held.subscriptions
        .map((s) => ({ ...s, additionalNumbers: [...s.additionalNumbers].sort() }))
        .sort((a, b) => a.mainNumber.localeCompare(b.mainNumber));
      assert.deepEqual(byMain, [
        {
          mainNumber: "600000001",
          fromMonth: "2026-01",
          months: 12,
          additionalNumbers: ["600000002", "600000004"],
        },
        { mainNumber: "600000002", fromMonth: "2027-01", months: 12, additionalNumbers: ["600000003"] },
      ]);
    });

    it("holds nothing for an account without numbers", async () => {
      const user = await addUser("empty-holder");
      assert.deepEqual(await holdings.holdingsOf(user.id), { numbers: [], subscriptions: [] });
    });

    it("builds the two holdings queries once, on their first use", async () => {
      const { db } = database;
      let built = 0;
      const counting = new Proxy(db, {
        get(target, property, receiver) {
          if (property === "selectFrom") built++;
          const value = Reflect.get(target, property, receiver);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
      const repository = holdingsRepository(counting);
      assert.equal(built, 0, "a repository made for a transaction builds nothing");
      const holder = (await usersRepository(db).findByLogin("prof-holder"))!.user;
      for (let i = 0; i < 3; i++) await repository.holdingsOf(holder.id);
      assert.equal(built, 2);
    });

    it("authorises a number on one account only", async () => {
      const first = await addUser("first-claim");
      const second = await addUser("second-claim");
      await addNumbers(database.db, "ACC-BASIC", ["700000001"]);
      assert.equal(await holdings.isAuthorized("700000001"), false);
      await authorize(first.id, ["700000001"]);
      assert.equal(await holdings.isAuthorized("700000001"), true);
      await assert.rejects(authorize(second.id, ["700000001"]), (error) => isUniqueViolation(error));
    });

    it("names each holder of some numbers once", async () => {
      const holder = await addUser("many-numbers");
      await addNumbers(database.db, "ACC-BASIC", ["700000002", "700000003"]);
      await authorize(holder.id, ["700000002", "700000003"]);
      assert.deepEqual(await holdings.holdersOf(["700000002", "700000003", "700000009"]), [holder.id]);
      database.queries.length = 0;
      assert.deepEqual(await holdings.holdersOf([]), []);
      assert.equal(database.queries.length, 0);
    });

    it("lists accounts' numbers with their products, purchase dates and authorising partners", async () => {
      const holder = (await usersRepository(database.db).findByLogin("prof-holder"))!.user;
      const basic = (await usersRepository(database.db).findByLogin("basic-holder"))!.user;
      const numbers = await holdings.accountNumbers([holder.id, basic.id]);
      const row = (registrationNumber: string, productCode: string, userId: string) => ({
        userId,
        registrationNumber,
        productCode,
        purchaseDate: null,
        authorizedBy: null,
      });
      assert.deepEqual(
        numbers.filter((n) => n.userId === holder.id),
        [
          row("500000002", "ACC-BASIC", holder.id),
          row("600000001", "ACC-PROF", holder.id),
          row("600000003", "ACC-PROF", holder.id),
        ],
      );
      assert.deepEqual(
        numbers.filter((n) => n.userId === basic.id).map((n) => n.registrationNumber),
        ["500000001", "500000003"],
      );
      assert.deepEqual(await holdings.accountNumbers([]), []);
    });

    it("knows the numbers a partner authorised or its clients hold", async () => {
      const partners = partnersRepository(database.db);
      await partners.insert({ id: "p-1", name: "Partner One" }, NOW);
      await partners.insert({ id: "p-2", name: "Partner Two" }, NOW);
      await addNumbers(database.db, "ACC-BASIC", ["800000001", "800000002"]);
      const client = await addUser("client-of-one", "p-1");
      const selfRegistered = await addUser("self-registered");
      await authorize(client.id, ["800000001"]);
      await authorize(selfRegistered.id, ["800000002"], "p-2");
      assert.equal(await holdings.heldThroughPartner("p-1", "800000001"), true, "its client's");
      assert.equal(await holdings.heldThroughPartner("p-2", "800000002"), true, "authorised by it");
      assert.equal(await holdings.heldThroughPartner("p-2", "800000001"), false);
      assert.equal(await holdings.heldThroughPartner("p-1", "800000002"), false);
      assert.deepEqual(
        (await holdings.accountNumbers([selfRegistered.id])).map((n) => n.authorizedBy),
        ["p-2"],
        "who authorised each number",
      );
      const accounts = await partners.accountsOf("p-2");
      assert.deepEqual(
        accounts.map((a) => [a.userCode, a.registeredBy]),
        [["self-registered", null]],
        "the accounts a partner authorised numbers on, though it did not register them",
      );
      assert.deepEqual(
        (await partners.accountsOf("p-1")).map((a) => [a.userCode, a.registeredBy]),
        [["client-of-one", "p-1"]],
      );
    });
  });
}
