import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database, UsersTable } from "../db/schema.ts";
import type { Edition } from "../domain/catalogue.ts";
import { notFound } from "../domain/errors.ts";
import type { Role } from "../domain/roles.ts";
import type { User } from "./accounts.ts";

/** A user row whose password was hashed before the transaction opened (Argon2id is slow on purpose). */
export interface PreparedUser {
  readonly login: string;
  readonly passwordHash: string;
  readonly role: Role;
  readonly email: string | null;
  readonly displayName: string | null;
  readonly activeFrom: Date;
  readonly partnerId: string | null;
  readonly organizationId: string | null;
}

/** Inserts the row; a taken login surfaces as the driver's unique violation (users_login_unique). */
export async function insertPreparedUser(
  trx: Kysely<Database>,
  now: Date,
  input: PreparedUser,
): Promise<User> {
  const row: UsersTable = {
    id: randomUUID(),
    login: input.login,
    password_hash: input.passwordHash,
    role: input.role,
    email: input.email,
    display_name: input.displayName,
    active_from: input.activeFrom.toISOString(),
    disabled: 0,
    created_at: now.toISOString(),
    partner_id: input.partnerId,
    organization_id: input.organizationId,
  };
  await trx.insertInto("users").values(row).execute();
  return {
    id: row.id,
    login: row.login,
    role: input.role,
    email: row.email,
    displayName: row.display_name,
    activeFrom: row.active_from,
    partnerId: row.partner_id,
    organizationId: row.organization_id,
  };
}

export interface ProductInfo {
  readonly code: string;
  readonly name: string;
  readonly edition: Edition;
  readonly freeSupportMonths: number;
  readonly configurations: string[];
}

export async function productInfo(db: Kysely<Database>, code: string): Promise<ProductInfo> {
  const row = await db.selectFrom("products").selectAll().where("code", "=", code).executeTakeFirst();
  if (!row) throw notFound("product_not_found", `There is no product ${code}.`, { product: code });
  const configurations = await db
    .selectFrom("product_configurations")
    .select("configuration_code")
    .where("product_code", "=", code)
    .orderBy("configuration_code")
    .execute();
  return {
    code: row.code,
    name: row.name,
    edition: row.edition as Edition,
    freeSupportMonths: Number(row.free_support_months),
    configurations: configurations.map((c) => c.configuration_code),
  };
}
