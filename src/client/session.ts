/** Which server a command talks to, with which token, and its TUF updater. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Updater } from "tuf-js";
import { ClientError, EXIT } from "./errors.ts";
import { loadConfig, metadataDir, normalizeServer } from "./home.ts";
import { MirrorSource, ServerSource, type UpdateSource } from "./source.ts";
import { openUpdater, refreshMetadata, trustOnFirstUse } from "./tuf.ts";

export interface Session {
  readonly server: string;
  readonly source: UpdateSource;
  readonly isMirror: boolean;
}

export function isMirrorServer(server: string): boolean {
  return server.startsWith("file:");
}

export function openSession(options: { server?: string }): Session {
  const config = loadConfig();
  let server: string;
  let token: string | null = null;
  if (options.server) {
    server = normalizeServer(options.server);
    if (config?.server === server) token = config.token;
  } else if (config) {
    server = config.server;
    token = config.token;
  } else {
    throw new ClientError(
      "This client is not connected: run upkeep-client connect --server URL --login LOGIN " +
        "(or pass --server file://DIR to use a mirror).",
      EXIT.auth,
      "not_connected",
    );
  }
  if (isMirrorServer(server)) return { server, source: new MirrorSource(server), isMirror: true };
  if (!token) {
    throw new ClientError(
      `This client is not connected to ${server}: run upkeep-client connect --server ${server} --login LOGIN.`,
      EXIT.auth,
      "not_connected",
    );
  }
  return { server, source: new ServerSource(server, token), isMirror: false };
}

/**
 * The refreshed TUF updater of the session's server. A mirror used for the first time is trusted
 * through the root this client already trusts for its connected server (the mirror is a copy of
 * that repository); with no connection at all, its own root is trusted on first use.
 */
export async function openVerifiedUpdater(session: Session, say: (text: string) => void): Promise<Updater> {
  const dir = metadataDir(session.server);
  if (session.isMirror && !existsSync(join(dir, "root.json"))) {
    const config = loadConfig();
    const connectedRoot =
      config && !isMirrorServer(config.server) ? join(metadataDir(config.server), "root.json") : null;
    if (connectedRoot && existsSync(connectedRoot)) {
      await trustOnFirstUse(session.server, dir, readFileSync(connectedRoot));
    } else {
      await trustOnFirstUse(session.server, dir);
      say(`Trusting the signing keys of the mirror ${session.server} on first use.`);
    }
  }
  const updater = openUpdater(session.server, dir);
  await refreshMetadata(updater, session.server);
  return updater;
}
