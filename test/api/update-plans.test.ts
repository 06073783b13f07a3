import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createUpdatesService } from "../../src/services/updates.ts";
import { createConfiguration, createRelease } from "../support/catalogue-fixtures.ts";
import { availableDialects, startTestApp, type TestApp } from "../support/harness.ts";

for (const dialect of await availableDialects()) {
  describe(`plans over the cached catalogue on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(dialect);
      await createConfiguration(t, "HRM");
      await createRelease(t, { version: "3.0.1.1" });
      await createRelease(t, { version: "3.0.2.1", updateFrom: ["3.0.1.1"] });
    });
    after(() => t.close());

    /**
     * The real service over the real catalogue, counting the revision checks it makes; with a
     * gate, each release listing is read at once but handed over only when the gate opens.
     */
    function countingUpdates(gate?: Promise<void>) {
      const catalogue = t.upkeep.services.catalogue;
      let checks = 0;
      const updates = createUpdatesService({
        entitlements: t.upkeep.services.entitlements,
        catalogue: {
          ...catalogue,
          configurationRevision: (code: string) => {
            checks++;
            return catalogue.configurationRevision(code);
          },
          listReleases: async (...args: Parameters<typeof catalogue.listReleases>) => {
            const releases = await catalogue.listReleases(...args);
            await gate;
            return releases;
          },
        },
      });
      return { updates, checks: () => checks };
    }

    it("many requests arriving when the revision is due share one check", async () => {
      const { updates, checks } = countingUpdates();
      const request = { configuration: "HRM", version: "3.0.1.1" };
      assert.equal((await updates.plan(request)).to, "3.0.2.1");
      assert.equal(checks(), 1);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const plans = await Promise.all(Array.from({ length: 20 }, () => updates.plan(request)));
      assert.ok(plans.every((plan) => plan.to === "3.0.2.1"));
      assert.equal(checks(), 2, "one check for all twenty");
    });

    it("a release published through this node while a check reads the catalogue is planned at once", async () => {
      let open = () => {};
      const { updates } = countingUpdates(new Promise<void>((resolve) => (open = resolve)));
      const request = { configuration: "HRM", version: "3.0.1.1" };
      // The first plan reads the releases, then waits; meanwhile a release is published.
      const during = updates.plan(request);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await createRelease(t, { version: "3.0.3.1", updateFrom: ["3.0.2.1"] });
      open();
      assert.equal((await during).to, "3.0.2.1", "it answers from what it read");
      // What it read is not kept: the next plan sees the new release.
      assert.equal((await updates.plan(request)).to, "3.0.3.1");
      assert.equal(updates.cachedPlan(request)?.to, "3.0.3.1");
    });

    it("carries the what's new of every release the chain passes, in install order, on the API", async () => {
      await createConfiguration(t, "NEWS");
      await createRelease(t, {
        configuration: "NEWS",
        version: "1.0.0.1",
        documents: { whatsNew: "* First." },
      });
      await createRelease(t, {
        configuration: "NEWS",
        version: "1.0.1.1",
        updateFrom: ["1.0.0.1"],
        documents: { whatsNew: "  * Faster **payroll**.\n" },
      });
      await createRelease(t, {
        configuration: "NEWS",
        version: "1.0.2.1",
        updateFrom: ["1.0.1.1"],
        documents: { changes: "no what's new here" },
      });
      await createRelease(t, {
        configuration: "NEWS",
        version: "1.0.3.1",
        updateFrom: ["1.0.2.1"],
        documents: { whatsNew: "* Reports <b>fixed</b>." },
      });
      const { token } = await t.signUp("support");
      const plan = async (version: string) => {
        const response = await t.request({
          method: "POST",
          url: "/api/v1/updates/plan",
          token,
          body: { configuration: "NEWS", version },
        });
        assert.equal(response.statusCode, 200, response.body);
        return response.json();
      };
      const fromFirst = await plan("1.0.0.1");
      assert.deepEqual(
        fromFirst.steps.map((s: { version: string }) => s.version),
        ["1.0.1.1", "1.0.2.1", "1.0.3.1"],
      );
      // The release passed without the document is left out; the texts come as written, trimmed.
      assert.deepEqual(fromFirst.whatsNew, [
        { version: "1.0.1.1", text: "* Faster **payroll**." },
        { version: "1.0.3.1", text: "* Reports <b>fixed</b>." },
      ]);
      // The same answer again comes from the kept plan.
      assert.deepEqual((await plan("1.0.0.1")).whatsNew, fromFirst.whatsNew);
      assert.deepEqual((await plan("1.0.3.1")).whatsNew, [], "up to date: nothing passed");
    });
  });
}
