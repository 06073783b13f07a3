/**
 * The real client against the real server: an in-process Upkeep (SQLite, temp data folder) listening
 * on a port, and `node bin/upkeep-client ...` run as a child process with its own client home.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline, type Readable, Transform } from "node:stream";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import { openUpkeep, type Upkeep } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { readUpdInfo } from "../../src/formats/onec/upd-info.ts";
import { buildHttpApp } from "../../src/http/app.ts";
import { freePort } from "../support/ports.ts";
import { updatePackage, whatsNewName } from "../support/update-package.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = join(ROOT, "bin", "upkeep-client");
const PASSWORD = "support-password-1";
/** UpdInfo.txt's UpdateDate in the packages. */
const UPDATE_DATE = "2026-10-30";
const DAY = 24 * 60 * 60 * 1000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runClient(home: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, UPKEEP_CLIENT_HOME: home, UPKEEP_PASSWORD: PASSWORD, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (process.env.UPKEEP_E2E_VERBOSE) {
        process.stderr.write(`\n$ upkeep-client ${args.join(" ")}\n[exit ${code}]\n${stdout}${stderr}`);
      }
      resolve({ code, stdout, stderr });
    });
  });
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** `<command> --configuration HRM --version <version, 3.0.10.32 by default>` with the options a test sets. */
function hrmArgs(
  command: string,
  options: { version?: string; server?: string; platform?: string; templates?: string; json?: boolean } = {},
  ...extra: string[]
): string[] {
  return [
    command,
    "--configuration",
    "HRM",
    "--version",
    options.version ?? "3.0.10.32",
    ...(options.server ? ["--server", options.server] : []),
    ...(options.platform ? ["--platform", options.platform] : []),
    ...(options.templates ? ["--templates", options.templates] : []),
    ...(options.json ? ["--json"] : []),
    ...extra,
  ];
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("upkeep-client against a running server", () => {
  let work: string;
  let dataDir: string;
  let upkeep: Upkeep;
  let app: FastifyInstance;
  let server: string;
  let adminToken: string;
  /** Moves the server's clock (to sign metadata that is already expired). */
  let clockOffset = 0;
  /** Milliseconds of delay per chunk the download route streams; 0 = full speed. */
  let throttle = 0;
  /** When set, the server answers /tuf/timestamp.json with these old bytes. */
  let rolledBackTimestamp: string | null = null;
  const releases: Record<string, { id: string; distributionId: string; bytes: Buffer }> = {};
  let home: string;

  async function admin(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${server}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${adminToken}`,
        ...(body !== undefined && !Buffer.isBuffer(body) ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      ...(body !== undefined
        ? { body: Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body) }
        : {}),
    });
    const text = await response.text();
    assert.ok(response.ok, `${method} ${url}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  async function upload(releaseId: string, kind: string, bytes: Buffer, fileName = "1cv8.zip") {
    return admin("PUT", `/api/v1/admin/releases/${releaseId}/distributions/${kind}`, bytes, {
      "content-type": "application/octet-stream",
      "x-filename": fileName,
    }) as Promise<{ id: string; sha256: string }>;
  }

  async function addRelease(
    version: string,
    updateFrom: string[],
    minPlatformVersion: string,
    bytes: Buffer,
  ) {
    const release = await admin("POST", "/api/v1/admin/releases", {
      configuration: "HRM",
      version,
      releasedOn: "2026-11-01",
      updateFrom,
      minPlatformVersion,
      documents: { whatsNew: `* Payroll changes of ${version}.` },
    });
    const distribution = await upload(release.id, "update", bytes);
    await admin("POST", `/api/v1/admin/releases/${release.id}/publish`);
    releases[version] = { id: release.id, distributionId: distribution.id, bytes };
  }

  /**
   * Withdrawing a release and publishing it again changes the signed targets twice: the server signs
   * its metadata anew (by its clock), and the catalogue ends as it was.
   */
  async function resign() {
    const { id } = releases["3.0.11.36"]!;
    await admin("POST", `/api/v1/admin/releases/${id}/withdraw`);
    await admin("POST", `/api/v1/admin/releases/${id}/publish`);
  }

  /**
   * Runs `fn` while the server's clock is a month behind, after it signed metadata that has therefore
   * already expired (and that, by its own clock, it sees no reason to re-sign). The clock is restored after.
   */
  async function atPastClock<T>(fn: () => Promise<T>): Promise<T> {
    clockOffset = -30 * DAY;
    try {
      await resign();
      return await fn();
    } finally {
      clockOffset = 0;
    }
  }

  async function blobPath(distributionId: string): Promise<string> {
    const row = await upkeep.database.db
      .selectFrom("distributions")
      .select("storage_key")
      .where("id", "=", distributionId)
      .executeTakeFirstOrThrow();
    return join(dataDir, "blobs", row.storage_key);
  }

  before(async () => {
    work = mkdtempSync(join(tmpdir(), "upkeep-client-e2e-"));
    dataDir = join(work, "data");
    home = join(work, "home");
    upkeep = await openUpkeep(loadConfig({ UPKEEP_DATA_DIR: dataDir, LOG_LEVEL: "silent" }), {
      clock: { now: () => new Date(Date.now() + clockOffset) },
    });
    // Test hooks on the services the routes call: a slow download stream and a rolled-back timestamp.
    const downloads = upkeep.services.downloads;
    const open = downloads.open.bind(downloads);
    downloads.open = (distribution, range) => {
      const source = open(distribution, range);
      if (throttle === 0) return source;
      const slow = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          setTimeout(() => callback(null, chunk), throttle);
        },
      });
      return pipeline(source, slow, () => undefined) as unknown as Readable;
    };
    const tuf = upkeep.services.tuf;
    const metadata = tuf.metadata.bind(tuf);
    tuf.metadata = async (name: string) =>
      name === "timestamp.json" && rolledBackTimestamp !== null ? rolledBackTimestamp : metadata(name);

    app = await buildHttpApp(upkeep.services, { logLevel: "silent" });
    await app.listen({ port: 0, host: "127.0.0.1" });
    server = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

    const accounts = upkeep.services.accounts;
    const root = await accounts.createUser({
      login: "root-admin",
      password: "admin-password-1",
      role: "admin",
    });
    adminToken = (await accounts.issueToken(root)).token;
    await accounts.createUser({ login: "support-1", password: PASSWORD, role: "support" });
    await accounts.createUser({ login: "plain-user", password: PASSWORD, role: "user" });

    await admin("POST", "/api/v1/admin/configurations", {
      code: "HRM",
      name: "Зарплата и управление персоналом",
      kind: "configuration",
      vendor: "1c",
    });
    // A chain of three packages with the traits of the vendor's (CP866 names, ...), the last one large.
    const chain = [
      {
        version: "3.0.11.36",
        from: ["3.0.10.32", "3.0.10.33", "3.0.11.1", "3.0.11.34"],
        platform: "8.3.4.365",
      },
      { version: "3.0.12.5", from: ["3.0.11.36"], platform: "8.3.5.1068", cfu: randomBytes(64 * 1024) },
      { version: "3.0.13.2", from: ["3.0.12.5"], platform: "8.3.5.1119", cfu: randomBytes(6 * 1024 * 1024) },
    ];
    for (const { version, from, platform, cfu } of chain) {
      const bytes = updatePackage({
        code: "HRM",
        version,
        fromVersions: from,
        updateDate: UPDATE_DATE,
        ...(cfu ? { cfu } : {}),
      });
      await addRelease(version, from, platform, bytes);
    }
  });

  after(async () => {
    await app?.close();
    await upkeep?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("connect: a wrong password is refused; the right one stores a named device token readable only by the user", async () => {
    const wrong = await runClient(home, ["connect", "--server", server, "--login", "support-1"], {
      UPKEEP_PASSWORD: "not-the-password",
    });
    assert.equal(wrong.code, 4, wrong.stderr);
    assert.match(wrong.stderr, /refused the login support-1/);
    assert.ok(!existsSync(join(home, "client.json")));

    const run = await runClient(home, ["connect", "--server", server, "--login", "support-1"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Connected to .* as support-1/);
    const file = join(home, "client.json");
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const config = JSON.parse(readFileSync(file, "utf8"));
    assert.match(config.token, /^upk_/);
    assert.match(config.tokenName, /^upkeep-client@/);
    const tokens = await upkeep.database.db.selectFrom("api_tokens").selectAll().execute();
    assert.ok(tokens.some((t) => (t as { name?: string }).name === config.tokenName));

    const status = await runClient(home, ["status"]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /Account: {2}support-1 \(support\)/);
    assert.match(status.stdout, /Products:/);
  });

  it("check: the three-step chain with sizes, minimum platforms, the platform verdict and the combined what's new", async () => {
    const run = await runClient(home, hrmArgs("check", { platform: "8.3.4.400", json: true }));
    assert.equal(run.code, 0, run.stderr);
    const event = jsonLines(run.stdout).find((e) => e.event === "plan")!;
    const plan = event.plan as {
      status: string;
      steps: { version: string; minPlatformVersion: string; distribution: { size: number } }[];
      platformUpgrade: unknown;
      totalSize: number;
    };
    assert.equal(plan.status, "update-available");
    assert.deepEqual(
      plan.steps.map((s) => s.version),
      ["3.0.11.36", "3.0.12.5", "3.0.13.2"],
    );
    assert.deepEqual(plan.platformUpgrade, { requiredVersion: "8.3.5.1119" });
    assert.equal(
      plan.totalSize,
      Object.values(releases).reduce((sum, r) => sum + r.bytes.length, 0),
    );
    const whatsNew = event.whatsNew as { version: string; whatsNew: string }[];
    assert.deepEqual(
      whatsNew.map((w) => w.whatsNew),
      ["* Payroll changes of 3.0.11.36.", "* Payroll changes of 3.0.12.5.", "* Payroll changes of 3.0.13.2."],
    );

    const human = await runClient(home, hrmArgs("check", { platform: "8.3.4.400" }));
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /1\. 3\.0\.11\.36 .*platform >= 8\.3\.4\.365/);
    assert.match(human.stdout, /3\. 3\.0\.13\.2 {2}6\.0 MB/);
    assert.match(human.stdout, /Platform update needed first: the chain needs platform 8\.3\.5\.1119/);
    assert.match(human.stdout, /## 3\.0\.12\.5\n\* Payroll changes of 3\.0\.12\.5\./);
  });

  it("check: an account without entitlement gets the reason and exit code 3", async () => {
    const userHome = join(work, "home-user");
    const connect = await runClient(userHome, ["connect", "--server", server, "--login", "plain-user"]);
    assert.equal(connect.code, 0, connect.stderr);
    const run = await runClient(userHome, hrmArgs("check"));
    assert.equal(run.code, 3, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stderr, /403 not_registered: HRM is not in your registered products/);

    // Registered (a PROF product, no free months, no subscription): the plan shows, the download may not.
    await admin("POST", "/api/v1/admin/products", {
      code: "HRM-PROF",
      name: "HRM PROF",
      edition: "prof",
      configurations: ["HRM"],
      freeSupportMonths: 0,
    });
    const issued = await admin("POST", "/api/v1/admin/registration-numbers", {
      product: "HRM-PROF",
      count: 1,
      pin: false,
      vendorRegistered: true,
    });
    // PIN registration of a PROF number needs a subscription, so the authorisation is written directly.
    const { registrationNumber } = issued.items[0];
    const user = await upkeep.database.db
      .selectFrom("users")
      .select("id")
      .where("login", "=", "plain-user")
      .executeTakeFirstOrThrow();
    await upkeep.database.changes.transaction(async (trx, changed) => {
      await trx
        .insertInto("authorizations")
        .values({
          registration_number: registrationNumber,
          user_id: user.id,
          method: "pin",
          partner_id: null,
          created_at: new Date().toISOString(),
        })
        .execute();
      changed("holdings", user.id);
    });
    const status = await runClient(userHome, ["status"]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, new RegExp(`${registrationNumber} {2}HRM-PROF \\(prof\\)`));

    const plan = await runClient(userHome, hrmArgs("check", { json: true }));
    assert.equal(plan.code, 3, plan.stderr);
    const events = jsonLines(plan.stdout);
    const download = (
      events.find((e) => e.event === "plan")!.plan as { download: { allowed: boolean; code: string } }
    ).download;
    assert.equal(download.allowed, false);
    const refusal = events.find((e) => e.event === "not-allowed")!;
    assert.equal(refusal.code, download.code);
    const human = await runClient(userHome, hrmArgs("check"));
    assert.equal(human.code, 3);
    assert.match(human.stdout, /Steps \(3\):/);
    assert.match(human.stdout, new RegExp(`may not download updates of HRM: ${download.code}: `));

    const templates = join(work, "tmplts-user");
    const fetchRun = await runClient(userHome, hrmArgs("download", { templates }));
    assert.equal(fetchRun.code, 3, fetchRun.stderr);
    assert.deepEqual(filesUnder(templates), []);
  });

  it("download: killed midway, it resumes with a Range request and installs the chain in the templates layout", async () => {
    const templates = join(work, "tmplts");
    throttle = 25;
    const child = spawn(process.execPath, [BIN, ...hrmArgs("download", { templates })], {
      cwd: ROOT,
      env: { ...process.env, UPKEEP_CLIENT_HOME: home },
      stdio: "ignore",
    });
    const exited = new Promise((resolve) => child.on("close", resolve));
    let part: string | undefined;
    for (let i = 0; i < 400 && !part; i++) {
      await sleep(50);
      part = filesUnder(join(home, "downloads")).find(
        (f) => f.endsWith(".part") && f.includes("3_0_13_2") && statSync(f).size > 1024 * 1024,
      );
    }
    assert.ok(part, "the large download started");
    child.kill("SIGKILL");
    await exited;
    throttle = 0;
    const partial = statSync(part).size;
    assert.ok(partial < releases["3.0.13.2"]!.bytes.length);
    assert.deepEqual(filesUnder(templates), [], "nothing is installed before every file is verified");

    const run = await runClient(home, hrmArgs("download", { templates }));
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /3\.0\.13\.2: resuming at/);
    assert.match(run.stdout, /Installed 3\.0\.13\.2 into /);

    const log = await upkeep.database.db
      .selectFrom("download_log")
      .selectAll()
      .where("distribution_id", "=", releases["3.0.13.2"]!.distributionId)
      .execute();
    const resumed = log.find((row) => row.status === 206);
    assert.ok(resumed, `a 206 in ${JSON.stringify(log)}`);
    const start = Number(resumed.range!.split("-")[0]);
    assert.ok(start > 0 && start <= partial, `resumed at ${start}, had ${partial}`);

    // The layout: <tmplts>/<vendor>/<CODE>/<x_y_z_w>/ with the unpacked package.
    assert.deepEqual(readdirSync(join(templates, "1c", "HRM")).sort(), ["3_0_11_36", "3_0_12_5", "3_0_13_2"]);
    const real = readdirSync(join(templates, "1c", "HRM", "3_0_11_36"));
    for (const name of ["1cv8.cfu", "1cv8.mft", "1cv8upd.htm", "UpdInfo.txt"])
      assert.ok(real.includes(name), name);
    assert.ok(
      real.includes(whatsNewName("3.0.11.36")),
      `the what's new page, its CP866 name decoded: ${real}`,
    );
    assert.equal(
      readUpdInfo(readFileSync(join(templates, "1c", "HRM", "3_0_11_36", "UpdInfo.txt"))).version,
      "3.0.11.36",
    );
    const big = readFileSync(join(templates, "1c", "HRM", "3_0_13_2", "1cv8.cfu"));
    assert.equal(big.length, 6 * 1024 * 1024);
    assert.ok(
      releases["3.0.13.2"]!.bytes.includes(big.subarray(0, 4096)),
      "the .cfu bytes came from the package",
    );
    assert.deepEqual(filesUnder(join(home, "downloads")), [], "no partial or downloaded file is left behind");
    assert.ok(!readdirSync(join(templates, "1c", "HRM")).some((name) => name.startsWith(".")));
  });

  it("templates: lists the folders offline and the chain the same planner allows", async () => {
    const templates = join(work, "tmplts");
    const offline = join(work, "home-offline");
    const run = await runClient(offline, hrmArgs("templates", { templates, json: true }));
    assert.equal(run.code, 0, run.stderr);
    const event = jsonLines(run.stdout).find((e) => e.event === "templates")!;
    const folders = event.folders as { version: string; fromVersions: string[]; updateDate: string }[];
    assert.deepEqual(
      folders.map((f) => f.version),
      ["3.0.11.36", "3.0.12.5", "3.0.13.2"],
    );
    assert.equal(folders[0]!.updateDate, UPDATE_DATE);
    const plan = event.plan as { status: string; steps: { version: string }[] };
    assert.equal(plan.status, "update-available");
    assert.deepEqual(
      plan.steps.map((s) => s.version),
      ["3.0.11.36", "3.0.12.5", "3.0.13.2"],
    );

    const fromMiddle = await runClient(offline, hrmArgs("templates", { version: "3.0.11.36", templates }));
    assert.equal(fromMiddle.code, 0);
    assert.match(fromMiddle.stdout, /Chain from 3\.0\.11\.36 to 3\.0\.13\.2 \(2 steps\)/);
    const unknown = await runClient(offline, hrmArgs("templates", { version: "2.0.0.1", templates }));
    assert.equal(unknown.code, 1);
    assert.match(unknown.stdout, /No chain of templates leads from 2\.0\.0\.1/);
  });

  it("update: refuses a chain that needs a newer platform than --platform, before backing up or applying", async () => {
    const templates = join(work, "tmplts");
    // download recorded each release's minimum platform beside its UpdInfo.txt.
    assert.deepEqual(
      JSON.parse(readFileSync(join(templates, "1c", "HRM", "3_0_13_2", "upkeep.json"), "utf8")),
      { minPlatformVersion: "8.3.5.1119" },
    );
    const applied = join(work, "applied-old-platform.txt");
    const backupMarker = join(work, "backup-old-platform.done");
    const run = await runClient(
      join(work, "home-offline"),
      hrmArgs(
        "update",
        { templates, platform: "8.3.4.400" },
        "--backup-cmd",
        `touch ${backupMarker}`,
        "--apply-cmd",
        `sh -c 'echo "$1" >> ${applied}' apply`,
      ),
    );
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stderr,
      /Update the platform to 8\.3\.5\.1119 first \(installed 8\.3\.4\.400\); nothing was applied/,
    );
    assert.ok(!existsSync(backupMarker), "no backup ran");
    assert.ok(!existsSync(applied), "no step ran");
    assert.ok(!existsSync(join(templates, "upkeep-update-log.json")), "nothing to log");

    const templatesRun = await runClient(
      join(work, "home-offline"),
      hrmArgs("templates", { templates, platform: "8.3.4.400" }),
    );
    assert.equal(templatesRun.code, 0, templatesRun.stderr);
    assert.match(templatesRun.stdout, /The chain needs platform 8\.3\.5\.1119 \(installed 8\.3\.4\.400\)/);
  });

  it("update: a failing backup applies nothing; then every step is applied in order and logged", async () => {
    const templates = join(work, "tmplts");
    const applied = join(work, "applied.txt");
    const applyCmd = `sh -c 'echo "$1 $2 $UPKEEP_STEP_VERSION $UPKEEP_STEP_FROM" >> ${applied}' apply`;
    const common = hrmArgs("update", { templates }, "--apply-cmd", applyCmd);
    const failed = await runClient(join(work, "home-offline"), [...common, "--backup-cmd", "exit 7"]);
    assert.notEqual(failed.code, 0);
    assert.match(failed.stderr, /backup failed \(exit code 7\); nothing was applied/);
    assert.ok(!existsSync(applied), "no step ran");

    const backupMarker = join(work, "backup.done");
    const ok = await runClient(join(work, "home-offline"), [
      ...common,
      "--backup-cmd",
      `touch ${backupMarker}`,
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.ok(existsSync(backupMarker));
    const lines = readFileSync(applied, "utf8").trim().split("\n");
    assert.deepEqual(lines, [
      `${join(templates, "1c", "HRM", "3_0_11_36")} 3.0.11.36 3.0.11.36 3.0.10.32`,
      `${join(templates, "1c", "HRM", "3_0_12_5")} 3.0.12.5 3.0.12.5 3.0.11.36`,
      `${join(templates, "1c", "HRM", "3_0_13_2")} 3.0.13.2 3.0.13.2 3.0.12.5`,
    ]);
    const log = JSON.parse(readFileSync(join(templates, "upkeep-update-log.json"), "utf8"));
    assert.deepEqual(
      log.map((entry: { result: string }) => entry.result),
      ["backup-failed", "applied"],
    );
    assert.deepEqual(
      log[1].steps.map((s: { version: string }) => s.version),
      ["3.0.11.36", "3.0.12.5", "3.0.13.2"],
    );
  });

  it("a tampered blob is refused with the reason, and nothing is installed", async () => {
    const templates = join(work, "tmplts-tampered");
    const blob = await blobPath(releases["3.0.12.5"]!.distributionId);
    const original = readFileSync(blob);
    const tampered = Buffer.from(original);
    tampered[tampered.length - 100] = tampered[tampered.length - 100]! ^ 0xff;
    writeFileSync(blob, tampered);
    try {
      const run = await runClient(home, hrmArgs("download", { templates, json: true }));
      assert.equal(run.code, 6, run.stderr);
      assert.match(
        run.stderr,
        /Refused: the downloaded HRM\/3_0_12_5\/update\/1cv8\.zip does not match the signed metadata/,
      );
      assert.match(run.stderr, /Nothing was installed/);
      assert.ok(jsonLines(run.stdout).some((e) => e.event === "refused"));
      assert.deepEqual(filesUnder(templates), [], "nothing installed");
      assert.ok(
        !filesUnder(join(home, "downloads")).some((f) => f.includes("3_0_12_5")),
        "the bad bytes are gone",
      );
    } finally {
      writeFileSync(blob, original);
    }
  });

  it("expired metadata is refused, and so is a rolled-back timestamp", async () => {
    const templates = join(work, "tmplts-expired");
    const before = await (await fetch(`${server}/tuf/timestamp.json`)).text();
    const expired = await atPastClock(() => runClient(home, hrmArgs("download", { templates })));
    assert.equal(expired.code, 6, expired.stderr);
    assert.match(expired.stderr, /has expired/);
    assert.deepEqual(filesUnder(templates), []);

    // A fresh signature, then the server hands out the older timestamp again.
    await resign();
    const refreshed = await runClient(home, hrmArgs("download", { version: "3.0.12.5", templates }));
    assert.equal(refreshed.code, 0, refreshed.stderr);
    rolledBackTimestamp = before;
    try {
      const rolledBack = await runClient(
        home,
        hrmArgs("download", { templates: join(work, "tmplts-rollback") }),
      );
      assert.equal(rolledBack.code, 6, rolledBack.stderr);
      assert.match(rolledBack.stderr, /rollback|older than what this client already trusts/);
      assert.deepEqual(filesUnder(join(work, "tmplts-rollback")), []);
    } finally {
      rolledBackTimestamp = null;
    }
  });

  it("mirror: copies what the account may download; a machine without network installs from file://", async () => {
    const out = join(work, "mirror");
    const run = await runClient(home, ["mirror", "--out", out]);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(existsSync(join(out, "mirror.json")));
    assert.match(
      run.stdout,
      /signed metadata expires at \d{4}-\d\d-\d\dT.*refreshed: run upkeep-client mirror --out .* again/,
    );
    for (const name of ["root.json", "1.root.json", "timestamp.json", "snapshot.json", "targets.json"]) {
      assert.ok(existsSync(join(out, "tuf", name)), name);
    }
    const copy = readFileSync(join(out, "tuf", "targets", "HRM", "3_0_13_2", "update", "1cv8.zip"));
    assert.equal(
      createHash("sha256").update(copy).digest("hex"),
      createHash("sha256").update(releases["3.0.13.2"]!.bytes).digest("hex"),
    );

    const offlineHome = join(work, "home-mirror");
    const templates = join(work, "tmplts-mirror");
    const mirrorUrl = `file://${out}`;
    const check = await runClient(offlineHome, hrmArgs("check", { server: mirrorUrl, json: true }));
    assert.equal(check.code, 0, check.stderr);
    const plan = jsonLines(check.stdout).find((e) => e.event === "plan")!.plan as {
      steps: { version: string }[];
    };
    assert.deepEqual(
      plan.steps.map((s) => s.version),
      ["3.0.11.36", "3.0.12.5", "3.0.13.2"],
    );
    const download = await runClient(offlineHome, hrmArgs("download", { server: mirrorUrl, templates }));
    assert.equal(download.code, 0, download.stderr);
    assert.deepEqual(readdirSync(join(templates, "1c", "HRM")).sort(), ["3_0_11_36", "3_0_12_5", "3_0_13_2"]);

    // `connect` to a mirror makes it the default source; no login is needed.
    const diskHome = join(work, "home-disk");
    const connect = await runClient(diskHome, ["connect", "--server", mirrorUrl]);
    assert.equal(connect.code, 0, connect.stderr);
    assert.match(connect.stdout, /Using the mirror file:\/\//);
    const diskCheck = await runClient(diskHome, hrmArgs("check", { version: "3.0.12.5" }));
    assert.equal(diskCheck.code, 0, diskCheck.stderr);
    assert.match(diskCheck.stdout, /update available to 3\.0\.13\.2/);
    assert.match(diskCheck.stdout, /## 3\.0\.13\.2\n\* Payroll changes of 3\.0\.13\.2\./);

    // A tampered file in the mirror is refused just the same.
    const tamperedTemplates = join(work, "tmplts-mirror-tampered");
    const target = join(out, "tuf", "targets", "HRM", "3_0_12_5", "update", "1cv8.zip");
    const bytes = readFileSync(target);
    bytes[10] = bytes[10]! ^ 0xff;
    writeFileSync(target, bytes);
    const refused = await runClient(
      offlineHome,
      hrmArgs("download", { server: mirrorUrl, templates: tamperedTemplates }),
    );
    assert.equal(refused.code, 6, refused.stderr);
    assert.deepEqual(filesUnder(tamperedTemplates), []);
  });

  it("a vendor that would leave the templates directory is refused (mirror.json or the API), nothing written", async () => {
    // A tampered mirror: the signed files are intact, only the unsigned mirror.json names another vendor.
    const evilMirror = join(work, "mirror-evil");
    cpSync(join(work, "mirror"), evilMirror, { recursive: true });
    const index = JSON.parse(readFileSync(join(evilMirror, "mirror.json"), "utf8"));
    for (const configuration of index.configurations) configuration.vendor = "../../escaped";
    writeFileSync(join(evilMirror, "mirror.json"), JSON.stringify(index));
    const templates = join(work, "evil", "tmplts");
    const run = await runClient(
      join(work, "home-evil"),
      hrmArgs("download", { server: `file://${evilMirror}`, templates }),
    );
    assert.equal(run.code, 6, `${run.stdout}\n${run.stderr}`);
    assert.match(
      run.stderr,
      /Refused: the vendor "\.\.\/\.\.\/escaped" given by the mirror's mirror\.json is not a safe folder name/,
    );
    assert.ok(!existsSync(join(work, "evil")), "not even the templates directory was created");
    assert.ok(!existsSync(join(work, "escaped")), "nothing was unpacked outside the templates directory");

    // The same vendor from the server's (unsigned) JSON.
    await upkeep.database.db
      .updateTable("configurations")
      .set({ vendor: "../../escaped" })
      .where("code", "=", "HRM")
      .execute();
    try {
      const online = await runClient(home, hrmArgs("download", { templates }));
      assert.equal(online.code, 6, `${online.stdout}\n${online.stderr}`);
      assert.match(
        online.stderr,
        /Refused: the vendor "\.\.\/\.\.\/escaped" given by the server .* is not a safe/,
      );
    } finally {
      await upkeep.database.db
        .updateTable("configurations")
        .set({ vendor: "1c" })
        .where("code", "=", "HRM")
        .execute();
    }
    assert.ok(!existsSync(join(work, "evil")));
    assert.ok(!existsSync(join(work, "escaped")));
  });

  it("an expired mirror is refused with the advice to refresh it with upkeep-client mirror", async () => {
    const expiredMirror = join(work, "mirror-expired");
    cpSync(join(work, "mirror"), expiredMirror, { recursive: true });
    // Metadata the server signed a month ago (its clock behind): validly signed, but expired.
    await atPastClock(async () => {
      for (const name of ["timestamp.json", "snapshot.json", "targets.json"]) {
        const response = await fetch(`${server}/tuf/${name}`);
        assert.equal(response.status, 200, name);
        writeFileSync(join(expiredMirror, "tuf", name), Buffer.from(await response.arrayBuffer()));
      }
    });
    // The server signs afresh for everyone else.
    await resign();

    const templates = join(work, "tmplts-mirror-expired");
    const run = await runClient(
      join(work, "home-mirror-expired"),
      hrmArgs("download", { server: `file://${expiredMirror}`, templates }),
    );
    assert.equal(run.code, 6, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stderr, /the mirror .*mirror-expired has expired/);
    assert.match(
      run.stderr,
      /must be refreshed: on a machine connected to the update server run `upkeep-client mirror --out <folder>`/,
    );
    assert.deepEqual(filesUnder(templates), []);
  });

  it("a file configuration's update is placed as one file in the version's folder", async () => {
    await admin("POST", "/api/v1/admin/configurations", {
      code: "TOOLS",
      name: "Tools",
      kind: "configuration",
      vendor: "acme",
      packageFormat: "file",
    });
    const installers: Record<string, Buffer> = {};
    for (const [version, updateFrom] of [
      ["1.0.0.0", []],
      ["1.0.1.0", ["1.0.0.0"]],
    ] as const) {
      const release = await admin("POST", "/api/v1/admin/releases", {
        configuration: "TOOLS",
        version,
        releasedOn: "2026-11-01",
        updateFrom,
      });
      installers[version] = randomBytes(20_000);
      await upload(release.id, "update", installers[version], `tools-${version}.exe`);
      await admin("POST", `/api/v1/admin/releases/${release.id}/publish`);
    }
    const templates = join(work, "tmplts-tools");
    const args = ["download", "--configuration", "TOOLS", "--version", "1.0.0.0", "--templates", templates];
    const run = await runClient(home, args);
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    const folder = join(templates, "acme", "TOOLS", "1_0_1_0");
    assert.deepEqual(readdirSync(folder), ["tools-1.0.1.0.exe"]);
    assert.deepEqual(readFileSync(join(folder, "tools-1.0.1.0.exe")), installers["1.0.1.0"]);
    assert.deepEqual(
      readdirSync(join(templates, "acme", "TOOLS")),
      ["1_0_1_0"],
      "nothing half-installed beside",
    );

    const again = await runClient(home, args);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /Every step is already in the templates directory/);
  });

  it("a release without its update file yet is named plainly, with exit code 7, and nothing is installed", async () => {
    // 1.0.2.0 is published with its full distribution only: the chain 1.0.1.0 -> 1.0.3.0 passes through it.
    for (const [version, updateFrom, kind] of [
      ["1.0.2.0", ["1.0.1.0"], "full"],
      ["1.0.3.0", ["1.0.2.0"], "update"],
    ] as const) {
      const release = await admin("POST", "/api/v1/admin/releases", {
        configuration: "TOOLS",
        version,
        releasedOn: "2026-11-01",
        updateFrom,
      });
      await upload(release.id, kind, randomBytes(1000), `tools-${version}.exe`);
      await admin("POST", `/api/v1/admin/releases/${release.id}/publish`);
    }
    const templates = join(work, "tmplts-tools-missing");
    const message = /Release 1\.0\.2\.0 of TOOLS has no update file yet.*ask the vendor or try again later/;
    const options = ["--configuration", "TOOLS", "--version", "1.0.1.0"];
    const check = await runClient(home, ["check", ...options]);
    assert.equal(check.code, 7, check.stderr);
    assert.match(check.stdout, message);
    for (const command of [
      ["download", ...options, "--templates", templates],
      [
        "update",
        ...options,
        "--templates",
        templates,
        "--download",
        "--backup-cmd",
        "true",
        "--apply-cmd",
        "true",
      ],
    ]) {
      const run = await runClient(home, command);
      assert.equal(run.code, 7, `${command[0]}: ${run.stdout}\n${run.stderr}`);
      assert.match(run.stderr, message);
      assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
      assert.deepEqual(filesUnder(templates), []);
    }
    const json = await runClient(home, ["download", ...options, "--templates", templates, "--json"]);
    const error = jsonLines(json.stdout).find((line) => line.event === "error");
    assert.equal(error?.code, "update_missing");
  });

  it("an unreachable server gives exit code 5 and installs nothing", async () => {
    const port = await freePort();
    const dead = `http://127.0.0.1:${port}`;
    const connect = await runClient(join(work, "home-dead"), [
      "connect",
      "--server",
      dead,
      "--login",
      "support-1",
    ]);
    assert.equal(connect.code, 5, connect.stderr);
    assert.match(connect.stderr, /Cannot reach the update server/);

    // A connected client whose server went away.
    const deadHome = join(work, "home-dead2");
    mkdirSync(deadHome, { recursive: true });
    const config = JSON.parse(readFileSync(join(home, "client.json"), "utf8"));
    writeFileSync(join(deadHome, "client.json"), JSON.stringify({ ...config, server: dead }), {
      mode: 0o600,
    });
    const templates = join(work, "tmplts-dead");
    const run = await runClient(deadHome, hrmArgs("download", { templates }));
    assert.equal(run.code, 5, run.stderr);
    assert.match(run.stderr, /Cannot reach the update server .*ECONNREFUSED/);
    assert.deepEqual(filesUnder(templates), []);
  });

  it("a revoked token asks to reconnect (exit 4); disconnect revokes the token and forgets it", async () => {
    const token = JSON.parse(readFileSync(join(home, "client.json"), "utf8")).token as string;
    const revoke = await fetch(`${server}/api/v1/auth/token`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(revoke.status, 204);
    const run = await runClient(home, hrmArgs("check"));
    assert.equal(run.code, 4, run.stderr);
    assert.match(run.stderr, /refused the saved token/);
    assert.match(run.stderr, /Connect again: upkeep-client connect --server/);

    const again = await runClient(home, ["connect", "--server", server, "--login", "support-1"]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /signing keys already trusted/);
    const fresh = JSON.parse(readFileSync(join(home, "client.json"), "utf8")).token as string;
    const disconnect = await runClient(home, ["disconnect"]);
    assert.equal(disconnect.code, 0, disconnect.stderr);
    assert.match(disconnect.stdout, /the device token was revoked/);
    assert.ok(!existsSync(join(home, "client.json")));
    const me = await fetch(`${server}/api/v1/me`, { headers: { authorization: `Bearer ${fresh}` } });
    assert.equal(me.status, 401);
    const after = await runClient(home, ["status"]);
    assert.equal(after.code, 4);
    assert.match(after.stderr, /not connected/);
  });
});
