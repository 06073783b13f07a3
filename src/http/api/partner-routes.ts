import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  AuthorizedProductSchema,
  AuthorizeRequestSchema,
  ClientDetailSchema,
  ClientListSchema,
  NumberCheckQuerySchema,
  NumberCheckSchema,
  RecordedSubscriptionSchema,
  RegisterClientRequestSchema,
  RegisteredClientSchema,
  SubscriptionRequestSchema,
  UserCodeParams,
} from "../../contract/partners.ts";
import { ProblemSchema, problemResponses } from "../../contract/problem.ts";
import { NumberParams, UnlockedSchema } from "../../contract/registration.ts";
import type { ApiContext } from "../app.ts";
import { noStore, requireUser } from "../auth.ts";

const responses = { ...problemResponses, 409: ProblemSchema };
const PARTNER = { access: ["partner"] } as const;

/** What partners do: register clients without a PIN, authorise later purchases, record subscriptions. */
export const partnerRoutes =
  ({ services }: ApiContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      "/api/v1/partner/users",
      {
        schema: {
          tags: ["partner"],
          summary: "Register a client without a PIN envelope: user code, password and the letter",
          description:
            "The user code is the first registration number. The letter is returned printable and mailed to the organisation's e-mail; when mailing fails the client is still registered and `mail.via` is `failed`.",
          body: RegisterClientRequestSchema,
          response: {
            201: RegisteredClientSchema,
            ...responses,
          },
        },
        config: PARTNER,
      },
      async (request, reply) => {
        const partner = requireUser(request);
        const client = await services.partners.registerClient(partner, request.body);
        return noStore(reply).status(201).send(client);
      },
    );

    app.get(
      "/api/v1/partner/users",
      {
        schema: {
          tags: ["partner"],
          summary:
            "The accounts the partner registered or authorised numbers on, with their support this month",
          description:
            "An account the partner registered comes with its organisation and every product; one it only " +
            "authorised numbers on, with those numbers only (`organization` and `email` null).",
          response: {
            200: ClientListSchema,
            ...problemResponses,
          },
        },
        config: PARTNER,
      },
      async (request) => services.partners.listClients(requireUser(request)),
    );

    app.get(
      "/api/v1/partner/users/:userCode",
      {
        schema: {
          tags: ["partner"],
          summary: "One account as the partner may see it, with its support this month",
          description:
            "Not found unless the partner registered the account or authorised a number on it (see the list).",
          params: UserCodeParams,
          response: {
            200: ClientDetailSchema,
            ...problemResponses,
          },
        },
        config: PARTNER,
      },
      async (request) => services.partners.getClient(requireUser(request), request.params.userCode),
    );

    app.get(
      "/api/v1/partner/users/:userCode/products/check",
      {
        schema: {
          tags: ["partner"],
          summary: "Check a registration number before authorising it on a user code: product and support",
          description:
            "Answers what `POST /api/v1/partner/users/{userCode}/products` would authorise, with the number's " +
            "support this month. Authorising does not check support (the partner sells the subscription); " +
            "`supportWarning` is true for a PROF (or higher) number that nothing covers this month. The same " +
            "refusals as authorising; nothing of the account is told.",
          params: UserCodeParams,
          querystring: NumberCheckQuerySchema,
          response: { 200: NumberCheckSchema, ...responses },
        },
        config: PARTNER,
      },
      async (request) =>
        services.partners.checkNumber(
          requireUser(request),
          request.params.userCode,
          request.query.registrationNumber,
        ),
    );

    app.post(
      "/api/v1/partner/users/:userCode/products",
      {
        schema: {
          tags: ["partner"],
          summary: "Authorise a newly bought registration number on the user code the client gives",
          description:
            "Any existing user code, whoever registered the account; the partner then sees that code and the " +
            "numbers it authorised itself, never the rest of the account. Support is not checked: see " +
            "`GET /api/v1/partner/users/{userCode}/products/check`.",
          params: UserCodeParams,
          body: AuthorizeRequestSchema,
          response: { 201: AuthorizedProductSchema, ...responses },
        },
        config: PARTNER,
      },
      async (request, reply) => {
        const partner = requireUser(request);
        const product = await services.partners.authorize(
          partner,
          request.params.userCode,
          request.body.registrationNumber,
        );
        return reply.status(201).send(product);
      },
    );

    app.post(
      "/api/v1/partner/registration-numbers/:number/unlock",
      {
        schema: {
          tags: ["partner"],
          summary: "Lift the lock wrong PINs put on a number of the partner's own, for every address",
          description:
            "A number held by one of the partner's clients, authorised by the partner, or covered by a subscription it sold; any other is not found.",
          params: NumberParams,
          response: { 200: UnlockedSchema, ...responses },
        },
        config: { access: ["partner"] },
      },
      async (request) => services.partners.unlockNumber(requireUser(request), request.params.number),
    );

    app.post(
      "/api/v1/partner/subscriptions",
      {
        schema: {
          tags: ["partner"],
          summary:
            "Record a support subscription: main number, first month, months (or last month), additional numbers",
          description:
            "The span is `months` months from `fromMonth`, or `fromMonth` to `toMonth` (both included); " +
            "give either or both. Recording the same subscription again answers the one recorded first " +
            "with 200 and changes nothing; one overlapping another of the same main number is " +
            "`409 subscription_overlap`.",
          body: SubscriptionRequestSchema,
          response: {
            200: RecordedSubscriptionSchema,
            201: RecordedSubscriptionSchema,
            ...responses,
          },
        },
        // Partners sell subscriptions; so does the vendor's sales department (admin).
        config: { access: ["partner", "admin"] },
      },
      async (request, reply) => {
        const actor = requireUser(request);
        const { subscription, created } = await services.subscriptions.record(request.body, actor);
        // The same subscription recorded again (a retried request) answers the one recorded first.
        return reply.status(created ? 201 : 200).send(subscription);
      },
    );
  };
