import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { formattersFor } from "../../src/web/format.ts";
import {
  createConfiguration,
  createRelease,
  updatePackage,
  uploadDistribution,
} from "../support/catalogue-fixtures.ts";
import { availableDialects, startTestApp, type TestApp } from "../support/harness.ts";
import {
  createProduct,
  HIGH_RATE_LIMITS,
  issueRegistered,
  partnerAccount,
  tokenFor,
} from "../support/registration-fixtures.ts";
import { PageClient } from "../support/web-inject.ts";

const PASSWORD = "catalogue-password-1";

/** Signs a new page client in through the form, in `language`. */
async function signedIn(t: TestApp, login: string, language = "en"): Promise<PageClient> {
  const page = new PageClient(t, { "accept-language": language });
  await page.get("/sign-in");
  const response = await page.post("/sign-in", { login, password: PASSWORD, next: "/configurations" });
  assert.equal(response.statusCode, 303, response.body);
  return page;
}

/** A user holding the given products' numbers, authorised by a partner (no PIN, no support check). */
async function userHolding(t: TestApp, login: string, products: string[]) {
  await t.upkeep.services.accounts.createUser({ login, password: PASSWORD, role: "user" });
  const partner = await partnerAccount(t, "Partner Catalogue");
  for (const product of products) {
    const { registrationNumber } = await issueRegistered(t, product, {
      pin: false,
      purchaseDate: "2025-01-10",
    });
    const response = await t.request({
      method: "POST",
      url: `/api/v1/partner/users/${login}/products`,
      token: partner.token,
      body: { registrationNumber },
    });
    assert.equal(response.statusCode, 201, response.body);
  }
}

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;|\u00a0/g, " ")
    .replace(/\s+/g, " ");

for (const dialect of await availableDialects()) {
  describe(`catalogue pages on ${dialect}`, () => {
    let t: TestApp;
    let updateBytes: Buffer;
    before(async () => {
      t = await startTestApp(dialect, HIGH_RATE_LIMITS);
      await createConfiguration(t, "HRM");
      await createConfiguration(t, "ENT");
      await createConfiguration(t, "PLAT", "platform", "file");
      await createConfiguration(t, "OTHER");
      await createProduct(t, "HRM-BASIC", "basic", ["HRM", "PLAT"]);
      await createProduct(t, "HRM-PROF", "prof", ["HRM"]);
      await createProduct(t, "ENT-PROF", "prof", ["ENT"]);
      await createRelease(t, {
        version: "3.0.10.1",
        releasedOn: "2026-09-01",
        itsIssue: "ITS 2026-09",
        documents: {
          whatsNew: "* Payroll for **September**.",
          readme:
            "Read <script>alert(1)</script> me and [a bad link](javascript:alert(1)) and [site](https://example.com/x).",
        },
      });
      const second = await createRelease(t, {
        version: "3.0.11.1",
        releasedOn: "2026-10-01",
        updateFrom: ["3.0.10.1"],
        minPlatformVersion: "8.3.24.1000",
        documents: { whatsNew: "* Vacations reworked." },
        publish: false,
      });
      updateBytes = updatePackage("3.0.11.1");
      await uploadDistribution(t, second.id, updateBytes);
      await t.request({
        method: "POST",
        url: `/api/v1/admin/releases/${second.id}/publish`,
        token: t.adminToken,
      });
      // Published without its update file: those updating through it wait for it.
      await createRelease(t, {
        version: "3.0.12.1",
        releasedOn: "2026-11-01",
        updateFrom: ["3.0.11.1"],
        documents: { whatsNew: "* Reports for November." },
      });
      await createRelease(t, { version: "3.0.13.1", releasedOn: "2026-11-10", publish: false });
      await createRelease(t, { configuration: "ENT", version: "1.0.0.1" });
      const platform = await createRelease(t, {
        configuration: "PLAT",
        version: "8.3.24.1000",
        publish: false,
      });
      await uploadDistribution(t, platform.id, Buffer.from("platform"), "platform-linux-x64", "setup.deb");
      await t.request({
        method: "POST",
        url: `/api/v1/admin/releases/${platform.id}/publish`,
        token: t.adminToken,
      });
      await userHolding(t, "basic-user", ["HRM-BASIC"]);
      await userHolding(t, "prof-user", ["HRM-PROF"]);
    });
    after(() => t.close());

    it("lists my configurations, the platform apart, and offers the others", async () => {
      const page = await signedIn(t, "basic-user");
      const list = await page.get("/configurations");
      assert.equal(list.statusCode, 200);
      const body = text(list.body);
      assert.match(list.body, /href="\/configurations\/HRM"/);
      assert.match(body, /Platform .*Configuration PLAT/);
      assert.match(body, /Other configurations .*Configuration ENT .*Configuration OTHER/);
      assert.doesNotMatch(list.body, /href="\/configurations\/ENT"/, "no link to a configuration not held");
      assert.match(body, /3 releases/, "three published HRM releases; the draft is not counted");
    });

    it("shows the release table newest first, without drafts, with Russian plurals", async () => {
      const page = await signedIn(t, "basic-user", "ru");
      const response = await page.get("/configurations/HRM");
      assert.equal(response.statusCode, 200);
      const versions = [...response.body.matchAll(/releases\/(3\.0\.\d+\.1)"/g)].map((m) => m[1]);
      assert.deepEqual([...new Set(versions)], ["3.0.12.1", "3.0.11.1", "3.0.10.1"]);
      assert.doesNotMatch(response.body, /3\.0\.13\.1/, "a draft is not there for users");
      const body = text(response.body);
      assert.match(body, /3 релиза/);
      assert.match(body, /ITS 2026-09/);
      assert.match(body, /8\.3\.24\.1000/);
      // The newest updates from 3.0.11.1, which has no...: the hint and the note.
      assert.match(body, /Последний релиз 3\.0\.12\.1 обновляет напрямую с 3\.0\.11\.1/);
      assert.match(body, /Для 3\.0\.12\.1 пока нет файла обновления/);
      // The same page from the kept table, and in another language.
      const main = (html: string) => /<main[\s\S]*<\/main>/.exec(html)?.[0];
      assert.equal(main((await page.get("/configurations/HRM")).body), main(response.body));
      assert.match(text((await page.get("/configurations/HRM?lang=en")).body), /3 releases/);
      assert.match(text((await page.get("/configurations/ENT?lang=id")).body), /tidak termasuk/);
    });

    it("writes Russian plurals 1 релиз, 2 релиза, 5 релизов", async () => {
      const { translator } = await import("../../src/web/i18n.ts");
      const t = translator("ru");
      assert.equal(t("catalogue:releaseCount", { count: 1 }), "1 релиз");
      assert.equal(t("catalogue:releaseCount", { count: 2 }), "2 релиза");
      assert.equal(t("catalogue:releaseCount", { count: 5 }), "5 релизов");
      assert.equal(t("catalogue:releaseCount", { count: 21 }), "21 релиз");
    });

    it("follows a new release at once: the kept table belongs to the catalogue's revision", async () => {
      const page = await signedIn(t, "basic-user");
      assert.doesNotMatch((await page.get("/configurations/HRM")).body, /3\.0\.14\.1/);
      await createRelease(t, { version: "3.0.14.1", releasedOn: "2026-11-12", updateFrom: ["3.0.12.1"] });
      const after = text((await page.get("/configurations/HRM")).body);
      assert.match(after, /4 releases/);
      assert.match(after, /The newest release, 3\.0\.14\.1/);
    });

    it("shows staff every release with its state", async () => {
      await t.upkeep.services.accounts.createUser({
        login: "staff-pages",
        password: PASSWORD,
        role: "admin",
      });
      const page = await signedIn(t, "staff-pages");
      const body = text((await page.get("/configurations/HRM")).body);
      assert.match(body, /3\.0\.13\.1 .*Draft/);
      assert.equal((await page.get("/configurations/HRM/releases/3.0.13.1")).statusCode, 200);
    });

    it("renders every document as Markdown without running its HTML or unsafe links", async () => {
      const page = await signedIn(t, "basic-user");
      const response = await page.get("/configurations/HRM/releases/3.0.10.1");
      assert.equal(response.statusCode, 200);
      assert.match(response.body, /<strong>September<\/strong>/);
      assert.doesNotMatch(response.body, /<script>alert/);
      assert.match(response.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
      assert.doesNotMatch(response.body, /href="javascript:/);
      assert.match(
        response.body,
        /<a href="https:\/\/example\.com\/x" rel="noopener noreferrer nofollow">site<\/a>/,
      );
      const body = text(response.body);
      assert.match(body, /What's new .*ReadMe/);
      assert.match(body, /ITS 2026-09/);
    });

    it("lets a basic user download, with size and sha256, and never shows a PROF refusal", async () => {
      const page = await signedIn(t, "basic-user");
      const response = await page.get("/configurations/HRM/releases/3.0.11.1");
      const sha256 = createHash("sha256").update(updateBytes).digest("hex");
      assert.ok(response.body.includes(sha256));
      assert.doesNotMatch(response.body, /Support subscription needed/);
      const link = /href="(\/configurations\/HRM\/releases\/3\.0\.11\.1\/files\/[^"]+)"/.exec(
        response.body,
      )?.[1];
      assert.ok(link, "a download button");
      const file = await page.get(link!);
      assert.equal(file.statusCode, 200);
      assert.equal(file.headers["x-checksum-sha256"], sha256);
      assert.equal(createHash("sha256").update(file.rawPayload).digest("hex"), sha256);
      // A file of another release under this address is not there.
      const other = await page.get(link!.replace("3.0.11.1", "3.0.10.1"));
      assert.equal(other.statusCode, 404);
    });

    it("tells a PROF user without this month's support why and what to do, and refuses the file", async () => {
      const page = await signedIn(t, "prof-user");
      const basic = await signedIn(t, "basic-user");
      const link = /href="(\/configurations\/HRM\/releases\/3\.0\.11\.1\/files\/[^"]+)"/.exec(
        (await basic.get("/configurations/HRM/releases/3.0.11.1")).body,
      )?.[1];
      const response = await page.get("/configurations/HRM/releases/3.0.11.1");
      assert.equal(response.statusCode, 200);
      const body = text(response.body);
      assert.match(body, /Support subscription needed for November 2026/);
      assert.match(body, /ask your partner to record a support subscription for November 2026/);
      assert.doesNotMatch(response.body, /\/files\//, "no download button");
      const refused = await page.get(link!);
      assert.equal(refused.statusCode, 403);
      assert.match(text(refused.body), /Support subscription needed for November 2026/);
      const ru = text((await page.get("/configurations/HRM/releases/3.0.11.1?lang=ru")).body);
      assert.match(ru, /Нужна подписка на поддержку на ноябрь 2026/);
    });

    it("offers a configuration the user does not hold instead of its pages and files", async () => {
      const page = await signedIn(t, "basic-user");
      for (const path of [
        "/configurations/ENT",
        "/configurations/ENT/releases/1.0.0.1",
        "/configurations/ENT/plan",
      ]) {
        const response = await page.get(path);
        assert.equal(response.statusCode, 403, path);
        assert.match(text(response.body), /Configuration ENT is not in your registered products/);
        assert.doesNotMatch(response.body, /1\.0\.0\.1<\/a>/);
      }
    });

    it("answers the 404 page for an unknown configuration, version or unpublished release", async () => {
      const page = await signedIn(t, "basic-user");
      for (const path of [
        "/configurations/NOPE",
        "/configurations/HRM/releases/9.9.9.9",
        "/configurations/HRM/releases/not-a-version",
        "/configurations/HRM/releases/3.0.13.1",
        "/configurations/NOPE/plan",
      ]) {
        const response = await page.get(path);
        assert.equal(response.statusCode, 404, path);
        assert.match(response.body, /<html lang="en">/);
      }
    });

    it("plans from a version: the chain with sizes, the platform first, and the combined what's new", async () => {
      const page = await signedIn(t, "basic-user");
      const form = await page.get("/configurations/HRM/plan");
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /<form method="get" action="\/configurations\/HRM\/plan"/);
      const response = await page.get("/configurations/HRM/plan?version=3.0.10.1&platform=8.3.20.1");
      assert.equal(response.statusCode, 200);
      const body = text(response.body);
      assert.match(body, /Update from 3\.0\.10\.1 to 3\.0\.14\.1 in 3 steps/);
      assert.match(body, /Update the platform first .*8\.3\.24\.1000/);
      assert.match(body, /No update file yet for 3\.0\.12\.1/);
      const versions = [...response.body.matchAll(/<th scope="row"[^>]*><a href="[^"]+">([\d.]+)</g)].map(
        (m) => m[1],
      );
      assert.deepEqual(versions, ["3.0.11.1", "3.0.12.1", "3.0.14.1"]);
      assert.ok(body.includes(formattersFor("en", "UTC").bytes(updateBytes.length)), "the step's size");
      // What's new of every release passed, as the API's plan gives it.
      assert.match(
        response.body,
        /<h3>3\.0\.11\.1<\/h3><div class="markdown"><ul>\s*<li>Vacations reworked\.<\/li>/,
      );
      assert.match(response.body, /<h3>3\.0\.12\.1<\/h3>/);
      assert.doesNotMatch(response.body, /<h3>3\.0\.10\.1<\/h3>/, "not the installed release");
      const token = await tokenFor(t, "basic-user", PASSWORD);
      const api = await t.request({
        method: "POST",
        url: "/api/v1/updates/plan",
        token,
        body: { configuration: "HRM", version: "3.0.10.1" },
      });
      assert.deepEqual(
        api.json().whatsNew.map((entry: { version: string }) => entry.version),
        ["3.0.11.1", "3.0.12.1"],
      );
    });

    it("keeps the values and shows the error of a bad version, in the user's language", async () => {
      const page = await signedIn(t, "basic-user", "id");
      const response = await page.get("/configurations/HRM/plan?version=3.0&platform=8.3.x");
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /value="3\.0"/);
      assert.match(response.body, /aria-invalid="true"/);
      assert.match(text(response.body), /Masukkan versi sebagai empat angka/);
      const platform = await page.get("/configurations/HRM/plan?version=3.0.10.1&platform=8.3.x");
      assert.equal(platform.statusCode, 400);
      assert.match(text(platform.body), /Masukkan versi platform/);
    });

    it("sends a signed-out visitor to sign in first", async () => {
      const page = new PageClient(t);
      const response = await page.get("/configurations/HRM");
      assert.equal(response.statusCode, 303);
      assert.equal(response.headers.location, "/sign-in?next=%2Fconfigurations%2FHRM");
    });
  });
}
