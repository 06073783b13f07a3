import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import Fastify, { type FastifyInstance } from "fastify";
import { AREAS, webPortal } from "../../src/web/app.ts";
import type { WebArea, WebContext } from "../../src/web/area.ts";
import { startTestApp, type TestApp } from "../support/harness.ts";
import { PageClient } from "../support/web-inject.ts";

/** Pages of each kind of access, beside the real areas (sign-in among them). */
const testArea: WebArea = async (app) => {
  app.get(
    "/test/signed-in",
    { config: { access: "signed-in" } },
    async (request) => `hello ${request.user?.login}`,
  );
  app.get("/test/staff", { config: { access: ["admin", "support"] } }, async () => "staff only");
  app.get("/test/broken", { config: { access: "public" } }, async () => {
    throw new Error("secret detail of a defect");
  });
};

async function portal(context: WebContext, areas: readonly WebArea[]): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.decorateRequest("user", null);
  await app.register(webPortal(context, areas));
  await app.ready();
  return app;
}

describe("access to pages", () => {
  let t: TestApp;
  let app: FastifyInstance;
  let context: WebContext;
  before(async () => {
    t = await startTestApp("sqlite");
    context = {
      services: t.upkeep.services,
      rateLimits: {
        signIn: { max: 100, timeWindow: 60_000 },
        registration: { max: 100, timeWindow: 60_000 },
      },
      defaultTimeZone: "UTC",
    };
    app = await portal(context, [...AREAS, testArea]);
    await t.upkeep.services.accounts.createUser({
      login: "plain-user",
      password: "password-123",
      role: "user",
    });
  });
  after(async () => {
    await app.close();
    await t.close();
  });

  it("sends a signed-out visitor to the sign-in form and back", async () => {
    const page = new PageClient({ app });
    const away = await page.get("/test/signed-in?tab=2");
    assert.equal(away.statusCode, 303);
    assert.equal(away.headers.location, "/sign-in?next=%2Ftest%2Fsigned-in%3Ftab%3D2");
    await page.get(away.headers.location as string);
    const signedIn = await page.post("/sign-in", {
      login: "plain-user",
      password: "password-123",
      next: "/test/signed-in?tab=2",
    });
    assert.equal(signedIn.headers.location, "/test/signed-in?tab=2");
    assert.equal((await page.get("/test/signed-in?tab=2")).body, "hello plain-user");
  });

  it("shows the 403 page to a user of another role, in the user's language", async () => {
    const page = new PageClient({ app }, { "accept-language": "id" });
    await page.get("/sign-in");
    await page.post("/sign-in", { login: "plain-user", password: "password-123" });
    const refused = await page.get("/test/staff");
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /Anda tidak memiliki akses ke halaman ini/);
  });

  it("shows the 500 page in the user's language, without the error's details", async () => {
    const broken = await new PageClient({ app }, { "accept-language": "ru" }).get("/test/broken");
    assert.equal(broken.statusCode, 500);
    assert.match(broken.body, /На нашей стороне что-то пошло не так/);
    assert.doesNotMatch(broken.body, /secret detail/);
  });

  it("does not start when a page leaves its access undeclared", async () => {
    const careless: WebArea = async (scope) => {
      scope.get("/test/careless", async () => "open to all?");
    };
    await assert.rejects(portal(context, [careless]), /GET \/test\/careless does not declare its access/);
  });
});
