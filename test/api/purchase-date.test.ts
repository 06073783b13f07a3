import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { dateElectronicDeliveries } from "../../src/db/migrations/005-pin-attempts.ts";
import { availableDialects, startTestApp, type TestApp } from "../support/harness.ts";
import {
  issue,
  organization,
  partnerAccount,
  recordCard,
  register,
  registrationCatalogue,
} from "../support/registration-fixtures.ts";

const TODAY = "2026-11-16"; // the test clock's day

for (const dialect of await availableDialects()) {
  describe(`purchase dates on ${dialect}`, () => {
    let t: TestApp;
    let alpha: { token: string };
    before(async () => {
      t = await startTestApp(dialect);
      await registrationCatalogue(t);
      alpha = await partnerAccount(t, "Partner Alpha");
    });
    after(() => t.close());

    const purchaseDateOf = async (number: string) =>
      (
        await t.upkeep.database.db
          .selectFrom("registration_numbers")
          .select("purchase_date")
          .where("number", "=", number)
          .executeTakeFirstOrThrow()
      ).purchase_date;
    const issueWith = (purchaseDate: unknown, vendorRegistered = true) =>
      t.request({
        method: "POST",
        url: "/api/v1/admin/registration-numbers",
        token: t.adminToken,
        body: { product: "ENT-PROF6", count: 2, pin: true, vendorRegistered, purchaseDate },
      });
    const issuedCount = async () =>
      Number(
        (
          await t.upkeep.database.db
            .selectFrom("registration_numbers")
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it("a PROF electronic delivery issued today self-registers with its PIN: its free months start at issue", async () => {
      const [item] = await issue(t, "ENT-PROF6", 1, { vendorRegistered: true });
      assert.equal(await purchaseDateOf(item!.registrationNumber), TODAY);
      const response = await register(t, item!.registrationNumber, item!.pin!);
      assert.equal(response.statusCode, 201, response.body);
      const user = await t.upkeep.services.accounts.findByLogin(item!.registrationNumber);
      const [product] = await t.upkeep.services.registrations.myProducts(user!);
      assert.deepEqual(product!.support, { coveredThisMonth: true, until: "2027-05-15" });
      // Without a registration card, a delivery issued unregistered has no purchase date yet.
      const [boxed] = await issue(t, "ENT-PROF6", 1, { vendorRegistered: false });
      assert.equal(await purchaseDateOf(boxed!.registrationNumber), null);
    });

    it("dates electronic deliveries issued before issue did so from their issue day, and nothing else", async () => {
      const [electronic] = await issue(t, "ENT-PROF6", 1, { vendorRegistered: true });
      const [boxed] = await issue(t, "ENT-PROF6", 1, { vendorRegistered: false });
      const [carded] = await issue(t, "ENT-PROF6", 1, { vendorRegistered: false });
      await recordCard(t, carded!.registrationNumber, "2026-10-01");
      const { db } = t.upkeep.database;
      // As an electronic delivery issued on an earlier day was stored: no purchase date.
      await db
        .updateTable("registration_numbers")
        .set({
          purchase_date: null,
          issued_at: "2026-09-30T08:00:00.000Z",
          vendor_registered_at: "2026-09-30T08:00:00.000Z",
        })
        .where("number", "=", electronic!.registrationNumber)
        .execute();
      await dateElectronicDeliveries(db);
      assert.equal(await purchaseDateOf(electronic!.registrationNumber), "2026-09-30");
      assert.equal(await purchaseDateOf(boxed!.registrationNumber), null);
      assert.equal(await purchaseDateOf(carded!.registrationNumber), "2026-10-01");
    });

    it("an electronic delivery sold two years ago is refused as needing a subscription", async () => {
      const [item] = await issue(t, "ENT-PROF6", 1, { vendorRegistered: true, purchaseDate: "2024-11-16" });
      assert.equal(await purchaseDateOf(item!.registrationNumber), "2024-11-16");
      const response = await register(t, item!.registrationNumber, item!.pin!);
      assert.equal(response.statusCode, 403);
      assert.equal(response.json().code, "support_subscription_required");
    });

    it("refuses a purchase date in the future or before 1991 at issue, naming the field, issuing nothing", async () => {
      const before = await issuedCount();
      for (const purchaseDate of ["2026-11-17", "1990-12-31", "2026-02-30"]) {
        for (const vendorRegistered of [true, false]) {
          const response = await issueWith(purchaseDate, vendorRegistered);
          assert.equal(response.statusCode, 400, `${purchaseDate}: ${response.body}`);
          assert.equal(response.json().code, "invalid_date");
          assert.equal(response.json().field, "purchaseDate");
        }
      }
      assert.equal(await issuedCount(), before);
      // Today and 1991-01-01 are the bounds, both accepted.
      assert.equal((await issueWith(TODAY)).statusCode, 201);
      assert.equal((await issueWith("1991-01-01")).statusCode, 201);
    });

    it("refuses the same dates on a registration card, a registration form and a partner's client form", async () => {
      const [item] = await issue(t, "ACC-BASIC", 1);
      for (const purchaseDate of ["2026-11-17", "1990-12-31"]) {
        const card = await t.request({
          method: "POST",
          url: `/api/v1/admin/registration-numbers/${item!.registrationNumber}/card`,
          token: t.adminToken,
          body: { organization: organization(t, { purchaseDate }) },
        });
        assert.equal(card.statusCode, 400, card.body);
        assert.deepEqual(
          card.json().fields.map((f: { field: string }) => f.field),
          ["purchaseDate"],
        );

        const form = await register(t, item!.registrationNumber, item!.pin!, { purchaseDate });
        assert.equal(form.statusCode, 400, form.body);
        assert.deepEqual(
          form.json().fields.map((f: { field: string }) => f.field),
          ["purchaseDate"],
        );

        const client = await t.request({
          method: "POST",
          url: "/api/v1/partner/users",
          token: alpha.token,
          body: {
            organization: organization(t, { purchaseDate }),
            registrationNumbers: [item!.registrationNumber],
          },
        });
        assert.equal(client.statusCode, 400, client.body);
        assert.deepEqual(
          client.json().fields.map((f: { field: string }) => f.field),
          ["purchaseDate"],
        );
      }
      assert.equal(await purchaseDateOf(item!.registrationNumber), null);
      await recordCard(t, item!.registrationNumber, "1991-01-01");
      assert.equal(await purchaseDateOf(item!.registrationNumber), "1991-01-01");
    });
  });
}
