import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { AppError } from "../../src/domain/errors.ts";
import { checkUpdatePackage } from "../../src/services/update-packages.ts";
import { LocalBlobStore } from "../../src/storage/local-blob-store.ts";

const FIXTURE = fileURLToPath(new URL("../../../shared/fixtures/1c/HRM_3_0_11_36/1cv8.zip", import.meta.url));

describe("the update package check", () => {
  const root = mkdtempSync(join(tmpdir(), "upkeep-packages-"));
  after(() => rmSync(root, { recursive: true, force: true }));
  const blobs = new LocalBlobStore(root);

  it("accepts 1C's own package (CP866 names) for its version only, reading it where it is stored", async () => {
    const bytes = readFileSync(FIXTURE);
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
