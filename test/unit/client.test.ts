import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { DownloadHTTPError, ExpiredMetadataError } from "tuf-js/dist/error.js";
import { ApiClient } from "../../src/client/api.ts";
import { updateMissingError } from "../../src/client/commands/shared.ts";
import { type DownloadProgress, downloadDistribution, partPaths } from "../../src/client/download.ts";
import { ClientError, EXIT } from "../../src/client/errors.ts";
import { planFromReleases } from "../../src/client/source.ts";
import {
  checkFolderName,
  INSTALL_RECORD,
  installFile,
  installPackage,
  isFileInstalled,
  isInside,
  planTemplates,
  scanTemplates,
  sweepTemporaryFolders,
  templateFolder,
} from "../../src/client/templates.ts";
import { FileFetcher, tufFailure } from "../../src/client/tuf.ts";
import type { Release } from "../../src/client/types.ts";
import { unpackZip } from "../../src/client/unzip.ts";
import { tufTargetPath } from "../../src/contract/tuf.ts";
import { isCode } from "../../src/domain/catalogue.ts";
import { AppError } from "../../src/domain/errors.ts";
import { formatUpdInfo } from "../../src/domain/upd-info.ts";
import { updatePackage, whatsNewName } from "../support/update-package.ts";
import { zip } from "../support/zip.ts";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const quiet: DownloadProgress = { start() {}, advance() {} };

let work: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), "upkeep-client-unit-"));
});
after(() => rmSync(work, { recursive: true, force: true }));

describe("resumable download", () => {
  const body = randomBytes(200_000);
  const expected = { length: body.length, sha256: sha256(body) };
  let server: Server;
  let api: ApiClient;
  const etag = '"v1"';
  /** How the server treats Range: honour If-Range (like Upkeep), or ignore it (a broken proxy). */
  type Mode = "honest" | "ignores-if-range" | "too-long" | "wrong-range" | "stalls" | "silent";
  let mode: Mode = "honest";
  const seen: { range?: string; ifRange?: string }[] = [];
  /** A stalled answer is cut off after this long, so a client without a timeout fails instead of hanging. */
  const STALL_CUTOFF_MS = 3000;

  before(async () => {
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      const range = request.headers.range;
      const ifRange = request.headers["if-range"] as string | undefined;
      seen.push({ ...(range ? { range } : {}), ...(ifRange ? { ifRange } : {}) });
      const match = /^bytes=(\d+)-$/.exec(range ?? "");
      const rangeApplies =
        match && (mode === "ignores-if-range" || ifRange === undefined || ifRange === etag);
      if (mode === "wrong-range" && seen.length <= 6) {
        // Always a range that starts elsewhere than asked (after six tries it gives up and answers 200).
        response.writeHead(206, { etag, "content-range": `bytes 5-${body.length - 1}/${body.length}` });
        response.end(body.subarray(5));
        return;
      }
      if (mode === "stalls" || mode === "silent") {
        // Headers and the first 50,000 bytes ("stalls") or nothing at all ("silent"), then no byte more.
        if (mode === "stalls") {
          response.writeHead(200, { etag, "content-length": String(body.length) });
          response.write(body.subarray(0, 50_000));
        }
        setTimeout(() => request.socket.destroy(), STALL_CUTOFF_MS).unref();
        return;
      }
      if (mode === "too-long") {
        response.writeHead(200, { etag });
        response.end(Buffer.concat([body, Buffer.from("extra")]));
        return;
      }
      if (rangeApplies) {
        const start = Number(match[1]);
        response.writeHead(206, {
          etag,
          "content-range": `bytes ${start}-${body.length - 1}/${body.length}`,
        });
        response.end(body.subarray(start));
        return;
      }
      response.writeHead(200, { etag });
      response.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    api = new ApiClient(`http://127.0.0.1:${(server.address() as { port: number }).port}`, "token");
  });
  after(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  );

  /** Runs `fn` while the server behaves as `next`; it is honest again afterwards, whatever happens. */
  async function withMode<T>(next: Mode, fn: () => Promise<T>): Promise<T> {
    mode = next;
    try {
      return await fn();
    } finally {
      mode = "honest";
    }
  }

  /** A partial file of 80,000 bytes: the real prefix, or other bytes (`prefix`) to catch a splice. */
  function halfDone(target: string, state: { etag: string; sha256?: string }, prefix?: Buffer) {
    const { part, state: statePath } = partPaths(target);
    mkdirSync(join(target, ".."), { recursive: true });
    writeFileSync(part, prefix ?? body.subarray(0, 80_000));
    writeFileSync(
      statePath,
      JSON.stringify({ etag: state.etag, sha256: state.sha256 ?? expected.sha256, length: body.length }),
    );
  }

  it("downloads a whole file into <target>.part and records its ETag", async () => {
    const target = join(work, "a", "1cv8.zip");
    const result = await downloadDistribution(api, "d1", target, expected, quiet);
    assert.equal(result.status, 200);
    assert.deepEqual(readFileSync(partPaths(target).part), body);
    assert.equal(JSON.parse(readFileSync(partPaths(target).state, "utf8")).etag, '"v1"');
  });

  it("resumes a partial file with Range and If-Range", async () => {
    const target = join(work, "b", "1cv8.zip");
    halfDone(target, { etag: '"v1"' });
    seen.length = 0;
    const result = await downloadDistribution(api, "d1", target, expected, quiet);
    assert.equal(result.status, 206);
    assert.equal(result.resumedFrom, 80_000);
    assert.deepEqual(seen, [{ range: "bytes=80000-", ifRange: '"v1"' }]);
    assert.deepEqual(readFileSync(partPaths(target).part), body);
  });

  /** Bytes of the "old" file on the server: a client that spliced them would not end with `body`. */
  const stale = Buffer.alloc(80_000, 0xa5);

  it("restarts, never splices, when the ETag changed on the server", async () => {
    const target = join(work, "c", "1cv8.zip");
    halfDone(target, { etag: '"v0"' }, stale);
    const result = await downloadDistribution(api, "d1", target, expected, quiet);
    assert.equal(result.status, 200);
    assert.equal(result.resumedFrom, 0);
    assert.deepEqual(readFileSync(partPaths(target).part), body);
  });

  it("restarts when a server answers a range of a different ETag anyway", async () => {
    const target = join(work, "d", "1cv8.zip");
    halfDone(target, { etag: '"v0"' }, stale);
    seen.length = 0;
    const result = await withMode("ignores-if-range", () =>
      downloadDistribution(api, "d1", target, expected, quiet),
    );
    assert.equal(result.resumedFrom, 0);
    assert.deepEqual(seen[1], {}, "the second request asks for the whole file");
    assert.deepEqual(readFileSync(partPaths(target).part), body);
  });

  it("discards a partial file of another version without asking for a range", async () => {
    const target = join(work, "e", "1cv8.zip");
    halfDone(target, { etag: '"v1"', sha256: "0".repeat(64) });
    seen.length = 0;
    await downloadDistribution(api, "d1", target, expected, quiet);
    assert.deepEqual(seen, [{}]);
    assert.deepEqual(readFileSync(partPaths(target).part), body);
  });

  it("gives up with a clear error when the server answers a wrong range again after a restart", async () => {
    const target = join(work, "g", "1cv8.zip");
    halfDone(target, { etag: '"v1"' });
    seen.length = 0;
    await withMode("wrong-range", () =>
      assert.rejects(
        downloadDistribution(api, "d1", target, expected, quiet),
        (error: unknown) =>
          error instanceof ClientError &&
          error.code === "bad_range" &&
          /does not match the request; the download was given up after 2 attempts/.test(error.message),
      ),
    );
    assert.deepEqual(seen, [{ range: "bytes=80000-", ifRange: '"v1"' }, {}], "one restart, then no more");
    assert.ok(!existsSync(partPaths(target).part), "no spliced bytes are kept");
  });

  it("stops a stalled download after the idle timeout, keeps the partial file, and resumes it", async () => {
    const target = join(work, "h", "1cv8.zip");
    process.env.UPKEEP_CLIENT_IDLE_TIMEOUT_MS = "300";
    const started = Date.now();
    try {
      await withMode("stalls", () =>
        assert.rejects(
          downloadDistribution(api, "d1", target, expected, quiet),
          (error: unknown) =>
            error instanceof ClientError &&
            error.code === "stalled" &&
            error.exitCode === 5 &&
            /sent no data for 300 ms/.test(error.message) &&
            /50000 bytes already received are kept: run the command again to resume/.test(error.message),
        ),
      );
    } finally {
      delete process.env.UPKEEP_CLIENT_IDLE_TIMEOUT_MS;
    }
    assert.ok(Date.now() - started < STALL_CUTOFF_MS, "stopped by the client, not by the server");
    assert.deepEqual(readFileSync(partPaths(target).part), body.subarray(0, 50_000));
    seen.length = 0;
    const result = await downloadDistribution(api, "d1", target, expected, quiet);
    assert.equal(result.status, 206);
    assert.equal(result.resumedFrom, 50_000);
    assert.deepEqual(seen, [{ range: "bytes=50000-", ifRange: '"v1"' }]);
    assert.deepEqual(readFileSync(partPaths(target).part), body);
  });

  it("stops waiting for response headers after the idle timeout", async () => {
    const target = join(work, "i", "1cv8.zip");
    const started = Date.now();
    await withMode("silent", () =>
      assert.rejects(
        downloadDistribution(api, "d1", target, expected, quiet, { idleTimeoutMs: 200 }),
        (error: unknown) =>
          error instanceof ClientError &&
          error.code === "stalled" &&
          /sent no data for 200 ms/.test(error.message),
      ),
    );
    assert.ok(Date.now() - started < STALL_CUTOFF_MS, "stopped by the client, not by the server");
  });

  it("stops a body longer than the signed length and keeps nothing", async () => {
    const target = join(work, "f", "1cv8.zip");
    await withMode("too-long", () =>
      assert.rejects(downloadDistribution(api, "d1", target, expected, quiet), ClientError),
    );
    assert.ok(!existsSync(partPaths(target).part));
  });
});

describe("unpacking and installing packages", () => {
  it("decodes CP866 names of 1C's packages and refuses paths outside the folder", async () => {
    const dest = join(work, "unzip-ok");
    mkdirSync(dest);
    const packageFile = join(work, "cp866-names.zip");
    writeFileSync(
      packageFile,
      updatePackage({ code: "HRM", version: "3.0.11.36", fromVersions: ["3.0.10.32"] }),
    );
    const files = await unpackZip(packageFile, dest);
    assert.ok(files.includes("UpdInfo.txt"));
    assert.ok(files.includes(whatsNewName("3.0.11.36")), files.join(", "));

    // yazl refuses to write `..`, so the name is patched in the bytes (same length, CRC covers data only).
    const evil = Buffer.from(await zip([{ name: "AA/evil.txt", data: Buffer.from("x") }]));
    let at = evil.indexOf("AA/evil.txt");
    while (at >= 0) {
      evil.write("../", at);
      at = evil.indexOf("AA/evil.txt");
    }
    const evilFile = join(work, "evil.zip");
    writeFileSync(evilFile, evil);
    const target = join(work, "unzip-evil", "inner");
    mkdirSync(target, { recursive: true });
    await assert.rejects(unpackZip(evilFile, target), /unsafe path/);
    assert.ok(!existsSync(join(work, "unzip-evil", "evil.txt")));
  });

  it("installs atomically: a package of the wrong version leaves no folder and no temporary files", async () => {
    const root = join(work, "tmplts");
    const good = join(work, "good.zip");
    writeFileSync(
      good,
      await zip([
        {
          name: "UpdInfo.txt",
          data: Buffer.from(
            formatUpdInfo({ version: "1.0.0.2", fromVersions: ["1.0.0.1"], updateDate: null }),
          ),
        },
        { name: "1cv8.cfu", data: randomBytes(100) },
      ]),
    );
    const folder = join(root, "vendor", "CFG", "1_0_0_2");
    await installPackage(good, folder, "1.0.0.2");
    assert.deepEqual(readdirSync(folder).sort(), ["1cv8.cfu", "UpdInfo.txt"]);
    await assert.rejects(
      installPackage(good, join(root, "vendor", "CFG", "1_0_0_3"), "1.0.0.3"),
      /says it is 1\.0\.0\.2/,
    );
    assert.deepEqual(readdirSync(join(root, "vendor", "CFG")), ["1_0_0_2"]);

    const plan = planTemplates(scanTemplates(root, "CFG"), { version: "1.0.0.1" });
    assert.equal(plan.status, "update-available");
    assert.deepEqual(
      plan.steps.map((s) => s.version),
      ["1.0.0.2"],
    );
  });

  it("refuses a package without UpdInfo.txt (exit code 6) and installs nothing", async () => {
    const root = join(work, "tmplts-no-updinfo");
    const file = join(work, "no-updinfo.zip");
    writeFileSync(file, await zip([{ name: "1cv8.cfu", data: randomBytes(100) }]));
    await assert.rejects(
      installPackage(file, join(root, "vendor", "CFG", "1_0_0_2"), "1.0.0.2", { root }),
      (error: unknown) =>
        error instanceof ClientError &&
        error.exitCode === EXIT.verification &&
        /the package for 1\.0\.0\.2 holds no UpdInfo\.txt/.test(error.message) &&
        /Nothing was installed/.test(error.message),
    );
    assert.deepEqual(readdirSync(join(root, "vendor", "CFG")), [], "no folder, no temporary files");
  });

  it("records the release's minimum platform, so the templates' plan asks for a newer platform", async () => {
    const root = join(work, "tmplts-platform");
    const versions = [
      { version: "1.0.0.2", from: "1.0.0.1", minPlatformVersion: "8.3.1.1" },
      { version: "1.0.0.3", from: "1.0.0.2", minPlatformVersion: "8.3.5.1" },
    ];
    for (const { version, from, minPlatformVersion } of versions) {
      const file = join(work, `platform-${version}.zip`);
      const updInfo = formatUpdInfo({ version, fromVersions: [from], updateDate: null });
      writeFileSync(file, await zip([{ name: "UpdInfo.txt", data: Buffer.from(updInfo) }]));
      const folder = templateFolder(root, "vendor", "CFG", version);
      const files = await installPackage(file, folder, version, { root, minPlatformVersion });
      assert.deepEqual(files, ["UpdInfo.txt"], "the record is not one of the package's files");
      assert.deepEqual(JSON.parse(readFileSync(join(folder, INSTALL_RECORD), "utf8")), {
        minPlatformVersion,
      });
    }
    const folders = scanTemplates(root, "CFG");
    assert.deepEqual(
      folders.map((f) => [f.folderVersion, f.minPlatformVersion, f.problem]),
      [
        ["1.0.0.2", "8.3.1.1", null],
        ["1.0.0.3", "8.3.5.1", null],
      ],
    );
    const tooOld = planTemplates(folders, { version: "1.0.0.1", platform: "8.3.4.1" });
    assert.equal(tooOld.status, "update-available");
    assert.deepEqual(tooOld.platformUpgrade, { requiredVersion: "8.3.5.1" });
    assert.equal(planTemplates(folders, { version: "1.0.0.1", platform: "8.3.5.1" }).platformUpgrade, null);
  });
});

describe("installing a file configuration's update", () => {
  it("places the file as the only one of the version's folder, replacing an older copy atomically", async () => {
    const root = join(work, "tmplts-file");
    const file = join(work, "downloaded.part");
    const bytes = randomBytes(5000);
    writeFileSync(file, bytes);
    const folder = join(root, "acme", "TOOLS", "2_1_0_0");
    const expected = { size: bytes.length, sha256: sha256(bytes) };
    assert.equal(await isFileInstalled(folder, "tools setup.exe", expected), false);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, "old-setup.exe"), "an interrupted earlier copy");

    assert.deepEqual(await installFile(file, folder, "tools setup.exe", { root }), ["tools setup.exe"]);
    assert.deepEqual(readdirSync(folder), ["tools setup.exe"]);
    assert.deepEqual(readFileSync(join(folder, "tools setup.exe")), bytes);
    assert.deepEqual(readdirSync(join(root, "acme", "TOOLS")), ["2_1_0_0"], "no temporary folder left");
    assert.equal(await isFileInstalled(folder, "tools setup.exe", expected), true);
    assert.equal(
      await isFileInstalled(folder, "tools setup.exe", { ...expected, sha256: "0".repeat(64) }),
      false,
      "a file of the same size but other bytes is not this step",
    );
  });

  it("refuses a file name that is not one plain name, writing nothing", async () => {
    const root = join(work, "tmplts-file-bad");
    const file = join(work, "downloaded-bad.part");
    writeFileSync(file, "bytes");
    for (const name of ["../escape.exe", "sub/dir.exe", ".."]) {
      await assert.rejects(
        installFile(file, join(root, "acme", "TOOLS", "2_1_0_0"), name, { root }),
        (error: unknown) => error instanceof ClientError && error.exitCode === EXIT.verification,
        name,
      );
    }
    assert.ok(!existsSync(join(root, "acme")));
  });
});

describe("install folders from unsigned names", () => {
  const refused = (pattern: RegExp) => (error: unknown) =>
    error instanceof ClientError &&
    error.exitCode === EXIT.verification &&
    pattern.test(error.message) &&
    /Nothing was installed/.test(error.message);

  it("accepts plain vendor and configuration codes and refuses anything that could leave the folder", () => {
    for (const name of ["1c", "HRM", "Vendor_Co.ltd-2", "a".repeat(64)]) assert.ok(isCode(name), name);
    for (const name of [
      "",
      ".",
      "..",
      "../x",
      "../../x",
      "a/b",
      "a\\b",
      ".hidden",
      "-x",
      "a".repeat(65),
      "a\0b",
    ]) {
      assert.ok(!isCode(name), JSON.stringify(name));
    }
    assert.ok(!isCode(undefined) && !isCode(7));
    assert.throws(
      () => checkFolderName("vendor", "../../x", "the mirror's mirror.json"),
      refused(/the vendor "\.\.\/\.\.\/x" given by the mirror's mirror\.json is not a safe folder name/),
    );
  });

  it("builds <root>/<vendor>/<CODE>/<x_y_z_w> only inside the templates directory", () => {
    const root = join(work, "tmplts-safe");
    assert.equal(templateFolder(root, "1c", "HRM", "3.0.11.36"), join(root, "1c", "HRM", "3_0_11_36"));
    assert.throws(() => templateFolder(root, "../../x", "HRM", "3.0.11.36"), refused(/vendor/));
    assert.throws(() => templateFolder(root, "1c", "..", "3.0.11.36"), refused(/configuration code/));
    assert.throws(() => sweepTemporaryFolders(root, "..", "HRM"), refused(/vendor/));
    assert.ok(isInside(root, join(root, "1c", "HRM", "3_0_11_36")));
    assert.ok(!isInside(root, root));
    assert.ok(!isInside(root, join(root, "..", "x")));
    assert.ok(!isInside(root, `${root}-sibling`));
    assert.ok(!existsSync(root), "nothing was written");
  });

  it("installPackage refuses a final folder outside the templates directory before writing", async () => {
    const root = join(work, "tmplts-inside");
    const outside = join(work, "outside-of-tmplts", "CFG", "1_0_0_2");
    const file = join(work, "inside.zip");
    writeFileSync(file, await zip([{ name: "1cv8.cfu", data: randomBytes(10) }]));
    await assert.rejects(
      installPackage(file, outside, "1.0.0.2", { root }),
      refused(/lies outside the templates/),
    );
    assert.ok(!existsSync(join(work, "outside-of-tmplts")));
  });
});

describe("expired metadata", () => {
  it("tells the user of a mirror to refresh it with upkeep-client mirror", () => {
    const mirror = pathToFileURL(join(work, "old-mirror")).toString();
    const error = tufFailure(mirror, new ExpiredMetadataError("timestamp.json is expired"));
    assert.equal(error.exitCode, EXIT.verification);
    assert.match(error.message, /the mirror .*old-mirror has expired \(timestamp\.json is expired\)/);
    assert.match(error.message, /must be refreshed: .*run `upkeep-client mirror --out <folder>`/);
    const online = tufFailure(
      "http://updates.example",
      new ExpiredMetadataError("timestamp.json is expired"),
    );
    assert.equal(online.exitCode, EXIT.verification);
    assert.match(online.message, /the server must re-sign it/);
    assert.doesNotMatch(online.message, /upkeep-client mirror/);
  });
});

describe("planning from a mirror's release list", () => {
  const release = (version: string, updateFrom: string[], size: number): Release => ({
    id: `r-${version}`,
    configuration: "CFG",
    version,
    releasedOn: "2026-01-01",
    itsIssue: null,
    minPlatformVersion: "8.3.1.1",
    channel: "stable",
    status: "published",
    publishedAt: "2026-01-01T00:00:00.000Z",
    updateFrom,
    distributions: [
      { id: `d-${version}`, kind: "update", fileName: "1cv8.zip", size, sha256: "0".repeat(64) },
    ],
    hasUpdateDistribution: true,
  });
  const allowed = { allowed: true, code: null, detail: null, month: null };

  it("gives the server's plan shape over the same planner", () => {
    const releases = [release("1.0.0.3", ["1.0.0.2"], 30), release("1.0.0.2", ["1.0.0.1"], 20)];
    const plan = planFromReleases(
      releases,
      { configuration: "CFG", version: "1.0.0.1", platformVersion: "8.3.0.1" },
      allowed,
    );
    assert.equal(plan.status, "update-available");
    assert.deepEqual(
      plan.steps.map((s) => [s.version, s.releaseId, s.distribution?.id]),
      [
        ["1.0.0.2", "r-1.0.0.2", "d-1.0.0.2"],
        ["1.0.0.3", "r-1.0.0.3", "d-1.0.0.3"],
      ],
    );
    assert.equal(plan.totalSize, 50);
    assert.deepEqual(plan.platformUpgrade, { requiredVersion: "8.3.1.1" });
    assert.equal(
      planFromReleases(releases, { configuration: "CFG", version: "1.0.0.3" }, allowed).status,
      "up-to-date",
    );
    assert.throws(
      () =>
        planFromReleases(releases, { configuration: "CFG", version: "1.0.0.1", target: "9.9.9.9" }, allowed),
      (error: unknown) => error instanceof AppError && error.code === "unknown_target",
    );
    assert.throws(
      () => planFromReleases([], { configuration: "CFG", version: "1.0.0.1" }, allowed),
      (error: unknown) =>
        error instanceof AppError &&
        error.code === "no_published_releases" &&
        error.message === "CFG has no published release yet.",
    );
  });

  it("marks the steps whose release has no update file yet, and carries the package format", () => {
    const gap = { ...release("1.0.0.2", ["1.0.0.1"], 20), distributions: [], hasUpdateDistribution: false };
    const releases = [release("1.0.0.3", ["1.0.0.2"], 30), gap];
    const plan = planFromReleases(releases, { configuration: "CFG", version: "1.0.0.1" }, allowed);
    assert.deepEqual(
      plan.steps.map((s) => [s.version, s.updateAvailable]),
      [
        ["1.0.0.2", false],
        ["1.0.0.3", true],
      ],
    );
    assert.deepEqual(plan.missingUpdates, ["1.0.0.2"]);
    assert.equal(plan.packageFormat, "1c", "a mirror from before package formats holds 1c configurations");
    const file = planFromReleases(releases, { configuration: "CFG", version: "1.0.0.2" }, allowed, "file");
    assert.equal(file.packageFormat, "file");
    assert.deepEqual(file.missingUpdates, []);
  });

  it("says plainly which releases have no update file yet, with its own exit code", () => {
    const one = updateMissingError("HRM", ["1.0.2.0"]);
    assert.equal(one.exitCode, EXIT.updateMissing);
    assert.equal(one.code, "update_missing");
    assert.match(
      one.message,
      /^Release 1\.0\.2\.0 of HRM has no update file yet.*ask the vendor or try again later\.$/,
    );
    assert.match(
      updateMissingError("HRM", ["1.0.2.0", "1.0.3.0"]).message,
      /^Releases 1\.0\.2\.0, 1\.0\.3\.0 of HRM have/,
    );
  });

  it("names targets as the server does", () => {
    assert.equal(tufTargetPath("HRM", "3.0.11.36", "update", "1cv8.zip"), "HRM/3_0_11_36/update/1cv8.zip");
  });

  it("the file fetcher reads a mirror and answers a missing file the way tuf-js expects", async () => {
    const dir = join(work, "mirror-fetch");
    mkdirSync(dir);
    writeFileSync(join(dir, "timestamp.json"), "{}");
    const fetcher = new FileFetcher();
    const bytes = await fetcher.downloadBytes(pathToFileURL(join(dir, "timestamp.json")).toString(), 100);
    assert.equal(bytes.toString(), "{}");
    await assert.rejects(
      fetcher.downloadBytes(pathToFileURL(join(dir, "2.root.json")).toString(), 100),
      (error: unknown) => error instanceof DownloadHTTPError && error.statusCode === 404,
    );
  });
});
