import type { AuditLogPage } from "../../contract/staff.ts";
import { previousOffset } from "../../domain/paging.ts";
import { Alert, TextField } from "../ui.tsx";
import type { ViewContext } from "../view.ts";
import { Pager, queryString, StaffLayout } from "./components.tsx";

export interface AuditFilters {
  readonly actor: string;
  readonly action: string;
  readonly from: string;
  readonly to: string;
  readonly limit: number;
  readonly offset: number;
}

/** The details of an event as short "name: value" pairs. */
function detailText(details: Record<string, unknown>): string {
  return Object.entries(details)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([name, value]) => `${name}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join("; ");
}

/** The audit log: who changed what and when, filtered by actor, action and days. */
export function AuditPage(props: {
  view: ViewContext;
  filters: AuditFilters;
  page: AuditLogPage | null;
  filterError?: string;
}) {
  const { view, filters, page } = props;
  const { t } = view;
  const link = (offset: number) =>
    `/staff/audit-log${queryString({ actor: filters.actor, action: filters.action, from: filters.from, to: filters.to, offset: offset || null })}`;
  return (
    <StaffLayout view={view} title={t("staff:audit.title")}>
      <h1>{t("staff:audit.title")}</h1>
      <form method="get" action="/staff/audit-log" class="staff-filters card" aria-labelledby="audit-filters">
        <h2 id="audit-filters">{t("staff:filters.title")}</h2>
        <TextField
          name="actor"
          label={t("staff:audit.actor")}
          hint={t("staff:audit.actorHint")}
          value={filters.actor}
          maxLength={64}
        />
        <TextField
          name="action"
          label={t("staff:audit.action")}
          hint={t("staff:audit.actionHint")}
          value={filters.action}
          maxLength={64}
        />
        <TextField
          name="from"
          type="date"
          label={t("staff:audit.from")}
          value={filters.from}
          maxLength={10}
        />
        <TextField name="to" type="date" label={t("staff:audit.to")} value={filters.to} maxLength={10} />
        <div class="staff-filter-actions">
          <button type="submit" class="button">
            {t("staff:filters.apply")}
          </button>
          <a href="/staff/audit-log" class="button button-quiet">
            {t("staff:filters.reset")}
          </a>
        </div>
      </form>
      {props.filterError && (
        <Alert kind="error">
          <p>{props.filterError}</p>
        </Alert>
      )}
      {page &&
        (page.items.length === 0 ? (
          <p class="muted">{t("staff:audit.none")}</p>
        ) : (
          <div class="table-scroll">
            <table class="data-table stack-on-phone">
              <thead>
                <tr>
                  <th scope="col">{t("staff:audit.at")}</th>
                  <th scope="col">{t("staff:audit.actor")}</th>
                  <th scope="col">{t("staff:audit.action")}</th>
                  <th scope="col">{t("staff:audit.subject")}</th>
                  <th scope="col">{t("staff:audit.details")}</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((entry) => (
                  <tr key={entry.id}>
                    <td data-label={t("staff:audit.at")} class="staff-nowrap">
                      {view.format.dateTime(entry.at)}
                    </td>
                    <td data-label={t("staff:audit.actor")}>{entry.actor ?? t("staff:audit.system")}</td>
                    <td data-label={t("staff:audit.action")} class="staff-nowrap">
                      <code>{entry.action}</code>
                    </td>
                    <td data-label={t("staff:audit.subject")}>
                      <code>{entry.subject}</code>
                    </td>
                    <td data-label={t("staff:audit.details")} class="staff-audit-details">
                      {detailText(entry.details)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      {page && <Pager view={view} previous={previousOffset(filters)} next={page.nextOffset} href={link} />}
    </StaffLayout>
  );
}
