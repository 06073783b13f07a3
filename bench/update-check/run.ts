/**
 * Update-check benchmark: authenticated POST /api/v1/updates/plan against a database of 100,000
 * users and 100,000 registration numbers, 64 connections, no pipelining, each request carrying a
 * different user's token (20,000 distinct users in rotation). Baseline, in the same run: a bare
 * node:http server in its own process answering the same requests with a fixed JSON body of the
 * same size (a real plan response). Goals: at least 0.5 of the bare server's requests per second,
 * p99 under 25 ms.
 *
 *   npm run bench:update-check                         # SQLite in a temporary data folder
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:update-check
 *                                                      # PostgreSQL: a fresh database is created and dropped
 *
 * The two servers run side by side and the measured rounds alternate between them, so a change in
 * the shared machine's load touches both; the ratio is taken over all rounds (each round's ratio
 * is printed too). The rounds measure users who ask again within the caches' life (five minutes;
 * changes drop entries sooner). Before the rounds, a 2 s cold pass asks for the plans of the other 80,000 users,
 * each first seen then: token, holdings and decision come from the database (reported, not a goal).
 *
 * Options (environment): BENCH_ROUNDS (default 3), BENCH_DURATION (seconds per round and server,
 * default 5), BENCH_WARMUP (seconds per warm-up run, default 3; runs repeat until every user of
 * the rounds has asked once), BENCH_CONNECTIONS (64), BENCH_THREADS (wrk threads, 2),
 * BENCH_TOKENS (distinct users per phase, 20000), BENCH_PROFILE=FILE (a CPU profile of the server
 * during the rounds). The load generator is wrk (installed with apt-get when missing), run as a
 * separate process. Prints figures and whether the goals were met; never fails on time.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { type Kysely, sql } from "kysely";
import { openUpkeep } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import type { Database } from "../../src/db/schema.ts";
import { versionSortKey } from "../../src/domain/version.ts";
import { buildHttpApp } from "../../src/http/app.ts";
import { hashPassword } from "../../src/secrets/passwords.ts";
import { hashToken } from "../../src/services/accounts.ts";
import { createPostgresDatabase } from "../../test/support/postgres.ts";
import { ensureDebianPackage, randomGenerator } from "../support.ts";

const HERE = dirname(fileURLToPath(import.meta.url));
const USERS = 100_000;
const NUMBERS = 100_000;
const DISTINCT_TOKENS = Number(process.env.BENCH_TOKENS ?? 20_000);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const COLD_S = 2;
const WARMUP_S = Number(process.env.BENCH_WARMUP ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const THREADS = Number(process.env.BENCH_THREADS ?? 2);
const GOAL_RATIO = 0.5;
const GOAL_P99_MS = 25;
const SEED = 4_2024;

const random = randomGenerator(SEED);
const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

// ---------------------------------------------------------------------------------------------
// The data set

const now = new Date();
const currentMonth = now.toISOString().slice(0, 7);
function monthsBefore(month: string, count: number): string {
  const [year, m] = month.split("-").map(Number) as [number, number];
  const index = year * 12 + (m - 1) - count;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}
function daysAgo(days: number): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
}

interface ConfigurationSpec {
  code: string;
  name: string;
  releases: number;
  major: string;
}
const CONFIGURATIONS: ConfigurationSpec[] = [
  { code: "Accounting", name: "Accounting", releases: 320, major: "3.0" },
  { code: "Payroll", name: "Payroll and HR", releases: 180, major: "3.1" },
  { code: "Retail", name: "Retail", releases: 120, major: "2.3" },
  { code: "SmallBusiness", name: "Small business", releases: 60, major: "1.6" },
];

interface ProductSpec {
  code: string;
  edition: "basic" | "prof";
  freeSupportMonths: number;
  configurations: string[];
  share: number;
}
const PRODUCTS: ProductSpec[] = [
  { code: "ACC-BASIC", edition: "basic", freeSupportMonths: 0, configurations: ["Accounting"], share: 0.3 },
  { code: "ACC-PROF", edition: "prof", freeSupportMonths: 12, configurations: ["Accounting"], share: 0.25 },
  {
    code: "SUITE-PROF",
    edition: "prof",
    freeSupportMonths: 12,
    configurations: ["Accounting", "Payroll", "Retail"],
    share: 0.15,
  },
  { code: "PAY-BASIC", edition: "basic", freeSupportMonths: 0, configurations: ["Payroll"], share: 0.1 },
  { code: "PAY-PROF", edition: "prof", freeSupportMonths: 6, configurations: ["Payroll"], share: 0.08 },
  { code: "RET-PROF", edition: "prof", freeSupportMonths: 12, configurations: ["Retail"], share: 0.07 },
  {
    code: "SB-BASIC",
    edition: "basic",
    freeSupportMonths: 0,
    configurations: ["SmallBusiness"],
    share: 0.05,
  },
];
function pickProduct(): ProductSpec {
  let r = random();
  for (const product of PRODUCTS) {
    r -= product.share;
    if (r < 0) return product;
  }
  return PRODUCTS[0]!;
}

async function insertBatched<T extends keyof Database & string>(
  db: Kysely<Database>,
  table: T,
  rows: readonly object[],
  rowsPerStatement = 1_000,
  rowsPerTransaction = 10_000,
): Promise<void> {
  for (let t = 0; t < rows.length; t += rowsPerTransaction) {
    const slice = rows.slice(t, t + rowsPerTransaction);
    await db.transaction().execute(async (trx) => {
      for (let s = 0; s < slice.length; s += rowsPerStatement) {
        await trx
          .insertInto(table)
          .values(slice.slice(s, s + rowsPerStatement) as never)
          .execute();
      }
    });
  }
}

const hex = (bytes: number) => randomBytes(bytes).toString("hex");

/** Published releases per configuration, oldest first, as the plan requests need them. */
type Versions = Map<string, string[]>;

async function seed(
  db: Kysely<Database>,
): Promise<{ versions: Versions; tokens: { token: string; configurations: string[] }[] }> {
  const createdAt = now.toISOString();
  const versions: Versions = new Map();

  // Catalogue: configurations, products, releases (a few drafts and withdrawn), distributions.
  await db
    .insertInto("configurations")
    .values(
      CONFIGURATIONS.map((c) => ({
        code: c.code,
        name: c.name,
        kind: "configuration",
        vendor: "vendor",
        program_name: null,
        revision: 1,
        created_at: createdAt,
      })),
    )
    .execute();
  await db
    .insertInto("products")
    .values(
      PRODUCTS.map((p) => ({
        code: p.code,
        name: p.code,
        edition: p.edition,
        free_support_months: p.freeSupportMonths,
        created_at: createdAt,
      })),
    )
    .execute();
  await db
    .insertInto("product_configurations")
    .values(
      PRODUCTS.flatMap((p) => p.configurations.map((c) => ({ product_code: p.code, configuration_code: c }))),
    )
    .execute();

  const releaseRows: object[] = [];
  const distributionRows: object[] = [];
  for (const configuration of CONFIGURATIONS) {
    const published: string[] = [];
    const all: string[] = [];
    let minor = 1;
    let build = between(1, 20);
    let leftInMinor = between(10, 30);
    for (let index = 0; index < configuration.releases; index++) {
      if (leftInMinor-- === 0) {
        minor++;
        build = between(1, 20);
        leftInMinor = between(10, 30);
      }
      build += between(3, 12);
      const version = `${configuration.major}.${minor}.${build}`;
      const status =
        index >= configuration.releases - 2 ? "draft" : random() < 0.02 ? "withdrawn" : "published";
      const updateFrom = all.slice(-between(1, 5));
      all.push(version);
      if (status === "published") published.push(version);
      const id = randomUUID();
      const releasedOn = daysAgo((configuration.releases - index) * 7);
      const platformStep = Math.floor(index / 60);
      releaseRows.push({
        id,
        configuration_code: configuration.code,
        version,
        version_key: versionSortKey(version),
        released_on: releasedOn,
        its_issue: random() < 0.5 ? `https://its.example.com/${configuration.code}/${version}` : null,
        min_platform_version: index < 30 ? null : `8.3.${18 + platformStep}.${1000 + 37 * platformStep}`,
        channel: "stable",
        status,
        update_from: JSON.stringify(updateFrom),
        documents: JSON.stringify({
          news: `# ${configuration.name} ${version}\n\n${"Changes. ".repeat(80)}`,
        }),
        created_at: createdAt,
        published_at: status === "draft" ? null : `${releasedOn}T12:00:00.000Z`,
        withdrawn_at: status === "withdrawn" ? `${releasedOn}T18:00:00.000Z` : null,
      });
      for (const kind of random() < 0.3 ? ["full", "update"] : ["update"]) {
        const distributionId = randomUUID();
        distributionRows.push({
          id: distributionId,
          release_id: id,
          kind,
          file_name: kind === "update" ? "1cv8.cfu" : "setup.zip",
          size: kind === "update" ? between(40, 400) * 1_000_000 : between(500, 900) * 1_000_000,
          sha256: hex(32),
          storage_key: `distributions/${configuration.code}/${id}/${distributionId}`,
          created_at: createdAt,
        });
      }
    }
    versions.set(configuration.code, published);
  }
  await insertBatched(db, "releases", releaseRows, 200);
  await insertBatched(db, "distributions", distributionRows, 500);

  // Accounts: one password hash for everyone (argon2 per row would take hours), one token each.
  const passwordHash = await hashPassword("benchmark-password");
  const userRows: object[] = [];
  const tokenRows: object[] = [];
  const userIds: string[] = [];
  const plainTokens: string[] = [];
  for (let i = 0; i < USERS; i++) {
    const id = randomUUID();
    userIds.push(id);
    userRows.push({
      id,
      login: `user${i}`,
      password_hash: passwordHash,
      role: "user",
      email: `user${i}@example.com`,
      display_name: `User ${i}`,
      active_from: "2020-01-01T00:00:00.000Z",
      disabled: 0,
      created_at: createdAt,
      partner_id: null,
      organization_id: null,
    });
    const token = `upk_${randomBytes(32).toString("base64url")}`;
    plainTokens.push(token);
    tokenRows.push({
      id: randomUUID(),
      user_id: id,
      token_hash: hashToken(token),
      name: "upkeep-client",
      created_at: createdAt,
      expires_at: new Date(now.getTime() + 90 * 86_400_000).toISOString(),
      revoked_at: null,
    });
  }
  await insertBatched(db, "users", userRows);
  await insertBatched(db, "api_tokens", tokenRows);

  // Registration numbers: number i belongs to user i; PROF numbers mostly have a subscription
  // covering this month (some only a running free period, some nothing: plans then say why not).
  const numberRows: object[] = [];
  const authorizationRows: object[] = [];
  const subscriptionRows: object[] = [];
  const additionalRows: object[] = [];
  const productOf: ProductSpec[] = [];
  for (let i = 0; i < NUMBERS; i++) {
    const number = String(1_000_000_000 + i);
    const product = pickProduct();
    productOf.push(product);
    numberRows.push({
      number,
      product_code: product.code,
      pin_hash: hex(32),
      vendor_registered_at: createdAt,
      card: null,
      purchase_date: daysAgo(between(10, 1500)),
      issued_at: createdAt,
      issued_by: null,
    });
    authorizationRows.push({
      registration_number: number,
      user_id: userIds[i % USERS]!,
      method: "pin",
      partner_id: null,
      created_at: createdAt,
    });
    if (product.edition === "prof" && random() < 0.85) {
      const subscriptionId = randomUUID();
      subscriptionRows.push({
        id: subscriptionId,
        main_number: number,
        from_month: monthsBefore(currentMonth, between(0, 11)),
        months: 12,
        partner_id: null,
        created_by: null,
        created_at: createdAt,
      });
      // An earlier, expired subscription for some, as long-standing customers have.
      if (random() < 0.3) {
        subscriptionRows.push({
          id: randomUUID(),
          main_number: number,
          from_month: monthsBefore(currentMonth, between(24, 36)),
          months: 12,
          partner_id: null,
          created_by: null,
          created_at: createdAt,
        });
      }
      if (i > 0 && random() < 0.05) {
        additionalRows.push({
          subscription_id: subscriptionId,
          registration_number: String(1_000_000_000 + i - 1),
        });
      }
    }
  }
  await insertBatched(db, "registration_numbers", numberRows);
  await insertBatched(db, "authorizations", authorizationRows);
  await insertBatched(db, "subscriptions", subscriptionRows);
  await insertBatched(db, "subscription_numbers", additionalRows);

  const tokens = plainTokens.map((token, i) => ({ token, configurations: productOf[i]!.configurations }));
  return { versions, tokens };
}

async function startProfiler() {
  const { Session } = await import("node:inspector/promises");
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return {
    async stop() {
      const { profile } = await session.post("Profiler.stop");
      session.disconnect();
      return profile;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Load generation

interface WrkResult {
  requests: number;
  durationUs: number;
  bytes: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  maxUs: number;
  meanUs: number;
  errors: { connect: number; read: number; write: number; status: number; timeout: number };
}

/** `startAt`: how many requests earlier runs sent, so this one continues down the list. */
function runWrk(port: number, dataFile: string, seconds: number, startAt = 0): Promise<WrkResult> {
  const args = [
    `-t${THREADS}`,
    `-c${CONNECTIONS}`,
    `-d${seconds}s`,
    "--timeout",
    "10s",
    "-s",
    join(HERE, "wrk-plan.lua"),
    `http://127.0.0.1:${port}/api/v1/updates/plan`,
    "--",
    dataFile,
    String(THREADS),
    String(startAt),
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

function startBareServer(bodyFile: string): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(HERE, "bare-server.mjs"), bodyFile], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    child.on("error", reject);
    child.stdout!.on("data", (chunk: Buffer) => {
      const match = /PORT (\d+)/.exec(String(chunk));
      if (match) resolve({ child, port: Number(match[1]) });
    });
    child.on("exit", (code) => reject(new Error(`bare server exited with ${code}`)));
  });
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  ensureDebianPackage("wrk", "wrk");
  const dataDir = mkdtempSync(join(tmpdir(), "upkeep-bench-update-"));
  const postgres = process.env.DATABASE_URL
    ? await createPostgresDatabase(process.env.DATABASE_URL, "upkeep_bench")
    : null;
  const env = {
    UPKEEP_DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
    ...(postgres ? { DATABASE_URL: postgres.url } : {}),
  };
  let bare: ChildProcess | null = null;
  try {
    const started = performance.now();
    const seeding = await openUpkeep(loadConfig(env));
    const { versions, tokens } = await seed(seeding.database.db);
    // A live PostgreSQL database has statistics and a vacuumed heap (autovacuum sees to it); a
    // freshly bulk-loaded one would be vacuumed in the middle of the measurement instead.
    if (postgres) await sql`vacuum analyze`.execute(seeding.database.db);
    await seeding.close();
    console.log(
      `seeded ${USERS} users, ${NUMBERS} registration numbers, ` +
        `${CONFIGURATIONS.map((c) => `${c.code} ${versions.get(c.code)!.length}`).join(", ")} published releases ` +
        `on ${postgres ? "PostgreSQL" : "SQLite"} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    // Each user asks for a configuration of its product, from one of the last 40 published versions;
    // some also give their platform version.
    const lines = tokens.map(({ token, configurations }) => {
      const configuration = pick(configurations);
      const published = versions.get(configuration)!;
      const from = published[Math.max(0, published.length - between(2, 40))]!;
      const body: Record<string, string> = { configuration, version: from };
      if (random() < 0.5) body.platformVersion = "8.3.24.1500";
      return `${token}\t${JSON.stringify(body)}`;
    });
    const dataFile = join(dataDir, "wrk-requests.tsv");
    writeFileSync(dataFile, `${lines.slice(0, DISTINCT_TOKENS).join("\n")}\n`);
    const coldFile = join(dataDir, "wrk-cold-requests.tsv");
    writeFileSync(coldFile, `${lines.slice(DISTINCT_TOKENS).join("\n")}\n`);

    // The real server, in this process: the composition root and the HTTP app, as `upkeep serve` wires them.
    const upkeep = await openUpkeep(loadConfig(env));
    const app = await buildHttpApp(upkeep.services, { logLevel: "warn" });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const port = (app.server.address() as AddressInfo).port;

    // One request by hand: checks the set-up and captures a typical response as the baseline's body.
    const [sampleToken, sampleBody] = lines[0]!.split("\t") as [string, string];
    const sample = await fetch(`http://127.0.0.1:${port}/api/v1/updates/plan`, {
      method: "POST",
      headers: { authorization: `Bearer ${sampleToken}`, "content-type": "application/json" },
      body: sampleBody,
    });
    const sampleText = await sample.text();
    if (sample.status !== 200) throw new Error(`sample plan request: ${sample.status} ${sampleText}`);
    const samplePlan = JSON.parse(sampleText) as { steps: unknown[]; download: { allowed: boolean } };
    console.log(
      `sample plan: ${samplePlan.steps.length} steps, download allowed ${samplePlan.download.allowed}, ` +
        `${sampleText.length} bytes of JSON`,
    );
    const bodyFile = join(dataDir, "bare-body.json");
    writeFileSync(bodyFile, sampleText);
    const bareServer = await startBareServer(bodyFile);
    bare = bareServer.child;
    const target = { upkeep: port, bare: bareServer.port };

    // Warm-up: until every user of the rounds has asked once (each thread walks the list in order).
    let warmedUp = 0;
    while (warmedUp < DISTINCT_TOKENS) {
      warmedUp += (await runWrk(target.upkeep, dataFile, WARMUP_S, warmedUp)).requests;
    }
    console.log(`warm-up: ${warmedUp} requests, every user of the rounds seen`);
    await runWrk(target.bare, dataFile, WARMUP_S);
    console.log(`cold pass: ${COLD_S} s of requests from ${USERS - DISTINCT_TOKENS} other users`);
    const cold = await runWrk(target.upkeep, coldFile, COLD_S);
    const bareCold = await runWrk(target.bare, coldFile, COLD_S);

    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    let busyMs = 0;
    // BENCH_PROFILE=FILE: a CPU profile of the server during the rounds only.
    const profiler = process.env.BENCH_PROFILE ? await startProfiler() : null;
    const rounds: { upkeep: WrkResult; bare: WrkResult }[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      console.log(`round ${round} of ${ROUNDS}: ${DURATION_S} s each`);
      const roundStart = performance.now();
      const upkeepResult = await runWrk(target.upkeep, dataFile, DURATION_S);
      busyMs += performance.now() - roundStart;
      rounds.push({ upkeep: upkeepResult, bare: await runWrk(target.bare, dataFile, DURATION_S) });
    }
    if (profiler) writeFileSync(process.env.BENCH_PROFILE!, JSON.stringify(await profiler.stop()));
    const cpu = process.cpuUsage(cpuBefore);
    // The server is idle while the bare one is measured: its share is of its own rounds' time.
    const cpuShare = (cpu.user + cpu.system) / 1000 / busyMs;
    loopDelay.disable();
    const wallMs = performance.now() - wallBefore;
    await app.close();
    await upkeep.close();

    const rps = (r: WrkResult) => r.requests / (r.durationUs / 1e6);
    const combined = (results: WrkResult[]): WrkResult => ({
      requests: results.reduce((sum, r) => sum + r.requests, 0),
      durationUs: results.reduce((sum, r) => sum + r.durationUs, 0),
      bytes: results.reduce((sum, r) => sum + r.bytes, 0),
      // Percentiles cannot be merged exactly: the worst round's is reported.
      p50Us: Math.max(...results.map((r) => r.p50Us)),
      p90Us: Math.max(...results.map((r) => r.p90Us)),
      p99Us: Math.max(...results.map((r) => r.p99Us)),
      maxUs: Math.max(...results.map((r) => r.maxUs)),
      meanUs:
        results.reduce((sum, r) => sum + r.meanUs * r.requests, 0) /
        results.reduce((s, r) => s + r.requests, 0),
      errors: {
        connect: results.reduce((sum, r) => sum + r.errors.connect, 0),
        read: results.reduce((sum, r) => sum + r.errors.read, 0),
        write: results.reduce((sum, r) => sum + r.errors.write, 0),
        status: results.reduce((sum, r) => sum + r.errors.status, 0),
        timeout: results.reduce((sum, r) => sum + r.errors.timeout, 0),
      },
    });
    const server = combined(rounds.map((r) => r.upkeep));
    const baseline = combined(rounds.map((r) => r.bare));
    const ms = (us: number) => (us / 1000).toFixed(2).padStart(8);
    const errors = (r: WrkResult) =>
      Object.entries(r.errors)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${k} ${n}`)
        .join(", ") || "none";
    const ratio = rps(server) / rps(baseline);
    const p99Ms = server.p99Us / 1000;

    console.log("");
    console.log(
      `update-check benchmark (node ${process.version}, ${CONNECTIONS} connections, ${THREADS} wrk threads, ` +
        `${ROUNDS} rounds of ${DURATION_S} s, ${DISTINCT_TOKENS} distinct users, ${postgres ? "PostgreSQL" : "SQLite"})`,
    );
    console.log("                          req/s     p50 ms   p90 ms   p99 ms   max ms   errors / non-2xx");
    const row = (label: string, r: WrkResult) =>
      console.log(
        `${label.padEnd(22)} ${rps(r).toFixed(0).padStart(8)} ${ms(r.p50Us)} ${ms(r.p90Us)} ${ms(r.p99Us)} ${ms(r.maxUs)}   ${errors(r)}`,
      );
    row("upkeep plan", server);
    row("bare node:http", baseline);
    row("upkeep, cold pass", cold);
    row("bare, same requests", bareCold);
    console.log(
      `rounds (upkeep/bare): ${rounds.map((r) => (rps(r.upkeep) / rps(r.bare)).toFixed(2)).join(", ")}; ` +
        `cold pass ${(rps(cold) / rps(bareCold)).toFixed(2)}` +
        (cold.requests > USERS - DISTINCT_TOKENS
          ? " (some users were asked twice)"
          : " (every request a new user)"),
    );
    console.log(
      `upkeep process: ${(cpuShare * 100).toFixed(0)}% of a core (user+system) in its rounds; ` +
        `event-loop delay over ${(wallMs / 1000).toFixed(0)} s p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms, ` +
        `max ${(loopDelay.max / 1e6).toFixed(1)} ms`,
    );
    console.log(`ratio upkeep/bare: ${ratio.toFixed(2)} req/s`);
    console.log(
      `goal: req/s ratio >= ${GOAL_RATIO} -> ${ratio >= GOAL_RATIO ? "MET" : "NOT MET"} (${ratio.toFixed(2)})`,
    );
    console.log(
      `goal: p99 < ${GOAL_P99_MS} ms -> ${p99Ms < GOAL_P99_MS ? "MET" : "NOT MET"} (${p99Ms.toFixed(2)} ms, worst round)`,
    );
  } finally {
    if (bare) bare.kill("SIGTERM");
    if (postgres) await postgres.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
