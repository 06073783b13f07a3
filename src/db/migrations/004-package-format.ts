import type { Kysely } from "kysely";
import type { Dialect } from "../connection.ts";

/**
 * What a configuration's packages are (`1c` update packages or `file` installers). Configurations
 * created before were all 1C configurations: they keep working as `1c`.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .alterTable("configurations")
    .addColumn("package_format", "text", (c) => c.notNull().defaultTo("1c"))
    .execute();
}
