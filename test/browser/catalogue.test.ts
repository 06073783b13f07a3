import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import {
  downloadThrough,
  expectNoSeriousAxeViolations,
  launchBrowser,
  openPage,
  type PortalServer,
  screenshotAll,
  signInThroughForm,
  startPortal,
} from "../support/browser.ts";
import {
  createConfiguration,
  createRelease,
  updatePackage,
  uploadDistribution,
} from "../support/catalogue-fixtures.ts";
import { availableDialects } from "../support/harness.ts";
import { sha256 } from "../support/hash.ts";
import { createProduct, issueRegistered, partnerAccount } from "../support/registration-fixtures.ts";

const PASSWORD = "katalog-sandi-1";
const dialects = await availableDialects();

/** A user holding the products' numbers, authorised by a partner (no PIN, so no support check). */
async function userHolding(portal: PortalServer, login: string, products: string[]) {
  await portal.upkeep.services.accounts.createUser({ login, password: PASSWORD, role: "user" });
  const partner = await partnerAccount(portal, "Partner Katalog");
  for (const product of products) {
    const { registrationNumber } = await issueRegistered(portal, product, {
      pin: false,
      purchaseDate: "2025-03-01",
    });
    const response = await portal.request({
      method: "POST",
      url: `/api/v1/partner/users/${login}/products`,
      token: partner.token,
      body: { registrationNumber },
    });
    assert.equal(response.statusCode, 201, response.body);
  }
}

/** The catalogue's journeys: a basic user downloads an update; a PROF user without support is told why. */
describe("catalogue in a browser", () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(() => browser?.close());

  for (const [index, dialect] of dialects.entries()) {
    // Screenshots of every page in every language are taken once, on the first dialect.
    const screenshots = index === 0;
    describe(`on ${dialect}`, () => {
      let portal: PortalServer;
      let updateBytes: Buffer;
      before(async () => {
        portal = await startPortal(dialect);
        await createConfiguration(portal, "HRM");
        await createConfiguration(portal, "ACC");
        await createConfiguration(portal, "PLAT", "platform", "file");
        await createProduct(portal, "HRM-BASIC", "basic", ["HRM", "PLAT"]);
        await createProduct(portal, "HRM-PROF", "prof", ["HRM"]);
        await createRelease(portal, {
          version: "3.0.10.33",
          releasedOn: "2026-08-20",
          itsIssue: "ITS 2026-08",
          documents: { whatsNew: "* Payroll for the new tax year.", readme: "Back up the database first." },
        });
        const release = await createRelease(portal, {
          version: "3.0.11.36",
          releasedOn: "2026-10-02",
          itsIssue: "ITS 2026-10",
          updateFrom: ["3.0.10.33"],
          minPlatformVersion: "8.3.24.1467",
          publish: false,
          documents: {
            whatsNew:
              "## Payroll\n\n* Sick leave is paid by the **new rules**.\n* <script>alert('x')</script> stays text.",
            changes: "1. Vacation documents keep their employee when copied.\n2. Reports open faster.",
            updateOrder:
              "Back up the database, then update from 3.0.10.33. See [the guide](https://example.com/guide).",
          },
        });
        updateBytes = updatePackage("3.0.11.36", Buffer.from("the 3.0.11.36 update, byte for byte"));
        await uploadDistribution(portal, release.id, updateBytes);
        await uploadDistribution(
          portal,
          release.id,
          Buffer.from("full 3.0.11.36"),
          "full",
          "setup-3.0.11.36.zip",
        );
        const published = await portal.request({
          method: "POST",
          url: `/api/v1/admin/releases/${release.id}/publish`,
          token: portal.adminToken,
        });
        assert.equal(published.statusCode, 200, published.body);
        await createRelease(portal, {
          version: "3.0.12.5",
          releasedOn: "2026-11-10",
          updateFrom: ["3.0.11.36"],
          documents: { whatsNew: "* Reports for November." },
        });
        const platform = await createRelease(portal, {
          configuration: "PLAT",
          version: "8.3.24.1467",
          releasedOn: "2026-09-01",
          publish: false,
        });
        await uploadDistribution(
          portal,
          platform.id,
          Buffer.from("platform"),
          "platform-linux-x64",
          "setup.deb",
        );
        await portal.request({
          method: "POST",
          url: `/api/v1/admin/releases/${platform.id}/publish`,
          token: portal.adminToken,
        });
        await userHolding(portal, "basic.user", ["HRM-BASIC"]);
        await userHolding(portal, "prof.user", ["HRM-PROF"]);
      });
      after(() => portal?.close());

      it("a basic-edition user opens the configuration and a release, and downloads its update", async () => {
        const { context, page, consoleErrors } = await openPage(browser);
        try {
          await signInThroughForm(page, portal.baseUrl, "basic.user", PASSWORD);
          await page.goto(portal.url("/configurations"));
          await expectNoSeriousAxeViolations(page);
          if (screenshots) await screenshotAll(page, "catalogue-list");

          await page.getByRole("link", { name: "Configuration HRM" }).click();
          await page.waitForURL(/\/configurations\/HRM$/);
          assert.match(String(await page.locator("caption").first().textContent()), /3 releases/);
          await expectNoSeriousAxeViolations(page);
          if (screenshots) await screenshotAll(page, "catalogue-configuration");

          await page.getByRole("link", { name: "3.0.11.36", exact: true }).first().click();
          await page.waitForURL(/\/releases\/3\.0\.11\.36$/);
          assert.equal(String(await page.locator("h1").textContent()), "Configuration HRM 3.0.11.36");
          assert.match(
            String(await page.locator(".markdown").first().textContent()),
            /<script>alert\('x'\)<\/script> stays text/,
          );
          await expectNoSeriousAxeViolations(page);
          if (screenshots) await screenshotAll(page, "catalogue-release");

          const download = await downloadThrough(
            page,
            page.getByRole("link", { name: "Download Update: 1cv8.zip" }),
          );
          assert.equal(download.fileName, "1cv8.zip");
          assert.equal(sha256(download.bytes), sha256(updateBytes));

          await page.goto(portal.url("/configurations/HRM/plan"));
          await page.locator("#field-version").fill("3.0.10.33");
          await page.locator("#field-platform").fill("8.3.20.1000");
          await Promise.all([
            page.waitForURL(/plan\?version=3\.0\.10\.33/),
            page.getByRole("button", { name: "Plan the update" }).click(),
          ]);
          assert.match(String(await page.locator(".plan-result").textContent()), /Update the platform first/);
          assert.match(String(await page.locator(".whats-new").textContent()), /Reports for November/);
          await expectNoSeriousAxeViolations(page);
          if (screenshots) await screenshotAll(page, "catalogue-plan");
          assert.deepEqual(consoleErrors, []);
        } finally {
          await context.close();
        }
      });

      it("a PROF user without this month's support sees why and what to do", async () => {
        const { context, page, consoleErrors } = await openPage(browser, { locale: "ru-RU" });
        try {
          await signInThroughForm(page, portal.baseUrl, "prof.user", PASSWORD);
          await page.goto(portal.url("/configurations/HRM/releases/3.0.11.36"));
          const notice = page.getByRole("alert");
          assert.match(String(await notice.textContent()), /Нужна подписка на поддержку на ноябрь 2026/);
          assert.match(String(await notice.textContent()), /попросите партнёра оформить подписку/);
          assert.equal(await page.getByRole("link", { name: /^Скачать/ }).count(), 0, "no download button");
          await expectNoSeriousAxeViolations(page);
          if (screenshots) await screenshotAll(page, "catalogue-release-refused");

          await page.goto(portal.url("/configurations/ACC"));
          assert.match(
            String(await page.locator("main").textContent()),
            /Зарегистрировать программный продукт/,
          );
          await expectNoSeriousAxeViolations(page);
          if (screenshots) await screenshotAll(page, "catalogue-offer");
          assert.deepEqual(
            consoleErrors.filter((error) => !/status of 403/.test(error)),
            [],
          );
        } finally {
          await context.close();
        }
      });
    });
  }
});
