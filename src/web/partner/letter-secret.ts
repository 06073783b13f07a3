import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { COOKIE_DEFAULTS } from "../session-cookie.ts";
import { COOKIES } from "../view.ts";

/**
 * The password of a client just registered is shown on its letter once, right after the
 * registration, on whichever node serves the redirect: it travels in a short-lived cookie of the
 * letter's path only, encrypted under a key drawn from the partner's session secret (which the
 * server keeps only as a hash), so it opens in that session alone and dies with it.
 */
const COOKIE = "upkeep_letter";
const LIFETIME_SECONDS = 15 * 60;

export interface LetterSecret {
  readonly password: string;
  /** How the letter went out: smtp, outbox, or failed (print it instead). */
  readonly mailedVia: string;
}

export function letterPath(userCode: string): string {
  return `/partner/clients/${encodeURIComponent(userCode)}/letter`;
}

function keyOf(sessionSecret: string, userCode: string): Buffer {
  return createHmac("sha256", sessionSecret).update(`partner letter of ${userCode}`).digest();
}

function seal(sessionSecret: string, userCode: string, secret: LetterSecret): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyOf(sessionSecret, userCode), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(secret), "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
}

function open(sessionSecret: string, userCode: string, sealed: string): LetterSecret | null {
  try {
    const bytes = Buffer.from(sealed, "base64url");
    const decipher = createDecipheriv("aes-256-gcm", keyOf(sessionSecret, userCode), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    const text = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8");
    const parsed = JSON.parse(text) as Partial<LetterSecret>;
    if (typeof parsed.password !== "string" || typeof parsed.mailedVia !== "string") return null;
    return { password: parsed.password, mailedVia: parsed.mailedVia };
  } catch {
    // Another session's, altered or truncated: as if there were none.
    return null;
  }
}

export function rememberLetterSecret(
  request: FastifyRequest,
  reply: FastifyReply,
  userCode: string,
  secret: LetterSecret,
): void {
  const session = request.cookies[COOKIES.session];
  if (!session) return;
  reply.setCookie(COOKIE, seal(session, userCode, secret), {
    ...COOKIE_DEFAULTS,
    path: letterPath(userCode),
    sameSite: "strict",
    maxAge: LIFETIME_SECONDS,
  });
}

export function readLetterSecret(request: FastifyRequest, userCode: string): LetterSecret | null {
  const session = request.cookies[COOKIES.session];
  const sealed = request.cookies[COOKIE];
  return session && sealed ? open(session, userCode, sealed) : null;
}
