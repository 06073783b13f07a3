import type { RouteOptions } from "fastify";
import { guardHandler } from "../http/auth.ts";

/**
 * Runs from the portal's onRoute hook: every page declares `config.access` as API routes do
 * ("public", "signed-in" or a list of roles), or the service does not start. A page that needs a
 * user sends a signed-out visitor to the sign-in form; a user of another role gets the 403 page.
 * Pages stay out of the OpenAPI document.
 */
export function guardPage(route: RouteOptions): void {
  const access = route.config?.access;
  if (access === undefined) {
    throw new Error(`The page ${route.method} ${route.url} does not declare its access (config.access).`);
  }
  route.schema = { ...route.schema, hide: true };
  if (access !== "public") guardHandler(route, access);
}
