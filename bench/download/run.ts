/**
 * Download benchmark: one 1 GiB distribution over loopback, from the service and (baseline, same
 * run, same client) from nginx serving the same blob file with sendfile on. Goal: at least 0.8 of
 * nginx's throughput. Then 20 concurrent downloads from the service while its RSS is sampled every
 * 100 ms from /proc/<pid>/status; goal: peak RSS under 200 MB.
 *
 *   npm run bench:download
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:download   # fresh database, dropped after
 *
 * Options (environment): BENCH_SIZE_MIB (1024), BENCH_RUNS (3 sequential downloads each),
 * BENCH_CONCURRENT (20). The client is curl writing to /dev/null; nginx and curl are installed with
 * apt-get when missing. The server runs as `node bin/upkeep serve` in a child process. The data
 * folder (with the 1 GiB blob) is removed at the end. Prints figures and goals; never fails on time.
 */
import { type ChildProcess, execFile, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { openUpkeep } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { freePort } from "../../test/support/ports.ts";
import { createPostgresDatabase } from "../../test/support/postgres.ts";
import { ensureDebianPackage, waitForHealth } from "../support.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const SIZE = Number(process.env.BENCH_SIZE_MIB ?? 1024) * 1024 * 1024;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 20);
const CHUNK = 4 * 1024 * 1024;
const GOAL_RATIO = 0.8;
const GOAL_RSS_MB = 200;
const LOGIN = "bench-support";
const PASSWORD = "bench-support-password";

/** Random bytes, generated chunk by chunk: the 1 GiB is never in memory at once. */
function randomStream(size: number): Readable {
  let left = size;
  return new Readable({
    read() {
      if (left === 0) return void this.push(null);
      const length = Math.min(CHUNK, left);
      left -= length;
      this.push(randomBytes(length));
    },
  });
}

interface CurlResult {
  bytes: number;
  seconds: number;
  status: number;
}

function curl(url: string, headers: string[] = []): Promise<CurlResult> {
  const args = ["-sS", "-o", "/dev/null", "-w", "%{http_code} %{size_download} %{time_total}"];
  for (const header of headers) args.push("-H", header);
  args.push(url);
  return new Promise((resolveResult, reject) => {
    execFile("curl", args, (error, stdout) => {
      if (error) return reject(error);
      const [status, bytes, seconds] = stdout.trim().split(" ").map(Number) as [number, number, number];
      resolveResult({ status, bytes, seconds });
    });
  });
}

async function sequentialDownloads(label: string, url: string, headers: string[]): Promise<number[]> {
  const rates: number[] = [];
  await curl(url, [...headers, "Range: bytes=0-1048575"]); // connection and page cache warm-up
  for (let run = 0; run < RUNS; run++) {
    const result = await curl(url, headers);
    if (result.status !== 200 || result.bytes !== SIZE) {
      throw new Error(`${label}: status ${result.status}, ${result.bytes} bytes instead of ${SIZE}`);
    }
    rates.push(result.bytes / 1e6 / result.seconds);
    console.log(`  ${label} run ${run + 1}: ${(result.bytes / 1e6 / result.seconds).toFixed(0)} MB/s`);
  }
  return rates;
}

function vmRssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

const stopProcess = (child: ChildProcess | null) =>
  new Promise<void>((done) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return done();
    child.once("exit", () => done());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
  });

async function main(): Promise<void> {
  ensureDebianPackage("curl", "curl");
  const nginxBinary = ensureDebianPackage("nginx", "nginx");
  const dataDir = mkdtempSync(join(tmpdir(), "upkeep-bench-download-"));
  const postgres = process.env.DATABASE_URL
    ? await createPostgresDatabase(process.env.DATABASE_URL, "upkeep_bench")
    : null;
  const env: Record<string, string> = {
    UPKEEP_DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
    ...(postgres ? { DATABASE_URL: postgres.url } : {}),
  };
  let server: ChildProcess | null = null;
  let nginx: ChildProcess | null = null;
  try {
    // The distribution goes in through the service, as an upload would: hashed, checked, stored.
    const upkeep = await openUpkeep(loadConfig(env));
    const { catalogue, accounts } = upkeep.services;
    await catalogue.createConfiguration(
      { code: "BenchConf", name: "Benchmark configuration", kind: "configuration" },
      null,
    );
    const release = await catalogue.createRelease(
      { configuration: "BenchConf", version: "1.0.0.1", releasedOn: new Date().toISOString().slice(0, 10) },
      null,
    );
    let started = performance.now();
    const distribution = await catalogue.putDistribution(
      { releaseId: release.id, kind: "full", fileName: "setup.zip", body: randomStream(SIZE) },
      null,
    );
    console.log(
      `uploaded ${(SIZE / 2 ** 30).toFixed(2)} GiB through the catalogue's putDistribution in ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s (sha256 ${distribution.sha256.slice(0, 16)}...)`,
    );
    await catalogue.publishRelease(release.id, null);
    await accounts.createUser({ login: LOGIN, password: PASSWORD, role: "support" });
    const stored = await catalogue.getDistribution(distribution.id);
    const blobFile = join(dataDir, "blobs", stored.storageKey);
    if (statSync(blobFile).size !== SIZE) throw new Error(`unexpected blob size at ${blobFile}`);
    await upkeep.close();

    // The real server, as operators run it.
    const port = await freePort();
    server = spawn(process.execPath, [join(ROOT, "bin/upkeep"), "serve"], {
      cwd: ROOT,
      env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHealth(baseUrl, server, { intervalMs: 100 });
    const signIn = await fetch(`${baseUrl}/api/v1/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ login: LOGIN, password: PASSWORD, name: "bench" }),
    });
    if (signIn.status !== 201) throw new Error(`sign-in: ${signIn.status} ${await signIn.text()}`);
    const { token } = (await signIn.json()) as { token: string };
    const auth = [`Authorization: Bearer ${token}`];
    const fileUrl = `${baseUrl}/api/v1/distributions/${distribution.id}/file`;

    // nginx: the same blob file, sendfile on, a temporary configuration on a random port.
    const nginxPort = await freePort();
    const nginxDir = join(dataDir, "nginx");
    spawnSync("mkdir", ["-p", nginxDir]);
    const runningAsRoot = process.getuid?.() === 0;
    writeFileSync(
      join(nginxDir, "nginx.conf"),
      `${runningAsRoot ? "user root;\n" : ""}worker_processes 1;
daemon off;
pid ${nginxDir}/nginx.pid;
error_log ${nginxDir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  client_body_temp_path ${nginxDir}/body;
  proxy_temp_path ${nginxDir}/proxy;
  fastcgi_temp_path ${nginxDir}/fastcgi;
  uwsgi_temp_path ${nginxDir}/uwsgi;
  scgi_temp_path ${nginxDir}/scgi;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:${nginxPort};
    location = /file { alias ${blobFile}; }
  }
}
`,
    );
    nginx = spawn(nginxBinary, ["-p", nginxDir, "-c", join(nginxDir, "nginx.conf")], {
      stdio: ["ignore", "ignore", "inherit"],
    });
    const nginxUrl = `http://127.0.0.1:${nginxPort}/file`;
    for (let attempt = 0; ; attempt++) {
      try {
        if ((await fetch(nginxUrl, { method: "HEAD" })).ok) break;
      } catch {
        if (attempt > 100) throw new Error("nginx did not start; see its error log above");
      }
      await new Promise((r) => setTimeout(r, 100));
    }

    console.log(`sequential downloads of ${SIZE} bytes with curl -o /dev/null (${RUNS} runs each):`);
    const serverRates = await sequentialDownloads("upkeep", fileUrl, auth);
    const nginxRates = await sequentialDownloads("nginx ", nginxUrl, []);
    await stopProcess(nginx);
    nginx = null;

    // 20 at once from the service, sampling its RSS every 100 ms.
    const pid = server.pid!;
    const idleRssMiB = vmRssKiB(pid) / 1024;
    let peakRssMiB = idleRssMiB;
    const sampler = setInterval(() => {
      try {
        peakRssMiB = Math.max(peakRssMiB, vmRssKiB(pid) / 1024);
      } catch {
        // the process ended
      }
    }, 100);
    started = performance.now();
    const concurrent = await Promise.all(Array.from({ length: CONCURRENT }, () => curl(fileUrl, auth)));
    const concurrentSeconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const complete = concurrent.filter((r) => r.status === 200 && r.bytes === SIZE).length;

    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const serverMBs = median(serverRates);
    const nginxMBs = median(nginxRates);
    const ratio = serverMBs / nginxMBs;
    const totalMB = (complete * SIZE) / 1e6;
    console.log("");
    console.log(
      `download benchmark (node ${process.version}, ${(SIZE / 2 ** 20).toFixed(0)} MiB file, loopback, curl, ` +
        `${postgres ? "PostgreSQL" : "SQLite"})`,
    );
    console.log("                median MB/s   runs MB/s");
    console.log(
      `upkeep          ${serverMBs.toFixed(0).padStart(11)}   ${serverRates.map((r) => r.toFixed(0)).join(", ")}`,
    );
    console.log(
      `nginx sendfile  ${nginxMBs.toFixed(0).padStart(11)}   ${nginxRates.map((r) => r.toFixed(0)).join(", ")}`,
    );
    console.log(`ratio upkeep/nginx: ${ratio.toFixed(2)}`);
    console.log(
      `${CONCURRENT} concurrent downloads: ${complete}/${CONCURRENT} complete in ${concurrentSeconds.toFixed(1)} s ` +
        `(${(totalMB / concurrentSeconds).toFixed(0)} MB/s in total); server RSS idle ${idleRssMiB.toFixed(0)} MiB, ` +
        `peak ${peakRssMiB.toFixed(0)} MiB`,
    );
    console.log(
      `goal: throughput ratio >= ${GOAL_RATIO} -> ${ratio >= GOAL_RATIO ? "MET" : "NOT MET"} (${ratio.toFixed(2)})`,
    );
    console.log(
      `goal: peak RSS < ${GOAL_RSS_MB} MB with ${CONCURRENT} downloads -> ` +
        `${peakRssMiB * 1.048576 < GOAL_RSS_MB && complete === CONCURRENT ? "MET" : "NOT MET"} ` +
        `(${(peakRssMiB * 1.048576).toFixed(0)} MB)`,
    );
  } finally {
    await stopProcess(nginx);
    await stopProcess(server);
    if (postgres) await postgres.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
