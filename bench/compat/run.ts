/**
 * 1C compatibility benchmark: `POST /update-platform/programs/update/info` and the legacy feed's
 * `GET /1c/<CODE>/<edition>/<line>/UpdInfo.txt`, against the JSON plan route
 * (`POST /api/v1/updates/plan`) asked the same questions in the same run, over 1,000
 * configurations of 200 published releases each (each with its update file). Goal: the p99 of
 * each within 1.5 times the plan route's.
 *
 *   npm run bench:compat
 *   BENCH_CONFIGURATIONS=100 BENCH_RELEASES=50 BENCH_DURATION=3 npm run bench:compat   # a quick run
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:compat      # on PostgreSQL
 *
 * The three kinds of request alternate round by round, so a change in the shared machine's load
 * touches all three; the ratio is taken over the rounds' worst p99s (each round is printed too).
 * Every configuration is asked once before the rounds (caches warm, as on a live service). The
 * plan route is asked with one staff token (its entitlement decision is kept, as a returning
 * user's is); the update service needs none, the feed file neither.
 *
 * Options (environment): BENCH_CONFIGURATIONS (1000), BENCH_RELEASES (200), BENCH_ROUNDS (3),
 * BENCH_DURATION (seconds per round and kind, 5), BENCH_CONNECTIONS (32), BENCH_THREADS (2),
 * BENCH_REQUESTS (distinct requests in the rotation, 20000). The load generator is wrk
 * (installed with apt-get when missing), a separate process. Prints figures; never fails on time.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Kysely, sql } from "kysely";
import { openUpkeep } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import type { Database } from "../../src/db/schema.ts";
import { versionSortKey } from "../../src/domain/version.ts";
import { buildHttpApp } from "../../src/http/app.ts";
import { createPostgresDatabase } from "../../test/support/postgres.ts";
import { ensureDebianPackage, randomGenerator } from "../support.ts";

const HERE = dirname(fileURLToPath(import.meta.url));
const CONFIGURATIONS = Number(process.env.BENCH_CONFIGURATIONS ?? 1000);
const RELEASES = Number(process.env.BENCH_RELEASES ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const THREADS = Number(process.env.BENCH_THREADS ?? 2);
const DISTINCT_REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20_000);
const GOAL_RATIO = 1.5;

const random = randomGenerator(1_1984);
const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));

async function insertBatched(db: Kysely<Database>, table: keyof Database, rows: readonly object[]) {
  for (let t = 0; t < rows.length; t += 10_000) {
    const slice = rows.slice(t, t + 10_000);
    await db.transaction().execute(async (trx) => {
      for (let s = 0; s < slice.length; s += 500) {
        await trx
          .insertInto(table)
          .values(slice.slice(s, s + 500) as never)
          .execute();
      }
    });
  }
}

/** Configurations C0000... of RELEASES published releases `1.0.<minor>.<build>`, each updating from the 1-3 before it. */
async function seed(db: Kysely<Database>): Promise<Map<string, string[]>> {
  const createdAt = new Date().toISOString();
  const versions = new Map<string, string[]>();
  const configurations: object[] = [];
  const releases: object[] = [];
  const distributions: object[] = [];
  for (let c = 0; c < CONFIGURATIONS; c++) {
    const code = `C${String(c).padStart(4, "0")}`;
    configurations.push({
      code,
      name: `Configuration ${code}`,
      kind: "configuration",
      vendor: "1c",
      program_name: `Программа${code}`,
      revision: 1,
      created_at: createdAt,
      package_format: "1c",
    });
    const list: string[] = [];
    for (let r = 0; r < RELEASES; r++) {
      const version = `1.0.${1 + Math.floor(r / 20)}.${1 + (r % 20) * 3}`;
      const id = randomUUID();
      const updateFrom = list.slice(-between(1, 3));
      releases.push({
        id,
        configuration_code: code,
        version,
        version_key: versionSortKey(version),
        released_on: "2026-01-01",
        its_issue: null,
        min_platform_version: `8.3.${10 + Math.floor(r / 40)}.1000`,
        channel: "stable",
        status: "published",
        update_from: JSON.stringify(updateFrom),
        documents: "{}",
        created_at: createdAt,
        published_at: createdAt,
        withdrawn_at: null,
      });
      distributions.push({
        id: randomUUID(),
        release_id: id,
        kind: "update",
        file_name: "1cv8.zip",
        size: between(10_000_000, 90_000_000),
        sha256: "0".repeat(64),
        storage_key: `bench/${id}`,
        created_at: createdAt,
        hash_sum: "iXMWkpF2Rk68mtCF8x5yhA==",
      });
      list.push(version);
    }
    versions.set(code, list);
  }
  await insertBatched(db, "configurations", configurations);
  await insertBatched(db, "releases", releases);
  await insertBatched(db, "distributions", distributions);
  return versions;
}

interface WrkResult {
  requests: number;
  durationUs: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
  errors: { connect: number; read: number; write: number; status: number; timeout: number };
}

function runWrk(port: number, dataFile: string, seconds: number): Promise<WrkResult> {
  const args = [
    `-t${THREADS}`,
    `-c${CONNECTIONS}`,
    `-d${seconds}s`,
    "--timeout",
    "10s",
    "-s",
    join(HERE, "wrk-requests.lua"),
    `http://127.0.0.1:${port}/`,
    "--",
    dataFile,
    String(THREADS),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn("wrk", args, { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const line = output.split("\n").find((l) => l.startsWith("WRK_RESULT "));
      if (code !== 0 || !line) reject(new Error(`wrk exited with ${code}:\n${output}`));
      else resolve(JSON.parse(line.slice("WRK_RESULT ".length)) as WrkResult);
    });
  });
}

const KINDS = ["plan", "info", "updinfo"] as const;
type Kind = (typeof KINDS)[number];
const LABELS: Record<Kind, string> = {
  plan: "JSON plan route",
  info: "programs/update/info",
  updinfo: "legacy UpdInfo.txt",
};

async function main(): Promise<void> {
  ensureDebianPackage("wrk", "wrk");
  const dataDir = mkdtempSync(join(tmpdir(), "upkeep-bench-compat-"));
  const postgres = process.env.DATABASE_URL
    ? await createPostgresDatabase(process.env.DATABASE_URL, "upkeep_bench")
    : null;
  const env = {
    UPKEEP_DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
    ...(postgres ? { DATABASE_URL: postgres.url } : {}),
  };
  try {
    const started = performance.now();
    const upkeep = await openUpkeep(loadConfig(env));
    const versions = await seed(upkeep.database.db);
    if (postgres) await sql`vacuum analyze`.execute(upkeep.database.db);
    console.log(
      `seeded ${CONFIGURATIONS} configurations of ${RELEASES} releases on ${postgres ? "PostgreSQL" : "SQLite"} ` +
        `in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const staff = await upkeep.services.accounts.createUser({
      login: "bench-staff",
      password: "bench-password-1",
      role: "support",
    });
    const token = (await upkeep.services.accounts.issueToken(staff)).token;
    const app = await buildHttpApp(upkeep.services, { logLevel: "warn" });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const port = (app.server.address() as AddressInfo).port;

    // The same questions for all three: a configuration, and a version among its last 40.
    const codes = [...versions.keys()];
    const questions = Array.from({ length: DISTINCT_REQUESTS }, (_, i) => {
      const code = codes[i % codes.length]!;
      const list = versions.get(code)!;
      return { code, version: list[Math.max(0, list.length - between(2, 40))]! };
    });
    const files: Record<Kind, string> = {
      plan: join(dataDir, "plan.tsv"),
      info: join(dataDir, "info.tsv"),
      updinfo: join(dataDir, "updinfo.tsv"),
    };
    writeFileSync(
      files.plan,
      questions
        .map(
          (q) =>
            `POST\t/api/v1/updates/plan\tBearer ${token}\t${JSON.stringify({ configuration: q.code, version: q.version })}`,
        )
        .join("\n"),
    );
    writeFileSync(
      files.info,
      questions
        .map(
          (q) =>
            `POST\t/update-platform/programs/update/info\t-\t${JSON.stringify({
              programName: q.code,
              versionNumber: q.version,
              platformVersion: "8.3.20.1000",
              updateType: "NewConfigurationAndOrPlatform",
              additionalParameters: [],
            })}`,
        )
        .join("\n"),
    );
    writeFileSync(
      files.updinfo,
      questions.map((q) => `GET\t/1c/${q.code}/10/83/UpdInfo.txt\t-\t-`).join("\n"),
    );

    // Warm-up, as on a live service: every question asked once of the use cases (graphs, plans and
    // feed files kept), then each route run for a moment through HTTP.
    const warmStarted = performance.now();
    const services = upkeep.services;
    for (const q of questions) {
      await services.updates.plan({ configuration: q.code, version: q.version });
      await services.onecUpdates.info({
        programName: q.code,
        versionNumber: q.version,
        platformVersion: "8.3.20.1000",
        updateType: "NewConfigurationAndOrPlatform",
      });
      await services.onecFeed.feedFile(q.code, "10", "83", "UpdInfo.txt");
    }
    for (const kind of KINDS) await runWrk(port, files[kind], 2);
    console.log(`warm-up ${((performance.now() - warmStarted) / 1000).toFixed(1)} s`);

    const results: Record<Kind, WrkResult[]> = { plan: [], info: [], updinfo: [] };
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate the order too, so no kind always runs right after the same other one.
      const order = round % 2 === 0 ? KINDS : [...KINDS].reverse();
      for (const kind of order) results[kind].push(await runWrk(port, files[kind], DURATION_S));
      console.log(
        `round ${round + 1}: ` +
          KINDS.map((k) => {
            const r = results[k].at(-1)!;
            return `${k} p99 ${(r.p99Us / 1000).toFixed(2)} ms ${(r.requests / (r.durationUs / 1e6)).toFixed(0)} req/s`;
          }).join(", "),
      );
    }
    await app.close();

    const worst = (kind: Kind) => Math.max(...results[kind].map((r) => r.p99Us)) / 1000;
    const rate = (kind: Kind) =>
      results[kind].reduce((s, r) => s + r.requests, 0) /
      (results[kind].reduce((s, r) => s + r.durationUs, 0) / 1e6);
    const failures = (kind: Kind) =>
      results[kind].reduce((s, r) => s + Object.values(r.errors).reduce((a, b) => a + b, 0), 0);
    console.log(
      `\n1C compatibility benchmark (node ${process.version}, ${CONNECTIONS} connections, ${THREADS} wrk threads, ` +
        `${ROUNDS} rounds of ${DURATION_S} s, ${CONFIGURATIONS} x ${RELEASES} releases)`,
    );
    console.log("                          req/s    worst p99 ms   errors");
    for (const kind of KINDS) {
      console.log(
        `${LABELS[kind].padEnd(24)} ${rate(kind).toFixed(0).padStart(7)} ${worst(kind).toFixed(2).padStart(14)}   ${failures(kind)}`,
      );
    }
    const median = (kind: Kind) => {
      const sorted = results[kind].map((r) => r.p99Us / 1000).sort((a, b) => a - b);
      return sorted[Math.floor(sorted.length / 2)]!;
    };
    for (const kind of ["info", "updinfo"] as const) {
      console.log(
        `${LABELS[kind]}: p99 per round against the plan route's ` +
          results[kind].map((r, i) => `${(r.p99Us / results.plan[i]!.p99Us).toFixed(2)}x`).join(", ") +
          `; median p99 ${median(kind).toFixed(2)} ms against ${median("plan").toFixed(2)} ms`,
      );
    }
    for (const kind of ["info", "updinfo"] as const) {
      const ratio = worst(kind) / worst("plan");
      console.log(
        `goal: ${LABELS[kind]} p99 within ${GOAL_RATIO}x of the plan route's -> ${ratio <= GOAL_RATIO ? "MET" : "NOT MET"} (${ratio.toFixed(2)}x)`,
      );
    }
  } finally {
    await postgres?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
