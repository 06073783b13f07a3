import { hash, randomBytes, randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { LiveWebSession, WebSession } from "../db/repositories/web-sessions.ts";
import { webSessionsRepository } from "../db/repositories/web-sessions.ts";
import type { Database } from "../db/schema.ts";
import type { Clock } from "../domain/clock.ts";
import { addMinutes } from "../domain/dates.ts";
import { notFound } from "../domain/errors.ts";
import type { User } from "./accounts.ts";

export type { LiveWebSession, WebSession };

/** A session's last use is written at most this often, not on every page. */
const TOUCH_INTERVAL_MS = 60_000;

export interface SessionsDeps {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  /** A session unused this long ends. */
  readonly idleMinutes: number;
  /** A session ends this long after sign-in, however busy. */
  readonly maxMinutes: number;
}

export type SessionsService = ReturnType<typeof createSessionsService>;

const hashSecret = (secret: string) => hash("sha256", secret, "hex");

/** Browser sessions of the web portal: started at sign-in, ended by sign-out, expiry or revocation. */
export function createSessionsService(deps: SessionsDeps) {
  const { clock, idleMinutes, maxMinutes } = deps;
  const sessions = webSessionsRepository(deps.db);

  return {
    idleMinutes,
    maxMinutes,

    /** A new session for a user who has just proven who they are; the secret goes into the cookie. */
    async start(user: User, userAgent: string | null): Promise<{ secret: string; session: WebSession }> {
      const now = clock.now();
      await sessions.deleteExpired(now.toISOString(), addMinutes(now, -idleMinutes).toISOString());
      const secret = randomBytes(32).toString("base64url");
      const row = {
        id: randomUUID(),
        secret_hash: hashSecret(secret),
        user_id: user.id,
        created_at: now.toISOString(),
        last_seen_at: now.toISOString(),
        expires_at: addMinutes(now, maxMinutes).toISOString(),
        user_agent: userAgent?.slice(0, 300) ?? null,
      };
      await sessions.insert(row);
      return {
        secret,
        session: {
          id: row.id,
          createdAt: row.created_at,
          lastSeenAt: row.last_seen_at,
          expiresAt: row.expires_at,
          userAgent: row.user_agent,
        },
      };
    },

    /** The session a cookie's secret names and its user, or null when unknown, idle too long or past its end. */
    async resolve(secret: string): Promise<LiveWebSession | null> {
      const secretHash = hashSecret(secret);
      const found = await sessions.findBySecretHash(secretHash);
      if (!found) return null;
      const now = clock.now();
      const idleSince = addMinutes(now, -idleMinutes).getTime();
      const lastSeen = Date.parse(found.session.lastSeenAt);
      if (Date.parse(found.session.expiresAt) <= now.getTime() || lastSeen < idleSince) {
        await sessions.deleteBySecretHash(secretHash);
        return null;
      }
      if (now.getTime() - lastSeen >= TOUCH_INTERVAL_MS) {
        await sessions.touch(found.session.id, now.toISOString());
      }
      return found;
    },

    /** Sign-out: the session is gone on every node. */
    async end(secret: string): Promise<void> {
      await sessions.deleteBySecretHash(hashSecret(secret));
    },

    listForUser(userId: string): Promise<WebSession[]> {
      return sessions.listOfUser(userId, clock.now().toISOString());
    },

    /** Ends one of the user's own sessions (signs out another browser). */
    async revoke(userId: string, sessionId: string): Promise<void> {
      if (!(await sessions.deleteOfUser(userId, sessionId))) {
        throw notFound("session_not_found", `There is no session ${sessionId}.`, { session: sessionId });
      }
    },

    /** Ends every session of the user, e.g. after a password change. */
    revokeAllOfUser(userId: string): Promise<number> {
      return sessions.deleteAllOfUser(userId);
    },
  };
}
