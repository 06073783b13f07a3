import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { availableDialects, type TestApp } from "../support/harness.ts";
import {
  issueRegistered,
  type PartnerLogin,
  register,
  signIn,
  startRegistrationApp,
  tokenFor,
} from "../support/registration-fixtures.ts";
import { PageClient } from "../support/web-inject.ts";

const ACCOUNT_PAGES = [
  "/account",
  "/account/organisation",
  "/account/devices",
  "/account/password",
  "/account/products/add",
];

interface Customer {
  number: string;
  password: string;
  organization: string;
}

/** A browser signed in as `login`. */
async function signedIn(t: TestApp, login: string, password: string, language = "en"): Promise<PageClient> {
  const page = new PageClient(t, { "accept-language": language, "user-agent": `Browser of ${login}` });
  await page.get("/sign-in");
  const response = await page.post("/sign-in", { login, password, next: "/account" });
  assert.equal(response.statusCode, 303, response.body);
  return page;
}

for (const dialect of await availableDialects()) {
  describe(`account pages on ${dialect}`, () => {
    let t: TestApp;
    let alpha: PartnerLogin;
    before(async () => {
      ({ t, alpha } = await startRegistrationApp(dialect));
    });
    after(() => t.close());

    /** A self-registered customer of its own organisation, active. */
    async function customer(organization: string): Promise<Customer> {
      const item = await issueRegistered(t, "ACC-BASIC");
      const response = await register(t, item.registrationNumber, item.pin!, { name: organization });
      assert.equal(response.statusCode, 201, response.body);
      t.clock.advanceMinutes(15);
      return { number: item.registrationNumber, password: response.json().password, organization };
    }

    it("sends a signed-out visitor to sign in first, from every account page", async () => {
      const page = new PageClient(t);
      for (const path of ACCOUNT_PAGES) {
        const away = await page.get(path);
        assert.equal(away.statusCode, 303, path);
        assert.equal(away.headers.location, `/sign-in?next=${encodeURIComponent(path)}`);
      }
    });

    it("lists the account's own products with support and how each was registered, and no one else's", async () => {
      const mine = await customer("Melati Jaya");
      const other = await customer("Kenanga Abadi");
      const bought = await issueRegistered(t, "HR-CORP", { pin: false });
      const authorized = await t.request({
        method: "POST",
        url: `/api/v1/partner/users/${mine.number}/products`,
        token: alpha.token,
        body: { registrationNumber: bought.registrationNumber },
      });
      assert.equal(authorized.statusCode, 201, authorized.body);

      const page = await signedIn(t, mine.number, mine.password, "ru");
      const account = await page.get("/account");
      assert.equal(account.statusCode, 200);
      assert.match(account.body, /<h1>Программные продукты<\/h1>/);
      assert.match(account.body, /2 зарегистрированных продукта/);
      assert.ok(account.body.includes(mine.number) && account.body.includes(bought.registrationNumber));
      assert.ok(!account.body.includes(other.number), "another account's number is never shown");
      assert.match(account.body, /По ПИН-коду/);
      assert.match(account.body, /Партнёром Partner Alpha/);
      assert.match(account.body, /Не требуется \(базовая версия\)/);
      assert.match(account.body, /Нет: оформите подписку на этот месяц/, "the CORP number has no support");
      assert.match(account.body, /href="\/configurations\/ACC"/);
      assert.match(account.body, /href="\/account\/products\/add"/);
      assert.match(account.body, /aria-current="page">Программные продукты</);
    });

    it("shows the account's own organisation, read-only", async () => {
      const mine = await customer("Anggrek Sentosa");
      await customer("Teratai Makmur");
      const page = await signedIn(t, mine.number, mine.password, "id");
      const profile = await page.get("/account/organisation");
      assert.equal(profile.statusCode, 200);
      assert.match(profile.body, /<dt>Nama perusahaan<\/dt><dd>Anggrek Sentosa<\/dd>/);
      assert.match(profile.body, /<dt>Jumlah tempat kerja<\/dt><dd>5<\/dd>/);
      assert.ok(!profile.body.includes("Teratai Makmur"));
      assert.doesNotMatch(profile.body, /<form method="post" action="\/account/, "nothing to change here");
    });

    it("lists the program's tokens and the browsers signed in, and revokes them", async () => {
      const mine = await customer("Cempaka Putih");
      const other = await customer("Dahlia Merah");
      const program = await tokenFor(t, mine.number, mine.password);
      const otherToken = await tokenFor(t, other.number, other.password);
      const laptop = await signedIn(t, mine.number, mine.password);
      const page = await signedIn(t, mine.number, mine.password);

      const devices = await page.get("/account/devices");
      assert.equal(devices.statusCode, 200);
      assert.match(devices.body, /1 connected program/);
      assert.match(devices.body, /2 browsers signed in/);
      assert.match(devices.body, /This browser/);
      assert.ok(!devices.body.includes(program), "never the token itself");
      const tokenId = /action="\/account\/devices\/tokens\/([^/"]+)\/revoke"/.exec(devices.body)?.[1];
      const sessionId = /action="\/account\/devices\/sessions\/([^/"]+)\/revoke"/.exec(devices.body)?.[1];
      assert.ok(tokenId && sessionId);
      assert.equal(
        [...devices.body.matchAll(/\/account\/devices\/sessions\//g)].length,
        1,
        "not this browser's own",
      );

      // Another account's token cannot be named here.
      const otherId = (
        await t.request({ method: "GET", url: "/api/v1/me/tokens", token: otherToken })
      ).json()[0].id;
      const stranger = await page.post(`/account/devices/tokens/${otherId}/revoke`, {});
      assert.equal(stranger.statusCode, 404);
      assert.equal(
        (await t.request({ method: "GET", url: "/api/v1/me", token: otherToken })).statusCode,
        200,
      );

      await page.get("/account/devices");
      const nul = await page.post("/account/devices/tokens/%00/revoke", {});
      assert.equal(nul.statusCode, 400, "control characters never reach the use case");
      await page.get("/account/devices");
      const forged = await page.post(`/account/devices/tokens/${tokenId}/revoke`, { _csrf: "" });
      assert.equal(forged.statusCode, 403, "CSRF token required");
      assert.equal((await t.request({ method: "GET", url: "/api/v1/me", token: program })).statusCode, 200);

      const revoked = await page.post(`/account/devices/tokens/${tokenId}/revoke`, {});
      assert.equal(revoked.statusCode, 303);
      assert.equal(revoked.headers.location, "/account/devices?revoked=token");
      assert.equal((await t.request({ method: "GET", url: "/api/v1/me", token: program })).statusCode, 401);
      const after = await page.get("/account/devices?revoked=token");
      assert.match(after.body, /The token is revoked/);
      assert.match(after.body, /No program is connected/);

      const ended = await page.post(`/account/devices/sessions/${sessionId}/revoke`, {});
      assert.equal(ended.statusCode, 303);
      assert.equal((await laptop.get("/account")).statusCode, 303, "the other browser is signed out");
      assert.equal((await page.get("/account")).statusCode, 200, "this one stays");
    });

    it("changes the password: the current one checked, the new one twice, other sessions and tokens ended", async () => {
      const mine = await customer("Kamboja Indah");
      const program = await tokenFor(t, mine.number, mine.password);
      const laptop = await signedIn(t, mine.number, mine.password);
      const page = await signedIn(t, mine.number, mine.password, "ru");

      await page.get("/account/password");
      const wrong = await page.post("/account/password", {
        currentPassword: "not-my-password",
        newPassword: "a-new-password-1",
        newPasswordAgain: "a-new-password-1",
      });
      assert.equal(wrong.statusCode, 403);
      assert.match(wrong.body, /id="field-currentPassword-error">Текущий пароль неверен\.</);
      assert.ok(!wrong.body.includes("not-my-password") && !wrong.body.includes("a-new-password-1"));

      const differ = await page.post("/account/password", {
        currentPassword: mine.password,
        newPassword: "a-new-password-1",
        newPasswordAgain: "a-new-password-2",
      });
      assert.equal(differ.statusCode, 400);
      assert.match(differ.body, /id="field-newPasswordAgain-error">Новые пароли не совпадают/);

      const weak = await page.post("/account/password", {
        currentPassword: mine.password,
        newPassword: "short",
        newPasswordAgain: "short",
      });
      assert.equal(weak.statusCode, 400);
      assert.match(weak.body, /id="field-newPassword-error">Пароль — от 8 до 256 символов\.</);
      assert.equal((await signIn(t, mine.number, mine.password)).statusCode, 201, "nothing changed yet");

      const changed = await page.post("/account/password", {
        currentPassword: mine.password,
        newPassword: "a-new-password-1",
        newPasswordAgain: "a-new-password-1",
      });
      assert.equal(changed.statusCode, 303);
      assert.equal(changed.headers.location, "/account/password?changed=1");
      assert.match((await page.get("/account/password?changed=1")).body, /Пароль изменён/);
      assert.equal((await laptop.get("/account")).statusCode, 303, "the other browser is signed out");
      assert.equal((await t.request({ method: "GET", url: "/api/v1/me", token: program })).statusCode, 401);
      assert.equal((await signIn(t, mine.number, mine.password)).statusCode, 401);
      assert.equal((await signIn(t, mine.number, "a-new-password-1")).statusCode, 201);
    });

    it("registers a product with its PIN, telling a wrong PIN; staff and partners have no products to add", async () => {
      const mine = await customer("Seroja Baru");
      const item = await issueRegistered(t, "ACC-BASIC");
      const page = await signedIn(t, mine.number, mine.password, "id");
      await page.get("/account/products/add");
      const wrong = await page.post("/account/products/add", {
        registrationNumber: item.registrationNumber,
        pin: "1111-2222-3333-4444",
      });
      assert.equal(wrong.statusCode, 403);
      assert.match(wrong.body, /id="field-pin-error">Nomor registrasi atau PIN salah\. Tersisa 4 percobaan/);
      assert.match(
        wrong.body,
        new RegExp(`name="registrationNumber" type="text" value="${item.registrationNumber}"`),
      );
      assert.ok(!wrong.body.includes("1111-2222-3333-4444"));

      const added = await page.post("/account/products/add", {
        registrationNumber: item.registrationNumber,
        pin: item.pin!,
      });
      assert.equal(added.statusCode, 303);
      assert.match((await page.get("/account")).body, new RegExp(item.registrationNumber));

      const staff = await signedIn(t, "root-admin", "admin-password-1");
      assert.equal((await staff.get("/account/products/add")).statusCode, 403);
      const staffAccount = await staff.get("/account");
      assert.equal(staffAccount.statusCode, 200);
      assert.doesNotMatch(staffAccount.body, /href="\/account\/products\/add"/);
    });
  });
}
