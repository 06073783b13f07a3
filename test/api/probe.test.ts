import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { LightMyRequestResponse } from "fastify";
import { availableDialects, startTestApp, type TestApp } from "../support/harness.ts";
import { BASELINE, exampleOf, type Operation, operationsOf } from "../support/openapi.ts";

/**
 * Reads the service's own OpenAPI document and sends every route hostile input: control characters
 * and NUL in each path parameter, query value, header the route decodes and body string (one field
 * at a time, the rest of the body valid-ish), bad percent-encoding, over-long values. As an admin
 * (so handlers are reached) and signed out, nothing may answer 5xx, and every error is a problem.
 */

const HIGH_LIMITS = {
  rateLimits: {
    signIn: { max: 100_000, timeWindow: 60_000 },
    registration: { max: 100_000, timeWindow: 60_000 },
  },
};

interface Probe {
  readonly label: string;
  readonly url: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** The problem's `errors[0].path` when the input holds control characters. */
  readonly refusedAt?: string;
}

/** Control characters as they travel in a URL, and in a JSON string. */
const URL_CONTROLS = ["%00", "a%00b", "%01", "%1f", "%7f", "%C2%85"];
const TEXT_CONTROLS = ["\u0000", "a\u0000b", "\u0001", "\u001b[31m", "\u007f", "\u0085"];
/** Headers a route percent-decodes itself (file names in X-Filename). */
const PERCENT_DECODED_HEADERS = ["x-filename"];

/** Paths to every string in a JSON value. */
function stringPaths(value: unknown, path: string[] = []): string[][] {
  if (typeof value === "string") return [path];
  if (Array.isArray(value))
    return value.flatMap((item, index) => stringPaths(item, [...path, String(index)]));
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => stringPaths(item, [...path, key]));
  }
  return [];
}

function withValueAt(value: unknown, path: string[], replacement: unknown): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path.at(-1)!] = replacement;
  return copy;
}

function urlOf(operation: Operation, params: Record<string, string> = {}, query = ""): string {
  const path = operation.path.replace(
    /\{([^}]+)\}/g,
    (_, name: string) => params[name] ?? operation.pathExamples[name]!,
  );
  return query ? `${path}?${query}` : path;
}

function probesOf(operation: Operation, signedIn: boolean): Probe[] {
  const probes: Probe[] = [];
  const body = operation.body ? exampleOf(operation.body) : undefined;
  probes.push({ label: "valid-ish input", url: urlOf(operation), body });

  for (const name of operation.pathParams) {
    for (const value of URL_CONTROLS) {
      probes.push({
        label: `path parameter ${name}=${value}`,
        url: urlOf(operation, { [name]: value }),
        body,
        refusedAt: `params/${name}`,
      });
    }
    for (const [label, value] of [
      ["bad percent-encoding", "%ff"],
      ["a truncated escape", "a%"],
      ["over the schema's length", "x".repeat(65)],
      ["over the router's length", "x".repeat(200)],
    ] as const) {
      probes.push({
        label: `path parameter ${name}: ${label}`,
        url: urlOf(operation, { [name]: value }),
        body,
      });
    }
  }

  for (const value of URL_CONTROLS) {
    probes.push({
      label: `query q=${value}`,
      url: urlOf(operation, {}, `q=${value}`),
      body,
      refusedAt: "querystring/q",
    });
  }
  probes.push({ label: "query with bad percent-encoding", url: urlOf(operation, {}, "q=%ff&%ff=1"), body });

  // Header values cannot carry control characters (the HTTP parser refuses them, see
  // http-errors.test.ts), but a header the route percent-decodes can make them; the route checks it
  // once the caller may upload at all.
  for (const name of operation.headerParams.filter((header) => PERCENT_DECODED_HEADERS.includes(header))) {
    for (const value of ["a%00b", "a%01b"]) {
      probes.push({
        label: `header ${name}: ${value}`,
        url: urlOf(operation),
        headers: { [name]: value },
        ...(signedIn ? { refusedAt: `headers/${name}` } : {}),
      });
    }
  }

  if (body !== undefined) {
    for (const path of stringPaths(body)) {
      const field = path.join("/");
      for (const value of TEXT_CONTROLS) {
        probes.push({
          label: `body ${field}=${JSON.stringify(value)}`,
          url: urlOf(operation),
          body: withValueAt(body, path, value),
          refusedAt: `body/${field}`,
        });
      }
      probes.push({
        label: `body ${field}: over-long`,
        url: urlOf(operation),
        body: withValueAt(body, path, "x".repeat(100_000)),
      });
    }
    probes.push({
      label: "body with a NUL in a field's name",
      url: urlOf(operation),
      body: { ...(body as object), "a\u0000": BASELINE },
      refusedAt: "body/a\u0000",
    });
  }
  return probes;
}

/** What is wrong with the answer, or null. */
function fault(response: LightMyRequestResponse, probe: Probe): string | null {
  if (response.statusCode >= 500) return `${response.statusCode} ${response.body.slice(0, 200)}`;
  if (response.statusCode < 400) {
    return probe.refusedAt ? `${response.statusCode}: control characters were accepted` : null;
  }
  if (!String(response.headers["content-type"]).startsWith("application/problem+json")) {
    return `${response.statusCode} as ${response.headers["content-type"]}: ${response.body.slice(0, 200)}`;
  }
  if (response.headers["x-content-type-options"] !== "nosniff")
    return `${response.statusCode} without nosniff`;
  const problem = response.json();
  if (typeof problem.code !== "string") return `${response.statusCode} problem without a code`;
  if (probe.refusedAt) {
    if (response.statusCode !== 400 || problem.code !== "invalid_characters") {
      return `${response.statusCode} ${problem.code} instead of 400 invalid_characters`;
    }
    if (problem.errors?.[0]?.path !== probe.refusedAt) {
      return `names ${JSON.stringify(problem.errors?.[0]?.path)} instead of ${JSON.stringify(probe.refusedAt)}`;
    }
  }
  return null;
}

for (const dialect of await availableDialects()) {
  describe(`hostile input to every route on ${dialect}`, () => {
    let t: TestApp;
    let operations: Operation[];
    before(async () => {
      t = await startTestApp(dialect, HIGH_LIMITS);
      operations = operationsOf((await t.request({ method: "GET", url: "/api/openapi.json" })).json());
    });
    after(() => t.close());
    const tokenFor = async (signedIn: boolean) =>
      signedIn ? (await t.upkeep.services.accounts.issueToken(t.admin)).token : null;

    it("reads every route from the OpenAPI document", () => {
      // Guards the probe itself: a document it misreads would probe nothing.
      assert.ok(operations.length >= 27, `${operations.length} operations`);
      assert.ok(operations.some((o) => o.body !== null && o.pathParams.length > 0));
      assert.ok(operations.some((o) => o.headerParams.includes("x-filename")));
    });

    for (const identity of ["an admin", "nobody signed in"] as const) {
      it(`answers ${identity} with a problem, never a 5xx`, async () => {
        const signedIn = identity === "an admin";
        const faults: string[] = [];
        let sent = 0;
        for (const operation of operations) {
          let token = await tokenFor(signedIn);
          for (const probe of probesOf(operation, signedIn)) {
            // The upload route reads its body as raw file bytes, where any byte is valid: only its
            // path, query and headers are probed (an empty body).
            const response = await t.request({
              method: operation.method,
              url: probe.url,
              token,
              headers: probe.headers,
              ...(probe.body !== undefined ? { body: probe.body } : {}),
            });
            sent++;
            // Signing out (DELETE /api/v1/auth/token) revoked the token.
            if (operation.method === "DELETE" && response.statusCode < 300) token = await tokenFor(signedIn);
            const problem = fault(response, probe);
            if (problem) faults.push(`${operation.method} ${operation.path} (${probe.label}): ${problem}`);
          }
        }
        assert.ok(sent > 500, `${sent} probes`);
        assert.deepEqual(faults, []);
      });
    }
  });
}
