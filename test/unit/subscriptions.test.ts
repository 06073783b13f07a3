import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../../src/domain/errors.ts";
import {
  freeSupportEnd,
  isCoveredInMonth,
  isSameSubscription,
  type SupportStatusInput,
  spansOverlap,
  supportStatus,
  validateSubscription,
} from "../../src/domain/subscriptions.ts";
import { sub } from "../support/subscriptions.ts";

const MAIN = "8100000001";
const EXTRA = "8100000002";
const OTHER = "8100000003";

function invalidSubscription(field: string, messagePart: string) {
  return (error: unknown) => {
    assert.ok(error instanceof AppError);
    assert.equal(error.kind, "bad_request");
    assert.equal(error.code, "invalid_subscription");
    assert.equal(error.details.field, field);
    assert.ok(error.message.includes(messagePart), error.message);
    return true;
  };
}

describe("validateSubscription", () => {
  it("accepts a valid subscription and defaults additional numbers to none", () => {
    assert.deepEqual(
      validateSubscription({ mainNumber: MAIN, fromMonth: "2026-01", months: 12 }),
      sub(MAIN, "2026-01", 12),
    );
    assert.deepEqual(
      validateSubscription({
        mainNumber: MAIN,
        fromMonth: "2026-01",
        months: 120,
        additionalNumbers: [EXTRA, OTHER],
      }),
      sub(MAIN, "2026-01", 120, [EXTRA, OTHER]),
    );
    assert.deepEqual(validateSubscription({ mainNumber: MAIN, fromMonth: "2026-01", months: 1 }).months, 1);
  });

  for (const months of [0, 121, 1.5, -3, "12", null]) {
    it(`rejects months = ${JSON.stringify(months)}`, () => {
      assert.throws(
        () => validateSubscription({ mainNumber: MAIN, fromMonth: "2026-01", months }),
        invalidSubscription("months", "1 to 120"),
      );
    });
  }

  for (const fromMonth of ["2026-13", "26-01", "2026-1", undefined]) {
    it(`rejects fromMonth = ${JSON.stringify(fromMonth)}`, () => {
      assert.throws(
        () => validateSubscription({ mainNumber: MAIN, fromMonth, months: 1 }),
        invalidSubscription("fromMonth", "YYYY-MM"),
      );
    });
  }

  it("rejects a malformed main or additional number", () => {
    assert.throws(
      () => validateSubscription({ mainNumber: "12", fromMonth: "2026-01", months: 1 }),
      invalidSubscription("mainNumber", "registration number"),
    );
    assert.throws(
      () =>
        validateSubscription({ mainNumber: MAIN, fromMonth: "2026-01", months: 1, additionalNumbers: ["x"] }),
      invalidSubscription("additionalNumbers", "registration numbers"),
    );
    assert.throws(
      () =>
        validateSubscription({ mainNumber: MAIN, fromMonth: "2026-01", months: 1, additionalNumbers: EXTRA }),
      invalidSubscription("additionalNumbers", "list"),
    );
  });

  it("rejects the main number listed as additional", () => {
    assert.throws(
      () =>
        validateSubscription({
          mainNumber: MAIN,
          fromMonth: "2026-01",
          months: 1,
          additionalNumbers: [EXTRA, MAIN],
        }),
      invalidSubscription("additionalNumbers", MAIN),
    );
  });

  it("starts no earlier than 1991-01", () => {
    assert.equal(
      validateSubscription({ mainNumber: MAIN, fromMonth: "1991-01", months: 1 }).fromMonth,
      "1991-01",
    );
    for (const fromMonth of ["1990-12", "0000-01", "1066-10"]) {
      assert.throws(
        () => validateSubscription({ mainNumber: MAIN, fromMonth, months: 1 }),
        invalidSubscription("fromMonth", "1991-01 or later"),
      );
    }
  });

  it("ends no later than 9999-12, the last month there is", () => {
    assert.equal(validateSubscription({ mainNumber: MAIN, fromMonth: "9999-01", months: 12 }).months, 12);
    assert.throws(
      () => validateSubscription({ mainNumber: MAIN, fromMonth: "9999-06", months: 12 }),
      invalidSubscription("months", "cannot last 12 months"),
    );
  });

  it("takes the span as fromMonth to toMonth, both included", () => {
    assert.deepEqual(
      validateSubscription({ mainNumber: MAIN, fromMonth: "2026-11", toMonth: "2027-10" }),
      sub(MAIN, "2026-11", 12),
    );
    assert.equal(
      validateSubscription({ mainNumber: MAIN, fromMonth: "2026-11", toMonth: "2026-11" }).months,
      1,
    );
    assert.equal(
      validateSubscription({ mainNumber: MAIN, fromMonth: "2026-11", toMonth: "2027-01", months: 3 }).months,
      3,
    );
  });

  it("rejects a toMonth before fromMonth, malformed, too far, or disagreeing with months", () => {
    const span = (toMonth: unknown, months?: unknown) => () =>
      validateSubscription({ mainNumber: MAIN, fromMonth: "2026-11", toMonth, months });
    assert.throws(span("2026-10"), invalidSubscription("toMonth", "comes before fromMonth"));
    assert.throws(span("2025-12"), invalidSubscription("toMonth", "comes before fromMonth"));
    assert.throws(span("2026-13"), invalidSubscription("toMonth", "YYYY-MM"));
    assert.throws(span(null), invalidSubscription("toMonth", "YYYY-MM"));
    assert.equal(
      validateSubscription({ mainNumber: MAIN, fromMonth: "2026-11", toMonth: "2036-10" }).months,
      120,
    );
    assert.throws(span("2036-11"), invalidSubscription("toMonth", "at most 120 months"));
    assert.throws(span("2027-01", 4), invalidSubscription("months", "disagrees"));
  });

  it("rejects duplicate additional numbers", () => {
    assert.throws(
      () =>
        validateSubscription({
          mainNumber: MAIN,
          fromMonth: "2026-01",
          months: 1,
          additionalNumbers: [EXTRA, OTHER, EXTRA],
        }),
      invalidSubscription("additionalNumbers", `${EXTRA} is listed more than once`),
    );
  });
});

describe("spansOverlap and isSameSubscription", () => {
  const year = sub(MAIN, "2026-11", 12, [EXTRA, OTHER]);

  it("overlaps when the spans of one main number share a month", () => {
    assert.equal(spansOverlap(year, sub(MAIN, "2027-10", 1)), true);
    assert.equal(spansOverlap(year, sub(MAIN, "2026-01", 11)), true);
    assert.equal(spansOverlap(year, sub(MAIN, "2027-01", 2)), true);
    assert.equal(spansOverlap(year, sub(MAIN, "2027-11", 12)), false, "the next year");
    assert.equal(spansOverlap(year, sub(MAIN, "2025-11", 12)), false, "the year before");
    assert.equal(spansOverlap(year, sub(EXTRA, "2026-11", 12)), false, "another main number");
  });

  it("is the same subscription with the same span and additional numbers in any order", () => {
    assert.equal(isSameSubscription(year, sub(MAIN, "2026-11", 12, [OTHER, EXTRA])), true);
    assert.equal(isSameSubscription(year, sub(MAIN, "2026-11", 13, [EXTRA, OTHER])), false);
    assert.equal(isSameSubscription(year, sub(MAIN, "2026-12", 12, [EXTRA, OTHER])), false);
    assert.equal(isSameSubscription(year, sub(MAIN, "2026-11", 12, [EXTRA])), false);
    assert.equal(isSameSubscription(sub(MAIN, "2026-11", 12, [EXTRA]), year), false);
    assert.equal(isSameSubscription(year, sub(OTHER, "2026-11", 12, [EXTRA, MAIN])), false);
  });
});

describe("isCoveredInMonth", () => {
  const subscriptions = [sub(MAIN, "2026-03", 3, [EXTRA])];

  it("covers the main number in every month of the span, and only those", () => {
    assert.equal(isCoveredInMonth(MAIN, subscriptions, "2026-02"), false);
    assert.equal(isCoveredInMonth(MAIN, subscriptions, "2026-03"), true);
    assert.equal(isCoveredInMonth(MAIN, subscriptions, "2026-05"), true);
    assert.equal(isCoveredInMonth(MAIN, subscriptions, "2026-06"), false);
  });

  it("covers additional numbers the same way", () => {
    assert.equal(isCoveredInMonth(EXTRA, subscriptions, "2026-04"), true);
    assert.equal(isCoveredInMonth(EXTRA, subscriptions, "2026-06"), false);
  });

  it("does not cover other numbers", () => {
    assert.equal(isCoveredInMonth(OTHER, subscriptions, "2026-04"), false);
    assert.equal(isCoveredInMonth(MAIN, [], "2026-04"), false);
  });

  it("spans year boundaries", () => {
    assert.equal(isCoveredInMonth(MAIN, [sub(MAIN, "2026-11", 3)], "2027-01"), true);
    assert.equal(isCoveredInMonth(MAIN, [sub(MAIN, "2026-11", 3)], "2027-02"), false);
  });
});

describe("freeSupportEnd", () => {
  it("ends freeMonths calendar months after the purchase date (exclusive)", () => {
    assert.equal(freeSupportEnd("2026-01-15", 3)?.toISOString(), "2026-04-15T00:00:00.000Z");
    assert.equal(freeSupportEnd("2026-11-30", 6)?.toISOString(), "2027-05-30T00:00:00.000Z");
    assert.equal(freeSupportEnd("2025-11-30", 3)?.toISOString(), "2026-02-28T00:00:00.000Z");
  });

  it("is null when there are no free months", () => {
    assert.equal(freeSupportEnd("2026-01-15", 0), null);
  });

  it("rejects an invalid purchase date or month count", () => {
    assert.throws(
      () => freeSupportEnd("2026-02-30", 3),
      (e: unknown) => e instanceof AppError && e.code === "invalid_date",
    );
    assert.throws(
      () => freeSupportEnd("2026-01-15", -1),
      (e: unknown) => e instanceof AppError,
    );
    assert.throws(
      () => freeSupportEnd("2026-01-15", 1.5),
      (e: unknown) => e instanceof AppError,
    );
  });
});

describe("supportStatus", () => {
  const base: SupportStatusInput = {
    number: MAIN,
    edition: "prof",
    purchaseDate: null,
    freeSupportMonths: 0,
    subscriptions: [],
    now: new Date("2026-04-10T12:00:00Z"),
  };
  const status = (overrides: Partial<SupportStatusInput>) => supportStatus({ ...base, ...overrides });

  it("basic editions never need a subscription", () => {
    assert.deepEqual(status({ edition: "basic" }), { coveredThisMonth: true, until: null, needed: false });
  });

  it("a PROF number without subscription or free period is not covered", () => {
    assert.deepEqual(status({}), { coveredThisMonth: false, until: null, needed: true });
    assert.deepEqual(status({ edition: "corp" }), { coveredThisMonth: false, until: null, needed: true });
  });

  it("a subscription for the current month covers until the end of its last month", () => {
    assert.deepEqual(status({ subscriptions: [sub(MAIN, "2026-04", 1)] }), {
      coveredThisMonth: true,
      until: "2026-04-30",
      needed: true,
    });
    assert.deepEqual(status({ subscriptions: [sub(MAIN, "2026-01", 6)] }).until, "2026-06-30");
  });

  it("covers the whole current month, from its first to its last instant", () => {
    const subscriptions = [sub(MAIN, "2026-04", 1)];
    assert.equal(status({ subscriptions, now: new Date("2026-04-01T00:00:00Z") }).coveredThisMonth, true);
    assert.equal(status({ subscriptions, now: new Date("2026-04-30T23:59:59.999Z") }).coveredThisMonth, true);
    assert.equal(status({ subscriptions, now: new Date("2026-05-01T00:00:00Z") }).coveredThisMonth, false);
    assert.equal(
      status({ subscriptions, now: new Date("2026-03-31T23:59:59.999Z") }).coveredThisMonth,
      false,
    );
  });

  it("a subscription for other months or other numbers does not cover now", () => {
    assert.equal(status({ subscriptions: [sub(MAIN, "2026-05", 12)] }).coveredThisMonth, false);
    assert.equal(status({ subscriptions: [sub(MAIN, "2025-04", 12)] }).coveredThisMonth, false);
    assert.equal(status({ subscriptions: [sub(OTHER, "2026-04", 1)] }).coveredThisMonth, false);
  });

  it("an additional number is covered by another product's subscription", () => {
    assert.deepEqual(status({ number: EXTRA, subscriptions: [sub(OTHER, "2026-03", 3, [EXTRA])] }), {
      coveredThisMonth: true,
      until: "2026-05-31",
      needed: true,
    });
  });

  it("chains adjacent and overlapping subscriptions, but not across a gap", () => {
    const subscriptions = [
      sub(MAIN, "2026-01", 4), // Jan-Apr
      sub(OTHER, "2026-05", 2, [MAIN]), // May-Jun, adjacent
      sub(MAIN, "2026-06", 3), // Jun-Aug, overlapping
      sub(MAIN, "2026-10", 2), // Oct-Nov, after a gap
    ];
    assert.equal(status({ subscriptions }).until, "2026-08-31");
    assert.equal(status({ subscriptions: [...subscriptions].reverse() }).until, "2026-08-31");
  });

  it("the free period runs date-precisely from the purchase date", () => {
    const free = { purchaseDate: "2026-01-15", freeSupportMonths: 3 };
    assert.deepEqual(status({ ...free, now: new Date("2026-01-15T00:00:00Z") }), {
      coveredThisMonth: true,
      until: "2026-04-14",
      needed: true,
    });
    assert.equal(status({ ...free, now: new Date("2026-01-14T23:59:59Z") }).coveredThisMonth, false);
    assert.equal(status({ ...free, now: new Date("2026-04-14T23:59:59Z") }).coveredThisMonth, true);
    assert.equal(status({ ...free, now: new Date("2026-04-15T00:00:00Z") }).coveredThisMonth, false);
    assert.equal(status({ ...free, now: new Date("2026-04-20T00:00:00Z") }).coveredThisMonth, false);
  });

  it("no free period without purchase date or free months", () => {
    assert.equal(status({ purchaseDate: "2026-04-01", freeSupportMonths: 0 }).coveredThisMonth, false);
    assert.equal(status({ purchaseDate: null, freeSupportMonths: 6 }).coveredThisMonth, false);
  });

  it("chains the free period into a subscription that starts before it ends", () => {
    const free = { purchaseDate: "2026-01-15", freeSupportMonths: 3 }; // free until 2026-04-14
    assert.equal(status({ ...free, subscriptions: [sub(MAIN, "2026-04", 6)] }).until, "2026-09-30");
    assert.equal(
      status({ ...free, now: new Date("2026-02-01T00:00:00Z"), subscriptions: [sub(MAIN, "2026-04", 6)] })
        .until,
      "2026-09-30",
    );
    // A subscription from May leaves 15-30 April uncovered.
    assert.equal(
      status({ ...free, now: new Date("2026-02-01T00:00:00Z"), subscriptions: [sub(MAIN, "2026-05", 6)] })
        .until,
      "2026-04-14",
    );
  });

  it("a free period ending later than the paid month extends until", () => {
    const result = status({
      purchaseDate: "2026-03-20",
      freeSupportMonths: 6,
      subscriptions: [sub(MAIN, "2026-04", 1)],
    });
    assert.equal(result.until, "2026-09-19");
  });
});
