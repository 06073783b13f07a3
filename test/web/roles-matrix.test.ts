import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Role } from "../../src/domain/roles.ts";
import { availableDialects, type TestApp } from "../support/harness.ts";
import { partnerAccount, startRegistrationApp } from "../support/registration-fixtures.ts";
import { PageClient } from "../support/web-inject.ts";

const PASSWORD = "matrix-password-1";
type Visitor = Role | "anonymous";
const VISITORS: readonly Visitor[] = ["anonymous", "user", "partner", "support", "admin"];

/** Who may open each page without a parameter; everyone else is sent to sign in (anonymous) or refused. */
const PAGES: Record<string, readonly Role[] | "public"> = {
  "/": "public",
  "/sign-in": "public",
  "/register": "public",
  "/sign-up": "public",
  "/account": ["user", "partner", "support", "admin"],
  "/account/organisation": ["user", "partner", "support", "admin"],
  "/account/devices": ["user", "partner", "support", "admin"],
  "/account/password": ["user", "partner", "support", "admin"],
  "/account/products/add": ["user"],
  "/configurations": ["user", "partner", "support", "admin"],
  "/partner": ["partner"],
  "/partner/clients/new": ["partner"],
  "/partner/authorise": ["partner"],
  "/partner/subscriptions/new": ["partner"],
  "/staff": ["support", "admin"],
  "/staff/configurations": ["support", "admin"],
  "/staff/products": ["support", "admin"],
  "/staff/registration-numbers": ["support", "admin"],
  "/staff/registration-cards": ["support", "admin"],
  "/staff/partners": ["support", "admin"],
  "/staff/audit-log": ["support", "admin"],
};

for (const dialect of await availableDialects()) {
  describe(`every page against every role on ${dialect}`, () => {
    let t: TestApp;
    const visitors = new Map<Visitor, PageClient>();

    before(async () => {
      ({ t } = await startRegistrationApp(dialect));
      const partner = await partnerAccount(t, "Partner Matrix");
      for (const role of ["user", "support", "admin"] as const) {
        await t.upkeep.services.accounts.createUser({ login: `matrix-${role}`, password: PASSWORD, role });
      }
      const logins: Record<Role, [string, string]> = {
        user: ["matrix-user", PASSWORD],
        partner: [partner.user.login, "partner-password-1"],
        support: ["matrix-support", PASSWORD],
        admin: ["matrix-admin", PASSWORD],
      };
      visitors.set("anonymous", new PageClient(t));
      for (const [role, [login, password]] of Object.entries(logins) as [Role, [string, string]][]) {
        const page = new PageClient(t);
        await page.get("/sign-in");
        const signedIn = await page.post("/sign-in", { login, password, next: "/" });
        assert.equal(signedIn.statusCode, 303, `${role} signs in`);
        visitors.set(role, page);
      }
    });
    after(() => t.close());

    it("opens each page exactly to the roles it names, sends the signed-out to sign in, refuses the rest", async () => {
      for (const [path, access] of Object.entries(PAGES)) {
        for (const visitor of VISITORS) {
          const response = await visitors.get(visitor)!.get(path);
          const allowed = access === "public" || (visitor !== "anonymous" && access.includes(visitor));
          const expected = allowed ? 200 : visitor === "anonymous" ? 303 : 403;
          assert.equal(response.statusCode, expected, `${visitor} ${path}`);
          if (expected === 303) {
            assert.equal(response.headers.location, `/sign-in?next=${encodeURIComponent(path)}`);
          }
        }
      }
    });
  });
}
