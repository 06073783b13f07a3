/**
 * HTTP Basic with the portal's login and password, for the 1C feed's packages and the update
 * service's files: 1C programs and downloaders send no bearer tokens. The account is checked by
 * the same use case as sign-in. Clients that send credentials only when asked (PowerShell, .NET)
 * get `WWW-Authenticate: Basic` on every 401.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { unauthorized } from "../../domain/errors.ts";
import type { AccountsService } from "../../services/accounts.ts";

export const BASIC_CHALLENGE = 'Basic realm="Upkeep updates", charset="UTF-8"';

/** `Basic base64(login:password)` -> its parts; null for any other header. The password may hold ':'. */
export function basicCredentials(header: string | undefined): { login: string; password: string } | null {
  const encoded = header ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header)?.[1] : undefined;
  if (!encoded) return null;
  const decoded = Buffer.from(encoded, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  return { login: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Adds to `scope` the Basic sign-in of each request and the challenge of each 401. */
export function registerBasicAuthentication(scope: FastifyInstance, accounts: AccountsService): void {
  scope.addHook("onRequest", async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    if (!header) return;
    const credentials = basicCredentials(header);
    if (!credentials) {
      throw unauthorized("invalid_credentials", "Send the portal's login and password with HTTP Basic.");
    }
    request.user = await accounts.authenticate(credentials.login, credentials.password);
  });
  scope.addHook("onSend", async (_request, reply, payload) => {
    if (reply.statusCode === 401) reply.header("www-authenticate", BASIC_CHALLENGE);
    return payload;
  });
}
