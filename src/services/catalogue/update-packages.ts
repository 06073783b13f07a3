/**
 * Checks an uploaded 1C update package where the blob store keeps it, before its row is written:
 * what the client needs to install it into the templates directory (src/client/templates.ts) is a
 * zip that the shared safe reader (src/formats/zip.ts) accepts, with an UpdInfo.txt at its root
 * naming the release's own version. Only UpdInfo.txt is decompressed.
 */
import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import yauzl from "yauzl";
import { unprocessable } from "../../domain/errors.ts";
import { FormatError } from "../../formats/format-error.ts";
import { readUpdInfo, UPD_INFO_FILE } from "../../formats/onec/upd-info.ts";
import { UPDATE_FILE } from "../../formats/onec/update-package.ts";
import { openSafeZip, type SafeZip } from "../../formats/zip.ts";
import type { BlobStore } from "../../storage/blob-store.ts";

/** The real file is three short lines; anything much larger is not one. */
const MAX_UPD_INFO_BYTES = 64 * 1024;

/** Lets yauzl read the blob by byte ranges, wherever the store keeps it. */
class BlobReader extends yauzl.RandomAccessReader {
  constructor(
    private readonly blobs: BlobStore,
    private readonly key: string,
  ) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    // yauzl's end is exclusive, the store's inclusive; yauzl never asks for an empty range here.
    return this.blobs.read(this.key, { start, end: end - 1 });
  }
}

/** The problem a refused zip is answered with, by what the safe reader found. */
function zipProblem(error: FormatError, version: string) {
  if (error.problem === "unsafe-entry") {
    return unprocessable("package_unsafe_path", `The package cannot be unpacked safely: ${error.reason}`, {
      entry: error.entry,
    });
  }
  if (error.problem === "too-large") {
    return unprocessable("package_too_large", `The package looks like a zip bomb: ${error.reason}`);
  }
  return unprocessable(
    "not_a_package",
    `The update of ${version} must be a 1C update package (a zip file such as 1cv8.zip); ${error.reason}`,
  );
}

async function readUpdInfoBytes(zip: SafeZip): Promise<Buffer | null> {
  const entry = zip.entries.find((candidate) => candidate.name === UPD_INFO_FILE);
  if (!entry) return null;
  if (entry.size > MAX_UPD_INFO_BYTES) {
    throw unprocessable("invalid_upd_info", `The package's ${UPD_INFO_FILE} is larger than 64 KiB.`);
  }
  return zip.read(entry);
}

/** Base64 of the MD5 of the package's `1cv8.cfu` (the update service's `hashSum`); null without one. */
async function updateFileHashSum(zip: SafeZip): Promise<string | null> {
  const entry = zip.entries.find(
    (candidate) => !candidate.isDirectory && candidate.name.toLowerCase() === UPDATE_FILE,
  );
  if (!entry) return null;
  const hash = createHash("md5");
  for await (const chunk of await zip.open(entry)) hash.update(chunk as Buffer);
  return hash.digest("base64");
}

/** What the check learnt of a package: the `hashSum` of its update file, kept with its row. */
export interface CheckedPackage {
  readonly hashSum: string | null;
}

/** The `hashSum` of a package stored before it was kept (start-up backfill); a damaged zip fails. */
export async function storedPackageHashSum(
  blobs: BlobStore,
  key: string,
  size: number,
): Promise<string | null> {
  const zip = await openSafeZip({ reader: new BlobReader(blobs, key), size }, key);
  try {
    return await updateFileHashSum(zip);
  } finally {
    zip.close();
  }
}

/**
 * Refuses (422) a stored upload that is not the 1C update package of `version`; else answers the
 * MD5 of its `1cv8.cfu`, read once here (the only entry of any size decompressed).
 */
export async function checkUpdatePackage(
  blobs: BlobStore,
  key: string,
  size: number,
  version: string,
): Promise<CheckedPackage> {
  let bytes: Buffer | null;
  let hashSum: string | null = null;
  try {
    const zip = await openSafeZip({ reader: new BlobReader(blobs, key), size }, "the package");
    try {
      bytes = await readUpdInfoBytes(zip);
      if (bytes) hashSum = await updateFileHashSum(zip);
    } finally {
      zip.close();
    }
  } catch (error) {
    throw error instanceof FormatError ? zipProblem(error, version) : error;
  }
  if (!bytes) {
    throw unprocessable(
      "package_without_updinfo",
      `The package holds no ${UPD_INFO_FILE} at its root, so no 1C program or client would recognise it as the update to ${version}.`,
    );
  }
  let found: string;
  try {
    found = readUpdInfo(bytes, `the package's ${UPD_INFO_FILE}`).version;
  } catch (error) {
    if (error instanceof FormatError) {
      throw unprocessable("invalid_upd_info", error.message, { line: error.line });
    }
    throw error;
  }
  if (found !== version) {
    throw unprocessable(
      "package_version_mismatch",
      `The package's ${UPD_INFO_FILE} says Version=${found}, but the release is ${version}.`,
      { expected: version, found },
    );
  }
  return { hashSum };
}

/** A file inside a stored package, streamed unpacked (the older tools fetch `1cv8.cfu` and `1cv8.mft` alone). */
export async function openPackageEntry(
  blobs: BlobStore,
  key: string,
  size: number,
  name: string,
): Promise<{ readonly size: number; readonly body: Readable } | null> {
  const zip = await openSafeZip({ reader: new BlobReader(blobs, key), size }, key);
  const entry = zip.entries.find(
    (candidate) => !candidate.isDirectory && candidate.name.toLowerCase() === name.toLowerCase(),
  );
  if (!entry) {
    zip.close();
    return null;
  }
  try {
    const body = await zip.open(entry);
    body.once("close", () => zip.close());
    return { size: entry.size, body };
  } catch (error) {
    zip.close();
    throw error;
  }
}
