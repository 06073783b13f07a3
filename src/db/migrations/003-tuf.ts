import type { Kysely } from "kysely";
import type { Dialect } from "../connection.ts";

/**
 * Signed TUF metadata, one row per role and version, so that every node of a deployment serves the
 * same bytes. `body` is the exact JSON served; `expires` repeats the signed expiry for operators.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable("tuf_metadata")
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("expires", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("tuf_metadata_pk", ["role", "version"])
    .execute();
}
