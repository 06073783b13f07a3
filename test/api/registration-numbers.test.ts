import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { availableDialects, type TestApp } from "../support/harness.ts";
import {
  auditActions,
  clientHolding,
  issue,
  issueRegistered,
  organization,
  type PartnerLogin,
  register,
  startRegistrationApp,
} from "../support/registration-fixtures.ts";

for (const dialect of await availableDialects()) {
  describe(`registration numbers on ${dialect}`, () => {
    let t: TestApp;
    let alpha: PartnerLogin;
    before(async () => {
      ({ t, alpha } = await startRegistrationApp(dialect));
    });
    after(() => t.close());

    describe("issuing registration numbers", () => {
      it("issues numbers with random 16-digit PINs, stored only as HMAC under the server key", async () => {
        const items = await issue(t, "ACC-BASIC", 5);
        assert.equal(items.length, 5);
        assert.equal(new Set(items.map((i) => i.registrationNumber)).size, 5);
        for (const item of items) {
          assert.match(item.registrationNumber, /^[1-9][0-9]{9}$/);
          assert.match(item.pin!, /^[0-9]{16}$/);
        }
        assert.equal(new Set(items.map((i) => i.pin)).size, 5);

        const keyFile = join(t.environment.dataDir, "secrets", "pin-key");
        assert.equal(statSync(keyFile).mode & 0o777, 0o600);
        const key = Buffer.from(readFileSync(keyFile, "utf8").trim(), "hex");
        assert.ok(key.length >= 32);
        const rows = await t.upkeep.database.db
          .selectFrom("registration_numbers")
          .selectAll()
          .where(
            "number",
            "in",
            items.map((i) => i.registrationNumber),
          )
          .execute();
        assert.equal(rows.length, 5);
        for (const row of rows) {
          const item = items.find((i) => i.registrationNumber === row.number)!;
          const expected = createHmac("sha256", key).update(`${row.number}:${item.pin}`).digest("hex");
          assert.equal(row.pin_hash, expected);
          // The plain PIN is nowhere in the row.
          assert.ok(!JSON.stringify(row).includes(item.pin!));
          assert.equal(row.vendor_registered_at, null);
        }
        const audit = await auditActions(t, "registration_numbers.issue");
        assert.ok(audit.some((a) => a.actor_id === t.admin.id && JSON.parse(a.details).count === 5));
      });

      it("issues numbers without PINs, and electronic deliveries registered already", async () => {
        const plain = await issue(t, "ACC-BASIC", 2, { pin: false, vendorRegistered: true });
        assert.ok(plain.every((i) => i.pin === undefined));
        const row = await t.upkeep.database.db
          .selectFrom("registration_numbers")
          .selectAll()
          .where("number", "=", plain[0]!.registrationNumber)
          .executeTakeFirstOrThrow();
        assert.equal(row.pin_hash, null);
        assert.equal(row.vendor_registered_at, t.clock.now().toISOString());
      });

      it("exports the envelopes as CSV at issue", async () => {
        const response = await t.request({
          method: "POST",
          url: "/api/v1/admin/registration-numbers",
          token: t.adminToken,
          headers: { accept: "text/csv" },
          body: { product: "ACC-BASIC", count: 3, pin: true },
        });
        assert.equal(response.statusCode, 201);
        assert.match(response.headers["content-type"] as string, /^text\/csv/);
        assert.match(
          response.headers["content-disposition"] as string,
          /attachment; filename="pin-envelopes-ACC-BASIC.csv"/,
        );
        const lines = response.body.trim().split(/\r\n/);
        assert.equal(lines[0], "registrationNumber,pin,product");
        assert.equal(lines.length, 4);
        for (const line of lines.slice(1))
          assert.match(line, /^[0-9]{10},[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{4},ACC-BASIC$/);
      });

      it("refuses non-admins, unknown products and bad counts", async () => {
        const { token } = await t.signUp("user");
        const body = { product: "ACC-BASIC", count: 1, pin: true };
        const user = await t.request({
          method: "POST",
          url: "/api/v1/admin/registration-numbers",
          token,
          body,
        });
        assert.equal(user.statusCode, 403);
        const partner = await t.request({
          method: "POST",
          url: "/api/v1/admin/registration-numbers",
          token: alpha.token,
          body,
        });
        assert.equal(partner.statusCode, 403);
        const unknown = await t.request({
          method: "POST",
          url: "/api/v1/admin/registration-numbers",
          token: t.adminToken,
          body: { ...body, product: "NOPE" },
        });
        assert.equal(unknown.statusCode, 404);
        assert.equal(unknown.json().code, "product_not_found");
        const zero = await t.request({
          method: "POST",
          url: "/api/v1/admin/registration-numbers",
          token: t.adminToken,
          body: { ...body, count: 0 },
        });
        assert.equal(zero.statusCode, 400);
        assert.equal(zero.json().code, "validation_failed");
      });
    });

    describe("registration card", () => {
      it("a number registers on the site only after the vendor recorded its card", async () => {
        const [item] = await issue(t, "ACC-BASIC", 1);
        const early = await register(t, item!.registrationNumber, item!.pin!);
        assert.equal(early.statusCode, 403);
        assert.equal(early.json().code, "not_vendor_registered");

        const incomplete = await t.request({
          method: "POST",
          url: `/api/v1/admin/registration-numbers/${item!.registrationNumber}/card`,
          token: t.adminToken,
          body: { organization: { ...organization(t), head: "" } },
        });
        assert.equal(incomplete.statusCode, 400);
        assert.equal(incomplete.json().code, "validation_failed");

        const card = await t.request({
          method: "POST",
          url: `/api/v1/admin/registration-numbers/${item!.registrationNumber}/card`,
          token: t.adminToken,
          body: { organization: organization(t, { purchaseDate: "2026-10-02" }) },
        });
        assert.equal(card.statusCode, 200);
        assert.equal(card.json().purchaseDate, "2026-10-02");
        const audit = await auditActions(t, "registration_number.card");
        assert.ok(audit.some((a) => a.subject === `registration_number:${item!.registrationNumber}`));

        const later = await register(t, item!.registrationNumber, item!.pin!);
        assert.equal(later.statusCode, 201, later.body);
      });

      it("an electronic delivery issued registered needs no card", async () => {
        const [item] = await issue(t, "ACC-BASIC", 1, { vendorRegistered: true });
        const response = await register(t, item!.registrationNumber, item!.pin!);
        assert.equal(response.statusCode, 201, response.body);
      });
    });

    describe("malformed registration numbers", () => {
      const numberProblem = {
        field: "registrationNumber",
        message: "must be a registration number of 8 to 12 digits",
      };

      it("answers validation_failed with the field on registration, with the organisation's problems", async () => {
        const response = await register(t, "12-34", "1234567890123456");
        assert.equal(response.statusCode, 400);
        assert.equal(response.json().code, "validation_failed");
        assert.deepEqual(response.json().fields, [numberProblem]);
        const both = await t.request({
          method: "POST",
          url: "/api/v1/registrations",
          body: {
            registrationNumber: "abc",
            pin: "1234567890123456",
            organization: { ...organization(t), head: "" },
          },
        });
        assert.equal(both.statusCode, 400);
        assert.equal(both.json().code, "validation_failed");
        assert.deepEqual(both.json().fields, [numberProblem, { field: "head", message: "is required" }]);
      });

      it("answers validation_failed with the field on the account and partner routes", async () => {
        const { token } = await t.signUp("user");
        const mine = await t.request({
          method: "POST",
          url: "/api/v1/me/products",
          token,
          body: { registrationNumber: "1234", pin: "1234567890123456" },
        });
        assert.equal(mine.statusCode, 400);
        assert.equal(mine.json().code, "validation_failed");
        assert.deepEqual(mine.json().fields, [numberProblem]);

        const good = await issueRegistered(t, "ACC-BASIC", { pin: false });
        const client = await t.request({
          method: "POST",
          url: "/api/v1/partner/users",
          token: alpha.token,
          body: { organization: organization(t), registrationNumbers: [good.registrationNumber, "x1"] },
        });
        assert.equal(client.statusCode, 400);
        assert.equal(client.json().code, "validation_failed");
        assert.deepEqual(client.json().fields, [{ ...numberProblem, field: "registrationNumbers[1]" }]);

        const holder = await clientHolding(t, alpha.token, [good.registrationNumber]);
        const authorized = await t.request({
          method: "POST",
          url: `/api/v1/partner/users/${holder.userCode}/products`,
          token: alpha.token,
          body: { registrationNumber: "1234567890123" },
        });
        assert.equal(authorized.statusCode, 400);
        assert.equal(authorized.json().code, "validation_failed");
        assert.deepEqual(authorized.json().fields, [numberProblem]);
      });
    });
  });
}
