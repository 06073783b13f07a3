import { hash, randomBytes, randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { expiringCache } from "../cache/expiring-cache.ts";
import type { IssuedToken } from "../contract/auth.ts";
import type { ActivatedAccount } from "../contract/registration.ts";
import type { ChangeFeed } from "../db/change-feed.ts";
import { conflictOnDuplicate } from "../db/errors.ts";
import { prepareQuery } from "../db/prepared-query.ts";
import type { Database } from "../db/schema.ts";
import type { Clock } from "../domain/clock.ts";
import { addDays } from "../domain/dates.ts";
import { notActiveYetProblem } from "../domain/entitlement.ts";
import { badRequest, conflict, notFound, unauthorized } from "../domain/errors.ts";
import { REGISTRATION_NUMBER } from "../domain/pin.ts";
import { isRole, type Role } from "../domain/roles.ts";
import { isSafeDisplayName } from "../domain/text.ts";
import { decoyHash, generatePassword, hashPassword, verifyPassword } from "../secrets/passwords.ts";
import { recordAudit } from "./audit.ts";
import { insertPreparedUser, toUser, USER_COLUMNS } from "./user-rows.ts";

export interface User {
  readonly id: string;
  readonly login: string;
  readonly role: Role;
  readonly email: string | null;
  readonly displayName: string | null;
  readonly activeFrom: string;
  readonly partnerId: string | null;
  readonly organizationId: string | null;
}

export interface NewUser {
  readonly login: string;
  readonly password: string;
  readonly role: Role;
  readonly email?: string | null;
  readonly displayName?: string | null;
  readonly activeFrom?: Date;
  readonly partnerId?: string | null;
  readonly organizationId?: string | null;
}

export type { ActivatedAccount, IssuedToken };

const LOGIN = /^[\p{L}\p{N}][\p{L}\p{N}._@-]{1,63}$/u;
const MIN_PASSWORD = 8;
const TOKEN_PREFIX = "upk_";
/**
 * Token look-ups are cached: the update check is the busiest path of the service. Revocations
 * drop entries on every node through the change feed; the limit covers changes made by hand.
 */
const TOKEN_CACHE_MS = 5 * 60_000;
const TOKEN_CACHE_ENTRIES = 200_000;

export function validateLogin(login: unknown): string {
  if (typeof login !== "string" || !LOGIN.test(login)) {
    throw badRequest(
      "invalid_login",
      "A login is 2-64 letters, digits, dots, dashes, underscores or @, starting with a letter or digit.",
    );
  }
  return login;
}

export function validatePassword(password: unknown): string {
  if (typeof password !== "string" || password.length < MIN_PASSWORD || password.length > 256) {
    throw badRequest("weak_password", `A password has ${MIN_PASSWORD} to 256 characters.`);
  }
  return password;
}

/** The name a device or program gives its token when it signs in; shown wherever tokens are listed. */
function validateTokenName(name: string): string {
  if (!isSafeDisplayName(name)) {
    throw badRequest(
      "invalid_token_name",
      "The token name (name) must not contain control characters or bidirectional formatting characters.",
      { field: "name" },
    );
  }
  return name;
}

/** What the database keeps of a bearer token. */
export const hashToken = (token: string) => hash("sha256", token, "hex");

export type AccountsService = ReturnType<typeof createAccountsService>;

export function createAccountsService(deps: {
  db: Kysely<Database>;
  clock: Clock;
  changes: ChangeFeed;
  tokenTtlDays: number;
}) {
  const { db, clock, changes } = deps;
  // Recently resolved tokens by their own text, so that the busiest path skips hashing (the
  // database only ever sees hashes). Revocations name a token by its hash, which leads here.
  const cachedTokenOfHash = new Map<string, string>();
  const tokenCache = expiringCache<{ user: User; hash: string }>(clock, {
    max: TOKEN_CACHE_ENTRIES,
    ttlMs: TOKEN_CACHE_MS,
    onRemove: (_token, { hash }) => cachedTokenOfHash.delete(hash),
  });
  changes.subscribe("token", (hash) => {
    // Deleting also refuses a load of this token under way (it may have read the token before
    // the revocation), so it is done even when the token is not cached yet.
    tokenCache.delete(cachedTokenOfHash.get(hash) ?? hash);
  });
  changes.onMissedChanges(() => tokenCache.clear());
  const tokenOwner = prepareQuery(db, 1, (tokenHash: string) =>
    db
      .selectFrom("api_tokens")
      .innerJoin("users", "users.id", "api_tokens.user_id")
      .select([...USER_COLUMNS, "api_tokens.expires_at as token_expires_at"])
      .where("api_tokens.token_hash", "=", tokenHash)
      .where("api_tokens.revoked_at", "is", null)
      .where("users.disabled", "=", 0),
  );

  return {
    /** Hashes the password first (Argon2id is slow on purpose), then inserts in a short transaction. */
    async createUser(input: NewUser, actorId: string | null = null): Promise<User> {
      validateLogin(input.login);
      if (REGISTRATION_NUMBER.test(input.login)) {
        // User codes are registration numbers: such a login would block that number's registration.
        throw badRequest("invalid_login", "Logins of 8 to 12 digits are reserved for user codes.");
      }
      validatePassword(input.password);
      if (!isRole(input.role))
        throw badRequest("invalid_role", `Unknown role ${JSON.stringify(input.role)}.`);
      const passwordHash = await hashPassword(input.password);
      const taken = () => conflict("login_taken", `The login ${input.login} is taken.`);
      return conflictOnDuplicate(
        () =>
          db.transaction().execute(async (trx) => {
            const now = clock.now();
            const existing = await trx
              .selectFrom("users")
              .select("id")
              .where((eb) => eb(eb.fn("lower", ["login"]), "=", input.login.toLowerCase()))
              .executeTakeFirst();
            if (existing) throw taken();
            const user = await insertPreparedUser(trx, now, {
              login: input.login,
              passwordHash,
              role: input.role,
              email: input.email ?? null,
              displayName: input.displayName ?? null,
              activeFrom: input.activeFrom ?? now,
              partnerId: input.partnerId ?? null,
              organizationId: input.organizationId ?? null,
            });
            await recordAudit(trx, now, {
              actorId,
              action: "user.create",
              subject: `user:${user.id}`,
              details: { login: user.login, role: user.role },
            });
            return user;
          }),
        taken,
      );
    },

    async findByLogin(login: string): Promise<User | null> {
      const row = await db
        .selectFrom("users")
        .selectAll()
        .where((eb) => eb(eb.fn("lower", ["login"]), "=", login.toLowerCase()))
        .executeTakeFirst();
      return row ? toUser(row) : null;
    },

    /** Checks a login and password; the same error for an unknown login and a wrong password. */
    async authenticate(login: unknown, password: unknown): Promise<User> {
      const wrong = () => unauthorized("invalid_credentials", "The login or password is wrong.");
      if (typeof login !== "string" || typeof password !== "string") throw wrong();
      const row = await db
        .selectFrom("users")
        .selectAll()
        .where((eb) => eb(eb.fn("lower", ["login"]), "=", login.toLowerCase()))
        .executeTakeFirst();
      const matches = await verifyPassword(row?.password_hash ?? (await decoyHash()), password);
      if (!row || !matches || row.disabled) throw wrong();
      if (new Date(row.active_from) > clock.now()) {
        throw notActiveYetProblem(row.active_from);
      }
      return toUser(row);
    },

    async issueToken(user: User, name = "api"): Promise<IssuedToken> {
      validateTokenName(name);
      const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
      const now = clock.now();
      const expiresAt = addDays(now, deps.tokenTtlDays).toISOString();
      await db
        .insertInto("api_tokens")
        .values({
          id: randomUUID(),
          user_id: user.id,
          token_hash: hashToken(token),
          name: name.slice(0, 100),
          created_at: now.toISOString(),
          expires_at: expiresAt,
          revoked_at: null,
        })
        .execute();
      return { token, expiresAt };
    },

    /** The owner of a token resolved recently (and not revoked since), without asking the database. */
    knownTokenOwner(token: string): User | undefined {
      return tokenCache.get(token)?.user;
    },

    /** The user a bearer token belongs to, or null when it is unknown, revoked or expired. */
    async resolveToken(token: string): Promise<User | null> {
      if (!token.startsWith(TOKEN_PREFIX)) return null;
      const cached = tokenCache.get(token);
      if (cached) return cached.user;
      const hash = hashToken(token);
      const loadStarted = tokenCache.beforeLoad();
      const [row] = await tokenOwner(hash);
      const now = clock.now().getTime();
      const expiresAt = row ? Date.parse(row.token_expires_at) : 0;
      if (!row || expiresAt <= now) return null;
      const user = toUser(row);
      // Never cached past the token's own expiry.
      if (tokenCache.set(token, { user, hash }, loadStarted, expiresAt - now)) {
        cachedTokenOfHash.set(hash, token);
      }
      return user;
    },

    async revokeToken(token: string): Promise<boolean> {
      const key = hashToken(token);
      const result = await changes.transaction(async (trx, changed) => {
        changed("token", key);
        return trx
          .updateTable("api_tokens")
          .set({ revoked_at: clock.now().toISOString() })
          .where("token_hash", "=", key)
          .where("revoked_at", "is", null)
          .executeTakeFirst();
      });
      return Number(result.numUpdatedRows) > 0;
    },

    /**
     * Staff let an account in before its activation delay runs out. Its tokens are named as
     * changed, so every node drops the cached account and sees the new activation at once.
     */
    async activate(login: string, actorId: string): Promise<ActivatedAccount> {
      return changes.transaction(async (trx, changed) => {
        const now = clock.now();
        const row = await trx
          .selectFrom("users")
          .select(["id", "login", "active_from"])
          .where((eb) => eb(eb.fn("lower", ["login"]), "=", login.toLowerCase()))
          .executeTakeFirst();
        if (!row) throw notFound("user_not_found", `There is no account ${login}.`, { login });
        if (Date.parse(row.active_from) <= now.getTime()) {
          return { login: row.login, activeFrom: row.active_from, activated: false };
        }
        const activeFrom = now.toISOString();
        await trx.updateTable("users").set({ active_from: activeFrom }).where("id", "=", row.id).execute();
        const tokens = await trx
          .selectFrom("api_tokens")
          .select("token_hash")
          .where("user_id", "=", row.id)
          .where("revoked_at", "is", null)
          .execute();
        for (const { token_hash } of tokens) changed("token", token_hash);
        await recordAudit(trx, now, {
          actorId,
          action: "user.activate",
          subject: `user:${row.id}`,
          details: { login: row.login, activeFromBefore: row.active_from, activeFrom },
        });
        return { login: row.login, activeFrom, activated: true };
      });
    },

    /** On first start with no admin, creates one and returns its password to be shown once. */
    async ensureAdmin(): Promise<{ login: string; password: string } | null> {
      const admin = await db.selectFrom("users").select("id").where("role", "=", "admin").executeTakeFirst();
      if (admin) return null;
      const password = generatePassword();
      let login = "admin";
      for (let n = 2; await this.findByLogin(login); n++) login = `admin${n}`;
      await this.createUser({ login, password, role: "admin" });
      return { login, password };
    },
  };
}
