/**
 * Unpacks an update package (1cv8.zip) through the shared safe reader (src/formats/zip.ts): every
 * entry is checked before the first file is written, so a package with a path leaving the folder,
 * a link, or a zip bomb writes nothing.
 */
import { createWriteStream, mkdirSync } from "node:fs";
import { dirname, resolve, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import { FormatError } from "../formats/format-error.ts";
import { parseDestination, type TemplateDestination } from "../formats/onec/layout.ts";
import { MANIFEST_FILE, readManifest } from "../formats/onec/manifest.ts";
import { openSafeZip, type SafeZip } from "../formats/zip.ts";
import { ClientError } from "./errors.ts";

/** The client's words for what the safe reader refused. */
function refusal(error: unknown, file: string): ClientError {
  if (!(error instanceof FormatError)) return new ClientError(`Unpacking ${file} failed: ${error}`);
  if (error.problem === "unsafe-entry")
    return new ClientError(`The package holds an unsafe path: ${error.reason}`);
  if (error.problem === "too-large")
    return new ClientError(`The package is refused as a zip bomb: ${error.reason}`);
  if (error.problem === "damaged")
    return new ClientError(`${file} is not a readable zip package: ${error.reason}`);
  return new ClientError(error.message);
}

async function withZip<T>(file: string, use: (zip: SafeZip) => Promise<T>): Promise<T> {
  let zip: SafeZip;
  try {
    zip = await openSafeZip({ path: file }, file);
  } catch (error) {
    throw refusal(error, file);
  }
  try {
    return await use(zip);
  } catch (error) {
    throw error instanceof ClientError ? error : refusal(error, file);
  } finally {
    zip.close();
  }
}

/** Unpacks into `dest` (which must exist); returns the relative paths of the files written. */
export function unpackZip(file: string, dest: string): Promise<string[]> {
  const root = resolve(dest);
  return withZip(file, async (zip) => {
    const written: string[] = [];
    for (const entry of zip.entries) {
      const path = resolve(root, entry.name);
      // The reader refused names leaving the folder already; this keeps it true whatever changes there.
      if (path !== root && !path.startsWith(root + sep)) {
        throw new ClientError(`The package holds an unsafe path ${JSON.stringify(entry.name)}: outside`);
      }
      if (entry.isDirectory) {
        mkdirSync(path, { recursive: true });
        continue;
      }
      mkdirSync(dirname(path), { recursive: true });
      await pipeline(await zip.open(entry), createWriteStream(path, { flags: "wx" }));
      written.push(entry.name);
    }
    return written;
  });
}

/**
 * Where a package installs, from its manifest's first `Destination=1C\HRM`: null when it has no
 * manifest at its root (a package made by other tools).
 */
export function packageDestination(file: string): Promise<TemplateDestination | null> {
  return withZip(file, async (zip) => {
    const entry = zip.entries.find((candidate) => candidate.name.toLowerCase() === MANIFEST_FILE);
    if (!entry) return null;
    if (entry.size > 64 * 1024)
      throw new ClientError(`The package's ${MANIFEST_FILE} is larger than 64 KiB.`);
    const manifest = readManifest(await zip.read(entry), `${file}: ${entry.name}`);
    // readManifest has checked every Destination.
    return parseDestination(manifest.configs[0]!.destination)!;
  });
}
