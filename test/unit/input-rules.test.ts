import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  invalidDistributionKind,
  isCode,
  validateChannel,
  validateCode,
  validateFileName,
  validatePackageFormat,
  validateSha256,
} from "../../src/domain/catalogue.ts";
import { parseIsoDate } from "../../src/domain/dates.ts";
import { AppError } from "../../src/domain/errors.ts";
import { isRole, requirePartnerId } from "../../src/domain/roles.ts";

const refusedWith = (code: string) => (error: unknown) => error instanceof AppError && error.code === code;

describe("codes", () => {
  it("take 1-64 letters, digits, dots, dashes or underscores, starting with a letter or digit", () => {
    for (const code of ["HRM", "a", "Acc-3.0_PROF", "9", "A".repeat(64)]) {
      assert.equal(validateCode(code), code);
      assert.equal(isCode(code), true, code);
    }
    for (const code of [
      "",
      ".",
      "..",
      "-HRM",
      "_a",
      "A".repeat(65),
      "HR M",
      "HRM/x",
      "a\nb",
      "ÄRM",
      7,
      null,
    ]) {
      assert.throws(() => validateCode(code), refusedWith("invalid_code"), String(code));
      assert.equal(isCode(code), false, String(code));
    }
  });

  it("name what they are in the refusal", () => {
    assert.throws(
      () => validateCode("..", "configuration code"),
      (error: unknown) =>
        error instanceof AppError &&
        error.message.includes("configuration code") &&
        (error.details as { value: unknown }).value === "..",
    );
  });
});

describe("channels", () => {
  it("are lower-case names of up to 32 characters", () => {
    for (const channel of ["stable", "beta-2", "a", `a${"b".repeat(31)}`])
      assert.equal(validateChannel(channel), channel);
    for (const channel of [
      "",
      "Stable",
      "2beta",
      "-x",
      `a${"b".repeat(32)}`,
      "be ta",
      "beta!",
      " stable",
      1,
    ]) {
      assert.throws(() => validateChannel(channel), refusedWith("invalid_channel"), String(channel));
    }
  });
});

describe("file names of uploads", () => {
  it("are 1-255 characters without folders or control characters", () => {
    for (const name of [
      "1cv8.zip",
      "setup 8.3.exe",
      "Обновление.zip",
      "a",
      "x".repeat(255),
      "..x",
      ".profile",
    ]) {
      assert.equal(validateFileName(name), name);
    }
    for (const name of [
      "",
      ".",
      "..",
      "a/b",
      "a\\b",
      "a\u0000b",
      "a\tb",
      "a\u007fb",
      "x".repeat(256),
      5,
      undefined,
    ]) {
      assert.throws(() => validateFileName(name), refusedWith("invalid_file_name"), JSON.stringify(name));
    }
  });
});

describe("sha256 checksums", () => {
  it("are 64 hexadecimal digits, kept in lower case", () => {
    const upper = "AB".repeat(32);
    assert.equal(validateSha256(upper), upper.toLowerCase());
    assert.equal(validateSha256("0f".repeat(32)), "0f".repeat(32));
    for (const value of [
      "",
      "0".repeat(63),
      "0".repeat(65),
      `${"0".repeat(63)}g`,
      ` ${"0".repeat(64)}`,
      0,
      null,
      ["0".repeat(64)],
    ]) {
      assert.throws(() => validateSha256(value), refusedWith("invalid_checksum"), String(value));
    }
  });
});

describe("calendar dates", () => {
  it("are YYYY-MM-DD days that exist", () => {
    for (const day of ["2026-12-02", "2024-02-29", "1991-01-01", "2026-12-31"])
      assert.equal(parseIsoDate(day), day);
    for (const day of [
      "2026-02-29",
      "2024-02-30",
      "2026-13-01",
      "2026-00-10",
      "2026-04-31",
      "2026-12-2",
      "x2026-12-02",
      "2026-12-02x",
      "2026-12-02T00:00:00Z",
      20261202,
      null,
      ["2026-12-02"],
    ]) {
      assert.throws(() => parseIsoDate(day, "releasedOn"), refusedWith("invalid_date"), String(day));
    }
  });

  it("name the field refused", () => {
    assert.throws(
      () => parseIsoDate("soon", "purchaseDate"),
      (error: unknown) =>
        error instanceof AppError && (error.details as { field: string }).field === "purchaseDate",
    );
  });
});

describe("roles", () => {
  it("are admin, support, partner and user", () => {
    for (const role of ["admin", "support", "partner", "user"]) assert.equal(isRole(role), true, role);
    for (const role of ["Admin", "staff", "", null, 1, ["admin"]])
      assert.equal(isRole(role), false, String(role));
  });

  it("a partner account acts for its partner; any other account is refused", () => {
    assert.equal(requirePartnerId({ role: "partner", partnerId: "p-1" }), "p-1");
    for (const actor of [
      { role: "partner", partnerId: null },
      { role: "admin", partnerId: "p-1" },
      { role: "user", partnerId: null },
    ] as const) {
      assert.throws(() => requirePartnerId(actor), refusedWith("partner_required"), JSON.stringify(actor));
    }
  });
});

describe("refusals of a closed list or a file name", () => {
  const detailsOf = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return (error as AppError).details;
    }
    assert.fail("expected a refusal");
  };

  it("carry the refused value, so that a client can show what it sent", () => {
    assert.deepEqual(invalidDistributionKind("patch").details, { value: "patch" });
    assert.deepEqual(invalidDistributionKind().details, {});
    assert.deepEqual(
      detailsOf(() => validatePackageFormat("zip")),
      { value: "zip" },
    );
    assert.deepEqual(
      detailsOf(() => validateFileName("a/b")),
      { value: "a/b" },
    );
  });
});
