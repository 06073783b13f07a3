import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { availableDialects, type TestApp } from "../support/harness.ts";
import {
  auditActions,
  clientHolding,
  issueRegistered,
  type PartnerLogin,
  startRegistrationApp,
  subscribe,
} from "../support/registration-fixtures.ts";

for (const dialect of await availableDialects()) {
  describe(`support subscriptions on ${dialect}`, () => {
    let t: TestApp;
    let alpha: PartnerLogin;
    before(async () => {
      ({ t, alpha } = await startRegistrationApp(dialect));
    });
    after(() => t.close());

    it("records a subscription with additional numbers; support shows until its last day", async () => {
      const main = await issueRegistered(t, "ENT-PROF", { pin: false });
      const extra = await issueRegistered(t, "HR-CORP", { pin: false });
      const client = await clientHolding(t, alpha.token, [main.registrationNumber, extra.registrationNumber]);
      const before = await t.request({ method: "GET", url: "/api/v1/me/products", token: client.token });
      assert.ok(
        before.json().every((p: { support: { coveredThisMonth: boolean } }) => !p.support.coveredThisMonth),
      );

      const recorded = await subscribe(t, alpha.token, main.registrationNumber, "2026-10", 4, [
        extra.registrationNumber,
      ]);
      assert.equal(recorded.toMonth, "2027-01");
      const after = await t.request({ method: "GET", url: "/api/v1/me/products", token: client.token });
      for (const product of after.json()) {
        assert.deepEqual(product.support, { coveredThisMonth: true, until: "2027-01-31" });
      }
      // After the span, coverage ends.
      t.clock.set("2027-02-01T00:00:00Z");
      const later = await t.upkeep.services.registrations.myProducts(
        (await t.upkeep.services.accounts.findByLogin(client.userCode))!,
      );
      assert.ok(later.every((p) => !p.support.coveredThisMonth));
      t.clock.set("2026-11-16T10:00:00.000Z");

      const audit = await auditActions(t, "subscription.create");
      assert.ok(
        audit.some(
          (a) => a.actor_id === alpha.user.id && JSON.parse(a.details).mainNumber === main.registrationNumber,
        ),
      );
    });

    it("refuses bad months, unknown numbers, and users", async () => {
      const main = await issueRegistered(t, "ENT-PROF", { pin: false });
      const badMonth = await t.request({
        method: "POST",
        url: "/api/v1/partner/subscriptions",
        token: alpha.token,
        body: {
          registrationNumber: main.registrationNumber,
          fromMonth: "2026-13",
          months: 1,
          additionalNumbers: [],
        },
      });
      assert.equal(badMonth.statusCode, 400);
      const unknown = await t.request({
        method: "POST",
        url: "/api/v1/partner/subscriptions",
        token: alpha.token,
        body: {
          registrationNumber: main.registrationNumber,
          fromMonth: "2026-11",
          months: 1,
          additionalNumbers: ["9999999998"],
        },
      });
      assert.equal(unknown.statusCode, 404);
      const { token } = await t.signUp("user");
      const user = await t.request({
        method: "POST",
        url: "/api/v1/partner/subscriptions",
        token,
        body: {
          registrationNumber: main.registrationNumber,
          fromMonth: "2026-11",
          months: 1,
          additionalNumbers: [],
        },
      });
      assert.equal(user.statusCode, 403);
    });
  });
}
