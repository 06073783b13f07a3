import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { IssuedTokenSchema, MeSchema, TokenRequestSchema } from "../../contract/auth.ts";
import { NoContent, ProblemSchema } from "../../contract/problem.ts";
import type { ApiContext } from "../app.ts";
import { noStore, requireUser } from "../auth.ts";

export const authRoutes =
  ({ services, rateLimits }: ApiContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      "/api/v1/auth/token",
      {
        schema: {
          tags: ["auth"],
          summary: "Exchange a login and password for a bearer token",
          body: TokenRequestSchema,
          response: {
            201: IssuedTokenSchema,
            401: ProblemSchema,
            403: ProblemSchema,
          },
        },
        config: { access: "public", rateLimit: rateLimits.signIn },
      },
      async (request, reply) => {
        const user = await services.accounts.authenticate(request.body.login, request.body.password);
        const issued = await services.accounts.issueToken(user, request.body.name ?? "api");
        return noStore(reply).status(201).send(issued);
      },
    );

    app.delete(
      "/api/v1/auth/token",
      {
        schema: {
          tags: ["auth"],
          summary: "Revoke the token this request carries",
          response: { 204: NoContent, 401: ProblemSchema },
        },
        config: { access: "signed-in" },
      },
      async (request, reply) => {
        requireUser(request);
        await services.accounts.revokeToken(request.bearerToken!);
        return reply.status(204).send(null);
      },
    );

    app.get(
      "/api/v1/me",
      {
        schema: {
          tags: ["auth"],
          summary: "The signed-in account",
          response: {
            200: MeSchema,
            401: ProblemSchema,
          },
        },
        config: { access: "signed-in" },
      },
      async (request) => requireUser(request),
    );
  };
