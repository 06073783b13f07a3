import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { LANGUAGES } from "../../src/web/i18n.ts";
import {
  downloadThrough,
  expectNoSeriousAxeViolations,
  launchBrowser,
  openPage,
  openReleaseThroughPages,
  type PortalServer,
  SCREENSHOTS_DIR,
  screenshot,
  screenshotAll,
  sidewaysOverflow,
  signInThroughForm,
  startPortal,
  VIEWPORTS,
} from "../support/browser.ts";
import { releaseWithUpdate } from "../support/catalogue-fixtures.ts";
import { availableDialects } from "../support/harness.ts";
import { sha256 } from "../support/hash.ts";
import {
  HIGH_RATE_LIMITS,
  issueRegistered,
  partnerAccount,
  registrationCatalogue,
} from "../support/registration-fixtures.ts";

const dialects = await availableDialects();

/** The number of pages of a PDF: its page objects (`/Type /Page`, not the `/Pages` tree). */
function pdfPageCount(pdf: Buffer): number {
  return pdf.toString("latin1").match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
}

/** Every partner page, in every language, passes axe and fits a phone; screenshots on SQLite. */
async function checkPage(page: Page, name: string, screenshots: boolean) {
  const url = page.url();
  const original = await page.evaluate(() => document.documentElement.lang);
  for (const language of [...LANGUAGES, original]) {
    const target = new URL(url);
    target.searchParams.set("lang", language);
    await page.goto(target.toString());
    if (language !== original) await expectNoSeriousAxeViolations(page);
  }
  await page.goto(url);
  if (screenshots) await screenshotAll(page, name);
}

describe("partner area in a browser", () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(() => browser?.close());

  for (const dialect of dialects) {
    describe(`on ${dialect}`, () => {
      let portal: PortalServer;
      let partnerLogin: string;
      let update: Awaited<ReturnType<typeof releaseWithUpdate>>;
      before(async () => {
        portal = await startPortal(dialect, HIGH_RATE_LIMITS);
        await registrationCatalogue(portal);
        const partner = await partnerAccount(portal, "Mitra Sejahtera");
        partnerLogin = partner.user.login;
        update = await releaseWithUpdate(portal, "ENT", "1.0.1.1");
      });
      after(() => portal?.close());

      it("a partner registers a client, prints the letter on one A4 page, records a subscription, and the client downloads a PROF update", async () => {
        const screenshots = dialect === "sqlite";
        const basic = (await issueRegistered(portal, "ACC-BASIC", { pin: false })).registrationNumber;
        const prof = (await issueRegistered(portal, "ENT-PROF", { pin: false })).registrationNumber;
        const { context, page, consoleErrors } = await openPage(browser, { locale: "id-ID" });
        try {
          await signInThroughForm(page, portal.baseUrl, partnerLogin, "partner-password-1");
          await page.goto(portal.url("/partner"));
          assert.equal(await page.locator("h1").textContent(), "Klien saya");
          assert.equal(await sidewaysOverflow(page), 0);

          // Register the client: a mistake first, then the whole form.
          await page.getByRole("link", { name: "Daftarkan klien" }).click();
          await page.waitForURL(/\/partner\/clients\/new$/);
          const fields: [string, string][] = [
            ["name", "Toko Melati"],
            ["activity", "Perdagangan eceran"],
            ["postalCode", "10110"],
            ["address", "Jl. Melati 5, Jakarta"],
            ["head", "B. Santoso"],
            ["responsiblePerson", "D. Lestari"],
            ["phone", "12"],
            ["email", "kantor@melati.example"],
            ["purchasedFrom", "Mitra Sejahtera"],
            ["purchaseDate", "2026-11-02"],
            ["workstations", "3"],
            ["registrationNumbers", `${basic}\n${prof}`],
          ];
          for (const [name, value] of fields) await page.locator(`#field-${name}`).fill(value);
          await page.locator("form.partner-form button[type=submit]").click();
          await page.waitForSelector("#field-phone-error");
          assert.equal(await page.locator("#field-name").inputValue(), "Toko Melati", "values kept");
          assert.equal(await page.locator("#field-registrationNumbers").inputValue(), `${basic}\n${prof}`);
          if (screenshots) await screenshot(page, "partner-register-errors");
          await page.locator("#field-phone").fill("+62 21 555 0101");
          await Promise.all([
            page.waitForURL(/\/partner\/clients\/\d+\/letter$/),
            page.locator("form.partner-form button[type=submit]").click(),
          ]);
          const userCode = basic;
          assert.ok(page.url().endsWith(`/partner/clients/${userCode}/letter`));
          const password = (await page.locator(".letter-password").textContent())?.trim() ?? "";
          assert.ok(password.length >= 8, "the letter shows the password");
          assert.ok(await page.locator("#print-letter").isVisible(), "the script shows the Print button");

          // Printed: one A4 page, the letter only (no navigation, no buttons).
          await page.emulateMedia({ media: "print" });
          assert.equal(await page.locator(".site-header").isVisible(), false);
          assert.equal(await page.locator(".letter-tools").isVisible(), false);
          if (screenshots) {
            // The printable area of A4 within the page's 15 mm margins, at 96 dpi.
            await page.setViewportSize({ width: 680, height: 1009 });
            await screenshot(page, "partner-letter-print");
            await page.setViewportSize(VIEWPORTS.desktop);
          }
          // Back to the browser's own choice: print for page.pdf, screen otherwise.
          await page.emulateMedia({ media: null });
          for (const language of LANGUAGES) {
            await page.goto(portal.url(`/partner/clients/${userCode}/letter?lang=${language}`));
            const pdf = await page.pdf({ format: "A4" });
            if (screenshots) writeFileSync(join(SCREENSHOTS_DIR, `partner-letter-${language}.pdf`), pdf);
            assert.equal(pdfPageCount(pdf), 1, `the ${language} letter prints on one A4 page`);
            assert.ok(
              (await page.locator(".letter-password").textContent())?.includes(password),
              "the password stays shown right after registration",
            );
          }
          await page.goto(portal.url(`/partner/clients/${userCode}/letter?lang=id`));
          await checkPage(page, "partner-letter", screenshots);

          // The client cannot download the PROF update yet: no subscription this month.
          const token = await clientToken(portal, userCode, password);
          const refused = await fetch(portal.url(`/api/v1/distributions/${update.update.id}/file`), {
            headers: { authorization: `Bearer ${token}` },
          });
          assert.equal(refused.status, 403);
          assert.equal(((await refused.json()) as { code: string }).code, "support_subscription_required");
          // Signed in with the letter, the client finds the release and is told why, with no button.
          const client = await openPage(browser, { locale: "id-ID" });
          await signInThroughForm(client.page, portal.baseUrl, userCode, password);
          assert.match((await client.page.locator(".session-user").textContent()) ?? "", /Toko Melati/);
          await openReleaseThroughPages(client.page, "Configuration ENT", "1.0.1.1");
          const notice = (await client.page.getByRole("alert").textContent()) ?? "";
          assert.match(notice, /Perlu langganan dukungan untuk November 2026/);
          assert.match(notice, /minta mitra Anda mencatat langganan dukungan/);
          const downloadLink = client.page.getByRole("link", { name: "Unduh Pembaruan: 1cv8.zip" });
          assert.equal(await downloadLink.count(), 0, "no download button before the subscription");

          // Record the subscription.
          await page.goto(portal.url("/partner/subscriptions/new"));
          await checkPage(page, "partner-subscription", screenshots);
          await page.locator("#field-registrationNumber").fill(prof);
          await page.locator("#field-fromMonth").fill("2026-11");
          await page.locator("#field-months").fill("12");
          await Promise.all([
            page.waitForURL(/\/partner\?done=subscription$/),
            page.locator("form.stacked-form button[type=submit]").click(),
          ]);
          const row = page.locator("tr", { hasText: userCode });
          assert.match((await row.textContent()) ?? "", /Didukung sampai 31 Okt 2027/);
          assert.match((await row.textContent()) ?? "", /Toko Melati/);
          await checkPage(page, "partner-clients", screenshots);
          assert.equal(await sidewaysOverflow(page), 0);

          // The client, still on the release page, now downloads the PROF update from it.
          try {
            await client.page.reload();
            assert.equal(await client.page.getByRole("alert").count(), 0, "nothing refused now");
            const downloaded = await downloadThrough(client.page, downloadLink);
            assert.equal(downloaded.fileName, "1cv8.zip");
            assert.equal(sha256(downloaded.bytes), sha256(update.bytes));
            // The refused release page answered 403 before the subscription; nothing else may fail.
            assert.deepEqual(
              client.consoleErrors.filter((e) => !e.includes("status of 403")),
              [],
            );
          } finally {
            await client.context.close();
          }
          // The program's route agrees with the page.
          const download = await fetch(portal.url(`/api/v1/distributions/${update.update.id}/file`), {
            headers: { authorization: `Bearer ${token}` },
          });
          assert.equal(download.status, 200);
          assert.equal(sha256(Buffer.from(await download.arrayBuffer())), sha256(update.bytes));
          // The form sent back with its errors answers 400, which the console reports.
          assert.deepEqual(
            consoleErrors.filter((e) => !e.includes("status of 400")),
            [],
          );
        } finally {
          await context.close();
        }
      });

      it("a partner authorises a number on a user code after seeing its support, on a phone", async () => {
        const screenshots = dialect === "sqlite";
        const item = await issueRegistered(portal, "ACC-BASIC");
        const registered = await portal.request({
          method: "POST",
          url: "/api/v1/registrations",
          body: {
            registrationNumber: item.registrationNumber,
            pin: item.pin,
            organization: {
              name: "Romashka LLC",
              activity: "Flowers",
              postalCode: "101000",
              address: "1 Garden Street",
              head: "I. Ivanov",
              responsiblePerson: "P. Petrova",
              phone: "+7 495 123-45-67",
              email: "office@romashka.example",
              purchasedFrom: "Shop",
              purchaseDate: "2026-11-01",
              workstations: 2,
            },
          },
        });
        assert.equal(registered.statusCode, 201, registered.body);
        const userCode = registered.json().userCode as string;
        const bought = (await issueRegistered(portal, "ENT-PROF", { pin: false })).registrationNumber;
        const { context, page, consoleErrors } = await openPage(browser, {
          viewport: "phone",
          locale: "ru-RU",
        });
        try {
          await signInThroughForm(page, portal.baseUrl, partnerLogin, "partner-password-1");
          await page.goto(portal.url("/partner/authorise"));
          await checkPage(page, "partner-authorise", screenshots);
          await page.locator("#field-userCode").fill(userCode);
          await page.locator("#field-registrationNumber").fill(bought);
          await Promise.all([
            page.waitForURL(/\/partner\/authorise\/check\?/),
            page.locator("form.stacked-form button[type=submit]").click(),
          ]);
          assert.match(
            (await page.locator(".alert-error").textContent()) ?? "",
            /Нет подписки на поддержку в этом месяце/,
          );
          assert.equal(await sidewaysOverflow(page), 0);
          await checkPage(page, "partner-authorise-check", screenshots);
          await Promise.all([
            page.waitForURL(/\/partner\?done=authorised$/),
            page.getByRole("button", { name: "Авторизовать без подписки" }).click(),
          ]);
          const row = page.locator("tr", { hasText: userCode });
          assert.match((await row.textContent()) ?? "", new RegExp(bought));
          assert.doesNotMatch((await row.textContent()) ?? "", /Romashka/);
          assert.equal(await sidewaysOverflow(page), 0);
          await page.goto(portal.url("/partner/clients/new"));
          await checkPage(page, "partner-register", screenshots);
          assert.equal(await sidewaysOverflow(page), 0);
          assert.deepEqual(consoleErrors, []);
        } finally {
          await context.close();
        }
      });
    });
  }
});

async function clientToken(portal: PortalServer, login: string, password: string): Promise<string> {
  const response = await fetch(portal.url("/api/v1/auth/token"), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ login, password }),
  });
  assert.equal(response.status, 201);
  return ((await response.json()) as { token: string }).token;
}
