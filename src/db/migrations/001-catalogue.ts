import { type Kysely, sql } from "kysely";
import type { Dialect } from "../connection.ts";

/** Accounts, tokens, the catalogue and the audit log. Runs unchanged on SQLite and PostgreSQL. */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable("users")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("login", "text", (c) => c.notNull())
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("email", "text")
    .addColumn("display_name", "text")
    .addColumn("active_from", "text", (c) => c.notNull())
    .addColumn("disabled", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await sql`create unique index users_login_unique on users (lower(login))`.execute(db);

  await db.schema
    .createTable("api_tokens")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("revoked_at", "text")
    .execute();
  await db.schema.createIndex("api_tokens_user").on("api_tokens").column("user_id").execute();

  await db.schema
    .createTable("configurations")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("vendor", "text", (c) => c.notNull())
    .addColumn("program_name", "text")
    .addColumn("revision", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("products")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("edition", "text", (c) => c.notNull())
    .addColumn("free_support_months", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("product_configurations")
    .addColumn("product_code", "text", (c) => c.notNull().references("products.code").onDelete("cascade"))
    .addColumn("configuration_code", "text", (c) => c.notNull().references("configurations.code"))
    .addPrimaryKeyConstraint("product_configurations_pk", ["product_code", "configuration_code"])
    .execute();

  await db.schema
    .createTable("releases")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("configuration_code", "text", (c) => c.notNull().references("configurations.code"))
    .addColumn("version", "text", (c) => c.notNull())
    .addColumn("version_key", "text", (c) => c.notNull())
    .addColumn("released_on", "text", (c) => c.notNull())
    .addColumn("its_issue", "text")
    .addColumn("min_platform_version", "text")
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("update_from", "text", (c) => c.notNull())
    .addColumn("documents", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("published_at", "text")
    .addColumn("withdrawn_at", "text")
    .addUniqueConstraint("releases_configuration_version", ["configuration_code", "version"])
    .execute();
  await db.schema
    .createIndex("releases_by_configuration")
    .on("releases")
    .columns(["configuration_code", "status", "version_key"])
    .execute();

  await db.schema
    .createTable("distributions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("release_id", "text", (c) => c.notNull().references("releases.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("size", "bigint", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("storage_key", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("distributions_release_kind", ["release_id", "kind"])
    .execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("id", dialect === "postgres" ? "bigserial" : "integer", (c) =>
      dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("actor_id", "text")
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("details", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("audit_log_subject").on("audit_log").column("subject").execute();
}
