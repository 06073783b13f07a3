import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { LANGUAGES } from "../../src/web/i18n.ts";
import {
  downloadThrough,
  expectNoSeriousAxeViolations,
  focusIsVisible,
  launchBrowser,
  openPage,
  openReleaseThroughPages,
  type PortalServer,
  screenshot,
  screenshotAll,
  sidewaysOverflow,
  startPortal,
  VIEWPORTS,
} from "../support/browser.ts";
import { releaseWithUpdate } from "../support/catalogue-fixtures.ts";
import { availableDialects } from "../support/harness.ts";
import { sha256 } from "../support/hash.ts";
import {
  HIGH_RATE_LIMITS,
  type Issued,
  issueRegistered,
  registrationCatalogue,
} from "../support/registration-fixtures.ts";

const dialects = await availableDialects();

/** Fills the first-time registration form as a person would, field by field. */
async function fillRegistrationForm(page: Page, item: Issued, overrides: Record<string, string> = {}) {
  const values: Record<string, string> = {
    registrationNumber: item.registrationNumber,
    pin: item.pin!,
    name: "CV Melati Jaya",
    activity: "Perdagangan bunga",
    postalCode: "40115",
    address: "Jl. Merdeka No. 12\nBandung",
    head: "Budi Santoso",
    responsiblePerson: "Siti Rahma",
    phone: "+62 22 423-1234",
    email: "kantor@melati.example",
    purchasedFrom: "PT Mitra Solusi",
    purchaseDate: "2026-11-02",
    workstations: "3",
    ...overrides,
  };
  for (const [field, value] of Object.entries(values)) await page.locator(`#field-${field}`).fill(value);
}

async function submit(page: Page) {
  await Promise.all([page.waitForLoadState(), page.locator("form.stacked-form button[type=submit]").click()]);
  await page.waitForLoadState();
}

/**
 * Self-registration, the password written down, access after the delay, the first download of a
 * basic update, and the account's pages.
 */
describe("registration and account in a browser", () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(() => browser?.close());

  for (const dialect of dialects) {
    describe(`on ${dialect}`, () => {
      let portal: PortalServer;
      let update: Awaited<ReturnType<typeof releaseWithUpdate>>;
      before(async () => {
        portal = await startPortal(dialect, HIGH_RATE_LIMITS);
        await registrationCatalogue(portal);
        update = await releaseWithUpdate(portal, "ACC", "2.0.4.7");
      });
      after(() => portal?.close());

      it("registers through the form, signs in with the keyboard alone once access opens, shows the product and downloads its first update", async () => {
        const item = await issueRegistered(portal, "ACC-BASIC");
        const { context, page, consoleErrors } = await openPage(browser, { timeZone: "Asia/Jakarta" });
        try {
          await page.goto(portal.url("/"));
          await page.getByRole("link", { name: "Register a product" }).first().click();
          await page.waitForURL(/\/register$/);
          await expectNoSeriousAxeViolations(page);
          if (dialect === "sqlite") await screenshotAll(page, "register");

          // A mistake: the form comes back with the field's error and every value but the PIN.
          await fillRegistrationForm(page, item, { phone: "call me" });
          await submit(page);
          assert.match(
            (await page.locator("#field-phone-error").textContent()) ?? "",
            /Enter a phone number/,
          );
          assert.equal(await page.locator("#field-name").inputValue(), "CV Melati Jaya");
          assert.equal(await page.locator("#field-address").inputValue(), "Jl. Merdeka No. 12\nBandung");
          assert.equal(await page.locator("#field-pin").inputValue(), "");
          await expectNoSeriousAxeViolations(page);
          if (dialect === "sqlite") {
            await screenshot(page, "register-errors");
            await page.setViewportSize(VIEWPORTS.phone);
            await screenshot(page, "register-errors");
            assert.equal(await sidewaysOverflow(page), 0, "the refused form fits a phone");
            await page.setViewportSize(VIEWPORTS.desktop);
          }

          await page.locator("#field-phone").fill("+62 22 423-1234");
          await page.locator("#field-pin").fill(item.pin!);
          await submit(page);
          assert.equal(await page.locator("h1").textContent(), "Your product is registered");
          const password = (await page.locator("#password").textContent()) ?? "";
          assert.ok(password.length >= 12);
          assert.equal(await page.locator("#user-code").textContent(), item.registrationNumber);
          assert.match((await page.locator("time").textContent()) ?? "", /GMT\+7/, "in the browser's zone");
          assert.ok(!page.url().includes(password));
          await expectNoSeriousAxeViolations(page);
          if (dialect === "sqlite") {
            await screenshot(page, "registered");
            await page.setViewportSize(VIEWPORTS.phone);
            await screenshot(page, "registered");
            assert.equal(await sidewaysOverflow(page), 0, "the password fits a phone");
            await page.setViewportSize(VIEWPORTS.desktop);
          }

          // Access opens after the delay (the test clock skips it); then the keyboard alone signs in.
          portal.clock.advanceMinutes(15);
          let reached = false;
          for (let presses = 0; presses < 30 && !reached; presses++) {
            await page.keyboard.press("Tab");
            reached = (await page.evaluate(() => document.activeElement?.textContent)) === "Go to sign-in";
          }
          assert.ok(reached, "Tab reaches the sign-in link");
          assert.ok(await focusIsVisible(page));
          await page.keyboard.press("Enter");
          await page.waitForURL(/\/sign-in\?next=%2Faccount$/);
          assert.equal(await page.evaluate(() => document.activeElement?.id), "field-login");
          await page.keyboard.type(item.registrationNumber);
          await page.keyboard.press("Tab");
          assert.equal(await page.evaluate(() => document.activeElement?.id), "field-password");
          await page.keyboard.type(password);
          await page.keyboard.press("Enter");
          await page.waitForURL(portal.url("/account"));

          const row = page.locator("tbody tr");
          assert.equal(await row.count(), 1);
          const text = (await row.textContent()) ?? "";
          assert.ok(text.includes(item.registrationNumber) && text.includes("ACC-BASIC"), text);
          assert.match(text, /With its PIN/);

          // The first download: the catalogue, the configuration, the release, its update.
          await openReleaseThroughPages(page, "Configuration ACC", "2.0.4.7");
          assert.equal(await page.locator("h1").textContent(), "Configuration ACC 2.0.4.7");
          assert.equal(await page.getByRole("alert").count(), 0, "nothing refused");
          const downloaded = await downloadThrough(
            page,
            page.getByRole("link", { name: "Download Update: 1cv8.zip" }),
          );
          assert.equal(downloaded.fileName, "1cv8.zip");
          assert.equal(sha256(downloaded.bytes), update.update.sha256);
          assert.equal(sha256(downloaded.bytes), sha256(update.bytes));
          assert.equal(
            await page.locator("tr", { hasText: "1cv8.zip" }).locator("code.digest").textContent(),
            sha256(downloaded.bytes),
            "the page shows the digest of the file it gives",
          );
          // The refused form's answer is a 400 on purpose; nothing else may fail.
          assert.deepEqual(
            consoleErrors.filter((e) => !e.includes("status of 400")),
            [],
          );
        } finally {
          await context.close();
        }
      });

      it("shows every account page well in each language, on a desktop and a phone", async () => {
        const item = await issueRegistered(portal, "ACC-BASIC");
        const registered = await portal.request({
          method: "POST",
          url: "/api/v1/registrations",
          body: {
            registrationNumber: item.registrationNumber,
            pin: item.pin,
            organization: {
              name: "ООО «Ромашка»",
              activity: "Оптовая торговля цветами",
              postalCode: "101000",
              address: "г. Москва, ул. Садовая, д. 1",
              head: "Иванов Иван Иванович",
              responsiblePerson: "Петрова Пелагея Петровна",
              phone: "+7 495 123-45-67",
              email: "office@romashka.example",
              purchasedFrom: "ООО «Партнёр»",
              purchaseDate: "2026-11-02",
              workstations: 12,
            },
          },
        });
        const { userCode, password } = registered.json();
        portal.clock.advanceMinutes(15);
        await portal.request({
          method: "POST",
          url: "/api/v1/auth/token",
          body: { login: userCode, password, name: "1C:Enterprise on ACCOUNTING-PC" },
        });
        const { context, page, consoleErrors } = await openPage(browser, { locale: "ru-RU" });
        try {
          await page.goto(portal.url("/sign-in?next=%2Faccount"));
          await page.locator("#field-login").fill(userCode);
          await page.locator("#field-password").fill(password);
          await submit(page);
          await page.waitForURL(portal.url("/account"));
          for (const [path, name] of [
            ["/account", "account"],
            ["/account/organisation", "account-organisation"],
            ["/account/devices", "account-devices"],
            ["/account/password", "account-password"],
            ["/account/products/add", "account-add-product"],
            ["/sign-up", "sign-up"],
          ] as const) {
            for (const language of LANGUAGES) {
              await page.goto(portal.url(`${path}?lang=${language}`));
              await expectNoSeriousAxeViolations(page);
            }
            await page.setViewportSize(VIEWPORTS.phone);
            assert.equal(await sidewaysOverflow(page), 0, `${path} fits a phone`);
            await page.setViewportSize(VIEWPORTS.desktop);
            if (dialect === "sqlite") await screenshotAll(page, name);
          }
          await page.goto(portal.url("/account/devices?lang=ru"));
          assert.match((await page.locator("tbody").first().textContent()) ?? "", /ACCOUNTING-PC/);
          assert.deepEqual(consoleErrors, []);
        } finally {
          await context.close();
        }
      });

      it("shows the password page of a registration in Indonesian and Russian too", async () => {
        if (dialect !== "sqlite") return;
        for (const [locale, title] of [
          ["id-ID", "Produk Anda sudah terdaftar"],
          ["ru-RU", "Продукт зарегистрирован"],
        ] as const) {
          const item = await issueRegistered(portal, "ACC-BASIC");
          const { context, page } = await openPage(browser, { locale, timeZone: "Europe/Moscow" });
          try {
            await page.goto(portal.url("/register"));
            await fillRegistrationForm(page, item);
            await submit(page);
            assert.equal(await page.locator("h1").textContent(), title);
            await screenshot(page, "registered");
            await page.setViewportSize(VIEWPORTS.phone);
            await screenshot(page, "registered");
          } finally {
            await context.close();
          }
        }
      });
    });
  }
});
