import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { DownloadHTTPError, ExpiredMetadataError } from "tuf-js/dist/error.js";
import { updateMissingError } from "../../src/client/commands/shared.ts";
import { EXIT } from "../../src/client/errors.ts";
import { planFromReleases } from "../../src/client/source.ts";
import { FileFetcher, tufFailure } from "../../src/client/tuf.ts";
import type { Release } from "../../src/client/types.ts";
import { tufTargetPath } from "../../src/contract/tuf.ts";
import { AppError } from "../../src/domain/errors.ts";

let work: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), "upkeep-client-mirror-"));
});
after(() => rmSync(work, { recursive: true, force: true }));

describe("expired metadata", () => {
  it("tells the user of a mirror to refresh it with upkeep-client mirror", () => {
    const mirror = pathToFileURL(join(work, "old-mirror")).toString();
    const error = tufFailure(mirror, new ExpiredMetadataError("timestamp.json is expired"));
    assert.equal(error.exitCode, EXIT.verification);
    assert.match(error.message, /the mirror .*old-mirror has expired \(timestamp\.json is expired\)/);
    assert.match(error.message, /must be refreshed: .*run `upkeep-client mirror --out <folder>`/);
    const online = tufFailure(
      "http://updates.example",
      new ExpiredMetadataError("timestamp.json is expired"),
    );
    assert.equal(online.exitCode, EXIT.verification);
    assert.match(online.message, /the server must re-sign it/);
    assert.doesNotMatch(online.message, /upkeep-client mirror/);
  });
});

describe("planning from a mirror's release list", () => {
  const release = (version: string, updateFrom: string[], size: number): Release => ({
    id: `r-${version}`,
    configuration: "CFG",
    version,
    releasedOn: "2026-01-01",
    itsIssue: null,
    minPlatformVersion: "8.3.1.1",
    channel: "stable",
    status: "published",
    publishedAt: "2026-01-01T00:00:00.000Z",
    updateFrom,
    distributions: [
      { id: `d-${version}`, kind: "update", fileName: "1cv8.zip", size, sha256: "0".repeat(64) },
    ],
    hasUpdateDistribution: true,
  });
  const allowed = { allowed: true, code: null, detail: null, month: null };

  it("gives the server's plan shape over the same planner", () => {
    const releases = [release("1.0.0.3", ["1.0.0.2"], 30), release("1.0.0.2", ["1.0.0.1"], 20)];
    const plan = planFromReleases(
      releases,
      { configuration: "CFG", version: "1.0.0.1", platformVersion: "8.3.0.1" },
      allowed,
    );
    assert.equal(plan.status, "update-available");
    assert.deepEqual(
      plan.steps.map((s) => [s.version, s.releaseId, s.distribution?.id]),
      [
        ["1.0.0.2", "r-1.0.0.2", "d-1.0.0.2"],
        ["1.0.0.3", "r-1.0.0.3", "d-1.0.0.3"],
      ],
    );
    assert.equal(plan.totalSize, 50);
    assert.deepEqual(plan.platformUpgrade, { requiredVersion: "8.3.1.1" });
    assert.equal(
      planFromReleases(releases, { configuration: "CFG", version: "1.0.0.3" }, allowed).status,
      "up-to-date",
    );
    assert.throws(
      () =>
        planFromReleases(releases, { configuration: "CFG", version: "1.0.0.1", target: "9.9.9.9" }, allowed),
      (error: unknown) => error instanceof AppError && error.code === "unknown_target",
    );
    assert.throws(
      () => planFromReleases([], { configuration: "CFG", version: "1.0.0.1" }, allowed),
      (error: unknown) =>
        error instanceof AppError &&
        error.code === "no_published_releases" &&
        error.message === "CFG has no published release yet.",
    );
  });

  it("marks the steps whose release has no update file yet, and carries the package format", () => {
    const gap = { ...release("1.0.0.2", ["1.0.0.1"], 20), distributions: [], hasUpdateDistribution: false };
    const releases = [release("1.0.0.3", ["1.0.0.2"], 30), gap];
    const plan = planFromReleases(releases, { configuration: "CFG", version: "1.0.0.1" }, allowed);
    assert.deepEqual(
      plan.steps.map((s) => [s.version, s.updateAvailable]),
      [
        ["1.0.0.2", false],
        ["1.0.0.3", true],
      ],
    );
    assert.deepEqual(plan.missingUpdates, ["1.0.0.2"]);
    assert.equal(plan.packageFormat, "1c", "a mirror from before package formats holds 1c configurations");
    const file = planFromReleases(releases, { configuration: "CFG", version: "1.0.0.2" }, allowed, "file");
    assert.equal(file.packageFormat, "file");
    assert.deepEqual(file.missingUpdates, []);
  });

  it("carries the what's new of the releases passed, as the server's plan does", () => {
    const releases = [release("1.0.0.3", ["1.0.0.2"], 30), release("1.0.0.2", ["1.0.0.1"], 20)];
    const texts = new Map([
      [releases[0]!.id, " * Third.\n"],
      [releases[1]!.id, ""],
    ]);
    const plan = planFromReleases(
      releases,
      { configuration: "CFG", version: "1.0.0.1" },
      allowed,
      "1c",
      (id) => texts.get(id),
    );
    assert.deepEqual(plan.whatsNew, [{ version: "1.0.0.3", text: "* Third." }]);
    assert.deepEqual(
      planFromReleases(releases, { configuration: "CFG", version: "1.0.0.1" }, allowed).whatsNew,
      [],
    );
  });

  it("says plainly which releases have no update file yet, with its own exit code", () => {
    const one = updateMissingError("HRM", ["1.0.2.0"]);
    assert.equal(one.exitCode, EXIT.updateMissing);
    assert.equal(one.code, "update_missing");
    assert.match(
      one.message,
      /^Release 1\.0\.2\.0 of HRM has no update file yet.*ask the vendor or try again later\.$/,
    );
    assert.match(
      updateMissingError("HRM", ["1.0.2.0", "1.0.3.0"]).message,
      /^Releases 1\.0\.2\.0, 1\.0\.3\.0 of HRM have/,
    );
  });

  it("names targets as the server does", () => {
    assert.equal(tufTargetPath("HRM", "3.0.11.36", "update", "1cv8.zip"), "HRM/3_0_11_36/update/1cv8.zip");
  });

  it("the file fetcher reads a mirror and answers a missing file the way tuf-js expects", async () => {
    const dir = join(work, "mirror-fetch");
    mkdirSync(dir);
    writeFileSync(join(dir, "timestamp.json"), "{}");
    const fetcher = new FileFetcher();
    const bytes = await fetcher.downloadBytes(pathToFileURL(join(dir, "timestamp.json")).toString(), 100);
    assert.equal(bytes.toString(), "{}");
    await assert.rejects(
      fetcher.downloadBytes(pathToFileURL(join(dir, "2.root.json")).toString(), 100),
      (error: unknown) => error instanceof DownloadHTTPError && error.statusCode === 404,
    );
  });
});
