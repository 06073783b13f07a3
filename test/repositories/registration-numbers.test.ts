import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { inTransaction } from "../../src/db/repositories/index.ts";
import {
  type RegistrationNumbersRepository,
  registrationNumbersRepository,
} from "../../src/db/repositories/registration-numbers.ts";
import { openTestDatabase, type TestDatabase } from "../support/database.ts";
import { availableDialects } from "../support/harness.ts";
import { addNumbers, addProduct } from "../support/repository-fixtures.ts";

const AT = "2026-11-16T10:00:00.000Z";
const LATER = "2026-11-16T10:30:00.000Z";
const failure = (failures: number, lastFailureAt: string, lockedUntil: string | null = null) => ({
  failures,
  lockedUntil,
  lastFailureAt,
});

for (const dialect of await availableDialects()) {
  describe(`registration numbers repository on ${dialect}`, () => {
    let database: TestDatabase;
    let numbers: RegistrationNumbersRepository;
    before(async () => {
      database = await openTestDatabase(dialect);
      numbers = registrationNumbersRepository(database.db);
      await addProduct(database.db, "BASIC", "basic", []);
    });
    after(() => database.close());

    const issued = (number: string, pinHash: string | null = null) => ({
      number,
      product_code: "BASIC",
      pin_hash: pinHash,
      vendor_registered_at: null,
      card: null,
      purchase_date: null,
      issued_at: AT,
      issued_by: null,
    });

    it("stores new numbers with their PIN hashes and skips those that exist", async () => {
      assert.deepEqual((await numbers.insertNew([issued("100000001", "ab")])).sort(), ["100000001"]);
      const stored = await numbers.insertNew([issued("100000001", "cd"), issued("100000002")]);
      assert.deepEqual(stored, ["100000002"]);
      assert.deepEqual(await numbers.find("100000001"), issued("100000001", "ab"));
      assert.equal(await numbers.find("100000009"), undefined);
      assert.deepEqual((await numbers.existing(["100000002", "100000009", "100000001"])).sort(), [
        "100000001",
        "100000002",
      ]);
    });

    it("records a registration card and fills in only missing purchase dates", async () => {
      await addNumbers(database.db, "BASIC", ["200000001", "200000002"]);
      await numbers.recordCard("200000001", {
        vendorRegisteredAt: AT,
        card: '{"name":"Acme"}',
        purchaseDate: "2026-10-01",
      });
      const carded = await numbers.find("200000001");
      assert.equal(carded?.card, '{"name":"Acme"}');
      assert.equal(carded?.vendor_registered_at, AT);
      await numbers.setMissingPurchaseDates(["200000001", "200000002"], "2026-11-01");
      assert.equal((await numbers.find("200000001"))?.purchase_date, "2026-10-01");
      assert.equal((await numbers.find("200000002"))?.purchase_date, "2026-11-01");
    });

    it("counts wrong PINs per number in one daily row and per address apart", async () => {
      await addNumbers(database.db, "BASIC", ["300000001"]);
      const number = "300000001";
      const fresh = await inTransaction(database.db, (repos) =>
        repos.registrationNumbers.lockPinAttempts(number, AT),
      );
      assert.deepEqual(fresh, failure(0, AT));
      assert.equal(await numbers.addressPinAttempts(number, "192.0.2.1"), undefined);

      await inTransaction(database.db, async (repos) => {
        await repos.registrationNumbers.lockPinAttempts(number, AT);
        await repos.registrationNumbers.saveFailure(number, "192.0.2.1", {
          number: failure(1, AT),
          address: failure(1, AT),
        });
      });
      await inTransaction(database.db, async (repos) => {
        await repos.registrationNumbers.lockPinAttempts(number, LATER);
        await repos.registrationNumbers.saveFailure(number, "192.0.2.2", {
          number: failure(2, LATER),
          address: failure(1, LATER, "2026-11-16T11:30:00.000Z"),
        });
      });
      // One row for the number, whatever the address; the row is not made again once it exists.
      const daily = await database.db
        .selectFrom("pin_attempts")
        .selectAll()
        .where("registration_number", "=", number)
        .execute();
      assert.equal(daily.length, 1);
      assert.deepEqual(
        await inTransaction(database.db, (repos) => repos.registrationNumbers.lockPinAttempts(number, LATER)),
        failure(2, LATER),
      );
      assert.deepEqual(await numbers.addressPinAttempts(number, "192.0.2.1"), failure(1, AT));
      assert.deepEqual(
        await numbers.addressPinAttempts(number, "192.0.2.2"),
        failure(1, LATER, "2026-11-16T11:30:00.000Z"),
      );

      // A count that failed long ago and is not locked is dropped; a locked one stays.
      await numbers.dropSpentAddressCounts(number, AT, LATER);
      assert.equal(await numbers.addressPinAttempts(number, "192.0.2.1"), undefined);
      await numbers.dropSpentAddressCounts(number, LATER, LATER);
      assert.ok(await numbers.addressPinAttempts(number, "192.0.2.2"), "locked until 11:30");

      assert.equal(await numbers.pinLocked(number, LATER), true, "one address is locked");
      assert.equal(await numbers.pinLocked(number, "2026-11-16T11:30:00.000Z"), false, "the lock ran out");
      await numbers.clearPinFailures(number);
      assert.equal(await numbers.addressPinAttempts(number, "192.0.2.2"), undefined);
      assert.equal(await numbers.pinLocked(number, LATER), false);
      assert.deepEqual(
        await inTransaction(database.db, (repos) => repos.registrationNumbers.lockPinAttempts(number, LATER)),
        failure(0, LATER),
        "counted again from nothing",
      );
    });

    it("sees a number locked for all addresses", async () => {
      await addNumbers(database.db, "BASIC", ["300000002"]);
      await inTransaction(database.db, async (repos) => {
        await repos.registrationNumbers.lockPinAttempts("300000002", AT);
        await repos.registrationNumbers.saveFailure("300000002", "192.0.2.1", {
          number: failure(20, AT, "2026-11-17T00:00:00.000Z"),
          address: failure(1, AT),
        });
      });
      await numbers.dropSpentAddressCounts("300000002", LATER, LATER);
      assert.equal(await numbers.pinLocked("300000002", LATER), true);
    });

    it("holds a number's attempts row until the commit: the next attempt reads the count after it", async () => {
      await addNumbers(database.db, "BASIC", ["400000001"]);
      const number = "400000001";
      await inTransaction(database.db, (repos) => repos.registrationNumbers.lockPinAttempts(number, AT));
      let firstHolds!: () => void;
      const held = new Promise<void>((resolve) => (firstHolds = resolve));
      const first = inTransaction(database.db, async (repos) => {
        const count = await repos.registrationNumbers.lockPinAttempts(number, AT);
        firstHolds();
        // Long enough for the second attempt to reach the row while this one holds it.
        await new Promise((resolve) => setTimeout(resolve, 200));
        await repos.registrationNumbers.saveFailure(number, "192.0.2.1", {
          number: failure(count.failures + 1, AT),
          address: failure(1, AT),
        });
      });
      await held;
      const second = inTransaction(database.db, (repos) =>
        repos.registrationNumbers.lockPinAttempts(number, LATER),
      );
      await first;
      assert.deepEqual(await second, failure(1, AT));
    });

    it("holds a number's row until the commit, for work on one number at a time", async () => {
      await addNumbers(database.db, "BASIC", ["400000002"]);
      const order: string[] = [];
      let firstHolds!: () => void;
      const held = new Promise<void>((resolve) => (firstHolds = resolve));
      const first = inTransaction(database.db, async (repos) => {
        await repos.registrationNumbers.lock("400000002");
        firstHolds();
        await new Promise((resolve) => setTimeout(resolve, 200));
        order.push("first done");
      });
      await held;
      const second = inTransaction(database.db, async (repos) => {
        await repos.registrationNumbers.lock("400000002");
        order.push("second holds");
      });
      await Promise.all([first, second]);
      assert.deepEqual(order, ["first done", "second holds"]);
      assert.equal(
        (await numbers.find("400000002"))?.issued_at,
        "2026-01-01T00:00:00.000Z",
        "nothing changed",
      );
    });
  });
}
