import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { openUpkeep } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { freePort } from "../support/ports.ts";

const root = new URL("../../", import.meta.url).pathname;

/** Starts `bin/upkeep serve` and resolves once /healthz answers, with everything it printed. */
async function serve(env: Record<string, string>): Promise<{ child: ChildProcess; output: () => string }> {
  let output = "";
  const child = spawn(process.execPath, ["bin/upkeep", "serve"], {
    cwd: root,
    env: { ...process.env, ...env },
  });
  child.stdout!.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr!.on("data", (chunk) => {
    output += chunk;
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}: ${output}`);
    if (Date.now() > deadline) throw new Error(`serve did not answer: ${output}`);
    try {
      if ((await fetch(`http://127.0.0.1:${env.PORT}/healthz`)).ok) return { child, output: () => output };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stop(child: ChildProcess) {
  child.kill("SIGTERM");
  if (child.exitCode === null) await new Promise((r) => child.once("exit", r));
}

/** Runs bin/upkeep to its end; `input` is its standard input (a pipe, never a terminal). */
function upkeep(args: string[], env: Record<string, string>, input = "") {
  return spawnSync(process.execPath, ["bin/upkeep", ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: "utf8",
    input,
  });
}

/** The service over the test's database, while no server runs on it. */
async function withServices<T>(
  env: Record<string, string>,
  work: (upkeep: Awaited<ReturnType<typeof openUpkeep>>) => Promise<T>,
): Promise<T> {
  const opened = await openUpkeep(loadConfig({ ...env, LOG_LEVEL: "silent" }));
  try {
    return await work(opened);
  } finally {
    await opened.close();
  }
}

describe("bin/upkeep on the embedded default", () => {
  let dataDir: string;
  let env: Record<string, string>;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "upkeep-cli-"));
    env = { UPKEEP_DATA_DIR: dataDir, PORT: String(await freePort()), LOG_LEVEL: "warn" };
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it("creates an administrator on first start, prints its password once, and it signs in", async () => {
    const first = await serve(env);
    const match = /administrator "(\S+)" with the password\s+(\S+)/.exec(first.output());
    assert.ok(match, first.output());
    const [, login, password] = match;
    const token = await fetch(`http://127.0.0.1:${env.PORT}/api/v1/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ login, password }),
    });
    assert.equal(token.status, 201);
    await stop(first.child);

    const second = await serve(env);
    assert.doesNotMatch(second.output(), /password/, "the password is shown only on the first start");
    await stop(second.child);
  });

  it("adds users straight to the database and explains bad input", async () => {
    const added = upkeep(
      ["user", "add", "--login", "ops", "--password", "ops-password-1", "--role", "admin"],
      env,
    );
    assert.equal(added.status, 0, added.stderr);
    assert.match(added.stdout, /Added admin ops/);

    const again = upkeep(["user", "add", "--login", "OPS", "--password", "ops-password-1"], env);
    assert.notEqual(again.status, 0);
    assert.match(again.stderr, /taken/);

    const badRole = upkeep(
      ["user", "add", "--login", "x1", "--password", "ops-password-1", "--role", "king"],
      env,
    );
    assert.notEqual(badRole.status, 0);
    assert.match(badRole.stderr, /Choose one of admin, support, partner, user/);

    const weak = upkeep(["user", "add", "--login", "x2", "--password", "short"], env);
    assert.notEqual(weak.status, 0);
    assert.match(weak.stderr, /password/);

    const server = await serve(env);
    const token = await fetch(`http://127.0.0.1:${env.PORT}/api/v1/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ login: "ops", password: "ops-password-1" }),
    });
    assert.equal(token.status, 201);
    await stop(server.child);
  });

  it("reads the password from standard input when --password is left out", async () => {
    const added = upkeep(["user", "add", "--login", "piped", "--role", "support"], env, "piped-password-1\n");
    assert.equal(added.status, 0, added.stderr);
    assert.match(added.stdout, /Added support piped/);
    assert.doesNotMatch(added.stdout + added.stderr, /piped-password-1/, "the password is not shown");

    const none = upkeep(["user", "add", "--login", "nopass"], env, "");
    assert.equal(none.status, 2, none.stderr);
    assert.match(none.stderr, /No password: .*standard input.*--password/);
    const empty = upkeep(["user", "add", "--login", "emptypass"], env, "\n");
    assert.equal(empty.status, 2, empty.stderr);
    const short = upkeep(["user", "add", "--login", "shortpass"], env, "short\n");
    assert.equal(short.status, 2, short.stderr);
    assert.match(short.stderr, /A password has 8 to 256 characters/);

    await withServices(env, async ({ services }) => {
      const user = await services.accounts.authenticate("piped", "piped-password-1");
      assert.equal(user.role, "support");
      for (const login of ["nopass", "emptypass", "shortpass"]) {
        assert.equal(await services.accounts.findByLogin(login), null, login);
      }
    });
  });

  it("counts issued registration numbers in agreeing words", async () => {
    await withServices(env, async ({ services }) => {
      await services.catalogue.createConfiguration(
        { code: "ACC", name: "Accounting", kind: "configuration" },
        null,
      );
      await services.catalogue.createProduct(
        { code: "ACC-BASIC", name: "Accounting basic", edition: "basic", configurations: ["ACC"] },
        null,
      );
    });
    for (const [count, words] of [
      [1, "1 registration number of"],
      [2, "2 registration numbers of"],
    ] as const) {
      const csv = join(dataDir, `envelopes-${count}.csv`);
      const issued = upkeep(
        ["pins", "issue", "--product", "ACC-BASIC", "--count", String(count), "--csv", csv],
        env,
      );
      assert.equal(issued.status, 0, issued.stderr);
      assert.match(issued.stdout, new RegExp(`^Issued ${words} ACC-BASIC with PINs; envelopes in `));
      assert.equal(
        readFileSync(csv, "utf8").trim().split("\n").length,
        count + 1,
        "a header and a line per number",
      );
    }
  });

  it("issues electronic deliveries dated today or with --purchase-date, and refuses a date in the future", async () => {
    const { openUpkeep } = await import("../../src/app.ts");
    const { loadConfig } = await import("../../src/config.ts");
    const opened = await openUpkeep(loadConfig(env));
    try {
      const at = "2026-01-01T00:00:00Z";
      await opened.database.db
        .insertInto("configurations")
        .values({
          code: "ENT",
          name: "Ent",
          kind: "configuration",
          vendor: "v",
          program_name: null,
          revision: 0,
          created_at: at,
        })
        .execute();
      await opened.database.db
        .insertInto("products")
        .values({
          code: "ENT-PROF6",
          name: "Ent PROF",
          edition: "prof",
          free_support_months: 6,
          created_at: at,
        })
        .execute();
    } finally {
      await opened.close();
    }
    const issue = (csv: string, extra: string[]) =>
      upkeep(
        [
          "pins",
          "issue",
          "--product",
          "ENT-PROF6",
          "--count",
          "1",
          "--vendor-registered",
          "--csv",
          join(dataDir, csv),
          ...extra,
        ],
        env,
      );
    const numberIn = (csv: string) =>
      readFileSync(join(dataDir, csv), "utf8").split(/\r\n/)[1]!.split(",")[0]!;

    const future = issue("future.csv", ["--purchase-date", "2999-01-01"]);
    assert.equal(future.status, 2, future.stderr);
    assert.match(future.stderr, /purchaseDate cannot be later than today .*\(invalid_date\)/);
    assert.equal(existsSync(join(dataDir, "future.csv")), false, "no envelope file for nothing issued");
    const early = issue("early.csv", ["--purchase-date", "1990-06-01"]);
    assert.equal(early.status, 2, early.stderr);

    const dated = issue("dated.csv", ["--purchase-date", "2025-03-01"]);
    assert.equal(dated.status, 0, dated.stderr);
    const today = issue("today.csv", []);
    assert.equal(today.status, 0, today.stderr);
    const reopened = await openUpkeep(loadConfig(env));
    try {
      const purchaseDate = async (csv: string) =>
        await reopened.database.db
          .selectFrom("registration_numbers")
          .select(["purchase_date", "issued_at"])
          .where("number", "=", numberIn(csv))
          .executeTakeFirstOrThrow();
      assert.equal((await purchaseDate("dated.csv")).purchase_date, "2025-03-01");
      const issuedToday = await purchaseDate("today.csv");
      assert.equal(issuedToday.purchase_date, issuedToday.issued_at.slice(0, 10));
    } finally {
      await reopened.close();
    }
  });
});

describe("bin/upkeep partner accounts and PIN envelopes", () => {
  let dataDir: string;
  let env: Record<string, string>;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), "upkeep-pins-cli-"));
    env = { UPKEEP_DATA_DIR: dataDir, LOG_LEVEL: "warn" };
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  const run = (args: string[]) => upkeep(args, env);

  const addPartnerUser = (login: string, extra: string[] = []) =>
    run(["user", "add", "--login", login, "--password", "partner-pass-1", "--role", "partner", ...extra]);

  it("adds a partner account, creating the partner, and issues envelopes into a CSV", async () => {
    const added = addPartnerUser("alpha-sales", ["--partner", "Alpha"]);
    assert.equal(added.status, 0, added.stderr);
    assert.match(added.stdout, /^Added partner Alpha\.$/m);
    const second = addPartnerUser("alpha-2", ["--partner", "Alpha"]);
    assert.equal(second.status, 0, second.stderr);
    assert.doesNotMatch(second.stdout, /^Added partner Alpha\.$/m);
    const missing = addPartnerUser("alpha-3");
    assert.notEqual(missing.status, 0);

    await withServices(env, async (opened) => {
      const users = await opened.database.db
        .selectFrom("users")
        .selectAll()
        .where("role", "=", "partner")
        .execute();
      assert.equal(users.length, 2);
      assert.ok(users[0]!.partner_id && users[0]!.partner_id === users[1]!.partner_id);
      await opened.database.db
        .insertInto("configurations")
        .values({
          code: "ACC",
          name: "Acc",
          kind: "configuration",
          vendor: "v",
          program_name: null,
          revision: 0,
          created_at: "2026-01-01T00:00:00Z",
        })
        .execute();
      await opened.database.db
        .insertInto("products")
        .values({
          code: "ACC-BASIC",
          name: "Acc basic",
          edition: "basic",
          free_support_months: 0,
          created_at: "2026-01-01T00:00:00Z",
        })
        .execute();
    });
    const csv = join(dataDir, "envelopes.csv");
    const issued = run([
      "pins",
      "issue",
      "--product",
      "ACC-BASIC",
      "--count",
      "25",
      "--vendor-registered",
      "--csv",
      csv,
    ]);
    assert.equal(issued.status, 0, issued.stderr);
    assert.equal(statSync(csv).mode & 0o777, 0o600);
    const lines = readFileSync(csv, "utf8").trim().split(/\r\n/);
    assert.equal(lines.length, 26);
    assert.match(lines[1]!, /^[0-9]{10},[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{4},ACC-BASIC$/);
    const noPin = run([
      "pins",
      "issue",
      "--product",
      "ACC-BASIC",
      "--count",
      "2",
      "--no-pin",
      "--csv",
      join(dataDir, "plain.csv"),
    ]);
    assert.equal(noPin.status, 0, noPin.stderr);
    assert.match(
      readFileSync(join(dataDir, "plain.csv"), "utf8").trim().split(/\r\n/)[1]!,
      /^[0-9]{10},,ACC-BASIC$/,
    );
    // An existing file is never overwritten, and nothing is issued then.
    const again = run(["pins", "issue", "--product", "ACC-BASIC", "--count", "2", "--csv", csv]);
    assert.notEqual(again.status, 0);
  });
});
