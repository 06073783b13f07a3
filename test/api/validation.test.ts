import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createConfiguration, createRelease } from "../support/catalogue-fixtures.ts";
import { availableDialects, startTestApp, type TestApp } from "../support/harness.ts";
import { issueRegistered, partnerAccount, registrationCatalogue } from "../support/registration-fixtures.ts";

for (const dialect of await availableDialects()) {
  describe(`input validation on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(dialect);
      await createConfiguration(t, "HRM");
      await createRelease(t, { version: "3.0.9.28", updateFrom: ["3.0.8.1"] });
      await registrationCatalogue(t);
    });
    after(() => t.close());

    describe("subscriptions", () => {
      let alpha: { token: string };
      let beta: { token: string };
      before(async () => {
        alpha = await partnerAccount(t, "Partner Alpha");
        beta = await partnerAccount(t, "Partner Beta");
      });
      const record = (token: string, body: Record<string, unknown>) =>
        t.request({ method: "POST", url: "/api/v1/partner/subscriptions", token, body });
      const numbers = async (count: number) => {
        const issued = [];
        for (let i = 0; i < count; i++)
          issued.push((await issueRegistered(t, "ENT-PROF", { pin: false })).registrationNumber);
        return issued;
      };
      const rowsOf = async (mainNumber: string) => {
        const rows = await t.upkeep.database.db
          .selectFrom("subscriptions")
          .select("id")
          .where("main_number", "=", mainNumber)
          .execute();
        const audit = await t.upkeep.database.db
          .selectFrom("audit_log")
          .select("subject")
          .where("action", "=", "subscription.create")
          .where("subject", "in", rows.length > 0 ? rows.map((row) => `subscription:${row.id}`) : ["-"])
          .execute();
        return { subscriptions: rows.length, audits: audit.length };
      };

      it("keeps months in range and names the field that is out of it", async () => {
        const [main] = await numbers(1);
        const cases: Array<[Record<string, unknown>, string]> = [
          [{ fromMonth: "1990-12", months: 12 }, "fromMonth"],
          [{ fromMonth: "0001-01", toMonth: "0001-02" }, "fromMonth"],
          [{ fromMonth: "2026-11", toMonth: "2026-10" }, "toMonth"],
          [{ fromMonth: "2026-11", toMonth: "2036-11" }, "toMonth"],
          [{ fromMonth: "2026-11", toMonth: "2027-13" }, "toMonth"],
          [{ fromMonth: "2026-11", toMonth: "2027-01", months: 4 }, "months"],
          [{ fromMonth: "9999-06", months: 12 }, "months"],
          [{ fromMonth: "2026-11" }, "months"],
        ];
        for (const [patch, field] of cases) {
          const response = await record(alpha.token, { registrationNumber: main, ...patch });
          assert.equal(response.statusCode, 400, JSON.stringify(patch));
          assert.equal(response.json().code, "invalid_subscription");
          assert.equal(response.json().field, field, JSON.stringify(patch));
        }
        assert.deepEqual(await rowsOf(main!), { subscriptions: 0, audits: 0 });

        const byLastMonth = await record(alpha.token, {
          registrationNumber: main,
          fromMonth: "2026-11",
          toMonth: "2036-10",
        });
        assert.equal(byLastMonth.statusCode, 201, byLastMonth.body);
        assert.equal(byLastMonth.json().months, 120);
        assert.equal(byLastMonth.json().toMonth, "2036-10");
      });

      it("records the same subscription once: again it answers 200 with the first one", async () => {
        const [main, extra1, extra2] = await numbers(3);
        const body = {
          registrationNumber: main,
          fromMonth: "2026-11",
          months: 12,
          additionalNumbers: [extra1, extra2],
        };
        const first = await record(alpha.token, body);
        assert.equal(first.statusCode, 201, first.body);
        const again = await record(alpha.token, { ...body, additionalNumbers: [extra2, extra1] });
        assert.equal(again.statusCode, 200, again.body);
        assert.equal(again.json().id, first.json().id);
        // The same span given by its last month is the same subscription.
        const byLastMonth = await record(alpha.token, { ...body, months: undefined, toMonth: "2027-10" });
        assert.equal(byLastMonth.statusCode, 200, byLastMonth.body);
        assert.equal(byLastMonth.json().id, first.json().id);
        assert.deepEqual(await rowsOf(main!), { subscriptions: 1, audits: 1 });
      });

      it("refuses a different subscription overlapping one of the same main number with 409", async () => {
        const [main, extra, other] = await numbers(3);
        const body = {
          registrationNumber: main,
          fromMonth: "2026-11",
          months: 12,
          additionalNumbers: [extra],
        };
        assert.equal((await record(alpha.token, body)).statusCode, 201);
        const overlapping: Array<[string, Record<string, unknown>]> = [
          ["a longer span", { months: 13 }],
          ["a later start", { fromMonth: "2027-10", months: 1 }],
          ["an earlier start", { fromMonth: "2026-01", months: 11 }],
          ["other additional numbers", { additionalNumbers: [other] }],
          ["no additional numbers", { additionalNumbers: [] }],
        ];
        for (const [what, patch] of overlapping) {
          const response = await record(alpha.token, { ...body, ...patch });
          assert.equal(response.statusCode, 409, what);
          assert.equal(response.json().code, "subscription_overlap", what);
          assert.deepEqual(response.json().overlaps, { fromMonth: "2026-11", toMonth: "2027-10" }, what);
        }
        const otherSeller = await record(beta.token, body);
        assert.equal(otherSeller.statusCode, 409, "the same months sold by another partner");
        const vendor = await record(t.adminToken, body);
        assert.equal(vendor.statusCode, 409, "the same months recorded by the vendor");
        assert.deepEqual(await rowsOf(main!), { subscriptions: 1, audits: 1 });

        // The months before and after are free.
        assert.equal(
          (await record(alpha.token, { ...body, fromMonth: "2027-11", months: 12 })).statusCode,
          201,
        );
        assert.equal(
          (await record(alpha.token, { ...body, fromMonth: "2025-11", months: 12 })).statusCode,
          201,
        );
        assert.deepEqual(await rowsOf(main!), { subscriptions: 3, audits: 3 });
      });

      it("makes one row of the same subscription sent several times at once", async () => {
        const [main, extra] = await numbers(2);
        const body = {
          registrationNumber: main,
          fromMonth: "2026-11",
          months: 6,
          additionalNumbers: [extra],
        };
        const responses = await Promise.all(Array.from({ length: 4 }, () => record(alpha.token, body)));
        assert.deepEqual(
          responses.map((r) => r.statusCode).sort(),
          [200, 200, 200, 201],
          responses.map((r) => r.body).join("\n"),
        );
        assert.equal(new Set(responses.map((r) => r.json().id)).size, 1);
        assert.deepEqual(await rowsOf(main!), { subscriptions: 1, audits: 1 });
      });

      it("records one of two overlapping subscriptions sent at once", async () => {
        const [main] = await numbers(1);
        const responses = await Promise.all([
          record(alpha.token, { registrationNumber: main, fromMonth: "2026-11", months: 6 }),
          record(alpha.token, { registrationNumber: main, fromMonth: "2027-01", months: 6 }),
        ]);
        assert.deepEqual(
          responses.map((r) => r.statusCode).sort(),
          [201, 409],
          responses.map((r) => r.body).join("\n"),
        );
        assert.deepEqual(await rowsOf(main!), { subscriptions: 1, audits: 1 });
      });
    });

    describe("token names", () => {
      const signIn = (login: string, name: string) =>
        t.request({
          method: "POST",
          url: "/api/v1/auth/token",
          body: { login, password: "password-123", name },
        });

      it("refuses control and bidirectional formatting characters in a token's name, issuing nothing", async () => {
        const { user } = await t.signUp("user");
        // Control characters are refused for every field before the route runs; the marks that
        // reorder text are refused by the token-name rule itself.
        for (const name of ["office\u0007pc", "nul\u0000", "line\nbreak"]) {
          const response = await signIn(user.login, name);
          assert.equal(response.statusCode, 400, JSON.stringify(name));
          assert.equal(response.json().code, "invalid_characters");
          assert.equal(response.json().errors[0].path, "body/name");
        }
        for (const name of ["report\u202Efdp.exe", "a\u2066b\u2069", "x\u200Fy"]) {
          const response = await signIn(user.login, name);
          assert.equal(response.statusCode, 400, JSON.stringify(name));
          assert.equal(response.json().code, "invalid_token_name");
          assert.equal(response.json().field, "name");
        }
        const tokens = await t.upkeep.database.db
          .selectFrom("api_tokens")
          .select("name")
          .where("user_id", "=", user.id)
          .execute();
        assert.deepEqual(
          tokens.map((row) => row.name),
          ["api"],
          "only the token the test harness issued",
        );
      });

      it("accepts names in any script", async () => {
        const { user } = await t.signUp("user");
        const response = await signIn(user.login, "Ноутбук бухгалтера (1С 8.3)");
        assert.equal(response.statusCode, 201, response.body);
      });
    });

    describe("versions", () => {
      it("names the field of every invalid version in a new release", async () => {
        const cases: Array<[Record<string, unknown>, string]> = [
          [{ version: "3.0.9" }, "version"],
          [{ minPlatformVersion: "8.3" }, "minPlatformVersion"],
          [{ updateFrom: ["3.0.1.1", "3.0.x.1"] }, "updateFrom[1]"],
        ];
        for (const [patch, field] of cases) {
          const response = await t.request({
            method: "POST",
            url: "/api/v1/admin/releases",
            token: t.adminToken,
            body: {
              configuration: "HRM",
              version: "3.0.10.1",
              releasedOn: "2026-11-01",
              updateFrom: [],
              ...patch,
            },
          });
          assert.equal(response.statusCode, 400, JSON.stringify(patch));
          const problem = response.json();
          assert.equal(problem.code, "invalid_version");
          assert.equal(problem.field, field);
          assert.ok(problem.detail.includes(field), problem.detail);
        }
      });

      it("names the field of every invalid version in a plan request", async () => {
        const { token } = await t.signUp("support");
        const cases: Array<[Record<string, unknown>, string]> = [
          [{ version: "3.0" }, "version"],
          [{ platformVersion: "8.3" }, "platformVersion"],
          [{ target: "3.0.09.28" }, "target"],
        ];
        for (const [patch, field] of cases) {
          const response = await t.request({
            method: "POST",
            url: "/api/v1/updates/plan",
            token,
            body: { configuration: "HRM", version: "3.0.8.1", ...patch },
          });
          assert.equal(response.statusCode, 400, JSON.stringify(patch));
          assert.equal(response.json().code, "invalid_version");
          assert.equal(response.json().field, field);
        }
      });

      it("refuses an empty platformVersion or target in a plan request, even with the plan cached", async () => {
        const { token } = await t.signUp("support");
        const plan = (patch: Record<string, unknown>) =>
          t.request({
            method: "POST",
            url: "/api/v1/updates/plan",
            token,
            body: { configuration: "HRM", version: "3.0.8.1", ...patch },
          });
        // Plans the same request without the fields first, so the empty ones could only be answered from it.
        assert.equal((await plan({})).statusCode, 200);
        for (const field of ["platformVersion", "target"]) {
          const response = await plan({ [field]: "" });
          assert.equal(response.statusCode, 400, field);
          assert.equal(response.json().code, "validation_failed");
          assert.deepEqual(
            response.json().errors.map((e: { path: string }) => e.path),
            [`body/${field}`],
          );
        }
      });
    });
  });
}
