import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
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

function upkeep(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ["bin/upkeep", ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
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
});
