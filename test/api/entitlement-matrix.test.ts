import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, it } from "node:test";
import {
  createConfiguration,
  createRelease,
  updatePackage,
  uploadDistribution,
} from "../support/catalogue-fixtures.ts";
import { availableDialects, startTestApp, type TestApp } from "../support/harness.ts";
import {
  clientHolding,
  createProduct,
  issueRegistered,
  partnerAccount,
  register,
  registrationCatalogue,
  subscribe,
} from "../support/registration-fixtures.ts";

const LIMITS = {
  rateLimits: {
    signIn: { max: 10_000, timeWindow: 60_000 },
    registration: { max: 10_000, timeWindow: 60_000 },
  },
};

type Expect = 200 | "not_registered" | "support_subscription_required" | "not_active_yet";

interface Actor {
  name: string;
  token: string;
  numbers: string[];
}

for (const dialect of await availableDialects()) {
  describe(`entitlement matrix on ${dialect}`, () => {
    let t: TestApp;
    const actors: Record<string, Actor> = {};
    const releases: Record<string, string> = {};
    const files: Record<string, { id: string; bytes: Buffer; sha256: string }> = {};
    let alpha: { token: string };
    let beta: { token: string };

    before(async () => {
      t = await startTestApp(dialect, LIMITS);
      await registrationCatalogue(t); // ACC basic, ENT prof (0 and 6 free months), HR corp
      await createConfiguration(t, "SOLO");
      await createProduct(t, "SOLO-BASIC", "basic", ["SOLO"]);
      for (const configuration of ["ACC", "ENT", "HR", "SOLO"]) {
        const release = await createRelease(t, { configuration, version: "1.0.1.1" });
        releases[configuration] = release.id;
        const bytes = await updatePackage(
          "1.0.1.1",
          Buffer.from(`${configuration} update distribution `.repeat(50)),
        );
        const uploaded = await uploadDistribution(t, release.id, bytes);
        files[configuration] = {
          id: uploaded.id,
          bytes,
          sha256: createHash("sha256").update(bytes).digest("hex"),
        };
      }
      alpha = await partnerAccount(t, "Matrix Alpha");
      beta = await partnerAccount(t, "Matrix Beta");

      const acc = await issueRegistered(t, "ACC-BASIC", { pin: false });
      const entBare = await issueRegistered(t, "ENT-PROF", { pin: false });
      const entPaid = await issueRegistered(t, "ENT-PROF", { pin: false });
      const entLapsed = await issueRegistered(t, "ENT-PROF", { pin: false });
      const entFree = await issueRegistered(t, "ENT-PROF6", { pin: false, purchaseDate: "2026-10-01" });
      const hrExtra = await issueRegistered(t, "HR-CORP", { pin: false });
      await subscribe(t, alpha.token, entPaid.registrationNumber, "2026-11", 1, [hrExtra.registrationNumber]);
      await subscribe(t, alpha.token, entLapsed.registrationNumber, "2026-08", 3);

      const holders: [string, string[]][] = [
        ["basic", [acc.registrationNumber]],
        ["profBare", [entBare.registrationNumber]],
        ["profPaid", [entPaid.registrationNumber, hrExtra.registrationNumber]],
        ["profLapsed", [entLapsed.registrationNumber]],
        ["profFree", [entFree.registrationNumber]],
      ];
      for (const [name, numbers] of holders) {
        const client = await clientHolding(t, (name === "profFree" ? beta : alpha).token, numbers);
        actors[name] = { name, token: client.token, numbers };
      }
      actors.admin = { name: "admin", token: t.adminToken, numbers: [] };
      actors.support = { name: "support", token: (await t.signUp("support")).token, numbers: [] };
      actors.partner = { name: "partner", token: alpha.token, numbers: [] };
      actors.nobody = { name: "nobody", token: (await t.signUp("user")).token, numbers: [] };
    });
    after(() => t.close());

    // Who may open each configuration's pages, and who may download its distribution this month.
    const see: Record<string, Record<string, Expect>> = {
      basic: { ACC: 200, ENT: "not_registered", HR: "not_registered", SOLO: "not_registered" },
      profBare: { ACC: "not_registered", ENT: 200, HR: "not_registered", SOLO: "not_registered" },
      profPaid: { ACC: "not_registered", ENT: 200, HR: 200, SOLO: "not_registered" },
      profLapsed: { ACC: "not_registered", ENT: 200, HR: "not_registered", SOLO: "not_registered" },
      profFree: { ACC: "not_registered", ENT: 200, HR: "not_registered", SOLO: "not_registered" },
      admin: { ACC: 200, ENT: 200, HR: 200, SOLO: 200 },
      support: { ACC: 200, ENT: 200, HR: 200, SOLO: 200 },
      partner: { ACC: "not_registered", ENT: "not_registered", HR: "not_registered", SOLO: "not_registered" },
      nobody: { ACC: "not_registered", ENT: "not_registered", HR: "not_registered", SOLO: "not_registered" },
    };
    const download: Record<string, Record<string, Expect>> = {
      ...see,
      profBare: { ...see.profBare!, ENT: "support_subscription_required" },
      profLapsed: { ...see.profLapsed!, ENT: "support_subscription_required" },
    };

    function check(
      response: { statusCode: number; json(): Record<string, unknown> },
      expected: Expect,
      what: string,
    ) {
      if (expected === 200) {
        assert.equal(response.statusCode, 200, what);
        return;
      }
      assert.equal(response.statusCode, 403, what);
      assert.equal(response.json().code, expected, what);
    }

    it("catalogue pages: a configuration opens only through a held product (staff see all)", async () => {
      for (const [actor, row] of Object.entries(see)) {
        for (const [configuration, expected] of Object.entries(row)) {
          const what = `${actor} ${configuration}`;
          const list = await t.request({
            method: "GET",
            url: `/api/v1/configurations/${configuration}/releases`,
            token: actors[actor]!.token,
          });
          check(list, expected, `${what} releases`);
          if (expected === "not_registered") {
            assert.match(String(list.json().offer), /register/i, "the refusal offers to buy and register");
          }
          const release = await t.request({
            method: "GET",
            url: `/api/v1/releases/${releases[configuration]}`,
            token: actors[actor]!.token,
          });
          check(release, expected, `${what} release page`);
        }
        const listed = await t.request({
          method: "GET",
          url: "/api/v1/configurations",
          token: actors[actor]!.token,
        });
        const codes = listed
          .json()
          .map((c: { code: string }) => c.code)
          .sort();
        const visible = Object.entries(row)
          .filter(([, e]) => e === 200)
          .map(([c]) => c)
          .sort();
        assert.deepEqual(codes, visible, `${actor} configuration list`);
      }
    });

    it("downloads: basic always, PROF and CORP only with this month covered, naming the month", async () => {
      for (const [actor, row] of Object.entries(download)) {
        for (const [configuration, expected] of Object.entries(row)) {
          const response = await t.request({
            method: "GET",
            url: `/api/v1/distributions/${files[configuration]!.id}/file`,
            token: actors[actor]!.token,
          });
          check(response, expected, `${actor} downloads ${configuration}`);
          if (expected === "support_subscription_required") assert.equal(response.json().month, "2026-11");
          const plan = await t.request({
            method: "POST",
            url: "/api/v1/updates/plan",
            token: actors[actor]!.token,
            body: { configuration, version: "1.0.0.1" },
          });
          if (see[actor]![configuration] === 200) {
            assert.equal(plan.statusCode, 200, `${actor} plans ${configuration}`);
            assert.equal(
              plan.json().download.allowed,
              expected === 200,
              `${actor} plan verdict ${configuration}`,
            );
            if (expected !== 200) assert.equal(plan.json().download.code, expected);
          } else {
            check(plan, "not_registered", `${actor} plans ${configuration}`);
          }
        }
      }
    });

    it("next month the paid PROF lapses and the free one still runs; basic downloads regardless", async () => {
      t.clock.set("2026-12-05T09:00:00Z");
      try {
        const paid = await t.request({
          method: "GET",
          url: `/api/v1/distributions/${files.ENT!.id}/file`,
          token: actors.profPaid!.token,
        });
        assert.equal(paid.statusCode, 403);
        assert.equal(paid.json().code, "support_subscription_required");
        assert.equal(paid.json().month, "2026-12");
        const free = await t.request({
          method: "GET",
          url: `/api/v1/distributions/${files.ENT!.id}/file`,
          token: actors.profFree!.token,
        });
        assert.equal(free.statusCode, 200);
        t.clock.set("2027-02-10T00:00:00Z"); // within the token lifetime
        const basic = await t.request({
          method: "GET",
          url: `/api/v1/distributions/${files.ACC!.id}/file`,
          token: actors.basic!.token,
        });
        assert.equal(basic.statusCode, 200);
      } finally {
        t.clock.set("2026-11-16T10:00:00.000Z");
      }
    });

    it("a verdict reused on the busy path does not outlive the month it was taken in", async () => {
      const plan = () =>
        t.request({
          method: "POST",
          url: "/api/v1/updates/plan",
          token: actors.profPaid!.token,
          body: { configuration: "ENT", version: "1.0.0.1" },
        });
      t.clock.set("2026-11-30T23:59:50Z");
      try {
        assert.equal((await plan()).json().download.allowed, true);
        assert.equal((await plan()).json().download.allowed, true, "asked again, from what is kept");
        // Twenty seconds later: every cache still holds the user, but November has ended.
        t.clock.set("2026-12-01T00:00:10Z");
        const lapsed = (await plan()).json().download;
        assert.equal(lapsed.allowed, false);
        assert.equal(lapsed.code, "support_subscription_required");
        assert.equal(lapsed.month, "2026-12");
      } finally {
        t.clock.set("2026-11-16T10:00:00.000Z");
      }
    });

    it("a self-registered account is refused everything until it is active", async () => {
      const item = await issueRegistered(t, "ACC-BASIC");
      const { userCode, password } = (await register(t, item.registrationNumber, item.pin!)).json();
      const { token } = await t.upkeep.services.accounts.issueToken(
        (await t.upkeep.services.accounts.findByLogin(userCode))!,
      );
      assert.ok(password);
      const early = await t.request({
        method: "GET",
        url: `/api/v1/distributions/${files.ACC!.id}/file`,
        token,
      });
      assert.equal(early.statusCode, 403);
      assert.equal(early.json().code, "not_active_yet");
      t.clock.advanceMinutes(15);
      try {
        const later = await t.request({
          method: "GET",
          url: `/api/v1/distributions/${files.ACC!.id}/file`,
          token,
        });
        assert.equal(later.statusCode, 200);
      } finally {
        t.clock.set("2026-11-16T10:00:00.000Z");
      }
    });

    it("nobody reads another's products; a partner sees its own clients, and of others only its own sales", async () => {
      for (const actor of ["basic", "profBare", "profPaid", "profLapsed", "profFree", "nobody"]) {
        const response = await t.request({
          method: "GET",
          url: "/api/v1/me/products",
          token: actors[actor]!.token,
        });
        assert.equal(response.statusCode, 200);
        assert.deepEqual(
          response
            .json()
            .map((p: { registrationNumber: string }) => p.registrationNumber)
            .sort(),
          [...actors[actor]!.numbers].sort(),
          `${actor} sees exactly its own numbers`,
        );
      }
      const basicCode = actors.basic!.numbers[0]!;
      const freeCode = actors.profFree!.numbers[0]!;
      const own = await t.request({
        method: "GET",
        url: `/api/v1/partner/users/${basicCode}`,
        token: alpha.token,
      });
      assert.equal(own.statusCode, 200);
      for (const [token, code] of [
        [beta.token, basicCode],
        [alpha.token, freeCode],
      ] as const) {
        const read = await t.request({ method: "GET", url: `/api/v1/partner/users/${code}`, token });
        assert.equal(read.statusCode, 404, "another partner's client is not found");
        assert.ok(!read.body.includes("Romashka"), "and nothing of it leaks");
        // The client gives the user code to the partner it buys from next: that partner authorises
        // the purchase, and then sees the code and its own number only.
        const extra = await issueRegistered(t, "SOLO-BASIC", { pin: false });
        const write = await t.request({
          method: "POST",
          url: `/api/v1/partner/users/${code}/products`,
          token,
          body: { registrationNumber: extra.registrationNumber },
        });
        assert.equal(write.statusCode, 201, write.body);
        const after = await t.request({ method: "GET", url: `/api/v1/partner/users/${code}`, token });
        assert.equal(after.statusCode, 200);
        assert.deepEqual(
          after.json().products.map((p: { registrationNumber: string }) => p.registrationNumber),
          [extra.registrationNumber],
        );
        assert.ok(!after.body.includes("Romashka"), "nor the organisation");
      }
      // Clients and staff cannot use the partner routes at all.
      for (const actor of ["basic", "admin", "support"]) {
        const response = await t.request({
          method: "GET",
          url: `/api/v1/partner/users/${basicCode}`,
          token: actors[actor]!.token,
        });
        assert.equal(response.statusCode, 403, actor);
      }
      const anonymous = await t.request({ method: "GET", url: "/api/v1/me/products" });
      assert.equal(anonymous.statusCode, 401);
    });

    describe("the download itself", () => {
      const logCount = async () =>
        (await t.upkeep.database.db.selectFrom("download_log").selectAll().orderBy("id").execute()).length;

      it("serves the whole file with its length, ETag, ranges and checksum, and logs it", async () => {
        const file = files.ACC!;
        const before = await logCount();
        const response = await t.request({
          method: "GET",
          url: `/api/v1/distributions/${file.id}/file`,
          token: actors.basic!.token,
        });
        assert.equal(response.statusCode, 200);
        assert.equal(Number(response.headers["content-length"]), file.bytes.length);
        assert.equal(response.headers.etag, `"${file.sha256}"`);
        assert.equal(response.headers["accept-ranges"], "bytes");
        assert.equal(response.headers["x-checksum-sha256"], file.sha256);
        assert.deepEqual(response.rawPayload, file.bytes);
        const rows = await t.upkeep.database.db
          .selectFrom("download_log")
          .selectAll()
          .orderBy("id")
          .execute();
        assert.equal(rows.length, before + 1);
        const last = rows.at(-1)!;
        assert.equal(last.status, 200);
        assert.equal(Number(last.bytes), file.bytes.length);
        assert.equal(last.distribution_id, file.id);
        assert.ok(last.user_id);
      });

      it("serves a range as 206, ignores a stale If-Range, and refuses a range beyond the end with 416", async () => {
        const file = files.ACC!;
        const url = `/api/v1/distributions/${file.id}/file`;
        const token = actors.basic!.token;
        const partial = await t.request({ method: "GET", url, token, headers: { range: "bytes=10-29" } });
        assert.equal(partial.statusCode, 206);
        assert.equal(partial.headers["content-range"], `bytes 10-29/${file.bytes.length}`);
        assert.equal(Number(partial.headers["content-length"]), 20);
        assert.deepEqual(partial.rawPayload, file.bytes.subarray(10, 30));

        const current = await t.request({
          method: "GET",
          url,
          token,
          headers: { range: "bytes=0-4", "if-range": `"${file.sha256}"` },
        });
        assert.equal(current.statusCode, 206);
        const stale = await t.request({
          method: "GET",
          url,
          token,
          headers: { range: "bytes=0-4", "if-range": '"0000"' },
        });
        assert.equal(stale.statusCode, 200);
        assert.equal(Number(stale.headers["content-length"]), file.bytes.length);

        const beyond = await t.request({
          method: "GET",
          url,
          token,
          headers: { range: `bytes=${file.bytes.length}-` },
        });
        assert.equal(beyond.statusCode, 416);
        assert.equal(beyond.headers["content-range"], `bytes */${file.bytes.length}`);

        const rows = await t.upkeep.database.db
          .selectFrom("download_log")
          .selectAll()
          .orderBy("id")
          .execute();
        const statuses = rows.slice(-4).map((r) => [r.status, Number(r.bytes), r.range]);
        assert.deepEqual(statuses, [
          [206, 20, "10-29"],
          [206, 5, "0-4"],
          [200, file.bytes.length, null],
          [416, 0, `bytes=${file.bytes.length}-`],
        ]);
      });

      it("a refused download is not served and not logged as served", async () => {
        const before = await logCount();
        const response = await t.request({
          method: "GET",
          url: `/api/v1/distributions/${files.ENT!.id}/file`,
          token: actors.profBare!.token,
          headers: { range: "bytes=0-9" },
        });
        assert.equal(response.statusCode, 403);
        assert.equal(response.headers["content-range"], undefined);
        assert.equal(await logCount(), before);
      });
    });
  });
}
