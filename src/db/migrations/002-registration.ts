import type { Kysely } from "kysely";
import type { Dialect } from "../connection.ts";

/** Registration numbers, organisations, partners, authorisations, subscriptions and the download log. */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable("partners")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("organizations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    /** JSON object: the registration form's fields. */
    .addColumn("details", "text", (c) => c.notNull())
    .addColumn("partner_id", "text", (c) => c.references("partners.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .alterTable("users")
    .addColumn("partner_id", "text", (c) => c.references("partners.id"))
    .execute();
  await db.schema
    .alterTable("users")
    .addColumn("organization_id", "text", (c) => c.references("organizations.id"))
    .execute();

  await db.schema
    .createTable("registration_numbers")
    .addColumn("number", "text", (c) => c.primaryKey())
    .addColumn("product_code", "text", (c) => c.notNull().references("products.code"))
    .addColumn("pin_hash", "text")
    .addColumn("vendor_registered_at", "text")
    /** JSON object: the registration card as recorded by the vendor. */
    .addColumn("card", "text")
    .addColumn("purchase_date", "text")
    .addColumn("issued_at", "text", (c) => c.notNull())
    .addColumn("issued_by", "text")
    .execute();
  await db.schema
    .createIndex("registration_numbers_product")
    .on("registration_numbers")
    .column("product_code")
    .execute();

  await db.schema
    .createTable("pin_attempts")
    .addColumn("registration_number", "text", (c) => c.primaryKey().references("registration_numbers.number"))
    .addColumn("failures", "integer", (c) => c.notNull())
    .addColumn("locked_until", "text")
    .addColumn("last_failure_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("authorizations")
    .addColumn("registration_number", "text", (c) => c.primaryKey().references("registration_numbers.number"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("method", "text", (c) => c.notNull())
    .addColumn("partner_id", "text", (c) => c.references("partners.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("authorizations_user").on("authorizations").column("user_id").execute();

  await db.schema
    .createTable("subscriptions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("main_number", "text", (c) => c.notNull().references("registration_numbers.number"))
    .addColumn("from_month", "text", (c) => c.notNull())
    .addColumn("months", "integer", (c) => c.notNull())
    .addColumn("partner_id", "text", (c) => c.references("partners.id"))
    .addColumn("created_by", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("subscriptions_main").on("subscriptions").column("main_number").execute();

  await db.schema
    .createTable("subscription_numbers")
    .addColumn("subscription_id", "text", (c) =>
      c.notNull().references("subscriptions.id").onDelete("cascade"),
    )
    .addColumn("registration_number", "text", (c) => c.notNull().references("registration_numbers.number"))
    .addPrimaryKeyConstraint("subscription_numbers_pk", ["subscription_id", "registration_number"])
    .execute();
  await db.schema
    .createIndex("subscription_numbers_number")
    .on("subscription_numbers")
    .column("registration_number")
    .execute();

  await db.schema
    .createTable("download_log")
    .addColumn("id", dialect === "postgres" ? "bigserial" : "integer", (c) =>
      dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("user_id", "text")
    .addColumn("distribution_id", "text", (c) => c.notNull())
    .addColumn("range", "text")
    .addColumn("status", "integer", (c) => c.notNull())
    .addColumn("bytes", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("download_log_user").on("download_log").column("user_id").execute();
}
