import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DISTRIBUTION_KINDS } from "../../src/domain/catalogue.ts";
import {
  createConfiguration,
  createRelease,
  updatePackage,
  uploadDistribution,
} from "../support/catalogue-fixtures.ts";
import { availableDialects, startTestApp, type TestApp } from "../support/harness.ts";
import { sha256 } from "../support/hash.ts";
import { zip } from "../support/zip.ts";

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

for (const dialect of await availableDialects()) {
  describe(`catalogue API on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(dialect);
    });
    after(() => t.close());

    const distributionsOf = async (releaseId: string) =>
      (
        await t.upkeep.database.db
          .selectFrom("distributions")
          .select("id")
          .where("release_id", "=", releaseId)
          .orderBy("id")
          .execute()
      ).map((row) => row.id);

    describe("configurations and products", () => {
      it("creates and lists configurations, refusing duplicates and bad input", async () => {
        const created = await createConfiguration(t, "HRM");
        assert.deepEqual(created, {
          code: "HRM",
          name: "Configuration HRM",
          kind: "configuration",
          vendor: "1c",
          programName: null,
          packageFormat: "1c",
        });
        await createConfiguration(t, "PLATFORM83", "platform");
        const again = await t.request({
          method: "POST",
          url: "/api/v1/admin/configurations",
          token: t.adminToken,
          body: { code: "HRM", name: "x", kind: "configuration" },
        });
        assert.equal(again.statusCode, 409);
        assert.equal(again.json().code, "configuration_exists");
        const badKind = await t.request({
          method: "POST",
          url: "/api/v1/admin/configurations",
          token: t.adminToken,
          body: { code: "X1", name: "x", kind: "spreadsheet" },
        });
        assert.equal(badKind.statusCode, 400);
        assert.equal(badKind.json().code, "validation_failed");
        const badCode = await t.request({
          method: "POST",
          url: "/api/v1/admin/configurations",
          token: t.adminToken,
          body: { code: "no spaces/please", name: "x", kind: "configuration" },
        });
        assert.equal(badCode.statusCode, 400);
        assert.equal(badCode.json().code, "invalid_code");

        const { token } = await t.signUp("support");
        const list = await t.request({ method: "GET", url: "/api/v1/configurations", token });
        assert.equal(list.statusCode, 200);
        const codes = list.json().map((c: { code: string }) => c.code);
        assert.ok(codes.includes("HRM") && codes.includes("PLATFORM83"));
      });

      it("creates products of existing configurations", async () => {
        const created = await t.request({
          method: "POST",
          url: "/api/v1/admin/products",
          token: t.adminToken,
          body: {
            code: "HRM-PROF",
            name: "HRM PROF",
            edition: "prof",
            configurations: ["HRM"],
            freeSupportMonths: 6,
          },
        });
        assert.equal(created.statusCode, 201);
        assert.deepEqual(created.json(), {
          code: "HRM-PROF",
          name: "HRM PROF",
          edition: "prof",
          freeSupportMonths: 6,
          configurations: ["HRM"],
        });
        const unknown = await t.request({
          method: "POST",
          url: "/api/v1/admin/products",
          token: t.adminToken,
          body: {
            code: "GHOST",
            name: "Ghost",
            edition: "basic",
            configurations: ["NOPE"],
            freeSupportMonths: 0,
          },
        });
        assert.equal(unknown.statusCode, 422);
        assert.equal(unknown.json().code, "configuration_not_found");
        const products = await t.upkeep.database.db.selectFrom("products").select("code").execute();
        assert.ok(!products.some((p) => p.code === "GHOST"), "a refused product leaves no row");
      });
    });

    describe("releases", () => {
      it("creates a release with documents and refuses duplicates and bad update-from lists", async () => {
        const created = await t.request({
          method: "POST",
          url: "/api/v1/admin/releases",
          token: t.adminToken,
          body: {
            configuration: "HRM",
            version: "3.0.9.28",
            releasedOn: "2014-02-03",
            itsIssue: "ITS 2014-03",
            minPlatformVersion: "8.3.4.365",
            updateFrom: ["3.0.8.46"],
            documents: { whatsNew: "# New\n- payroll", updateOrder: "Back up first." },
          },
        });
        assert.equal(created.statusCode, 201);
        const release = created.json();
        assert.equal(release.status, "draft");
        assert.deepEqual(release.updateFrom, ["3.0.8.46"]);
        assert.equal(release.documents.whatsNew, "# New\n- payroll");

        const duplicate = await t.request({
          method: "POST",
          url: "/api/v1/admin/releases",
          token: t.adminToken,
          body: { configuration: "HRM", version: "3.0.9.28", releasedOn: "2014-02-03", updateFrom: [] },
        });
        assert.equal(duplicate.statusCode, 409);
        assert.equal(duplicate.json().code, "release_exists");

        for (const updateFrom of [["3.0.11.0"], ["3.0.10.32"], ["3.0.8.46", "3.0.10.32"]]) {
          const bad = await t.request({
            method: "POST",
            url: "/api/v1/admin/releases",
            token: t.adminToken,
            body: { configuration: "HRM", version: "3.0.10.32", releasedOn: "2014-03-03", updateFrom },
          });
          assert.equal(bad.statusCode, 422, JSON.stringify(updateFrom));
          assert.equal(bad.json().code, "invalid_update_from");
        }
        const rows = await t.upkeep.database.db
          .selectFrom("releases")
          .select("version")
          .where("version", "=", "3.0.10.32")
          .execute();
        assert.equal(rows.length, 0, "refused releases leave no row");
      });

      it("rejects malformed versions and dates with their own codes", async () => {
        const cases: Array<[Record<string, unknown>, string]> = [
          [{ version: "3.0.9" }, "invalid_version"],
          [{ version: "3.0.9.28.1" }, "invalid_version"],
          [{ version: "v3.0.9.28" }, "invalid_version"],
          [{ version: "3.0.09.28" }, "invalid_version"],
          [{ minPlatformVersion: "8.3" }, "invalid_version"],
          [{ updateFrom: ["3.0.x.1"] }, "invalid_version"],
          [{ releasedOn: "2014-02-30" }, "invalid_date"],
          [{ releasedOn: "03.02.2014" }, "invalid_date"],
          [{ configuration: "NOPE" }, "configuration_not_found"],
          [{ channel: "Not A Channel" }, "invalid_channel"],
          [{ documents: { nonsense: "x" } }, "validation_failed"],
        ];
        for (const [patch, code] of cases) {
          const response = await t.request({
            method: "POST",
            url: "/api/v1/admin/releases",
            token: t.adminToken,
            body: {
              configuration: "HRM",
              version: "3.0.50.1",
              releasedOn: "2014-02-03",
              updateFrom: [],
              ...patch,
            },
          });
          assert.equal(response.json().code, code, JSON.stringify(patch));
          assert.ok(response.statusCode >= 400 && response.statusCode < 500);
          assert.ok(response.json().detail.length > 10, "the problem explains itself");
        }
      });

      it("lists only published releases, newest first by numeric version", async () => {
        const draft = await t.request({
          method: "GET",
          url: "/api/v1/configurations/HRM/releases",
          token: t.adminToken,
        });
        assert.deepEqual(draft.json(), [], "drafts are not listed");
        const first = await t.upkeep.database.db
          .selectFrom("releases")
          .select("id")
          .where("version", "=", "3.0.9.28")
          .executeTakeFirstOrThrow();
        await uploadDistribution(t, first.id, await updatePackage("3.0.9.28"));
        const published = await t.request({
          method: "POST",
          url: `/api/v1/admin/releases/${first.id}/publish`,
          token: t.adminToken,
        });
        assert.equal(published.statusCode, 200);
        assert.equal(published.json().status, "published");
        await createRelease(t, { version: "3.0.10.32", updateFrom: ["3.0.9.28"] });
        await createRelease(t, { version: "3.0.10.33", updateFrom: ["3.0.9.28", "3.0.10.32"] });
        const withdrawn = await createRelease(t, { version: "3.0.11.1", updateFrom: ["3.0.10.33"] });
        const withdrawal = await t.request({
          method: "POST",
          url: `/api/v1/admin/releases/${withdrawn.id}/withdraw`,
          token: t.adminToken,
        });
        assert.equal(withdrawal.json().status, "withdrawn");

        const { token } = await t.signUp("support");
        const list = await t.request({ method: "GET", url: "/api/v1/configurations/HRM/releases", token });
        assert.equal(list.statusCode, 200);
        const releases = list.json();
        assert.deepEqual(
          releases.map((r: { version: string }) => r.version),
          ["3.0.10.33", "3.0.10.32", "3.0.9.28"],
        );
        assert.deepEqual(Object.keys(releases[2]).sort(), [
          "channel",
          "configuration",
          "distributions",
          "hasUpdateDistribution",
          "id",
          "itsIssue",
          "minPlatformVersion",
          "publishedAt",
          "releasedOn",
          "status",
          "updateFrom",
          "version",
        ]);
        assert.equal(releases[2].itsIssue, "ITS 2014-03");
        assert.equal(releases[2].minPlatformVersion, "8.3.4.365");

        const unknown = await t.request({
          method: "GET",
          url: "/api/v1/configurations/NOPE/releases",
          token,
        });
        assert.equal(unknown.statusCode, 404);
        assert.equal(unknown.json().code, "configuration_not_found");
      });

      it("shows a release with its documents", async () => {
        const { token } = await t.signUp("support");
        const row = await t.upkeep.database.db
          .selectFrom("releases")
          .select("id")
          .where("version", "=", "3.0.9.28")
          .executeTakeFirstOrThrow();
        const response = await t.request({ method: "GET", url: `/api/v1/releases/${row.id}`, token });
        assert.equal(response.statusCode, 200);
        assert.equal(response.json().documents.updateOrder, "Back up first.");
        const missing = await t.request({
          method: "GET",
          url: "/api/v1/releases/00000000-0000-0000-0000-000000000000",
          token,
        });
        assert.equal(missing.statusCode, 404);
        assert.equal(missing.json().code, "release_not_found");
      });
    });

    describe("distributions", () => {
      it("stores an upload with its size and sha256 and lists it on the release", async () => {
        const row = await t.upkeep.database.db
          .selectFrom("releases")
          .select("id")
          .where("version", "=", "3.0.10.32")
          .executeTakeFirstOrThrow();
        const bytes = await updatePackage("3.0.10.32");
        const response = await t.request({
          method: "PUT",
          url: `/api/v1/admin/releases/${row.id}/distributions/update`,
          token: t.adminToken,
          headers: {
            "content-type": "application/zip",
            "x-filename": "1cv8.zip",
            "x-checksum-sha256": sha256(bytes).toUpperCase(),
          },
          payload: bytes,
        });
        assert.equal(response.statusCode, 201, response.body);
        const distribution = response.json();
        assert.equal(distribution.kind, "update");
        assert.equal(distribution.fileName, "1cv8.zip");
        assert.equal(distribution.size, bytes.length);
        assert.equal(distribution.sha256, sha256(bytes));
        const { token } = await t.signUp("support");
        const releases = (
          await t.request({ method: "GET", url: "/api/v1/configurations/HRM/releases", token })
        ).json();
        const listed = releases.find((r: { version: string }) => r.version === "3.0.10.32");
        assert.deepEqual(
          listed.distributions.find((d: { kind: string }) => d.kind === "update"),
          distribution,
        );
        assert.equal(listed.hasUpdateDistribution, true);
      });

      it("replaces a draft's distribution of the same kind and removes the old bytes", async () => {
        const row = await createRelease(t, { version: "3.0.10.40", publish: false });
        await uploadDistribution(t, row.id, await updatePackage("3.0.10.40", Buffer.from("first")));
        const blobsBefore = filesUnder(join(t.environment.dataDir, "blobs")).length;
        const secondBytes = await updatePackage("3.0.10.40", Buffer.from("second, longer"));
        const second = await uploadDistribution(t, row.id, secondBytes, "update", "1cv8-fixed.zip");
        assert.equal(filesUnder(join(t.environment.dataDir, "blobs")).length, blobsBefore);
        const rows = await t.upkeep.database.db
          .selectFrom("distributions")
          .selectAll()
          .where("release_id", "=", row.id)
          .execute();
        assert.equal(rows.length, 1);
        assert.equal(rows[0]!.id, second.id);
        assert.equal(Number(rows[0]!.size), secondBytes.length);
        await uploadDistribution(t, row.id, Buffer.from("full bytes"), "full", "setup.zip");
        const kinds = await t.upkeep.database.db
          .selectFrom("distributions")
          .select("kind")
          .where("release_id", "=", row.id)
          .orderBy("kind")
          .execute();
        assert.deepEqual(
          kinds.map((k) => k.kind),
          ["full", "update"],
        );
      });

      it("adds a kind a published release lacks, but never replaces one of its files", async () => {
        const row = await t.upkeep.database.db
          .selectFrom("releases")
          .select("id")
          .where("version", "=", "3.0.10.33")
          .executeTakeFirstOrThrow();
        const fixed = await uploadDistribution(
          t,
          row.id,
          await updatePackage("3.0.10.33", Buffer.from("fixed")),
          "update",
          "1cv8-fixed.zip",
        );
        const blobsBefore = filesUnder(join(t.environment.dataDir, "blobs"));
        for (const kind of ["update", "full"]) {
          const replaced = await t.request({
            method: "PUT",
            url: `/api/v1/admin/releases/${row.id}/distributions/${kind}`,
            token: t.adminToken,
            headers: { "content-type": "application/octet-stream", "x-filename": "1cv8.zip" },
            payload: await updatePackage("3.0.10.33", Buffer.from("a second try")),
          });
          assert.equal(replaced.statusCode, 409, replaced.body);
          assert.equal(replaced.json().code, "release_files_immutable");
        }
        assert.deepEqual(filesUnder(join(t.environment.dataDir, "blobs")), blobsBefore);
        const { token } = await t.signUp("support");
        const file = await t.request({ method: "GET", url: `/api/v1/distributions/${fixed.id}/file`, token });
        assert.equal(file.statusCode, 200, "the published file is still served under its id");
      });

      it("answers HEAD with the file's headers, no body, and no download logged", async () => {
        const row = await t.upkeep.database.db
          .selectFrom("distributions")
          .selectAll()
          .where("kind", "=", "update")
          .executeTakeFirstOrThrow();
        const { token } = await t.signUp("support");
        const logged = async () =>
          (await t.upkeep.database.db.selectFrom("download_log").select("id").execute()).length;
        const before = await logged();
        const head = await t.request({ method: "HEAD", url: `/api/v1/distributions/${row.id}/file`, token });
        assert.equal(head.statusCode, 200);
        assert.equal(head.headers["content-length"], String(row.size));
        assert.equal(head.headers.etag, `"${row.sha256}"`);
        assert.equal(head.body, "");
        assert.equal(await logged(), before);
        const get = await t.request({ method: "GET", url: `/api/v1/distributions/${row.id}/file`, token });
        assert.equal(get.statusCode, 200);
        assert.equal(await logged(), before + 1);
      });

      it("refuses a checksum mismatch and leaves no file and no row", async () => {
        const row = await t.upkeep.database.db
          .selectFrom("releases")
          .select("id")
          .where("version", "=", "3.0.9.28")
          .executeTakeFirstOrThrow();
        const before = filesUnder(join(t.environment.dataDir, "blobs"));
        const rowsBefore = await distributionsOf(row.id);
        const response = await t.request({
          method: "PUT",
          url: `/api/v1/admin/releases/${row.id}/distributions/full`,
          token: t.adminToken,
          headers: {
            "content-type": "application/octet-stream",
            "x-filename": "1cv8.zip",
            "x-checksum-sha256": "0".repeat(64),
          },
          payload: Buffer.from("these bytes do not hash to zeros"),
        });
        assert.equal(response.statusCode, 422);
        assert.equal(response.json().code, "checksum_mismatch");
        assert.deepEqual(filesUnder(join(t.environment.dataDir, "blobs")), before);
        assert.deepEqual(await distributionsOf(row.id), rowsBefore);
      });

      it("refuses bad uploads with clear problems", async () => {
        const row = await t.upkeep.database.db
          .selectFrom("releases")
          .select("id")
          .where("version", "=", "3.0.9.28")
          .executeTakeFirstOrThrow();
        const rowsBefore = await distributionsOf(row.id);
        const cases: Array<[string, Record<string, string>, number, string]> = [
          [`/api/v1/admin/releases/${row.id}/distributions/update`, {}, 400, "validation_failed"],
          [
            `/api/v1/admin/releases/${row.id}/distributions/update`,
            { "x-filename": "../etc/passwd" },
            400,
            "invalid_file_name",
          ],
          [
            `/api/v1/admin/releases/${row.id}/distributions/Bad Kind`,
            { "x-filename": "a.zip" },
            400,
            "invalid_distribution_kind",
          ],
          [
            `/api/v1/admin/releases/${row.id}/distributions/update`,
            { "x-filename": "a.zip", "x-checksum-sha256": "abc" },
            400,
            "invalid_checksum",
          ],
          [
            "/api/v1/admin/releases/nope/distributions/update",
            { "x-filename": "a.zip" },
            404,
            "release_not_found",
          ],
        ];
        for (const [url, headers, status, code] of cases) {
          const response = await t.request({
            method: "PUT",
            url,
            token: t.adminToken,
            headers: { "content-type": "application/octet-stream", ...headers },
            payload: Buffer.from("bytes"),
          });
          assert.equal(response.statusCode, status, `${url} ${JSON.stringify(headers)}: ${response.body}`);
          assert.equal(response.json().code, code);
        }
        assert.deepEqual(await distributionsOf(row.id), rowsBefore);
        assert.deepEqual(readdirSync(join(t.environment.dataDir, "blobs", ".tmp")), []);
      });

      it("refuses an empty file and, for a 1c configuration, an update that is not its package", async () => {
        const release = await createRelease(t, { version: "3.0.10.50", publish: false });
        const unsafe = await zip([
          { name: "UpdInfo.txt", data: Buffer.from("Version=3.0.10.50\r\n") },
          { name: "up/evil.txt", data: Buffer.from("x") },
        ]);
        const cases: Array<[string, Buffer, string]> = [
          ["update", Buffer.alloc(0), "empty_file"],
          ["full", Buffer.alloc(0), "empty_file"],
          ["update", Buffer.from("MZ an installer, not a zip"), "not_a_package"],
          ["update", await zip([{ name: "1cv8.cfu", data: Buffer.from("cfu") }]), "package_without_updinfo"],
          [
            "update",
            await zip([{ name: "docs/UpdInfo.txt", data: Buffer.from("Version=3.0.10.50\r\n") }]),
            "package_without_updinfo",
          ],
          [
            "update",
            await zip([{ name: "UpdInfo.txt", data: Buffer.from("no keys here") }]),
            "invalid_upd_info",
          ],
          ["update", await updatePackage("3.0.10.49"), "package_version_mismatch"],
          // The same bytes with the entry renamed to climb out of the templates folder.
          [
            "update",
            Buffer.from(unsafe.toString("latin1").replaceAll("up/evil", "../evil"), "latin1"),
            "package_unsafe_path",
          ],
        ];
        const blobsBefore = filesUnder(join(t.environment.dataDir, "blobs"));
        for (const [kind, bytes, code] of cases) {
          const response = await t.request({
            method: "PUT",
            url: `/api/v1/admin/releases/${release.id}/distributions/${kind}`,
            token: t.adminToken,
            headers: { "content-type": "application/octet-stream", "x-filename": "1cv8.zip" },
            payload: bytes,
          });
          assert.equal(response.statusCode, 422, `${code}: ${response.body}`);
          assert.equal(response.json().code, code);
          assert.ok(response.json().detail.length > 20, "the problem says what is missing");
        }
        const mismatch = await t.request({
          method: "PUT",
          url: `/api/v1/admin/releases/${release.id}/distributions/update`,
          token: t.adminToken,
          headers: { "content-type": "application/octet-stream", "x-filename": "1cv8.zip" },
          payload: await updatePackage("3.0.10.49"),
        });
        assert.match(mismatch.json().detail, /Version=3\.0\.10\.49.*3\.0\.10\.50/);
        assert.deepEqual(await distributionsOf(release.id), [], "no row");
        assert.deepEqual(filesUnder(join(t.environment.dataDir, "blobs")), blobsBefore, "no blob");
        // Any other kind of a 1c configuration is an installer: any non-empty bytes.
        await uploadDistribution(t, release.id, Buffer.from("MZ a setup program"), "full", "setup.exe");
      });

      it("takes any non-empty file as the update of a file configuration", async () => {
        const created = await createConfiguration(t, "TOOLS", "configuration", "file");
        assert.equal(created.packageFormat, "file");
        const badFormat = await t.request({
          method: "POST",
          url: "/api/v1/admin/configurations",
          token: t.adminToken,
          body: { code: "TOOLS2", name: "Tools", kind: "configuration", packageFormat: "msi" },
        });
        assert.equal(badFormat.statusCode, 400);
        assert.equal(badFormat.json().code, "validation_failed");
        const release = await createRelease(t, {
          configuration: "TOOLS",
          version: "2.1.0.0",
          publish: false,
        });
        const empty = await t.request({
          method: "PUT",
          url: `/api/v1/admin/releases/${release.id}/distributions/update`,
          token: t.adminToken,
          headers: { "content-type": "application/octet-stream", "x-filename": "tools-setup.exe" },
          payload: Buffer.alloc(0),
        });
        assert.equal(empty.statusCode, 422);
        assert.equal(empty.json().code, "empty_file");
        const uploaded = await uploadDistribution(
          t,
          release.id,
          Buffer.from("MZ tools installer"),
          "update",
          "tools-setup.exe",
        );
        assert.equal(uploaded.fileName, "tools-setup.exe");
        await t.request({
          method: "POST",
          url: `/api/v1/admin/releases/${release.id}/publish`,
          token: t.adminToken,
        });
        const { token } = await t.signUp("support");
        const listed = (await t.request({ method: "GET", url: "/api/v1/configurations", token })).json();
        assert.equal(listed.find((c: { code: string }) => c.code === "TOOLS").packageFormat, "file");
        const plan = await t.request({
          method: "POST",
          url: "/api/v1/updates/plan",
          token,
          body: { configuration: "TOOLS", version: "2.0.0.0", target: "2.1.0.0" },
        });
        assert.equal(plan.json().packageFormat, "file", plan.body);
      });

      it("takes platform kinds on platform releases only, package kinds on the others", async () => {
        const hrm = await createRelease(t, { version: "3.0.10.60", publish: false });
        const platform = await createRelease(t, {
          configuration: "PLATFORM83",
          version: "8.3.5.1000",
          publish: false,
        });
        const put = (id: string, kind: string) =>
          t.request({
            method: "PUT",
            url: `/api/v1/admin/releases/${id}/distributions/${kind}`,
            token: t.adminToken,
            headers: { "content-type": "application/octet-stream", "x-filename": "setup.exe" },
            payload: Buffer.from("MZ setup"),
          });
        for (const [id, kind] of [
          [hrm.id, "platform-windows-x64"],
          [platform.id, "update"],
          [platform.id, "full"],
        ] as const) {
          const response = await put(id, kind);
          assert.equal(response.statusCode, 422, response.body);
          assert.equal(response.json().code, "distribution_kind_not_allowed");
        }
        for (const kind of ["platform-amiga", "updates", "UPDATE"]) {
          const response = await put(platform.id, kind);
          assert.equal(response.statusCode, 400, kind);
          assert.equal(response.json().code, "invalid_distribution_kind");
        }
        assert.equal((await put(platform.id, "platform-windows-x64")).statusCode, 201);
        assert.equal((await put(platform.id, "platform-linux-deb-x64")).statusCode, 201);
      });

      it("publishes no release without a file", async () => {
        const release = await createRelease(t, { version: "3.0.10.70", publish: false });
        const publish = () =>
          t.request({
            method: "POST",
            url: `/api/v1/admin/releases/${release.id}/publish`,
            token: t.adminToken,
          });
        const refused = await publish();
        assert.equal(refused.statusCode, 422);
        assert.equal(refused.json().code, "release_without_files");
        const row = await t.upkeep.database.db
          .selectFrom("releases")
          .select("status")
          .where("id", "=", release.id)
          .executeTakeFirstOrThrow();
        assert.equal(row.status, "draft");
        await uploadDistribution(t, release.id, await updatePackage("3.0.10.70"));
        assert.equal((await publish()).statusCode, 200);
      });

      it("keeps a withdrawn release's files as they are too", async () => {
        const release = await createRelease(t, { version: "3.0.10.80" });
        const withdrawn = await t.request({
          method: "POST",
          url: `/api/v1/admin/releases/${release.id}/withdraw`,
          token: t.adminToken,
        });
        assert.equal(withdrawn.statusCode, 200);
        const replaced = await t.request({
          method: "PUT",
          url: `/api/v1/admin/releases/${release.id}/distributions/full`,
          token: t.adminToken,
          headers: { "content-type": "application/octet-stream", "x-filename": "setup.zip" },
          payload: Buffer.from("another full distribution"),
        });
        assert.equal(replaced.statusCode, 409);
        assert.equal(replaced.json().code, "release_files_immutable");
      });
    });

    describe("update plan", () => {
      it("plans the chain with sizes, distributions and the platform needed", async () => {
        await createRelease(t, {
          version: "3.0.12.5",
          updateFrom: ["3.0.10.33", "3.0.11.1"],
          minPlatformVersion: "8.3.5.1000",
        });
        const { token } = await t.signUp("support");
        const response = await t.request({
          method: "POST",
          url: "/api/v1/updates/plan",
          token,
          body: { configuration: "HRM", version: "3.0.9.28", platformVersion: "8.3.4.500" },
        });
        assert.equal(response.statusCode, 200, response.body);
        const plan = response.json();
        assert.equal(plan.status, "update-available");
        assert.equal(plan.from, "3.0.9.28");
        assert.equal(plan.to, "3.0.12.5");
        assert.deepEqual(
          plan.steps.map((s: { version: string }) => s.version),
          ["3.0.10.33", "3.0.12.5"],
        );
        assert.equal(plan.steps[0].distribution.fileName, "1cv8-fixed.zip");
        assert.equal(plan.steps[1].distribution, null);
        assert.equal(plan.steps[1].minPlatformVersion, "8.3.5.1000");
        assert.equal(plan.totalSize, plan.steps[0].distribution.size);
        // 3.0.12.5 was published with its full distribution only: the chain cannot be downloaded yet.
        assert.deepEqual(
          plan.steps.map((s: { updateAvailable: boolean }) => s.updateAvailable),
          [true, false],
        );
        assert.deepEqual(plan.missingUpdates, ["3.0.12.5"]);
        assert.equal(plan.packageFormat, "1c");
        const listed = (
          await t.request({ method: "GET", url: "/api/v1/configurations/HRM/releases", token })
        ).json() as { version: string; hasUpdateDistribution: boolean }[];
        assert.equal(listed.find((r) => r.version === "3.0.12.5")?.hasUpdateDistribution, false);
        assert.equal(listed.find((r) => r.version === "3.0.10.33")?.hasUpdateDistribution, true);
        assert.deepEqual(plan.platformUpgrade, { requiredVersion: "8.3.5.1000" });
        const release = await t.request({
          method: "GET",
          url: `/api/v1/releases/${plan.steps[0].releaseId}`,
          token,
        });
        assert.equal(release.json().version, "3.0.10.33");
      });

      it("answers up-to-date, no-path and an explicit target", async () => {
        const { token } = await t.signUp("support");
        const plan = (body: object) =>
          t.request({ method: "POST", url: "/api/v1/updates/plan", token, body });
        const upToDate = (await plan({ configuration: "HRM", version: "3.0.12.5" })).json();
        assert.equal(upToDate.status, "up-to-date");
        assert.deepEqual(upToDate.steps, []);
        assert.equal(upToDate.platformUpgrade, null);
        const noPath = (await plan({ configuration: "HRM", version: "2.5.1.1" })).json();
        assert.equal(noPath.status, "no-path");
        assert.deepEqual(noPath.steps, []);
        const targeted = (
          await plan({ configuration: "HRM", version: "3.0.9.28", target: "3.0.10.32" })
        ).json();
        assert.deepEqual(
          targeted.steps.map((s: { version: string }) => s.version),
          ["3.0.10.32"],
        );
        const notPublished = await plan({ configuration: "HRM", version: "3.0.9.28", target: "3.0.11.1" });
        assert.equal(notPublished.statusCode, 404);
        const interim = (await plan({ configuration: "HRM", version: "3.0.11.1" })).json();
        assert.deepEqual(
          interim.steps.map((s: { version: string }) => s.version),
          ["3.0.12.5"],
          "a withdrawn release still counts as an installed version",
        );
      });

      it("refuses malformed plan requests", async () => {
        const { token } = await t.signUp("support");
        const cases: Array<[object, number, string]> = [
          [{ configuration: "HRM", version: "3.0" }, 400, "invalid_version"],
          [{ configuration: "HRM", version: "3.0.9.28", platformVersion: "8.3" }, 400, "invalid_version"],
          [{ configuration: "NOPE", version: "3.0.9.28" }, 404, "configuration_not_found"],
          [{ configuration: "HRM" }, 400, "validation_failed"],
          [{ configuration: "HRM", version: 3 }, 400, "validation_failed"],
        ];
        for (const [body, status, code] of cases) {
          const response = await t.request({ method: "POST", url: "/api/v1/updates/plan", token, body });
          assert.equal(response.statusCode, status, JSON.stringify(body));
          assert.equal(response.json().code, code);
        }
        const notJson = await t.request({
          method: "POST",
          url: "/api/v1/updates/plan",
          token,
          headers: { "content-type": "application/json" },
          payload: "{not json",
        });
        assert.equal(notJson.statusCode, 400);
        assert.equal(notJson.json().code, "invalid_json");
        assert.match(notJson.headers["content-type"] as string, /problem\+json/);
      });

      it("sees a newly published release in the next plan", async () => {
        const { token } = await t.signUp("support");
        await createRelease(t, { version: "3.0.13.1", updateFrom: ["3.0.12.5"] });
        const plan = (
          await t.request({
            method: "POST",
            url: "/api/v1/updates/plan",
            token,
            body: { configuration: "HRM", version: "3.0.12.5" },
          })
        ).json();
        assert.equal(plan.to, "3.0.13.1");
      });
    });

    describe("races", () => {
      it("answers concurrent duplicate creates with one 201 and conflicts, never a 500", async () => {
        const post = (url: string, body: object) =>
          t.request({ method: "POST", url, token: t.adminToken, body });
        const configurations = await Promise.all(
          Array.from({ length: 5 }, () =>
            post("/api/v1/admin/configurations", { code: "RACE", name: "Race", kind: "configuration" }),
          ),
        );
        assert.deepEqual(configurations.map((r) => r.statusCode).sort(), [201, 409, 409, 409, 409]);
        assert.ok(
          configurations
            .filter((r) => r.statusCode === 409)
            .every((r) => r.json().code === "configuration_exists"),
        );

        const releases = await Promise.all(
          Array.from({ length: 5 }, () =>
            post("/api/v1/admin/releases", {
              configuration: "RACE",
              version: "1.0.0.1",
              releasedOn: "2026-01-01",
              updateFrom: [],
            }),
          ),
        );
        assert.deepEqual(releases.map((r) => r.statusCode).sort(), [201, 409, 409, 409, 409]);
        assert.ok(
          releases.filter((r) => r.statusCode === 409).every((r) => r.json().code === "release_exists"),
        );

        const users = await Promise.allSettled(
          Array.from({ length: 4 }, () =>
            t.upkeep.services.accounts.createUser({
              login: "racer",
              password: "racer-password",
              role: "user",
            }),
          ),
        );
        assert.equal(users.filter((u) => u.status === "fulfilled").length, 1);
        for (const failed of users.filter((u) => u.status === "rejected")) {
          assert.equal((failed as PromiseRejectedResult).reason.code, "login_taken");
        }
      });
    });

    describe("service", () => {
      it("answers health, OpenAPI, docs and unknown routes", async () => {
        assert.deepEqual((await t.request({ method: "GET", url: "/healthz" })).json(), { status: "ok" });
        const openapi = (await t.request({ method: "GET", url: "/api/openapi.json" })).json();
        for (const path of [
          "/api/v1/auth/token",
          "/api/v1/updates/plan",
          "/api/v1/admin/releases/{id}/distributions/{kind}",
        ]) {
          assert.ok(openapi.paths[path], `OpenAPI documents ${path}`);
        }
        const kind = openapi.paths["/api/v1/admin/releases/{id}/distributions/{kind}"].put.parameters.find(
          (p: { name: string }) => p.name === "kind",
        );
        assert.deepEqual(kind.schema.enum, [...DISTRIBUTION_KINDS]);
        const health = await t.request({ method: "GET", url: "/healthz" });
        assert.equal(health.headers["x-content-type-options"], "nosniff");
        const docs = await t.request({ method: "GET", url: "/api/docs/" });
        assert.equal(docs.statusCode, 200);
        assert.match(
          String(docs.headers["strict-transport-security"]),
          /max-age=/,
          "browser pages get helmet's full set",
        );
        assert.match(docs.body, /swagger/i);
        const unknown = await t.request({ method: "GET", url: "/api/v1/nowhere" });
        assert.equal(unknown.statusCode, 404);
        assert.equal(unknown.json().code, "not_found");
      });

      it("writes an audit event for every staff change", async () => {
        const actions = await t.upkeep.database.db
          .selectFrom("audit_log")
          .select(["action", "actor_id"])
          .execute();
        const names = new Set(actions.map((a) => a.action));
        for (const action of [
          "configuration.create",
          "product.create",
          "release.create",
          "release.publish",
          "release.withdraw",
          "distribution.put",
        ]) {
          assert.ok(names.has(action), action);
        }
        const staffActions = actions.filter((a) => a.action !== "user.create");
        assert.ok(staffActions.every((a) => a.actor_id === t.admin.id));
      });
    });
  });
}
