import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, before, describe, it } from "node:test";
import type { LightMyRequestResponse } from "fastify";
import { availableDialects, startTestApp, type TestApp } from "../support/harness.ts";

/** Sends raw bytes to the listening service and reads all it answers until it closes. */
function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => resolve(Buffer.concat(chunks).toString("utf8")));
    socket.setTimeout(5000, () => socket.destroy(new Error("the service did not close the connection")));
    socket.write(request);
  });
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function parseRaw(text: string): RawResponse {
  const [head = "", body = ""] = text.split("\r\n\r\n");
  const [statusLine = "", ...lines] = head.split("\r\n");
  const headers = Object.fromEntries(
    lines.map((line) => {
      const colon = line.indexOf(":");
      return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
    }),
  );
  return { status: Number(statusLine.split(" ")[1]), headers, body };
}

function assertProblem(response: LightMyRequestResponse, status: number, code: string) {
  assert.equal(response.statusCode, status, response.body);
  assert.match(String(response.headers["content-type"]), /^application\/problem\+json/);
  assert.equal(response.headers["x-content-type-options"], "nosniff");
  assert.equal(response.json().code, code);
  assert.equal(response.json().status, status);
}

for (const dialect of await availableDialects()) {
  describe(`errors outside the routes on ${dialect}`, () => {
    let t: TestApp;
    let port: number;
    before(async () => {
      t = await startTestApp(dialect);
      await t.app.listen({ port: 0, host: "127.0.0.1" });
      port = (t.app.server.address() as { port: number }).port;
    });
    after(() => t.close());

    it("answers a URL that does not decode with a bad_url problem", async () => {
      for (const url of ["/api/v1/releases/%ff", "/api/v1/releases/a%", "/nowhere/%e0%80"]) {
        assertProblem(await t.request({ method: "GET", url, token: t.adminToken }), 400, "bad_url");
        assertProblem(await t.request({ method: "GET", url }), 400, "bad_url");
      }
    });

    it("answers a path parameter over the router's limit with a 414 problem", async () => {
      const url = `/api/v1/releases/${"x".repeat(200)}`;
      assertProblem(
        await t.request({ method: "GET", url, token: t.adminToken }),
        414,
        "path_parameter_too_long",
      );
    });

    it("answers header fields over the parser's limit with a 431 problem and closes", async () => {
      const raw = parseRaw(
        await rawExchange(
          port,
          `GET /api/v1/me HTTP/1.1\r\nHost: localhost\r\nX-Padding: ${"x".repeat(20_000)}\r\n\r\n`,
        ),
      );
      assert.equal(raw.status, 431);
      assert.match(raw.headers["content-type"] ?? "", /^application\/problem\+json/);
      assert.equal(raw.headers["x-content-type-options"], "nosniff");
      assert.equal(raw.headers.connection, "close");
      assert.equal(Number(raw.headers["content-length"]), Buffer.byteLength(raw.body));
      assert.equal(JSON.parse(raw.body).code, "headers_too_large");
    });

    it("answers a control character in a header with a 400 problem and closes", async () => {
      for (const header of ["X-Note: a\u0001b", "Authorization: Bearer a\u0000b", "Bad Name: x"]) {
        const raw = parseRaw(
          await rawExchange(port, `GET /api/v1/me HTTP/1.1\r\nHost: localhost\r\n${header}\r\n\r\n`),
        );
        assert.equal(raw.status, 400, header);
        assert.match(raw.headers["content-type"] ?? "", /^application\/problem\+json/);
        assert.equal(raw.headers["x-content-type-options"], "nosniff");
        assert.equal(raw.headers.connection, "close");
        const problem = JSON.parse(raw.body);
        assert.equal(typeof problem.code, "string");
        assert.equal(problem.status, 400);
      }
    });

    it("answers a request that is not HTTP at all with a 400 problem", async () => {
      const raw = parseRaw(await rawExchange(port, "HELLO\r\n\r\n"));
      assert.equal(raw.status, 400);
      assert.equal(JSON.parse(raw.body).code, "malformed_request");
      assert.equal(raw.headers["x-content-type-options"], "nosniff");
    });

    it("answers the health check whatever Authorization it carries", async () => {
      for (const authorization of [
        "Bearer not-a-token",
        `Bearer ${t.adminToken}x`,
        "Basic dXNlcjpwYXNz",
        "garbage",
        "",
      ]) {
        const response = await t.request({ method: "GET", url: "/healthz", headers: { authorization } });
        assert.equal(response.statusCode, 200, authorization);
        assert.deepEqual(response.json(), { status: "ok" });
        assert.equal(response.headers["x-content-type-options"], "nosniff");
      }
      // The API itself still refuses an unknown token.
      assertProblem(
        await t.request({ method: "GET", url: "/api/v1/me", token: "not-a-token" }),
        401,
        "invalid_token",
      );
    });
  });
}
