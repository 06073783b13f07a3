import type { Kysely } from "kysely";
import type { Dialect } from "../connection.ts";

/**
 * The update service reports each 1C update's `hashSum` (Base64 of the MD5 of the `1cv8.cfu` inside
 * the package), computed once when the package is uploaded. Packages stored before have none: the
 * service fills it in at start-up (src/services/onec/hash-sums.ts), as a migration cannot read blobs.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable("distributions").addColumn("hash_sum", "text").execute();
}
