import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  EARLIEST_PURCHASE_DATE,
  purchaseDateProblem,
  readableUtc,
  validatePurchaseDate,
} from "../../src/domain/dates.ts";
import { AppError } from "../../src/domain/errors.ts";

const TODAY = "2026-11-16";

describe("purchase dates", () => {
  it("accepts calendar days from 1991 up to today", () => {
    for (const date of [EARLIEST_PURCHASE_DATE, "2024-02-29", TODAY]) {
      assert.equal(purchaseDateProblem(date, TODAY), null, date);
      assert.equal(validatePurchaseDate(date, TODAY), date);
    }
  });

  it("refuses the future, days before 1991 and anything that is not a date", () => {
    assert.match(purchaseDateProblem("2026-11-17", TODAY)!, /later than today \(2026-11-16\)/);
    assert.match(purchaseDateProblem("1990-12-31", TODAY)!, /earlier than 1991-01-01/);
    for (const value of ["2025-02-29", "16.11.2026", "", null, 20261116]) {
      assert.match(purchaseDateProblem(value, TODAY)!, /calendar date/, String(value));
    }
  });

  it("throws 400 invalid_date naming the field", () => {
    try {
      validatePurchaseDate("2027-01-01", TODAY, "purchaseDate");
      assert.fail("expected invalid_date");
    } catch (error) {
      assert.ok(error instanceof AppError);
      assert.equal(error.kind, "bad_request");
      assert.equal(error.code, "invalid_date");
      assert.equal(error.details.field, "purchaseDate");
      assert.match(error.message, /^purchaseDate cannot be later than today/);
    }
  });
});

describe("readableUtc", () => {
  it("writes a timestamp as date, time and UTC", () => {
    assert.equal(readableUtc("2026-11-16T10:15:00.000Z"), "2026-11-16 10:15:00 UTC");
  });
});
