/**
 * The one safe way this project opens a zip (an update package, an update list), on the server,
 * in the import and in the client. Every entry of the central directory is checked before any is
 * read: names that are absolute or climb out of the folder, links and devices, names given twice
 * (also in another letter case, which is the same file on Windows), too many entries, more bytes
 * unpacked than the limit or an entry that inflates more than the ratio allows (a zip bomb), and
 * encrypted entries are refused with a FormatError. The sizes checked are the declared ones; the
 * reader stops an entry whose data inflates beyond its declared size.
 *
 * 1C packages are made on Russian Windows: a name without the zip's UTF-8 flag is in code page 866,
 * not the CP437 the zip format assumes, and backslashes separate folders.
 */
import type { Readable } from "node:stream";
import yauzl from "yauzl";
import { FormatError } from "./format-error.ts";

export interface ZipLimits {
  readonly maxEntries: number;
  /** The sum of the entries' unpacked sizes. */
  readonly maxTotalBytes: number;
  /** Unpacked over packed size, for entries above 1 MiB unpacked (small files may compress very well). */
  readonly maxRatio: number;
}

/** Generous for a 1C package (a .cfu of a few hundred MB, stored; text deflated about 10:1). */
export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 10_000,
  maxTotalBytes: 8 * 1024 ** 3,
  maxRatio: 200,
};

const RATIO_FLOOR = 1024 ** 2;
const UTF8_FLAG = 0x800;
const FILE_TYPE = 0o170000;
const REGULAR_FILE = 0o100000;
const DIRECTORY = 0o040000;

/** An entry's name: UTF-8 when flagged, code page 866 otherwise; backslashes become slashes. */
export function zipEntryName(raw: Buffer, generalPurposeBitFlag: number): string {
  const name =
    generalPurposeBitFlag & UTF8_FLAG ? raw.toString("utf8") : new TextDecoder("ibm866").decode(raw);
  return name.replaceAll("\\", "/");
}

export interface SafeZipEntry {
  /** Decoded, `/`-separated, relative; a folder's ends with `/`. */
  readonly name: string;
  readonly isDirectory: boolean;
  readonly size: number;
  readonly compressedSize: number;
}

export type ZipSource =
  | { readonly path: string }
  | { readonly buffer: Buffer }
  | { readonly reader: yauzl.RandomAccessReader; readonly size: number };

export interface SafeZip {
  /** Every entry, in the zip's order, already checked. */
  readonly entries: readonly SafeZipEntry[];
  /** The entry's unpacked bytes as a stream; it fails if the data is damaged or longer than declared. */
  open(entry: SafeZipEntry): Promise<Readable>;
  /** The entry's unpacked bytes (for the small text files of a package). */
  read(entry: SafeZipEntry): Promise<Buffer>;
  close(): void;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
const CONTROL = /[\u0000-\u001f\u007f]/;

/** What is wrong with an entry's name, said of the entry; null if nothing. */
function unsafeName(name: string): string | null {
  if (name === "" || name === "/") return "has no name";
  if (CONTROL.test(name)) return "holds control characters";
  const problem = yauzl.validateFileName(name);
  if (problem) return problem.startsWith("absolute") ? "is an absolute path" : "climbs out of the folder";
  if (
    name
      .replace(/\/$/, "")
      .split("/")
      .some((part) => part === "" || part === ".")
  )
    return "has an empty or '.' folder";
  return null;
}

function openZip(source: ZipSource): Promise<yauzl.ZipFile> {
  const options: yauzl.Options = {
    lazyEntries: true,
    decodeStrings: false,
    validateEntrySizes: true,
    autoClose: false,
  };
  if ("path" in source) return yauzl.openPromise(source.path, options);
  if ("buffer" in source) return yauzl.fromBufferPromise(source.buffer, options);
  return yauzl.fromRandomAccessReaderPromise(source.reader, source.size, options);
}

function readCentralDirectory(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on("error", reject);
    zip.on("end", () => resolve(entries));
    zip.on("entry", (entry: yauzl.Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.readEntry();
  });
}

/** Opens and checks a zip; `file` names it in errors. The caller closes it. */
export async function openSafeZip(
  source: ZipSource,
  file: string,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<SafeZip> {
  const refuse = (
    problem: "unsafe-entry" | "too-large" | "damaged",
    reason: string,
    entry: string | null = null,
  ) => new FormatError(file, null, problem, reason, entry);
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(source);
  } catch (error) {
    throw refuse("damaged", `it is not a readable zip (${(error as Error).message}).`);
  }
  try {
    if (zip.entryCount > limits.maxEntries) {
      throw refuse("too-large", `it holds ${zip.entryCount} entries, more than ${limits.maxEntries}.`);
    }
    let raw: yauzl.Entry[];
    try {
      raw = await readCentralDirectory(zip);
    } catch (error) {
      throw refuse("damaged", `its directory is damaged (${(error as Error).message}).`);
    }
    const byEntry = new Map<SafeZipEntry, yauzl.Entry>();
    const seen = new Set<string>();
    let total = 0;
    for (const entry of raw) {
      const name = zipEntryName(entry.fileNameRaw as Buffer, entry.generalPurposeBitFlag);
      const shown = JSON.stringify(name);
      const problem = unsafeName(name);
      if (problem) throw refuse("unsafe-entry", `the entry ${shown} ${problem}.`, name);
      const type = (entry.externalFileAttributes >>> 16) & FILE_TYPE;
      if (type !== 0 && type !== REGULAR_FILE && type !== DIRECTORY) {
        const what = type === 0o120000 ? "symbolic link" : "special file";
        throw refuse("unsafe-entry", `the entry ${shown} is a ${what}, not a file.`, name);
      }
      if (entry.isEncrypted()) throw refuse("unsafe-entry", `the entry ${shown} is encrypted.`, name);
      const key = name.replace(/\/$/, "").toLowerCase();
      if (seen.has(key)) throw refuse("unsafe-entry", `the entry ${shown} is given twice.`, name);
      seen.add(key);
      total += entry.uncompressedSize;
      if (total > limits.maxTotalBytes) {
        throw refuse("too-large", `it unpacks to more than ${limits.maxTotalBytes} bytes.`);
      }
      if (
        entry.uncompressedSize > RATIO_FLOOR &&
        entry.uncompressedSize > limits.maxRatio * Math.max(entry.compressedSize, 1)
      ) {
        const sizes = `${entry.compressedSize} -> ${entry.uncompressedSize} bytes`;
        throw refuse(
          "too-large",
          `the entry ${shown} inflates more than ${limits.maxRatio} times (${sizes}).`,
          name,
        );
      }
      const isDirectory = name.endsWith("/");
      byEntry.set(
        { name, isDirectory, size: entry.uncompressedSize, compressedSize: entry.compressedSize },
        entry,
      );
    }
    const open = async (entry: SafeZipEntry): Promise<Readable> => {
      const raw = byEntry.get(entry);
      if (!raw) throw new Error(`${entry.name} is not an entry of ${file}`);
      try {
        return await zip.openReadStreamPromise(raw);
      } catch (error) {
        throw refuse(
          "damaged",
          `the entry ${JSON.stringify(entry.name)} cannot be read (${(error as Error).message}).`,
        );
      }
    };
    return {
      entries: [...byEntry.keys()],
      open,
      async read(entry) {
        const chunks: Buffer[] = [];
        try {
          for await (const chunk of await open(entry)) chunks.push(chunk as Buffer);
        } catch (error) {
          if (error instanceof FormatError) throw error;
          throw refuse(
            "damaged",
            `the entry ${JSON.stringify(entry.name)} is damaged (${(error as Error).message}).`,
          );
        }
        return Buffer.concat(chunks);
      },
      close: () => zip.close(),
    };
  } catch (error) {
    zip.close();
    throw error;
  }
}
