import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { availableDialects, startTestApp, type TestApp } from "../support/harness.ts";
import { sha256 } from "../support/hash.ts";

for (const dialect of await availableDialects()) {
  describe(`sign-in and access on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(dialect);
    });
    after(() => t.close());

    describe("tokens", () => {
      it("issues a token for the right password and refuses a wrong one", async () => {
        const ok = await t.request({
          method: "POST",
          url: "/api/v1/auth/token",
          body: { login: "root-admin", password: "admin-password-1" },
        });
        assert.equal(ok.statusCode, 201);
        const { token, expiresAt } = ok.json();
        assert.match(token, /^upk_/);
        assert.ok(Date.parse(expiresAt) > t.clock.now().getTime());
        assert.equal(ok.headers["cache-control"], "no-store", "no cache on the way keeps a token");
        const me = await t.request({ method: "GET", url: "/api/v1/me", token });
        assert.equal(me.json().login, "root-admin");

        for (const body of [
          { login: "root-admin", password: "wrong-password" },
          { login: "nobody-here", password: "admin-password-1" },
        ]) {
          const wrong = await t.request({ method: "POST", url: "/api/v1/auth/token", body });
          assert.equal(wrong.statusCode, 401);
          assert.equal(wrong.json().code, "invalid_credentials");
          assert.match(wrong.headers["content-type"] as string, /application\/problem\+json/);
        }
      });

      it("matches logins case-insensitively", async () => {
        const ok = await t.request({
          method: "POST",
          url: "/api/v1/auth/token",
          body: { login: "ROOT-Admin", password: "admin-password-1" },
        });
        assert.equal(ok.statusCode, 201);
      });

      it("stops honouring a revoked token", async () => {
        const { token } = await t.signUp("user");
        assert.equal((await t.request({ method: "GET", url: "/api/v1/me", token })).statusCode, 200);
        assert.equal(
          (await t.request({ method: "DELETE", url: "/api/v1/auth/token", token })).statusCode,
          204,
        );
        const after = await t.request({ method: "GET", url: "/api/v1/me", token });
        assert.equal(after.statusCode, 401);
        assert.equal(after.json().code, "invalid_token");
      });

      it("stores tokens hashed", async () => {
        const { token } = await t.signUp("user");
        const rows = await t.upkeep.database.db.selectFrom("api_tokens").select("token_hash").execute();
        assert.ok(rows.every((row) => row.token_hash !== token && !row.token_hash.includes(token.slice(4))));
        assert.ok(rows.some((row) => row.token_hash === sha256(Buffer.from(token))));
      });
    });

    describe("admin guard", () => {
      it("asks for a token, then for the admin role", async () => {
        const body = { code: "GUARD", name: "Guard", kind: "configuration" };
        const anonymous = await t.request({ method: "POST", url: "/api/v1/admin/configurations", body });
        assert.equal(anonymous.statusCode, 401);
        assert.equal(anonymous.json().code, "authentication_required");
        const { token } = await t.signUp("partner");
        const partner = await t.request({ method: "POST", url: "/api/v1/admin/configurations", token, body });
        assert.equal(partner.statusCode, 403);
        assert.equal(partner.json().code, "forbidden");
      });

      it("refuses a catalogue read without a token", async () => {
        const response = await t.request({ method: "GET", url: "/api/v1/configurations" });
        assert.equal(response.statusCode, 401);
      });
    });
  });
}
