import { resolve } from "node:path";

/** Settings come from environment variables; every default runs on a fresh machine. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** postgres://... switches from the embedded SQLite file to PostgreSQL. */
  readonly databaseUrl: string | null;
  /** s3://bucket?endpoint=... switches from the local disk to S3-compatible storage. */
  readonly storageUrl: string | null;
  readonly activationDelayMinutes: number;
  readonly tokenTtlDays: number;
  readonly logLevel: string;
  /** UPKEEP_PIN_KEY: the PIN HMAC key as hex; unset, it is kept at <dataDir>/secrets/pin-key. */
  readonly pinKeyHex: string | null;
  /** UPKEEP_SMTP_URL: smtp(s)://... for partners' letters; unset, they are written to <dataDir>/outbox/. */
  readonly smtpUrl: string | null;
  readonly mailFrom: string;
  /** Web portal sessions end after this many minutes unused, and this many minutes after sign-in. */
  readonly sessionIdleMinutes: number;
  readonly sessionMaxMinutes: number;
  /** The time zone pages show times in until the browser tells its own (an IANA name). */
  readonly timeZone: string;
  /**
   * UPKEEP_TRUST_PROXY: whether X-Forwarded-* headers are believed (Fastify's trustProxy): unset or
   * `false` none, `true` every proxy, or a comma-separated list of proxy addresses and networks.
   * Behind a TLS-terminating proxy it makes session cookies Secure.
   */
  readonly trustProxy: boolean | string;
  /**
   * UPKEEP_PUBLIC_URL: the base of every absolute link the service generates (the 1C feeds' and the
   * update service's file URLs), e.g. `https://updates.example.com`; without a trailing slash.
   * Unset, `http://<HOST>:<PORT>`.
   */
  readonly publicUrl: string;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

function timeZone(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name] || fallback;
  try {
    return new Intl.DateTimeFormat("en", { timeZone: raw }).resolvedOptions().timeZone;
  } catch {
    throw new Error(`${name} must be an IANA time zone such as Asia/Jakarta, got "${raw}"`);
  }
}

function trustProxy(raw: string | undefined): boolean | string {
  if (!raw || raw === "false") return false;
  return raw === "true" ? true : raw;
}

function publicUrl(raw: string | undefined, host: string, port: number): string {
  if (!raw) return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`UPKEEP_PUBLIC_URL must be an absolute http(s) URL, got "${raw}"`);
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.search || url.hash || url.username) {
    throw new Error(
      `UPKEEP_PUBLIC_URL must be an http(s) URL without query, fragment or login, got "${raw}"`,
    );
  }
  return url.href.replace(/\/+$/, "");
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = integer(env, "PORT", 8080);
  const host = env.HOST || "127.0.0.1";
  return {
    port,
    host,
    dataDir: resolve(env.UPKEEP_DATA_DIR || "./data"),
    databaseUrl: env.DATABASE_URL || null,
    storageUrl: env.STORAGE_URL || null,
    activationDelayMinutes: integer(env, "UPKEEP_ACTIVATION_DELAY_MINUTES", 15),
    tokenTtlDays: integer(env, "UPKEEP_TOKEN_TTL_DAYS", 90),
    logLevel: env.LOG_LEVEL || "info",
    pinKeyHex: env.UPKEEP_PIN_KEY || null,
    smtpUrl: env.UPKEEP_SMTP_URL || null,
    mailFrom: env.UPKEEP_MAIL_FROM || "upkeep@localhost",
    sessionIdleMinutes: integer(env, "UPKEEP_SESSION_IDLE_MINUTES", 60),
    sessionMaxMinutes: integer(env, "UPKEEP_SESSION_MAX_MINUTES", 12 * 60),
    timeZone: timeZone(env, "UPKEEP_TIME_ZONE", "UTC"),
    trustProxy: trustProxy(env.UPKEEP_TRUST_PROXY),
    publicUrl: publicUrl(env.UPKEEP_PUBLIC_URL, host, port),
  };
}
