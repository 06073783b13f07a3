import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ORGANIZATION_FIELDS } from "../../src/domain/organization.ts";
import { availableDialects, startTestApp, type TestApp } from "../support/harness.ts";
import {
  issue,
  issueRegistered,
  organization,
  startRegistrationApp,
  tokenFor,
} from "../support/registration-fixtures.ts";
import { PageClient, setCookies } from "../support/web-inject.ts";

/** The registration form's fields as a browser posts them. */
function formOf(t: TestApp, number: string, pin: string, overrides: Record<string, string> = {}) {
  const fields = Object.fromEntries(
    Object.entries(organization(t)).map(([key, value]) => [key, String(value)]),
  );
  return { registrationNumber: number, pin, ...fields, ...overrides };
}

/** The error shown beside one field, or undefined. */
function fieldError(html: string, field: string): string | undefined {
  return new RegExp(`id="field-${field}-error">([^<]*)<`).exec(html)?.[1];
}

const countUsers = (t: TestApp) =>
  t.upkeep.database.db
    .selectFrom("users")
    .select("id")
    .execute()
    .then((rows) => rows.length);

for (const dialect of await availableDialects()) {
  describe(`registration pages on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      ({ t } = await startRegistrationApp(dialect));
    });
    after(() => t.close());

    describe("/register", () => {
      it("shows the number, the PIN and every organisation field, each labelled and required", async () => {
        const page = new PageClient(t, { "accept-language": "ru" });
        const form = await page.get("/register");
        assert.equal(form.statusCode, 200);
        assert.match(form.body, /<h1>Регистрация программного продукта<\/h1>/);
        for (const field of ["registrationNumber", "pin", ...ORGANIZATION_FIELDS]) {
          assert.match(form.body, new RegExp(`<label for="field-${field}">`), field);
          assert.match(form.body, new RegExp(`id="field-${field}" name="${field}"[^>]*required`), field);
        }
        assert.match(form.body, /name="_csrf"/);
      });

      it("names every missing or invalid field in the user's language, keeping the values but never the PIN", async () => {
        const item = await issueRegistered(t, "ACC-BASIC");
        const users = await countUsers(t);
        const page = new PageClient(t, { "accept-language": "id" });
        await page.get("/register");
        const refused = await page.post(
          "/register",
          formOf(t, item.registrationNumber, item.pin!, {
            name: "",
            phone: "call me",
            email: "not-an-address",
            purchaseDate: "2099-01-01",
            workstations: "many",
            activity: "Toko <bunga> & sayur",
          }),
        );
        assert.equal(refused.statusCode, 400);
        assert.equal(fieldError(refused.body, "name"), "Isi kolom ini.");
        assert.match(fieldError(refused.body, "phone") ?? "", /Masukkan nomor telepon/);
        assert.match(fieldError(refused.body, "email") ?? "", /Masukkan alamat e-mail/);
        assert.equal(
          fieldError(refused.body, "purchaseDate"),
          "Tanggal pembelian tidak boleh lebih dari hari ini.",
        );
        assert.match(fieldError(refused.body, "workstations") ?? "", /bilangan bulat dari 1 sampai 100\.000/);
        assert.equal(fieldError(refused.body, "address"), undefined, "a valid field shows no error");
        assert.match(refused.body, /aria-invalid="true"/);
        assert.match(refused.body, /<a href="#field-phone">Telepon<\/a>/, "the summary links to the field");
        // Kept and escaped.
        assert.match(refused.body, /name="activity" type="text" value="Toko &lt;bunga> &amp; sayur"/);
        assert.match(
          refused.body,
          new RegExp(`name="registrationNumber" type="text" value="${item.registrationNumber}"`),
        );
        assert.match(refused.body, /1 Garden Street, Moscow<\/textarea>/);
        assert.ok(!refused.body.includes(item.pin!), "the PIN is never sent back");
        assert.equal(await countUsers(t), users, "nothing written");

        // The form cost no PIN attempt: the right PIN still registers.
        await page.get("/register");
        const ok = await page.post("/register", formOf(t, item.registrationNumber, item.pin!));
        assert.equal(ok.statusCode, 200);
      });

      it("shows the password once, with the user code and when access opens in the user's time zone", async () => {
        const item = await issueRegistered(t, "ACC-BASIC");
        const page = new PageClient(t, { "accept-language": "en" });
        page.cookies.set("tz", "Asia/Jakarta");
        await page.get("/register");
        const done = await page.post("/register", formOf(t, item.registrationNumber, item.pin!));
        assert.equal(done.statusCode, 200, done.body.slice(0, 500));
        assert.equal(done.headers["cache-control"], "no-store");
        assert.equal(done.headers.location, undefined, "answered directly, never redirected");
        const password = /id="password">([^<]+)</.exec(done.body)?.[1];
        assert.ok(password && password.length >= 12, "a password");
        assert.equal(done.body.split(password).length, 2, "the password appears exactly once");
        assert.ok(
          !JSON.stringify(done.headers).includes(password) &&
            setCookies(done).every((c) => !c.value.includes(password)),
          "not in a header or cookie",
        );
        assert.match(done.body, new RegExp(`id="user-code">${item.registrationNumber}<`));
        assert.match(done.body, /Write the password down now/);
        const opens = new Date(t.clock.now().getTime() + 15 * 60_000);
        const expected = new Intl.DateTimeFormat("en", {
          year: "numeric",
          month: "short",
          day: "numeric",
          hour: "2-digit",
          minute: "2-digit",
          timeZone: "Asia/Jakarta",
          timeZoneName: "short",
        }).format(opens);
        assert.ok(done.body.includes(`<time datetime="${opens.toISOString()}">${expected}</time>`), expected);
        assert.match(expected, /GMT\+7/);

        // The password is the account's: it signs in once access opens.
        t.clock.advanceMinutes(15);
        await tokenFor(t, item.registrationNumber, password);
        // Sending the form again registers nothing twice.
        await page.get("/register");
        const again = await page.post("/register", formOf(t, item.registrationNumber, item.pin!));
        assert.equal(again.statusCode, 409);
        assert.match(fieldError(again.body, "registrationNumber") ?? "", /registered on the site already/);
        assert.ok(!again.body.includes(password));
      });

      it("tells a wrong PIN with the tries left, then the lock with its end, in the user's language", async () => {
        const item = await issueRegistered(t, "ACC-BASIC");
        const page = new PageClient(t, { "accept-language": "ru" });
        let last = "";
        for (let i = 0; i < 5; i++) {
          await page.get("/register");
          const wrong = await page.post(
            "/register",
            formOf(t, item.registrationNumber, "0000-0000-0000-0000"),
          );
          assert.equal(wrong.statusCode, 403);
          last = fieldError(wrong.body, "pin") ?? "";
          if (i === 0) assert.match(last, /^Неверный регистрационный номер или ПИН-код\. Осталось 4 попытки/);
          if (i === 3) assert.match(last, /Осталась 1 попытка/);
          if (i === 4) assert.match(last, /Это была последняя попытка/);
          assert.ok(!wrong.body.includes("0000-0000-0000-0000"));
        }
        await page.get("/register");
        const locked = await page.post("/register", formOf(t, item.registrationNumber, item.pin!));
        assert.equal(locked.statusCode, 403);
        assert.match(
          locked.body,
          /введено слишком много неверных ПИН-кодов\. Повторите после 16 нояб\. 2026 г\., \d\d:\d\d UTC/,
        );
      });

      it("explains each other refusal: not registered with the vendor, PROF without support", async () => {
        const [unregistered] = await issue(t, "ACC-BASIC", 1);
        const page = new PageClient(t, { "accept-language": "en" });
        await page.get("/register");
        const card = await page.post(
          "/register",
          formOf(t, unregistered!.registrationNumber, unregistered!.pin!),
        );
        assert.equal(card.statusCode, 403);
        assert.match(fieldError(card.body, "registrationNumber") ?? "", /not registered with the vendor yet/);

        const prof = await issueRegistered(t, "ENT-PROF");
        await page.get("/register");
        const support = await page.post("/register", formOf(t, prof.registrationNumber, prof.pin!));
        assert.equal(support.statusCode, 403);
        assert.match(
          support.body,
          /registers with its PIN only while it has a support subscription for November 2026/,
        );
      });

      it("refuses control characters, which no stored text may hold, except line breaks in the address", async () => {
        const item = await issueRegistered(t, "ACC-BASIC");
        const page = new PageClient(t, { "accept-language": "en" });
        await page.get("/register");
        const refused = await page.post(
          "/register",
          formOf(t, item.registrationNumber, item.pin!, {
            name: "Romashka\u0000LLC",
            address: "1 Garden St\r\nMoscow",
          }),
        );
        assert.equal(refused.statusCode, 400);
        assert.equal(fieldError(refused.body, "name"), "Remove the control characters from this field.");
        assert.equal(fieldError(refused.body, "address"), undefined);
        await page.get("/register");
        const ok = await page.post(
          "/register",
          formOf(t, item.registrationNumber, item.pin!, { address: "1 Garden St\r\nMoscow" }),
        );
        assert.equal(ok.statusCode, 200, "a wrong character cost no PIN attempt");

        await page.get("/sign-up");
        const signUp = await page.post("/sign-up", {
          login: "nul-mail",
          email: "a\u0000@example.com",
          password: "long-enough-1",
          passwordAgain: "long-enough-1",
        });
        assert.equal(signUp.statusCode, 400);
        assert.equal(await t.upkeep.services.accounts.findByLogin("nul-mail"), null);
      });

      it("refuses a form posted without its CSRF token, registering nothing", async () => {
        const item = await issueRegistered(t, "ACC-BASIC");
        const page = new PageClient(t);
        await page.get("/register");
        const forged = await page.post("/register", {
          ...formOf(t, item.registrationNumber, item.pin!),
          _csrf: "",
        });
        assert.equal(forged.statusCode, 403);
        assert.equal(await t.upkeep.services.accounts.findByLogin(item.registrationNumber), null);
      });
    });

    it("throttles the forms' POSTs per address as the API's registration routes, with the 429 page", async () => {
      const throttled = await startTestApp(dialect, {
        rateLimits: { registration: { max: 2, timeWindow: 60_000 } },
      });
      try {
        const page = new PageClient(throttled, { "accept-language": "ru" });
        await page.get("/register");
        const token = page.csrf();
        const statuses = [];
        for (let i = 0; i < 3; i++) {
          statuses.push((await page.post("/register", { _csrf: token, registrationNumber: "1" })).statusCode);
        }
        assert.deepEqual(statuses, [400, 400, 429]);
        assert.match(page.last!.body, /<html lang="ru">/);
        await page.get("/sign-up");
        const signUp = await page.post("/sign-up", { login: "x" });
        assert.equal(signUp.statusCode, 400, "each route counts apart");
      } finally {
        await throttled.close();
      }
    });

    describe("/sign-up", () => {
      it("names every field's problem at once, keeping the login and e-mail but no password", async () => {
        const page = new PageClient(t, { "accept-language": "en" });
        await page.get("/sign-up");
        const refused = await page.post("/sign-up", {
          login: "x",
          email: "nowhere",
          password: "secret-one-1",
          passwordAgain: "secret-two-2",
        });
        assert.equal(refused.statusCode, 400);
        assert.match(fieldError(refused.body, "login") ?? "", /^A login has 2 to 64/);
        assert.match(fieldError(refused.body, "email") ?? "", /e-mail address/);
        assert.match(fieldError(refused.body, "passwordAgain") ?? "", /passwords differ/);
        assert.match(refused.body, /name="login" type="text" value="x"/);
        assert.match(refused.body, /name="email" type="email" value="nowhere"/);
        assert.ok(!refused.body.includes("secret-one-1") && !refused.body.includes("secret-two-2"));

        const digits = await page.post("/sign-up", {
          login: "1234567890",
          email: "a@example.com",
          password: "long-enough-1",
          passwordAgain: "long-enough-1",
        });
        assert.equal(digits.statusCode, 400, "logins of 8-12 digits are user codes");
        assert.match(fieldError(digits.body, "login") ?? "", /user codes/);
      });

      it("creates the login, signs in and offers to register a product with its PIN", async () => {
        const page = new PageClient(t, { "accept-language": "en" });
        await page.get("/sign-up");
        const made = await page.post("/sign-up", {
          login: "tani.makmur",
          email: "kantor@tani.example",
          password: "long-enough-1",
          passwordAgain: "long-enough-1",
        });
        assert.equal(made.statusCode, 303);
        assert.equal(made.headers.location, "/account/products/add?welcome=1");
        const add = await page.get("/account/products/add?welcome=1");
        assert.equal(add.statusCode, 200);
        assert.match(add.body, /Your login is ready/);

        const item = await issueRegistered(t, "ACC-BASIC");
        const added = await page.post("/account/products/add", {
          registrationNumber: item.registrationNumber,
          pin: item.pin!,
        });
        assert.equal(added.statusCode, 303);
        assert.equal(added.headers.location, `/account?added=${item.registrationNumber}`);
        const account = await page.get(added.headers.location as string);
        assert.match(account.body, new RegExp(`The product ${item.registrationNumber} is registered`));
        assert.match(account.body, /With its PIN/);
        const profile = await page.get("/account/organisation");
        assert.match(profile.body, /No organisation details are recorded for this account/);

        const taken = new PageClient(t, { "accept-language": "ru" });
        await taken.get("/sign-up");
        const twice = await taken.post("/sign-up", {
          login: "TANI.makmur",
          email: "other@tani.example",
          password: "long-enough-2",
          passwordAgain: "long-enough-2",
        });
        assert.equal(twice.statusCode, 409);
        assert.equal(fieldError(twice.body, "login"), "Этот логин занят: выберите другой.");
      });
    });
  });
}
