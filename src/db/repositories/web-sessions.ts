import type { Kysely } from "kysely";
import type { User } from "../../services/accounts.ts";
import type { Database, WebSessionsTable } from "../schema.ts";
import { toUser, USER_COLUMNS } from "./users.ts";

/** A session as listed to its owner: never its secret. */
export interface WebSession {
  readonly id: string;
  readonly createdAt: string;
  readonly lastSeenAt: string;
  readonly expiresAt: string;
  readonly userAgent: string | null;
}

export interface LiveWebSession {
  readonly session: WebSession;
  readonly user: User;
}

function toSession(row: Omit<WebSessionsTable, "secret_hash" | "user_id">): WebSession {
  return {
    id: row.id,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    userAgent: row.user_agent,
  };
}

export type WebSessionsRepository = ReturnType<typeof webSessionsRepository>;

/** Browser sessions of the web portal, found by the hash of their cookie's secret. */
export function webSessionsRepository(db: Kysely<Database>) {
  return {
    async insert(row: WebSessionsTable): Promise<void> {
      await db.insertInto("web_sessions").values(row).execute();
    },

    /** The session and its enabled user; expiry is the caller's rule. */
    async findBySecretHash(secretHash: string): Promise<LiveWebSession | undefined> {
      const row = await db
        .selectFrom("web_sessions")
        .innerJoin("users", "users.id", "web_sessions.user_id")
        .select([
          ...USER_COLUMNS,
          "web_sessions.id as session_id",
          "web_sessions.created_at as session_created_at",
          "web_sessions.last_seen_at",
          "web_sessions.expires_at",
          "web_sessions.user_agent",
        ])
        .where("web_sessions.secret_hash", "=", secretHash)
        .where("users.disabled", "=", 0)
        .executeTakeFirst();
      return (
        row && {
          user: toUser(row),
          session: toSession({ ...row, id: row.session_id, created_at: row.session_created_at }),
        }
      );
    },

    async touch(id: string, lastSeenAt: string): Promise<void> {
      await db.updateTable("web_sessions").set({ last_seen_at: lastSeenAt }).where("id", "=", id).execute();
    },

    async deleteBySecretHash(secretHash: string): Promise<void> {
      await db.deleteFrom("web_sessions").where("secret_hash", "=", secretHash).execute();
    },

    /** Deletes one of the user's sessions; false when the user has no such session. */
    async deleteOfUser(userId: string, id: string): Promise<boolean> {
      const result = await db
        .deleteFrom("web_sessions")
        .where("id", "=", id)
        .where("user_id", "=", userId)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    /** Deletes every session of the user but `keepId` (the one making a change, when there is one). */
    async deleteAllOfUser(userId: string, keepId: string | null = null): Promise<number> {
      let query = db.deleteFrom("web_sessions").where("user_id", "=", userId);
      if (keepId) query = query.where("id", "!=", keepId);
      const result = await query.executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    /** The user's sessions not past their absolute end, most recently used first. */
    async listOfUser(userId: string, now: string): Promise<WebSession[]> {
      const rows = await db
        .selectFrom("web_sessions")
        .select(["id", "created_at", "last_seen_at", "expires_at", "user_agent"])
        .where("user_id", "=", userId)
        .where("expires_at", ">", now)
        .orderBy("last_seen_at", "desc")
        .execute();
      return rows.map(toSession);
    },

    /** Removes sessions past their absolute end or idle since before `idleSince`. */
    async deleteExpired(now: string, idleSince: string): Promise<number> {
      const result = await db
        .deleteFrom("web_sessions")
        .where((eb) => eb.or([eb("expires_at", "<=", now), eb("last_seen_at", "<", idleSince)]))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
