import { hash, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { expiringCache } from "../cache/expiring-cache.ts";
import type { IssuedToken } from "../contract/auth.ts";
import type { ActivatedAccount } from "../contract/registration.ts";
import type { ChangeFeed } from "../db/change-feed.ts";
import { conflictOnDuplicate } from "../db/errors.ts";
import { inTransaction, repositories } from "../db/repositories/index.ts";
import { usersRepository } from "../db/repositories/users.ts";
import type { Database } from "../db/schema.ts";
import type { Clock } from "../domain/clock.ts";
import { validateLogin, validatePassword } from "../domain/credentials.ts";
import { addDays } from "../domain/dates.ts";
import { notActiveYetProblem } from "../domain/entitlement.ts";
import { badRequest, conflict, forbidden, notFound, unauthorized } from "../domain/errors.ts";
import { REGISTRATION_NUMBER } from "../domain/pin.ts";
import { isRole, type Role } from "../domain/roles.ts";
import { isSafeDisplayName } from "../domain/text.ts";
import { decoyHash, generatePassword, hashPassword, verifyPassword } from "../secrets/passwords.ts";

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

/** One of the user's live tokens as its owner sees it; `current` marks the one the caller holds. */
export interface OwnToken {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly current: boolean;
}

/** What a password change keeps: the token or web session that made it. */
export interface KeptCredential {
  readonly tokenHash?: string | null;
  readonly sessionId?: string | null;
}

const TOKEN_PREFIX = "upk_";
/**
 * Token look-ups are cached: the update check is the busiest path of the service. Revocations
 * drop entries on every node through the change feed; the limit covers changes made by hand.
 */
const TOKEN_CACHE_MS = 5 * 60_000;
const TOKEN_CACHE_ENTRIES = 200_000;

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

export interface AccountsDeps {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly changes: ChangeFeed;
  readonly tokenTtlDays: number;
}

export function createAccountsService(deps: AccountsDeps) {
  const { db, clock, changes } = deps;
  const users = usersRepository(db);
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
          inTransaction(db, async (repos) => {
            const now = clock.now();
            if (await repos.users.findByLogin(input.login)) throw taken();
            const user = await repos.users.insert(now, {
              login: input.login,
              passwordHash,
              role: input.role,
              email: input.email ?? null,
              displayName: input.displayName ?? null,
              activeFrom: input.activeFrom ?? now,
              partnerId: input.partnerId ?? null,
              organizationId: input.organizationId ?? null,
            });
            await repos.audit.record(now, {
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
      return (await users.findByLogin(login))?.user ?? null;
    },

    /** Checks a login and password; the same error for an unknown login and a wrong password. */
    async authenticate(login: unknown, password: unknown): Promise<User> {
      const wrong = () => unauthorized("invalid_credentials", "The login or password is wrong.");
      if (typeof login !== "string" || typeof password !== "string") throw wrong();
      const stored = await users.findByLogin(login);
      const matches = await verifyPassword(stored?.passwordHash ?? (await decoyHash()), password);
      if (!stored || !matches || stored.disabled) throw wrong();
      if (new Date(stored.user.activeFrom) > clock.now()) {
        throw notActiveYetProblem(stored.user.activeFrom);
      }
      return stored.user;
    },

    async issueToken(user: User, name = "api"): Promise<IssuedToken> {
      validateTokenName(name);
      const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
      const now = clock.now();
      const expiresAt = addDays(now, deps.tokenTtlDays).toISOString();
      await users.insertToken({
        userId: user.id,
        tokenHash: hashToken(token),
        name: name.slice(0, 100),
        createdAt: now.toISOString(),
        expiresAt,
      });
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
      const owner = await users.tokenOwner(hash);
      const now = clock.now().getTime();
      const expiresAt = owner ? Date.parse(owner.expiresAt) : 0;
      if (!owner || expiresAt <= now) return null;
      const { user } = owner;
      // Never cached past the token's own expiry.
      if (tokenCache.set(token, { user, hash }, loadStarted, expiresAt - now)) {
        cachedTokenOfHash.set(hash, token);
      }
      return user;
    },

    async revokeToken(token: string): Promise<boolean> {
      const key = hashToken(token);
      return changes.transaction(async (trx, changed) => {
        changed("token", key);
        return repositories(trx).users.revokeToken(key, clock.now().toISOString());
      });
    },

    /** The user's tokens that still open the API (devices and programs that signed in), newest first. */
    async listTokens(user: User, currentTokenHash: string | null = null): Promise<OwnToken[]> {
      const tokens = await users.liveTokensOf(user.id, clock.now().toISOString());
      return tokens.map(({ tokenHash, ...token }) => ({ ...token, current: tokenHash === currentTokenHash }));
    },

    /**
     * Revokes one of the user's own tokens by its id: token_not_found for another's, a revoked or
     * unknown one. Audited.
     */
    async revokeOwnToken(user: User, tokenId: string): Promise<void> {
      await changes.transaction(async (trx, changed) => {
        const repos = repositories(trx);
        const tokenHash = await repos.users.liveTokenHashOf(user.id, tokenId);
        if (!tokenHash)
          throw notFound("token_not_found", `There is no token ${tokenId}.`, { token: tokenId });
        changed("token", tokenHash);
        const now = clock.now();
        await repos.users.revokeToken(tokenHash, now.toISOString());
        await repos.audit.record(now, {
          actorId: user.id,
          action: "user.token_revoke",
          subject: `user:${user.id}`,
          details: { tokenId },
        });
      });
    },

    /**
     * Changes the password after checking the current one. Every other token and web session of
     * the user ends with it (whoever may have learnt the old password is out); the one making the
     * change stays. Audited.
     */
    async changePassword(
      user: User,
      input: { currentPassword: unknown; newPassword: unknown },
      keep: KeptCredential = {},
    ): Promise<{ endedTokens: number; endedSessions: number }> {
      const newPassword = validatePassword(input.newPassword);
      const stored = await users.findByLogin(user.login);
      const current = typeof input.currentPassword === "string" ? input.currentPassword : "";
      if (!stored || !(await verifyPassword(stored.passwordHash, current))) {
        throw forbidden("wrong_current_password", "The current password is wrong.");
      }
      const passwordHash = await hashPassword(newPassword);
      return changes.transaction(async (trx, changed) => {
        const repos = repositories(trx);
        const now = clock.now();
        await repos.users.setPasswordHash(user.id, passwordHash);
        let endedTokens = 0;
        for (const tokenHash of await repos.users.liveTokenHashes(user.id)) {
          if (tokenHash === keep.tokenHash) continue;
          changed("token", tokenHash);
          if (await repos.users.revokeToken(tokenHash, now.toISOString())) endedTokens++;
        }
        const endedSessions = await repos.webSessions.deleteAllOfUser(user.id, keep.sessionId ?? null);
        await repos.audit.record(now, {
          actorId: user.id,
          action: "user.password_change",
          subject: `user:${user.id}`,
          details: { endedTokens, endedSessions },
        });
        return { endedTokens, endedSessions };
      });
    },

    /**
     * Staff let an account in before its activation delay runs out. Its tokens are named as
     * changed, so every node drops the cached account and sees the new activation at once.
     */
    async activate(login: string, actorId: string): Promise<ActivatedAccount> {
      return changes.transaction(async (trx, changed) => {
        const repos = repositories(trx);
        const now = clock.now();
        const user = (await repos.users.findByLogin(login))?.user;
        if (!user) throw notFound("user_not_found", `There is no account ${login}.`, { login });
        if (Date.parse(user.activeFrom) <= now.getTime()) {
          return { login: user.login, activeFrom: user.activeFrom, activated: false };
        }
        const activeFrom = now.toISOString();
        await repos.users.setActiveFrom(user.id, activeFrom);
        for (const tokenHash of await repos.users.liveTokenHashes(user.id)) changed("token", tokenHash);
        await repos.audit.record(now, {
          actorId,
          action: "user.activate",
          subject: `user:${user.id}`,
          details: { login: user.login, activeFromBefore: user.activeFrom, activeFrom },
        });
        return { login: user.login, activeFrom, activated: true };
      });
    },

    /** On first start with no admin, creates one and returns its password to be shown once. */
    async ensureAdmin(): Promise<{ login: string; password: string } | null> {
      if (await users.someoneHasRole("admin")) return null;
      const password = generatePassword();
      let login = "admin";
      for (let n = 2; await this.findByLogin(login); n++) login = `admin${n}`;
      await this.createUser({ login, password, role: "admin" });
      return { login, password };
    },
  };
}
