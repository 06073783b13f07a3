import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import { LANGUAGES } from "../../src/web/i18n.ts";
import {
  expectNoSeriousAxeViolations,
  focusIsVisible,
  launchBrowser,
  openPage,
  type PortalServer,
  screenshot,
  screenshotAll,
  sidewaysOverflow,
  signInThroughForm,
  startPortal,
} from "../support/browser.ts";
import { createConfiguration, createRelease } from "../support/catalogue-fixtures.ts";
import { availableDialects } from "../support/harness.ts";

const LOGIN = "siti.rahma";
const PASSWORD = "kata-sandi-123";
const dialects = await availableDialects();

/** The foundation's journeys: language, keyboard sign-in, sessions, CSRF, CSP and accessibility. */
describe("web portal in a browser", () => {
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
        await portal.upkeep.services.accounts.createUser({
          login: LOGIN,
          password: PASSWORD,
          role: "user",
          displayName: "Siti Rahma",
        });
        await createConfiguration(portal, "ACC");
        await createConfiguration(portal, "HRM");
        for (const [configuration, version, releasedOn] of [
          ["ACC", "3.0.118.2", "2026-10-02"],
          ["HRM", "2.1.14.5", "2026-10-20"],
          ["ACC", "3.0.119.1", "2026-11-10"],
        ] as const) {
          await createRelease(portal, { configuration, version, releasedOn });
        }
      });
      after(() => portal?.close());

      it("keeps the language a user picks across pages, requests and new tabs", async () => {
        const { context, page, consoleErrors } = await openPage(browser, { locale: "ru-RU" });
        try {
          await page.goto(portal.url("/"));
          assert.equal(await page.getAttribute("html", "lang"), "ru", "from Accept-Language");
          await page.getByRole("link", { name: "Bahasa Indonesia" }).click();
          await page.waitForURL(/\?lang=id$/);
          assert.equal(await page.getAttribute("html", "lang"), "id");
          await page.getByRole("link", { name: "Masuk" }).click();
          await page.waitForURL(/\/sign-in/);
          assert.equal(await page.getAttribute("html", "lang"), "id");
          assert.equal(await page.locator("h1").textContent(), "Masuk");
          await page.reload();
          assert.equal(await page.getAttribute("html", "lang"), "id");
          const other = await context.newPage();
          await other.goto(portal.url("/"));
          assert.equal(await other.getAttribute("html", "lang"), "id", "another tab of the same browser");

          // The footer's form, without JavaScript's help: it posts and comes back to the same page.
          await page.selectOption("#language-select", "en");
          await page.getByRole("button", { name: "Terapkan" }).click();
          await page.waitForURL(/\/sign-in\?next=%2F$/);
          assert.equal(await page.getAttribute("html", "lang"), "en");
          assert.deepEqual(consoleErrors, []);
        } finally {
          await context.close();
        }
      });

      it("signs in with the keyboard alone, with a visible focus at every step", async () => {
        const { context, page, consoleErrors } = await openPage(browser, { timeZone: "Asia/Jakarta" });
        try {
          await page.goto(portal.url("/"));
          await page.keyboard.press("Tab");
          assert.equal(await page.evaluate(() => document.activeElement?.className), "skip-link");
          assert.ok(await focusIsVisible(page), "the skip link shows where focus is");
          let reached = false;
          for (let presses = 0; presses < 20 && !reached; presses++) {
            await page.keyboard.press("Tab");
            assert.ok(await focusIsVisible(page), `focus visible after ${presses + 2} Tabs`);
            reached = (await page.evaluate(() => document.activeElement?.textContent)) === "Sign in";
          }
          assert.ok(reached, "Tab reaches the Sign in link");
          await page.keyboard.press("Enter");
          await page.waitForURL(/\/sign-in\?next=%2F/);
          assert.equal(await page.evaluate(() => document.activeElement?.id), "field-login");
          await page.keyboard.type(LOGIN);
          await page.keyboard.press("Tab");
          assert.equal(await page.evaluate(() => document.activeElement?.id), "field-password");
          assert.ok(await focusIsVisible(page));
          await page.keyboard.type(PASSWORD);
          await page.keyboard.press("Enter");
          await page.waitForURL(portal.url("/"));
          assert.match((await page.locator(".session-user").textContent()) ?? "", /Signed in as Siti Rahma/);

          // The session cookie cannot be read by scripts, nor sent by other sites' forms.
          const cookies = await context.cookies();
          const session = cookies.find((cookie) => cookie.name === "upkeep_session");
          assert.ok(session, "a session cookie");
          assert.equal(session.httpOnly, true);
          assert.equal(session.sameSite, "Lax");
          assert.doesNotMatch(await page.evaluate(() => document.cookie), /upkeep_session/);
          assert.equal(cookies.find((cookie) => cookie.name === "tz")?.value, "Asia%2FJakarta");
          await page.reload();
          assert.match((await page.locator(".footer-note").textContent()) ?? "", /Asia\/Jakarta/);

          await expectNoSeriousAxeViolations(page);
          await screenshot(page, "home-signed-in");
          await page.getByRole("button", { name: "Sign out" }).click();
          await page.waitForURL(portal.url("/"));
          assert.equal(await page.locator(".session-user").count(), 0);
          assert.deepEqual(consoleErrors, []);
        } finally {
          await context.close();
        }
      });

      it("says why a sign-in failed, in the user's language", async () => {
        for (const [locale, message] of [
          ["ru-RU", "Неверный логин или пароль"],
          ["id-ID", "Login atau kata sandi salah"],
          ["en-GB", "The login or password is wrong"],
        ] as const) {
          const { context, page } = await openPage(browser, { locale });
          try {
            await page.goto(portal.url("/sign-in"));
            await page.locator("#field-login").fill(LOGIN);
            await page.locator("#field-password").fill("not-the-password");
            await page.locator("form.stacked-form button[type=submit]").click();
            await page.waitForLoadState();
            assert.match((await page.getByRole("alert").textContent()) ?? "", new RegExp(message));
            assert.equal(await page.locator("#field-login").inputValue(), LOGIN, "the login is kept");
            assert.equal(await page.locator("#field-password").inputValue(), "", "the password is not");
            await screenshot(page, "sign-in-error");
            await page.setViewportSize({ width: 375, height: 812 });
            await screenshot(page, "sign-in-error");
          } finally {
            await context.close();
          }
        }
      });

      it("refuses a form whose CSRF token was taken out, and keeps the user signed out", async () => {
        const { context, page } = await openPage(browser);
        try {
          await page.goto(portal.url("/sign-in"));
          await page.locator("form.stacked-form input[name=_csrf]").evaluate((input) => input.remove());
          await page.locator("#field-login").fill(LOGIN);
          await page.locator("#field-password").fill(PASSWORD);
          const [response] = await Promise.all([
            page.waitForResponse((r) => r.request().method() === "POST"),
            page.locator("form.stacked-form button[type=submit]").click(),
          ]);
          assert.equal(response.status(), 403);
          await page.waitForLoadState();
          assert.equal(await page.locator("h1").textContent(), "The form has expired");
          assert.equal(
            (await context.cookies()).find((c) => c.name === "upkeep_session"),
            undefined,
          );
        } finally {
          await context.close();
        }
      });

      it("sends a strict CSP, which no page breaks, and passes axe in every language", async () => {
        const { context, page, consoleErrors } = await openPage(browser);
        try {
          const response = await page.goto(portal.url("/"));
          const csp = response?.headers()["content-security-policy"] ?? "";
          assert.match(csp, /default-src 'self'/);
          assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
          // The stylesheet is applied (CSP lets the site's own file in).
          assert.equal(
            await page
              .locator(".site-header")
              .evaluate((element) => getComputedStyle(element).backgroundColor),
            "rgb(255, 255, 255)",
          );
          for (const language of LANGUAGES) {
            for (const path of ["/", "/sign-in", "/no-such-page"]) {
              await page.goto(portal.url(`${path}?lang=${language}`));
              assert.equal(await page.getAttribute("html", "lang"), language);
              await expectNoSeriousAxeViolations(page);
            }
          }
          for (const [path, name] of [
            ["/", "home"],
            ["/sign-in", "sign-in"],
            ["/no-such-page", "not-found"],
          ] as const) {
            await page.goto(portal.url(path));
            if (dialect === "sqlite") await screenshotAll(page, name);
          }
          assert.deepEqual(
            consoleErrors.filter((e) => !e.includes("404")),
            [],
          );
        } finally {
          await context.close();
        }
      });

      it("fits a 375-pixel phone screen without sideways scrolling", async () => {
        const { context, page } = await openPage(browser, { viewport: "phone", locale: "ru-RU" });
        try {
          for (const path of ["/", "/sign-in"]) {
            await page.goto(portal.url(path));
            const overflow = await sidewaysOverflow(page);
            assert.equal(overflow, 0, `${path} is wider than the phone`);
          }
          await signInThroughForm(page, portal.baseUrl, LOGIN, PASSWORD);
          const overflow = await sidewaysOverflow(page);
          assert.equal(overflow, 0, "signed in, the header still fits");
        } finally {
          await context.close();
        }
      });
    });
  }
});
