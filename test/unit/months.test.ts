import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../../src/domain/errors.ts";
import {
  addCalendarMonths,
  addMonths,
  compareMonths,
  isMonth,
  monthCount,
  monthOf,
  monthStart,
  monthsInSpan,
  parseMonth,
} from "../../src/domain/months.ts";

describe("parseMonth", () => {
  it("accepts YYYY-MM", () => {
    assert.equal(parseMonth("2026-01"), "2026-01");
    assert.equal(parseMonth("2026-12"), "2026-12");
    assert.ok(isMonth("1999-09"));
  });

  for (const bad of [
    "2026-13",
    "2026-00",
    "26-01",
    "2026-1",
    "2026-01-01",
    " 2026-01",
    "2026/01",
    "",
    202601,
    null,
  ]) {
    it(`rejects ${JSON.stringify(bad)} with invalid_month naming the field`, () => {
      assert.equal(isMonth(bad), false);
      assert.throws(
        () => parseMonth(bad, "fromMonth"),
        (error: unknown) =>
          error instanceof AppError &&
          error.kind === "bad_request" &&
          error.code === "invalid_month" &&
          error.message.startsWith("fromMonth ") &&
          error.details.field === "fromMonth",
      );
    });
  }
});

describe("monthOf", () => {
  it("uses UTC, not the local time zone", () => {
    assert.equal(monthOf(new Date("2026-01-31T23:59:59.999Z")), "2026-01");
    assert.equal(monthOf(new Date("2026-02-01T00:00:00Z")), "2026-02");
    assert.equal(monthOf(new Date("2026-01-31T23:30:00-05:00")), "2026-02");
  });
});

describe("month arithmetic", () => {
  it("adds months across year boundaries, both ways", () => {
    assert.equal(addMonths("2026-11", 2), "2027-01");
    assert.equal(addMonths("2026-01", -1), "2025-12");
    assert.equal(addMonths("2026-01", 0), "2026-01");
    assert.equal(addMonths("2026-01", 120), "2036-01");
    assert.equal(addMonths("2026-03", -27), "2023-12");
  });

  it("rejects a fractional number of months", () => {
    assert.throws(() => addMonths("2026-01", 1.5), RangeError);
  });

  it("compares months chronologically", () => {
    assert.equal(compareMonths("2026-01", "2026-02"), -1);
    assert.equal(compareMonths("2027-01", "2026-12"), 1);
    assert.equal(compareMonths("2026-05", "2026-05"), 0);
  });

  it("gives the last month of a span", () => {
    assert.equal(monthsInSpan("2026-01", 1), "2026-01");
    assert.equal(monthsInSpan("2026-01", 12), "2026-12");
    assert.equal(monthsInSpan("2026-11", 3), "2027-01");
    assert.throws(() => monthsInSpan("2026-01", 0), RangeError);
  });

  it("counts the months of a span, both ends included", () => {
    assert.equal(monthCount("2026-01", "2026-01"), 1);
    assert.equal(monthCount("2026-11", "2027-01"), 3);
    assert.equal(monthCount("2026-02", "2026-01"), 0);
    assert.equal(monthCount("2016-01", "2025-12"), 120);
  });

  it("starts a month at 00:00Z on its first day", () => {
    assert.equal(monthStart("2026-02").toISOString(), "2026-02-01T00:00:00.000Z");
  });
});

describe("addCalendarMonths", () => {
  const iso = (date: Date) => date.toISOString();

  it("keeps the day of month and the time of day", () => {
    assert.equal(iso(addCalendarMonths(new Date("2026-01-15T10:20:30.400Z"), 3)), "2026-04-15T10:20:30.400Z");
    assert.equal(iso(addCalendarMonths(new Date("2026-11-15T00:00:00Z"), 2)), "2027-01-15T00:00:00.000Z");
  });

  it("clamps to the end of a shorter month", () => {
    assert.equal(iso(addCalendarMonths(new Date("2026-01-31T00:00:00Z"), 1)), "2026-02-28T00:00:00.000Z");
    assert.equal(iso(addCalendarMonths(new Date("2024-01-31T00:00:00Z"), 1)), "2024-02-29T00:00:00.000Z");
    assert.equal(iso(addCalendarMonths(new Date("2026-03-31T00:00:00Z"), 1)), "2026-04-30T00:00:00.000Z");
    assert.equal(iso(addCalendarMonths(new Date("2026-08-31T00:00:00Z"), 6)), "2027-02-28T00:00:00.000Z");
  });

  it("does not carry the clamping into later months", () => {
    assert.equal(iso(addCalendarMonths(new Date("2026-01-31T00:00:00Z"), 2)), "2026-03-31T00:00:00.000Z");
  });

  it("goes backwards for negative n", () => {
    assert.equal(iso(addCalendarMonths(new Date("2026-03-31T00:00:00Z"), -1)), "2026-02-28T00:00:00.000Z");
  });
});
