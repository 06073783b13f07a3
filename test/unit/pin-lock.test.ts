import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  afterAddressFailure,
  afterNumberFailure,
  attemptsLeft,
  type FailureCount,
  laterLock,
  MAX_PIN_FAILURES,
  MAX_PIN_FAILURES_PER_DAY,
  runningLock,
} from "../../src/domain/pin-lock.ts";

const at = (iso: string) => new Date(iso);

function failures(
  next: (count: FailureCount | undefined, now: Date) => FailureCount,
  times: number,
  start: string,
  stepMinutes: number,
) {
  let count: FailureCount | undefined;
  let now = at(start);
  for (let i = 0; i < times; i++) {
    count = next(count, now);
    now = new Date(now.getTime() + stepMinutes * 60_000);
  }
  return count!;
}

describe("PIN lock per address", () => {
  it("locks an address for an hour at its 5th wrong PIN within an hour", () => {
    const fourth = failures(afterAddressFailure, 4, "2026-11-16T10:00:00Z", 1);
    assert.deepEqual(fourth, { failures: 4, lockedUntil: null, lastFailureAt: "2026-11-16T10:03:00.000Z" });
    const fifth = afterAddressFailure(fourth, at("2026-11-16T10:04:00Z"));
    assert.equal(fifth.failures, MAX_PIN_FAILURES);
    assert.equal(fifth.lockedUntil, "2026-11-16T11:04:00.000Z");
    assert.equal(runningLock(fifth, at("2026-11-16T11:03:59Z")), "2026-11-16T11:04:00.000Z");
    assert.equal(runningLock(fifth, at("2026-11-16T11:04:00Z")), null);
  });

  it("starts again after an hour without failures, or once a lock has run out", () => {
    const two = failures(afterAddressFailure, 2, "2026-11-16T10:00:00Z", 1);
    assert.equal(afterAddressFailure(two, at("2026-11-16T11:00:59Z")).failures, 3);
    assert.equal(afterAddressFailure(two, at("2026-11-16T11:01:00Z")).failures, 1);
    const locked = failures(afterAddressFailure, 5, "2026-11-16T10:00:00Z", 0);
    assert.equal(afterAddressFailure(locked, at("2026-11-16T11:00:00Z")).failures, 1);
  });
});

describe("PIN lock per number and day", () => {
  it(`locks the number until the next UTC midnight at its ${MAX_PIN_FAILURES_PER_DAY}th wrong PIN of the day`, () => {
    const before = failures(afterNumberFailure, MAX_PIN_FAILURES_PER_DAY - 1, "2026-11-16T00:00:00Z", 60);
    assert.equal(before.lockedUntil, null);
    const last = afterNumberFailure(before, at("2026-11-16T23:59:59Z"));
    assert.equal(last.failures, MAX_PIN_FAILURES_PER_DAY);
    assert.equal(last.lockedUntil, "2026-11-17T00:00:00.000Z");
  });

  it("counts each UTC day on its own", () => {
    const late = failures(afterNumberFailure, 10, "2026-11-16T23:00:00Z", 5);
    assert.equal(late.failures, 10);
    assert.equal(afterNumberFailure(late, at("2026-11-17T00:00:00Z")).failures, 1);
  });
});

describe("attempts left and the later lock", () => {
  it("is the smaller of what the address and the number still allow", () => {
    const address = { failures: 2, lockedUntil: null, lastFailureAt: "2026-11-16T10:00:00Z" };
    assert.equal(attemptsLeft(address, { ...address, failures: 2 }), MAX_PIN_FAILURES - 2);
    assert.equal(attemptsLeft(address, { ...address, failures: MAX_PIN_FAILURES_PER_DAY - 1 }), 1);
    assert.equal(attemptsLeft(address, { ...address, failures: MAX_PIN_FAILURES_PER_DAY }), 0);
  });

  it("reports the lock that ends last", () => {
    assert.equal(laterLock(null, null), null);
    assert.equal(laterLock("2026-11-16T11:00:00.000Z", null), "2026-11-16T11:00:00.000Z");
    assert.equal(laterLock(null, "2026-11-17T00:00:00.000Z"), "2026-11-17T00:00:00.000Z");
    assert.equal(
      laterLock("2026-11-16T11:00:00.000Z", "2026-11-17T00:00:00.000Z"),
      "2026-11-17T00:00:00.000Z",
    );
    assert.equal(
      laterLock("2026-11-17T00:00:00.000Z", "2026-11-16T11:00:00.000Z"),
      "2026-11-17T00:00:00.000Z",
    );
  });

  it("holds no lock for an address or a number that never failed", () => {
    assert.equal(runningLock(undefined, at("2026-11-16T10:00:00Z")), null);
  });
});
