import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from "playwright-core";
import type { HttpOptions } from "../../src/http/app.ts";
import { LANGUAGES } from "../../src/web/i18n.ts";
import { type DialectName, startTestApp, type TestApp } from "./harness.ts";

/** Debian's Chromium (`apt-get install -y chromium`); never a downloaded browser. */
export const CHROMIUM = process.env.UPKEEP_CHROMIUM ?? "/usr/bin/chromium";

export const VIEWPORTS = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 375, height: 812 },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;

export const SCREENSHOTS_DIR = resolve(import.meta.dirname, "../../test-output/screenshots");

/** One browser per test file; a missing Chromium fails the file with what to install. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The browser tests need Debian's Chromium at ${CHROMIUM}: run "apt-get install -y chromium" ` +
        "(or set UPKEEP_CHROMIUM to its path).",
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** The real service listening on a free port of loopback, with everything a TestApp gives. */
export interface PortalServer extends TestApp {
  readonly baseUrl: string;
  /** `baseUrl` + path. */
  url(path: string): string;
}

export async function startPortal(dialect: DialectName, options: HttpOptions = {}): Promise<PortalServer> {
  const t = await startTestApp(dialect, options);
  await t.app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = t.app.server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return Object.assign(Object.create(null), t, { baseUrl, url: (path: string) => baseUrl + path });
}

/**
 * A fresh browser profile (no cookies) and a page in it. `locale` also sets Accept-Language;
 * `timeZone` is what the page's script reports to the server.
 */
export async function openPage(
  browser: Browser,
  options: { viewport?: ViewportName; locale?: string; timeZone?: string } = {},
): Promise<{ context: BrowserContext; page: Page; consoleErrors: string[] }> {
  const context = await browser.newContext({
    viewport: VIEWPORTS[options.viewport ?? "desktop"],
    locale: options.locale ?? "en-GB",
    timezoneId: options.timeZone ?? "UTC",
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  // CSP refusals and script errors show up here; tests expect none.
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(`${page.url()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
  return { context, page, consoleErrors };
}

function withLanguage(url: string, language: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set("lang", language);
  return parsed.toString();
}

function viewportName(page: Page): ViewportName {
  return (page.viewportSize()?.width ?? 1280) <= VIEWPORTS.phone.width ? "phone" : "desktop";
}

/** The page as it is now: test-output/screenshots/<name>-<lang>-<desktop|phone>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const language = await page.evaluate(() => document.documentElement.lang);
  const path = join(SCREENSHOTS_DIR, `${name}-${language}-${viewportName(page)}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** How many pixels the current page is wider than its window: 0 when nothing scrolls sideways. */
export function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/**
 * The current page (a GET address) in every language at desktop and phone width:
 * `<name>-<en|id|ru>-<desktop|phone>.png`. The page's language and width are restored after.
 */
export async function screenshotAll(page: Page, name: string): Promise<void> {
  const url = page.url();
  const language = await page.evaluate(() => document.documentElement.lang);
  const size = page.viewportSize();
  for (const viewport of Object.values(VIEWPORTS)) {
    await page.setViewportSize(viewport);
    for (const each of LANGUAGES) {
      await page.goto(withLanguage(url, each));
      await screenshot(page, name);
    }
  }
  if (size) await page.setViewportSize(size);
  await page.goto(withLanguage(url, language));
  await page.goto(url);
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * Runs axe-core in the page (through the debugging protocol, so the page's CSP stays as it is)
 * and fails on every serious or critical violation, naming the rule and the elements.
 */
export async function expectNoSeriousAxeViolations(page: Page): Promise<void> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const { axe } = window as unknown as {
      axe: { run(context: Document, options: object): Promise<unknown> };
    };
    const result = (await axe.run(document, { resultTypes: ["violations"] })) as {
      violations: AxeViolation[];
    };
    return result.violations;
  });
  const serious = violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map(
      (violation) =>
        `${violation.impact} ${violation.id}: ${violation.help} at ${violation.nodes
          .map((node) => node.target.join(" "))
          .join(", ")}`,
    );
  assert.deepEqual(serious, [], `axe-core on ${page.url()}`);
}

/** Whether the focused element shows a focus ring a sighted keyboard user can see. */
export async function focusIsVisible(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return false;
    const style = getComputedStyle(element);
    return style.outlineStyle !== "none" && Number.parseFloat(style.outlineWidth) >= 2;
  });
}

/** Signs in through the form, as a person would; lands on `next` (the home page by default). */
export async function signInThroughForm(page: Page, baseUrl: string, login: string, password: string) {
  await page.goto(`${baseUrl}/sign-in`);
  await page.locator("#field-login").fill(login);
  await page.locator("#field-password").fill(password);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith("/sign-in")),
    page.locator("form.stacked-form button[type=submit]").click(),
  ]);
}

/** A file the browser saved from a page: the name it suggested and the bytes. */
export interface DownloadedFile {
  readonly fileName: string;
  readonly bytes: Buffer;
}

/** Clicks a download link or button and waits for the file the browser saves. */
export async function downloadThrough(page: Page, control: Locator): Promise<DownloadedFile> {
  const [download] = await Promise.all([page.waitForEvent("download"), control.click()]);
  return { fileName: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
}

/**
 * From the site's navigation to a release's page, following links as a person would: the catalogue,
 * the configuration by its name, then the version in its release table. Works in every language.
 */
export async function openReleaseThroughPages(page: Page, configurationName: string, version: string) {
  await Promise.all([
    page.waitForURL((url) => url.pathname === "/configurations"),
    page.locator('.main-nav a[href="/configurations"]').click(),
  ]);
  await Promise.all([
    page.waitForURL((url) => /^\/configurations\/[^/]+$/.test(url.pathname)),
    page.getByRole("link", { name: configurationName, exact: true }).first().click(),
  ]);
  await Promise.all([
    page.waitForURL((url) => url.pathname.endsWith(`/releases/${version}`)),
    page.getByRole("link", { name: version, exact: true }).first().click(),
  ]);
}
