/**
 * Checks an uploaded 1C update package where the blob store keeps it, before its row is written:
 * what the client needs to install it into the templates directory (src/client/templates.ts) is a
 * zip that the shared safe reader (src/formats/zip.ts) accepts, with an UpdInfo.txt at its root
 * naming the release's own version. Only UpdInfo.txt is decompressed.
 */
import type { Readable } from "node:stream";
import yauzl from "yauzl";
import { unprocessable } from "../../domain/errors.ts";
import { FormatError } from "../../formats/format-error.ts";
import { readUpdInfo, UPD_INFO_FILE } from "../../formats/onec/upd-info.ts";
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

/** Refuses (422) a stored upload that is not the 1C update package of `version`. */
export async function checkUpdatePackage(
  blobs: BlobStore,
  key: string,
  size: number,
  version: string,
): Promise<void> {
  let bytes: Buffer | null;
  try {
    const zip = await openSafeZip({ reader: new BlobReader(blobs, key), size }, "the package");
    try {
      bytes = await readUpdInfoBytes(zip);
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
}
