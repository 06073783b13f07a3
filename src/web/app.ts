import cookie from "@fastify/cookie";
import csrf from "@fastify/csrf-protection";
import formbody from "@fastify/formbody";
import helmet from "@fastify/helmet";
import fastifyStatic from "@fastify/static";
import type {
  FastifyError,
  FastifyInstance,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
} from "fastify";
import type { AppError } from "../domain/errors.ts";
import { guardPage } from "./access.ts";
import { accountArea } from "./account/routes.tsx";
import type { WebArea, WebContext } from "./area.ts";
import { authArea } from "./auth/routes.tsx";
import { catalogueArea } from "./catalogue/routes.tsx";
import { errorPageKind, renderErrorPage, signInRedirect } from "./errors.tsx";
import { ASSETS_DIR } from "./files.ts";
import { checkPageText } from "./form-text.ts";
import { homeArea } from "./home/routes.tsx";
import { languageArea } from "./language/routes.tsx";
import { partnerArea } from "./partner/routes.tsx";
import { registrationArea } from "./registration/routes.tsx";
import { COOKIE_DEFAULTS, clearSessionCookie, setLanguageCookie } from "./session-cookie.ts";
import { staffArea } from "./staff/routes.tsx";
import { COOKIES, createView, requestLanguage, type ViewContext } from "./view.ts";

/** Every area of the portal, one line each; an area lives in src/web/<area>/ (see README, "Web portal"). */
export const AREAS: readonly WebArea[] = [
  homeArea,
  authArea,
  languageArea,
  registrationArea,
  accountArea,
  catalogueArea,
  partnerArea,
  staffArea,
];

/** Paths whose unknown addresses answer as the API does (problem+json), not with the 404 page. */
const NOT_PAGES = /^\/(api|tuf|assets|1c|update-platform)(\/|$|\?)/;

/**
 * The router's view of "is this a page address": the 404 page's catch-all route matches only
 * these, so the API's unknown paths (and a path parameter over the router's limit, which falls
 * through to any wildcard) still meet the API's own answers.
 */
const PAGE_ADDRESS: Parameters<FastifyInstance["addConstraintStrategy"]>[0] = {
  name: "pageAddress",
  storage() {
    const handlers = new Map<string, unknown>();
    return {
      get: (value) => (handlers.get(value as string) ?? null) as never,
      set: (value, handler) => void handlers.set(value as string, handler),
    };
  },
  deriveConstraint: (request) => (NOT_PAGES.test(request.url ?? "") ? "no" : "yes"),
  mustMatchWhenDerived: false,
};

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The CSP of pages: only this site's own files, no inline script or style, no framing. */
const CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'"],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

/**
 * The web portal: server-rendered pages over the same use cases as the API, signed in through a
 * session cookie. Its hooks, form parser and error pages stay inside this scope; the API keeps
 * bearer tokens and problem+json.
 */
export function webPortal(context: WebContext, areas: readonly WebArea[] = AREAS): FastifyPluginAsync {
  return async (web) => {
    await web.register(helmet, { contentSecurityPolicy: CONTENT_SECURITY_POLICY });
    // Each file's URL carries a digest of its content (assetUrl), so it may be kept for a year.
    await web.register(fastifyStatic, {
      root: ASSETS_DIR,
      prefix: "/assets/",
      index: false,
      maxAge: "365d",
      immutable: true,
    });
    await web.register(pages(context, areas));
  };
}

function pages(context: WebContext, areas: readonly WebArea[]) {
  return async (app: FastifyInstance) => {
    await app.register(cookie);
    await app.register(formbody);
    await app.register(csrf, {
      cookieKey: COOKIES.csrfSecret,
      cookieOpts: COOKIE_DEFAULTS,
      // Forms post `_csrf`; scripts send the `x-csrf-token` header. A multipart form without
      // JavaScript may carry it in its action URL, as its body is read only by its handler.
      getToken: (request) =>
        ((request.body as Record<string, string> | undefined)?._csrf ??
          request.headers["x-csrf-token"] ??
          (request.query as Record<string, string>)._csrf) as string,
    });
    app.decorateRequest("view", null as unknown as ViewContext);
    app.decorateRequest("language", "en");
    app.addHook("onRoute", guardPage);

    // Who and which language, before anything can fail: error pages need both.
    app.addHook("onRequest", async (request, reply) => {
      const { language, fromQuery } = requestLanguage(request);
      request.language = language;
      if (fromQuery) setLanguageCookie(reply, language);
      const secret = request.cookies[COOKIES.session];
      if (!secret) return;
      const live = await context.services.sessions.resolve(secret);
      if (live) request.user = live.user;
      else clearSessionCookie(reply);
    });

    // No control characters reach a use case; every state-changing request of a page carries the
    // CSRF token of its form.
    app.addHook("preHandler", (request, reply, done) => {
      request.view = createView(request, reply, context.defaultTimeZone);
      try {
        checkPageText(request);
      } catch (error) {
        return done(error as Error);
      }
      if (SAFE_METHODS.has(request.method)) return done();
      app.csrfProtection(request, reply, done);
    });

    app.setErrorHandler((error: FastifyError | AppError, request, reply) =>
      renderError(error, request, reply, context),
    );

    for (const area of areas) await app.register(async (scope) => area(scope, context));

    // Any other page address: the 404 page in the user's language.
    app.addConstraintStrategy(PAGE_ADDRESS);
    app.get(
      "/*",
      { constraints: { pageAddress: "yes" }, config: { access: "public" } },
      async (request, reply) => renderErrorPage(reply, request.view, "notFound"),
    );
  };
}

function renderError(
  error: FastifyError | AppError,
  request: FastifyRequest,
  reply: FastifyReply,
  context: WebContext,
) {
  // An error before the preHandler (a throttled sign-in, a refused session) has no view yet.
  request.view ??= createView(request, reply, context.defaultTimeZone);
  const kind = errorPageKind(error);
  if (kind === null) return signInRedirect(request, reply, request.view);
  if (kind === "server") request.log.error({ err: error }, "page failed");
  return renderErrorPage(reply, request.view, kind);
}
