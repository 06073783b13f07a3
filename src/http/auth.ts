import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchema,
  RouteHandlerMethod,
  RouteOptions,
} from "fastify";
import { forbidden, unauthorized } from "../domain/errors.ts";
import { ROLES, type Role } from "../domain/roles.ts";
import type { AccountsService, User } from "../services/accounts.ts";

/** Who may call a route: anyone, any signed-in account, or accounts of the listed roles. */
export type Access = "public" | "signed-in" | readonly Role[];

declare module "fastify" {
  interface FastifyRequest {
    user: User | null;
    bearerToken: string | null;
  }
  interface FastifyContextConfig {
    /** Every API route declares it; see `enforceAccess`. */
    access?: Access;
  }
}

export type Authenticate = (request: FastifyRequest, done: (error?: Error) => void) => void;

/**
 * Resolves `Authorization: Bearer <token>` once per request (the caller runs the returned function
 * from its onRequest hook); routes then ask requireUser. Callback style: a token seen
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

/** The signed-in account; the route's declared access has already checked its role (enforceAccess). */
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

function accessLine(access: Access): string {
  if (access === "public") return "Access: public, no sign-in needed.";
  if (access === "signed-in") return `Access: any signed-in account (roles ${ROLES.join(", ")}).`;
  return `Access: roles ${access.join(", ")}.`;
}

/**
 * Runs from an onRoute hook: the route's declared `config.access` both guards its handler and is
 * stated in its OpenAPI operation (`x-roles` and a line of the description), so the two cannot
 * part. A route shown in the OpenAPI document that declares nothing stops the service at start.
 */
export function enforceAccess(route: RouteOptions): void {
  const access = route.config?.access;
  const schema = route.schema as
    | (Record<string, unknown> & { hide?: boolean; description?: string })
    | undefined;
  if (access === undefined) {
    if (schema?.hide) return;
    throw new Error(`${route.method} ${route.url} does not declare its access (config.access).`);
  }
  const roles: readonly Role[] = access === "public" ? [] : access === "signed-in" ? ROLES : access;
  // A new object: Fastify's HEAD twin of a GET route shares the original schema.
  route.schema = {
    ...schema,
    "x-roles": roles,
    description: [accessLine(access), schema?.description].filter(Boolean).join("\n\n"),
    ...(access === "public" ? { security: [] } : {}),
  } as FastifySchema;
  if (access === "public") return;
  guardHandler(route, access);
}

/** Wraps the route's handler: it runs only for a signed-in user the access admits (pages reuse it). */
export function guardHandler(route: RouteOptions, access: Exclude<Access, "public">): void {
  const handler = route.handler as RouteHandlerMethod;
  route.handler = function guarded(request, reply) {
    if (access === "signed-in") requireUser(request);
    else requireRole(request, ...access);
    return handler.call(this, request, reply);
  };
}
