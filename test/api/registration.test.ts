import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { buildHttpApp } from "../../src/http/app.ts";
import { createPartnersService } from "../../src/services/partners.ts";
import { availableDialects, startTestApp, type TestApp } from "../support/harness.ts";
import {
  clientHolding,
  issue,
  issueRegistered,
  organization,
  partnerAccount,
  register,
  registrationCatalogue,
  signIn,
  subscribe,
  tokenFor,
} from "../support/registration-fixtures.ts";

const HIGH_LIMITS = {
  rateLimits: {
    signIn: { max: 10_000, timeWindow: 60_000 },
    registration: { max: 10_000, timeWindow: 60_000 },
  },
};

async function auditActions(t: TestApp, action: string) {
  return t.upkeep.database.db.selectFrom("audit_log").selectAll().where("action", "=", action).execute();
}

for (const dialect of await availableDialects()) {
  describe(`registration on ${dialect}`, () => {
    let t: TestApp;
    let alpha: { token: string; user: { id: string } };
    let beta: { token: string; user: { id: string } };
    before(async () => {
      t = await startTestApp(dialect, HIGH_LIMITS);
      await registrationCatalogue(t);
      alpha = await partnerAccount(t, "Partner Alpha");
      beta = await partnerAccount(t, "Partner Beta");
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

    describe("partners", () => {
      it("registers a client without PIN: user code, password, products, and a mailed letter", async () => {
        const first = await issueRegistered(t, "ACC-BASIC", { pin: false });
        const second = await issueRegistered(t, "ENT-PROF", { pin: false });
        const response = await t.request({
          method: "POST",
          url: "/api/v1/partner/users",
          token: alpha.token,
          body: {
            organization: organization(t, { name: "Vasilek JSC", email: "boss@vasilek.example" }),
            registrationNumbers: [first.registrationNumber, second.registrationNumber],
          },
        });
        assert.equal(response.statusCode, 201, response.body);
        const body = response.json();
        assert.equal(body.userCode, first.registrationNumber);
        assert.deepEqual(
          body.products.map((p: { registrationNumber: string; product: string }) => [
            p.registrationNumber,
            p.product,
          ]),
          [
            [first.registrationNumber, "ACC-BASIC"],
            [second.registrationNumber, "ENT-PROF"],
          ],
        );
        for (const text of [
          body.userCode,
          body.password,
          second.registrationNumber,
          "Product ENT-PROF",
          "Partner Alpha",
        ]) {
          assert.ok(body.letter.includes(text), `the letter names ${text}`);
        }
        assert.equal(body.mail.via, "outbox");
        const outbox = join(t.environment.dataDir, "outbox");
        const files = readdirSync(outbox).filter((f) => f.endsWith(".eml"));
        const mails = files.map((f) => readFileSync(join(outbox, f), "utf8"));
        const mail = mails.find((m) => m.includes(body.userCode));
        assert.ok(mail, "an .eml in the outbox carries the letter");
        assert.match(mail!, /^To: boss@vasilek\.example$/m);
        assert.match(mail!, /^Subject: .*user code/m);
        assert.ok(mail!.includes(body.password));
        const file = files.find((_f, i) => mails[i] === mail)!;
        assert.equal(statSync(join(outbox, file)).mode & 0o777, 0o600);

        // The client signs in at once and sees both products.
        const token = await tokenFor(t, body.userCode, body.password);
        const products = await t.request({ method: "GET", url: "/api/v1/me/products", token });
        assert.equal(products.json().length, 2);

        const audit = await auditActions(t, "partner.client.create");
        assert.ok(
          audit.some((a) => a.actor_id === alpha.user.id && JSON.parse(a.details).userCode === body.userCode),
        );

        // Later purchases are authorised on the same user code.
        const bought = await issueRegistered(t, "HR-CORP", { pin: false });
        const authorized = await t.request({
          method: "POST",
          url: `/api/v1/partner/users/${body.userCode}/products`,
          token: alpha.token,
          body: { registrationNumber: bought.registrationNumber },
        });
        assert.equal(authorized.statusCode, 201, authorized.body);
        assert.equal(authorized.json().product, "HR-CORP");
        const after = await t.request({ method: "GET", url: "/api/v1/me/products", token });
        assert.equal(after.json().length, 3, "the new product shows at once");
        const authorizeAudit = await auditActions(t, "partner.authorize");
        assert.ok(
          authorizeAudit.some((a) => a.subject === `registration_number:${bought.registrationNumber}`),
        );

        // Alpha sees its client; Beta neither sees it nor can act on it.
        const mine = await t.request({
          method: "GET",
          url: `/api/v1/partner/users/${body.userCode}`,
          token: alpha.token,
        });
        assert.equal(mine.statusCode, 200);
        assert.equal(mine.json().products.length, 3);
        const theirs = await t.request({
          method: "GET",
          url: `/api/v1/partner/users/${body.userCode}`,
          token: beta.token,
        });
        assert.equal(theirs.statusCode, 404);
        const another = await issueRegistered(t, "ACC-BASIC", { pin: false });
        const foreign = await t.request({
          method: "POST",
          url: `/api/v1/partner/users/${body.userCode}/products`,
          token: beta.token,
          body: { registrationNumber: another.registrationNumber },
        });
        assert.equal(foreign.statusCode, 404);
        assert.equal(foreign.json().code, "user_not_found");
        const listAlpha = await t.request({
          method: "GET",
          url: "/api/v1/partner/users",
          token: alpha.token,
        });
        assert.ok(listAlpha.json().some((c: { userCode: string }) => c.userCode === body.userCode));
        const listBeta = await t.request({ method: "GET", url: "/api/v1/partner/users", token: beta.token });
        assert.ok(!listBeta.json().some((c: { userCode: string }) => c.userCode === body.userCode));
      });

      it("refuses numbers not registered with the vendor, or on the site already, writing nothing", async () => {
        const [unregistered] = await issue(t, "ACC-BASIC", 1, { pin: false });
        const refused = await t.request({
          method: "POST",
          url: "/api/v1/partner/users",
          token: alpha.token,
          body: { organization: organization(t), registrationNumbers: [unregistered!.registrationNumber] },
        });
        assert.equal(refused.statusCode, 403);
        assert.equal(refused.json().code, "not_vendor_registered");

        const client = await clientHolding(t, alpha.token, [
          (await issueRegistered(t, "ACC-BASIC", { pin: false })).registrationNumber,
        ]);
        const fresh = await issueRegistered(t, "ACC-BASIC", { pin: false });
        const organizationsBefore = await t.upkeep.database.db
          .selectFrom("organizations")
          .select("id")
          .execute();
        const twice = await t.request({
          method: "POST",
          url: "/api/v1/partner/users",
          token: alpha.token,
          body: {
            organization: organization(t),
            registrationNumbers: [fresh.registrationNumber, client.userCode],
          },
        });
        assert.equal(twice.statusCode, 409);
        assert.equal(twice.json().code, "already_registered");
        const organizationsAfter = await t.upkeep.database.db
          .selectFrom("organizations")
          .select("id")
          .execute();
        assert.equal(organizationsAfter.length, organizationsBefore.length);
      });

      it("still answers 201 with the letter when mailing it fails after the commit", async () => {
        const reported: string[] = [];
        // The same services, but partners mail through a mailer that throws (a full disk, a dead outbox).
        const partners = createPartnersService({
          db: t.upkeep.database.db,
          clock: t.clock,
          changes: t.upkeep.database.changes,
          numbers: t.upkeep.services.registrationNumbers,
          mailer: {
            send: async () => {
              throw new Error("ENOSPC: no space left on device, open '/var/lib/upkeep/outbox/x.eml'");
            },
          },
          reportMailFailure: (message, error) => reported.push(`${message}: ${error}`),
        });
        const app = await buildHttpApp({ ...t.upkeep.services, partners }, { logLevel: "silent" });
        try {
          const number = (await issueRegistered(t, "ACC-BASIC", { pin: false })).registrationNumber;
          const response = await app.inject({
            method: "POST",
            url: "/api/v1/partner/users",
            headers: { authorization: `Bearer ${alpha.token}` },
            payload: { organization: organization(t), registrationNumbers: [number] },
          });
          assert.equal(response.statusCode, 201, response.body);
          const body = response.json();
          assert.equal(body.userCode, number);
          assert.ok(body.letter.includes(body.password), "the printable letter carries the password");
          assert.equal(body.mail.via, "failed");
          assert.equal(typeof body.mail.error, "string");
          assert.ok(!body.mail.error.includes("/var/lib"), "server paths stay in the log");
          assert.equal(reported.length, 1);
          assert.match(reported[0]!, new RegExp(`${number}.*ENOSPC`));
          // The account exists and the password in the answer opens it.
          await tokenFor(t, body.userCode, body.password);
        } finally {
          await app.close();
        }
      });

      it("authorises a purchase on a self-registered user's code", async () => {
        const item = await issueRegistered(t, "ACC-BASIC");
        const { userCode } = (await register(t, item.registrationNumber, item.pin!)).json();
        const bought = await issueRegistered(t, "ACC-BASIC", { pin: false });
        const response = await t.request({
          method: "POST",
          url: `/api/v1/partner/users/${userCode}/products`,
          token: beta.token,
          body: { registrationNumber: bought.registrationNumber },
        });
        assert.equal(response.statusCode, 201, response.body);
      });

      it("does not show a self-registered user's page to a partner", async () => {
        const item = await issueRegistered(t, "ACC-BASIC");
        const { userCode } = (await register(t, item.registrationNumber, item.pin!)).json();
        const response = await t.request({
          method: "GET",
          url: `/api/v1/partner/users/${userCode}`,
          token: alpha.token,
        });
        assert.equal(response.statusCode, 404, response.body);
        assert.equal(response.json().code, "user_not_found");
      });

      it("keeps users and staff out of partner routes", async () => {
        const { token } = await t.signUp("user");
        for (const who of [token, t.adminToken]) {
          const response = await t.request({
            method: "POST",
            url: "/api/v1/partner/users",
            token: who,
            body: { organization: organization(t), registrationNumbers: ["1234567890"] },
          });
          assert.equal(response.statusCode, 403);
        }
      });
    });

    describe("subscriptions", () => {
      it("records a subscription with additional numbers; support shows until its last day", async () => {
        const main = await issueRegistered(t, "ENT-PROF", { pin: false });
        const extra = await issueRegistered(t, "HR-CORP", { pin: false });
        const client = await clientHolding(t, alpha.token, [
          main.registrationNumber,
          extra.registrationNumber,
        ]);
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
            (a) =>
              a.actor_id === alpha.user.id && JSON.parse(a.details).mainNumber === main.registrationNumber,
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

    describe("PIN lock", () => {
      it("locks a number for an hour after 5 wrong PINs, even for the right PIN", async () => {
        const item = await issueRegistered(t, "ACC-BASIC");
        const wrongPin = item.pin === "1111111111111111" ? "2222222222222222" : "1111111111111111";
        const answers: [number, string, number][] = [];
        for (let i = 0; i < 5; i++) {
          const response = await register(t, item.registrationNumber, wrongPin);
          answers.push([response.statusCode, response.json().code, response.json().attemptsLeft]);
        }
        // The 5th wrong PIN is still answered invalid_pin, with no attempts left; the lock answers from the 6th.
        assert.deepEqual(answers, [
          [403, "invalid_pin", 4],
          [403, "invalid_pin", 3],
          [403, "invalid_pin", 2],
          [403, "invalid_pin", 1],
          [403, "invalid_pin", 0],
        ]);
        const attempts = await t.upkeep.database.db
          .selectFrom("pin_attempts")
          .selectAll()
          .where("registration_number", "=", item.registrationNumber)
          .executeTakeFirstOrThrow();
        assert.equal(Number(attempts.failures), 5);

        const sixth = await register(t, item.registrationNumber, wrongPin);
        assert.equal(sixth.statusCode, 403);
        assert.equal(sixth.json().code, "pin_locked");
        const locked = await register(t, item.registrationNumber, item.pin!);
        assert.equal(locked.statusCode, 403);
        assert.equal(locked.json().code, "pin_locked");
        assert.equal(
          locked.json().lockedUntil,
          new Date(t.clock.now().getTime() + 60 * 60_000).toISOString(),
        );
        t.clock.advanceMinutes(59);
        assert.equal((await register(t, item.registrationNumber, item.pin!)).json().code, "pin_locked");
        t.clock.advanceMinutes(1);
        const unlocked = await register(t, item.registrationNumber, item.pin!);
        assert.equal(unlocked.statusCode, 201, unlocked.body);
        const cleared = await t.upkeep.database.db
          .selectFrom("pin_attempts")
          .selectAll()
          .where("registration_number", "=", item.registrationNumber)
          .execute();
        assert.equal(cleared.length, 0);
      });

      it("counts wrong PINs sent to the account route as well, and keeps the count when the rest fails", async () => {
        // A PROF number without a subscription: the right PIN passes, then the PROF rule refuses it.
        const item = await issueRegistered(t, "ENT-PROF");
        const { token } = await t.signUp("user");
        const addProduct = (pin: string) =>
          t.request({
            method: "POST",
            url: "/api/v1/me/products",
            token,
            body: { registrationNumber: item.registrationNumber, pin },
          });
        const failures = async () =>
          Number(
            (
              await t.upkeep.database.db
                .selectFrom("pin_attempts")
                .select("failures")
                .where("registration_number", "=", item.registrationNumber)
                .executeTakeFirst()
            )?.failures ?? 0,
          );
        const wrongPin = item.pin === "0000000000000000" ? "1111111111111111" : "0000000000000000";
        assert.equal((await addProduct(wrongPin)).json().attemptsLeft, 4);
        assert.equal((await addProduct(wrongPin)).json().attemptsLeft, 3);
        assert.equal(await failures(), 2);

        // The right PIN, refused after the PIN check: the two failures are neither cleared nor added to.
        const refused = await addProduct(item.pin!);
        assert.equal(refused.statusCode, 403);
        assert.equal(refused.json().code, "support_subscription_required");
        assert.equal(await failures(), 2);
        // Nor by a registration that fails as already registered, after the PIN check.
        const registered = await issueRegistered(t, "ACC-BASIC");
        await clientHolding(t, alpha.token, [registered.registrationNumber]);
        for (let i = 0; i < 2; i++) {
          await t.request({
            method: "POST",
            url: "/api/v1/me/products",
            token,
            body: { registrationNumber: registered.registrationNumber, pin: wrongPin },
          });
        }
        const taken = await t.request({
          method: "POST",
          url: "/api/v1/me/products",
          token,
          body: { registrationNumber: registered.registrationNumber, pin: registered.pin },
        });
        assert.equal(taken.statusCode, 409);
        assert.equal(taken.json().code, "already_registered");
        const takenAttempts = await t.upkeep.database.db
          .selectFrom("pin_attempts")
          .select("failures")
          .where("registration_number", "=", registered.registrationNumber)
          .executeTakeFirstOrThrow();
        assert.equal(Number(takenAttempts.failures), 2);

        // The count goes on from 2: three more wrong PINs lock the number, even for the right PIN.
        assert.deepEqual(
          [
            (await addProduct(wrongPin)).json().attemptsLeft,
            (await addProduct(wrongPin)).json().attemptsLeft,
            (await addProduct(wrongPin)).json().attemptsLeft,
          ],
          [2, 1, 0],
        );
        const locked = await addProduct(item.pin!);
        assert.equal(locked.json().code, "pin_locked");
      });

      it("treats a malformed PIN as a wrong one: invalid_pin, counted toward the lock", async () => {
        const item = await issueRegistered(t, "ACC-BASIC");
        const answers: [number, string, number | undefined][] = [];
        for (const malformed of ["1234", "wrong-pin", "", "1234-5678-9012-345x", "12345678901234567"]) {
          const response = await register(t, item.registrationNumber, malformed);
          answers.push([response.statusCode, response.json().code, response.json().attemptsLeft]);
        }
        assert.deepEqual(answers, [
          [403, "invalid_pin", 4],
          [403, "invalid_pin", 3],
          [403, "invalid_pin", 2],
          [403, "invalid_pin", 1],
          [403, "invalid_pin", 0],
        ]);
        const locked = await register(t, item.registrationNumber, item.pin!);
        assert.equal(locked.json().code, "pin_locked");
        // On the account route as well; and on an unknown number it answers like any wrong PIN.
        const other = await issueRegistered(t, "ACC-BASIC");
        const { token } = await t.signUp("user");
        const viaAccount = await t.request({
          method: "POST",
          url: "/api/v1/me/products",
          token,
          body: { registrationNumber: other.registrationNumber, pin: "wrong-pin" },
        });
        assert.equal(viaAccount.statusCode, 403);
        assert.deepEqual([viaAccount.json().code, viaAccount.json().attemptsLeft], ["invalid_pin", 4]);
        const unknown = await register(t, "9999999997", "1234");
        assert.equal(unknown.statusCode, 403);
        assert.equal(unknown.json().code, "invalid_pin");
        assert.equal(unknown.json().attemptsLeft, undefined);
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

describe("bin/upkeep partner accounts and PIN envelopes", () => {
  let dataDir: string;
  let env: Record<string, string>;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), "upkeep-pins-cli-"));
    env = { UPKEEP_DATA_DIR: dataDir, LOG_LEVEL: "warn" };
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  const run = (args: string[]) =>
    spawnSync(process.execPath, ["bin/upkeep", ...args], {
      cwd: new URL("../../", import.meta.url).pathname,
      env: { ...process.env, ...env },
      encoding: "utf8",
    });

  const addPartnerUser = (login: string, extra: string[] = []) =>
    run(["user", "add", "--login", login, "--password", "partner-pass-1", "--role", "partner", ...extra]);

  it("adds a partner account, creating the partner, and issues envelopes into a CSV", async () => {
    const added = addPartnerUser("alpha-sales", ["--partner", "Alpha"]);
    assert.equal(added.status, 0, added.stderr);
    assert.match(added.stdout, /^Added partner Alpha\.$/m);
    const second = addPartnerUser("alpha-2", ["--partner", "Alpha"]);
    assert.equal(second.status, 0, second.stderr);
    assert.doesNotMatch(second.stdout, /^Added partner Alpha\.$/m);
    const missing = addPartnerUser("alpha-3");
    assert.notEqual(missing.status, 0);

    const { openUpkeep } = await import("../../src/app.ts");
    const { loadConfig } = await import("../../src/config.ts");
    const upkeep = await openUpkeep(loadConfig(env));
    try {
      const users = await upkeep.database.db
        .selectFrom("users")
        .selectAll()
        .where("role", "=", "partner")
        .execute();
      assert.equal(users.length, 2);
      assert.ok(users[0]!.partner_id && users[0]!.partner_id === users[1]!.partner_id);
      await upkeep.database.db
        .insertInto("configurations")
        .values({
          code: "ACC",
          name: "Acc",
          kind: "configuration",
          vendor: "v",
          program_name: null,
          revision: 0,
          created_at: "2026-01-01T00:00:00Z",
        })
        .execute();
      await upkeep.database.db
        .insertInto("products")
        .values({
          code: "ACC-BASIC",
          name: "Acc basic",
          edition: "basic",
          free_support_months: 0,
          created_at: "2026-01-01T00:00:00Z",
        })
        .execute();
    } finally {
      await upkeep.close();
    }
    const csv = join(dataDir, "envelopes.csv");
    const issued = run([
      "pins",
      "issue",
      "--product",
      "ACC-BASIC",
      "--count",
      "25",
      "--vendor-registered",
      "--csv",
      csv,
    ]);
    assert.equal(issued.status, 0, issued.stderr);
    assert.equal(statSync(csv).mode & 0o777, 0o600);
    const lines = readFileSync(csv, "utf8").trim().split(/\r\n/);
    assert.equal(lines.length, 26);
    assert.match(lines[1]!, /^[0-9]{10},[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{4},ACC-BASIC$/);
    const noPin = run([
      "pins",
      "issue",
      "--product",
      "ACC-BASIC",
      "--count",
      "2",
      "--no-pin",
      "--csv",
      join(dataDir, "plain.csv"),
    ]);
    assert.equal(noPin.status, 0, noPin.stderr);
    assert.match(
      readFileSync(join(dataDir, "plain.csv"), "utf8").trim().split(/\r\n/)[1]!,
      /^[0-9]{10},,ACC-BASIC$/,
    );
    // An existing file is never overwritten, and nothing is issued then.
    const again = run(["pins", "issue", "--product", "ACC-BASIC", "--count", "2", "--csv", csv]);
    assert.notEqual(again.status, 0);
  });
});
