import type { Kysely } from "kysely";
import type { Database } from "../schema.ts";

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
  };
}

export type AuditRepository = ReturnType<typeof auditRepository>;
