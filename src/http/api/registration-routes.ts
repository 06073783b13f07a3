import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { ProblemSchema, problemResponses } from "../../contract/problem.ts";
import {
  AccountSchema,
  ActivatedAccountSchema,
  AddProductRequestSchema,
  CardRequestSchema,
  IssuedNumbersSchema,
  IssueRequestSchema,
  LoginParams,
  MyProductListSchema,
  MyProductSchema,
  NewAccountSchema,
  NumberParams,
  OrganizationProfileSchema,
  RecordedCardSchema,
  RegisteredSchema,
  RegistrationRequestSchema,
  UnlockedSchema,
} from "../../contract/registration.ts";
import { notFound } from "../../domain/errors.ts";
import { envelopeCsv } from "../../services/registration-numbers/envelope-csv.ts";
import type { ApiContext } from "../app.ts";
import { noStore, requireUser } from "../auth.ts";

const responses = { ...problemResponses, 409: ProblemSchema, 429: ProblemSchema };

/** Registration numbers and PIN envelopes (staff), self-registration, accounts and the product table. */
export const registrationRoutes =
  ({ services, rateLimits }: ApiContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      "/api/v1/admin/registration-numbers",
      {
        schema: {
          tags: ["admin", "registration"],
          summary: "Issue registration numbers of a product, with PIN envelopes or without",
          description:
            "PINs are shown in this response only. Send `Accept: text/csv` to receive the envelope file instead of JSON.",
          body: IssueRequestSchema,
          response: { 201: IssuedNumbersSchema, ...responses },
        },
        config: { access: ["admin"] },
      },
      async (request, reply) => {
        const admin = requireUser(request);
        const items = await services.registrationNumbers.issue(request.body, admin.id);
        noStore(reply);
        const accept = request.headers.accept ?? "";
        if (/\btext\/csv\b/.test(accept)) {
          return reply
            .status(201)
            .type("text/csv; charset=utf-8")
            .header(
              "Content-Disposition",
              `attachment; filename="pin-envelopes-${request.body.product.replace(/[^A-Za-z0-9._-]/g, "_")}.csv"`,
            )
            .serializer((payload: unknown) => payload as string)
            .send(envelopeCsv(request.body.product, items) as never);
        }
        return reply.status(201).send({ items });
      },
    );

    app.post(
      "/api/v1/admin/registration-numbers/:number/card",
      {
        schema: {
          tags: ["admin", "registration"],
          summary:
            "Record the registration card received for a number: it is then registered with the vendor",
          params: NumberParams,
          body: CardRequestSchema,
          response: { 200: RecordedCardSchema, ...responses },
        },
        config: { access: ["admin", "support"] },
      },
      async (request) => {
        const staff = requireUser(request);
        return services.registrationNumbers.recordCard(
          request.params.number,
          request.body.organization,
          staff.id,
        );
      },
    );

    app.post(
      "/api/v1/admin/registration-numbers/:number/unlock",
      {
        schema: {
          tags: ["admin", "registration"],
          summary: "Lift the lock wrong PINs put on a registration number, for every address",
          params: NumberParams,
          response: { 200: UnlockedSchema, ...responses },
        },
        config: { access: ["admin", "support"] },
      },
      async (request) => {
        const staff = requireUser(request);
        return services.registrationNumbers.unlock(request.params.number, { id: staff.id, partnerId: null });
      },
    );

    app.post(
      "/api/v1/admin/users/:login/activate",
      {
        schema: {
          tags: ["admin"],
          summary: "Activate an account now, before its activation delay runs out",
          description: "An account active already is left as it is (`activated: false`).",
          params: LoginParams,
          response: { 200: ActivatedAccountSchema, ...responses },
        },
        config: { access: ["admin", "support"] },
      },
      async (request) => {
        const staff = requireUser(request);
        return services.accounts.activate(request.params.login, staff.id);
      },
    );

    app.post(
      "/api/v1/registrations",
      {
        schema: {
          tags: ["registration"],
          summary: "Register a product with its PIN for the first time: get a user code and password",
          security: [],
          body: RegistrationRequestSchema,
          response: { 201: RegisteredSchema, ...responses },
        },
        config: { access: "public", rateLimit: rateLimits.registration },
      },
      async (request, reply) => {
        const registered = await services.registrations.register(request.body, request.ip);
        return noStore(reply).status(201).send(registered);
      },
    );

    app.post(
      "/api/v1/accounts",
      {
        schema: {
          tags: ["registration"],
          summary: "Create a login; register products on it afterwards",
          security: [],
          body: NewAccountSchema,
          response: { 201: AccountSchema, ...responses },
        },
        config: { access: "public", rateLimit: rateLimits.registration },
      },
      async (request, reply) => {
        const user = await services.registrations.createAccount(request.body);
        return reply.status(201).send(user);
      },
    );

    app.post(
      "/api/v1/me/products",
      {
        schema: {
          tags: ["registration"],
          summary: "Register a software product on the signed-in account with its number and PIN",
          body: AddProductRequestSchema,
          response: { 201: MyProductSchema, ...responses },
        },
        // Staff and partners hold no products of their own.
        config: { access: ["user"], rateLimit: rateLimits.registration },
      },
      async (request, reply) => {
        const user = requireUser(request);
        return reply
          .status(201)
          .send(await services.registrations.addProduct(user, request.body, request.ip));
      },
    );

    app.get(
      "/api/v1/me/products",
      {
        schema: {
          tags: ["registration"],
          summary: "The signed-in account's software products and their support status",
          response: { 200: MyProductListSchema, ...problemResponses },
        },
        config: { access: "signed-in" },
      },
      async (request) => services.registrations.myProducts(requireUser(request)),
    );

    app.get(
      "/api/v1/me/organization",
      {
        schema: {
          tags: ["registration"],
          summary: "The signed-in account's organisation, as its registration form recorded it",
          description: "`404 organization_not_found` for an account made login first, which has none.",
          response: { 200: OrganizationProfileSchema, ...problemResponses },
        },
        config: { access: "signed-in" },
      },
      async (request) => {
        const organization = await services.registrations.myOrganization(requireUser(request));
        if (!organization) {
          throw notFound("organization_not_found", "This account has no organisation details.");
        }
        return organization;
      },
    );
  };
