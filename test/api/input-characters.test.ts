import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { LightMyRequestResponse } from "fastify";
import { createConfiguration } from "../support/catalogue-fixtures.ts";
import { availableDialects, startTestApp, type TestApp } from "../support/harness.ts";
import { issue, organization, registrationCatalogue } from "../support/registration-fixtures.ts";

function assertRefused(response: LightMyRequestResponse, path: string) {
  assert.equal(response.statusCode, 400, response.body);
  assert.equal(response.json().code, "invalid_characters");
  assert.equal(response.json().errors[0].path, path);
  assert.ok(response.json().detail.startsWith(`${path} `), response.json().detail);
}

for (const dialect of await availableDialects()) {
  describe(`control characters in input on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(dialect);
      await createConfiguration(t, "HRM");
      await registrationCatalogue(t);
    });
    after(() => t.close());

    const release = (body: Record<string, unknown>) =>
      t.request({
        method: "POST",
        url: "/api/v1/admin/releases",
        token: t.adminToken,
        body: { configuration: "HRM", releasedOn: "2026-11-01", updateFrom: [], ...body },
      });

    it("refuses NUL in a sign-in before the database sees it", async () => {
      const response = await t.request({
        method: "POST",
        url: "/api/v1/auth/token",
        body: { login: "a\u0000b", password: "x" },
      });
      assertRefused(response, "body/login");
    });

    it("lets documents span lines and hold tabs, and nothing else of the controls", async () => {
      const whatsNew = "# What's new\r\n\n\t- faster posting\n";
      const created = await release({ version: "3.0.1.1", documents: { whatsNew } });
      assert.equal(created.statusCode, 201, created.body);
      assert.equal(created.json().documents.whatsNew, whatsNew);

      assertRefused(
        await release({ version: "3.0.1.2", documents: { readme: "a\u0007b" } }),
        "body/documents/readme",
      );
      assertRefused(
        await release({ version: "3.0.1.3", documents: { readme: "a\u0000b" } }),
        "body/documents/readme",
      );
    });

    it("keeps identifiers, versions and names to one line", async () => {
      assertRefused(await release({ version: "3.0.1\n.4" }), "body/version");
      assertRefused(
        await release({ version: "3.0.1.5", updateFrom: ["3.0.1.1", "3.0\t"] }),
        "body/updateFrom/1",
      );
      const configuration = await t.request({
        method: "POST",
        url: "/api/v1/admin/configurations",
        token: t.adminToken,
        body: { code: "ACCT", name: "Accounting\r\nfor shops", kind: "configuration" },
      });
      assertRefused(configuration, "body/name");
    });

    it("lets an organisation's address span lines, not its name", async () => {
      const [first, second] = await issue(t, "ACC-BASIC", 2, { pin: false });
      const card = (number: string, overrides: Record<string, unknown>) =>
        t.request({
          method: "POST",
          url: `/api/v1/admin/registration-numbers/${number}/card`,
          token: t.adminToken,
          body: { organization: organization(t, overrides) },
        });
      const address = "1 Garden Street\r\nMoscow";
      const recorded = await card(first!.registrationNumber, { address });
      assert.equal(recorded.statusCode, 200, recorded.body);
      assertRefused(
        await card(second!.registrationNumber, { name: "Romashka\nLLC" }),
        "body/organization/name",
      );
      assertRefused(
        await card(second!.registrationNumber, { address: "1 Garden\u0000Street" }),
        "body/organization/address",
      );
    });

    it("refuses control characters in path parameters and query values", async () => {
      const get = (url: string) => t.request({ method: "GET", url, token: t.adminToken });
      assertRefused(await get("/api/v1/releases/a%0Ab"), "params/id");
      assertRefused(await get("/api/v1/configurations/HRM%09/releases"), "params/code");
      assertRefused(await get("/api/v1/configurations?q=%00"), "querystring/q");
      assertRefused(await get("/tuf/targets/a%00b.zip"), "params/*");
    });
  });
}
