import type { Kysely } from "kysely";
import { type AuditEvent, auditRepository } from "../db/repositories/audit.ts";
import type { Database } from "../db/schema.ts";

export type { AuditEvent };

/** Written inside the caller's transaction, so the event exists exactly when the change does. */
export function recordAudit(trx: Kysely<Database>, at: Date, event: AuditEvent): Promise<void> {
  return auditRepository(trx).record(at, event);
}
