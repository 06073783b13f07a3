import type { Kysely } from "kysely";
import type { AuditLogPage, AuditLogQuery } from "../contract/staff.ts";
import { auditRepository } from "../db/repositories/audit.ts";
import type { Database } from "../db/schema.ts";
import { addDays, parseIsoDate } from "../domain/dates.ts";
import { badRequest } from "../domain/errors.ts";
import { pageOf, parsePaging, rowsToRead } from "../domain/paging.ts";

/** An action such as `release.publish`, or a family such as `release.`. */
const ACTION = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*\.?$/;

const given = (value: string | undefined) =>
  value === undefined || value.trim() === "" ? undefined : value.trim();

export interface AuditLogDeps {
  readonly db: Kysely<Database>;
}

/** Reading the audit log: who changed what, filtered by actor, action and days (UTC), newest first. */
export function createAuditLogService(deps: AuditLogDeps) {
  const audit = auditRepository(deps.db);
  return {
    async list(query: AuditLogQuery): Promise<AuditLogPage> {
      const paging = parsePaging(query);
      const action = given(query.action);
      if (action !== undefined && !ACTION.test(action)) {
        throw badRequest(
          "invalid_action",
          "action is an action such as release.publish, or a family such as release.",
          {
            field: "action",
          },
        );
      }
      const from = given(query.from);
      const to = given(query.to);
      const since = from === undefined ? undefined : `${parseIsoDate(from, "from")}T00:00:00.000Z`;
      const before =
        to === undefined
          ? undefined
          : addDays(new Date(`${parseIsoDate(to, "to")}T00:00:00.000Z`), 1).toISOString();
      if (since !== undefined && before !== undefined && since >= before) {
        throw badRequest("invalid_date_range", "from must not be later than to.", { field: "to" });
      }
      const rows = await audit.list(
        { actorLogin: given(query.actor), action, since, before },
        { ...paging, limit: rowsToRead(paging) },
      );
      return pageOf(rows, paging);
    },
  };
}

export type AuditLogService = ReturnType<typeof createAuditLogService>;
