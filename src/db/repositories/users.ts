import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { isRole, type Role } from "../../domain/roles.ts";
import type { User } from "../../services/accounts.ts";
import { prepareQuery } from "../prepared-query.ts";
import type { Database, UsersTable } from "../schema.ts";

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

/** An account as stored: the user and what only signing in reads. */
export interface StoredUser {
  readonly user: User;
  readonly passwordHash: string;
  readonly disabled: boolean;
}

/** A bearer token as listed to its owner: never its hash. */
export interface TokenListing {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  /** Only for telling the caller which token is its own; never leaves the service. */
  readonly tokenHash: string;
}

export interface NewToken {
  readonly userId: string;
  readonly tokenHash: string;
  readonly name: string;
  readonly createdAt: string;
  readonly expiresAt: string;
}

/** The columns a User is made of (not the password hash); other repositories join them too. */
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

export type UserColumns =
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

export type UsersRepository = ReturnType<typeof usersRepository>;

/** Accounts and their bearer tokens (kept as hashes only). */
export function usersRepository(db: Kysely<Database>) {
  // The token check runs on every request: compiled once, on first use, for this database.
  let tokenOwnerQuery: ReturnType<typeof prepareTokenOwner> | undefined;
  const prepareTokenOwner = () =>
    prepareQuery(db, 1, (tokenHash: string) =>
      db
        .selectFrom("api_tokens")
        .innerJoin("users", "users.id", "api_tokens.user_id")
        .select([...USER_COLUMNS, "api_tokens.expires_at as token_expires_at"])
        .where("api_tokens.token_hash", "=", tokenHash)
        .where("api_tokens.revoked_at", "is", null)
        .where("users.disabled", "=", 0),
    );

  return {
    /** Logins are unique without regard to case (users_login_unique is on lower(login)). */
    async findByLogin(login: string, role?: Role): Promise<StoredUser | undefined> {
      let query = db
        .selectFrom("users")
        .selectAll()
        .where((eb) => eb(eb.fn("lower", ["login"]), "=", login.toLowerCase()));
      if (role) query = query.where("role", "=", role);
      const row = await query.executeTakeFirst();
      return row && { user: toUser(row), passwordHash: row.password_hash, disabled: Boolean(row.disabled) };
    },

    async someoneHasRole(role: Role): Promise<boolean> {
      const row = await db.selectFrom("users").select("id").where("role", "=", role).executeTakeFirst();
      return row !== undefined;
    },

    /** Inserts the row; a taken login surfaces as the driver's unique violation (users_login_unique). */
    async insert(now: Date, input: PreparedUser): Promise<User> {
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
      await db.insertInto("users").values(row).execute();
      return toUser(row);
    },

    async setActiveFrom(userId: string, activeFrom: string): Promise<void> {
      await db.updateTable("users").set({ active_from: activeFrom }).where("id", "=", userId).execute();
    },

    async insertToken(token: NewToken): Promise<void> {
      await db
        .insertInto("api_tokens")
        .values({
          id: randomUUID(),
          user_id: token.userId,
          token_hash: token.tokenHash,
          name: token.name,
          created_at: token.createdAt,
          expires_at: token.expiresAt,
          revoked_at: null,
        })
        .execute();
    },

    /** The enabled user a token that is not revoked belongs to, with the token's expiry; a prepared query. */
    async tokenOwner(tokenHash: string): Promise<{ user: User; expiresAt: string } | undefined> {
      tokenOwnerQuery ??= prepareTokenOwner();
      const [row] = await tokenOwnerQuery(tokenHash);
      return row && { user: toUser(row), expiresAt: row.token_expires_at };
    },

    /** Marks the token revoked; false when no such token was live. */
    async revokeToken(tokenHash: string, at: string): Promise<boolean> {
      const result = await db
        .updateTable("api_tokens")
        .set({ revoked_at: at })
        .where("token_hash", "=", tokenHash)
        .where("revoked_at", "is", null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
      await db.updateTable("users").set({ password_hash: passwordHash }).where("id", "=", userId).execute();
    },

    /** A user's tokens neither revoked nor past their expiry, newest first. */
    async liveTokensOf(userId: string, now: string): Promise<TokenListing[]> {
      const rows = await db
        .selectFrom("api_tokens")
        .select(["id", "name", "created_at", "expires_at", "token_hash"])
        .where("user_id", "=", userId)
        .where("revoked_at", "is", null)
        .where("expires_at", ">", now)
        .orderBy("created_at", "desc")
        .orderBy("id")
        .execute();
      return rows.map((row) => ({
        id: row.id,
        name: row.name,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        tokenHash: row.token_hash,
      }));
    },

    /** The hash of one of the user's own tokens that is not revoked yet; undefined for anyone else's. */
    async liveTokenHashOf(userId: string, tokenId: string): Promise<string | undefined> {
      const row = await db
        .selectFrom("api_tokens")
        .select("token_hash")
        .where("id", "=", tokenId)
        .where("user_id", "=", userId)
        .where("revoked_at", "is", null)
        .executeTakeFirst();
      return row?.token_hash;
    },

    /** The hashes of a user's tokens that are not revoked. */
    async liveTokenHashes(userId: string): Promise<string[]> {
      const rows = await db
        .selectFrom("api_tokens")
        .select("token_hash")
        .where("user_id", "=", userId)
        .where("revoked_at", "is", null)
        .execute();
      return rows.map((row) => row.token_hash);
    },
  };
}
