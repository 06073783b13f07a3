import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  CodeParams,
  IdParams,
  ProductSchema,
  ReleaseDocumentsSchema,
  ReleaseListSchema,
  ReleaseWithDocumentsSchema,
} from "../../contract/catalogue.ts";
import { ProblemSchema, problemResponses } from "../../contract/problem.ts";
import {
  AuditLogPageSchema,
  AuditLogQuerySchema,
  NewPartnerLoginSchema,
  NewPartnerSchema,
  PartnerIdParams,
  PartnerListSchema,
  PartnerLoginSchema,
  PartnerSummarySchema,
  ProductCodeParams,
  ProductListSchema,
  ProductUpdateSchema,
  RegistrationNumberPageSchema,
  RegistrationNumberQuerySchema,
} from "../../contract/staff.ts";
import { RELEASE_STATUSES } from "../../domain/catalogue.ts";
import type { ApiContext } from "../app.ts";
import { requireUser } from "../auth.ts";

const responses = { ...problemResponses, 409: ProblemSchema, 422: ProblemSchema };
/** Support reads what the vendor keeps; only admin changes it (src/domain/roles.ts, DOMAIN.md). */
const STAFF = { access: ["admin", "support"] } as const;
const ADMIN = { access: ["admin"] } as const;

/** What the vendor staff's pages read and edit: products, every release, numbers, partners, the audit log. */
export const staffRoutes =
  ({ services }: ApiContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { catalogue, registrationNumbers, partners, auditLog } = services;

    app.get(
      "/api/v1/admin/products",
      {
        schema: {
          tags: ["admin"],
          summary: "Every product with its configurations, by code",
          response: { 200: ProductListSchema, ...problemResponses },
        },
        config: STAFF,
      },
      async () => catalogue.listProducts(),
    );

    app.patch(
      "/api/v1/admin/products/:code",
      {
        schema: {
          tags: ["admin"],
          summary: "Change a product's name, free support months or configurations",
          description:
            "Only the fields given change; the edition is fixed (another edition is another product). " +
            "An unknown configuration is 422 configuration_not_found. Holders see the new configurations at once.",
          params: ProductCodeParams,
          body: ProductUpdateSchema,
          response: { 200: ProductSchema, ...responses },
        },
        config: ADMIN,
      },
      async (request) => catalogue.updateProduct(request.params.code, request.body, requireUser(request).id),
    );

    app.get(
      "/api/v1/admin/configurations/:code/releases",
      {
        schema: {
          tags: ["admin"],
          summary: "Every release of a configuration, drafts and withdrawn ones included, newest first",
          params: CodeParams,
          response: { 200: ReleaseListSchema, ...problemResponses },
        },
        config: STAFF,
      },
      async (request) => catalogue.listReleases(request.params.code, RELEASE_STATUSES),
    );

    app.put(
      "/api/v1/admin/releases/:id/documents",
      {
        bodyLimit: 8 * 1024 * 1024,
        schema: {
          tags: ["admin"],
          summary: "Replace a release's documents (Markdown); those left out are removed",
          description:
            "Documents are text, not files: a published release's documents may be corrected, and plans " +
            "and pages show the new text at once; its files stay as they are.",
          params: IdParams,
          body: ReleaseDocumentsSchema,
          response: { 200: ReleaseWithDocumentsSchema, ...responses },
        },
        config: ADMIN,
      },
      async (request) => catalogue.updateDocuments(request.params.id, request.body, requireUser(request).id),
    );

    app.get(
      "/api/v1/admin/registration-numbers",
      {
        schema: {
          tags: ["admin", "registration"],
          summary: "Registration numbers, newest issue first, by product, leading digits and state",
          description:
            "Paged: `limit` (1-200, default 50) and `offset`; `nextOffset` is null on the last page.",
          querystring: RegistrationNumberQuerySchema,
          response: { 200: RegistrationNumberPageSchema, ...problemResponses },
        },
        config: STAFF,
      },
      async (request) => registrationNumbers.listNumbers(request.query),
    );

    app.get(
      "/api/v1/admin/audit-log",
      {
        schema: {
          tags: ["admin"],
          summary: "The audit log, newest first, by actor, action and days",
          description:
            "`from` and `to` are UTC days, both included; `action` is one action or a family ending in a dot. " +
            "Paged: `limit` (1-200, default 50) and `offset`; `nextOffset` is null on the last page.",
          querystring: AuditLogQuerySchema,
          response: { 200: AuditLogPageSchema, ...problemResponses },
        },
        config: STAFF,
      },
      async (request) => auditLog.list(request.query),
    );

    app.get(
      "/api/v1/admin/partners",
      {
        schema: {
          tags: ["admin", "partner"],
          summary: "Partners with their logins and how many clients each registered",
          response: { 200: PartnerListSchema, ...problemResponses },
        },
        config: STAFF,
      },
      async () => partners.listPartners(),
    );

    app.post(
      "/api/v1/admin/partners",
      {
        schema: {
          tags: ["admin", "partner"],
          summary: "Add a partner (a reseller); a name taken already is 409 partner_exists",
          body: NewPartnerSchema,
          response: { 201: PartnerSummarySchema, ...responses },
        },
        config: ADMIN,
      },
      async (request, reply) => {
        return reply.status(201).send(await partners.addPartner(request.body.name, requireUser(request).id));
      },
    );

    app.post(
      "/api/v1/admin/partners/:id/logins",
      {
        schema: {
          tags: ["admin", "partner"],
          summary: "Add a login for a partner's staff",
          description:
            "A taken login is 409 login_taken; logins of 8 to 12 digits are reserved for user codes.",
          params: PartnerIdParams,
          body: NewPartnerLoginSchema,
          response: { 201: PartnerLoginSchema, ...responses },
        },
        config: ADMIN,
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await partners.addPartnerLogin(request.params.id, request.body, requireUser(request).id)),
    );
  };
