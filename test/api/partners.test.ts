import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { buildHttpApp } from "../../src/http/app.ts";
import { createPartnersService } from "../../src/services/partners/index.ts";
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
  subscribe,
  tokenFor,
} from "../support/registration-fixtures.ts";

for (const dialect of await availableDialects()) {
  describe(`partners on ${dialect}`, () => {
    let t: TestApp;
    let alpha: PartnerLogin;
    let beta: PartnerLogin;
    before(async () => {
      ({ t, alpha, beta } = await startRegistrationApp(dialect));
    });
    after(() => t.close());

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
      assert.ok(authorizeAudit.some((a) => a.subject === `registration_number:${bought.registrationNumber}`));

      // Alpha sees its client; Beta, which did not register it, sees nothing of it.
      const mine = await t.request({
        method: "GET",
        url: `/api/v1/partner/users/${body.userCode}`,
        token: alpha.token,
      });
      assert.equal(mine.statusCode, 200);
      assert.equal(mine.json().products.length, 3);
      assert.equal(mine.json().organization, "Vasilek JSC");
      assert.equal(mine.json().registeredByYou, true);
      const theirs = await t.request({
        method: "GET",
        url: `/api/v1/partner/users/${body.userCode}`,
        token: beta.token,
      });
      assert.equal(theirs.statusCode, 404);
      const listBeta = await t.request({ method: "GET", url: "/api/v1/partner/users", token: beta.token });
      assert.ok(!listBeta.json().some((c: { userCode: string }) => c.userCode === body.userCode));

      // The client buys its next product from Beta and gives it the user code: Beta authorises it,
      // then sees the code and its own number, never the rest of the account.
      const another = await issueRegistered(t, "ACC-BASIC", { pin: false });
      const sold = await t.request({
        method: "POST",
        url: `/api/v1/partner/users/${body.userCode}/products`,
        token: beta.token,
        body: { registrationNumber: another.registrationNumber },
      });
      assert.equal(sold.statusCode, 201, sold.body);
      const seen = await t.request({
        method: "GET",
        url: `/api/v1/partner/users/${body.userCode}`,
        token: beta.token,
      });
      assert.equal(seen.statusCode, 200, seen.body);
      assert.deepEqual(seen.json(), {
        userCode: body.userCode,
        organization: null,
        email: null,
        registeredByYou: false,
        products: [
          {
            registrationNumber: another.registrationNumber,
            product: "ACC-BASIC",
            productName: "Product ACC-BASIC",
            edition: "basic",
            configurations: ["ACC"],
            support: { coveredThisMonth: true, until: null, needed: false },
          },
        ],
      });
      assert.ok(!seen.body.includes("Vasilek") && !seen.body.includes("boss@"), "no organisation details");
      const listedBeta = (
        await t.request({ method: "GET", url: "/api/v1/partner/users", token: beta.token })
      ).json() as { userCode: string; products: unknown[]; organization: unknown }[];
      const entry = listedBeta.find((c) => c.userCode === body.userCode);
      assert.equal(entry?.products.length, 1);
      assert.equal(entry?.organization, null);
      // The registering partner still sees the whole account, now with Beta's sale.
      const whole = await t.request({
        method: "GET",
        url: `/api/v1/partner/users/${body.userCode}`,
        token: alpha.token,
      });
      assert.equal(whole.json().products.length, 4);
      const listAlpha = await t.request({
        method: "GET",
        url: "/api/v1/partner/users",
        token: alpha.token,
      });
      assert.ok(listAlpha.json().some((c: { userCode: string }) => c.userCode === body.userCode));
      // The letter is the registering partner's only.
      assert.equal(
        (await t.upkeep.services.partners.clientLetter(alpha.user as never, body.userCode)).userCode,
        body.userCode,
      );
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
        products: t.upkeep.services.catalogue,
        accounts: t.upkeep.services.accounts,
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

    it("shows a self-registered user's account only to a partner that authorised a number on it, and only that", async () => {
      const item = await issueRegistered(t, "ACC-BASIC");
      const { userCode } = (await register(t, item.registrationNumber, item.pin!)).json();
      const response = await t.request({
        method: "GET",
        url: `/api/v1/partner/users/${userCode}`,
        token: alpha.token,
      });
      assert.equal(response.statusCode, 404, response.body);
      assert.equal(response.json().code, "user_not_found");
      const bought = await issueRegistered(t, "ENT-PROF", { pin: false });
      await t.request({
        method: "POST",
        url: `/api/v1/partner/users/${userCode}/products`,
        token: alpha.token,
        body: { registrationNumber: bought.registrationNumber },
      });
      const seen = await t.request({
        method: "GET",
        url: `/api/v1/partner/users/${userCode}`,
        token: alpha.token,
      });
      assert.equal(seen.statusCode, 200);
      assert.deepEqual(
        seen.json().products.map((p: { registrationNumber: string }) => p.registrationNumber),
        [bought.registrationNumber],
        "the user's own PIN product stays hidden",
      );
      assert.equal(seen.json().organization, null);
    });

    it("checks a number before authorising it: product, support this month, and a warning for PROF without one", async () => {
      const client = await clientHolding(t, alpha.token, [
        (await issueRegistered(t, "ACC-BASIC", { pin: false })).registrationNumber,
      ]);
      const check = (token: string, userCode: string, number: string) =>
        t.request({
          method: "GET",
          url: `/api/v1/partner/users/${userCode}/products/check?registrationNumber=${number}`,
          token,
        });
      const bare = await issueRegistered(t, "ENT-PROF", { pin: false });
      const warned = await check(beta.token, client.userCode, bare.registrationNumber);
      assert.equal(warned.statusCode, 200, warned.body);
      assert.deepEqual(warned.json(), {
        userCode: client.userCode,
        registrationNumber: bare.registrationNumber,
        product: "ENT-PROF",
        productName: "Product ENT-PROF",
        edition: "prof",
        configurations: ["ENT"],
        support: { coveredThisMonth: false, until: null, needed: true },
        supportWarning: true,
      });
      await subscribe(t, beta.token, bare.registrationNumber, "2026-11", 3);
      const covered = (await check(beta.token, client.userCode, bare.registrationNumber)).json();
      assert.deepEqual(covered.support, { coveredThisMonth: true, until: "2027-01-31", needed: true });
      assert.equal(covered.supportWarning, false);
      const free = await issueRegistered(t, "ENT-PROF6", { pin: false, purchaseDate: "2026-10-01" });
      const freeCheck = (await check(alpha.token, client.userCode, free.registrationNumber)).json();
      assert.equal(freeCheck.supportWarning, false, "the free period covers it");
      assert.equal(freeCheck.support.until, "2027-03-31");
      const basic = await issueRegistered(t, "ACC-BASIC", { pin: false });
      assert.equal(
        (await check(alpha.token, client.userCode, basic.registrationNumber)).json().supportWarning,
        false,
      );

      // The check writes nothing, and authorising does not check support.
      const authorized = await t.request({
        method: "POST",
        url: `/api/v1/partner/users/${client.userCode}/products`,
        token: alpha.token,
        body: {
          registrationNumber: (await issueRegistered(t, "HR-CORP", { pin: false })).registrationNumber,
        },
      });
      assert.equal(authorized.statusCode, 201, "a CORP number without support is authorised");

      // The same refusals as authorising.
      const refusals: [string, string, number, string][] = [
        ["999999999", basic.registrationNumber, 404, "user_not_found"],
        [client.userCode, client.userCode, 409, "already_registered"],
        [client.userCode, "12", 400, "validation_failed"],
        [
          client.userCode,
          (await issue(t, "ENT-PROF", 1, { pin: false }))[0]!.registrationNumber,
          403,
          "not_vendor_registered",
        ],
        [client.userCode, "123456789012", 404, "registration_number_not_found"],
      ];
      for (const [userCode, number, status, code] of refusals) {
        const refused = await check(alpha.token, userCode, number);
        assert.equal(refused.statusCode, status, `${userCode} ${number}: ${refused.body}`);
        assert.equal(refused.json().code, code);
      }
      const { token } = await t.signUp("user");
      for (const who of [token, t.adminToken]) {
        assert.equal((await check(who, client.userCode, basic.registrationNumber)).statusCode, 403);
      }
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
}
