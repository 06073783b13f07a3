import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../../src/domain/errors.ts";
import {
  compareVersions,
  formatVersion,
  isVersion,
  normalizeVersion,
  parseVersion,
  platformLine,
  versionFromUnderscore,
  versionSortKey,
  versionToUnderscore,
} from "../../src/domain/version.ts";

function assertInvalidVersion(action: () => unknown, input: unknown, field?: string) {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof AppError, "expected an AppError");
    assert.equal(error.kind, "bad_request");
    assert.equal(error.code, "invalid_version");
    assert.deepEqual(error.details, field === undefined ? { version: input } : { field, version: input });
    if (typeof input === "string") assert.ok(error.message.includes(JSON.stringify(input)), error.message);
    if (field !== undefined) assert.ok(error.message.includes(field), error.message);
    return true;
  });
}

const MALFORMED: unknown[] = [
  "",
  " ",
  "3.0.23",
  "3.0.23.148.1",
  "3.0.23.148 ",
  " 3.0.23.148",
  "3. 0.23.148",
  "3.0.23.-1",
  "+3.0.23.148",
  "3.0.023.148",
  "03.0.23.148",
  "3.0.23.00",
  "3..23.148",
  "3.0.23.",
  ".3.0.23",
  "3.0.23.1a",
  "3.0.23.1e3",
  "3,0,23,148",
  "3_0_23_148",
  "3.0.23.1000000000",
  "３.0.23.148",
  "3.0.23.148\n",
  null,
  undefined,
  3,
  {},
  ["3", "0", "23", "148"],
];

describe("parseVersion", () => {
  it("reads four numeric parts", () => {
    assert.deepEqual(parseVersion("2.0.38.6"), [2, 0, 38, 6]);
    assert.deepEqual(parseVersion("8.2.15.319"), [8, 2, 15, 319]);
    assert.deepEqual(parseVersion("0.0.0.0"), [0, 0, 0, 0]);
    assert.deepEqual(parseVersion("999999999.1.10.100"), [999999999, 1, 10, 100]);
  });

  it("rejects anything but four canonical parts with invalid_version quoting the input", () => {
    for (const input of MALFORMED) assertInvalidVersion(() => parseVersion(input as string), input);
  });
});

describe("isVersion", () => {
  it("accepts canonical versions and nothing else", () => {
    assert.equal(isVersion("3.0.23.148"), true);
    assert.equal(isVersion("0.0.0.0"), true);
    for (const input of MALFORMED) assert.equal(isVersion(input), false, `isVersion(${String(input)})`);
  });
});

describe("normalizeVersion and formatVersion", () => {
  it("round-trips a version", () => {
    assert.equal(normalizeVersion("3.0.23.148", "version"), "3.0.23.148");
    assert.equal(formatVersion([8, 3, 5, 1119]), "8.3.5.1119");
    assert.equal(formatVersion(parseVersion("10.0.0.1")), "10.0.0.1");
  });

  it("rejects what parseVersion rejects, naming the field that held it", () => {
    assertInvalidVersion(() => normalizeVersion("3.0.23", "target"), "3.0.23", "target");
    assertInvalidVersion(
      () => normalizeVersion("3.0.023.148", "updateFrom[3]"),
      "3.0.023.148",
      "updateFrom[3]",
    );
    assertInvalidVersion(() => normalizeVersion("", "platformVersion"), "", "platformVersion");
  });
});

describe("compareVersions", () => {
  it("compares part by part numerically, not as text", () => {
    assert.ok(compareVersions("3.0.10.32", "3.0.9.28") > 0);
    assert.ok(compareVersions("3.0.9.28", "3.0.10.32") < 0);
    assert.ok(compareVersions("3.0.23.148", "3.0.23.99") > 0);
    assert.ok(compareVersions("10.0.0.0", "9.9.9.9") > 0);
    assert.ok(compareVersions("3.1.0.0", "3.0.999.999") > 0);
    assert.equal(compareVersions("3.0.23.148", "3.0.23.148"), 0);
  });

  it("sorts a list into release order", () => {
    const sorted = ["3.0.10.32", "3.0.9.28", "3.0.23.148", "3.0.23.99", "2.5.0.0"].sort(compareVersions);
    assert.deepEqual(sorted, ["2.5.0.0", "3.0.9.28", "3.0.10.32", "3.0.23.99", "3.0.23.148"]);
  });

  it("rejects malformed operands", () => {
    assertInvalidVersion(() => compareVersions("3.0.1", "3.0.1.1"), "3.0.1");
    assertInvalidVersion(() => compareVersions("3.0.1.1", "x"), "x");
  });
});

describe("underscore spelling", () => {
  it("converts both ways", () => {
    assert.equal(versionToUnderscore("2.0.38.6"), "2_0_38_6");
    assert.equal(versionFromUnderscore("2_0_38_6"), "2.0.38.6");
    assert.equal(versionFromUnderscore(versionToUnderscore("3.0.23.148")), "3.0.23.148");
  });

  it("rejects malformed folder names", () => {
    for (const input of [
      "",
      "3_0_23",
      "3_0_23_148_1",
      "3.0.23.148",
      "3_0.23_148",
      "3_0_023_148",
      "3__23_148",
    ]) {
      assertInvalidVersion(() => versionFromUnderscore(input), input);
    }
    assertInvalidVersion(() => versionToUnderscore("3.0.23"), "3.0.23");
  });
});

describe("versionSortKey", () => {
  it("pads every part to nine digits", () => {
    assert.equal(versionSortKey("3.0.23.148"), "000000003.000000000.000000023.000000148");
    assert.equal(versionSortKey("999999999.0.0.1"), "999999999.000000000.000000000.000000001");
  });

  it("orders as plain strings exactly as compareVersions orders", () => {
    const versions = ["3.0.9.28", "3.0.10.32", "3.0.10.4", "10.0.0.0", "9.99.99.99", "3.0.23.148", "0.0.0.0"];
    const byKey = [...versions].sort((a, b) => {
      const [left, right] = [versionSortKey(a), versionSortKey(b)];
      return left < right ? -1 : left > right ? 1 : 0;
    });
    assert.deepEqual(byKey, [...versions].sort(compareVersions));
  });

  it("rejects malformed versions", () => {
    assertInvalidVersion(() => versionSortKey("3.0.9"), "3.0.9");
  });
});

describe("platformLine", () => {
  it("joins the first two parts", () => {
    assert.equal(platformLine("8.3.5.1119"), "83");
    assert.equal(platformLine("8.2.15.319"), "82");
  });

  it("rejects malformed versions", () => {
    assertInvalidVersion(() => platformLine("8.3"), "8.3");
  });
});
