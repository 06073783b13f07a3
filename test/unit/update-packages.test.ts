import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, describe, it } from "node:test";
import { AppError } from "../../src/domain/errors.ts";
import { checkUpdatePackage } from "../../src/services/catalogue/update-packages.ts";
import { LocalBlobStore } from "../../src/storage/local-blob-store.ts";
import { updatePackage } from "../support/update-package.ts";

describe("the update package check", () => {
  const root = mkdtempSync(join(tmpdir(), "upkeep-packages-"));
  after(() => rmSync(root, { recursive: true, force: true }));
  const blobs = new LocalBlobStore(root);

  it("accepts a package with the vendor's traits (CP866 names) for its version only, reading it where it is stored", async () => {
    const bytes = updatePackage({ code: "HRM", version: "3.0.11.36", fromVersions: ["3.0.10.32"] });
    const { size } = await blobs.put("package", Readable.from(bytes));
    await checkUpdatePackage(blobs, "package", size, "3.0.11.36");
    await assert.rejects(
      checkUpdatePackage(blobs, "package", size, "3.0.11.35"),
      (error: unknown) =>
        error instanceof AppError &&
        error.code === "package_version_mismatch" &&
        error.kind === "unprocessable" &&
        error.details.found === "3.0.11.36",
    );
  });
});
