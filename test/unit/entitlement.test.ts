import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type AuthorizedNumber,
  canRegisterProfWithPin,
  configurationAccess,
  downloadAccess,
  entitlementProblem,
  planAccess,
  releaseVisible,
  type Viewer,
} from "../../src/domain/entitlement.ts";
import { AppError } from "../../src/domain/errors.ts";
import type { Subscription } from "../../src/domain/subscriptions.ts";
import { sub } from "../support/subscriptions.ts";

const NOW = new Date("2026-04-10T12:00:00Z");
const ACCOUNTING = "accounting-2.0";
const PAYROLL = "payroll-2.5";

const user: Viewer = { role: "user", activeFrom: "2026-01-01T00:00:00Z" };
const newUser: Viewer = { role: "user", activeFrom: "2026-04-10T12:15:00Z" };

function number(registrationNumber: string, edition: AuthorizedNumber["edition"], configurations: string[]) {
  return {
    registrationNumber,
    product: `product of ${registrationNumber}`,
    edition,
    configurations,
    purchaseDate: null,
    freeSupportMonths: 0,
  } satisfies AuthorizedNumber;
}

const basicAccounting = number("8100000001", "basic", [ACCOUNTING]);
const profAccounting = number("8100000002", "prof", [ACCOUNTING, PAYROLL]);
const corpPayroll = number("8100000003", "corp", [PAYROLL]);

describe("configurationAccess", () => {
  it("allows a configuration through an authorised number whose product includes it", () => {
    assert.deepEqual(
      configurationAccess({
        viewer: user,
        numbers: [basicAccounting, profAccounting],
        configuration: ACCOUNTING,
        now: NOW,
      }),
      { allowed: true, via: ["8100000001", "8100000002"] },
    );
  });

  it("does not need a subscription to open the pages", () => {
    assert.equal(
      configurationAccess({ viewer: user, numbers: [profAccounting], configuration: PAYROLL, now: NOW })
        .allowed,
      true,
    );
  });

  it("denies a configuration that no authorised product includes", () => {
    assert.deepEqual(
      configurationAccess({ viewer: user, numbers: [basicAccounting], configuration: PAYROLL, now: NOW }),
      {
        allowed: false,
        reason: "not_registered",
        configuration: PAYROLL,
      },
    );
    assert.equal(
      configurationAccess({ viewer: user, numbers: [], configuration: PAYROLL, now: NOW }).allowed,
      false,
    );
  });

  it("denies a partner too: only staff see everything", () => {
    const partner: Viewer = { role: "partner", activeFrom: user.activeFrom };
    assert.equal(
      configurationAccess({ viewer: partner, numbers: [], configuration: PAYROLL, now: NOW }).allowed,
      false,
    );
  });

  it("lets admin and support see everything, even without numbers", () => {
    for (const role of ["admin", "support"] as const) {
      assert.deepEqual(
        configurationAccess({
          viewer: { role, activeFrom: newUser.activeFrom },
          numbers: [],
          configuration: PAYROLL,
          now: NOW,
        }),
        { allowed: true, via: [] },
      );
    }
  });

  it("denies an account whose access has not started yet, until it starts", () => {
    assert.deepEqual(
      configurationAccess({
        viewer: newUser,
        numbers: [basicAccounting],
        configuration: ACCOUNTING,
        now: NOW,
      }),
      { allowed: false, reason: "not_active_yet", configuration: ACCOUNTING, activeFrom: newUser.activeFrom },
    );
    const atStart = new Date("2026-04-10T12:15:00Z");
    assert.equal(
      configurationAccess({
        viewer: newUser,
        numbers: [basicAccounting],
        configuration: ACCOUNTING,
        now: atStart,
      }).allowed,
      true,
    );
  });

  it("refuses an account whose activation moment cannot be read, instead of treating it as active", () => {
    const unreadable: Viewer = { role: "user", activeFrom: "next Monday" };
    const input = { viewer: unreadable, numbers: [basicAccounting], configuration: ACCOUNTING, now: NOW };
    assert.throws(() => configurationAccess(input), /activeFrom is not a timestamp: next Monday/);
    assert.throws(() => downloadAccess({ ...input, subscriptions: [] }), /activeFrom is not a timestamp/);
  });
});

describe("downloadAccess", () => {
  const download = (
    numbers: AuthorizedNumber[],
    subscriptions: Subscription[],
    configuration = ACCOUNTING,
    viewer = user,
  ) => downloadAccess({ viewer, numbers, subscriptions, configuration, now: NOW });

  it("basic editions always download", () => {
    assert.deepEqual(download([basicAccounting], []), { allowed: true, via: ["8100000001"] });
  });

  it("PROF without this month's subscription is denied, naming the month and the numbers", () => {
    assert.deepEqual(
      download([profAccounting], [sub("8100000002", "2026-03", 1), sub("8100000002", "2026-05", 1)]),
      {
        allowed: false,
        reason: "support_subscription_required",
        configuration: ACCOUNTING,
        month: "2026-04",
        registrationNumbers: ["8100000002"],
      },
    );
  });

  it("PROF with this month's subscription downloads", () => {
    assert.deepEqual(download([profAccounting], [sub("8100000002", "2026-04", 1)]), {
      allowed: true,
      via: ["8100000002"],
    });
  });

  it("CORP behaves like PROF", () => {
    assert.equal(download([corpPayroll], [], PAYROLL).allowed, false);
    assert.equal(download([corpPayroll], [sub("8100000003", "2026-01", 12)], PAYROLL).allowed, true);
  });

  it("an additional number in another product's subscription downloads", () => {
    assert.equal(download([profAccounting], [sub("8100000009", "2026-04", 1, ["8100000002"])]).allowed, true);
  });

  it("a subscription for a number the product does not hold does not help", () => {
    assert.equal(download([profAccounting], [sub("8100000003", "2026-04", 1)]).allowed, false);
  });

  it("the running free period of a new PROF purchase downloads, and stops at its end", () => {
    const fresh = { ...profAccounting, purchaseDate: "2026-01-11", freeSupportMonths: 3 };
    assert.equal(download([fresh], []).allowed, true);
    const expired = { ...profAccounting, purchaseDate: "2026-01-10", freeSupportMonths: 3 };
    assert.equal(download([expired], []).allowed, false);
  });

  it("is allowed when any authorised number including the configuration allows it", () => {
    assert.deepEqual(download([profAccounting, basicAccounting], []), { allowed: true, via: ["8100000001"] });
    assert.deepEqual(download([profAccounting, corpPayroll], [sub("8100000003", "2026-04", 1)], PAYROLL), {
      allowed: true,
      via: ["8100000003"],
    });
  });

  it("lists every number that would need the subscription", () => {
    const denied = download([profAccounting, corpPayroll, basicAccounting], [], PAYROLL);
    assert.equal(denied.allowed, false);
    assert.ok(!denied.allowed && denied.reason === "support_subscription_required");
    assert.deepEqual(denied.registrationNumbers, ["8100000002", "8100000003"]);
  });

  it("reports not_registered and not_active_yet before the subscription", () => {
    assert.equal((download([basicAccounting], [], PAYROLL) as { reason: string }).reason, "not_registered");
    assert.equal(
      (download([profAccounting], [], ACCOUNTING, newUser) as { reason: string }).reason,
      "not_active_yet",
    );
  });

  it("staff download without a subscription", () => {
    assert.equal(download([], [], PAYROLL, { role: "support", activeFrom: user.activeFrom }).allowed, true);
    assert.equal(
      download([profAccounting], [], ACCOUNTING, { role: "admin", activeFrom: user.activeFrom }).allowed,
      true,
    );
  });
});

describe("entitlementProblem", () => {
  it("offers to buy and register an unregistered configuration", () => {
    const error = entitlementProblem({ allowed: false, reason: "not_registered", configuration: PAYROLL });
    assert.ok(error instanceof AppError);
    assert.equal(error.kind, "forbidden");
    assert.equal(error.code, "not_registered");
    assert.ok(error.message.includes(PAYROLL));
    assert.deepEqual(error.details, {
      configuration: PAYROLL,
      offer: `Buy a product that includes ${PAYROLL} from a partner and register it with its registration number and PIN.`,
    });
  });

  it("asks to subscribe for the current month", () => {
    const error = entitlementProblem({
      allowed: false,
      reason: "support_subscription_required",
      configuration: ACCOUNTING,
      month: "2026-04",
      registrationNumbers: ["8100000002"],
    });
    assert.equal(error.kind, "forbidden");
    assert.equal(error.code, "support_subscription_required");
    assert.equal(
      error.message,
      "Updates of PROF editions need a support subscription for 2026-04; subscribe for the current month.",
    );
    assert.deepEqual(error.details, { month: "2026-04", registrationNumbers: ["8100000002"] });
  });

  it("says when the account becomes active", () => {
    const error = entitlementProblem({
      allowed: false,
      reason: "not_active_yet",
      configuration: ACCOUNTING,
      activeFrom: newUser.activeFrom,
    });
    assert.equal(error.kind, "forbidden");
    assert.equal(error.code, "not_active_yet");
    // Readable in the detail; exact in the activeFrom field.
    const readable = `${newUser.activeFrom.slice(0, 10)} ${newUser.activeFrom.slice(11, 19)} UTC`;
    assert.ok(error.message.includes(readable), error.message);
    assert.deepEqual(error.details, { activeFrom: newUser.activeFrom });
  });
});

describe("canRegisterProfWithPin", () => {
  const base = {
    edition: "prof" as const,
    number: "8100000002",
    subscriptions: [] as Subscription[],
    purchaseDate: null as string | null,
    freeSupportMonths: 0,
    now: NOW,
  };

  it("basic editions always register", () => {
    assert.equal(canRegisterProfWithPin({ ...base, edition: "basic" }), true);
  });

  it("PROF/CORP without support do not register", () => {
    assert.equal(canRegisterProfWithPin(base), false);
    assert.equal(canRegisterProfWithPin({ ...base, edition: "corp" }), false);
    assert.equal(
      canRegisterProfWithPin({ ...base, subscriptions: [sub("8100000002", "2026-03", 1)] }),
      false,
    );
  });

  it("PROF registers when subscribed this month as main number", () => {
    assert.equal(canRegisterProfWithPin({ ...base, subscriptions: [sub("8100000002", "2026-04", 1)] }), true);
  });

  it("PROF registers when listed as an additional number of another product's subscription", () => {
    assert.equal(
      canRegisterProfWithPin({ ...base, subscriptions: [sub("8100000009", "2026-02", 6, ["8100000002"])] }),
      true,
    );
  });

  it("PROF registers during its free months from purchase, not after", () => {
    assert.equal(canRegisterProfWithPin({ ...base, purchaseDate: "2026-03-01", freeSupportMonths: 3 }), true);
    assert.equal(
      canRegisterProfWithPin({ ...base, purchaseDate: "2025-10-01", freeSupportMonths: 6 }),
      false,
    );
  });
});

describe("planAccess", () => {
  it("tells a missing subscription in the plan and refuses the other denials", () => {
    const allowed = downloadAccess({
      viewer: user,
      numbers: [],
      subscriptions: [],
      configuration: ACCOUNTING,
      now: NOW,
    });
    assert.equal(allowed.allowed, false);
    assert.throws(
      () => planAccess(allowed),
      (e: unknown) => e instanceof AppError && e.code === "not_registered",
    );
    const unsupported = downloadAccess({
      viewer: user,
      numbers: [number("8100000002", "prof", [ACCOUNTING])],
      subscriptions: [],
      configuration: ACCOUNTING,
      now: NOW,
    });
    assert.equal(planAccess(unsupported), unsupported);
    const early = downloadAccess({
      viewer: newUser,
      numbers: [number("8100000002", "prof", [ACCOUNTING])],
      subscriptions: [],
      configuration: ACCOUNTING,
      now: NOW,
    });
    assert.throws(
      () => planAccess(early),
      (e: unknown) => e instanceof AppError && e.code === "not_active_yet",
    );
  });
});

describe("releaseVisible", () => {
  it("shows drafts and withdrawn releases to staff only", () => {
    assert.equal(releaseVisible("published", "user"), true);
    assert.equal(releaseVisible("draft", "user"), false);
    assert.equal(releaseVisible("withdrawn", "partner"), false);
    assert.equal(releaseVisible("draft", "admin"), true);
  });
});
