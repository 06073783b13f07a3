import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { availableDialects, startTestApp, type TestApp } from "../support/harness.ts";
import { issue, register, registrationCatalogue } from "../support/registration-fixtures.ts";
import { updatePackage } from "../support/update-package.ts";
import { PageClient } from "../support/web-inject.ts";

const PASSWORD = "staff-password-1";

async function signedIn(t: TestApp, login: string): Promise<PageClient> {
  const page = new PageClient(t, { "accept-language": "en" });
  await page.get("/sign-in");
  const response = await page.post("/sign-in", { login, password: PASSWORD, next: "/staff" });
  assert.equal(response.statusCode, 303, response.body);
  return page;
}

/** A multipart form as a browser sends it: fields first, then the file. */
function multipart(fields: Record<string, string>, file: { name: string; bytes: Buffer } | null) {
  const boundary = `----upkeep${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
          "Content-Type: application/octet-stream\r\n\r\n",
      ),
      file.bytes,
      Buffer.from("\r\n"),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

async function upload(
  t: TestApp,
  page: PageClient,
  releaseId: string,
  kind: string,
  file: { name: string; bytes: Buffer } | null,
) {
  await page.get(`/staff/releases/${releaseId}`);
  const csrf = page.csrf();
  const body = multipart({ _csrf: csrf, kind }, file);
  const cookie = [...page.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  return t.app.inject({
    method: "POST",
    url: `/staff/releases/${releaseId}/distributions?_csrf=${encodeURIComponent(csrf)}`,
    headers: { cookie, "content-type": body.contentType, "accept-language": "en" },
    payload: body.payload,
  });
}

const releaseIdOf = (location: unknown) => /\/staff\/releases\/([^?#/]+)/.exec(String(location))?.[1] ?? "";

for (const dialect of await availableDialects()) {
  describe(`staff pages on ${dialect}`, () => {
    let t: TestApp;
    let admin: PageClient;
    let support: PageClient;
    before(async () => {
      t = await startTestApp(dialect);
      await registrationCatalogue(t);
      for (const [login, role] of [
        ["staff-admin", "admin"],
        ["staff-support", "support"],
        ["staff-user", "user"],
      ] as const) {
        await t.upkeep.services.accounts.createUser({ login, password: PASSWORD, role });
      }
      const partner = await t.upkeep.services.partners.ensurePartner("Partner Alpha", null);
      await t.upkeep.services.accounts.createUser({
        login: "staff-partner",
        password: PASSWORD,
        role: "partner",
        partnerId: partner.id,
      });
      admin = await signedIn(t, "staff-admin");
      support = await signedIn(t, "staff-support");
    });
    after(() => t.close());

    const PAGES = [
      "/staff",
      "/staff/configurations",
      "/staff/configurations/ACC",
      "/staff/products",
      "/staff/registration-numbers",
      "/staff/registration-cards",
      "/staff/partners",
      "/staff/audit-log",
    ];

    it("opens to admin and support, refuses users and partners, sends visitors to sign in", async () => {
      const user = await signedIn(t, "staff-user");
      const partner = await signedIn(t, "staff-partner");
      const visitor = new PageClient(t);
      for (const path of PAGES) {
        assert.equal((await admin.get(path)).statusCode, 200, `admin ${path}`);
        assert.equal((await support.get(path)).statusCode, 200, `support ${path}`);
        assert.equal((await user.get(path)).statusCode, 403, `user ${path}`);
        assert.equal((await partner.get(path)).statusCode, 403, `partner ${path}`);
        const away = await visitor.get(path);
        assert.equal(away.statusCode, 303);
        assert.match(String(away.headers.location), /^\/sign-in\?next=/);
      }
      await user.get("/");
      assert.equal(
        (await user.post("/staff/configurations", { code: "X", name: "X", kind: "configuration" }))
          .statusCode,
        403,
      );
    });

    it("shows support no forms that change the catalogue, and refuses its posts", async () => {
      const configurations = await support.get("/staff/configurations");
      assert.doesNotMatch(configurations.body, /action="\/staff\/configurations"/);
      const numbers = await support.get("/staff/registration-numbers");
      assert.doesNotMatch(numbers.body, /action="\/staff\/registration-numbers\/issue"/);
      const products = await support.get("/staff/products");
      assert.doesNotMatch(products.body, /action="\/staff\/products"/);
      for (const [path, fields] of [
        ["/staff/configurations", { code: "SUP", name: "Support's", kind: "configuration" }],
        ["/staff/registration-numbers/issue", { product: "ACC-BASIC", count: "1", pin: "yes" }],
        ["/staff/partners", { name: "Support Partner" }],
        ["/staff/products/ACC-BASIC", { name: "Renamed", freeSupportMonths: "0", configurations: "ACC" }],
        [
          "/staff/products",
          { code: "SUP-BASIC", name: "Support's", edition: "basic", configurations: "ACC" },
        ],
      ] as const) {
        await support.get("/staff");
        assert.equal((await support.post(path, fields)).statusCode, 403, path);
      }
      assert.equal(
        (await t.upkeep.services.catalogue.listConfigurations()).some((c) => c.code === "SUP"),
        false,
      );
    });

    it("creates a configuration and a release, uploads, publishes; a user then sees the release", async () => {
      await admin.get("/staff/configurations");
      const created = await admin.post("/staff/configurations", {
        code: "HRM",
        name: "Human resources",
        kind: "configuration",
        packageFormat: "1c",
        vendor: "1c",
        programName: "",
      });
      assert.equal(created.statusCode, 303, created.body);
      assert.equal(created.headers.location, "/staff/configurations/HRM");
      const configuration = await admin.get("/staff/configurations/HRM");
      assert.match(configuration.body, /Human resources/);
      assert.match(configuration.body, /0 releases/);

      const release = await admin.post("/staff/configurations/HRM/releases", {
        version: "3.0.11.36",
        releasedOn: "2026-11-10",
        updateFrom: "3.0.10.1, 3.0.10.2",
        minPlatformVersion: "8.3.20.1",
        itsIssue: "",
      });
      assert.equal(release.statusCode, 303, release.body);
      const id = releaseIdOf(release.headers.location);
      const draft = await admin.get(String(release.headers.location));
      assert.match(draft.body, /The release was added as a draft/);
      assert.match(draft.body, /3\.0\.10\.1, 3\.0\.10\.2/);
      assert.match(draft.body, /<progress[^>]*class="upload-progress"/);
      assert.match(draft.body, /src="\/assets\/upload-progress\.js\?v=/);

      const early = await admin.post(`/staff/releases/${id}/publish`, {});
      assert.equal(early.statusCode, 422);
      assert.match(early.body, /Upload at least one file before publishing/);

      const bytes = updatePackage({ code: "HRM", version: "3.0.11.36", fromVersions: ["3.0.10.1"] });
      const uploaded = await upload(t, admin, id, "update", { name: "1cv8.zip", bytes });
      assert.equal(uploaded.statusCode, 303, uploaded.body);
      const withFile = await admin.get(`/staff/releases/${id}?done=uploaded`);
      assert.match(withFile.body, /The file was stored/);
      assert.match(withFile.body, /1cv8\.zip/);

      await admin.get(`/staff/releases/${id}`);
      const published = await admin.post(`/staff/releases/${id}/publish`, {});
      assert.equal(published.statusCode, 303);
      assert.match((await admin.get(String(published.headers.location))).body, /The release is published/);

      const { token } = await t.signUp("admin");
      const seen = await t.request({ method: "GET", url: "/api/v1/configurations/HRM/releases", token });
      assert.deepEqual(
        seen
          .json()
          .map((r: { version: string; hasUpdateDistribution: boolean }) => [
            r.version,
            r.hasUpdateDistribution,
          ]),
        [["3.0.11.36", true]],
      );

      // The published release's files are never replaced: the form says so.
      const again = await upload(t, admin, id, "update", { name: "1cv8.zip", bytes });
      assert.equal(again.statusCode, 409);
      assert.match(again.body, /no longer a draft and has a file of this kind/);
    });

    it("shows an upload's refusals on the form, storing nothing", async () => {
      const created = await admin.post("/staff/configurations/HRM/releases", {
        version: "3.0.12.1",
        releasedOn: "2026-11-12",
        updateFrom: "",
        minPlatformVersion: "",
        itsIssue: "",
      });
      const id = releaseIdOf(created.headers.location);
      for (const [file, status, message] of [
        [{ name: "1cv8.zip", bytes: Buffer.from("not a zip") }, 422, /not a 1C update package/],
        [{ name: "1cv8.zip", bytes: Buffer.alloc(0) }, 422, /The file is empty/],
        [
          { name: "1cv8.zip", bytes: updatePackage({ code: "HRM", version: "3.0.99.1", fromVersions: [] }) },
          422,
          /another version than this release/,
        ],
        [null, 400, /Choose a file to upload/],
      ] as const) {
        const refused = await upload(t, admin, id, "update", file);
        assert.equal(refused.statusCode, status, refused.body.slice(0, 200));
        assert.match(refused.body, message);
        assert.match(refused.body, /class="field-error"/);
      }
      const platformKind = await upload(t, admin, id, "platform-macos", {
        name: "x.dmg",
        bytes: Buffer.from("x"),
      });
      assert.equal(platformKind.statusCode, 422);
      assert.match(platformKind.body, /does not fit this configuration/);
      assert.deepEqual((await t.upkeep.services.catalogue.getRelease(id)).distributions, []);
    });

    it("edits documents of a release, keeping line breaks, and withdraws it", async () => {
      const [release] = await t.upkeep.services.catalogue.listReleases("HRM", ["published"]);
      await admin.get(`/staff/releases/${release!.id}`);
      const saved = await admin.post(`/staff/releases/${release!.id}/documents`, {
        whatsNew: "# Payroll\r\n\r\n- faster",
        readme: "",
      });
      assert.equal(saved.statusCode, 303);
      const after = await t.upkeep.services.catalogue.getRelease(release!.id);
      assert.deepEqual(after.documents, { whatsNew: "# Payroll\n\n- faster" });
      const form = await admin.get(`/staff/releases/${release!.id}?done=documents`);
      assert.match(form.body, /The documents were saved/);
      assert.match(form.body, /<textarea id="field-whatsNew"[^>]*># Payroll\n\n- faster<\/textarea>/);
      const page = await support.get(`/staff/releases/${release!.id}`);
      assert.match(page.body, /# Payroll/);
      assert.doesNotMatch(page.body, /action="[^"]*\/documents"/);
      await admin.get(`/staff/releases/${release!.id}`);
      const withdrawn = await admin.post(`/staff/releases/${release!.id}/withdraw`, {});
      assert.equal(withdrawn.statusCode, 303);
      assert.equal((await t.upkeep.services.catalogue.getRelease(release!.id)).status, "withdrawn");
    });

    it("keeps the values and names the field when a form is refused, never a 500", async () => {
      await admin.get("/staff/configurations");
      const badCode = await admin.post("/staff/configurations", {
        code: "no spaces",
        name: "Bad",
        kind: "configuration",
        packageFormat: "1c",
        vendor: "1c",
      });
      assert.equal(badCode.statusCode, 400);
      assert.match(badCode.body, /id="field-code-error"/);
      assert.match(badCode.body, /value="no spaces"/);
      await admin.get("/staff/configurations");
      const taken = await admin.post("/staff/configurations", {
        code: "HRM",
        name: "Again",
        kind: "configuration",
      });
      assert.equal(taken.statusCode, 409);
      assert.match(taken.body, /exists already/);
      await admin.get("/staff/configurations");
      const badKind = await admin.post("/staff/configurations", { code: "K1", name: "K", kind: "nonsense" });
      assert.equal(badKind.statusCode, 400);
      assert.match(badKind.body, /id="field-kind-error"/);

      await admin.get("/staff/configurations/HRM");
      for (const [fields, field] of [
        [{ version: "3.0.x", releasedOn: "2026-11-01" }, "version"],
        [{ version: "3.0.13.1", releasedOn: "2026-02-30" }, "releasedOn"],
        [{ version: "3.0.13.1", releasedOn: "2026-11-01", updateFrom: "4.0.0.1" }, "updateFrom"],
        [{ version: "3.0.13.1", releasedOn: "2026-11-01", minPlatformVersion: "8.3" }, "minPlatformVersion"],
        [{ version: "3.0.11.36", releasedOn: "2026-11-01" }, "version"],
      ] as const) {
        await admin.get("/staff/configurations/HRM");
        const refused = await admin.post("/staff/configurations/HRM/releases", fields);
        assert.ok([400, 409, 422].includes(refused.statusCode), `${field}: ${refused.statusCode}`);
        assert.match(refused.body, new RegExp(`id="field-${field}-error"`), field);
        assert.match(refused.body, new RegExp(`value="${fields.version.replace(/\./g, "\\.")}"`));
      }
      // Control characters never reach the database (PostgreSQL refuses NUL in text).
      await admin.get("/staff/configurations");
      const nul = await admin.post("/staff/configurations", {
        code: "NUL",
        name: "a\u0000b",
        kind: "configuration",
      });
      assert.equal(nul.statusCode, 400);
      assert.equal((await admin.get("/staff/configurations/NU%00L")).statusCode, 400);
      assert.equal((await admin.get("/staff/audit-log?actor=%00")).statusCode, 400);
      assert.equal((await admin.get("/staff/registration-numbers?product=%1F")).statusCode, 400);
      assert.equal((await admin.get("/staff/releases/no-such-release")).statusCode, 404);
      assert.equal((await admin.get("/staff/configurations/NOPE")).statusCode, 404);
      assert.equal((await admin.get("/staff/products/NOPE")).statusCode, 404);
    });

    it("edits a product and refuses bad months or no configuration", async () => {
      await admin.get("/staff/products/ENT-PROF6");
      const bad = await admin.post("/staff/products/ENT-PROF6", {
        name: "Enterprise",
        freeSupportMonths: "500",
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /id="field-freeSupportMonths-error"/);
      assert.match(bad.body, /value="Enterprise"/);
      await admin.get("/staff/products/ENT-PROF6");
      const saved = await admin.post("/staff/products/ENT-PROF6", {
        name: "Enterprise PROF",
        freeSupportMonths: "12",
        configurations: "ENT",
      });
      assert.equal(saved.statusCode, 303);
      const list = await admin.get(String(saved.headers.location));
      assert.match(list.body, /Product ENT-PROF6 was saved/);
      assert.match(list.body, /Enterprise PROF/);
      assert.equal((await support.get("/staff/products/ENT-PROF6")).statusCode, 403);
    });

    it("adds a product through the use case of the API, keeping the form on a refusal", async () => {
      await admin.get("/staff/products");
      const taken = await admin.post("/staff/products", {
        code: "ACC-BASIC",
        name: "Accounting again",
        edition: "basic",
        freeSupportMonths: "0",
        configurations: "ACC",
      });
      assert.equal(taken.statusCode, 409);
      assert.match(taken.body, /id="field-code-error"/);
      assert.match(taken.body, /value="Accounting again"/);
      const none = await admin.post("/staff/products", {
        code: "ACC-CORP",
        name: "Accounting CORP",
        edition: "corp",
        freeSupportMonths: "3",
      });
      assert.equal(none.statusCode, 400);
      assert.match(none.body, /id="field-configurations-error"/);
      assert.match(none.body, /<option value="corp" selected>/);
      const codes = async () => (await t.upkeep.services.catalogue.listProducts()).map((p) => p.code);
      assert.equal((await codes()).includes("ACC-CORP"), false, "nothing half-written");
      const added = await admin.post("/staff/products", {
        code: "ACC-CORP",
        name: "Accounting CORP",
        edition: "corp",
        freeSupportMonths: "3",
        configurations: "ACC",
      });
      assert.equal(added.statusCode, 303);
      const list = await admin.get(String(added.headers.location));
      assert.match(list.body, /Product ACC-CORP was saved/);
      const product = (await t.upkeep.services.catalogue.listProducts()).find((p) => p.code === "ACC-CORP");
      assert.deepEqual(product, {
        code: "ACC-CORP",
        name: "Accounting CORP",
        edition: "corp",
        freeSupportMonths: 3,
        configurations: ["ACC"],
      });
    });

    it("issues numbers with the envelope file once, lists and filters them, lifts a PIN lock", async () => {
      await admin.get("/staff/registration-numbers");
      const bad = await admin.post("/staff/registration-numbers/issue", {
        product: "ACC-BASIC",
        count: "0",
        pin: "yes",
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /id="field-count-error"/);
      await admin.get("/staff/registration-numbers");
      const issued = await admin.post("/staff/registration-numbers/issue", {
        product: "ACC-BASIC",
        count: "3",
        pin: "yes",
      });
      assert.equal(issued.statusCode, 201);
      assert.match(
        String(issued.headers["content-disposition"]),
        /^attachment; filename="pin-envelopes-ACC-BASIC\.csv"/,
      );
      assert.equal(issued.headers["cache-control"], "no-store");
      const rows = issued.body.trim().split("\r\n");
      assert.equal(rows[0], "registrationNumber,pin,product");
      assert.equal(rows.length, 4);
      const numbers = rows.slice(1).map((row) => row.split(",")[0]!);

      const list = await support.get("/staff/registration-numbers?product=ACC-BASIC&state=awaiting-card");
      for (const number of numbers) assert.match(list.body, new RegExp(number));
      const filtered = await support.get(`/staff/registration-numbers?number=${numbers[0]}`);
      assert.match(filtered.body, new RegExp(numbers[0]!));
      assert.doesNotMatch(filtered.body, new RegExp(numbers[1]!));
      const badFilter = await support.get("/staff/registration-numbers?number=abc&offset=-3");
      assert.equal(badFilter.statusCode, 400);
      assert.match(badFilter.body, /role="alert"/);

      const [locked] = await issue(t, "ACC-BASIC", 1, { vendorRegistered: true });
      for (let i = 0; i < 5; i++) await register(t, locked!.registrationNumber, "0000000000000000");
      const lockedPage = await support.get("/staff/registration-numbers?state=locked");
      assert.match(lockedPage.body, /Locked until/);
      const unlocked = await support.post(
        `/staff/registration-numbers/${locked!.registrationNumber}/unlock`,
        {
          back: "/staff/registration-numbers?state=locked",
        },
      );
      assert.equal(unlocked.statusCode, 303);
      assert.equal(
        unlocked.headers.location,
        `/staff/registration-numbers?state=locked&unlocked=${locked!.registrationNumber}`,
      );
      const after = await support.get(String(unlocked.headers.location));
      assert.match(after.body, /PIN lock of \d+ was lifted/);
      assert.match(after.body, /No registration numbers match/);
    });

    it("records a registration card with per-field errors first", async () => {
      const [number] = await issue(t, "ACC-BASIC", 1);
      await support.get("/staff/registration-cards");
      const incomplete = await support.post("/staff/registration-cards", {
        registrationNumber: number!.registrationNumber,
        name: "Romashka LLC",
        email: "not-an-address",
      });
      assert.equal(incomplete.statusCode, 400);
      assert.match(incomplete.body, /id="field-email-error"/);
      assert.match(incomplete.body, /id="field-phone-error"/);
      assert.match(incomplete.body, /value="Romashka LLC"/);
      await support.get("/staff/registration-cards");
      const recorded = await support.post("/staff/registration-cards", {
        registrationNumber: number!.registrationNumber,
        name: "Romashka LLC",
        activity: "Flowers",
        postalCode: "101000",
        address: "1 Garden Street",
        head: "I. Ivanov",
        responsiblePerson: "P. Petrov",
        phone: "+7 495 000-00-00",
        email: "office@romashka.example",
        purchasedFrom: "Partner Alpha",
        purchaseDate: "2026-11-01",
        workstations: "5",
      });
      assert.equal(recorded.statusCode, 303, recorded.body.slice(0, 300));
      assert.match((await support.get(String(recorded.headers.location))).body, /was recorded/);
      const row = await t.upkeep.database.db
        .selectFrom("registration_numbers")
        .select(["vendor_registered_at", "purchase_date"])
        .where("number", "=", number!.registrationNumber)
        .executeTakeFirstOrThrow();
      assert.ok(row.vendor_registered_at);
      assert.equal(row.purchase_date, "2026-11-01");
    });

    it("adds a partner and a login, refusing a taken login on its form", async () => {
      await admin.get("/staff/partners");
      const added = await admin.post("/staff/partners", { name: "Partner Gamma" });
      assert.equal(added.statusCode, 303);
      const id = /added=([^&]+)/.exec(String(added.headers.location))?.[1] ?? "";
      assert.match((await admin.get(String(added.headers.location))).body, /Partner Partner Gamma was added/);
      const dup = await admin.post("/staff/partners", { name: "Partner Gamma" });
      assert.equal(dup.statusCode, 409);
      assert.match(dup.body, /exists already/);
      await admin.get("/staff/partners");
      const login = await admin.post(`/staff/partners/${id}/logins`, {
        login: "gamma-sales",
        password: "gamma-password-1",
        email: "",
      });
      assert.equal(login.statusCode, 303);
      const list = await support.get("/staff/partners");
      assert.match(list.body, /gamma-sales/);
      await admin.get("/staff/partners");
      const taken = await admin.post(`/staff/partners/${id}/logins`, {
        login: "gamma-sales",
        password: "gamma-password-1",
      });
      assert.equal(taken.statusCode, 409);
      assert.match(taken.body, new RegExp(`id="login-${id}-error"`));
      await admin.get("/staff/partners");
      const weak = await admin.post(`/staff/partners/${id}/logins`, { login: "gamma-2", password: "short" });
      assert.equal(weak.statusCode, 400);
      assert.match(weak.body, /at least 8 characters/);
    });

    it("filters the audit log by actor, action and days, pages it, and refuses bad filters", async () => {
      const releases = await support.get("/staff/audit-log?action=release.");
      assert.equal(releases.statusCode, 200);
      assert.match(releases.body, /<code>release\.publish<\/code>/);
      assert.doesNotMatch(releases.body, /<code>configuration\.create<\/code>/);
      const mine = await support.get("/staff/audit-log?actor=staff-support");
      assert.match(mine.body, /<code>registration_number\.(card|unlock)<\/code>/);
      assert.doesNotMatch(mine.body, /<code>release\.publish<\/code>/);
      const today = t.clock.now().toISOString().slice(0, 10);
      assert.match(
        (await support.get(`/staff/audit-log?from=${today}&to=${today}`)).body,
        /<code>release\.create<\/code>/,
      );
      assert.match((await support.get("/staff/audit-log?to=2020-01-01")).body, /No events match/);
      const paged = await support.get("/staff/audit-log?limit=2");
      assert.match(paged.body, /rel="next"/);
      assert.match(paged.body, /href="\/staff\/audit-log\?offset=2"/);
      for (const query of [
        "from=2026-13-01",
        "from=2026-11-17&to=2026-11-01",
        "action=%3Cscript%3E",
        "offset=x",
      ]) {
        const refused = await support.get(`/staff/audit-log?${query}`);
        assert.equal(refused.statusCode, 400, query);
        assert.match(refused.body, /role="alert"/);
        assert.doesNotMatch(refused.body, /<script>/);
      }
    });
  });
}
