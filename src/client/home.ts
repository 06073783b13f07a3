/** The per-user client folder: client.json (server, token; mode 0600), trusted TUF metadata, partial downloads. */
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { ClientError } from "./errors.ts";

export interface ClientConfig {
  /** http(s)://host[:port] or file:///path/to/mirror, without a trailing slash. */
  readonly server: string;
  readonly login: string | null;
  readonly token: string | null;
  readonly tokenName: string | null;
  readonly expiresAt: string | null;
  readonly connectedAt: string;
}

function clientHome(): string {
  if (process.env.UPKEEP_CLIENT_HOME) return process.env.UPKEEP_CLIENT_HOME;
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), ".config");
  return join(base, "upkeep");
}

function configPath(): string {
  return join(clientHome(), "client.json");
}

function ensureHome(): string {
  const home = clientHome();
  mkdirSync(home, { recursive: true, mode: 0o700 });
  return home;
}

export function loadConfig(): ClientConfig | null {
  const path = configPath();
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, "utf8")) as ClientConfig;
  } catch (error) {
    throw new ClientError(`The client settings ${path} are unreadable (${error}); connect again.`);
  }
}

/**
 * Writes a whole file or nothing: a temporary file beside it, renamed over it. With `mode`, the
 * file has that mode before it appears under its name.
 */
export function writeFileAtomically(path: string, data: string | Buffer, mode?: number): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, data, mode === undefined ? {} : { mode });
  if (mode !== undefined) chmodSync(temporary, mode);
  renameSync(temporary, path);
}

/** Created 0600 before it is renamed into place, so the token is never readable by others. */
export function saveConfig(config: ClientConfig): void {
  ensureHome();
  writeFileAtomically(configPath(), `${JSON.stringify(config, null, 2)}\n`, 0o600);
}

export function forgetConfig(): void {
  rmSync(configPath(), { force: true });
}

/** A folder per server, so a mirror and the online server keep separate TUF state. */
function serverKey(server: string): string {
  return createHash("sha256").update(server).digest("hex").slice(0, 16);
}

export function metadataDir(server: string): string {
  const dir = join(ensureHome(), "tuf", serverKey(server));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

export function downloadsDir(server: string): string {
  const dir = join(ensureHome(), "downloads", serverKey(server));
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A `file://` server is a mirror folder written by `upkeep-client mirror`. */
export function isMirrorServer(server: string): boolean {
  return server.startsWith("file:");
}

export function normalizeServer(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ClientError(
      `The server address ${JSON.stringify(url)} is not a URL (http://host:port or file:///dir).`,
    );
  }
  if (!["http:", "https:", "file:"].includes(parsed.protocol)) {
    throw new ClientError(`The server address must be http(s):// or file://, not ${parsed.protocol}`);
  }
  return parsed.toString().replace(/\/+$/, "");
}
