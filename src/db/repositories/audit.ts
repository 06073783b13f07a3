import { type Kysely, sql } from "kysely";
import type { AuditEntry } from "../../contract/staff.ts";
import type { Paging } from "../../domain/paging.ts";
import type { Database } from "../schema.ts";

/** Which events a reader of the log asks for; instants as ISO text, `before` excluded. */
export interface AuditFilter {
  readonly actorLogin?: string;
  /** An exact action, or a family when it ends in a dot ("release."). */
  readonly action?: string;
  readonly since?: string;
  readonly before?: string;
}

export interface AuditEvent {
  readonly actorId: string | null;
  readonly action: string;
  readonly subject: string;
  readonly details?: Record<string, unknown>;
}

/** The audit log: who changed what, written in the transaction of the change itself. */
export function auditRepository(db: Kysely<Database>) {
  return {
    async record(at: Date, event: AuditEvent): Promise<void> {
      await db
        .insertInto("audit_log")
        .values({
          at: at.toISOString(),
          actor_id: event.actorId,
          action: event.action,
          subject: event.subject,
          details: JSON.stringify(event.details ?? {}),
        })
        .execute();
    },

    /** Events newest first, with who acted (login); `paging` rows from its offset. */
    async list(filter: AuditFilter, paging: Paging): Promise<AuditEntry[]> {
      let query = db
        .selectFrom("audit_log")
        .leftJoin("users", "users.id", "audit_log.actor_id")
        .select([
          "audit_log.id",
          "audit_log.at",
          "audit_log.action",
          "audit_log.subject",
          "audit_log.details",
          "users.login",
        ]);
      if (filter.actorLogin !== undefined) query = query.where("users.login", "=", filter.actorLogin);
      if (filter.action !== undefined) {
        const family = filter.action.endsWith(".");
        const pattern = `${filter.action.replace(/[\\%_]/g, "\\$&")}%`;
        query = family
          ? query.where(sql<boolean>`audit_log.action like ${pattern} escape '\\'`)
          : query.where("audit_log.action", "=", filter.action);
      }
      if (filter.since !== undefined) query = query.where("audit_log.at", ">=", filter.since);
      if (filter.before !== undefined) query = query.where("audit_log.at", "<", filter.before);
      const rows = await query
        .orderBy("audit_log.id", "desc")
        .limit(paging.limit)
        .offset(paging.offset)
        .execute();
      return rows.map((row) => ({
        id: Number(row.id),
        at: row.at,
        actor: row.login ?? null,
        action: row.action,
        subject: row.subject,
        details: JSON.parse(row.details) as Record<string, unknown>,
      }));
    },
  };
}

export type AuditRepository = ReturnType<typeof auditRepository>;
