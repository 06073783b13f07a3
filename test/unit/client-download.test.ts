import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ApiClient } from "../../src/client/api.ts";
import { type DownloadProgress, downloadDistribution, partPaths } from "../../src/client/download.ts";
import { ClientError } from "../../src/client/errors.ts";
import { sha256 } from "../support/hash.ts";

const quiet: DownloadProgress = { start() {}, advance() {} };

let work: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), "upkeep-client-download-"));
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
