import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DISTRIBUTION_KINDS,
  distributionKindsOf,
  isUpdatePackage,
  PLATFORM_DISTRIBUTION_KINDS,
  validateDistributionKind,
  validatePackageFormat,
} from "../../src/domain/catalogue.ts";
import { AppError } from "../../src/domain/errors.ts";

const refusedWith = (code: string) => (error: unknown) => error instanceof AppError && error.code === code;

describe("distribution kinds", () => {
  it("are a closed list", () => {
    for (const kind of DISTRIBUTION_KINDS) assert.equal(validateDistributionKind(kind), kind);
    for (const kind of ["", "updates", "Update", "platform-amiga", "platform-windows-x64 ", 3, null]) {
      assert.throws(
        () => validateDistributionKind(kind),
        refusedWith("invalid_distribution_kind"),
        String(kind),
      );
    }
  });

  it("platform releases take the platform installers; other configurations the packages", () => {
    assert.deepEqual(distributionKindsOf("platform"), PLATFORM_DISTRIBUTION_KINDS);
    for (const kind of ["configuration", "report-forms"] as const) {
      assert.deepEqual(distributionKindsOf(kind), ["update", "full", "basic-to-prof"]);
    }
  });

  it("only the update of a 1c configuration must be a 1C update package", () => {
    assert.equal(isUpdatePackage("1c", "update"), true);
    assert.equal(isUpdatePackage("1c", "full"), false);
    assert.equal(isUpdatePackage("1c", "basic-to-prof"), false);
    assert.equal(isUpdatePackage("file", "update"), false);
  });
});

describe("package formats", () => {
  it("are 1c or file", () => {
    assert.equal(validatePackageFormat("1c"), "1c");
    assert.equal(validatePackageFormat("file"), "file");
    assert.throws(() => validatePackageFormat("zip"), refusedWith("invalid_package_format"));
  });
});
