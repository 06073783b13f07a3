import type { FastifyInstance } from "fastify";
import { AppError } from "../../domain/errors.ts";
import { parsePaging } from "../../domain/paging.ts";
import type { WebContext } from "../area.ts";
import { render } from "../render.tsx";
import { type AuditFilters, AuditPage } from "./audit-page.tsx";
import { problemText } from "./problems.ts";

const text = (value: unknown) => (typeof value === "string" ? value.trim() : "");

/** The audit log with its filters and pages. */
export async function staffAuditPages(app: FastifyInstance, { services }: WebContext) {
  app.get("/staff/audit-log", { config: { access: ["admin", "support"] } }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const raw = {
      actor: text(query.actor),
      action: text(query.action),
      from: text(query.from),
      to: text(query.to),
    };
    let filters: AuditFilters = { ...raw, limit: 50, offset: 0 };
    try {
      const paging = parsePaging({ limit: text(query.limit), offset: text(query.offset) });
      filters = { ...raw, ...paging };
      const page = await services.auditLog.list({
        ...raw,
        limit: String(paging.limit),
        offset: String(paging.offset),
      });
      return render(reply, <AuditPage view={request.view} filters={filters} page={page} />);
    } catch (error) {
      if (!(error instanceof AppError) || error.kind !== "bad_request") throw error;
      return render(
        reply,
        <AuditPage
          view={request.view}
          filters={filters}
          page={null}
          filterError={problemText(request.view, error)}
        />,
        400,
      );
    }
  });
}
