import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { availableDialects, startTestApp, type TestApp } from "../support/harness.ts";
import { PageClient, setCookies } from "../support/web-inject.ts";

const LOGIN = "web-user";
const PASSWORD = "web-password-1";

for (const dialect of await availableDialects()) {
  describe(`web portal pages on ${dialect}`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(dialect);
      await t.upkeep.services.accounts.createUser({
        login: LOGIN,
        password: PASSWORD,
        role: "user",
        displayName: "Siti Rahma",
      });
    });
    after(() => t.close());

    describe("language", () => {
      it("starts from Accept-Language and sets <html lang>", async () => {
        const page = new PageClient(t, { "accept-language": "ru-RU,ru;q=0.9,en;q=0.5" });
        const home = await page.get("/");
        assert.equal(home.statusCode, 200);
        assert.match(home.headers["content-type"] as string, /^text\/html; charset=utf-8/);
        assert.match(home.body, /^<!doctype html><html lang="ru">/);
        assert.match(home.body, /Последние релизы/);
      });

      it("remembers ?lang= in a cookie over Accept-Language, on every later page", async () => {
        const page = new PageClient(t, { "accept-language": "ru" });
        const switched = await page.get("/sign-in?lang=id");
        assert.match(switched.body, /<html lang="id">/);
        const cookie = setCookies(switched).find((c) => c.name === "lang");
        assert.equal(cookie?.value, "id");
        assert.equal(cookie?.attributes.samesite, "Lax");
        assert.ok(Number(cookie?.attributes["max-age"]) > 300 * 24 * 3600, "kept for a year");
        assert.match((await page.get("/")).body, /<html lang="id">/);
        assert.match((await page.get("/no-such-page")).body, /Halaman tidak ditemukan/);
      });

      it("switches through the footer's form and returns to the page, never to another site", async () => {
        const page = new PageClient(t);
        await page.get("/sign-in");
        const switched = await page.post("/language", { lang: "ru", next: "/sign-in?next=%2F" });
        assert.equal(switched.statusCode, 303);
        assert.equal(switched.headers.location, "/sign-in?next=%2F");
        assert.match((await page.get("/sign-in")).body, /<html lang="ru">/);
        const away = await page.post("/language", { lang: "en", next: "//evil.example/" });
        assert.equal(away.headers.location, "/");
        assert.match((await page.get("/")).body, /<html lang="en">/);
      });
    });

    describe("CSRF", () => {
      it("refuses a form posted without its token, with a wrong one, or without the secret cookie", async () => {
        const page = new PageClient(t, { "accept-language": "ru" });
        await page.get("/sign-in");
        for (const csrf of ["", "forged-token"]) {
          const refused = await page.post("/sign-in", { _csrf: csrf, login: LOGIN, password: PASSWORD });
          assert.equal(refused.statusCode, 403, `token "${csrf}"`);
          assert.match(refused.body, /Срок действия формы истёк/);
          assert.equal(
            setCookies(refused).find((c) => c.name === "upkeep_session"),
            undefined,
          );
        }
        const token = page.csrf();
        const stranger = new PageClient(t);
        const noSecret = await stranger.post("/sign-in", { _csrf: token, login: LOGIN, password: PASSWORD });
        assert.equal(noSecret.statusCode, 403);
        const signOut = await page.post("/sign-out", { _csrf: "" });
        assert.equal(signOut.statusCode, 403);
      });
    });

    describe("signing in and out", () => {
      it("shows a refused sign-in in the user's language, keeping the login", async () => {
        const page = new PageClient(t, { "accept-language": "id" });
        await page.get("/sign-in");
        const wrong = await page.post("/sign-in", { login: LOGIN, password: "wrong-password", next: "/" });
        assert.equal(wrong.statusCode, 401);
        assert.match(wrong.body, /Login atau kata sandi salah/);
        assert.match(wrong.body, new RegExp(`name="login" type="text" value="${LOGIN}"`));
        assert.doesNotMatch(wrong.body, /wrong-password/);
      });

      it("refuses control characters in a form or an address with the 400 page, before any use case", async () => {
        const page = new PageClient(t, { "accept-language": "ru" });
        await page.get("/sign-in");
        const nul = await page.post("/sign-in", { login: "web\u0000user", password: PASSWORD });
        assert.equal(nul.statusCode, 400);
        assert.match(nul.body, /<html lang="ru">/);
        const bell = await page.post("/sign-in", { login: LOGIN, password: `${PASSWORD}\u0007` });
        assert.equal(bell.statusCode, 400);
        const inQuery = await page.get("/sign-in?next=%2F%00");
        assert.equal(inQuery.statusCode, 400);
        // Only text areas may break lines; a login is one line.
        const lines = await page.post("/sign-in", { login: "web\r\nuser", password: PASSWORD });
        assert.equal(lines.statusCode, 400);
      });

      it("tells an account that is not active yet when it opens, in the user's time zone", async () => {
        await t.upkeep.services.accounts.createUser({
          login: "not-yet",
          password: PASSWORD,
          role: "user",
          activeFrom: new Date(t.clock.now().getTime() + 15 * 60_000),
        });
        const page = new PageClient(t, { "accept-language": "en" });
        page.cookies.set("tz", "Asia/Jakarta");
        await page.get("/sign-in");
        const early = await page.post("/sign-in", { login: "not-yet", password: PASSWORD });
        assert.equal(early.statusCode, 403);
        // 10:15 UTC is 17:15 in Jakarta.
        assert.match(early.body, /Your account opens at Nov 16, 2026, 05:15\sPM GMT\+7/);
      });

      it("starts a server-side session with an HttpOnly SameSite=Lax cookie and ends it on sign-out", async () => {
        const page = new PageClient(t);
        await page.get("/sign-in?next=%2Fsign-in%3Fx%3D1");
        const signedIn = await page.post("/sign-in", {
          login: LOGIN,
          password: PASSWORD,
          next: "/sign-in?x=1",
        });
        assert.equal(signedIn.statusCode, 303);
        assert.equal(signedIn.headers.location, "/sign-in?x=1");
        const cookie = setCookies(signedIn).find((c) => c.name === "upkeep_session");
        assert.ok(cookie, "a session cookie");
        assert.equal(cookie.attributes.httponly, true);
        assert.equal(cookie.attributes.samesite, "Lax");
        assert.equal(cookie.attributes.path, "/");
        assert.equal(cookie.attributes.secure, undefined, "plain http: not Secure");
        const home = await page.get("/");
        assert.match(home.body, /Signed in as <strong>Siti Rahma<\/strong>/);
        assert.match(home.body, /href="\/account"/);

        const rows = () => t.upkeep.database.db.selectFrom("web_sessions").select("secret_hash").execute();
        assert.ok(
          (await rows()).every((row) => row.secret_hash !== cookie.value),
          "only a hash is stored",
        );
        const before = (await rows()).length;
        const signedOut = await page.post("/sign-out", {});
        assert.equal(signedOut.statusCode, 303);
        assert.equal((await rows()).length, before - 1, "the session row is deleted");
        const stale = new PageClient(t);
        const replay = await stale.get("/", { cookie: `upkeep_session=${cookie.value}` });
        assert.doesNotMatch(replay.body, /Signed in as/);
        assert.equal(setCookies(replay).find((c) => c.name === "upkeep_session")?.value, "");
      });

      it("goes only to a local page after signing in", async () => {
        const page = new PageClient(t);
        await page.get("/sign-in");
        const signedIn = await page.post("/sign-in", {
          login: LOGIN,
          password: PASSWORD,
          next: "https://evil.example/",
        });
        assert.equal(signedIn.headers.location, "/");
      });

      it("replaces a session cookie set before sign-in", async () => {
        const page = new PageClient(t);
        page.cookies.set("upkeep_session", "planted-by-someone-else");
        await page.get("/sign-in");
        await page.post("/sign-in", { login: LOGIN, password: PASSWORD });
        assert.notEqual(page.cookies.get("upkeep_session"), "planted-by-someone-else");
      });

      it("throttles sign-in per address as the API does, with a page in the user's language", async () => {
        const limited = await startTestApp(dialect, {
          rateLimits: { signIn: { max: 3, timeWindow: 60_000 } },
        });
        try {
          const page = new PageClient(limited, { "accept-language": "ru" });
          await page.get("/sign-in");
          for (let i = 0; i < 3; i++) {
            const refused = await page.post("/sign-in", { login: LOGIN, password: "wrong" });
            assert.equal(refused.statusCode, 401);
          }
          const throttled = await page.post("/sign-in", { login: LOGIN, password: "wrong" });
          assert.equal(throttled.statusCode, 429);
          assert.match(throttled.body, /Слишком много попыток/);
          assert.ok(throttled.headers["retry-after"]);
        } finally {
          await limited.close();
        }
      });
    });

    describe("headers and errors", () => {
      it("sends a strict Content-Security-Policy without inline script or style", async () => {
        const home = await new PageClient(t).get("/");
        const csp = home.headers["content-security-policy"] as string;
        assert.match(csp, /default-src 'self'/);
        assert.match(csp, /script-src 'self'(;|$)/);
        assert.match(csp, /style-src 'self'(;|$)/);
        assert.match(csp, /frame-ancestors 'none'/);
        assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
        assert.doesNotMatch(home.body, /<style|style=|<script>|<script [^>]*>[^<]|\son[a-z]+=/i);
        assert.equal(home.headers["cache-control"], "no-store");
      });

      it("marks the session cookie Secure behind a trusted https proxy", async () => {
        const proxied = await startTestApp(dialect, { trustProxy: true });
        try {
          await proxied.upkeep.services.accounts.createUser({
            login: LOGIN,
            password: PASSWORD,
            role: "user",
          });
          const page = new PageClient(proxied, { "x-forwarded-proto": "https" });
          await page.get("/sign-in");
          const signedIn = await page.post("/sign-in", { login: LOGIN, password: PASSWORD });
          const cookie = setCookies(signedIn).find((c) => c.name === "upkeep_session");
          assert.equal(cookie?.attributes.secure, true);
        } finally {
          await proxied.close();
        }
      });

      it("answers an unknown page with the 404 page, and the API's unknown paths as before", async () => {
        const page = await new PageClient(t, { "accept-language": "ru" }).get("/no/such/page");
        assert.equal(page.statusCode, 404);
        assert.match(page.body, /Страница не найдена/);
        for (const url of ["/api/v1/no-such-route", "/tuf/nothing/here", "/assets/missing.css"]) {
          const api = await t.request({ method: "GET", url });
          assert.equal(api.statusCode, 404, url);
          assert.match(api.headers["content-type"] as string, /application\/problem\+json/, url);
          assert.equal(api.json().code, "not_found", url);
        }
      });

      it("serves the stylesheet for a year under a versioned URL", async () => {
        const home = await new PageClient(t).get("/");
        const href = /href="(\/assets\/site\.css\?v=[0-9a-f]+)"/.exec(home.body)?.[1];
        assert.ok(href);
        const css = await t.request({ method: "GET", url: href });
        assert.equal(css.statusCode, 200);
        assert.match(css.headers["content-type"] as string, /text\/css/);
        assert.match(css.headers["cache-control"] as string, /max-age=31536000.*immutable/);
      });
    });
  });
}
