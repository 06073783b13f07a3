import type { FastifyInstance } from "fastify";
import type { ApiContext } from "../http/app.ts";
import type { Services } from "../services/index.ts";

/** What every page area is given: the same use cases the API calls. */
export interface WebContext {
  readonly services: Services;
  /** The API's limits, so that pages throttle sign-in and registration the same way. */
  readonly rateLimits: ApiContext["rateLimits"];
  /** Time zone of pages until the browser tells its own. */
  readonly defaultTimeZone: string;
}

/**
 * One area of the portal (src/web/<area>/routes.tsx): registers its pages on `app`, which
 * already parses forms, checks CSRF tokens, knows the user and language and renders errors.
 * Each page declares `config: { access }` like an API route.
 */
export type WebArea = (app: FastifyInstance, context: WebContext) => Promise<void>;
