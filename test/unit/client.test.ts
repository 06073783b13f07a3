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
import { DownloadHTTPError } from "tuf-js/dist/error.js";
import yazl from "yazl";
import { ApiClient } from "../../src/client/api.ts";
import { targetPath } from "../../src/client/commands.ts";
import { type DownloadProgress, downloadDistribution, partPaths } from "../../src/client/download.ts";
import { ClientError } from "../../src/client/errors.ts";
import { planFromReleases } from "../../src/client/source.ts";
import { installPackage, planTemplates, scanTemplates } from "../../src/client/templates.ts";
import { FileFetcher } from "../../src/client/tuf.ts";
import type { Release } from "../../src/client/types.ts";
import { unpackZip } from "../../src/client/unzip.ts";
import { formatUpdInfo } from "../../src/domain/upd-info.ts";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const quiet: DownloadProgress = { start() {}, advance() {} };

function zip(entries: { name: string; data: Buffer }[]): Promise<Buffer> {
  const file = new yazl.ZipFile();
  for (const entry of entries) file.addBuffer(entry.data, entry.name);
  file.end();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    file.outputStream.on("data", (chunk: Buffer) => chunks.push(chunk));
    file.outputStream.on("end", () => resolve(Buffer.concat(chunks)));
  });
}

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
  let mode: "honest" | "ignores-if-range" | "too-long" = "honest";
  const seen: { range?: string; ifRange?: string }[] = [];

  before(async () => {
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      const range = request.headers.range;
      const ifRange = request.headers["if-range"] as string | undefined;
      seen.push({ ...(range ? { range } : {}), ...(ifRange ? { ifRange } : {}) });
      const match = /^bytes=(\d+)-$/.exec(range ?? "");
      const rangeApplies =
        match && (mode === "ignores-if-range" || ifRange === undefined || ifRange === etag);
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
  after(() => new Promise((resolve) => server.close(resolve)));

  function halfDone(target: string, state: { etag: string; sha256?: string }) {
    const { part, state: statePath } = partPaths(target);
    mkdirSync(join(target, ".."), { recursive: true });
    writeFileSync(part, body.subarray(0, 80_000));
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
    mode = "honest";
    const target = join(work, "b", "1cv8.zip");
    halfDone(target, { etag: '"v1"' });
    seen.length = 0;
    const result = await downloadDistribution(api, "d1", target, expected, quiet);
    assert.equal(result.status, 206);
    assert.equal(result.resumedFrom, 80_000);
    assert.deepEqual(seen, [{ range: "bytes=80000-", ifRange: '"v1"' }]);
    assert.deepEqual(readFileSync(partPaths(target).part), body);
  });

  it("restarts, never splices, when the ETag changed on the server", async () => {
    const target = join(work, "c", "1cv8.zip");
    halfDone(target, { etag: '"v0"' });
    const result = await downloadDistribution(api, "d1", target, expected, quiet);
    assert.equal(result.status, 200);
    assert.equal(result.resumedFrom, 0);
    assert.deepEqual(readFileSync(partPaths(target).part), body);
  });

  it("restarts when a server answers a range of a different ETag anyway", async () => {
    mode = "ignores-if-range";
    const target = join(work, "d", "1cv8.zip");
    halfDone(target, { etag: '"v0"' });
    seen.length = 0;
    const result = await downloadDistribution(api, "d1", target, expected, quiet);
    mode = "honest";
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

  it("stops a body longer than the signed length and keeps nothing", async () => {
    mode = "too-long";
    const target = join(work, "f", "1cv8.zip");
    await assert.rejects(downloadDistribution(api, "d1", target, expected, quiet), ClientError);
    mode = "honest";
    assert.ok(!existsSync(partPaths(target).part));
  });
});

describe("unpacking and installing packages", () => {
  it("decodes CP866 names of 1C's packages and refuses paths outside the folder", async () => {
    const dest = join(work, "unzip-ok");
    mkdirSync(dest);
    const fixture = new URL("../../../shared/fixtures/1c/HRM_3_0_11_36/1cv8.zip", import.meta.url);
    const files = await unpackZip(fixture.pathname, dest);
    assert.ok(files.includes("UpdInfo.txt"));
    assert.ok(
      files.some((name) => /[а-яА-Я]/.test(name)),
      files.join(", "),
    );

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

    const plan = planTemplates(scanTemplates(root, "CFG"), { from: "1.0.0.1" });
    assert.equal(plan.status, "update-available");
    assert.deepEqual(
      plan.steps.map((s) => s.version),
      ["1.0.0.2"],
    );
  });
});

describe("planning from a mirror's release list", () => {
  const release = (version: string, updateFrom: string[], size: number): Release => ({
    id: `r-${version}`,
    configuration: "CFG",
    version,
    releasedOn: "2026-01-01",
    minPlatformVersion: "8.3.1.1",
    status: "published",
    updateFrom,
    distributions: [
      { id: `d-${version}`, kind: "update", fileName: "1cv8.zip", size, sha256: "0".repeat(64) },
    ],
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
      ClientError,
    );
  });

  it("names targets as the server does", () => {
    assert.equal(targetPath("HRM", "3.0.11.36", "update", "1cv8.zip"), "HRM/3_0_11_36/update/1cv8.zip");
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
