import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ORGANIZATION_FIELDS } from "../../src/domain/organization.ts";
import { availableDialects, type TestApp } from "../support/harness.ts";
import {
  auditActions,
  issueRegistered,
  type PartnerLogin,
  register,
  signIn,
  startRegistrationApp,
  tokenFor,
} from "../support/registration-fixtures.ts";

for (const dialect of await availableDialects()) {
  describe(`my account through the API on ${dialect}`, () => {
    let t: TestApp;
    let alpha: PartnerLogin;
    before(async () => {
      ({ t, alpha } = await startRegistrationApp(dialect));
    });
    after(() => t.close());

    /** A self-registered account, active, with two tokens (a program and a phone). */
    async function registeredAccount() {
      const item = await issueRegistered(t, "ACC-BASIC");
      const registered = await register(t, item.registrationNumber, item.pin!);
      assert.equal(registered.statusCode, 201, registered.body);
      const { userCode, password } = registered.json();
      t.clock.advanceMinutes(15);
      const program = await tokenFor(t, userCode, password);
      const phoneResponse = await t.request({
        method: "POST",
        url: "/api/v1/auth/token",
        body: { login: userCode, password, name: "phone" },
      });
      return { item, userCode, password, program, phone: phoneResponse.json().token as string };
    }

    describe("GET /api/v1/me/products", () => {
      it("tells how each number joined the account: its PIN or a named partner", async () => {
        const { item, userCode, program } = await registeredAccount();
        const bought = await issueRegistered(t, "HR-CORP", { pin: false });
        const authorized = await t.request({
          method: "POST",
          url: `/api/v1/partner/users/${userCode}/products`,
          token: alpha.token,
          body: { registrationNumber: bought.registrationNumber },
        });
        assert.equal(authorized.statusCode, 201, authorized.body);
        const products = await t.request({ method: "GET", url: "/api/v1/me/products", token: program });
        const how = Object.fromEntries(
          products
            .json()
            .map(
              (p: {
                registrationNumber: string;
                registeredBy: string;
                registeredByPartner: string | null;
              }) => [p.registrationNumber, [p.registeredBy, p.registeredByPartner]],
            ),
        );
        assert.deepEqual(how, {
          [item.registrationNumber]: ["pin", null],
          [bought.registrationNumber]: ["partner", "Partner Alpha"],
        });
      });
    });

    describe("GET /api/v1/me/organization", () => {
      it("gives the organisation of the registration form, and 404 to a login made first", async () => {
        const { program } = await registeredAccount();
        const profile = await t.request({ method: "GET", url: "/api/v1/me/organization", token: program });
        assert.equal(profile.statusCode, 200, profile.body);
        assert.deepEqual(Object.keys(profile.json()).sort(), [...ORGANIZATION_FIELDS].sort());
        assert.equal(profile.json().name, "Romashka LLC");
        assert.equal(profile.json().workstations, 5);

        const made = await t.request({
          method: "POST",
          url: "/api/v1/accounts",
          body: { login: "login-first", password: "long-enough-1", email: "first@example.com" },
        });
        assert.equal(made.statusCode, 201, made.body);
        const token = await tokenFor(t, "login-first", "long-enough-1");
        const none = await t.request({ method: "GET", url: "/api/v1/me/organization", token });
        assert.equal(none.statusCode, 404);
        assert.equal(none.json().code, "organization_not_found");
        assert.equal((await t.request({ method: "GET", url: "/api/v1/me/organization" })).statusCode, 401);
      });
    });

    describe("GET and DELETE /api/v1/me/tokens", () => {
      it("lists the account's live tokens without their secret, marking the caller's own", async () => {
        const { program, phone } = await registeredAccount();
        const list = await t.request({ method: "GET", url: "/api/v1/me/tokens", token: phone });
        assert.equal(list.statusCode, 200, list.body);
        assert.equal(list.headers["cache-control"], "no-store");
        const tokens = list.json();
        assert.deepEqual(tokens.map((x: { name: string }) => x.name).sort(), ["api", "phone"]);
        assert.deepEqual(tokens.map((x: { name: string; current: boolean }) => [x.name, x.current]).sort(), [
          ["api", false],
          ["phone", true],
        ]);
        assert.ok(!list.body.includes(program) && !list.body.includes(phone), "never the token itself");
        assert.ok(
          tokens.every((x: { expiresAt: string }) => Date.parse(x.expiresAt) > t.clock.now().getTime()),
        );
      });

      it("revokes one of the account's tokens by id, and no one else's", async () => {
        const { program, phone } = await registeredAccount();
        const other = await registeredAccount();
        const tokens = (await t.request({ method: "GET", url: "/api/v1/me/tokens", token: program })).json();
        const phoneId = tokens.find((x: { name: string }) => x.name === "phone").id;

        const stranger = await t.request({
          method: "DELETE",
          url: `/api/v1/me/tokens/${phoneId}`,
          token: other.program,
        });
        assert.equal(stranger.statusCode, 404);
        assert.equal(stranger.json().code, "token_not_found");
        assert.equal((await t.request({ method: "GET", url: "/api/v1/me", token: phone })).statusCode, 200);

        const revoked = await t.request({
          method: "DELETE",
          url: `/api/v1/me/tokens/${phoneId}`,
          token: program,
        });
        assert.equal(revoked.statusCode, 204);
        const audited = (await auditActions(t, "user.token_revoke")).filter(
          (a) => JSON.parse(a.details).tokenId === phoneId,
        );
        assert.equal(audited.length, 1, "audited once");
        assert.ok(!audited[0]!.details.includes(phone), "naming the token, never its secret");
        const refused = await t.request({ method: "GET", url: "/api/v1/me", token: phone });
        assert.equal(refused.statusCode, 401, "the revoked token opens nothing, even when cached before");
        const again = await t.request({
          method: "DELETE",
          url: `/api/v1/me/tokens/${phoneId}`,
          token: program,
        });
        assert.equal(again.statusCode, 404);
        const left = (await t.request({ method: "GET", url: "/api/v1/me/tokens", token: program })).json();
        assert.deepEqual(
          left.map((x: { name: string }) => x.name),
          ["api"],
        );
        assert.equal(
          (await t.request({ method: "DELETE", url: `/api/v1/me/tokens/${phoneId}` })).statusCode,
          401,
        );
      });
    });

    describe("PUT /api/v1/me/password", () => {
      it("refuses a wrong current password with 403 wrong_current_password, changing nothing", async () => {
        const { userCode, password, program, phone } = await registeredAccount();
        const wrong = await t.request({
          method: "PUT",
          url: "/api/v1/me/password",
          token: program,
          body: { currentPassword: "not-the-password", newPassword: "a-new-password-1" },
        });
        assert.equal(wrong.statusCode, 403);
        assert.equal(wrong.json().code, "wrong_current_password");
        assert.equal((await signIn(t, userCode, password)).statusCode, 201);
        assert.equal((await t.request({ method: "GET", url: "/api/v1/me", token: phone })).statusCode, 200);
      });

      it("refuses a new password against the rules with 400 weak_password", async () => {
        const { password, program } = await registeredAccount();
        const weak = await t.request({
          method: "PUT",
          url: "/api/v1/me/password",
          token: program,
          body: { currentPassword: password, newPassword: "short" },
        });
        assert.equal(weak.statusCode, 400);
        assert.equal(weak.json().code, "weak_password");
      });

      it("changes the password and ends every other token and web session, keeping the caller's", async () => {
        const { userCode, password, program, phone } = await registeredAccount();
        const user = (await t.upkeep.services.accounts.findByLogin(userCode))!;
        await t.upkeep.services.sessions.start(user, "a browser");
        const changed = await t.request({
          method: "PUT",
          url: "/api/v1/me/password",
          token: program,
          body: { currentPassword: password, newPassword: "a-new-password-1" },
        });
        assert.equal(changed.statusCode, 204, changed.body);
        assert.equal((await t.request({ method: "GET", url: "/api/v1/me", token: phone })).statusCode, 401);
        assert.equal((await t.request({ method: "GET", url: "/api/v1/me", token: program })).statusCode, 200);
        assert.deepEqual(await t.upkeep.services.sessions.listForUser(user.id), []);
        assert.equal((await signIn(t, userCode, password)).statusCode, 401, "the old password is gone");
        assert.equal((await signIn(t, userCode, "a-new-password-1")).statusCode, 201);
        const audit = await auditActions(t, "user.password_change");
        const event = audit.find((a) => a.subject === `user:${user.id}`);
        assert.ok(event, "audited");
        assert.deepEqual(JSON.parse(event.details), { endedTokens: 1, endedSessions: 1 });
        assert.ok(!event.details.includes("a-new-password-1"));
      });
    });
  });
}
