import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database, UsersTable } from "../db/schema.ts";
import { isRole, type Role } from "../domain/roles.ts";
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
  return toUser(row);
}

/** The columns a User is made of (not the password hash). */
export const USER_COLUMNS = [
  "users.id",
  "users.login",
  "users.role",
  "users.email",
  "users.display_name",
  "users.active_from",
  "users.partner_id",
  "users.organization_id",
] as const;

type UserColumns =
  | "id"
  | "login"
  | "role"
  | "email"
  | "display_name"
  | "active_from"
  | "partner_id"
  | "organization_id";

export function toUser(row: Pick<UsersTable, UserColumns>): User {
  return {
    id: row.id,
    login: row.login,
    role: isRole(row.role) ? row.role : "user",
    email: row.email,
    displayName: row.display_name,
    activeFrom: row.active_from,
    partnerId: row.partner_id,
    organizationId: row.organization_id,
  };
}

/** Stores a registration form's organisation and returns its id. */
export async function insertOrganization(
  trx: Kysely<Database>,
  now: Date,
  organization: { readonly name: string },
  partnerId: string | null,
): Promise<string> {
  const id = randomUUID();
  await trx
    .insertInto("organizations")
    .values({
      id,
      name: organization.name,
      details: JSON.stringify(organization),
      partner_id: partnerId,
      created_at: now.toISOString(),
    })
    .execute();
  return id;
}

/**
 * Authorises registration numbers on an account. The primary key on registration_number makes
 * a number already authorised elsewhere fail here, as a unique violation, with the whole transaction.
 */
export async function insertAuthorizations(
  trx: Kysely<Database>,
  now: Date,
  input: {
    readonly numbers: readonly string[];
    readonly userId: string;
    readonly method: "pin" | "partner";
    readonly partnerId: string | null;
  },
): Promise<void> {
  await trx
    .insertInto("authorizations")
    .values(
      input.numbers.map((number) => ({
        registration_number: number,
        user_id: input.userId,
        method: input.method,
        partner_id: input.partnerId,
        created_at: now.toISOString(),
      })),
    )
    .execute();
}
