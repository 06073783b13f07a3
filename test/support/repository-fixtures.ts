/** Rows written straight into a bare test database (openTestDatabase), for the repository tests. */

import type { Kysely } from "kysely";
import type { Database } from "../../src/db/schema.ts";
import type { Role } from "../../src/domain/roles.ts";

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
