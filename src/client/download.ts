/**
 * Resumable download of one distribution into `<target>.part` beside the target file. The ETag of the
 * bytes being fetched is kept in `<target>.part.json`; a resume sends Range + If-Range, so a file that
 * changed on the server comes back whole (200) and the partial file is restarted, never spliced.
 */
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { copyFile } from "node:fs/promises";
import { dirname } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import type { ApiClient } from "./api.ts";
import { ClientError, unreachable } from "./errors.ts";

export interface Expected {
  readonly length: number;
  readonly sha256: string;
}

interface PartState {
  readonly etag: string | null;
  readonly sha256: string;
  readonly length: number;
}

export interface DownloadProgress {
  /** Bytes already on disk when the transfer starts (a resume). */
  start(resumedFrom: number, total: number): void;
  advance(bytes: number): void;
}

export interface DownloadResult {
  readonly resumedFrom: number;
  readonly status: number;
}

function readState(file: string): PartState | null {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as PartState;
  } catch {
    return null;
  }
}

export function partPaths(target: string) {
  return { part: `${target}.part`, state: `${target}.part.json` };
}

export function discardPart(target: string): void {
  const { part, state } = partPaths(target);
  rmSync(part, { force: true });
  rmSync(state, { force: true });
}

/** Stops a body that runs past the signed length: a server cannot fill the disk. */
function limit(max: number, progress: DownloadProgress): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > max) {
        callback(new ClientError(`The server sent more bytes than the signed length ${max}; refused.`));
        return;
      }
      progress.advance(chunk.length);
      callback(null, chunk);
    },
  });
}

/**
 * Fetches `/api/v1/distributions/{id}/file` into `<target>.part`; when it returns, the part file holds
 * `expected.length` bytes (not yet verified: the caller checks them against the TUF target).
 */
export async function downloadDistribution(
  api: ApiClient,
  distributionId: string,
  target: string,
  expected: Expected,
  progress: DownloadProgress,
  attempt = 0,
): Promise<DownloadResult> {
  const { part, state: statePath } = partPaths(target);
  mkdirSync(dirname(target), { recursive: true });
  const saved = readState(statePath);
  let offset = existsSync(part) ? statSync(part).size : 0;
  if (!saved || saved.sha256 !== expected.sha256 || saved.length !== expected.length || !saved.etag) {
    // Bytes of another version of the file (or of unknown origin) are never continued.
    discardPart(target);
    offset = 0;
  } else if (offset > expected.length) {
    discardPart(target);
    offset = 0;
  }
  if (offset === expected.length && offset > 0) {
    progress.start(offset, expected.length);
    return { resumedFrom: offset, status: 0 };
  }

  const headers: Record<string, string> = { accept: "application/octet-stream" };
  if (offset > 0 && saved?.etag) {
    headers.range = `bytes=${offset}-`;
    headers["if-range"] = saved.etag;
  }
  const controller = new AbortController();
  const response = await api.fetch(`/api/v1/distributions/${encodeURIComponent(distributionId)}/file`, {
    headers,
    signal: controller.signal,
  });
  if (response.status === 416 && attempt === 0) {
    await response.body?.cancel();
    discardPart(target);
    return downloadDistribution(api, distributionId, target, expected, progress, attempt + 1);
  }
  if (response.status !== 200 && response.status !== 206) {
    throw await api.failure(response, `Downloading distribution ${distributionId}`);
  }
  const etag = response.headers.get("etag");
  let append = false;
  if (response.status === 206) {
    const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(response.headers.get("content-range") ?? "");
    if (!range || Number(range[1]) !== offset || etag !== saved?.etag || attempt > 1) {
      // A range of something else: restart from the first byte rather than splice.
      controller.abort();
      discardPart(target);
      return downloadDistribution(api, distributionId, target, expected, progress, attempt + 1);
    }
    append = true;
  } else {
    offset = 0;
  }
  writeFileSync(
    statePath,
    JSON.stringify({ etag, sha256: expected.sha256, length: expected.length } satisfies PartState),
  );
  progress.start(offset, expected.length);
  if (!response.body) throw new ClientError(`The server sent no body for distribution ${distributionId}.`);
  try {
    await pipeline(
      Readable.fromWeb(response.body as import("node:stream/web").ReadableStream<Uint8Array>),
      limit(expected.length - offset, progress),
      createWriteStream(part, { flags: append ? "a" : "w" }),
    );
  } catch (error) {
    if (error instanceof ClientError) {
      discardPart(target);
      throw error;
    }
    // The partial file stays for the next run to resume.
    throw unreachable(api.server, error);
  }
  return { resumedFrom: offset, status: response.status };
}

/** A mirror's target is a local file: copied whole into the part file. */
export async function copyFromMirror(
  server: string,
  targetPath: string,
  target: string,
  expected: Expected,
  progress: DownloadProgress,
): Promise<DownloadResult> {
  const source = `${fileURLToPath(server)}/tuf/targets/${targetPath}`;
  if (!existsSync(source)) {
    throw new ClientError(`The mirror ${server} does not hold ${targetPath}; refresh the mirror.`);
  }
  const { part } = partPaths(target);
  discardPart(target);
  mkdirSync(dirname(target), { recursive: true });
  progress.start(0, expected.length);
  await copyFile(source, part);
  progress.advance(statSync(part).size);
  return { resumedFrom: 0, status: 200 };
}
