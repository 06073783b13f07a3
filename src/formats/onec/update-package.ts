/**
 * An update package (`1cv8.zip`) as the vendor builds it: at its root `1cv8.mft` (the manifest),
 * `UpdInfo.txt`, the update `1cv8.cfu` (stored), `1cv8upd.htm` (the update order) and a "what's
 * new" page named after the release; full templates add `1cv8.cf` and `1Cv8.dt`. Opened through the
 * safe zip reader (src/formats/zip.ts); every problem is a FormatError naming the package and, for a
 * file inside it, that file and line.
 */
import { createHash } from "node:crypto";
import { FormatError } from "../format-error.ts";
import {
  DEFAULT_ZIP_LIMITS,
  openSafeZip,
  type SafeZip,
  type SafeZipEntry,
  type ZipLimits,
  type ZipSource,
} from "../zip.ts";
import { parseDestination, type TemplateDestination } from "./layout.ts";
import { MANIFEST_FILE, type Manifest, readManifest } from "./manifest.ts";
import { readUpdInfo, UPD_INFO_FILE, type UpdInfo } from "./upd-info.ts";

export const UPDATE_FILE = "1cv8.cfu";
export const UPDATE_ORDER_PAGE = "1cv8upd.htm";
/** The text files are a few KB; anything much larger is not one. */
const MAX_TEXT_BYTES = 64 * 1024;
const MAX_PAGE_BYTES = 4 * 1024 * 1024;

export interface PackagePage {
  /** The entry's name, decoded (CP866 unless flagged UTF-8). */
  readonly name: string;
  readonly bytes: Buffer;
}

export interface UpdatePackage {
  readonly manifest: Manifest;
  readonly updInfo: UpdInfo;
  /** Where the package installs: the manifest's first Destination. */
  readonly destination: TemplateDestination;
  /** The update file: its name in the package, size, and the Base64 MD5 the update service reports as `hashSum`. */
  readonly updateFile: { readonly name: string; readonly size: number; readonly md5: string };
  /** `1cv8upd.htm`, the update order, if the package has it. */
  readonly updateOrder: PackagePage | null;
  /** The other .htm pages at the root (what's new), in name order. */
  readonly otherPages: readonly PackagePage[];
}

const rootFile = (zip: SafeZip, name: string): SafeZipEntry | undefined =>
  zip.entries.find((entry) => !entry.isDirectory && entry.name.toLowerCase() === name.toLowerCase());

async function readSmall(zip: SafeZip, entry: SafeZipEntry, file: string, limit: number): Promise<Buffer> {
  if (entry.size > limit) {
    throw new FormatError(
      `${file}: ${entry.name}`,
      null,
      "too-large",
      `it is ${entry.size} bytes, more than ${limit}.`,
    );
  }
  return zip.read(entry);
}

/** Reads and checks a package; `file` names it in errors (e.g. its path). */
export async function readUpdatePackage(
  source: ZipSource,
  file: string,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<UpdatePackage> {
  const zip = await openSafeZip(source, file, limits);
  try {
    const required = (name: string) => {
      const entry = rootFile(zip, name);
      if (!entry) throw new FormatError(file, null, "missing", `the package holds no ${name} at its root.`);
      return entry;
    };
    const manifestEntry = required(MANIFEST_FILE);
    const updInfoEntry = required(UPD_INFO_FILE);
    const updateEntry = required(UPDATE_FILE);
    const manifest = readManifest(
      await readSmall(zip, manifestEntry, file, MAX_TEXT_BYTES),
      `${file}: ${manifestEntry.name}`,
    );
    const updInfo = readUpdInfo(
      await readSmall(zip, updInfoEntry, file, MAX_TEXT_BYTES),
      `${file}: ${updInfoEntry.name}`,
    );
    if (manifest.version !== updInfo.version) {
      throw new FormatError(
        file,
        null,
        "value",
        `${MANIFEST_FILE} says Version=${manifest.version}, ${UPD_INFO_FILE} Version=${updInfo.version}.`,
      );
    }
    // readManifest has checked every Destination.
    const destination = parseDestination(manifest.configs[0]!.destination)!;
    const hash = createHash("md5");
    let size = 0;
    try {
      for await (const chunk of await zip.open(updateEntry)) {
        hash.update(chunk as Buffer);
        size += (chunk as Buffer).length;
      }
    } catch (error) {
      if (error instanceof FormatError) throw error;
      throw new FormatError(
        file,
        null,
        "damaged",
        `the entry ${updateEntry.name} is damaged (${(error as Error).message}).`,
      );
    }
    const pages: PackagePage[] = [];
    for (const entry of zip.entries) {
      if (entry.isDirectory || entry.name.includes("/") || !/\.html?$/i.test(entry.name)) continue;
      pages.push({ name: entry.name, bytes: await readSmall(zip, entry, file, MAX_PAGE_BYTES) });
    }
    const isOrder = (page: PackagePage) => page.name.toLowerCase() === UPDATE_ORDER_PAGE;
    return {
      manifest,
      updInfo,
      destination,
      updateFile: { name: updateEntry.name, size, md5: hash.digest("base64") },
      updateOrder: pages.find(isOrder) ?? null,
      otherPages: pages
        .filter((page) => !isOrder(page))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    };
  } finally {
    zip.close();
  }
}
