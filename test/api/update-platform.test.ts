/**
 * The update service of 1C programs (`/update-platform/`) on both dialects, over the real update
 * list imported with its packages: every field of each answer with its type and order, the chain
 * the API's planner gives, the files fetched with HTTP Basic and their hashSum, refusals as
 * `errorName` in the caller's language, and bad input as the protocol's 4xx shape, never a 500.
 */
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import type { AppError } from "../../src/domain/errors.ts";
import { readUpdatePackage } from "../../src/formats/onec/update-package.ts";
import { backfillHashSums } from "../../src/services/onec/hash-sums.ts";
import { createConfiguration, createRelease, uploadDistribution } from "../support/catalogue-fixtures.ts";
import { availableDialects } from "../support/harness.ts";
import {
  basicAuth,
  cfuOf,
  HRM_NAME,
  md5Base64,
  type OnecApp,
  startOnecApp,
} from "../support/onec-fixtures.ts";
import { updatePackage } from "../support/update-package.ts";

const BASE = "http://127.0.0.1:8080";
const INFO_KEYS = ["configurationUpdateResponse", "platformUpdateResponse", "additionalReleaseUpdate"];
const CONFIGURATION_KEYS = [
  "configurationVersion",
  "size",
  "platformVersion",
  "updateInfoUrl",
  "howToUpdateInfoUrl",
  "upgradeSequence",
  "programVersionUin",
];
const PLATFORM_KEYS = [
  "platformVersion",
  "transitionInfoUrl",
  "releaseUrl",
  "distributionUin",
  "size",
  "recommended",
];
const DATA_KEYS = [
  "templatePath",
  "executeUpdateProcess",
  "updateFileUrl",
  "updateFileName",
  "updateFileFormat",
  "size",
  "hashSum",
];
const ERROR_KEYS = ["timestamp", "status", "error", "exception", "message", "path"];

for (const dialect of await availableDialects()) {
  describe(`the 1C update service on ${dialect}`, () => {
    let o: OnecApp;
    let installer: { id: string; size: number };
    const installerBytes = Buffer.from("platform installer 8.3.6.2100".repeat(20));

    before(async () => {
      o = await startOnecApp(dialect);
      await createConfiguration(o.t, "PLATFORM83", "platform");
      const release = await createRelease(o.t, {
        configuration: "PLATFORM83",
        version: "8.3.6.2100",
        publish: false,
      });
      installer = await uploadDistribution(
        o.t,
        release.id,
        installerBytes,
        "platform-windows-x64",
        "setup.zip",
      );
      const published = await o.t.request({
        method: "POST",
        url: `/api/v1/admin/releases/${release.id}/publish`,
        token: o.t.adminToken,
      });
      assert.equal(published.statusCode, 200);
    });
    after(() => o.t.close());

    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      o.t.app.inject({
        method: "POST",
        url: `/update-platform/${path}`,
        headers: { "content-type": "application/json", "user-agent": "1C+Enterprise/8.3", ...headers },
        payload: typeof body === "string" ? body : JSON.stringify(body),
      });

    const info = (body: Record<string, unknown>) =>
      post("programs/update/info", {
        programName: "HRM",
        versionNumber: "3.0.23.132",
        platformVersion: "8.3.5.1000",
        programNewName: "",
        redactionNumber: "",
        updateType: "NewConfigurationAndOrPlatform",
        additionalParameters: [{ key: "OS", value: "Windows" }],
        ...body,
      });

    async function apiPlan(version: string, target: string) {
      const response = await o.t.request({
        method: "POST",
        url: "/api/v1/updates/plan",
        token: o.t.adminToken,
        body: { configuration: "HRM", version, target },
      });
      assert.equal(response.statusCode, 200, response.body);
      return response.json() as { steps: { version: string; distribution: { id: string; size: number } }[] };
    }

    it("answers ping without authentication", async () => {
      const response = await o.t.app.inject({ method: "GET", url: "/update-platform/programs/update/ping" });
      assert.equal(response.statusCode, 200);
    });

    it("info: the planner's chain, one uuid per file, every field in order, and the platform to install", async () => {
      for (const programName of ["HRM", HRM_NAME]) {
        const response = await info({ programName });
        assert.equal(response.statusCode, 200, response.body);
        const body = response.json();
        assert.deepEqual(Object.keys(body), INFO_KEYS);
        const update = body.configurationUpdateResponse;
        assert.deepEqual(Object.keys(update), CONFIGURATION_KEYS);
        const plan = await apiPlan("3.0.23.132", "3.0.23.148");
        assert.equal(update.configurationVersion, "3.0.23.148");
        assert.deepEqual(
          update.upgradeSequence,
          plan.steps.map((step) => step.distribution.id),
        );
        assert.equal(
          update.size,
          plan.steps.reduce((sum, step) => sum + step.distribution.size, 0),
        );
        assert.equal(typeof update.size, "number");
        assert.equal(update.platformVersion, "8.3.6.2076");
        assert.equal(update.updateInfoUrl, `${BASE}/configurations/HRM/releases/3.0.23.148`);
        assert.equal(
          update.howToUpdateInfoUrl,
          `${BASE}/configurations/HRM/releases/3.0.23.148#update-order`,
        );
        assert.match(update.programVersionUin, /^[0-9a-f-]{36}$/);
        const platform = body.platformUpdateResponse;
        assert.deepEqual(Object.keys(platform), PLATFORM_KEYS);
        assert.deepEqual(platform, {
          platformVersion: "8.3.6.2100",
          transitionInfoUrl: `${BASE}/configurations/PLATFORM83/releases/8.3.6.2100`,
          releaseUrl: `${BASE}/configurations/PLATFORM83/releases/8.3.6.2100`,
          distributionUin: installer.id,
          size: installerBytes.length,
          recommended: true,
        });
        assert.deepEqual(body.additionalReleaseUpdate, []);
      }
    });

    it("info: a long chain from an old version is the planner's; up to date is an empty version; no platform object when none is needed", async () => {
      const old = (await info({ versionNumber: "3.0.8.46", platformVersion: "8.3.6.2100" })).json();
      const plan = await apiPlan("3.0.8.46", "3.0.23.148");
      assert.ok(plan.steps.length > 3);
      assert.deepEqual(
        old.configurationUpdateResponse.upgradeSequence,
        plan.steps.map((step) => step.distribution.id),
      );
      assert.equal(old.platformUpdateResponse, undefined, "absent, never null");
      assert.deepEqual(Object.keys(old), ["configurationUpdateResponse", "additionalReleaseUpdate"]);

      const current = (await info({ versionNumber: "3.0.23.148" })).json();
      assert.equal(current.configurationUpdateResponse.configurationVersion, "");
      assert.deepEqual(current.configurationUpdateResponse.upgradeSequence, []);
      assert.deepEqual(Object.keys(current.configurationUpdateResponse), CONFIGURATION_KEYS);

      const redaction = (await info({ updateType: "NewProgramOrRedaction", redactionNumber: "3.0" })).json();
      assert.equal(redaction.configurationUpdateResponse.configurationVersion, "3.0.23.148");
      const otherRedaction = (
        await info({ updateType: "NewProgramOrRedaction", redactionNumber: "3.1" })
      ).json();
      assert.equal(otherRedaction.configurationUpdateResponse.configurationVersion, "");

      const platformOnly = (await info({ updateType: "NewPlatform", platformVersion: "8.3.5.1" })).json();
      assert.equal(platformOnly.configurationUpdateResponse.configurationVersion, "");
      assert.equal(platformOnly.platformUpdateResponse.platformVersion, "8.3.6.2100");
      assert.equal(platformOnly.platformUpdateResponse.recommended, false);
    });

    it("update: one entry per uuid in order, the package fetched with Basic, hashSum the MD5 of its .cfu", async () => {
      const sequence: string[] = (await info({ versionNumber: "3.0.19.70" })).json()
        .configurationUpdateResponse.upgradeSequence;
      const plan = await apiPlan("3.0.19.70", "3.0.23.148");
      assert.ok(sequence.length > 1, "a chain of several files");
      const response = await post("programs/update/", {
        upgradeSequence: sequence,
        programVersionUin: "",
        platformDistributionUin: "",
        login: o.basic.login,
        password: o.basic.password,
        additionalParameters: [],
      });
      assert.equal(response.statusCode, 200, response.body);
      const body = response.json();
      assert.deepEqual(Object.keys(body), ["configurationUpdateDataList", "platformDistributionUrl"]);
      assert.equal(body.platformDistributionUrl, "");
      assert.equal(body.configurationUpdateDataList.length, sequence.length);
      for (const [index, entry] of body.configurationUpdateDataList.entries()) {
        const version = plan.steps[index]!.version;
        const folder = version.replaceAll(".", "_");
        const { bytes, cfu } = o.packages.get(version)!;
        assert.deepEqual(Object.keys(entry), DATA_KEYS);
        assert.deepEqual(entry, {
          templatePath: `1c\\HRM\\${folder}`,
          executeUpdateProcess: true,
          updateFileUrl: `${BASE}/1c/HRM/${folder}/1cv8.zip`,
          updateFileName: "1cv8.cfu",
          updateFileFormat: "ZIP",
          size: bytes.length,
          hashSum: md5Base64(cfu),
        });
        const file = await o.t.app.inject({
          method: "GET",
          url: entry.updateFileUrl.slice(BASE.length),
          headers: { authorization: basicAuth(o.basic) },
        });
        assert.equal(file.statusCode, 200);
        assert.ok(file.rawPayload.equals(bytes));
        const extracted = await readUpdatePackage({ buffer: file.rawPayload }, "1cv8.zip");
        assert.equal(extracted.updateFile.md5, entry.hashSum, "the extracted .cfu's MD5");
      }
      // Some tools ask for one uuid at a time.
      const single = (
        await post("programs/update/", {
          upgradeSequence: [sequence.at(-1)],
          login: o.basic.login,
          password: o.basic.password,
        })
      ).json();
      assert.deepEqual(single.configurationUpdateDataList, [body.configurationUpdateDataList.at(-1)]);
      const unslashed = (
        await post("programs/update", {
          upgradeSequence: sequence,
          login: o.basic.login,
          password: o.basic.password,
        })
      ).json();
      assert.deepEqual(unslashed, body, "the path without its final slash too");
    });

    it("update: a wrong login is a 200 LoginError in the caller's language; entitlement refusals by name", async () => {
      const sequence: string[] = (await info({})).json().configurationUpdateResponse.upgradeSequence;
      const cases: [Record<string, string>, string][] = [
        [{}, "The login or password is wrong."],
        [{ "accept-language": "ru-RU,ru;q=0.9" }, "Неверный логин или пароль."],
        [{ "accept-language": "id" }, "Login atau kata sandi salah."],
      ];
      for (const [headers, message] of cases) {
        const wrong = await post(
          "programs/update/",
          { upgradeSequence: sequence, login: o.basic.login, password: "not-the-password" },
          headers,
        );
        assert.equal(wrong.statusCode, 200);
        assert.deepEqual(wrong.json(), { errorName: "LoginError", errorMessage: message });
      }
      const prof = await post(
        "programs/update/",
        { upgradeSequence: sequence, login: o.profUnsupported.login, password: o.profUnsupported.password },
        { "accept-language": "ru" },
      );
      assert.equal(prof.statusCode, 200);
      assert.equal(prof.json().errorName, "SupportSubscriptionRequiredError");
      assert.match(prof.json().errorMessage, /подписка/);
      for (const uuid of ["00000000-0000-0000-0000-000000000000", "not-a-uuid", installer.id]) {
        const unknown = await post("programs/update/", {
          upgradeSequence: [uuid],
          login: o.basic.login,
          password: o.basic.password,
        });
        assert.equal(unknown.statusCode, 200);
        assert.equal(
          unknown.json().errorName,
          installer.id === uuid ? "NotRegisteredError" : "UpdateNotFoundError",
          uuid,
        );
      }
    });

    it("update: the platform installer's URL, fetched with Basic by an account that may", async () => {
      const response = await post("programs/update/", {
        upgradeSequence: [],
        platformDistributionUin: installer.id,
        login: "root-admin",
        password: "admin-password-1",
      });
      const body = response.json();
      assert.deepEqual(body.configurationUpdateDataList, []);
      assert.equal(body.platformDistributionUrl, `${BASE}/update-platform/files/${installer.id}/setup.zip`);
      const file = await o.t.app.inject({
        method: "GET",
        url: body.platformDistributionUrl.slice(BASE.length),
        headers: { authorization: basicAuth({ login: "root-admin", password: "admin-password-1" }) },
      });
      assert.equal(file.statusCode, 200);
      assert.ok(file.rawPayload.equals(installerBytes));
      const anonymous = await o.t.app.inject({
        method: "GET",
        url: body.platformDistributionUrl.slice(BASE.length),
      });
      assert.equal(anonymous.statusCode, 401);
      assert.match(String(anonymous.headers["www-authenticate"]), /^Basic /);
    });

    it("platform/getInfo: an array with both keys; 404 for an unknown program or version", async () => {
      const response = await post("platform/getInfo", { programName: "HRM", versionNumber: "3.0.23.148" });
      assert.equal(response.statusCode, 200);
      assert.deepEqual(response.json(), [
        { platformVersionMin: "8.3.6.2076", platformVersionRecommended: "8.3.6.2100" },
      ]);
      for (const body of [
        { programName: "NOPE", versionNumber: "3.0.23.148" },
        { programName: "HRM", versionNumber: "9.9.9.9" },
      ]) {
        const missing = await post("platform/getInfo", body);
        assert.equal(missing.statusCode, 404);
        assert.deepEqual(Object.keys(missing.json()), ERROR_KEYS);
        assert.equal(missing.json().status, 404);
        assert.equal(missing.json().path, "/update-platform/platform/getInfo");
      }
    });

    it("patches: staff publish one for listed versions; getInfo offers it to those not having it, getFiles says where it is", async () => {
      const empty = await post("patches/getInfo", { programVersionList: [], installedPatchesList: [] });
      assert.deepEqual(empty.json(), { patchUpdateList: [] });
      const bytes = Buffer.from("patch of 3.0.23.148 and 3.0.23.143".repeat(10));
      const patch = await o.t.upkeep.services.onecPatches.publishPatch(
        {
          configuration: "HRM",
          name: "Исправление расчёта отпуска",
          description: "Fixes the holiday pay",
          modifiedMetadata: "Документ.Отпуск",
          applyTo: ["3.0.23.148", "3.0.23.143"],
          fileName: "fix-holiday.cfe",
          body: Readable.from([bytes]),
        },
        o.t.admin.id,
      );
      const asked = await post("patches/getInfo", {
        programVersionList: [
          { programName: HRM_NAME, versionNumber: "3.0.23.148" },
          { programName: "HRM", versionNumber: "3.0.23.143" },
          { programName: "HRM", versionNumber: "3.0.22.1" },
          { programName: "NOPE", versionNumber: "3.0.23.148" },
        ],
        installedPatchesList: [],
      });
      assert.equal(asked.statusCode, 200);
      const list = asked.json().patchUpdateList;
      assert.equal(list.length, 1, "once, though two listed versions take it");
      assert.deepEqual(Object.keys(list[0]), [
        "ueid",
        "name",
        "description",
        "buildDate",
        "modificatedMetadata",
        "status",
        "size",
        "applyToVersion",
      ]);
      assert.deepEqual(list[0], {
        ueid: patch.ueid,
        name: "Исправление расчёта отпуска",
        description: "Fixes the holiday pay",
        buildDate: "2026-11-16T10:00:00",
        modificatedMetadata: "Документ.Отпуск",
        status: "published",
        size: bytes.length,
        applyToVersion: ["3.0.23.148", "3.0.23.143"],
      });
      const installed = await post("patches/getInfo", {
        programVersionList: [{ programName: "HRM", versionNumber: "3.0.23.148" }],
        installedPatchesList: [patch.ueid],
      });
      assert.deepEqual(installed.json(), { patchUpdateList: [] });

      const files = await post("patches/getFiles", {
        patchUinList: [patch.ueid, "00000000-0000-0000-0000-000000000000"],
      });
      assert.deepEqual(files.json(), {
        patchDistributionDataList: [
          {
            patchUeid: patch.ueid,
            patchFileUrl: `${BASE}/update-platform/patches/files/${patch.ueid}/fix-holiday.cfe`,
            patchFileName: "fix-holiday.cfe",
            patchFileFormat: "CFE",
            size: bytes.length,
            hashSum: md5Base64(bytes),
          },
        ],
      });
      const url = files.json().patchDistributionDataList[0].patchFileUrl.slice(BASE.length);
      const file = await o.t.app.inject({
        method: "GET",
        url,
        headers: { authorization: basicAuth(o.basic) },
      });
      assert.equal(file.statusCode, 200);
      assert.ok(file.rawPayload.equals(bytes));
      const part = await o.t.app.inject({
        method: "GET",
        url,
        headers: { authorization: basicAuth(o.basic), range: "bytes=0-9" },
      });
      assert.equal(part.statusCode, 206);
      const prof = await o.t.app.inject({
        method: "GET",
        url,
        headers: { authorization: basicAuth(o.profUnsupported) },
      });
      assert.equal(prof.statusCode, 403);
      const anonymous = await o.t.app.inject({ method: "GET", url });
      assert.equal(anonymous.statusCode, 401);
      assert.match(String(anonymous.headers["www-authenticate"]), /^Basic /);

      await assert.rejects(
        o.t.upkeep.services.onecPatches.publishPatch(
          {
            configuration: "HRM",
            name: "x",
            applyTo: ["9.9.9.9"],
            fileName: "x.cfe",
            body: Readable.from([bytes]),
          },
          null,
        ),
        (error: AppError) => error.code === "unknown_patch_version",
      );
      await assert.rejects(
        o.t.upkeep.services.onecPatches.publishPatch(
          {
            configuration: "HRM",
            name: "x",
            applyTo: ["3.0.23.148"],
            fileName: "x.cfe",
            body: Readable.from([]),
          },
          null,
        ),
        (error: AppError) => error.code === "empty_file",
      );
    });

    it("bad input is a 4xx in the protocol's shape, never a 500", async () => {
      const cases: [string, unknown, number][] = [
        ["programs/update/info", { programName: "NOPE", versionNumber: "3.0.23.148" }, 404],
        ["programs/update/info", { programName: "HRM", versionNumber: "9.9.9.9" }, 404],
        ["programs/update/info", { programName: "HRM", versionNumber: "abc" }, 400],
        ["programs/update/info", { programName: "HRM" }, 400],
        ["programs/update/info", { programName: 5, versionNumber: "3.0.23.148" }, 400],
        ["programs/update/info", { programName: "HRM", versionNumber: "3.0.23.1", updateType: "Other" }, 400],
        ["programs/update/info", "{not json", 400],
        ["programs/update/info", "[1,2]", 400],
        ["programs/update/info", "null", 400],
        ["programs/update/", { upgradeSequence: "x", login: "a", password: "b" }, 400],
        ["programs/update/", { upgradeSequence: [] }, 400],
        ["platform/getInfo", { programName: "HRM", versionNumber: "" }, 400],
        ["patches/getInfo", "{", 400],
        ["patches/getInfo", { programVersionList: "x" }, 400],
        ["patches/getFiles", { patchUinList: [1] }, 400],
        ["no/such/route", {}, 404],
      ];
      for (const [path, body, status] of cases) {
        const response = await post(path, body);
        assert.equal(response.statusCode, status, `${path} ${JSON.stringify(body)}: ${response.body}`);
        assert.deepEqual(Object.keys(response.json()), ERROR_KEYS, path);
        assert.equal(response.json().status, status);
      }
    });

    it("keeps each uploaded package's hashSum, and fills in those stored before at start-up", async () => {
      const release = await createRelease(o.t, {
        version: "3.0.24.1",
        updateFrom: ["3.0.23.148"],
        publish: false,
      });
      const cfu = cfuOf("3.0.24.1");
      const bytes = updatePackage({
        code: "HRM",
        name: HRM_NAME,
        version: "3.0.24.1",
        fromVersions: ["3.0.23.148"],
        cfu,
      });
      const uploaded = await uploadDistribution(o.t, release.id, bytes);
      const db = o.t.upkeep.database.db;
      const row = await db
        .selectFrom("distributions")
        .select("hash_sum")
        .where("id", "=", uploaded.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.hash_sum, md5Base64(cfu));
      const platform = await db
        .selectFrom("distributions")
        .select("hash_sum")
        .where("id", "=", installer.id)
        .executeTakeFirstOrThrow();
      assert.equal(platform.hash_sum, null, "only 1C packages have one");

      const before = await db.selectFrom("distributions").select(["id", "hash_sum"]).orderBy("id").execute();
      await db.updateTable("distributions").set({ hash_sum: null }).execute();
      const filled = await backfillHashSums(db, o.t.upkeep.blobs);
      assert.equal(filled, before.filter((r) => r.hash_sum !== null).length);
      assert.deepEqual(
        await db.selectFrom("distributions").select(["id", "hash_sum"]).orderBy("id").execute(),
        before,
      );
    });

    it("answers a change of the catalogue at once, though it keeps its answers", async () => {
      const first = (await info({})).json();
      assert.equal(first.configurationUpdateResponse.configurationVersion, "3.0.23.148");
      assert.deepEqual((await info({})).json(), first, "the kept answer");
      const id = (
        await o.t.upkeep.database.db
          .selectFrom("releases")
          .select("id")
          .where("version", "=", "3.0.23.148")
          .executeTakeFirstOrThrow()
      ).id;
      await o.t.upkeep.services.catalogue.withdrawRelease(id, o.t.admin.id);
      const after = (await info({})).json();
      assert.equal(after.configurationUpdateResponse.configurationVersion, "3.0.23.143");
    });
  });
}
