import type { Kysely } from "kysely";
import type { Dialect } from "../connection.ts";

/**
 * Sessions of the web portal, kept in the database so every node sees them and a sign-out or a
 * revocation ends them everywhere. The cookie holds a random secret; only its hash is stored.
 * `id` names a session where sessions are listed, without revealing the secret.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable("web_sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("secret_hash", "text", (c) => c.notNull().unique())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_seen_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("user_agent", "text")
    .execute();
  await db.schema.createIndex("web_sessions_user").on("web_sessions").column("user_id").execute();
}
