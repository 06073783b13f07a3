import type { WebArea } from "../area.ts";
import { render } from "../render.tsx";
import { staffAuditPages } from "./audit-routes.tsx";
import { staffCardPages } from "./cards-routes.tsx";
import { staffCataloguePages } from "./catalogue-routes.tsx";
import { staffNumberPages } from "./numbers-routes.tsx";
import { OverviewPage } from "./overview-page.tsx";
import { staffPartnerPages } from "./partners-routes.tsx";
import { staffProductPages } from "./products-routes.tsx";

/**
 * Vendor staff area (admin and support; support reads, admin changes, as src/domain/roles.ts and
 * the API's access lists say): configurations, releases and their files, products, registration
 * numbers and cards, partners and their logins, the audit log.
 */
export const staffArea: WebArea = async (app, context) => {
  app.get("/staff", { config: { access: ["admin", "support"] } }, async (request, reply) =>
    render(reply, <OverviewPage view={request.view} />),
  );
  await staffCataloguePages(app, context);
  await staffProductPages(app, context);
  await staffNumberPages(app, context);
  await staffCardPages(app, context);
  await staffPartnerPages(app, context);
  await staffAuditPages(app, context);
};
