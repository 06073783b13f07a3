/**
 * Bulk PIN issue benchmark: 100,000 registration numbers with PINs through the service, in one
 * transaction with chunked multi-row inserts; goal under 10 s. Runs on SQLite in a temp folder,
 * and on PostgreSQL when one is reachable (UPKEEP_BENCH_POSTGRES_URL, default the local server).
 *
 *   npm run bench:issue-pins            (COUNT=20000 npm run bench:issue-pins for a quick look)
 *
 * Baselines beside it: the same number of plain rows inserted the same way without random
 * draws or hashing (what the database alone costs), and the raw HMAC-SHA256 loop (what hashing
 * alone costs). The ratio says what the service adds on top of bare inserts.
 */
import { createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openUpkeep, type Upkeep } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { createPostgresDatabase } from "../../test/support/postgres.ts";

const COUNT = Number(process.env.COUNT ?? 100_000);
const GOAL_MS = 10_000;
const CHUNK = 2000; // as the service chunks
const POSTGRES_URL = process.env.UPKEEP_BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

async function seedProducts(upkeep: Upkeep) {
  const catalogue = upkeep.services.catalogue;
  await catalogue.createConfiguration({ code: "BENCH", name: "Bench", kind: "configuration" }, null);
  await catalogue.createProduct(
    { code: "BENCH-PROF", name: "Bench PROF", edition: "prof", configurations: ["BENCH"] },
    null,
  );
  await catalogue.createProduct(
    { code: "BENCH-PLAIN", name: "Bench plain", edition: "basic", configurations: ["BENCH"] },
    null,
  );
}

/** The floor: the same rows and chunking, sequential numbers, no randomness, no hashing. */
async function plainInserts(upkeep: Upkeep): Promise<number> {
  const now = new Date().toISOString();
  const started = performance.now();
  await upkeep.database.db.transaction().execute(async (trx) => {
    for (let offset = 0; offset < COUNT; offset += CHUNK) {
      const rows = [];
      for (let i = offset; i < Math.min(COUNT, offset + CHUNK); i++) {
        rows.push({
          number: String(100_000_000_000 + i), // 12 digits: never among the issued 10-digit numbers
          product_code: "BENCH-PLAIN",
          pin_hash: null,
          vendor_registered_at: null,
          card: null,
          purchase_date: null,
          issued_at: now,
          issued_by: null,
        });
      }
      await trx.insertInto("registration_numbers").values(rows).execute();
    }
  });
  return performance.now() - started;
}

function hmacLoop(): number {
  const key = randomBytes(32);
  const started = performance.now();
  let sink = 0;
  for (let i = 0; i < COUNT; i++) {
    sink ^= createHmac("sha256", key)
      .update(`${1_000_000_000 + i}:1234567890123456`)
      .digest()[0]!;
  }
  if (sink === 256) console.log("unreachable");
  return performance.now() - started;
}

async function run(label: string, env: Record<string, string>) {
  const upkeep = await openUpkeep(loadConfig({ ...env, LOG_LEVEL: "silent" }));
  try {
    await seedProducts(upkeep);
    const started = performance.now();
    const items = await upkeep.services.registrationNumbers.issue(
      { product: "BENCH-PROF", count: COUNT, pin: true },
      null,
    );
    const issueMs = performance.now() - started;
    if (items.length !== COUNT || !items.every((i) => i.pin?.length === 16))
      throw new Error("issue returned wrong items");
    const plainMs = await plainInserts(upkeep);
    const verdict = issueMs < GOAL_MS ? "ok" : "OVER GOAL";
    console.log(
      `${label.padEnd(10)} issue ${COUNT} with PINs: ${(issueMs / 1000).toFixed(2)} s (${Math.round(COUNT / (issueMs / 1000))}/s)  ` +
        `plain inserts: ${(plainMs / 1000).toFixed(2)} s  ratio ${(issueMs / plainMs).toFixed(2)}x  goal < ${GOAL_MS / 1000} s: ${verdict}`,
    );
    return issueMs < GOAL_MS;
  } finally {
    await upkeep.close();
  }
}

console.log(`HMAC-SHA256 alone, ${COUNT} PINs: ${(hmacLoop() / 1000).toFixed(3)} s`);
let ok = true;

const dataDir = mkdtempSync(join(tmpdir(), "upkeep-bench-pins-"));
try {
  ok = (await run("sqlite", { UPKEEP_DATA_DIR: dataDir })) && ok;
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}

const pgDir = mkdtempSync(join(tmpdir(), "upkeep-bench-pins-pg-"));
const postgres = await createPostgresDatabase(POSTGRES_URL, "upkeep_bench").catch(() => null);
if (postgres) {
  try {
    ok = (await run("postgres", { UPKEEP_DATA_DIR: pgDir, DATABASE_URL: postgres.url })) && ok;
  } finally {
    await postgres.drop();
  }
} else {
  console.log(`postgres   skipped: nothing answers at ${POSTGRES_URL}`);
}
rmSync(pgDir, { recursive: true, force: true });
process.exitCode = ok ? 0 : 1;
