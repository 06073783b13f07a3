import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyInstance } from "fastify";
import { FREE_TEXT } from "../contract/shapes.ts";
import { AppError } from "../domain/errors.ts";
import type { Services } from "../services/index.ts";
import { webPortal } from "../web/app.ts";
import { adminCatalogueRoutes } from "./api/admin-catalogue-routes.ts";
import { authRoutes } from "./api/auth-routes.ts";
import { catalogueRoutes } from "./api/catalogue-routes.ts";
import { downloadRoutes } from "./api/download-routes.ts";
import { partnerRoutes } from "./api/partner-routes.ts";
import { registrationRoutes } from "./api/registration-routes.ts";
import { staffRoutes } from "./api/staff-routes.ts";
import { enforceAccess, registerAuthentication } from "./auth.ts";
import { controlCharacterCheck } from "./input-text.ts";
import { collapseFeedSlashes, onecFeedRoutes } from "./onec/feed-routes.ts";
import { UPDATE_PLATFORM_PREFIX, updatePlatformRoutes } from "./onec/update-platform-routes.ts";
import { answerClientError, registerProblemHandlers, sendFrameworkError } from "./problem.ts";
import { tufRoutes } from "./tuf-routes.ts";

export interface RateLimit {
  readonly max: number;
  readonly timeWindow: number;
}

export interface HttpOptions {
  readonly logLevel?: string;
  /** Fastify's trustProxy (UPKEEP_TRUST_PROXY): whether X-Forwarded-* are believed. */
  readonly trustProxy?: boolean | string;
  /** Time zone of web pages until the browser tells its own (UPKEEP_TIME_ZONE). */
  readonly timeZone?: string;
  /** Per client address, for routes that guess-prone callers hit: sign-in and registration. */
  readonly rateLimits?: { readonly signIn?: RateLimit; readonly registration?: RateLimit };
}

export interface ApiContext {
  readonly services: Services;
  readonly rateLimits: { readonly signIn: RateLimit; readonly registration: RateLimit };
}

export async function buildHttpApp(services: Services, options: HttpOptions = {}): Promise<FastifyInstance> {
  const logLevel = options.logLevel ?? "info";
  const app = Fastify({
    logger: logLevel === "silent" ? false : { level: logLevel },
    trustProxy: options.trustProxy ?? false,
    // FREE_TEXT annotates strings for the control-character check; the validator lets it be.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, keywords: [FREE_TEXT] } },
    // Errors met before any route or hook runs leave as problems too.
    frameworkErrors: sendFrameworkError,
    clientErrorHandler: answerClientError,
    rewriteUrl: (request) => collapseFeedSlashes(request.url ?? "/"),
  }).withTypeProvider<TypeBoxTypeProvider>();

  const context: ApiContext = {
    services,
    rateLimits: {
      signIn: options.rateLimits?.signIn ?? { max: 30, timeWindow: 60_000 },
      registration: options.rateLimits?.registration ?? { max: 20, timeWindow: 60_000 },
    },
  };

  registerProblemHandlers(app);
  await app.register(rateLimit, {
    global: false,
    // A problem with a stable code, like every other error.
    errorResponseBuilder: (_request, context) =>
      new AppError(
        "too_many_requests",
        "rate_limited",
        `Too many requests from this address; retry in ${context.after}.`,
        {
          retryAfterSeconds: Math.ceil(context.ttl / 1000),
        },
      ),
  });
  await app.register(swagger, {
    openapi: {
      info: { title: "Upkeep API", version: "1", description: "User support and update distribution" },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(async (pages) => {
    await pages.register(helmet, { contentSecurityPolicy: false });
    await pages.register(swaggerUi, { routePrefix: "/api/docs" });
  });
  const authenticate = registerAuthentication(app, services.accounts);

  // A load balancer's health check gets its answer whatever it sends: outside the API, no hook
  // reads its Authorization header.
  app.get("/healthz", { schema: { hide: true } }, async (_request, reply) => {
    reply.header("x-content-type-options", "nosniff");
    return { status: "ok" };
  });

  await app.register(async (api) => {
    // Each API route states who may call it and refuses control characters in its input, both
    // declared once here rather than by every route.
    api.addHook("onRoute", (route) => {
      enforceAccess(route);
      route.preValidation = [controlCharacterCheck(route.schema), ...[route.preValidation ?? []].flat()];
    });
    // One hook for every API request, as each hook costs on the busiest path. API answers are data
    // for programs, asked for with a bearer token (never a cookie), so of the browser headers only
    // nosniff matters to them: framing, referrer and cross-origin policies govern documents, and
    // each header cost the update check about 1% of its throughput. Pages a browser renders get
    // helmet's full set (see above).
    api.addHook("onRequest", (request, reply, done) => {
      reply.header("x-content-type-options", "nosniff");
      authenticate(request, done);
    });

    api.get("/api/openapi.json", { schema: { hide: true }, config: { access: "public" } }, async () =>
      app.swagger(),
    );

    await api.register(authRoutes(context));
    await api.register(catalogueRoutes(context));
    await api.register(adminCatalogueRoutes(context));
    await api.register(downloadRoutes(context));
    await api.register(tufRoutes(context));
    await api.register(registrationRoutes(context));
    await api.register(partnerRoutes(context));
    await api.register(staffRoutes(context));
  });

  // 1C programs and downloaders: the legacy feed (HTTP Basic) and the update service.
  await app.register(onecFeedRoutes(services));
  await app.register(updatePlatformRoutes(services), { prefix: UPDATE_PLATFORM_PREFIX });

  await app.register(webPortal({ ...context, defaultTimeZone: options.timeZone ?? "UTC" }));
  return app;
}
