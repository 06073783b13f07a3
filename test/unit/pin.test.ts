import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../../src/domain/errors.ts";
import {
  formatPin,
  normalizePin,
  PIN_DIGITS,
  PIN_RANDOM_BYTES,
  parsePin,
  pinFromRandomBytes,
  REGISTRATION_NUMBER,
  REGISTRATION_NUMBER_RANDOM_BYTES,
  registrationNumberFromRandomBytes,
  registrationNumberProblem,
  validateRegistrationNumber,
} from "../../src/domain/pin.ts";

function bytesOf(value: bigint, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--) {
    bytes[i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return bytes;
}

const isBadRequest = (code: string) => (error: unknown) =>
  error instanceof AppError && error.kind === "bad_request" && error.code === code;

// 1844 * 10^16: the largest multiple of 10^16 not above 2^64.
const PIN_LIMIT = 18_440_000_000_000_000_000n;

describe("PINs", () => {
  it("have at least 40 bits of entropy", () => {
    assert.equal(PIN_DIGITS, 16);
    assert.ok(PIN_DIGITS * Math.log2(10) >= 40);
    assert.equal(PIN_RANDOM_BYTES, 8);
  });

  it("map 8 random bytes to 16 digits, keeping leading zeros", () => {
    assert.equal(pinFromRandomBytes(bytesOf(0n, 8)), "0000000000000000");
    assert.equal(pinFromRandomBytes(bytesOf(42n, 8)), "0000000000000042");
    assert.equal(pinFromRandomBytes(bytesOf(1234567890123456n, 8)), "1234567890123456");
    assert.equal(pinFromRandomBytes(bytesOf(10n ** 16n + 7n, 8)), "0000000000000007");
  });

  it("read the bytes big-endian", () => {
    assert.equal(pinFromRandomBytes(Uint8Array.from([0, 0, 0, 0, 0, 0, 1, 0])), "0000000000000256");
  });

  it("reject exactly the values that would bias the result", () => {
    assert.equal(pinFromRandomBytes(bytesOf(PIN_LIMIT - 1n, 8)), "9999999999999999");
    assert.equal(pinFromRandomBytes(bytesOf(PIN_LIMIT, 8)), null);
    assert.equal(pinFromRandomBytes(bytesOf(2n ** 64n - 1n, 8)), null);
  });

  it("refuse the wrong number of bytes", () => {
    assert.throws(() => pinFromRandomBytes(new Uint8Array(7)), RangeError);
    assert.throws(() => pinFromRandomBytes(new Uint8Array(9)), RangeError);
  });

  it("format in groups of four and normalise back", () => {
    assert.equal(formatPin("1234567890123456"), "1234-5678-9012-3456");
    assert.equal(normalizePin("1234-5678-9012-3456"), "1234567890123456");
    assert.equal(normalizePin(" 1234 5678-9012 3456 "), "1234567890123456");
    assert.equal(formatPin(normalizePin("0000 0000 0000 0042")), "0000-0000-0000-0042");
  });

  for (const bad of [
    "123456789012345",
    "12345678901234567",
    "1234-5678-9012-345x",
    "",
    "１２３４567890123456",
    null,
  ]) {
    it(`reject the PIN ${JSON.stringify(bad)} without echoing it`, () => {
      assert.throws(
        () => normalizePin(bad),
        (error: unknown) =>
          isBadRequest("invalid_pin_format")(error) &&
          (typeof bad !== "string" || bad === "" || !(error as AppError).message.includes(bad)) &&
          Object.keys((error as AppError).details).length === 0,
      );
    });
  }

  it("parse to null when malformed, so a check can treat them as a wrong PIN", () => {
    assert.equal(parsePin("1234-5678-9012-3456"), "1234567890123456");
    assert.equal(parsePin(" 1234 5678 9012 3456 "), "1234567890123456");
    for (const bad of [
      "1234",
      "wrong-pin",
      "",
      "１２３４567890123456",
      `${"1".repeat(16)}${" ".repeat(60)}`,
      null,
      42,
    ]) {
      assert.equal(parsePin(bad), null, JSON.stringify(bad));
    }
  });
});

describe("registration numbers", () => {
  it("are 8 to 12 digits", () => {
    assert.ok(REGISTRATION_NUMBER.test("12345678"));
    assert.ok(REGISTRATION_NUMBER.test("123456789012"));
    assert.ok(!REGISTRATION_NUMBER.test("1234567"));
    assert.ok(!REGISTRATION_NUMBER.test("1234567890123"));
    assert.equal(validateRegistrationNumber(" 8100123456 "), "8100123456");
  });

  for (const bad of ["1234567", "1234567890123", "12345678a", "", 12345678, undefined]) {
    it(`reject ${JSON.stringify(bad)} with validation_failed naming the field`, () => {
      assert.throws(
        () => validateRegistrationNumber(bad, "mainNumber"),
        (error: unknown) => {
          assert.ok(isBadRequest("validation_failed")(error));
          // The same shape as the organisation's validation: fields: [{ field, message }].
          assert.deepEqual((error as AppError).details, {
            fields: [{ field: "mainNumber", message: "must be a registration number of 8 to 12 digits" }],
          });
          return true;
        },
      );
      assert.equal(registrationNumberProblem(bad), "must be a registration number of 8 to 12 digits");
    });
  }

  it("name registrationNumber as the field by default", () => {
    assert.throws(
      () => validateRegistrationNumber("12"),
      (error: unknown) =>
        isBadRequest("validation_failed")(error) &&
        ((error as AppError).details.fields as { field: string }[])[0]!.field === "registrationNumber",
    );
    assert.equal(registrationNumberProblem(" 8100123456 "), null);
  });

  it("are generated as 10 digits not starting with 0, uniformly", () => {
    assert.equal(REGISTRATION_NUMBER_RANDOM_BYTES, 5);
    assert.equal(registrationNumberFromRandomBytes(bytesOf(0n, 5)), "1000000000");
    assert.equal(registrationNumberFromRandomBytes(bytesOf(8_999_999_999n, 5)), "9999999999");
    assert.equal(registrationNumberFromRandomBytes(bytesOf(9_000_000_000n, 5)), "1000000000");
    // 122 * 9 * 10^9 is the largest multiple of the range not above 2^40.
    assert.equal(registrationNumberFromRandomBytes(bytesOf(1_098_000_000_000n - 1n, 5)), "9999999999");
    assert.equal(registrationNumberFromRandomBytes(bytesOf(1_098_000_000_000n, 5)), null);
    assert.equal(registrationNumberFromRandomBytes(bytesOf(2n ** 40n - 1n, 5)), null);
    assert.throws(() => registrationNumberFromRandomBytes(new Uint8Array(4)), RangeError);
  });

  it("generated ones pass validation", () => {
    for (let i = 0n; i < 50n; i++) {
      const number = registrationNumberFromRandomBytes(bytesOf(i * 21_990_232_555n, 5));
      if (number === null) continue;
      assert.match(number, /^[1-9][0-9]{9}$/);
      assert.equal(validateRegistrationNumber(number), number);
    }
  });
});
