import assert from "node:assert/strict";
import { createHash, sign } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { canonicalize } from "@tufjs/canonical-json";
import { Metadata, MetadataKind, Signature } from "@tufjs/models";
import { BaseFetcher, Updater } from "tuf-js";
import { DownloadHTTPError } from "tuf-js/dist/error.js";
import { openUpkeep, type Upkeep } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { generateTufKeys, TUF_ROLES } from "../../src/secrets/tuf-keys.ts";
import { createTufRepository, TufKeyMismatchError } from "../../src/tuf/repository.ts";
import { listPublishedTargets } from "../../src/tuf/targets.ts";
import { availableDialects, startTestApp, type TestApp } from "../support/harness.ts";

const sha256 = (bytes: Buffer | string) => createHash("sha256").update(bytes).digest("hex");
const HOUR = 60 * 60 * 1000;

/** The parts of served metadata the assertions read. */
interface SignedJson {
  signed: {
    version: number;
    consistent_snapshot?: boolean;
    roles: Record<string, { keyids: string[]; threshold: number }>;
    keys: Record<string, { keytype: string; scheme: string; keyval: { public: string } }>;
    meta: Record<string, { version: number; length?: number }>;
  };
}

/** A client-side fetcher: signs in for downloads and answers non-2xx the way tuf-js expects (404 ends root lookup). */
class TestFetcher extends BaseFetcher {
  constructor(
    private readonly options: { token?: string; override?: (url: string) => Buffer | undefined } = {},
  ) {
    super();
  }
  override async fetch(url: string): Promise<ReadableStream<Uint8Array<ArrayBuffer>>> {
    const replaced = this.options.override?.(url);
    if (replaced)
      return new Response(new Uint8Array(replaced)).body as ReadableStream<Uint8Array<ArrayBuffer>>;
    const headers: Record<string, string> = this.options.token
      ? { authorization: `Bearer ${this.options.token}` }
      : {};
    const response = await fetch(url, { headers });
    if (!response.ok || !response.body) throw new DownloadHTTPError(`GET ${url}`, response.status);
    return response.body as ReadableStream<Uint8Array<ArrayBuffer>>;
  }
}

for (const dialect of await availableDialects()) {
  describe(`TUF repository on ${dialect}`, () => {
    let t: TestApp;
    let base: string;
    let work: string;
    /** The client's trusted copy of root version 1, fetched once. */
    let trustedRoot: string;
    /** The metadata folder of a long-lived client. */
    let clientDir: string;
    let dirs = 0;

    const tuf = () => t.upkeep.services.tuf;
    const catalogue = () => t.upkeep.services.catalogue;

    function freshClientDir(): string {
      const dir = join(work, `client-${++dirs}`);
      mkdirSync(dir);
      writeFileSync(join(dir, "root.json"), trustedRoot);
      return dir;
    }

    function updater(metadataDir: string, fetcher?: BaseFetcher): Updater {
      return new Updater({
        metadataDir,
        metadataBaseUrl: `${base}/tuf`,
        targetDir: join(work, "targets"),
        targetBaseUrl: `${base}/tuf/targets`,
        ...(fetcher ? { fetcher } : {}),
      });
    }

    /** What a client sees after a full refresh from `metadataDir`. */
    async function clientView(metadataDir = clientDir) {
      const client = updater(metadataDir);
      await client.refresh();
      const targets = JSON.parse(readFileSync(join(metadataDir, "targets.json"), "utf8"));
      return { client, targetsVersion: targets.signed.version as number };
    }

    async function served(name: string): Promise<Response> {
      return fetch(`${base}/tuf/${name}`);
    }

    async function servedJson(name: string) {
      const response = await served(name);
      assert.equal(response.status, 200, name);
      return (await response.json()) as SignedJson;
    }

    async function release(
      version: string,
      bytes: Buffer,
      options: { publish?: boolean; fileName?: string } = {},
    ) {
      const created = await catalogue().createRelease(
        { configuration: "HRM", version, releasedOn: "2026-11-01" },
        t.admin.id,
      );
      const distribution = await catalogue().putDistribution(
        {
          releaseId: created.id,
          kind: "update",
          fileName: options.fileName ?? "1cv8.zip",
          body: Readable.from(bytes),
        },
        t.admin.id,
      );
      if (options.publish !== false) await catalogue().publishRelease(created.id, t.admin.id);
      return { release: created, distribution };
    }

    before(async () => {
      t = await startTestApp(dialect);
      // tuf-js checks expiry against the real time; the repository signs with the app clock.
      t.clock.set(new Date());
      await t.app.listen({ port: 0, host: "127.0.0.1" });
      const address = t.app.server.address();
      assert.ok(address && typeof address === "object");
      base = `http://127.0.0.1:${address.port}`;
      work = mkdtempSync(join(tmpdir(), "upkeep-tuf-"));
      await catalogue().createConfiguration(
        // Its files are opaque bytes to these tests: a file configuration takes any of them.
        { code: "HRM", name: "Salaries and HR", kind: "configuration", vendor: "1c", packageFormat: "file" },
        t.admin.id,
      );
    });

    after(async () => {
      await t.close();
      rmSync(work, { recursive: true, force: true });
    });

    it("creates Ed25519 keys at first start, private to the service, with spec key ids", async () => {
      const dir = join(t.environment.dataDir, "tuf", "keys");
      assert.equal(statSync(dir).mode & 0o777, 0o700);
      for (const role of TUF_ROLES) {
        assert.equal(statSync(join(dir, `${role}.pem`)).mode & 0o777, 0o600, role);
        assert.match(readFileSync(join(dir, `${role}.pem`), "utf8"), /^-----BEGIN PRIVATE KEY-----/);
      }
      const root = await servedJson("1.root.json");
      assert.equal(root.signed.version, 1);
      assert.equal(root.signed.consistent_snapshot, false);
      for (const role of TUF_ROLES) {
        const keyId = root.signed.roles[role]?.keyids[0] ?? "";
        const key = root.signed.keys[keyId];
        assert.ok(key, role);
        assert.equal(key.keytype, "ed25519");
        assert.match(key.keyval.public, /^[0-9a-f]{64}$/);
        assert.equal(keyId, sha256(canonicalize(key)), `${role} key id`);
        assert.equal(root.signed.roles[role]?.threshold, 1);
      }
      assert.equal(new Set(TUF_ROLES.map((role) => root.signed.roles[role]?.keyids[0])).size, 4);
    });

    it("serves metadata files as no-cache JSON and 404 problems for anything else", async () => {
      for (const name of ["root.json", "1.root.json", "timestamp.json", "snapshot.json", "targets.json"]) {
        const response = await served(name);
        assert.equal(response.status, 200, name);
        assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
        assert.equal(response.headers.get("cache-control"), "no-cache");
        assert.equal(await response.text(), await tuf().metadata(name), `${name}: the stored bytes`);
      }
      const latestRoot = (await servedJson("root.json")).signed.version;
      for (const name of ["nothing.json", `${latestRoot + 1}.root.json`, "0.root.json", "1.targets.json"]) {
        const response = await served(name);
        assert.equal(response.status, 404, name);
        assert.match(response.headers.get("content-type") ?? "", /^application\/problem\+json/);
        assert.equal(((await response.json()) as { code: string }).code, "tuf_metadata_not_found");
      }
    });

    it("lets tuf-js verify a published distribution, and lists no drafts", async () => {
      trustedRoot = await (await served("1.root.json")).text();
      clientDir = freshClientDir();
      const targetsBefore = (await servedJson("targets.json")).signed.version;

      const bytes = Buffer.alloc(1000, "first release ");
      const { release: first, distribution } = await release("3.0.11.36", bytes, { publish: false });
      assert.equal(
        (await servedJson("targets.json")).signed.version,
        targetsBefore,
        "a draft changes nothing",
      );

      await catalogue().publishRelease(first.id, t.admin.id);
      const { client, targetsVersion } = await clientView();
      assert.equal(targetsVersion, targetsBefore + 1);
      const info = await client.getTargetInfo("HRM/3_0_11_36/update/1cv8.zip");
      assert.ok(info, "the published distribution is a target");
      assert.equal(info.length, 1000);
      assert.equal(info.hashes.sha256, sha256(bytes));
      assert.deepEqual(info.custom, {
        distributionId: distribution.id,
        configuration: "HRM",
        version: "3.0.11.36",
        kind: "update",
      });
    });

    it("downloads target bytes through tuf-js (targetBaseUrl /tuf/targets redirects to the distribution)", async () => {
      const fetcher = new TestFetcher({ token: t.adminToken });
      const client = updater(freshClientDir(), fetcher);
      await client.refresh();
      const info = await client.getTargetInfo("HRM/3_0_11_36/update/1cv8.zip");
      assert.ok(info);
      const file = await client.downloadTarget(info, join(work, "downloaded.zip"));
      assert.deepEqual(readFileSync(file), Buffer.alloc(1000, "first release "));

      const redirect = await fetch(`${base}/tuf/targets/HRM/3_0_11_36/update/1cv8.zip`, {
        redirect: "manual",
      });
      assert.equal(redirect.status, 307);
      assert.equal(
        redirect.headers.get("location"),
        `/api/v1/distributions/${info.custom.distributionId}/file`,
      );
      const anonymous = await fetch(`${base}/tuf/targets/HRM/3_0_11_36/update/1cv8.zip`);
      assert.equal(anonymous.status, 401, "the download itself still needs a signed-in user");
      const unknown = await fetch(`${base}/tuf/targets/HRM/3_0_11_36/full/1cv8.zip`);
      assert.equal(unknown.status, 404);
      assert.equal(((await unknown.json()) as { code: string }).code, "tuf_target_not_found");
    });

    it("downloads targets whose file names need escaping", async () => {
      const fileName = "Обновление 3.0.11.37 (x64)?#1.zip".replace("#", "");
      const bytes = Buffer.from("escaped name");
      await release("3.0.11.37", bytes, { fileName });
      const client = updater(freshClientDir(), new TestFetcher({ token: t.adminToken }));
      await client.refresh();
      const info = await client.getTargetInfo(`HRM/3_0_11_37/update/${fileName}`);
      assert.ok(info);
      assert.deepEqual(readFileSync(await client.downloadTarget(info, join(work, "escaped.zip"))), bytes);
    });

    it("shows a newly published release to a client that refreshes", async () => {
      const before = await clientView();
      assert.equal(await before.client.getTargetInfo("HRM/3_0_12_5/update/1cv8.zip"), undefined);

      await release("3.0.12.5", Buffer.from("second release"));
      const after = await clientView();
      assert.ok(after.targetsVersion > before.targetsVersion);
      const info = await after.client.getTargetInfo("HRM/3_0_12_5/update/1cv8.zip");
      assert.equal(info?.hashes.sha256, sha256("second release"));
      assert.ok(await after.client.getTargetInfo("HRM/3_0_11_36/update/1cv8.zip"), "older targets stay");
    });

    it("drops the targets of a withdrawn release", async () => {
      const { release: third } = await release("3.0.13.1", Buffer.from("to be withdrawn"));
      assert.ok(await (await clientView()).client.getTargetInfo("HRM/3_0_13_1/update/1cv8.zip"));

      await catalogue().withdrawRelease(third.id, t.admin.id);
      const { client } = await clientView();
      assert.equal(await client.getTargetInfo("HRM/3_0_13_1/update/1cv8.zip"), undefined);
      const gone = await fetch(`${base}/tuf/targets/HRM/3_0_13_1/update/1cv8.zip`, { redirect: "manual" });
      assert.equal(gone.status, 404);
    });

    it("re-signs timestamp and snapshot before they expire, same content", async () => {
      const timestamp = (await servedJson("timestamp.json")).signed;
      const snapshot = (await servedJson("snapshot.json")).signed;
      const targets = (await servedJson("targets.json")).signed.version;

      t.clock.set(new Date(t.clock.now().getTime() + 11 * HOUR));
      assert.equal((await servedJson("timestamp.json")).signed.version, timestamp.version, "not yet due");

      t.clock.set(new Date(t.clock.now().getTime() + 2 * HOUR));
      const renewed = (await servedJson("timestamp.json")).signed;
      assert.equal(renewed.version, timestamp.version + 1);
      assert.deepEqual(renewed.meta, timestamp.meta);
      assert.equal((await servedJson("snapshot.json")).signed.version, snapshot.version);

      t.clock.set(new Date(t.clock.now().getTime() + 3 * 24 * HOUR));
      const later = (await servedJson("timestamp.json")).signed;
      const snapshotLater = (await servedJson("snapshot.json")).signed;
      assert.equal(snapshotLater.version, snapshot.version + 1);
      assert.deepEqual(snapshotLater.meta, snapshot.meta);
      assert.equal(later.meta["snapshot.json"]?.version, snapshotLater.version);
      assert.equal((await servedJson("targets.json")).signed.version, targets);
      await clientView();
    });

    it("keeps only the latest timestamps, and every root", async () => {
      for (let i = 0; i < 12; i++) {
        t.clock.set(new Date(t.clock.now().getTime() + 13 * HOUR));
        await servedJson("timestamp.json");
      }
      const rows = await t.upkeep.database.db
        .selectFrom("tuf_metadata")
        .select(["role", "version"])
        .where("role", "in", ["timestamp", "root"])
        .execute();
      const timestamps = rows.filter((row) => row.role === "timestamp").map((row) => Number(row.version));
      const latest = (await servedJson("timestamp.json")).signed.version;
      assert.ok(latest > 12);
      assert.deepEqual(
        timestamps.sort((a, b) => a - b),
        Array.from({ length: 10 }, (_, i) => latest - 9 + i),
      );
      const roots = rows.filter((row) => row.role === "root").length;
      assert.equal(roots, (await servedJson("root.json")).signed.version);
      await clientView();
    });

    it("refuses a rolled-back timestamp", async () => {
      const old = Buffer.from(await (await served("timestamp.json")).text());
      await release("3.0.14.2", Buffer.from("newer"));
      await clientView();
      const client = updater(
        clientDir,
        new TestFetcher({ override: (url) => (url.endsWith("/timestamp.json") ? old : undefined) }),
      );
      await assert.rejects(client.refresh(), /New timestamp version \d+ is less than current version \d+/);
    });

    it("rejects targets metadata that was altered or signed by another key", async () => {
      const db = t.upkeep.database.db;
      const row = await db
        .selectFrom("tuf_metadata")
        .selectAll()
        .where("role", "=", "targets")
        .orderBy("version", "desc")
        .limit(1)
        .executeTakeFirstOrThrow();
      const json = JSON.parse(row.body);
      const path = "HRM/3_0_11_36/update/1cv8.zip";
      assert.equal(json.signed.targets[path].length, 1000);
      json.signed.targets[path].length = 1001; // same number of bytes: the signature is what fails
      const altered = JSON.stringify(json);
      assert.equal(altered.length, row.body.length);

      const foreign = generateTufKeys().targets;
      const resigned = Metadata.fromJSON(MetadataKind.Targets, JSON.parse(altered));
      resigned.sign(
        (bytes) =>
          new Signature({ keyID: foreign.keyId, sig: sign(null, bytes, foreign.privateKey).toString("hex") }),
        false,
      );
      const foreignBody = JSON.stringify(resigned.toJSON());

      for (const body of [altered, foreignBody]) {
        await db
          .updateTable("tuf_metadata")
          .set({ body })
          .where("role", "=", "targets")
          .where("version", "=", row.version)
          .execute();
        tuf().reload();
        assert.equal(await (await served("targets.json")).text(), body);
        await assert.rejects(updater(freshClientDir()).refresh(), /targets was signed by 0\/1 keys/);
      }

      // The next refresh notices the signed targets no longer match the catalogue and signs them anew.
      assert.equal(await tuf().refresh(), true);
      const { client, targetsVersion } = await clientView(freshClientDir());
      assert.equal(targetsVersion, row.version + 1);
      assert.equal((await client.getTargetInfo(path))?.length, 1000);
    });

    describe("with a second node on the same database", () => {
      let node: Upkeep;
      before(async () => {
        node = await openUpkeep(loadConfig(t.environment.env), { clock: t.clock });
      });
      after(() => node.close());

      it("serves the same bytes, and picks up what the other node signed within a second", async () => {
        for (const name of ["root.json", "timestamp.json", "snapshot.json", "targets.json"]) {
          assert.equal(await node.services.tuf.metadata(name), await tuf().metadata(name), name);
        }
        await release("3.0.15.1", Buffer.from("from node one"));
        const signed = await tuf().metadata("targets.json");
        await new Promise((resolve) => setTimeout(resolve, 1100));
        assert.equal(await node.services.tuf.metadata("targets.json"), signed);
      });

      it("lets racing refreshes on both nodes sign one new version", async () => {
        const versionBefore = (await servedJson("targets.json")).signed.version;
        // A change neither node was told of, as after a crash between commit and re-sign.
        await t.upkeep.database.db
          .updateTable("releases")
          .set({ status: "withdrawn" })
          .where("version", "=", "3.0.15.1")
          .execute();
        const results = await Promise.all([
          tuf().refresh(),
          node.services.tuf.refresh(),
          tuf().refresh(),
          node.services.tuf.refresh(),
        ]);
        assert.equal(results.filter(Boolean).length, 1, `one refresh signs: ${results}`);
        tuf().reload();
        assert.equal((await servedJson("targets.json")).signed.version, versionBefore + 1);
        const { client } = await clientView();
        assert.equal(await client.getTargetInfo("HRM/3_0_15_1/update/1cv8.zip"), undefined);
      });

      it("refuses to sign with keys the stored root does not trust", async () => {
        const stranger = createTufRepository({
          db: t.upkeep.database.db,
          clock: t.clock,
          keys: generateTufKeys(),
          listTargets: () => listPublishedTargets(t.upkeep.database.db),
        });
        await assert.rejects(stranger.refresh(), TufKeyMismatchError);
      });
    });
  });
}
