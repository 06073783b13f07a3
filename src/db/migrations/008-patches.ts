import type { Kysely } from "kysely";
import type { Dialect } from "../connection.ts";

/**
 * Patches: fixes staff publish between releases, each a file for listed versions of a configuration,
 * served by the update service (`patches/getInfo`, `patches/getFiles`). `apply_to` is a JSON array
 * of versions; the file lives in the blob store like a distribution's.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable("patches")
    .addColumn("ueid", "text", (c) => c.primaryKey())
    .addColumn("configuration_code", "text", (c) => c.notNull().references("configurations.code"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("modified_metadata", "text", (c) => c.notNull())
    .addColumn("apply_to", "text", (c) => c.notNull())
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("size", "bigint", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("hash_sum", "text", (c) => c.notNull())
    .addColumn("storage_key", "text", (c) => c.notNull())
    .addColumn("built_at", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("patches_configuration").on("patches").column("configuration_code").execute();
}
