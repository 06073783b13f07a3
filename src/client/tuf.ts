/**
 * Signed metadata through tuf-js: the trusted root is captured at `connect` (trust on first use) and
 * kept with the timestamp/snapshot/targets tuf-js persists beside it, so a rolled-back or expired
 * repository is refused on every later run. Files are checked with the verified TargetFile.
 */
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { Metadata, MetadataKind, type Root, type TargetFile } from "@tufjs/models";
import { BaseFetcher, Updater } from "tuf-js";
import {
  BadVersionError,
  DownloadHTTPError,
  ExpiredMetadataError,
  RepositoryError,
  RuntimeError,
} from "tuf-js/dist/error.js";
import { ApiClient, USER_AGENT } from "./api.ts";
import { ClientError, networkErrorCode, unreachable, verificationFailed } from "./errors.ts";
import { isMirrorServer } from "./home.ts";

/** Reads a mirror folder (`--server file://DIR`): DIR/tuf/<metadata> and DIR/tuf/targets/<path>. */
export class FileFetcher extends BaseFetcher {
  override async fetch(url: string): Promise<ReadableStream<Uint8Array<ArrayBuffer>>> {
    const path = fileURLToPath(url);
    if (!existsSync(path) || !statSync(path).isFile()) {
      // tuf-js stops walking the root chain on a 404.
      throw new DownloadHTTPError(`${path} is not in the mirror`, 404);
    }
    return Readable.toWeb(createReadStream(path)) as unknown as ReadableStream<Uint8Array<ArrayBuffer>>;
  }
}

export function metadataBaseUrl(server: string): string {
  return `${server}/tuf`;
}

/** Fetches raw metadata bytes (root.json, N.root.json) from a server or mirror; null on 404. */
export async function fetchMetadata(server: string, name: string): Promise<Buffer | null> {
  if (isMirrorServer(server)) {
    const path = join(fileURLToPath(server), "tuf", name);
    return existsSync(path) ? readFileSync(path) : null;
  }
  const response = await new ApiClient(server, null).fetch(`/tuf/${name}`);
  if (response.status === 404) return null;
  if (!response.ok) throw new ClientError(`${server}/tuf/${name}: ${response.status} ${response.statusText}`);
  return Buffer.from(await response.arrayBuffer());
}

/**
 * Trust on first use: keeps the server's current root as the trusted root, after checking it is
 * well-formed and signed by its own root keys. An existing trusted root is kept (tuf-js walks
 * rotations from it), so reconnecting cannot swap the trust anchor.
 */
export async function trustOnFirstUse(
  server: string,
  dir: string,
  seed?: Buffer,
): Promise<"kept" | "trusted"> {
  const rootPath = join(dir, "root.json");
  if (existsSync(rootPath)) return "kept";
  const bytes = seed ?? (await fetchMetadata(server, "root.json"));
  if (bytes === null) {
    throw new ClientError(
      `${server} publishes no signed update metadata (${metadataBaseUrl(server)}/root.json is missing); ` +
        "the client cannot verify downloads from it.",
    );
  }
  try {
    const root: Metadata<Root> = Metadata.fromJSON(MetadataKind.Root, JSON.parse(bytes.toString("utf8")));
    root.verifyDelegate(MetadataKind.Root, root);
  } catch (error) {
    throw verificationFailed(`the server's root metadata is not valid signed TUF metadata (${error})`);
  }
  writeFileSync(rootPath, bytes);
  return "trusted";
}

export function openUpdater(server: string, dir: string): Updater {
  if (!existsSync(join(dir, "root.json"))) {
    throw new ClientError(
      `There is no trusted root for ${server}: run upkeep-client connect --server ${server} first.`,
    );
  }
  return new Updater({
    metadataDir: dir,
    metadataBaseUrl: metadataBaseUrl(server),
    ...(isMirrorServer(server) ? { fetcher: new FileFetcher() } : {}),
    config: { userAgent: USER_AGENT, fetchTimeout: 60_000 },
  });
}

/** A tuf-js failure in words a user can act on. */
export function tufFailure(server: string, error: unknown): ClientError {
  if (error instanceof ClientError) return error;
  const text = error instanceof Error ? error.message : String(error);
  if (error instanceof ExpiredMetadataError || /expired/i.test(text)) {
    if (isMirrorServer(server)) {
      // A mirror is a snapshot: its timestamp.json lasts as long as the server signs it for (a day).
      return verificationFailed(
        `the mirror ${fileURLToPath(server)} has expired (${text}). A mirror's signed metadata lasts ` +
          "only about a day after it was written; it must be refreshed: on a machine connected to the " +
          "update server run `upkeep-client mirror --out <folder>` and bring that folder here again " +
          `(in place of ${fileURLToPath(server)})`,
      );
    }
    return verificationFailed(
      `the signed update metadata of ${server} has expired (${text}); the server must re-sign it ` +
        "(is its clock, or this machine's, wrong?)",
    );
  }
  if (error instanceof BadVersionError || /version .*must be|rollback|Expected .* version/i.test(text)) {
    return verificationFailed(
      `the signed update metadata of ${server} is older than what this client already trusts ` +
        `(a rollback: ${text})`,
    );
  }
  if (error instanceof DownloadHTTPError && error.statusCode === 404) {
    return new ClientError(`${server} has no signed update metadata (${text}).`);
  }
  if (!(error instanceof RepositoryError) && !(error instanceof RuntimeError) && networkErrorCode(error)) {
    return unreachable(server, error);
  }
  return verificationFailed(`the signed update metadata of ${server} did not verify (${text})`);
}

export async function refreshMetadata(updater: Updater, server: string): Promise<void> {
  try {
    await updater.refresh();
  } catch (error) {
    throw tufFailure(server, error);
  }
}

/** The verified description of a target; a path the signed targets do not list is refused. */
export async function targetInfo(updater: Updater, server: string, path: string): Promise<TargetFile> {
  let info: TargetFile | undefined;
  try {
    info = await updater.getTargetInfo(path);
  } catch (error) {
    throw tufFailure(server, error);
  }
  if (!info) {
    throw verificationFailed(`${path} is not listed in the signed targets metadata of ${server}`);
  }
  return info;
}

/** Checks a complete file's length and hashes against the verified TargetFile. */
export async function verifyFile(info: TargetFile, file: string): Promise<void> {
  try {
    await info.verify(createReadStream(file));
  } catch (error) {
    const actual = statSync(file).size;
    throw verificationFailed(
      `the downloaded ${info.path} does not match the signed metadata ` +
        `(${error instanceof Error ? error.message : error}; ${actual} bytes, signed length ${info.length}, ` +
        `signed sha256 ${info.hashes.sha256 ?? "?"})`,
    );
  }
}

/** The earliest `expires` of the signed metadata files in `dir` (a mirror lasts until then), or null. */
export function earliestExpiry(dir: string, names: readonly string[]): Date | null {
  let earliest: Date | null = null;
  for (const name of names) {
    try {
      const expires = new Date(
        (JSON.parse(readFileSync(join(dir, name), "utf8")) as MetadataFile).signed.expires,
      );
      if (!Number.isNaN(expires.getTime()) && (!earliest || expires < earliest)) earliest = expires;
    } catch {
      // missing or unreadable: tuf-js refuses it on use
    }
  }
  return earliest;
}

interface MetadataFile {
  readonly signed: { readonly expires: string };
}

export function targetSha256(info: TargetFile): string {
  return info.hashes.sha256 ?? "";
}

export function targetCustom(info: TargetFile): { distributionId?: string } {
  const custom = (info.custom ?? {}) as { distributionId?: unknown };
  return typeof custom.distributionId === "string" ? { distributionId: custom.distributionId } : {};
}
