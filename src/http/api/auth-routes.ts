import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  IssuedTokenSchema,
  MeSchema,
  PasswordChangeSchema,
  TokenListSchema,
  TokenParams,
  TokenRequestSchema,
} from "../../contract/auth.ts";
import { NoContent, ProblemSchema, problemResponses } from "../../contract/problem.ts";
import { hashToken } from "../../services/accounts.ts";
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

    app.get(
      "/api/v1/me/tokens",
      {
        schema: {
          tags: ["auth"],
          summary: "The signed-in account's live tokens: the devices and programs signed in with it",
          description:
            "Tokens neither revoked nor expired, newest first; `current` marks this request's own.",
          response: { 200: TokenListSchema, 401: ProblemSchema },
        },
        config: { access: "signed-in" },
      },
      async (request, reply) => {
        const user = requireUser(request);
        const tokens = await services.accounts.listTokens(user, hashToken(request.bearerToken!));
        return noStore(reply).send(tokens);
      },
    );

    app.delete(
      "/api/v1/me/tokens/:id",
      {
        schema: {
          tags: ["auth"],
          summary: "Revoke one of the signed-in account's tokens (sign a device out)",
          description: "`404 token_not_found` for a token of another account, or one revoked already.",
          params: TokenParams,
          response: { 204: NoContent, ...problemResponses },
        },
        config: { access: "signed-in" },
      },
      async (request, reply) => {
        await services.accounts.revokeOwnToken(requireUser(request), request.params.id);
        return reply.status(204).send(null);
      },
    );

    app.put(
      "/api/v1/me/password",
      {
        schema: {
          tags: ["auth"],
          summary: "Change the signed-in account's password",
          description:
            "`403 wrong_current_password` when `currentPassword` is wrong, `400 weak_password` when the new one breaks the rules (8 to 256 characters). A change ends every other token and web session of the account; the token of this request stays.",
          body: PasswordChangeSchema,
          response: { 204: NoContent, ...problemResponses, 429: ProblemSchema },
        },
        // Each try checks a password: throttled as signing in is.
        config: { access: "signed-in", rateLimit: rateLimits.signIn },
      },
      async (request, reply) => {
        await services.accounts.changePassword(requireUser(request), request.body, {
          tokenHash: hashToken(request.bearerToken!),
        });
        return reply.status(204).send(null);
      },
    );
  };
