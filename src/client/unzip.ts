/** Unpacks an update package (1cv8.zip) safely: no absolute paths, no `..`, names in CP866 when not UTF-8. */
import { createWriteStream, mkdirSync } from "node:fs";
import { dirname, resolve, sep } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import yauzl from "yauzl";
import { zipEntryName } from "../domain/zip-entry-name.ts";
import { ClientError } from "./errors.ts";

function open(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolvePromise, reject) =>
    yauzl.open(
      file,
      { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: true },
      (error, zip) => (error || !zip ? reject(error) : resolvePromise(zip)),
    ),
  );
}

function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolvePromise, reject) =>
    zip.openReadStream(entry, (error, stream) => (error || !stream ? reject(error) : resolvePromise(stream))),
  );
}

/** Unpacks into `dest` (which must exist); returns the relative paths of the files written. */
export async function unpackZip(file: string, dest: string): Promise<string[]> {
  const root = resolve(dest);
  let zip: yauzl.ZipFile;
  try {
    zip = await open(file);
  } catch (error) {
    throw new ClientError(`${file} is not a readable zip package: ${error}`);
  }
  const written: string[] = [];
  await new Promise<void>((resolvePromise, reject) => {
    const fail = (error: unknown) => {
      zip.close();
      reject(error instanceof ClientError ? error : new ClientError(`Unpacking ${file} failed: ${error}`));
    };
    zip.on("error", fail);
    zip.on("end", () => resolvePromise());
    zip.on("entry", (entry: yauzl.Entry) => {
      const name = zipEntryName(entry.fileNameRaw as Buffer, entry.generalPurposeBitFlag);
      const problem = yauzl.validateFileName(name);
      const path = resolve(root, name);
      if (problem || (path !== root && !path.startsWith(root + sep))) {
        fail(
          new ClientError(
            `The package holds an unsafe path ${JSON.stringify(name)}: ${problem ?? "outside"}`,
          ),
        );
        return;
      }
      if (name.endsWith("/")) {
        mkdirSync(path, { recursive: true });
        zip.readEntry();
        return;
      }
      mkdirSync(dirname(path), { recursive: true });
      openEntry(zip, entry)
        .then((stream) => pipeline(stream, createWriteStream(path, { flags: "wx" })))
        .then(() => {
          written.push(name);
          zip.readEntry();
        }, fail);
    });
    zip.readEntry();
  });
  return written;
}
