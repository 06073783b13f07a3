import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { availableDialects, startTestApp, type TestApp } from "../support/harness.ts";
import {
  auditActions,
  issue,
  issueRegistered,
  type PartnerLogin,
  register,
  signIn,
  startRegistrationApp,
  subscribe,
  tokenFor,
} from "../support/registration-fixtures.ts";

for (const dialect of await availableDialects()) {
  describe(`registration with a PIN on ${dialect}`, () => {
    let t: TestApp;
    let alpha: PartnerLogin;
    before(async () => {
      ({ t, alpha } = await startRegistrationApp(dialect));
    });
    after(() => t.close());

    describe("self-registration with a PIN", () => {
      it("validates every organisation field without spending a PIN attempt", async () => {
        const item = await issueRegistered(t, "ACC-BASIC");
        const response = await t.request({
          method: "POST",
          url: "/api/v1/registrations",
          body: {
            registrationNumber: item.registrationNumber,
            pin: item.pin,
            organization: { name: "Only a name", workstations: 0, email: "nope" },
          },
        });
        assert.equal(response.statusCode, 400);
        assert.equal(response.json().code, "validation_failed");
        const fields = response
          .json()
          .fields.map((f: { field: string }) => f.field)
          .sort();
        assert.deepEqual(
          fields,
          [
            "activity",
            "address",
            "email",
            "head",
            "phone",
            "postalCode",
            "purchaseDate",
            "purchasedFrom",
            "responsiblePerson",
            "workstations",
          ].sort(),
        );
        const attempts = await t.upkeep.database.db
          .selectFrom("pin_attempts")
          .selectAll()
          .where("registration_number", "=", item.registrationNumber)
          .execute();
        assert.equal(attempts.length, 0);
      });

      it("gives the number as user code and a password that signs in after 15 minutes", async () => {
        const item = await issueRegistered(t, "ACC-BASIC");
        const response = await register(t, item.registrationNumber, item.pin!);
        assert.equal(response.statusCode, 201, response.body);
        const { userCode, password, activeFrom } = response.json();
        assert.equal(userCode, item.registrationNumber);
        assert.ok(password.length >= 12);
        assert.equal(activeFrom, new Date(t.clock.now().getTime() + 15 * 60_000).toISOString());

        const early = await signIn(t, userCode, password);
        assert.equal(early.statusCode, 403);
        assert.equal(early.json().code, "not_active_yet");
        assert.equal(early.json().activeFrom, activeFrom);
        t.clock.advanceMinutes(14);
        assert.equal((await signIn(t, userCode, password)).statusCode, 403);
        t.clock.advanceMinutes(1);
        const token = await tokenFor(t, userCode, password);

        const products = await t.request({ method: "GET", url: "/api/v1/me/products", token });
        assert.equal(products.statusCode, 200);
        assert.deepEqual(products.json(), [
          {
            registrationNumber: item.registrationNumber,
            product: "ACC-BASIC",
            edition: "basic",
            configurations: ["ACC"],
            support: { coveredThisMonth: true, until: null },
            registeredBy: "pin",
            registeredByPartner: null,
          },
        ]);
        // The password is stored as Argon2id only.
        const user = await t.upkeep.database.db
          .selectFrom("users")
          .selectAll()
          .where("login", "=", userCode)
          .executeTakeFirstOrThrow();
        assert.match(user.password_hash, /^\$argon2id\$/);
        const org = await t.upkeep.database.db
          .selectFrom("organizations")
          .selectAll()
          .where("id", "=", user.organization_id!)
          .executeTakeFirstOrThrow();
        assert.equal(org.name, "Romashka LLC");
        assert.equal(JSON.parse(org.details).workstations, 5);
        const audit = await auditActions(t, "registration.self");
        assert.ok(audit.some((a) => a.subject === `registration_number:${item.registrationNumber}`));
      });

      it("refuses a second registration of the same number and a wrong PIN", async () => {
        const item = await issueRegistered(t, "ACC-BASIC");
        assert.equal((await register(t, item.registrationNumber, item.pin!)).statusCode, 201);
        const again = await register(t, item.registrationNumber, item.pin!);
        assert.equal(again.statusCode, 409);
        assert.equal(again.json().code, "already_registered");

        const other = await issueRegistered(t, "ACC-BASIC");
        const wrongPin = other.pin!.startsWith("0") ? `1${other.pin!.slice(1)}` : `0${other.pin!.slice(1)}`;
        const wrong = await register(t, other.registrationNumber, wrongPin);
        assert.equal(wrong.statusCode, 403);
        assert.equal(wrong.json().code, "invalid_pin");
        assert.equal(wrong.json().attemptsLeft, 4);
        // A PIN of another number does not open this one.
        const crossed = await register(t, other.registrationNumber, item.pin!);
        assert.equal(crossed.json().code, "invalid_pin");
        // An unknown number answers the same as a wrong PIN.
        const unknown = await register(t, "9999999999", other.pin!);
        assert.equal(unknown.statusCode, 403);
        assert.equal(unknown.json().code, "invalid_pin");
        // A number without a PIN envelope cannot be registered with a PIN.
        const noPin = await issueRegistered(t, "ACC-BASIC", { pin: false });
        const response = await register(t, noPin.registrationNumber, other.pin!);
        assert.equal(response.json().code, "invalid_pin");
      });
    });

    describe("account first, products after", () => {
      it("creates a login, then registers products on it with number and PIN", async () => {
        const created = await t.request({
          method: "POST",
          url: "/api/v1/accounts",
          body: { login: "romashka", password: "long-password-1", email: "it@romashka.example" },
        });
        assert.equal(created.statusCode, 201, created.body);
        assert.equal(created.json().login, "romashka");
        const taken = await t.request({
          method: "POST",
          url: "/api/v1/accounts",
          body: { login: "ROMASHKA", password: "long-password-1", email: "it@romashka.example" },
        });
        assert.equal(taken.statusCode, 409);
        assert.equal(taken.json().code, "login_taken");
        const numeric = await t.request({
          method: "POST",
          url: "/api/v1/accounts",
          body: { login: "1234567890", password: "long-password-1", email: "it@romashka.example" },
        });
        assert.equal(numeric.statusCode, 400, "logins shaped like registration numbers are reserved");
        const badEmail = await t.request({
          method: "POST",
          url: "/api/v1/accounts",
          body: { login: "other-login", password: "long-password-1", email: "nope" },
        });
        assert.equal(badEmail.json().code, "validation_failed");

        const token = await tokenFor(t, "romashka", "long-password-1");
        const empty = await t.request({ method: "GET", url: "/api/v1/me/products", token });
        assert.deepEqual(empty.json(), []);

        const item = await issueRegistered(t, "ACC-BASIC");
        const added = await t.request({
          method: "POST",
          url: "/api/v1/me/products",
          token,
          body: { registrationNumber: item.registrationNumber, pin: item.pin },
        });
        assert.equal(added.statusCode, 201, added.body);
        assert.equal(added.json().registrationNumber, item.registrationNumber);
        const list = await t.request({ method: "GET", url: "/api/v1/me/products", token });
        assert.deepEqual(
          list.json().map((p: { registrationNumber: string }) => p.registrationNumber),
          [item.registrationNumber],
        );
        // The configuration is now visible to the account.
        const releases = await t.request({
          method: "GET",
          url: "/api/v1/configurations/ACC/releases",
          token,
        });
        assert.equal(releases.statusCode, 200);

        const other = await t.signUp("user");
        const twice = await t.request({
          method: "POST",
          url: "/api/v1/me/products",
          token: other.token,
          body: { registrationNumber: item.registrationNumber, pin: item.pin },
        });
        assert.equal(twice.statusCode, 409);
        assert.equal(twice.json().code, "already_registered");
        const anonymous = await t.request({
          method: "POST",
          url: "/api/v1/me/products",
          body: { registrationNumber: item.registrationNumber, pin: item.pin },
        });
        assert.equal(anonymous.statusCode, 401);
      });
    });

    describe("the PROF rule", () => {
      it("refuses a PROF number without a subscription for this month, naming the month", async () => {
        const item = await issueRegistered(t, "ENT-PROF");
        const response = await register(t, item.registrationNumber, item.pin!);
        assert.equal(response.statusCode, 403);
        assert.equal(response.json().code, "support_subscription_required");
        assert.equal(response.json().month, "2026-11");
        // A CORP number behaves like PROF.
        const corp = await issueRegistered(t, "HR-CORP");
        assert.equal(
          (await register(t, corp.registrationNumber, corp.pin!)).json().code,
          "support_subscription_required",
        );
      });

      it("accepts it once subscribed for this month, and not for past months only", async () => {
        const item = await issueRegistered(t, "ENT-PROF");
        await subscribe(t, alpha.token, item.registrationNumber, "2026-01", 3);
        assert.equal((await register(t, item.registrationNumber, item.pin!)).statusCode, 403);
        await subscribe(t, alpha.token, item.registrationNumber, "2026-11", 12);
        const response = await register(t, item.registrationNumber, item.pin!);
        assert.equal(response.statusCode, 201, response.body);
      });

      it("accepts an additional number of another product's subscription", async () => {
        const main = await issueRegistered(t, "ENT-PROF");
        const additional = await issueRegistered(t, "ENT-PROF");
        await subscribe(t, alpha.token, main.registrationNumber, "2026-10", 3, [
          additional.registrationNumber,
        ]);
        const response = await register(t, additional.registrationNumber, additional.pin!);
        assert.equal(response.statusCode, 201, response.body);
      });

      it("accepts it during the product's free months from the purchase date, not after", async () => {
        const recent = await issueRegistered(t, "ENT-PROF6", { purchaseDate: "2026-06-01" });
        assert.equal((await register(t, recent.registrationNumber, recent.pin!)).statusCode, 201);
        const old = await issueRegistered(t, "ENT-PROF6", { purchaseDate: "2026-05-15" });
        const response = await register(t, old.registrationNumber, old.pin!);
        assert.equal(response.statusCode, 403);
        assert.equal(response.json().code, "support_subscription_required");
        // Free months are a product setting: ENT-PROF has none.
        const none = await issueRegistered(t, "ENT-PROF", { purchaseDate: "2026-11-01" });
        assert.equal((await register(t, none.registrationNumber, none.pin!)).statusCode, 403);
      });

      it("ignores the purchase date typed in the form: only the vendor's date starts free months", async () => {
        // An electronic delivery the vendor sold two years ago: its free months are long over.
        const [item] = await issue(t, "ENT-PROF6", 1, { vendorRegistered: true, purchaseDate: "2024-11-01" });
        const today = t.clock.now().toISOString().slice(0, 10);
        const response = await register(t, item!.registrationNumber, item!.pin!, { purchaseDate: today });
        assert.equal(response.statusCode, 403, response.body);
        assert.equal(response.json().code, "support_subscription_required");
        const row = await t.upkeep.database.db
          .selectFrom("registration_numbers")
          .select("purchase_date")
          .where("number", "=", item!.registrationNumber)
          .executeTakeFirstOrThrow();
        assert.equal(row.purchase_date, "2024-11-01");

        // Subscribed, it registers; the form's date stays in the organisation's details only.
        await subscribe(t, alpha.token, item!.registrationNumber, "2026-11", 1);
        const registered = await register(t, item!.registrationNumber, item!.pin!, { purchaseDate: today });
        assert.equal(registered.statusCode, 201, registered.body);
        const after = await t.upkeep.database.db
          .selectFrom("registration_numbers")
          .select("purchase_date")
          .where("number", "=", item!.registrationNumber)
          .executeTakeFirstOrThrow();
        assert.equal(
          after.purchase_date,
          "2024-11-01",
          "the form's date is never written into registration_numbers",
        );
        const user = await t.upkeep.services.accounts.findByLogin(item!.registrationNumber);
        const org = await t.upkeep.database.db
          .selectFrom("organizations")
          .select("details")
          .where("id", "=", user!.organizationId!)
          .executeTakeFirstOrThrow();
        assert.equal(JSON.parse(org.details).purchaseDate, today);
        // Nor does it start free months: support ends with the subscription.
        t.clock.set("2026-12-01T00:00:00Z");
        try {
          const [product] = await t.upkeep.services.registrations.myProducts(user!);
          assert.equal(product!.support.coveredThisMonth, false);
        } finally {
          t.clock.set("2026-11-16T10:00:00.000Z");
        }
      });

      it("applies to adding a product to an existing account too", async () => {
        const { token } = await t.signUp("user");
        const item = await issueRegistered(t, "ENT-PROF");
        const refused = await t.request({
          method: "POST",
          url: "/api/v1/me/products",
          token,
          body: { registrationNumber: item.registrationNumber, pin: item.pin },
        });
        assert.equal(refused.json().code, "support_subscription_required");
        await subscribe(t, alpha.token, item.registrationNumber, "2026-11", 1);
        const added = await t.request({
          method: "POST",
          url: "/api/v1/me/products",
          token,
          body: { registrationNumber: item.registrationNumber, pin: item.pin },
        });
        assert.equal(added.statusCode, 201, added.body);
        assert.deepEqual(added.json().support, { coveredThisMonth: true, until: "2026-11-30" });
      });
    });

    describe("rate limits", () => {
      let limited: TestApp;
      before(async () => {
        limited = await startTestApp(dialect, {
          rateLimits: {
            signIn: { max: 3, timeWindow: 60_000 },
            registration: { max: 3, timeWindow: 60_000 },
          },
        });
      });
      after(() => limited.close());

      it("answers 429 past the per-address limit on registration and sign-in", async () => {
        const statuses: number[] = [];
        for (let i = 0; i < 4; i++) {
          statuses.push((await register(limited, "1234567890", "1234567890123456")).statusCode);
        }
        assert.deepEqual(statuses, [403, 403, 403, 429]);
        const limitedProblem = await register(limited, "1234567890", "1234567890123456");
        assert.equal(limitedProblem.json().status, 429);
        assert.equal(limitedProblem.json().code, "rate_limited");
        assert.match(limitedProblem.headers["content-type"] as string, /application\/problem\+json/);
        assert.ok(Number(limitedProblem.headers["retry-after"]) > 0);
        // Each guess-prone route keeps its own budget per address.
        const accountStatuses: number[] = [];
        for (let i = 0; i < 4; i++) {
          const response = await limited.request({
            method: "POST",
            url: "/api/v1/accounts",
            body: { login: "someone", password: "long-password-1", email: "not-an-address" },
          });
          accountStatuses.push(response.statusCode);
        }
        assert.deepEqual(accountStatuses, [400, 400, 400, 429]);
        const signIns: number[] = [];
        for (let i = 0; i < 4; i++)
          signIns.push((await signIn(limited, "nobody", "wrong-password")).statusCode);
        assert.deepEqual(signIns, [401, 401, 401, 429]);
        // Another address has its own budget.
        const elsewhere = await limited.app.inject({
          method: "POST",
          url: "/api/v1/auth/token",
          remoteAddress: "10.0.0.7",
          payload: { login: "nobody", password: "wrong-password" },
        });
        assert.equal(elsewhere.statusCode, 401);
      });
    });
  });
}
