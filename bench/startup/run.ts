/**
 * Start-up benchmark: how long `bin/upkeep serve` takes on an existing data folder until
 * /healthz answers (migrations checked, listening), against a bare node:http server started
 * the same way beside it. Goal: under 1.5 s.
 *
 *   node --import tsx bench/startup/run.ts
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../test/support/ports.ts";
import { waitForHealth } from "../support.ts";

const RUNS = 5;
const GOAL_MS = 1500;
const root = new URL("../../", import.meta.url).pathname;

async function timeStart(args: string[], env: Record<string, string>): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: "ignore",
  });
  try {
    // Polled often: the wait is what is measured.
    await waitForHealth(`http://127.0.0.1:${port}`, child, { intervalMs: 5 });
    return performance.now() - started;
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const dataDir = mkdtempSync(join(tmpdir(), "upkeep-startup-"));
const env = { UPKEEP_DATA_DIR: dataDir, LOG_LEVEL: "warn" };
try {
  await timeStart(["bin/upkeep", "serve"], env); // first start: creates the database and the administrator
  const bare = `require("node:http").createServer((q, s) => s.end('{"status":"ok"}')).listen(Number(process.env.PORT), "127.0.0.1")`;
  const upkeep: number[] = [];
  const baseline: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    upkeep.push(await timeStart(["bin/upkeep", "serve"], env));
    baseline.push(await timeStart(["-e", bare], env));
  }
  const ours = median(upkeep);
  const theirs = median(baseline);
  console.log(
    `upkeep serve on an existing data folder: median ${ours.toFixed(0)} ms (runs: ${upkeep.map((v) => v.toFixed(0)).join(", ")})`,
  );
  console.log(`bare node:http server:                  median ${theirs.toFixed(0)} ms`);
  console.log(`ratio upkeep/bare: ${(ours / theirs).toFixed(1)}x`);
  console.log(`goal: start-up < ${GOAL_MS} ms -> ${ours < GOAL_MS ? "MET" : "NOT MET"}`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
