/**
 * Checks an uploaded 1C update package where the blob store keeps it, before its row is written:
 * what the client needs to install it into the templates directory (src/client/templates.ts) is a
 * readable zip whose entry names stay inside the folder, with an UpdInfo.txt at its root naming the
 * release's own version. Only UpdInfo.txt is decompressed.
 */
import type { Readable } from "node:stream";
import yauzl from "yauzl";
import { AppError, unprocessable } from "../../domain/errors.ts";
import { parseUpdInfo } from "../../domain/upd-info.ts";
import { zipEntryName } from "../../domain/zip-entry-name.ts";
import type { BlobStore } from "../../storage/blob-store.ts";

const UPD_INFO = "UpdInfo.txt";
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

async function readLimited(stream: Readable, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      stream.destroy();
      return null;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const notAPackage = (version: string, reason: string) =>
  unprocessable(
    "not_a_package",
    `The update of ${version} must be a 1C update package (a zip file such as 1cv8.zip); ${reason}.`,
  );

/** Reads the entries, refusing an unsafe name; resolves to UpdInfo.txt's bytes, or null without one. */
function readUpdInfoEntry(zip: yauzl.ZipFile, version: string): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    let found: Buffer | null = null;
    const fail = (error: unknown) => {
      zip.close();
      reject(error instanceof AppError ? error : notAPackage(version, `the zip is damaged: ${error}`));
    };
    zip.on("error", fail);
    zip.on("end", () => resolve(found));
    zip.on("entry", (entry: yauzl.Entry) => {
      const name = zipEntryName(entry.fileNameRaw as Buffer, entry.generalPurposeBitFlag);
      const problem = yauzl.validateFileName(name);
      if (problem) {
        fail(
          unprocessable(
            "package_unsafe_path",
            `The package holds the entry ${JSON.stringify(name)}, which cannot be unpacked safely (${problem}).`,
            { entry: name },
          ),
        );
        return;
      }
      if (name !== UPD_INFO || found) {
        zip.readEntry();
        return;
      }
      zip
        .openReadStreamPromise(entry)
        .then((stream) => readLimited(stream, MAX_UPD_INFO_BYTES))
        .then((bytes) => {
          if (!bytes) {
            throw unprocessable("invalid_upd_info", `The package's ${UPD_INFO} is larger than 64 KiB.`);
          }
          found = bytes;
          zip.readEntry();
        })
        .catch(fail);
    });
    zip.readEntry();
  });
}

/** Refuses (422) a stored upload that is not the 1C update package of `version`. */
export async function checkUpdatePackage(
  blobs: BlobStore,
  key: string,
  size: number,
  version: string,
): Promise<void> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromRandomAccessReaderPromise(new BlobReader(blobs, key), size, {
      lazyEntries: true,
      decodeStrings: false,
      validateEntrySizes: true,
      autoClose: true,
    });
  } catch (error) {
    throw notAPackage(version, `these bytes are not a readable zip (${(error as Error).message})`);
  }
  const bytes = await readUpdInfoEntry(zip, version);
  if (!bytes) {
    throw unprocessable(
      "package_without_updinfo",
      `The package holds no ${UPD_INFO} at its root, so no 1C program or client would recognise it as the update to ${version}.`,
    );
  }
  let found: string;
  try {
    found = parseUpdInfo(bytes.toString("utf8")).version;
  } catch (error) {
    if (error instanceof AppError) throw unprocessable("invalid_upd_info", error.message, error.details);
    throw error;
  }
  if (found !== version) {
    throw unprocessable(
      "package_version_mismatch",
      `The package's ${UPD_INFO} says Version=${found}, but the release is ${version}.`,
      { expected: version, found },
    );
  }
}
