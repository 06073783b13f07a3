import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import pg from "pg";
import { openUpkeep, type Upkeep } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import type { Clock } from "../../src/domain/clock.ts";
import { buildHttpApp, type HttpOptions } from "../../src/http/app.ts";
import type { User } from "../../src/services/accounts.ts";
import { createPostgresDatabase } from "./postgres.ts";

export const POSTGRES_ADMIN_URL =
  process.env.UPKEEP_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A clock the tests move by hand. */
export class TestClock implements Clock {
  constructor(private current = new Date("2026-11-16T10:00:00.000Z")) {}
  now(): Date {
    return new Date(this.current);
  }
  set(date: Date | string): void {
    this.current = new Date(date);
  }
  advanceMinutes(minutes: number): void {
    this.current = new Date(this.current.getTime() + minutes * 60_000);
  }
}

let postgresReachable: Promise<boolean> | undefined;

/** PostgreSQL runs whenever one is reachable; in CI it must be. */
export function isPostgresReachable(): Promise<boolean> {
  postgresReachable ??= (async () => {
    const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.end();
      return true;
    } catch (error) {
      if (process.env.CI) throw new Error(`CI needs PostgreSQL at ${POSTGRES_ADMIN_URL}: ${error}`);
      return false;
    }
  })();
  return postgresReachable;
}

export type DialectName = "sqlite" | "postgres";
export const DIALECTS: DialectName[] = ["sqlite", "postgres"];

export interface TestEnvironment {
  readonly dialect: DialectName;
  readonly dataDir: string;
  readonly env: Record<string, string>;
  dispose(): Promise<void>;
}

/** A fresh data folder and, for PostgreSQL, a fresh database of its own. */
export async function createEnvironment(dialect: DialectName): Promise<TestEnvironment> {
  const dataDir = mkdtempSync(join(tmpdir(), "upkeep-test-"));
  const env: Record<string, string> = { UPKEEP_DATA_DIR: dataDir, LOG_LEVEL: "silent" };
  const database = dialect === "postgres" ? await createPostgresDatabase(POSTGRES_ADMIN_URL) : null;
  if (database) env.DATABASE_URL = database.url;
  return {
    dialect,
    dataDir,
    env,
    async dispose() {
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestApp {
  readonly dialect: DialectName;
  readonly upkeep: Upkeep;
  readonly app: FastifyInstance;
  readonly clock: TestClock;
  readonly admin: User;
  readonly adminToken: string;
  readonly environment: TestEnvironment;
  /** A user of the given role with a token. */
  signUp(role: User["role"], login?: string): Promise<{ user: User; token: string }>;
  request(options: {
    method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";
    url: string;
    token?: string | null;
    body?: unknown;
    headers?: Record<string, string>;
    payload?: string | Buffer;
  }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

let counter = 0;

export async function startTestApp(dialect: DialectName, options: HttpOptions = {}): Promise<TestApp> {
  const environment = await createEnvironment(dialect);
  const clock = new TestClock();
  const upkeep = await openUpkeep(loadConfig(environment.env), { clock });
  const app = await buildHttpApp(upkeep.services, { logLevel: "silent", ...options });
  await app.ready();
  const admin = await upkeep.services.accounts.createUser({
    login: "root-admin",
    password: "admin-password-1",
    role: "admin",
  });
  const adminToken = (await upkeep.services.accounts.issueToken(admin)).token;
  return {
    dialect,
    upkeep,
    app,
    clock,
    admin,
    adminToken,
    environment,
    async signUp(role, login = `${role}-${++counter}`) {
      const user = await upkeep.services.accounts.createUser({ login, password: "password-123", role });
      return { user, token: (await upkeep.services.accounts.issueToken(user)).token };
    },
    request({ method, url, token, body, headers = {}, payload }) {
      const allHeaders: Record<string, string> = { ...headers };
      if (token) allHeaders.authorization = `Bearer ${token}`;
      return app.inject({
        method,
        url,
        headers: allHeaders,
        ...(body !== undefined ? { payload: body as object } : {}),
        ...(payload !== undefined ? { payload } : {}),
      });
    },
    async close() {
      await app.close();
      await upkeep.close();
      await environment.dispose();
    },
  };
}

/** Another node on the same database and data folder as `t`, as a second process would be. */
export interface SecondNode {
  readonly upkeep: Upkeep;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

export async function startSecondNode(t: TestApp): Promise<SecondNode> {
  const upkeep = await openUpkeep(loadConfig(t.environment.env), { clock: t.clock });
  const app = await buildHttpApp(upkeep.services, { logLevel: "silent" });
  return {
    upkeep,
    app,
    async close() {
      await app.close();
      await upkeep.close();
    },
  };
}

/** Dialects this run can test: SQLite always, PostgreSQL when reachable (and always in CI). */
export async function availableDialects(): Promise<DialectName[]> {
  return (await isPostgresReachable()) ? ["sqlite", "postgres"] : ["sqlite"];
}
