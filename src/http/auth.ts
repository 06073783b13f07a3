import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { forbidden, unauthorized } from "../domain/errors.ts";
import type { Role } from "../domain/roles.ts";
import type { AccountsService, User } from "../services/accounts.ts";

declare module "fastify" {
  interface FastifyRequest {
    user: User | null;
    bearerToken: string | null;
  }
}

export type Authenticate = (request: FastifyRequest, done: (error?: Error) => void) => void;

/**
 * Resolves `Authorization: Bearer <token>` once per request (the caller runs the returned function
 * from its onRequest hook); routes then ask requireUser/requireRole. Callback style: a token seen
 * recently resolves without a promise, on the busiest path of the service.
 */
export function registerAuthentication(app: FastifyInstance, accounts: AccountsService): Authenticate {
  app.decorateRequest("user", null);
  app.decorateRequest("bearerToken", null);
  return (request, done) => {
    const header = request.headers.authorization;
    const token = header ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
    if (!token) return done();
    request.bearerToken = token;
    const known = accounts.knownTokenOwner(token);
    if (known) {
      request.user = known;
      return done();
    }
    accounts
      .resolveToken(token)
      .then((user) => {
        request.user = user;
        done(
          user
            ? undefined
            : unauthorized("invalid_token", "The token is unknown, expired or revoked; sign in again."),
        );
      }, done)
      // The request goes on inside done(); Fastify answers its errors itself, so one escaping here is a defect to log.
      .catch((error) => request.log.error(error));
  };
}

/** For answers that carry a password, a PIN or a token: no cache on the way may keep them. */
export function noStore<R extends FastifyReply>(reply: R): R {
  reply.header("cache-control", "no-store");
  return reply;
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
