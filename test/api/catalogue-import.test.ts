/**
 * Importing 1C update packages and update lists into the catalogue (the use cases behind
 * `upkeep import` and `upkeep import-list`), on both dialects, read back through the API.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { AppError } from "../../src/domain/errors.ts";
import { readUpdateList } from "../../src/formats/onec/update-list.ts";
import { readUpdatePackage } from "../../src/formats/onec/update-package.ts";
import { createConfiguration } from "../support/catalogue-fixtures.ts";
import { availableDialects, startTestApp, type TestApp } from "../support/harness.ts";
import { sha256 } from "../support/hash.ts";
import { type UpdatePackageOptions, updatePackage } from "../support/update-package.ts";

const HRM_NAME = "ЗарплатаИУправлениеПерсоналом";
const list = readUpdateList(readFileSync(new URL("../fixtures/1c/v8upd11.xml", import.meta.url)));

function blobFiles(t: TestApp): string[] {
  return readdirSync(join(t.environment.dataDir, "blobs"), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

for (const dialect of await availableDialects()) {
  describe(`importing 1C packages and update lists on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(dialect);
    });
    after(() => t.close());

    const importer = () => t.upkeep.services.catalogueImport;

    async function importPackage(
      options: Partial<UpdatePackageOptions> & { version: string },
      publish = false,
    ) {
      const bytes = updatePackage({ code: "HRM", fromVersions: [], name: HRM_NAME, ...options });
      const contents = await readUpdatePackage({ buffer: bytes }, "1cv8.zip");
      const result = await importer().importPackage(
        { contents, body: () => Readable.from([bytes]), size: bytes.length, sha256: sha256(bytes), publish },
        t.admin.id,
      );
      return { bytes, result };
    }

    const auditCount = async () =>
      Number(
        (
          await t.upkeep.database.db
            .selectFrom("audit_log")
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );

    async function releaseOf(version: string, configuration = "HRM") {
      const row = await t.upkeep.database.db
        .selectFrom("releases")
        .select("id")
        .where("configuration_code", "=", configuration)
        .where("version", "=", version)
        .executeTakeFirst();
      if (!row) return null;
      const response = await t.request({
        method: "GET",
        url: `/api/v1/releases/${row.id}`,
        token: t.adminToken,
      });
      assert.equal(response.statusCode, 200, response.body);
      return response.json();
    }

    it("imports an update list: every release, the versions it updates from, the minimum platforms; again, nothing", async () => {
      const first = await importer().importUpdateList(list, t.admin.id);
      assert.equal(first.length, 54);
      assert.ok(first.every((result) => result.outcome === "created" && result.configuration === "HRM"));
      const configuration = await t.upkeep.services.catalogue.requireConfiguration("HRM");
      assert.deepEqual(configuration, {
        code: "HRM",
        name: HRM_NAME,
        kind: "configuration",
        vendor: "1c",
        programName: HRM_NAME,
        packageFormat: "1c",
      });
      // The same graph: each release's update-from versions and minimum platform are the list's.
      for (const update of list.updates) {
        const release = await releaseOf(update.version);
        assert.deepEqual(release.updateFrom, [...update.updateFrom], update.version);
        assert.equal(release.minPlatformVersion, update.minPlatformVersion, update.version);
        assert.equal(release.status, "draft");
        assert.equal(release.releasedOn, "2015-09-22", "dated with the list until its package comes");
      }
      const audits = await auditCount();
      const again = await importer().importUpdateList(list, t.admin.id);
      assert.ok(again.every((result) => result.outcome === "unchanged"));
      assert.equal(await auditCount(), audits, "nothing written");
    });

    it("imports a package into the listed release: its date, documents and update file, stored byte for byte", async () => {
      const whatsNewHtml =
        '<HTML><HEAD><META content="text/html; charset=windows-1251" http-equiv=Content-Type><STYLE>h2 {}</STYLE></HEAD>' +
        "<BODY><H2>Новое в версии 3.0.11</H2><SCRIPT>alert(1)</SCRIPT><UL><LI>Взносы по суммарному тарифу</LI></UL></BODY></HTML>";
      const { bytes, result } = await importPackage({
        version: "3.0.11.36",
        fromVersions: ["3.0.10.32", "3.0.10.33", "3.0.11.1", "3.0.11.34"],
        updateDate: "2013-12-16",
        pageEncoding: "windows-1251",
        whatsNewHtml,
      });
      assert.deepEqual(result, {
        configuration: "HRM",
        version: "3.0.11.36",
        outcome: "updated",
        changes: ["release date, documents updated", "update file stored"],
      });
      const release = await releaseOf("3.0.11.36");
      assert.equal(release.releasedOn, "2013-12-16");
      assert.deepEqual(release.updateFrom, ["3.0.10.32", "3.0.10.33", "3.0.11.1", "3.0.11.34"]);
      assert.equal(release.documents.whatsNew, "## Новое в версии 3.0.11\n\n-   Взносы по суммарному тарифу");
      assert.match(
        release.documents.updateOrder,
        /Обновление с версий 3\.0\.10\.32, .* до версии 3\.0\.11\.36\./,
      );
      assert.doesNotMatch(JSON.stringify(release.documents), /alert|STYLE|h2 \{/);
      const [update] = release.distributions;
      assert.deepEqual(
        { kind: update.kind, fileName: update.fileName, size: update.size, sha256: update.sha256 },
        { kind: "update", fileName: "1cv8.zip", size: bytes.length, sha256: sha256(bytes) },
      );
      const file = await t.request({
        method: "GET",
        url: `/api/v1/distributions/${update.id}/file`,
        token: t.adminToken,
      });
      assert.equal(file.statusCode, 200);
      assert.ok(file.rawPayload.equals(bytes), "the package's own bytes");

      const audits = await auditCount();
      const blobs = blobFiles(t);
      const again = await importPackage({
        version: "3.0.11.36",
        fromVersions: ["3.0.10.32", "3.0.10.33", "3.0.11.1", "3.0.11.34"],
        updateDate: "2013-12-16",
        pageEncoding: "windows-1251",
        whatsNewHtml,
      });
      assert.deepEqual(again.result.changes, []);
      assert.equal(again.result.outcome, "unchanged");
      assert.equal(await auditCount(), audits);
      assert.deepEqual(blobFiles(t), blobs, "no second copy");
    });

    it("publishes on request, and refuses other bytes for a published release's update, keeping nothing", async () => {
      const published = await importPackage({ version: "3.0.12.38", fromVersions: ["3.0.11.36"] }, true);
      assert.equal(published.result.outcome, "updated");
      assert.ok(published.result.changes.includes("published"));
      assert.equal((await releaseOf("3.0.12.38")).status, "published");
      const plan = await t.request({
        method: "POST",
        url: "/api/v1/updates/plan",
        token: t.adminToken,
        body: { configuration: "HRM", version: "3.0.11.36" },
      });
      assert.equal(plan.statusCode, 200, plan.body);
      assert.ok(
        plan.json().steps.some((step: { version: string }) => step.version === "3.0.12.38"),
        plan.body,
      );

      const audits = await auditCount();
      const blobs = blobFiles(t);
      await assert.rejects(
        importPackage({ version: "3.0.12.38", fromVersions: ["3.0.11.36"], cfu: Buffer.from("other bytes") }),
        (error: unknown) => error instanceof AppError && error.code === "release_files_immutable",
      );
      assert.equal(await auditCount(), audits);
      assert.deepEqual(blobFiles(t), blobs, "the refused copy is removed");
    });

    it("replaces a draft's update with a package of other bytes, removing the old copy", async () => {
      const first = await importPackage({ version: "3.0.12.40", fromVersions: ["3.0.12.38"] });
      assert.equal(first.result.outcome, "updated");
      const blobs = blobFiles(t).length;
      const second = await importPackage({
        version: "3.0.12.40",
        fromVersions: ["3.0.12.38"],
        cfu: Buffer.from("rebuilt"),
      });
      assert.deepEqual(second.result.changes, ["update file replaced"]);
      assert.equal(blobFiles(t).length, blobs);
      assert.equal((await releaseOf("3.0.12.40")).distributions[0].sha256, sha256(second.bytes));
    });

    it("creates a configuration for a new program, and gives its name to one created by hand", async () => {
      const created = await importPackage({
        code: "ACC",
        name: "Бухгалтерия",
        version: "3.0.52.32",
        fromVersions: ["3.0.51.20"],
      });
      assert.deepEqual(created.result.changes, [
        "configuration created",
        "release created",
        "update file stored",
      ]);
      assert.equal(
        (await t.upkeep.services.catalogue.requireConfiguration("ACC")).programName,
        "Бухгалтерия",
      );

      await createConfiguration(t, "TRADE");
      const named = await importPackage({ code: "TRADE", name: "УправлениеТорговлей", version: "11.4.1.1" });
      assert.deepEqual(named.result.changes, [
        "configuration named",
        "release created",
        "update file stored",
      ]);
      const trade = await t.upkeep.services.catalogue.requireConfiguration("TRADE");
      assert.equal(trade.programName, "УправлениеТорговлей");
      assert.equal(trade.name, "Configuration TRADE", "the rest is kept");
    });

    it("refuses a package of a program known under another code, and a code of another program, writing nothing", async () => {
      const audits = await auditCount();
      const blobs = blobFiles(t);
      await assert.rejects(
        importPackage({ code: "ZUP", name: HRM_NAME, version: "3.0.13.1" }),
        (error: unknown) => error instanceof AppError && error.code === "import_code_mismatch",
      );
      await assert.rejects(
        importPackage({ code: "ACC", name: "Другая", version: "3.0.13.1" }),
        (error: unknown) => error instanceof AppError && error.code === "import_configuration_mismatch",
      );
      assert.equal(await auditCount(), audits);
      assert.deepEqual(blobFiles(t), blobs);
      assert.equal(
        await t.upkeep.services.catalogue
          .listConfigurations()
          .then((all) => all.some((c) => c.code === "ZUP")),
        false,
      );
    });

    it("imports a list in one transaction: a refused update leaves the earlier ones unwritten", async () => {
      const audits = await auditCount();
      const bad = {
        date: "01.02.2020T10:00:00",
        updates: [
          {
            ...list.updates[0]!,
            configuration: "НоваяПрограмма",
            file: "v/NEW/1_0_0_2/1cv8.zip",
            version: "1.0.0.2",
            updateFrom: ["1.0.0.1"],
          },
          { ...list.updates[1]!, configuration: HRM_NAME, file: "1c/OTHER/3_0_9_28/1cv8.zip" },
        ],
      };
      await assert.rejects(
        importer().importUpdateList(bad, t.admin.id),
        (error: unknown) => error instanceof AppError && error.code === "import_code_mismatch",
      );
      assert.equal(await auditCount(), audits);
      assert.equal(
        await t.upkeep.services.catalogue
          .listConfigurations()
          .then((all) => all.some((c) => c.code === "NEW")),
        false,
      );
      await assert.rejects(
        importer().importUpdateList(
          { ...bad, updates: [{ ...bad.updates[0]!, file: "NEW/1cv8.zip" }] },
          t.admin.id,
        ),
        (error: unknown) => error instanceof AppError && error.code === "invalid_update_list",
      );
    });
  });
}
