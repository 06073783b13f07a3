import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createConfiguration, createRelease } from "../support/catalogue-fixtures.ts";
import { availableDialects, startTestApp, type TestApp } from "../support/harness.ts";

for (const dialect of await availableDialects()) {
  describe(`input validation on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(dialect);
      await createConfiguration(t, "HRM");
      await createRelease(t, { version: "3.0.9.28", updateFrom: ["3.0.8.1"] });
    });
    after(() => t.close());

    describe("token names", () => {
      const signIn = (login: string, name: string) =>
        t.request({
          method: "POST",
          url: "/api/v1/auth/token",
          body: { login, password: "password-123", name },
        });

      it("refuses control and bidirectional formatting characters in a token's name, issuing nothing", async () => {
        const { user } = await t.signUp("user");
        for (const name of [
          "office\u0007pc",
          "nul\u0000",
          "line\nbreak",
          "report\u202Efdp.exe",
          "a\u2066b\u2069",
          "x\u200Fy",
        ]) {
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
