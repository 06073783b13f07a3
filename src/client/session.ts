/** Which server a command talks to, with which token, and its TUF updater. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Updater } from "tuf-js";
import { ClientError, EXIT } from "./errors.ts";
import { type ClientConfig, isMirrorServer, loadConfig, metadataDir, normalizeServer } from "./home.ts";
import { MirrorSource, ServerSource, type UpdateSource } from "./source.ts";
import { openUpdater, refreshMetadata, trustOnFirstUse } from "./tuf.ts";

export interface Session {
  readonly source: UpdateSource;
  /** client.json as read once for this command (null when not connected). */
  readonly config: ClientConfig | null;
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
  if (isMirrorServer(server)) return { source: new MirrorSource(server), config };
  if (!token) {
    throw new ClientError(
      `This client is not connected to ${server}: run upkeep-client connect --server ${server} --login LOGIN.`,
      EXIT.auth,
      "not_connected",
    );
  }
  return { source: new ServerSource(server, token), config };
}

/**
 * The refreshed TUF updater of the session's server. A mirror used for the first time is trusted
 * through the root this client already trusts for its connected server (the mirror is a copy of
 * that repository); with no connection at all, its own root is trusted on first use.
 */
export async function openVerifiedUpdater(session: Session, say: (text: string) => void): Promise<Updater> {
  const { source, config } = session;
  const dir = metadataDir(source.server);
  if (source instanceof MirrorSource && !existsSync(join(dir, "root.json"))) {
    const connectedRoot =
      config && !isMirrorServer(config.server) ? join(metadataDir(config.server), "root.json") : null;
    if (connectedRoot && existsSync(connectedRoot)) {
      await trustOnFirstUse(source.server, dir, readFileSync(connectedRoot));
    } else {
      await trustOnFirstUse(source.server, dir);
      say(`Trusting the signing keys of the mirror ${source.server} on first use.`);
    }
  }
  const updater = openUpdater(source.server, dir);
  await refreshMetadata(updater, source.server);
  return updater;
}
