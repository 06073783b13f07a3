/**
 * Catalogue pages benchmark: a signed-in user (a session cookie) opens the configuration page of
 * a configuration with 500 published releases and a release page with its documents; the
 * baseline, in the same run, is the JSON route of the same data with a bearer token
 * (GET /api/v1/configurations/:code/releases and GET /api/v1/releases/:id). Rounds alternate
 * between the page and its JSON route, so a change in the shared machine's load touches both.
 *
 *   npm run bench:pages                      # SQLite in a temporary data folder
 *
 * Server time is measured inside the server process, from the request's arrival to the moment
 * the response is ended with its whole body (node:http's "request" to the response's
 * "prefinish"; the client runs in the same process, so flushing to it is left out), for requests
 * sent one at a time over a kept-alive connection. Goals: p99 under 20 ms per page, and within 3x of its JSON
 * route. Options (environment): BENCH_ROUNDS (default 10), BENCH_REQUESTS (per round and route,
 * default 100), BENCH_RELEASES (500). Prints figures and whether the goals were met; never fails
 * on time.
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { openUpkeep } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { buildHttpApp } from "../../src/http/app.ts";
import { randomGenerator } from "../support.ts";

const RELEASES = Number(process.env.BENCH_RELEASES ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 100);
const WARMUP_REQUESTS = 200;
const GOAL_P99_MS = 20;
const GOAL_RATIO = 3;
const SEED = 2026_12;
const CODE = "BENCH";
const LOGIN = "bench-user";
const PASSWORD = "bench-password-1";

const random = randomGenerator(SEED);
const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));

/** A Markdown document of about `paragraphs` list items and paragraphs, like a vendor's release notes. */
function document(title: string, paragraphs: number): string {
  const lines = [`# ${title}`, ""];
  for (let i = 0; i < paragraphs; i++) {
    lines.push(
      i % 3 === 0
        ? `## Section ${i + 1}\n\nThe *payroll* of **${between(1, 12)}** months is recalculated; see [the note](https://example.com/notes/${i}).`
        : `* Document "Vacation ${i}" now keeps the \`employee\` field when copied (${between(1000, 9999)}).`,
    );
  }
  return lines.join("\n");
}

const dataDir = mkdtempSync(join(tmpdir(), "upkeep-bench-pages-"));
const upkeep = await openUpkeep(loadConfig({ UPKEEP_DATA_DIR: dataDir, LOG_LEVEL: "silent" }));
const { services } = upkeep;
const app = await buildHttpApp(services, {
  logLevel: "silent",
  rateLimits: {
    signIn: { max: 1_000, timeWindow: 60_000 },
    registration: { max: 1_000, timeWindow: 60_000 },
  },
});

// Server time of every request, by the route it measures (set by the client before each request).
const samples = new Map<string, number[]>();
let measuring: string | null = null;
app.server.prependListener("request", (_request, response) => {
  const route = measuring;
  if (!route) return;
  const startedAt = process.hrtime.bigint();
  // "prefinish": the handler has ended the response (the client, in this process too, may not have read it yet).
  response.once("prefinish", () => {
    const list = samples.get(route) ?? [];
    list.push(Number(process.hrtime.bigint() - startedAt) / 1e6);
    samples.set(route, list);
  });
});
await app.listen({ port: 0, host: "127.0.0.1" });
const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

try {
  console.log(`catalogue pages benchmark (node ${process.version}, seed ${SEED})`);
  const started = performance.now();
  const admin = await services.accounts.createUser({
    login: "bench-admin",
    password: PASSWORD,
    role: "admin",
  });
  await services.catalogue.createConfiguration(
    { code: CODE, name: "Benchmark Payroll", kind: "configuration" },
    admin.id,
  );
  await services.catalogue.createProduct(
    { code: "BENCH-BASIC", name: "Benchmark Payroll, basic", edition: "basic", configurations: [CODE] },
    admin.id,
  );

  // 500 releases 3.0.x.y, each updating from its last 1-4 predecessors, with documents and an update file.
  const versions: string[] = [];
  let minor = 1;
  let build = 1;
  let releaseId = "";
  for (let index = 0; index < RELEASES; index++) {
    if (index % 20 === 19) {
      minor++;
      build = 1;
    }
    build += between(1, 9);
    const version = `3.0.${minor}.${build}`;
    const release = await services.catalogue.createRelease(
      {
        configuration: CODE,
        version,
        releasedOn: new Date(Date.UTC(2015, 0, 1) + index * 7 * 86_400_000).toISOString().slice(0, 10),
        itsIssue: `ITS ${2015 + Math.floor(index / 52)}-${String((index % 12) + 1).padStart(2, "0")}`,
        minPlatformVersion: index < 50 ? null : `8.3.${10 + Math.floor(index / 100)}.${1000 + index}`,
        updateFrom: versions.slice(-between(1, 4)),
        documents: {
          whatsNew: document("What's new", 12),
          changes: document("Changes", 60),
          majorChanges: document("Major changes", 6),
          changedObjects: document("Changed objects", 30),
          updateOrder: document("Update order", 5),
          readme: document("ReadMe", 4),
        },
      },
      admin.id,
    );
    await services.catalogue.putDistribution(
      {
        releaseId: release.id,
        kind: "full",
        fileName: "setup.zip",
        body: Readable.from([Buffer.from(version)]),
      },
      admin.id,
    );
    await services.catalogue.publishRelease(release.id, admin.id);
    versions.push(version);
    releaseId = release.id;
  }
  const newest = versions.at(-1)!;
  console.log(
    `data: ${RELEASES} published releases of ${CODE} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  // A user holding a basic product of the configuration, signed in through the form and with a token.
  const user = await services.accounts.createUser({ login: LOGIN, password: PASSWORD, role: "user" });
  const partner = await services.partners.ensurePartner("Bench Partner", admin.id);
  const seller = await services.accounts.createUser({
    login: "bench-partner",
    password: PASSWORD,
    role: "partner",
    partnerId: partner.id,
  });
  const [number] = await services.registrationNumbers.issue(
    { product: "BENCH-BASIC", count: 1, pin: false, vendorRegistered: true },
    admin.id,
  );
  await services.partners.authorize(seller, user.login, number!.registrationNumber);
  const token = (await services.accounts.issueToken(user)).token;

  const signInPage = await fetch(`${baseUrl}/sign-in`);
  const cookies = new Map<string, string>();
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const index = pair.indexOf("=");
      cookies.set(pair.slice(0, index), pair.slice(index + 1));
    }
  };
  keep(signInPage);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await signInPage.text())?.[1] ?? "";
  const cookieHeader = () => [...cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  const signedIn = await fetch(`${baseUrl}/sign-in`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader() },
    body: new URLSearchParams({ _csrf: csrf, login: LOGIN, password: PASSWORD, next: "/" }).toString(),
  });
  if (signedIn.status !== 303) throw new Error(`sign-in: ${signedIn.status}`);
  keep(signedIn);
  if (!cookies.has("upkeep_session")) throw new Error("sign-in set no session cookie");

  const session = { cookie: cookieHeader(), "accept-language": "ru" };
  const bearer = { authorization: `Bearer ${token}` };
  const routes = {
    "configuration page": { url: `/configurations/${CODE}`, headers: session, expect: newest },
    "releases JSON": { url: `/api/v1/configurations/${CODE}/releases`, headers: bearer, expect: newest },
    "release page": {
      url: `/configurations/${CODE}/releases/${newest}`,
      headers: session,
      expect: "Payroll",
    },
    "release JSON": { url: `/api/v1/releases/${releaseId}`, headers: bearer, expect: newest },
  } as const;
  type RouteName = keyof typeof routes;

  async function run(name: RouteName, count: number, measure: boolean): Promise<number> {
    const { url, headers, expect } = routes[name];
    let bytes = 0;
    for (let i = 0; i < count; i++) {
      measuring = measure ? name : null;
      const response = await fetch(baseUrl + url, { headers });
      const body = await response.text();
      if (response.status !== 200 || !body.includes(expect)) {
        throw new Error(`${name}: ${response.status} ${body.slice(0, 300)}`);
      }
      bytes = body.length;
    }
    measuring = null;
    return bytes;
  }

  const sizes = new Map<RouteName, number>();
  for (const name of Object.keys(routes) as RouteName[])
    sizes.set(name, await run(name, WARMUP_REQUESTS, false));

  const pairs: [RouteName, RouteName][] = [
    ["configuration page", "releases JSON"],
    ["release page", "release JSON"],
  ];
  const roundRatios = new Map<RouteName, number[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [page, json] of pairs) {
      // Alternate which goes first, so neither always follows the other's garbage.
      const order = round % 2 === 0 ? [page, json] : [json, page];
      const before = new Map(order.map((name) => [name, samples.get(name)?.length ?? 0]));
      for (const name of order) await run(name, REQUESTS, true);
      const p99Of = (name: RouteName) => summary((samples.get(name) ?? []).slice(before.get(name)!)).p99;
      const ratios = roundRatios.get(page) ?? [];
      ratios.push(p99Of(page) / p99Of(json));
      roundRatios.set(page, ratios);
    }
  }

  console.log(`rounds: ${ROUNDS} x ${REQUESTS} requests per route, alternating page and JSON route`);
  console.log("route                  bytes     median ms   p99 ms   max ms");
  for (const name of Object.keys(routes) as RouteName[]) {
    const s = summary(samples.get(name) ?? []);
    console.log(
      `${name.padEnd(20)} ${String(sizes.get(name)).padStart(8)} ${fmt(s.median)} ${fmt(s.p99)} ${fmt(s.max)}`,
    );
  }
  let met = true;
  for (const [page, json] of pairs) {
    const pageSummary = summary(samples.get(page) ?? []);
    const jsonSummary = summary(samples.get(json) ?? []);
    const ratio = pageSummary.p99 / jsonSummary.p99;
    const ok = pageSummary.p99 < GOAL_P99_MS && ratio <= GOAL_RATIO;
    met &&= ok;
    console.log(
      `${page}: p99 ${pageSummary.p99.toFixed(2)} ms, ratio to ${json} p99 ${ratio.toFixed(2)}x ` +
        `(median ${(pageSummary.median / jsonSummary.median).toFixed(2)}x; per round ${roundRatios
          .get(page)!
          .map((r) => r.toFixed(2))
          .join(" ")}) -> ${ok ? "MET" : "NOT MET"}`,
    );
  }
  console.log(
    `goal: p99 < ${GOAL_P99_MS} ms and within ${GOAL_RATIO}x of the JSON route -> ${met ? "MET" : "NOT MET"}`,
  );
} finally {
  await app.close();
  await upkeep.close();
  rmSync(dataDir, { recursive: true, force: true });
}

function percentile(sortedAscending: readonly number[], fraction: number): number {
  const index = Math.min(sortedAscending.length - 1, Math.ceil(fraction * sortedAscending.length) - 1);
  return sortedAscending[Math.max(0, index)] ?? Number.NaN;
}

function summary(samples: readonly number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? Number.NaN };
}

function fmt(value: number): string {
  return value.toFixed(2).padStart(11);
}
