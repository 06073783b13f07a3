import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { MAX_TEXT_LENGTH, ORGANIZATION_FIELDS } from "../../src/domain/organization.ts";
import { ROLES, type Role } from "../../src/domain/roles.ts";
import type { User } from "../../src/services/accounts.ts";
import { availableDialects, startTestApp, type TestApp } from "../support/harness.ts";
import { BASELINE, exampleOf, type Operation, operationsOf, type Schema } from "../support/openapi.ts";

type Document = { paths: Record<string, Record<string, Schema>> };

const HIGH_LIMITS = {
  rateLimits: {
    signIn: { max: 10_000, timeWindow: 60_000 },
    registration: { max: 10_000, timeWindow: 60_000 },
  },
};

for (const dialect of await availableDialects()) {
  describe(`OpenAPI document on ${dialect}`, () => {
    let t: TestApp;
    let document: Document;
    before(async () => {
      t = await startTestApp(dialect, HIGH_LIMITS);
      document = (await t.request({ method: "GET", url: "/api/openapi.json" })).json();
    });
    after(() => t.close());

    const operation = (path: string, method: string) => {
      const found = document.paths[path]?.[method];
      assert.ok(found, `${method} ${path} is documented`);
      return found as Schema & { responses: Record<string, unknown> };
    };

    it("states on every route the roles that may call it", () => {
      let count = 0;
      for (const [path, methods] of Object.entries(document.paths)) {
        for (const [method, op] of Object.entries(methods)) {
          const label = `${method} ${path}`;
          const roles = op["x-roles"] as Role[] | undefined;
          assert.ok(Array.isArray(roles), `${label} states x-roles`);
          for (const role of roles) assert.ok(ROLES.includes(role), `${label}: ${role}`);
          assert.match(String(op.description), /^Access: /, `${label} says who may call it`);
          if (roles.length === 0) {
            assert.deepEqual(op.security, [], `${label} is public, so needs no bearer token`);
            assert.match(String(op.description), /^Access: public/);
          } else {
            assert.equal(op.security, undefined, `${label} takes the document's bearer token`);
            for (const role of roles) assert.ok(String(op.description).includes(role), `${label}: ${role}`);
          }
          count++;
        }
      }
      assert.ok(count >= 27, `${count} operations`);
    });

    it("enforces exactly the roles it states", async () => {
      const accounts = new Map<Role, User>();
      for (const role of ROLES) accounts.set(role, role === "admin" ? t.admin : (await t.signUp(role)).user);
      const mismatches: string[] = [];
      for (const op of operationsOf(document)) {
        const stated = document.paths[op.path]![op.method.toLowerCase()]!["x-roles"] as Role[];
        if (stated.length === 0) continue;
        const send = async (token: string | null) =>
          t.request({
            method: op.method,
            url: op.path.replace(/\{([^}]+)\}/g, (_, name: string) => op.pathExamples[name]!),
            token,
            headers: Object.fromEntries(op.headerParams.map((name) => [name, BASELINE])),
            ...(op.body ? { body: exampleOf(op.body) } : {}),
          });
        const signedOut = await send(null);
        if (signedOut.statusCode !== 401) mismatches.push(`${label(op)} signed out: ${signedOut.statusCode}`);
        for (const [role, user] of accounts) {
          // A token of its own, as signing out revokes the token it carries.
          const response = await send((await t.upkeep.services.accounts.issueToken(user)).token);
          const refused = response.statusCode === 403 && response.json().code === "forbidden";
          if (refused === stated.includes(role)) {
            mismatches.push(`${label(op)} as ${role}: ${response.statusCode} ${response.body.slice(0, 120)}`);
          }
        }
      }
      assert.deepEqual(mismatches, []);
    });

    it("documents every answer of the download route", () => {
      const download = operation("/api/v1/distributions/{id}/file", "get");
      for (const status of ["200", "206", "401", "403", "404", "416"]) {
        assert.ok(download.responses[status], `download documents ${status}`);
      }
      const partial = download.responses["206"] as { content: Record<string, unknown> };
      assert.ok(partial.content["application/octet-stream"]);
    });

    it("lists the organisation's fields and their limits wherever the form is sent", () => {
      for (const [path, bodyPath] of [
        ["/api/v1/registrations", ["organization"]],
        ["/api/v1/admin/registration-numbers/{number}/card", ["organization"]],
        ["/api/v1/partner/users", ["organization"]],
      ] as const) {
        const requestBody = operation(path, "post").requestBody as {
          content: Record<string, { schema: Schema }>;
        };
        let schema = requestBody.content["application/json"]!.schema;
        for (const key of bodyPath) schema = (schema.properties as Record<string, Schema>)[key]!;
        const properties = schema.properties as Record<string, { description: string }>;
        assert.deepEqual(Object.keys(properties), [...ORGANIZATION_FIELDS], path);
        assert.match(properties.name!.description, new RegExp(`${MAX_TEXT_LENGTH} characters`));
        assert.match(properties.workstations!.description, /whole number from 1 to/);
      }
    });
  });
}

const label = (op: Operation) => `${op.method} ${op.path}`;
