import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { TestApp } from "../support/harness.ts";
import { availableDialects } from "../support/harness.ts";
import {
  clientHolding,
  issue,
  issueRegistered,
  type PartnerLogin,
  partnerAccount,
  register,
  startRegistrationApp,
} from "../support/registration-fixtures.ts";
import { PageClient } from "../support/web-inject.ts";

const PARTNER_PASSWORD = "partner-password-1";

async function signedIn(t: TestApp, login: string, password: string, language = "en"): Promise<PageClient> {
  const page = new PageClient(t, { "accept-language": language });
  await page.get("/sign-in");
  const response = await page.post("/sign-in", { login, password, next: "/" });
  assert.equal(response.statusCode, 303, response.body);
  return page;
}

/** The organisation part of the client form, as a person types it. */
function clientForm(t: TestApp, numbers: string[], overrides: Record<string, string> = {}) {
  return {
    name: "Melati Trading",
    activity: "Retail of spices",
    postalCode: "10110",
    address: "Jl. Melati 5, Jakarta",
    head: "B. Santoso",
    responsiblePerson: "D. Lestari",
    phone: "+62 21 555 0101",
    email: "office@melati.example",
    purchasedFrom: "Partner Alpha",
    purchaseDate: t.clock.now().toISOString().slice(0, 10),
    workstations: "3",
    registrationNumbers: numbers.join("\n"),
    ...overrides,
  };
}

const PARTNER_PAGES = [
  "/partner",
  "/partner/clients/new",
  "/partner/authorise",
  "/partner/authorise/check?userCode=1&registrationNumber=2",
  "/partner/subscriptions/new",
];

for (const dialect of await availableDialects()) {
  describe(`partner pages on ${dialect}`, () => {
    let t: TestApp;
    let alpha: PartnerLogin & { login: string };
    let beta: PartnerLogin & { login: string };
    let alphaPage: PageClient;
    let betaPage: PageClient;
    before(async () => {
      ({ t } = await startRegistrationApp(dialect));
      const a = await partnerAccount(t, "Partner Alpha");
      const b = await partnerAccount(t, "Partner Beta");
      alpha = { ...a, login: a.user.login };
      beta = { ...b, login: b.user.login };
      alphaPage = await signedIn(t, alpha.login, PARTNER_PASSWORD);
      betaPage = await signedIn(t, beta.login, PARTNER_PASSWORD);
    });
    after(() => t.close());

    it("are for partners only: signed out to sign in, users and staff get 403", async () => {
      for (const path of PARTNER_PAGES) {
        const anonymous = await new PageClient(t).get(path);
        assert.equal(anonymous.statusCode, 303, path);
        assert.match(String(anonymous.headers.location), /^\/sign-in\?next=/);
      }
      await t.upkeep.services.accounts.createUser({
        login: "plain-user",
        password: "password-123",
        role: "user",
      });
      const user = await signedIn(t, "plain-user", "password-123");
      const admin = await signedIn(t, "root-admin", "admin-password-1");
      for (const page of [user, admin]) {
        for (const path of PARTNER_PAGES) assert.equal((await page.get(path)).statusCode, 403, path);
        await page.get("/");
        const posted = await page.post("/partner/authorise", { userCode: "1", registrationNumber: "2" });
        assert.equal(posted.statusCode, 403);
      }
    });

    it("registers a client through the form: errors per field with values kept, then the letter with the password once", async () => {
      const first = await issueRegistered(t, "ACC-BASIC", { pin: false });
      const second = await issueRegistered(t, "ENT-PROF6", { pin: false, purchaseDate: "2026-10-01" });
      await alphaPage.get("/partner/clients/new");
      const wrong = await alphaPage.post(
        "/partner/clients/new",
        clientForm(t, [first.registrationNumber, "12"], { email: "not-an-address", head: "" }),
      );
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /id="field-email-error"[^>]*>Enter an e-mail address/);
      assert.match(wrong.body, /id="field-head-error"[^>]*>This field is required/);
      assert.match(
        wrong.body,
        /id="field-registrationNumbers-error"[^>]*>A registration number has 8 to 12 digits/,
      );
      assert.match(wrong.body, /name="name"[^>]*value="Melati Trading"/);
      assert.match(wrong.body, /value="not-an-address"/);
      assert.ok(wrong.body.includes(`${first.registrationNumber}\n12</textarea>`), "the numbers are kept");
      assert.equal(
        (
          await t.upkeep.database.db
            .selectFrom("users")
            .select("login")
            .where("login", "=", first.registrationNumber)
            .execute()
        ).length,
        0,
        "nothing written",
      );

      const unregistered = (await issue(t, "ACC-BASIC", 1, { pin: false }))[0]!.registrationNumber;
      const refused = await alphaPage.post("/partner/clients/new", clientForm(t, [unregistered]));
      assert.equal(refused.statusCode, 403);
      assert.match(refused.body, /is not registered with the vendor yet/);

      const done = await alphaPage.post(
        "/partner/clients/new",
        clientForm(t, [first.registrationNumber, second.registrationNumber]),
      );
      assert.equal(done.statusCode, 303, done.body);
      const letterUrl = `/partner/clients/${first.registrationNumber}/letter`;
      assert.equal(done.headers.location, letterUrl);
      const letter = await alphaPage.get(letterUrl);
      assert.equal(letter.statusCode, 200);
      const password = /class="mono letter-password">([^<]+)</.exec(letter.body)?.[1];
      assert.ok(password, "the password is on the letter");
      for (const text of [
        first.registrationNumber,
        second.registrationNumber,
        "Product ENT-PROF6",
        "Melati Trading",
        "Partner Alpha",
      ])
        assert.ok(letter.body.includes(text), text);
      assert.match(letter.body, /Supported until Mar 31, 2027/);
      assert.match(letter.body, /<time datetime="2026-11-16">Nov 16, 2026<\/time>/);
      // The password opens the account: the letter is right.
      const token = await t.request({
        method: "POST",
        url: "/api/v1/auth/token",
        body: { login: first.registrationNumber, password },
      });
      assert.equal(token.statusCode, 201);

      // Another session of the same partner, later, gets the letter without the password.
      const later = await signedIn(t, alpha.login, PARTNER_PASSWORD);
      const again = await later.get(letterUrl);
      assert.equal(again.statusCode, 200);
      assert.ok(!again.body.includes(password!), "the password is not shown again");
      assert.match(again.body, /The password was shown once/);
      // Another partner has no letter of it, even with the cookie of the first session.
      const letterCookie = alphaPage.cookies.get("upkeep_letter");
      assert.ok(letterCookie, "the first session carries the sealed password");
      betaPage.cookies.set("upkeep_letter", letterCookie);
      const stolen = await betaPage.get(letterUrl);
      betaPage.cookies.delete("upkeep_letter");
      assert.equal(stolen.statusCode, 404);
      assert.ok(!stolen.body.includes(password!));

      const list = await alphaPage.get("/partner");
      assert.equal(list.statusCode, 200);
      assert.ok(list.body.includes("Melati Trading"));
      assert.ok(list.body.includes(second.registrationNumber));
    });

    it("authorises a number on another's client in two steps, warning for PROF without support, and then shows only that", async () => {
      const held = (await issueRegistered(t, "ACC-BASIC", { pin: false })).registrationNumber;
      const hidden = (await issueRegistered(t, "HR-CORP", { pin: false })).registrationNumber;
      const client = await clientHolding(t, alpha.token, [held, hidden]);
      const bare = (await issueRegistered(t, "ENT-PROF", { pin: false })).registrationNumber;

      const unknown = await betaPage.get(
        `/partner/authorise/check?userCode=999999999&registrationNumber=${bare}`,
      );
      assert.equal(unknown.statusCode, 404);
      assert.match(unknown.body, /id="field-userCode-error"[^>]*>There is no client with this user code/);
      assert.match(unknown.body, new RegExp(`name="registrationNumber"[^>]*value="${bare}"`), "values kept");

      const taken = await betaPage.get(
        `/partner/authorise/check?userCode=${client.userCode}&registrationNumber=${held}`,
      );
      assert.equal(taken.statusCode, 409);
      assert.match(taken.body, /id="field-registrationNumber-error"[^>]*>\d+ is already registered/);

      const check = await betaPage.get(
        `/partner/authorise/check?userCode=${client.userCode}&registrationNumber=${bare}`,
      );
      assert.equal(check.statusCode, 200);
      assert.match(check.body, /No support subscription this month/);
      assert.match(check.body, /Authorise without a subscription/);
      assert.ok(!check.body.includes("Romashka"), "nothing of the account");
      assert.ok(!check.body.includes(hidden), "nor its other numbers");
      const authorised = await betaPage.post("/partner/authorise", {
        userCode: client.userCode,
        registrationNumber: bare,
      });
      assert.equal(authorised.statusCode, 303);
      assert.equal(authorised.headers.location, "/partner?done=authorised");

      const list = await betaPage.get("/partner?done=authorised");
      assert.match(list.body, /The number has been authorised/);
      assert.ok(list.body.includes(client.userCode));
      assert.ok(list.body.includes(bare));
      assert.ok(!list.body.includes(hidden), "the rest of the account stays hidden");
      assert.ok(!list.body.includes("Romashka"), "so does the organisation");
      assert.match(list.body, /Registered elsewhere/);
      assert.equal((await betaPage.get(`/partner/clients/${client.userCode}/letter`)).statusCode, 404);

      // Again on the same number: the form says why, with what was typed.
      await betaPage.get("/partner/authorise");
      const twice = await betaPage.post("/partner/authorise", {
        userCode: client.userCode,
        registrationNumber: bare,
      });
      assert.equal(twice.statusCode, 409);
      assert.match(twice.body, /is already registered on the site/);

      // A self-registered account: its own PIN product never shows.
      const item = await issueRegistered(t, "ACC-BASIC");
      const { userCode } = (await register(t, item.registrationNumber, item.pin!)).json();
      const basic = (await issueRegistered(t, "ACC-BASIC", { pin: false })).registrationNumber;
      const plain = await betaPage.get(
        `/partner/authorise/check?userCode=${userCode}&registrationNumber=${basic}`,
      );
      assert.doesNotMatch(plain.body, /Authorise without a subscription/);
      assert.match(plain.body, /No subscription needed/);
      await betaPage.post("/partner/authorise", { userCode, registrationNumber: basic });
      const after = await betaPage.get("/partner");
      assert.ok(after.body.includes(basic));
      assert.ok(
        !after.body.includes(`>${item.registrationNumber}</span> Product`),
        "the user's PIN product stays hidden",
      );
    });

    it("records a subscription: errors per field with values kept, then the coverage shows", async () => {
      const number = (await issueRegistered(t, "HR-CORP", { pin: false })).registrationNumber;
      const extra = (await issueRegistered(t, "ENT-PROF", { pin: false })).registrationNumber;
      await clientHolding(t, alpha.token, [number, extra]);
      const form = await alphaPage.get("/partner/subscriptions/new");
      assert.match(form.body, /name="fromMonth"[^>]*value="2026-11"/, "the service's current month");
      const bad = await alphaPage.post("/partner/subscriptions/new", {
        registrationNumber: number,
        fromMonth: "2026/11",
        months: "12",
        additionalNumbers: extra,
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /id="field-fromMonth-error"[^>]*>Enter the first month as YYYY-MM/);
      assert.match(bad.body, /value="2026\/11"/);
      assert.ok(bad.body.includes(`>${extra}</textarea>`));
      const unknown = await alphaPage.post("/partner/subscriptions/new", {
        registrationNumber: number,
        fromMonth: "2026-11",
        months: "12",
        additionalNumbers: "123456789012",
      });
      assert.equal(unknown.statusCode, 404);
      assert.match(
        unknown.body,
        /id="field-additionalNumbers-error"[^>]*>There is no registration number 123456789012/,
      );

      const done = await alphaPage.post("/partner/subscriptions/new", {
        registrationNumber: number,
        fromMonth: "2026-11",
        months: "3",
        additionalNumbers: extra,
      });
      assert.equal(done.statusCode, 303, done.body);
      assert.equal(done.headers.location, "/partner?done=subscription");
      const list = await alphaPage.get("/partner?done=subscription");
      assert.match(list.body, /The support subscription has been recorded/);
      const supported = list.body.split(extra)[1] ?? "";
      assert.match(supported.slice(0, 300), /Supported until Jan 31, 2027/);

      await alphaPage.get("/partner/subscriptions/new");
      const overlap = await alphaPage.post("/partner/subscriptions/new", {
        registrationNumber: number,
        fromMonth: "2026-12",
        months: "6",
        additionalNumbers: "",
      });
      assert.equal(overlap.statusCode, 409);
      assert.match(overlap.body, /already has a different subscription from 2026-11 to 2027-01/);
    });

    it("answers hostile input with a 4xx page, never a 500", async () => {
      const held = (await issueRegistered(t, "ACC-BASIC", { pin: false })).registrationNumber;
      const client = await clientHolding(t, alpha.token, [held]);
      for (const url of [
        "/partner/clients/%00/letter",
        `/partner/clients/${"9".repeat(5000)}/letter`,
        "/partner/authorise/check?userCode=%00&registrationNumber=1234567890",
        `/partner/authorise/check?userCode=${client.userCode}&registrationNumber=%00`,
        "/partner/authorise/check?userCode[]=1",
      ]) {
        const response = await alphaPage.get(url);
        assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${url}: ${response.statusCode}`);
      }
      await alphaPage.get("/partner/authorise");
      const posted = await alphaPage.post("/partner/authorise", {
        userCode: "\u0000",
        registrationNumber: "1234567890",
      });
      assert.equal(posted.statusCode, 400, "control characters never reach the use case");
      await alphaPage.get("/partner/clients/new");
      const form = await alphaPage.post("/partner/clients/new", {
        name: "a\u0000b",
        registrationNumbers: "1234567890",
      });
      assert.equal(form.statusCode, 400);
    });

    it("speaks the partner's language", async () => {
      const ru = await signedIn(t, alpha.login, PARTNER_PASSWORD, "ru");
      const page = await ru.get("/partner");
      assert.match(page.body, /<html lang="ru">/);
      assert.match(page.body, /Мои клиенты/);
      assert.match(page.body, /\d+ клиент(а|ов)?</);
    });
  });
}
