import type { FastifyReply, FastifyRequest } from "fastify";
import type { Role } from "../domain/roles.ts";
import type { User } from "../services/accounts.ts";
import { type Formatters, formattersFor, isTimeZone } from "./format.ts";
import { isLanguage, type Language, languageFromAcceptLanguage, type Translate, translator } from "./i18n.ts";

/** Cookie names of the portal. */
export const COOKIES = {
  session: "upkeep_session",
  language: "lang",
  /** Written by /assets/time-zone.js: the browser's IANA zone. */
  timeZone: "tz",
  csrfSecret: "upkeep_csrf",
} as const;

/** Everything a page template needs besides its own data: passed to every page as `view`. */
export interface ViewContext {
  readonly language: Language;
  /** `t("namespace:key")`, always with the key written literally. */
  readonly t: Translate;
  /** The signed-in user, or null. */
  readonly user: User | null;
  readonly role: Role | null;
  /** For the hidden field of every POST form (PostForm adds it). */
  readonly csrfToken: string;
  /** The path and query of this request, e.g. for `?next=` and the language links. */
  readonly path: string;
  readonly timeZone: string;
  readonly format: Formatters;
}

declare module "fastify" {
  interface FastifyRequest {
    /** Set for every page request (see src/web/app.ts). */
    view: ViewContext;
    language: Language;
  }
}

/** ?lang= (remembered by the caller in a cookie), then the cookie, then Accept-Language. */
export function requestLanguage(request: FastifyRequest): { language: Language; fromQuery: boolean } {
  const query = (request.query as Record<string, unknown> | undefined)?.lang;
  if (isLanguage(query)) return { language: query, fromQuery: true };
  const cookie = request.cookies[COOKIES.language];
  if (isLanguage(cookie)) return { language: cookie, fromQuery: false };
  return { language: languageFromAcceptLanguage(request.headers["accept-language"]), fromQuery: false };
}

/** The request's path and query without `lang`, which the language links add themselves. */
function pathWithoutLanguage(url: string): string {
  const parsed = new URL(url, "http://local.invalid");
  parsed.searchParams.delete("lang");
  return parsed.pathname + parsed.search;
}

export function createView(
  request: FastifyRequest,
  reply: FastifyReply,
  defaultTimeZone: string,
): ViewContext {
  const language = request.language;
  const zone = request.cookies[COOKIES.timeZone];
  const timeZone = isTimeZone(zone) ? zone : defaultTimeZone;
  let csrfToken: string | undefined;
  return {
    language,
    t: translator(language),
    user: request.user,
    role: request.user?.role ?? null,
    // Made on first use: only pages with forms set the secret cookie.
    get csrfToken() {
      csrfToken ??= reply.generateCsrf();
      return csrfToken;
    },
    path: pathWithoutLanguage(request.url),
    timeZone,
    format: formattersFor(language, timeZone),
  };
}
