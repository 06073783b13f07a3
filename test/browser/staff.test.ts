import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import {
  downloadThrough,
  expectNoSeriousAxeViolations,
  launchBrowser,
  openPage,
  openReleaseThroughPages,
  type PortalServer,
  screenshotAll,
  sidewaysOverflow,
  signInThroughForm,
  startPortal,
} from "../support/browser.ts";
import { availableDialects } from "../support/harness.ts";
import { sha256 } from "../support/hash.ts";
import { issue } from "../support/registration-fixtures.ts";
import { updatePackage } from "../support/update-package.ts";

const ADMIN = "journey-admin";
const USER = "journey-user";
const PASSWORD = "journey-password-1";
const dialects = await availableDialects();

/** Vendor staff keep the catalogue in the browser; a user then finds the release on the site's pages. */
describe("staff area in a browser", () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(() => browser?.close());

  for (const dialect of dialects) {
    describe(`on ${dialect}`, () => {
      let portal: PortalServer;
      before(async () => {
        portal = await startPortal(dialect);
        await portal.upkeep.services.accounts.createUser({ login: ADMIN, password: PASSWORD, role: "admin" });
        await portal.upkeep.services.accounts.createUser({ login: USER, password: PASSWORD, role: "user" });
      });
      after(() => portal?.close());

      it("creates a configuration and a release, uploads with a progress bar, publishes; a user sees it", async () => {
        const { context, page, consoleErrors } = await openPage(browser);
        try {
          await signInThroughForm(page, portal.baseUrl, ADMIN, PASSWORD);
          await page.goto(portal.url("/staff"));
          await page.getByRole("link", { name: "Configurations" }).first().click();
          await page.waitForURL(/\/staff\/configurations$/);

          await page.locator("#field-code").fill("PAY");
          await page.locator("#field-name").fill("Payroll");
          await page.locator("#field-vendor").fill("1c");
          await page.getByRole("button", { name: "Add the configuration" }).click();
          await page.waitForURL(/\/staff\/configurations\/PAY$/);
          assert.equal(await page.locator("h1").textContent(), "Payroll (PAY)");

          await page.locator("#field-version").fill("3.0.11.36");
          await page.locator("#field-releasedOn").fill("2026-11-10");
          await page.locator("#field-updateFrom").fill("3.0.10.1");
          await page.getByRole("button", { name: "Add the release" }).click();
          await page.waitForURL(/\/staff\/releases\/[^/?]+\?done=created$/);
          const releasePath = new URL(page.url()).pathname;

          // A few megabytes over a throttled upload, so the bar has time to move.
          const cdp = await context.newCDPSession(page);
          await cdp.send("Network.enable");
          await cdp.send("Network.emulateNetworkConditions", {
            offline: false,
            latency: 0,
            downloadThroughput: -1,
            uploadThroughput: 1024 * 1024,
          });
          const bytes = updatePackage({
            code: "PAY",
            version: "3.0.11.36",
            fromVersions: ["3.0.10.1"],
            cfu: randomBytes(3 * 1024 * 1024),
          });
          const values: number[] = [];
          await page.exposeFunction("reportUploadProgress", (value: number) => void values.push(value));
          await page.evaluate(() => {
            const bar = document.querySelector("progress.upload-progress") as HTMLProgressElement;
            new MutationObserver(() =>
              (window as unknown as { reportUploadProgress(v: number): void }).reportUploadProgress(
                bar.value,
              ),
            ).observe(bar, { attributes: true, attributeFilter: ["value"] });
          });
          await page.locator("#field-file").setInputFiles({
            name: "1cv8.zip",
            mimeType: "application/zip",
            buffer: bytes,
          });
          await page.getByRole("button", { name: "Upload", exact: true }).click();
          await page.locator(".upload-status").waitFor({ state: "visible" });
          await page.waitForURL(/\?done=uploaded/, { timeout: 60_000 });
          await cdp.send("Network.emulateNetworkConditions", {
            offline: false,
            latency: 0,
            downloadThroughput: -1,
            uploadThroughput: -1,
          });
          assert.ok(
            values.some((v) => v > 0 && v < 100),
            `the bar moved: ${values.join(", ")}`,
          );
          assert.equal(values.at(-1), 100, "the bar ends full");
          assert.match((await page.locator(".alert-success").textContent()) ?? "", /The file was stored/);
          assert.match((await page.locator("#files ~ .table-scroll").textContent()) ?? "", /1cv8\.zip/);

          await page.getByRole("button", { name: "Publish" }).click();
          await page.waitForURL(/\?done=published/);
          assert.match((await page.locator("h1").textContent()) ?? "", /Published/);
          await expectNoSeriousAxeViolations(page);

          // A user adds a product of the configuration on the account's form, then finds the release.
          const catalogue = portal.upkeep.services.catalogue;
          await catalogue.createProduct(
            { code: "PAY-BASIC", name: "Payroll", edition: "basic", configurations: ["PAY"] },
            null,
          );
          const [number] = await issue(portal, "PAY-BASIC", 1, { vendorRegistered: true });
          const user = await openPage(browser);
          try {
            await signInThroughForm(user.page, portal.baseUrl, USER, PASSWORD);
            await user.page.goto(portal.url("/account/products/add"));
            await user.page.locator("#field-registrationNumber").fill(number!.registrationNumber);
            await user.page.locator("#field-pin").fill(number!.pin!);
            await Promise.all([
              user.page.waitForURL(/\/account\?added=/),
              user.page.locator("form.stacked-form button[type=submit]").click(),
            ]);
            assert.match((await user.page.locator("tbody").first().textContent()) ?? "", /PAY-BASIC/);

            await openReleaseThroughPages(user.page, "Payroll", "3.0.11.36");
            assert.equal(await user.page.locator("h1").textContent(), "Payroll 3.0.11.36");
            const downloaded = await downloadThrough(
              user.page,
              user.page.getByRole("link", { name: "Download Update: 1cv8.zip" }),
            );
            assert.equal(sha256(downloaded.bytes), sha256(bytes), "the file staff uploaded");
            await expectNoSeriousAxeViolations(user.page);

            // Back on the configuration page: the one published release, with its update file.
            await Promise.all([
              user.page.waitForURL((url) => url.pathname === "/configurations/PAY"),
              user.page.locator(".breadcrumbs").getByRole("link", { name: "Payroll", exact: true }).click(),
            ]);
            const table = user.page.locator("table.release-table");
            assert.equal(await table.locator("caption").textContent(), "1 release");
            const rows = table.locator("tbody tr");
            assert.equal(await rows.count(), 1);
            assert.match((await rows.first().textContent()) ?? "", /3\.0\.11\.36/);
            assert.equal(await rows.first().locator(".badge-warning").count(), 0, "it has its update file");
            assert.deepEqual(user.consoleErrors, []);
          } finally {
            await user.context.close();
          }
          assert.deepEqual(consoleErrors, []);

          // Issuing numbers answers with the envelope file itself: downloaded once, never kept.
          await page.goto(portal.url("/staff/registration-numbers"));
          await page.locator("#field-product").selectOption("PAY-BASIC");
          await page.locator("#field-count").fill("3");
          const envelopes = await downloadThrough(
            page,
            page.getByRole("button", { name: "Issue and download the envelope file" }),
          );
          assert.equal(envelopes.fileName, "pin-envelopes-PAY-BASIC.csv");
          const csv = envelopes.bytes.toString("utf8");
          const rows = csv.trim().split("\r\n");
          assert.equal(rows.length, 4);
          assert.match(rows[1]!, /^\d{10},\d{4}-\d{4}-\d{4}-\d{4},PAY-BASIC$/);
          await page.goto(portal.url("/staff/registration-numbers?product=PAY-BASIC&state=awaiting-card"));
          assert.equal(await page.locator("tbody tr").count(), 3);

          // A partner and its login, through the forms.
          await page.goto(portal.url("/staff/partners"));
          await page.locator("#field-name").fill("Mitra Jaya");
          await page.getByRole("button", { name: "Add the partner" }).click();
          await page.waitForURL(/\/staff\/partners\?added=/);
          await page.getByText("Add a login", { exact: true }).click();
          await page.locator("input[name=login]").fill("mitra-sales");
          await page.locator("input[name=password]").fill("mitra-password-1");
          await page.getByRole("button", { name: "Add the login" }).click();
          await page.waitForURL(/login=mitra-sales/);
          assert.match((await page.locator(".staff-logins").textContent()) ?? "", /mitra-sales/);

          // Every staff page, in each language, at desktop and phone width; none breaks the phone's width.
          const pages: [string, string][] = [
            ["/staff", "staff-overview"],
            ["/staff/configurations", "staff-configurations"],
            ["/staff/configurations/PAY", "staff-configuration"],
            [releasePath, "staff-release"],
            ["/staff/products", "staff-products"],
            ["/staff/products/PAY-BASIC", "staff-product"],
            ["/staff/registration-numbers", "staff-numbers"],
            ["/staff/registration-cards", "staff-cards"],
            ["/staff/partners", "staff-partners"],
            ["/staff/audit-log", "staff-audit-log"],
          ];
          for (const [path, name] of pages) {
            await page.goto(portal.url(path));
            await expectNoSeriousAxeViolations(page);
            if (dialect === "sqlite") await screenshotAll(page, name);
            await page.setViewportSize({ width: 375, height: 812 });
            await page.goto(portal.url(`${path}?lang=ru`));
            assert.equal(await sidewaysOverflow(page), 0, `${path} is wider than the phone`);
            await page.setViewportSize({ width: 1280, height: 900 });
            await page.goto(portal.url(`${path}?lang=en`));
          }
          assert.deepEqual(consoleErrors, []);
        } finally {
          await context.close();
        }
      });

      it("shows a refused upload on the form, with or without the script", async () => {
        const { context, page } = await openPage(browser);
        try {
          await signInThroughForm(page, portal.baseUrl, ADMIN, PASSWORD);
          const [release] = await portal.upkeep.services.catalogue.listReleases("PAY", ["published"]);
          const draft = await portal.upkeep.services.catalogue.createRelease(
            {
              configuration: "PAY",
              version: "3.0.12.1",
              releasedOn: "2026-11-12",
              updateFrom: [release!.version],
            },
            null,
          );
          await page.goto(portal.url(`/staff/releases/${draft.id}`));
          await page.locator("#field-file").setInputFiles({
            name: "1cv8.zip",
            mimeType: "application/zip",
            buffer: Buffer.from("not a zip at all"),
          });
          await page.getByRole("button", { name: "Upload", exact: true }).click();
          await page.locator("#field-file-error").waitFor();
          assert.match(
            (await page.locator("#field-file-error").textContent()) ?? "",
            /not a 1C update package/,
          );
          await expectNoSeriousAxeViolations(page);
          if (dialect === "sqlite") {
            await page.setViewportSize({ width: 375, height: 812 });
            await page.screenshot({
              path: "test-output/screenshots/staff-upload-refused-en-phone.png",
              fullPage: true,
            });
          }
        } finally {
          await context.close();
        }
        // The same form without JavaScript posts as a plain multipart form.
        const plain = await browser.newContext({ javaScriptEnabled: false });
        try {
          const page = await plain.newPage();
          await signInThroughForm(page, portal.baseUrl, ADMIN, PASSWORD);
          const [draft] = await portal.upkeep.services.catalogue.listReleases("PAY", ["draft"]);
          await page.goto(portal.url(`/staff/releases/${draft!.id}`));
          await page.locator("#field-file").setInputFiles({
            name: "1cv8.zip",
            mimeType: "application/zip",
            buffer: updatePackage({ code: "PAY", version: "3.0.12.1", fromVersions: ["3.0.11.36"] }),
          });
          await Promise.all([
            page.waitForURL(/\?done=uploaded/),
            page.getByRole("button", { name: "Upload", exact: true }).click(),
          ]);
          assert.match((await page.locator(".alert-success").textContent()) ?? "", /The file was stored/);
        } finally {
          await plain.close();
        }
      });
    });
  }
});
