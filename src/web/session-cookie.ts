import type { CookieSerializeOptions } from "@fastify/cookie";
import type { FastifyReply } from "fastify";
import { COOKIES } from "./view.ts";

/** HttpOnly, SameSite=Lax, and Secure whenever the request came over https (behind a trusted proxy too). */
export const COOKIE_DEFAULTS: CookieSerializeOptions = {
  path: "/",
  httpOnly: true,
  sameSite: "lax",
  secure: "auto",
};

export function setSessionCookie(reply: FastifyReply, secret: string, maxMinutes: number): void {
  reply.setCookie(COOKIES.session, secret, { ...COOKIE_DEFAULTS, maxAge: maxMinutes * 60 });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(COOKIES.session, COOKIE_DEFAULTS);
}

const YEAR_SECONDS = 365 * 24 * 3600;

export function setLanguageCookie(reply: FastifyReply, language: string): void {
  reply.setCookie(COOKIES.language, language, { ...COOKIE_DEFAULTS, maxAge: YEAR_SECONDS });
}
