import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createRelease, uploadDistribution } from "../support/catalogue-fixtures.ts";
import type { TestApp } from "../support/harness.ts";
import { availableDialects } from "../support/harness.ts";
import {
  addProduct,
  issue,
  issueRegistered,
  type PartnerLogin,
  register,
  startRegistrationApp,
} from "../support/registration-fixtures.ts";

for (const dialect of await availableDialects()) {
  describe(`staff API on ${dialect}`, () => {
    let t: TestApp;
    let alpha: PartnerLogin;
    let support: { token: string };
    let user: { token: string };
    before(async () => {
      ({ t, alpha } = await startRegistrationApp(dialect));
      support = await t.signUp("support");
      user = await t.signUp("user");
    });
    after(() => t.close());

    const get = (url: string, token = t.adminToken) => t.request({ method: "GET", url, token });

    it("lets staff read, only admin change, and refuses users and partners", async () => {
      for (const url of [
        "/api/v1/admin/products",
        "/api/v1/admin/registration-numbers",
        "/api/v1/admin/audit-log",
        "/api/v1/admin/partners",
        "/api/v1/admin/configurations/ACC/releases",
      ]) {
        assert.equal((await get(url, support.token)).statusCode, 200, url);
        assert.equal((await get(url, user.token)).statusCode, 403, url);
        assert.equal((await get(url, alpha.token)).statusCode, 403, url);
        assert.equal((await get(url, "")).statusCode, 401, url);
      }
      const patch = await t.request({
        method: "PATCH",
        url: "/api/v1/admin/products/ACC-BASIC",
        token: support.token,
        body: { name: "Renamed" },
      });
      assert.equal(patch.statusCode, 403);
      const partner = await t.request({
        method: "POST",
        url: "/api/v1/admin/partners",
        token: support.token,
        body: { name: "Gamma" },
      });
      assert.equal(partner.statusCode, 403);
    });

    describe("products", () => {
      it("lists products and edits name, months and configurations, audited", async () => {
        const list = (await get("/api/v1/admin/products")).json() as { code: string }[];
        assert.ok(list.some((p) => p.code === "ENT-PROF6"));
        assert.deepEqual(
          list.map((p) => p.code),
          [...list.map((p) => p.code)].sort(),
        );
        const changed = await t.request({
          method: "PATCH",
          url: "/api/v1/admin/products/ENT-PROF6",
          token: t.adminToken,
          body: { name: "Enterprise PROF, 6 months", freeSupportMonths: 12, configurations: ["HR", "ENT"] },
        });
        assert.equal(changed.statusCode, 200, changed.body);
        assert.deepEqual(changed.json(), {
          code: "ENT-PROF6",
          name: "Enterprise PROF, 6 months",
          edition: "prof",
          freeSupportMonths: 12,
          configurations: ["ENT", "HR"],
        });
        const audit = (await get("/api/v1/admin/audit-log?action=product.update")).json();
        assert.equal(audit.items[0].subject, "product:ENT-PROF6");
        assert.equal(audit.items[0].actor, "root-admin");
        assert.deepEqual(audit.items[0].details.configurations, ["ENT", "HR"]);
      });

      it("refuses unknown products and configurations, an edition, and empty lists, changing nothing", async () => {
        const patch = (code: string, body: unknown) =>
          t.request({ method: "PATCH", url: `/api/v1/admin/products/${code}`, token: t.adminToken, body });
        assert.equal((await patch("NOPE", { name: "x" })).json().code, "product_not_found");
        const unknown = await patch("ACC-BASIC", { configurations: ["NOPE"] });
        assert.equal(unknown.statusCode, 422);
        assert.equal(unknown.json().code, "configuration_not_found");
        assert.equal((await patch("ACC-BASIC", { edition: "prof" })).statusCode, 400);
        assert.equal((await patch("ACC-BASIC", { configurations: [] })).statusCode, 400);
        assert.equal((await patch("ACC-BASIC", { name: "   " })).json().code, "invalid_name");
        const list = (await get("/api/v1/admin/products")).json() as {
          code: string;
          configurations: string[];
        }[];
        assert.deepEqual(list.find((p) => p.code === "ACC-BASIC")?.configurations, ["ACC"]);
      });

      it("shows a holder the configurations a product gains at once", async () => {
        const number = await issueRegistered(t, "ACC-BASIC");
        const holder = await t.signUp("user");
        assert.equal(
          (await addProduct(t, holder.token, number.registrationNumber, number.pin!)).statusCode,
          201,
        );
        const before = (await get("/api/v1/configurations", holder.token)).json() as { code: string }[];
        assert.deepEqual(
          before.map((c) => c.code),
          ["ACC"],
        );
        await t.request({
          method: "PATCH",
          url: "/api/v1/admin/products/ACC-BASIC",
          token: t.adminToken,
          body: { configurations: ["ACC", "HR"] },
        });
        const after = (await get("/api/v1/configurations", holder.token)).json() as { code: string }[];
        assert.deepEqual(
          after.map((c) => c.code),
          ["ACC", "HR"],
        );
      });
    });

    describe("releases", () => {
      it("lists drafts, published and withdrawn releases for staff only", async () => {
        await createRelease(t, { configuration: "HR", version: "1.0.0.1" });
        const draft = await createRelease(t, { configuration: "HR", version: "1.0.0.2", publish: false });
        const staffList = (await get("/api/v1/admin/configurations/HR/releases", support.token)).json() as {
          version: string;
          status: string;
        }[];
        assert.deepEqual(
          staffList.map((r) => [r.version, r.status]),
          [
            ["1.0.0.2", "draft"],
            ["1.0.0.1", "published"],
          ],
        );
        const released = (await get("/api/v1/configurations/HR/releases")).json() as { id: string }[];
        assert.ok(!released.some((r) => r.id === draft.id));
        assert.equal((await get("/api/v1/admin/configurations/NOPE/releases")).statusCode, 404);
      });

      it("edits a published release's documents, keeps its files, and refuses unknown documents", async () => {
        const release = await createRelease(t, { configuration: "HR", version: "1.0.1.0" });
        const put = (body: unknown, token = t.adminToken) =>
          t.request({ method: "PUT", url: `/api/v1/admin/releases/${release.id}/documents`, token, body });
        const edited = await put({ whatsNew: "# New\n\n- payroll\tfixed", readme: "Read me" });
        assert.equal(edited.statusCode, 200, edited.body);
        assert.deepEqual(edited.json().documents, {
          whatsNew: "# New\n\n- payroll\tfixed",
          readme: "Read me",
        });
        assert.equal(edited.json().status, "published");
        assert.equal(edited.json().distributions.length, 1);
        const seen = (await get(`/api/v1/releases/${release.id}`, t.adminToken)).json();
        assert.equal(seen.documents.readme, "Read me");
        assert.equal((await put({ readme: "x" }, support.token)).statusCode, 403);
        const unknown = await put({ secrets: "x" });
        assert.equal(unknown.statusCode, 400);
        assert.equal((await put({ readme: "only this" })).json().documents.whatsNew, undefined);
        const missing = await t.request({
          method: "PUT",
          url: "/api/v1/admin/releases/no-such-release/documents",
          token: t.adminToken,
          body: {},
        });
        assert.equal(missing.json().code, "release_not_found");
        // The files stay immutable.
        await assert.rejects(
          uploadDistribution(t, release.id, Buffer.from("other"), "full", "setup.zip"),
          /409.*release_files_immutable/,
        );
      });
    });

    describe("registration numbers", () => {
      it("lists numbers by product, digits and state, with paging", async () => {
        const fresh = await issue(t, "ENT-PROF", 3);
        const registered = await issueRegistered(t, "ENT-PROF");
        const page = (
          await get("/api/v1/admin/registration-numbers?product=ENT-PROF&limit=2", support.token)
        ).json();
        assert.equal(page.items.length, 2);
        assert.equal(page.nextOffset, 2);
        const next = (
          await get("/api/v1/admin/registration-numbers?product=ENT-PROF&limit=2&offset=2")
        ).json();
        assert.equal(next.items.length, 2);
        assert.equal(next.nextOffset, null);
        const all = [...page.items, ...next.items].map(
          (n: { registrationNumber: string }) => n.registrationNumber,
        );
        assert.deepEqual(
          [...all].sort(),
          [...fresh.map((n) => n.registrationNumber), registered.registrationNumber].sort(),
        );

        const awaiting = (
          await get("/api/v1/admin/registration-numbers?product=ENT-PROF&state=awaiting-card")
        ).json();
        assert.equal(awaiting.items.length, 3);
        assert.ok(awaiting.items.every((n: { withPin: boolean }) => n.withPin));
        const one = (
          await get(`/api/v1/admin/registration-numbers?number=${registered.registrationNumber}`)
        ).json();
        assert.equal(one.items.length, 1);
        assert.equal(one.items[0].product, "ENT-PROF");
        assert.ok(one.items[0].vendorRegisteredAt);
        assert.equal(one.items[0].holder, null);
      });

      it("shows the holder and a running PIN lock, until staff lift it", async () => {
        const [number] = await issue(t, "ACC-BASIC", 1, { vendorRegistered: true });
        const registered = await register(t, number!.registrationNumber, number!.pin!);
        assert.equal(registered.statusCode, 201, registered.body);
        const held = (
          await get("/api/v1/admin/registration-numbers?state=on-account&product=ACC-BASIC")
        ).json();
        assert.ok(
          held.items.some(
            (n: { registrationNumber: string; holder: string }) =>
              n.registrationNumber === number!.registrationNumber && n.holder === registered.json().userCode,
          ),
        );
        const [locked] = await issue(t, "ACC-BASIC", 1, { vendorRegistered: true });
        for (let i = 0; i < 5; i++) await register(t, locked!.registrationNumber, "0000000000000000");
        const lockedPage = (await get("/api/v1/admin/registration-numbers?state=locked")).json();
        assert.deepEqual(
          lockedPage.items.map((n: { registrationNumber: string }) => n.registrationNumber),
          [locked!.registrationNumber],
        );
        assert.ok(lockedPage.items[0].lockedUntil > t.clock.now().toISOString());
        const unlock = await t.request({
          method: "POST",
          url: `/api/v1/admin/registration-numbers/${locked!.registrationNumber}/unlock`,
          token: support.token,
        });
        assert.equal(unlock.statusCode, 200);
        assert.deepEqual((await get("/api/v1/admin/registration-numbers?state=locked")).json().items, []);
      });

      it("refuses bad filters and paging with a clear 400", async () => {
        for (const [query, code] of [
          ["limit=0", "invalid_paging"],
          ["limit=201", "invalid_paging"],
          ["offset=-1", "invalid_paging"],
          ["offset=abc", "invalid_paging"],
          ["number=12a", "invalid_registration_number"],
          ["product=..", "invalid_code"],
          ["state=gone", "validation_failed"],
        ] as const) {
          const response = await get(`/api/v1/admin/registration-numbers?${query}`);
          assert.equal(response.statusCode, 400, query);
          assert.equal(response.json().code, code, query);
        }
      });
    });

    describe("audit log", () => {
      it("filters by actor, action family and days, newest first, with paging", async () => {
        const all = (await get("/api/v1/admin/audit-log?limit=200")).json();
        assert.ok(all.items.length > 5);
        const ids = all.items.map((e: { id: number }) => e.id);
        assert.deepEqual(
          ids,
          [...ids].sort((a: number, b: number) => b - a),
        );

        const family = (await get("/api/v1/admin/audit-log?action=registration_number.&limit=200")).json();
        assert.ok(family.items.length > 0);
        assert.ok(family.items.every((e: { action: string }) => e.action.startsWith("registration_number.")));
        assert.ok(!family.items.some((e: { action: string }) => e.action === "registration_numbers.issue"));

        const bySupport = (await get("/api/v1/admin/audit-log?actor=support-2")).json();
        assert.ok(bySupport.items.every((e: { actor: string }) => e.actor === "support-2"));

        const today = t.clock.now().toISOString().slice(0, 10);
        assert.equal(
          (await get(`/api/v1/admin/audit-log?from=${today}&to=${today}&limit=200`)).json().items.length,
          all.items.length,
        );
        assert.deepEqual((await get("/api/v1/admin/audit-log?to=2026-11-15")).json().items, []);
        assert.deepEqual((await get("/api/v1/admin/audit-log?from=2026-11-17")).json().items, []);

        const first = (await get("/api/v1/admin/audit-log?limit=3")).json();
        assert.equal(first.items.length, 3);
        assert.equal(first.nextOffset, 3);
        const second = (await get("/api/v1/admin/audit-log?limit=3&offset=3")).json();
        assert.deepEqual(
          second.items.map((e: { id: number }) => e.id),
          ids.slice(3, 6),
        );
      });

      it("refuses bad dates, ranges and actions", async () => {
        for (const [query, code] of [
          ["from=2026-02-30", "invalid_date"],
          ["from=2026-11-17&to=2026-11-16", "invalid_date_range"],
          ["action=DROP%20TABLE", "invalid_action"],
          ["limit=1000", "invalid_paging"],
        ] as const) {
          const response = await get(`/api/v1/admin/audit-log?${query}`);
          assert.equal(response.statusCode, 400, query);
          assert.equal(response.json().code, code, query);
        }
      });
    });

    describe("partners", () => {
      it("lists partners with their logins and clients; admin adds a partner and a login", async () => {
        const added = await t.request({
          method: "POST",
          url: "/api/v1/admin/partners",
          token: t.adminToken,
          body: { name: "Partner Gamma" },
        });
        assert.equal(added.statusCode, 201, added.body);
        const { id } = added.json();
        const again = await t.request({
          method: "POST",
          url: "/api/v1/admin/partners",
          token: t.adminToken,
          body: { name: "Partner Gamma" },
        });
        assert.equal(again.json().code, "partner_exists");
        const login = await t.request({
          method: "POST",
          url: `/api/v1/admin/partners/${id}/logins`,
          token: t.adminToken,
          body: { login: "gamma-sales", password: "gamma-password-1", email: "sales@gamma.example" },
        });
        assert.equal(login.statusCode, 201, login.body);
        assert.equal(login.json().login, "gamma-sales");
        const taken = await t.request({
          method: "POST",
          url: `/api/v1/admin/partners/${id}/logins`,
          token: t.adminToken,
          body: { login: "gamma-sales", password: "gamma-password-1" },
        });
        assert.equal(taken.json().code, "login_taken");
        const missing = await t.request({
          method: "POST",
          url: "/api/v1/admin/partners/nope/logins",
          token: t.adminToken,
          body: { login: "x-sales", password: "gamma-password-1" },
        });
        assert.equal(missing.json().code, "partner_not_found");

        const list = (await get("/api/v1/admin/partners", support.token)).json() as {
          name: string;
          logins: { login: string }[];
        }[];
        assert.deepEqual(
          list.map((p) => p.name),
          ["Partner Alpha", "Partner Beta", "Partner Gamma"],
        );
        assert.deepEqual(
          list.find((p) => p.name === "Partner Gamma")?.logins.map((l) => l.login),
          ["gamma-sales"],
        );
        const gammaToken = (
          await t.request({
            method: "POST",
            url: "/api/v1/auth/token",
            body: { login: "gamma-sales", password: "gamma-password-1" },
          })
        ).json().token;
        assert.equal((await get("/api/v1/partner/users", gammaToken)).statusCode, 200);
      });
    });
  });
}
