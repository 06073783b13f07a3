/**
 * Resumable download of one distribution into `<target>.part` beside the target file. The ETag of the
 * bytes being fetched is kept in `<target>.part.json`; a resume sends Range + If-Range, so a file that
 * changed on the server comes back whole (200) and the partial file is restarted, never spliced. A
 * server that answers a wrong range again after one restart is given up on, and one that sends no
 * bytes for the idle timeout stops the download with the partial file kept.
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
import type { ApiClient } from "./api.ts";
import { ClientError, EXIT, unreachable } from "./errors.ts";

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

/** Stops a body that runs past the signed length: a server cannot fill the disk. Each chunk calls `onData`. */
function limit(max: number, progress: DownloadProgress, onData: () => void): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      onData();
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

/** No byte for this long (headers or body) stops a download; the partial file stays for a resume. */
const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

export function idleTimeoutMs(): number {
  const configured = Number(process.env.UPKEEP_CLIENT_IDLE_TIMEOUT_MS);
  return Number.isInteger(configured) && configured > 0 ? configured : DEFAULT_IDLE_TIMEOUT_MS;
}

/** A restart from the first byte is tried once; a server that still answers a wrong range is given up on. */
const MAX_ATTEMPTS = 2;

/** An abort signal that fires when `touch()` has not been called for `ms`. */
function idleWatch(ms: number) {
  const controller = new AbortController();
  let fired = false;
  const timer = setTimeout(() => {
    fired = true;
    controller.abort(new Error(`no data for ${ms} ms`));
  }, ms);
  return {
    signal: controller.signal,
    get fired() {
      return fired;
    },
    touch: () => timer.refresh(),
    stop: () => clearTimeout(timer),
  };
}

function stalled(api: ApiClient, distributionId: string, ms: number, kept: number): ClientError {
  const seconds = ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
  return new ClientError(
    `The update server ${api.server} sent no data for ${seconds} while downloading distribution ` +
      `${distributionId}; the download was stopped. ` +
      (kept > 0
        ? `The ${kept} bytes already received are kept: run the command again to resume.`
        : "Run the command again to retry."),
    EXIT.unreachable,
    "stalled",
  );
}

export interface DownloadOptions {
  /** Overrides UPKEEP_CLIENT_IDLE_TIMEOUT_MS / the 60 s default. */
  readonly idleTimeoutMs?: number;
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
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  const idleMs = options.idleTimeoutMs ?? idleTimeoutMs();
  for (let attempt = 0; ; attempt++) {
    const result = await attemptDownload(api, distributionId, target, expected, progress, idleMs, attempt);
    if (result !== "restart") return result;
    if (attempt + 1 >= MAX_ATTEMPTS) {
      throw new ClientError(
        `The update server ${api.server} keeps answering distribution ${distributionId} with a byte range ` +
          `that does not match the request; the download was given up after ${MAX_ATTEMPTS} attempts ` +
          "(nothing was kept). Try again later, or without the proxy in between.",
        EXIT.failure,
        "bad_range",
      );
    }
  }
}

/** One request; "restart" when its answer cannot be used and the download must begin again from byte 0. */
async function attemptDownload(
  api: ApiClient,
  distributionId: string,
  target: string,
  expected: Expected,
  progress: DownloadProgress,
  idleMs: number,
  attempt: number,
): Promise<DownloadResult | "restart"> {
  const { part, state: statePath } = partPaths(target);
  mkdirSync(dirname(target), { recursive: true });
  const saved = readState(statePath);
  // Only bytes of this very file, as the server tagged it, are ever continued.
  const etag = saved?.sha256 === expected.sha256 && saved.length === expected.length ? saved.etag : null;
  let offset = existsSync(part) ? statSync(part).size : 0;
  if (!etag || offset > expected.length) {
    discardPart(target);
    offset = 0;
  }
  if (offset === expected.length && offset > 0) {
    progress.start(offset, expected.length);
    return { resumedFrom: offset, status: 0 };
  }

  const headers: Record<string, string> = { accept: "application/octet-stream" };
  const ranged = offset > 0 && etag !== null;
  if (ranged) {
    headers.range = `bytes=${offset}-`;
    headers["if-range"] = etag;
  }
  // Our own signal replaces ApiClient's default timeout, so the idle watch stands in for it.
  const controller = new AbortController();
  const idle = idleWatch(idleMs);
  try {
    let response: Response;
    try {
      response = await api.fetch(`/api/v1/distributions/${encodeURIComponent(distributionId)}/file`, {
        headers,
        signal: AbortSignal.any([controller.signal, idle.signal]),
      });
    } catch (error) {
      if (idle.fired) throw stalled(api, distributionId, idleMs, offset);
      throw error;
    }
    idle.touch();
    if (response.status === 416 && attempt === 0) {
      await response.body?.cancel();
      discardPart(target);
      return "restart";
    }
    if (response.status !== 200 && response.status !== 206) {
      throw await api.failure(response, `Downloading distribution ${distributionId}`);
    }
    const etag = response.headers.get("etag");
    let append = false;
    if (response.status === 206) {
      const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(response.headers.get("content-range") ?? "");
      if (
        !ranged ||
        !range ||
        Number(range[1]) !== offset ||
        Number(range[2]) !== expected.length - 1 ||
        Number(range[3]) !== expected.length ||
        etag !== saved?.etag
      ) {
        // A range of something else (or one never asked for): restart from the first byte, never splice.
        controller.abort();
        discardPart(target);
        return "restart";
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
        limit(expected.length - offset, progress, idle.touch),
        createWriteStream(part, { flags: append ? "a" : "w" }),
      );
    } catch (error) {
      if (error instanceof ClientError) {
        discardPart(target);
        throw error;
      }
      // The partial file (and its ETag) stays for the next run to resume.
      if (idle.fired) throw stalled(api, distributionId, idleMs, existsSync(part) ? statSync(part).size : 0);
      throw unreachable(api.server, error);
    }
    return { resumedFrom: offset, status: response.status };
  } finally {
    idle.stop();
  }
}

/** A mirror's target is a local file (`source`): copied whole into the part file. */
export async function copyFromMirror(
  source: string,
  target: string,
  expected: Expected,
  progress: DownloadProgress,
): Promise<DownloadResult> {
  const { part } = partPaths(target);
  discardPart(target);
  mkdirSync(dirname(target), { recursive: true });
  progress.start(0, expected.length);
  await copyFile(source, part);
  progress.advance(statSync(part).size);
  return { resumedFrom: 0, status: 200 };
}
