import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, type LogEvent, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import { migrateToLatest, openDatabase } from "../../src/db/connection.ts";
import type { Database } from "../../src/db/schema.ts";
import type { Role } from "../../src/domain/roles.ts";
import { createEnvironment, type DialectName } from "../support/harness.ts";

export interface RepositoryDatabase {
  readonly db: Kysely<Database>;
  /** The SQL of every statement run, in order; tests empty it to count what one call runs. */
  readonly queries: string[];
  close(): Promise<void>;
}

/** A migrated database of its own, opened with a log of every statement run on it. */
export async function openRepositoryDatabase(dialect: DialectName): Promise<RepositoryDatabase> {
  const environment = await createEnvironment(dialect);
  const databaseUrl = environment.env.DATABASE_URL ?? null;
  const migrated = await openDatabase({ databaseUrl, dataDir: environment.dataDir });
  await migrateToLatest(migrated);
  await migrated.close();
  const queries: string[] = [];
  const log = (event: LogEvent) => void queries.push(event.query.sql);
  let db: Kysely<Database>;
  if (databaseUrl) {
    db = new Kysely({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl }) }),
      log,
    });
  } else {
    const sqlite = new SqliteDatabase(join(environment.dataDir, "upkeep.sqlite"));
    sqlite.pragma("foreign_keys = ON");
    db = new Kysely({ dialect: new SqliteDialect({ database: sqlite }), log });
  }
  return {
    db,
    queries,
    async close() {
      await db.destroy();
      await environment.dispose();
    },
  };
}

const CREATED_AT = "2026-01-01T00:00:00.000Z";

/** A product of the catalogue with its configurations. */
export async function addProduct(
  db: Kysely<Database>,
  code: string,
  edition: "basic" | "prof" | "corp",
  configurations: readonly string[],
): Promise<void> {
  for (const configuration of configurations) {
    await db
      .insertInto("configurations")
      .values({
        code: configuration,
        name: configuration,
        kind: "config",
        vendor: "Vendor",
        program_name: null,
        revision: 1,
        created_at: CREATED_AT,
      })
      .onConflict((oc) => oc.column("code").doNothing())
      .execute();
  }
  await db
    .insertInto("products")
    .values({ code, name: code, edition, free_support_months: 0, created_at: CREATED_AT })
    .execute();
  if (configurations.length > 0) {
    await db
      .insertInto("product_configurations")
      .values(
        configurations.map((configuration) => ({ product_code: code, configuration_code: configuration })),
      )
      .execute();
  }
}

/** Registration numbers of a product, registered with the vendor, without PINs. */
export async function addNumbers(db: Kysely<Database>, product: string, numbers: readonly string[]) {
  await db
    .insertInto("registration_numbers")
    .values(
      numbers.map((number) => ({
        number,
        product_code: product,
        pin_hash: null,
        vendor_registered_at: CREATED_AT,
        card: null,
        purchase_date: null,
        issued_at: CREATED_AT,
        issued_by: null,
      })),
    )
    .execute();
}

/** The fields of a new account the tests do not care about. */
export function newUser(login: string, role: Role = "user", partnerId: string | null = null) {
  return {
    login,
    passwordHash: `hash-of-${login}`,
    role,
    email: null,
    displayName: null,
    activeFrom: new Date(CREATED_AT),
    partnerId,
    organizationId: null,
  };
}
