/**
 * The legacy 1C feed on both dialects: the real update list imported, its packages published, the
 * feed served and read back (the project's readers, and a minimal reader written here from the
 * format's description alone), and the packages fetched with HTTP Basic under the API's rules.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { inflateRawSync } from "node:zlib";
import { readPackageList } from "../../src/formats/onec/package-list.ts";
import { readUpdInfo } from "../../src/formats/onec/upd-info.ts";
import { readUpdateListZip } from "../../src/formats/onec/update-list-zip.ts";
import { availableDialects } from "../support/harness.ts";
import {
  basicAuth,
  FIXTURE_LIST,
  FIXTURE_UPD_INFO,
  HRM_NAME,
  type OnecApp,
  startOnecApp,
} from "../support/onec-fixtures.ts";

// ---- A minimal independent reader, from the format's description only -------------------------

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Every line ends in CRLF; no bare LF or CR. */
function assertCrlf(text: string, what: string) {
  assert.doesNotMatch(text.replace(/\r\n/g, ""), /[\r\n]/, `${what}: only CRLF line ends`);
}

function independentUpdInfo(bytes: Buffer) {
  assert.ok(bytes.subarray(0, 3).equals(BOM), "UpdInfo.txt starts with a BOM");
  const text = bytes.subarray(3).toString("utf8");
  assertCrlf(text, "UpdInfo.txt");
  const match =
    /^Version=(\d+\.\d+\.\d+\.\d+)\r\nFromVersions=(;(?:\d+\.\d+\.\d+\.\d+;)+|)\r\nUpdateDate=(\d{2}\.\d{2}\.\d{4})\r\n$/.exec(
      text,
    );
  assert.ok(match, `UpdInfo.txt has the three keys in order: ${JSON.stringify(text)}`);
  return { version: match[1]!, from: match[2]!.split(";").filter(Boolean), date: match[3]! };
}

/** The one entry of a zip, read from its local header with node's inflate. */
function independentUnzip(zip: Buffer): { name: string; data: Buffer } {
  assert.equal(zip.readUInt32LE(0), 0x04034b50, "a zip local file header");
  const method = zip.readUInt16LE(8);
  const compressedSize = zip.readUInt32LE(18);
  const nameLength = zip.readUInt16LE(26);
  const extraLength = zip.readUInt16LE(28);
  const name = zip.subarray(30, 30 + nameLength).toString("latin1");
  const start = 30 + nameLength + extraLength;
  const raw = zip.subarray(start, start + compressedSize);
  assert.ok(method === 0 || method === 8, "stored or deflated");
  return { name, data: method === 8 ? inflateRawSync(raw) : raw };
}

interface IndependentUpdate {
  configuration: string;
  vendor: string;
  file: string;
  size: number;
  version: string;
  platform: string | null;
  targets: string[];
}

function independentUpdateList(bytes: Buffer): { date: string; updates: IndependentUpdate[] } {
  assert.ok(bytes.subarray(0, 3).equals(BOM), "v8cscdsc.xml starts with a BOM");
  const text = bytes.subarray(3).toString("utf8");
  assertCrlf(text, "v8cscdsc.xml");
  assert.ok(text.startsWith('<?xml version="1.0" encoding="UTF-8" ?>\r\n'), "the declaration");
  assert.match(
    text,
    /^<\?xml[^>]*>\r\n<v8u:updateList xmlns:v8u="http:\/\/v8\.1c\.ru\/configuration-updates" version="1\.1">\r\n/,
  );
  assert.doesNotMatch(text, /xmlns="/, "never a default namespace");
  assert.doesNotMatch(text, /<[^>]*\/>/, "no self-closed element");
  assert.doesNotMatch(text, /<(v8u:\w+)[^>]*><\/\1>/, "no empty element");
  // Every element carries the literal v8u: prefix.
  for (const tag of text.matchAll(/<\/?([\w:]+)/g)) assert.ok(tag[1]!.startsWith("v8u:"), tag[1]);
  const body = text.slice(text.indexOf("<v8u:updateList"));
  const first = /<v8u:updateList[^>]*>\s*<(v8u:\w+)>([^<]*)</.exec(body);
  assert.equal(first?.[1], "v8u:date", "date is the first child");
  assert.match(first![2]!, /^\d{2}\.\d{2}\.\d{4}T\d{2}:\d{2}:\d{2}$/);
  const updates: IndependentUpdate[] = [];
  for (const block of body.matchAll(/<v8u:update configuration="([^"]+)">([\s\S]*?)<\/v8u:update>/g)) {
    const inner = block[2]!;
    const one = (name: string) => {
      const found = [...inner.matchAll(new RegExp(`<v8u:${name}>([^<]+)</v8u:${name}>`, "g"))];
      assert.equal(found.length, 1, `one ${name}`);
      return found[0]![1]!;
    };
    const size = one("size");
    assert.match(size, /^\d{1,3}(\u00A0\d{3})*$/, "size grouped by U+00A0");
    const version =
      /<v8u:version(?: platform="(\d+\.\d+\.\d+\.\d+)")?>(\d+\.\d+\.\d+\.\d+)<\/v8u:version>/.exec(inner);
    assert.ok(version, "a version");
    const order = [...inner.matchAll(/<v8u:(\w+)/g)].map((m) => m[1]);
    assert.deepEqual(
      order.filter((name, i) => name !== "target" || order[i - 1] !== "target"),
      ["vendor", "file", "size", "version", ...(order.includes("target") ? ["target"] : [])],
      "children in order",
    );
    updates.push({
      configuration: block[1]!,
      vendor: one("vendor").replaceAll("&quot;", '"'),
      file: one("file"),
      size: Number(size.replaceAll("\u00A0", "")),
      version: version[2]!,
      platform: version[1] ?? null,
      targets: [...inner.matchAll(/<v8u:target>([^<]+)<\/v8u:target>/g)].map((m) => m[1]!),
    });
  }
  assert.equal(updates.length, (body.match(/<v8u:update /g) ?? []).length, "every update read");
  return { date: first![2]!, updates };
}

/** The brace format: `{0,"date","url",n,{...}}` with `""` inside strings; records of six values. */
function independentPackageList(bytes: Buffer): { count: number; files: string[] } {
  assert.ok(bytes.subarray(0, 3).equals(BOM), "v8cscdsc.lst starts with a BOM");
  const text = bytes.subarray(3).toString("utf8").trim();
  assert.match(text, /^\{0,"[^"]*","[^"]*",(\d+),\{/);
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '"' && text[i + 1] === '"') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{") depth++;
    else if (c === "}") {
      depth--;
      assert.ok(depth >= 0, "balanced braces");
    }
  }
  assert.equal(depth, 0, "balanced braces");
  const count = Number(/^\{0,"[^"]*","[^"]*",(\d+),/.exec(text)![1]);
  const files = [...text.matchAll(/"([^"]+\.(?:cfu|mft))"/g)].map((m) => m[1]!);
  assert.equal(files.length, count * 2, "a .cfu and a .mft per record");
  return { count, files };
}

// ---- The tests ---------------------------------------------------------------------------------

for (const dialect of await availableDialects()) {
  describe(`the legacy 1C feed on ${dialect}`, () => {
    let o: OnecApp;
    before(async () => {
      o = await startOnecApp(dialect);
    });
    after(() => o.t.close());

    const get = (url: string, headers: Record<string, string> = {}) =>
      o.t.app.inject({ method: "GET", url, headers });

    it("serves UpdInfo.txt byte for byte as the real feed's, also for doubled slashes", async () => {
      const response = await get("/1c/HRM/30/83/UpdInfo.txt");
      assert.equal(response.statusCode, 200, response.body);
      assert.ok(response.rawPayload.equals(FIXTURE_UPD_INFO), response.body);
      assert.equal(response.headers["content-length"], String(FIXTURE_UPD_INFO.length));
      for (const doubled of ["/1c//HRM/30/83//UpdInfo.txt", "//1c/HRM//30/83/UpdInfo.txt"]) {
        const again = await get(doubled);
        assert.equal(again.statusCode, 200, doubled);
        assert.ok(again.rawPayload.equals(FIXTURE_UPD_INFO), doubled);
      }
      const info = independentUpdInfo(response.rawPayload);
      assert.equal(info.version, "3.0.23.148");
      assert.deepEqual(readUpdInfo(response.rawPayload).fromVersions, info.from);
    });

    it("serves the update list: read back it is the imported graph; the independent reader accepts it", async () => {
      const response = await get("/1c/HRM/30/83/v8upd11.zip");
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers["content-type"], "application/zip");
      const served = await readUpdateListZip({ buffer: response.rawPayload }, "v8upd11.zip");
      const graph = (
        updates: readonly {
          version: string;
          updateFrom: readonly string[];
          minPlatformVersion: string | null;
          file: string;
        }[],
      ) =>
        new Map(
          updates.map((u) => [
            u.version,
            { from: [...u.updateFrom].sort(), platform: u.minPlatformVersion, file: u.file },
          ]),
        );
      assert.deepEqual(graph(served.updates), graph(FIXTURE_LIST.updates));
      assert.ok(served.updates.every((u) => u.configuration === HRM_NAME));
      for (const u of served.updates)
        assert.equal(u.size, o.packages.get(u.version)!.bytes.length, u.version);

      const entry = independentUnzip(response.rawPayload);
      assert.equal(entry.name, "v8cscdsc.xml");
      const independent = independentUpdateList(entry.data);
      assert.equal(independent.updates.length, FIXTURE_LIST.updates.length);
      for (const u of independent.updates) {
        const original = FIXTURE_LIST.updates.find((f) => f.version === u.version)!;
        assert.equal(u.configuration, HRM_NAME);
        assert.equal(u.file, original.file);
        assert.equal(u.platform, original.minPlatformVersion);
        assert.deepEqual([...u.targets].sort(), [...original.updateFrom].sort());
        assert.equal(u.size, o.packages.get(u.version)!.bytes.length);
      }
      const again = await get("/1c//HRM/30/83//v8upd11.zip");
      assert.ok(again.rawPayload.equals(response.rawPayload), "the same bytes each time");
    });

    it("serves v8cscdsc.lst for older tools, and the .cfu and .mft it points to", async () => {
      const response = await get("/1c/HRM/30/83/v8cscdsc.lst");
      assert.equal(response.statusCode, 200);
      const list = readPackageList(response.rawPayload);
      assert.equal(list.entries.length, FIXTURE_LIST.updates.length);
      assert.equal(list.url, "http://127.0.0.1:8080/");
      const independent = independentPackageList(response.rawPayload);
      assert.equal(independent.count, FIXTURE_LIST.updates.length);
      const cfuPath = list.entries.find((e) => e.version === "3.0.11.36")!.updateFile;
      assert.equal(cfuPath, "1c/HRM/3_0_11_36/1cv8.cfu");
      const cfu = await get(`/${cfuPath}`, { authorization: basicAuth(o.basic) });
      assert.equal(cfu.statusCode, 200, cfu.body);
      assert.ok(cfu.rawPayload.equals(o.packages.get("3.0.11.36")!.cfu));
      const mft = await get("/1c/HRM/3_0_11_36/1cv8.mft", { authorization: basicAuth(o.basic) });
      assert.equal(mft.statusCode, 200);
      assert.match(mft.body, /Version=3\.0\.11\.36\r\n/);
    });

    it("keeps a platform line's feed to the releases that run on it, and 404s for an empty or unknown feed", async () => {
      const line82 = await get("/1c/HRM/30/82/v8upd11.zip");
      const expected82 = FIXTURE_LIST.updates.filter(
        (u) => u.minPlatformVersion === null || u.minPlatformVersion.startsWith("8.2."),
      );
      if (expected82.length === 0) assert.equal(line82.statusCode, 404);
      else {
        const served = await readUpdateListZip({ buffer: line82.rawPayload }, "v8upd11.zip");
        assert.deepEqual(
          served.updates.map((u) => u.version).sort(),
          expected82.map((u) => u.version).sort(),
        );
      }
      for (const url of [
        "/1c/HRM/31/83/UpdInfo.txt",
        "/1c/NOPE/30/83/UpdInfo.txt",
        "/1c/HRM/30/83/other.txt",
        "/1c/HRM/3x/83/UpdInfo.txt",
        "/1c/HRM/30/8/UpdInfo.txt",
        "/1c/HRM/30/83/%00.txt",
      ]) {
        const response = await get(url);
        assert.equal(response.statusCode, url.includes("%00") ? response.statusCode : 404, url);
        assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${url}: ${response.statusCode}`);
      }
    });

    it("serves a package byte for byte behind HTTP Basic, with Content-Length and Range", async () => {
      const { bytes } = o.packages.get("3.0.23.148")!;
      const url = "/1c/HRM/3_0_23_148/1cv8.zip";
      const anonymous = await get(url);
      assert.equal(anonymous.statusCode, 401);
      assert.match(String(anonymous.headers["www-authenticate"]), /^Basic realm="/);
      const wrong = await get(url, { authorization: basicAuth({ ...o.basic, password: "wrong-password" }) });
      assert.equal(wrong.statusCode, 401);
      assert.match(String(wrong.headers["www-authenticate"]), /^Basic /);

      const whole = await get(url, { authorization: basicAuth(o.basic) });
      assert.equal(whole.statusCode, 200);
      assert.ok(whole.rawPayload.equals(bytes), "the package's own bytes");
      assert.equal(whole.headers["content-length"], String(bytes.length));
      assert.equal(whole.headers["accept-ranges"], "bytes");

      const part = await get(url, { authorization: basicAuth(o.basic), range: "bytes=10-99" });
      assert.equal(part.statusCode, 206);
      assert.equal(part.headers["content-range"], `bytes 10-99/${bytes.length}`);
      assert.ok(part.rawPayload.equals(bytes.subarray(10, 100)));
      const outside = await get(url, { authorization: basicAuth(o.basic), range: `bytes=${bytes.length}-` });
      assert.equal(outside.statusCode, 416);

      const doubled = await get("/1c//HRM//3_0_23_148/1cv8.zip", { authorization: basicAuth(o.basic) });
      assert.ok(doubled.rawPayload.equals(bytes));
    });

    it("refuses a PROF holder without support (403), staff pass, and unknown packages are 404", async () => {
      const url = "/1c/HRM/3_0_23_148/1cv8.zip";
      const prof = await get(url, { authorization: basicAuth(o.profUnsupported) });
      assert.equal(prof.statusCode, 403);
      assert.equal(prof.json().code, "support_subscription_required");
      const admin = await get(url, {
        authorization: basicAuth({ login: "root-admin", password: "admin-password-1" }),
      });
      assert.equal(admin.statusCode, 200);
      for (const missing of [
        "/1c/HRM/9_9_9_9/1cv8.zip",
        "/1c/HRM/3_0_23_148/other.zip",
        "/1c/NOPE/3_0_23_148/1cv8.zip",
      ]) {
        const response = await get(missing, { authorization: basicAuth(o.basic) });
        assert.equal(response.statusCode, 404, missing);
      }
      const garbage = await get(url, { authorization: "Basic %%%" });
      assert.equal(garbage.statusCode, 401);
    });

    it("follows a change of the catalogue at once: a withdrawn release leaves the feed", async () => {
      const before = await get("/1c/HRM/30/83/UpdInfo.txt");
      assert.match(before.body, /Version=3\.0\.23\.148/);
      const id = (
        await o.t.upkeep.database.db
          .selectFrom("releases")
          .select("id")
          .where("version", "=", "3.0.23.148")
          .executeTakeFirstOrThrow()
      ).id;
      await o.t.upkeep.services.catalogue.withdrawRelease(id, o.t.admin.id);
      const afterwards = await get("/1c/HRM/30/83/UpdInfo.txt");
      assert.doesNotMatch(afterwards.body, /Version=3\.0\.23\.148/);
      assert.equal(independentUpdInfo(afterwards.rawPayload).version, "3.0.23.143");
      const gone = await get("/1c/HRM/3_0_23_148/1cv8.zip", { authorization: basicAuth(o.basic) });
      assert.equal(gone.statusCode, 404);
    });
  });
}
