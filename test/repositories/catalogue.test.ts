import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { Kysely } from "kysely";
import type { Configuration } from "../../src/contract/catalogue.ts";
import { isUniqueViolation } from "../../src/db/errors.ts";
import { type CatalogueRepository, catalogueRepository } from "../../src/db/repositories/catalogue.ts";
import { inTransaction } from "../../src/db/repositories/index.ts";
import type { Database } from "../../src/db/schema.ts";
import { openTestDatabase } from "../support/database.ts";
import { availableDialects } from "../support/harness.ts";

const CREATED = "2026-11-16T10:00:00.000Z";

const configuration = (code: string, overrides: Partial<Configuration> = {}): Configuration => ({
  code,
  name: `Configuration ${code}`,
  kind: "configuration",
  vendor: "1c",
  programName: null,
  packageFormat: "1c",
  ...overrides,
});

let sequence = 0;

/** A draft release of `version` with no files. */
async function addRelease(catalogue: CatalogueRepository, code: string, version: string) {
  const id = `release-${++sequence}`;
  await catalogue.insertRelease(
    {
      id,
      configuration: code,
      version,
      releasedOn: "2026-11-01",
      itsIssue: null,
      minPlatformVersion: null,
      channel: "stable",
      status: "draft",
      updateFrom: [],
      publishedAt: null,
      documents: { whatsNew: `# ${version}` },
    },
    CREATED,
  );
  return id;
}

async function addFile(catalogue: CatalogueRepository, releaseId: string, kind: string, size = 10) {
  const id = `file-${++sequence}`;
  await catalogue.insertDistribution(
    {
      id,
      releaseId,
      kind,
      fileName: `${kind}.zip`,
      size,
      sha256: "a".repeat(64),
      storageKey: `distributions/${releaseId}/${id}`,
    },
    CREATED,
  );
  return id;
}

for (const dialect of await availableDialects()) {
  describe(`catalogue repository on ${dialect}`, () => {
    let db: Kysely<Database>;
    let close: () => Promise<void>;
    let catalogue: CatalogueRepository;
    let code: string;

    before(async () => {
      const database = await openTestDatabase(dialect);
      db = database.db;
      close = database.close;
      catalogue = catalogueRepository(db);
    });
    after(() => close());

    // Each test works in a configuration of its own.
    beforeEach(async () => {
      code = `CFG${++sequence}`;
      await catalogue.insertConfiguration(configuration(code), CREATED);
    });

    it("reads configurations back as they were written, listed in code order", async () => {
      const file = configuration(`${code}-B`, {
        kind: "report-forms",
        packageFormat: "file",
        programName: "x.epf",
      });
      await catalogue.insertConfiguration(file, CREATED);
      await catalogue.insertConfiguration(configuration(`${code}-A`), CREATED);
      assert.deepEqual(await catalogue.findConfiguration(file.code), file);
      assert.equal(await catalogue.findConfiguration("NOPE"), undefined);
      assert.equal(await catalogue.configurationExists(file.code), true);
      assert.equal(await catalogue.configurationExists("NOPE"), false);
      const listed = (await catalogue.listConfigurations())
        .map((c) => c.code)
        .filter((c) => c.startsWith(code));
      assert.deepEqual(listed, [code, `${code}-A`, `${code}-B`]);
      assert.deepEqual(await catalogue.existingConfigurationCodes([`${code}-A`, "NOPE"]), [`${code}-A`]);
    });

    it("refuses a second configuration of one code with a unique violation", async () => {
      const error = await catalogue
        .insertConfiguration(configuration(code), CREATED)
        .catch((e: unknown) => e);
      assert.equal(isUniqueViolation(error), true);
    });

    it("starts a configuration at revision 0 and bumps it by one; an unknown one has none", async () => {
      assert.equal(await catalogue.configurationRevision(code), 0);
      await catalogue.bumpConfigurationRevision(code);
      await catalogue.bumpConfigurationRevision(code);
      assert.equal(await catalogue.configurationRevision(code), 2);
      assert.equal(await catalogue.configurationRevision("NOPE"), null);
    });

    it("rolls a revision bump back with the transaction it was made in", async () => {
      await assert.rejects(
        inTransaction(db, async ({ catalogue }) => {
          await catalogue.bumpConfigurationRevision(code);
          assert.equal(await catalogue.configurationRevision(code), 1);
          throw new Error("abandoned");
        }),
        /abandoned/,
      );
      assert.equal(await catalogue.configurationRevision(code), 0);
    });

    it("reads a product with its configurations in code order", async () => {
      await catalogue.insertConfiguration(configuration(`${code}-A`), CREATED);
      const product = `PRD${++sequence}`;
      await catalogue.insertProduct(
        {
          code: product,
          name: "Payroll",
          edition: "prof",
          freeSupportMonths: 12,
          configurations: [code, `${code}-A`],
        },
        CREATED,
      );
      assert.deepEqual(await catalogue.findProduct(product), {
        code: product,
        name: "Payroll",
        edition: "prof",
        freeSupportMonths: 12,
        configurations: [`${code}-A`, code].sort(),
      });
      assert.equal(await catalogue.productExists(product), true);
      assert.equal(await catalogue.findProduct("NOPE"), undefined);
      assert.equal(await catalogue.productExists("NOPE"), false);
    });

    it("lists releases newest version first by numeric order, only in the states asked for", async () => {
      const ids = new Map<string, string>();
      for (const version of ["3.0.9.1", "3.0.10.2", "3.0.10.10", "2.9.99.0", "3.1.0.0"]) {
        ids.set(version, await addRelease(catalogue, code, version));
      }
      for (const version of ["3.0.9.1", "3.0.10.2", "3.0.10.10", "2.9.99.0"]) {
        await catalogue.markReleasePublished(ids.get(version)!, CREATED);
      }
      const published = await catalogue.listReleases(code, ["published"]);
      assert.deepEqual(
        published.map((r) => r.version),
        ["3.0.10.10", "3.0.10.2", "3.0.9.1", "2.9.99.0"],
      );
      const all = await catalogue.listReleases(code, ["draft", "published"]);
      assert.deepEqual(
        all.map((r) => [r.version, r.status]),
        [
          ["3.1.0.0", "draft"],
          ["3.0.10.10", "published"],
          ["3.0.10.2", "published"],
          ["3.0.9.1", "published"],
          ["2.9.99.0", "published"],
        ],
      );
      assert.deepEqual(await catalogue.listReleases("NOPE", ["published"]), []);
    });

    it("gives each listed release its own distributions, in kind order", async () => {
      const older = await addRelease(catalogue, code, "1.0.0.1");
      const newer = await addRelease(catalogue, code, "1.0.0.2");
      const update = await addFile(catalogue, newer, "update", 20);
      const full = await addFile(catalogue, newer, "full", 30);
      const olderFull = await addFile(catalogue, older, "full", 40);
      const listed = await catalogue.listReleases(code, ["draft"]);
      assert.deepEqual(
        listed.map((r) => [
          r.id,
          r.distributions.map((d) => [d.id, d.kind, d.size]),
          r.hasUpdateDistribution,
        ]),
        [
          [
            newer,
            [
              [full, "full", 30],
              [update, "update", 20],
            ],
            true,
          ],
          [older, [[olderFull, "full", 40]], false],
        ],
      );
    });

    it("finds a release with and without its files and documents", async () => {
      const id = await addRelease(catalogue, code, "1.2.3.4");
      const file = await addFile(catalogue, id, "full");
      assert.equal(await catalogue.findReleaseId(code, "1.2.3.4"), id);
      assert.equal(await catalogue.findReleaseId(code, "1.2.3.5"), undefined);
      const release = await catalogue.findRelease(id);
      assert.deepEqual(release, {
        id,
        configuration: code,
        version: "1.2.3.4",
        releasedOn: "2026-11-01",
        itsIssue: null,
        minPlatformVersion: null,
        channel: "stable",
        status: "draft",
        updateFrom: [],
        publishedAt: null,
      });
      const withFiles = await catalogue.findReleaseWithFiles(id);
      assert.deepEqual(withFiles?.documents, { whatsNew: "# 1.2.3.4" });
      assert.deepEqual(
        withFiles?.distributions.map((d) => d.id),
        [file],
      );
      assert.equal(await catalogue.findRelease("NOPE"), undefined);
      assert.equal(await catalogue.findReleaseWithFiles("NOPE"), undefined);
    });

    it("publishes, withdraws and locks only a draft", async () => {
      const id = await addRelease(catalogue, code, "1.0.0.9");
      assert.equal(await inTransaction(db, ({ catalogue }) => catalogue.lockDraftRelease(id)), true);
      await catalogue.markReleasePublished(id, "2026-11-17T00:00:00.000Z");
      assert.equal(await catalogue.lockDraftRelease(id), false);
      assert.deepEqual(
        await db
          .selectFrom("releases")
          .select(["status", "published_at", "withdrawn_at"])
          .where("id", "=", id)
          .execute(),
        [{ status: "published", published_at: "2026-11-17T00:00:00.000Z", withdrawn_at: null }],
      );
      await catalogue.markReleaseWithdrawn(id, "2026-11-18T00:00:00.000Z");
      assert.deepEqual(
        await db
          .selectFrom("releases")
          .select(["status", "published_at", "withdrawn_at"])
          .where("id", "=", id)
          .execute(),
        [
          {
            status: "withdrawn",
            published_at: "2026-11-17T00:00:00.000Z",
            withdrawn_at: "2026-11-18T00:00:00.000Z",
          },
        ],
      );
      await catalogue.markReleasePublished(id, "2026-11-17T00:00:00.000Z");
      assert.equal((await catalogue.findRelease(id))?.status, "published");
      assert.equal(
        (await db.selectFrom("releases").select("withdrawn_at").where("id", "=", id).executeTakeFirst())
          ?.withdrawn_at,
        null,
      );
    });

    it("finds, replaces and joins distributions", async () => {
      const id = await addRelease(catalogue, code, "1.0.1.0");
      assert.equal(await catalogue.releaseHasDistributions(id), false);
      const first = await addFile(catalogue, id, "update");
      assert.equal(await catalogue.releaseHasDistributions(id), true);
      assert.deepEqual(await catalogue.findDistributionOfKind(id, "update"), {
        id: first,
        storageKey: `distributions/${id}/${first}`,
      });
      assert.equal(await catalogue.findDistributionOfKind(id, "full"), undefined);
      const duplicate = await addFile(catalogue, id, "update").catch((e: unknown) => e);
      assert.equal(isUniqueViolation(duplicate), true);
      await catalogue.deleteDistribution(first);
      assert.equal(await catalogue.findDistributionOfKind(id, "update"), undefined);
      const second = await addFile(catalogue, id, "update", 77);
      assert.deepEqual(await catalogue.findDistribution(second), {
        id: second,
        kind: "update",
        fileName: "update.zip",
        size: 77,
        sha256: "a".repeat(64),
        releaseId: id,
        storageKey: `distributions/${id}/${second}`,
        hashSum: null,
        configuration: code,
        releaseStatus: "draft",
      });
      assert.equal(await catalogue.findDistribution("NOPE"), undefined);
    });

    it("lists the files of published releases only", async () => {
      const published = await addRelease(catalogue, code, "5.0.0.1");
      const draft = await addRelease(catalogue, code, "5.0.0.2");
      const file = await addFile(catalogue, published, "full", 55);
      await addFile(catalogue, draft, "full");
      await catalogue.markReleasePublished(published, CREATED);
      const mine = (await catalogue.listPublishedDistributions()).filter((d) => d.configuration === code);
      assert.deepEqual(mine, [
        {
          distributionId: file,
          configuration: code,
          version: "5.0.0.1",
          kind: "full",
          fileName: "full.zip",
          size: 55,
          sha256: "a".repeat(64),
        },
      ]);
    });
  });
}
