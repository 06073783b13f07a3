import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";

export interface AuditEvent {
  readonly actorId: string | null;
  readonly action: string;
  readonly subject: string;
  readonly details?: Record<string, unknown>;
}

/** Written inside the caller's transaction, so the event exists exactly when the change does. */
export async function recordAudit(trx: Kysely<Database>, at: Date, event: AuditEvent): Promise<void> {
  await trx
    .insertInto("audit_log")
    .values({
      at: at.toISOString(),
      actor_id: event.actorId,
      action: event.action,
      subject: event.subject,
      details: JSON.stringify(event.details ?? {}),
    })
    .execute();
}
