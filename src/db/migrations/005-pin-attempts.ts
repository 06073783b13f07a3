import { type Kysely, type QueryExecutorProvider, sql } from "kysely";
import type { Dialect } from "../connection.ts";

/**
 * Wrong PINs per registration number and client address: one address guessing wrong locks only
 * itself out of that number, while pin_attempts keeps each number's count of the UTC day. Also
 * dates electronic deliveries issued without a purchase date from their issue, as issue now does.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable("pin_address_attempts")
    .addColumn("registration_number", "text", (c) => c.notNull().references("registration_numbers.number"))
    .addColumn("address", "text", (c) => c.notNull())
    .addColumn("failures", "integer", (c) => c.notNull())
    .addColumn("locked_until", "text")
    .addColumn("last_failure_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("pin_address_attempts_pk", ["registration_number", "address"])
    .execute();

  await dateElectronicDeliveries(db);
}

/** Numbers issued registered with the vendor (no card) and without a purchase date: sold at issue. */
export async function dateElectronicDeliveries(db: QueryExecutorProvider): Promise<void> {
  await sql`update registration_numbers set purchase_date = substr(issued_at, 1, 10)
            where purchase_date is null and card is null and vendor_registered_at = issued_at`.execute(db);
}
