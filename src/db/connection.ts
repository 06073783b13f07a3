import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import {
  Kysely,
  type LogConfig,
  type Migration,
  type MigrationProvider,
  Migrator,
  PostgresDialect,
  SqliteDialect,
} from "kysely";
import { type ChangeFeed, localChangeFeed, postgresChangeFeed } from "./change-feed.ts";
import * as catalogue from "./migrations/001-catalogue.ts";
import * as registration from "./migrations/002-registration.ts";
import * as tuf from "./migrations/003-tuf.ts";
import * as packageFormat from "./migrations/004-package-format.ts";
import * as pinAttempts from "./migrations/005-pin-attempts.ts";
import * as webSessions from "./migrations/006-web-sessions.ts";
import * as distributionHashSum from "./migrations/007-distribution-hash-sum.ts";
import * as patches from "./migrations/008-patches.ts";
import * as registrationNumberListing from "./migrations/009-registration-number-listing.ts";
import type { Database } from "./schema.ts";

export type Dialect = "sqlite" | "postgres";

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** Tells every node which cached state changed. */
  readonly changes: ChangeFeed;
  close(): Promise<void>;
}

/** Every migration, in order; each runs on both dialects. */
const migrations: Record<string, { up(db: Kysely<unknown>, dialect: Dialect): Promise<void> }> = {
  "001-catalogue": catalogue,
  "002-registration": registration,
  "003-tuf": tuf,
  "004-package-format": packageFormat,
  "005-pin-attempts": pinAttempts,
  "006-web-sessions": webSessions,
  "007-distribution-hash-sum": distributionHashSum,
  "008-patches": patches,
  "009-registration-number-listing": registrationNumberListing,
};

const BIGINT_OID = 20;

export async function openDatabase(options: {
  databaseUrl: string | null;
  dataDir: string;
  /** Kysely's log of the statements run; none unless given (tests count statements with it). */
  log?: LogConfig;
}): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    // Loaded only when used: the embedded default starts faster without it.
    const { default: pg } = await import("pg");
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: 10,
      // Sizes are bigint columns; every value we store fits a JS number.
      types: {
        getTypeParser: ((oid: number, format?: "text" | "binary") =>
          oid === BIGINT_OID ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    // An idle connection the server ends (a restart, an administrator) must not end the process.
    pool.on("error", (error) => process.emitWarning(`PostgreSQL connection lost: ${error.message}`));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: options.log });
    try {
      const changes = await postgresChangeFeed(
        db,
        // Keepalive probes notice a connection that died silently (an idle timeout on the way).
        () => new pg.Client({ connectionString: options.databaseUrl!, keepAlive: true }),
      );
      return {
        db,
        dialect: "postgres",
        changes,
        close: async () => {
          try {
            await db.destroy();
          } finally {
            await changes.close();
          }
        },
      };
    } catch (error) {
      await db.destroy();
      throw error;
    }
  }
  const file = join(options.dataDir, "upkeep.sqlite");
  mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("cache_size = -65536");
  reusePreparedStatements(sqlite);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }), log: options.log });
  const changes = localChangeFeed(db);
  return {
    db,
    dialect: "sqlite",
    changes,
    close: async () => {
      await changes.close();
      await db.destroy();
    },
  };
}

/**
 * Kysely prepares every query anew; better-sqlite3 statements are reusable, and preparing
 * dominated the cost of the small look-ups on the update-check path. Statements are keyed by
 * their SQL text (parameters are bound per call). Streaming queries, which keep a statement busy,
 * are not used by this code.
 */
function reusePreparedStatements(sqlite: SqliteDatabase.Database, limit = 2_000): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const statements = new Map<string, SqliteDatabase.Statement>();
  sqlite.prepare = ((source: string) => {
    let statement = statements.get(source);
    if (!statement) {
      statement = prepare(source);
      if (statements.size >= limit) statements.clear();
      statements.set(source, statement);
    }
    return statement;
  }) as typeof sqlite.prepare;
}

export async function migrateToLatest(handle: DatabaseHandle): Promise<string[]> {
  const provider: MigrationProvider = {
    async getMigrations() {
      const result: Record<string, Migration> = {};
      for (const [name, migration] of Object.entries(migrations)) {
        result[name] = { up: (db) => migration.up(db, handle.dialect) };
      }
      return result;
    },
  };
  const { error, results } = await new Migrator({ db: handle.db, provider }).migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
