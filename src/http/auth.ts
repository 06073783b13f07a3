import type { FastifyInstance, FastifyRequest } from "fastify";
import { forbidden, unauthorized } from "../domain/errors.ts";
import type { Role } from "../domain/roles.ts";
import type { AccountsService, User } from "../services/accounts.ts";

declare module "fastify" {
  interface FastifyRequest {
    user: User | null;
    bearerToken: string | null;
  }
}

/** Resolves `Authorization: Bearer <token>` once per request; routes then ask requireUser/requireRole. */
export function registerAuthentication(app: FastifyInstance, accounts: AccountsService) {
  app.decorateRequest("user", null);
  app.decorateRequest("bearerToken", null);
  app.addHook("onRequest", async (request) => {
    const header = request.headers.authorization;
    if (!header) return;
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return;
    request.bearerToken = match[1]!;
    request.user = await accounts.resolveToken(match[1]!);
    if (!request.user) {
      throw unauthorized("invalid_token", "The token is unknown, expired or revoked; sign in again.");
    }
  });
}

export function requireUser(request: FastifyRequest): User {
  if (!request.user)
    throw unauthorized("authentication_required", "Sign in first: send Authorization: Bearer <token>.");
  return request.user;
}

export function requireRole(request: FastifyRequest, ...roles: Role[]): User {
  const user = requireUser(request);
  if (!roles.includes(user.role)) {
    throw forbidden("forbidden", `This needs the role ${roles.join(" or ")}.`, { requiredRoles: roles });
  }
  return user;
}
