import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { PartnerSummary } from "../../contract/staff.ts";
import { isUniqueViolation } from "../../db/errors.ts";
import { inTransaction } from "../../db/repositories/index.ts";
import type { PartnersRepository } from "../../db/repositories/partners.ts";
import type { Database } from "../../db/schema.ts";
import type { Clock } from "../../domain/clock.ts";
import { badRequest, conflict, notFound } from "../../domain/errors.ts";
import type { AccountsService } from "../accounts.ts";

export interface Partner {
  readonly id: string;
  readonly name: string;
}

export interface PartnerAccountsDeps {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  /** The repository made over `db`. */
  readonly partners: PartnersRepository;
  /** Where a partner's logins are made (hashing the password, auditing the account). */
  readonly createUser: AccountsService["createUser"];
}

/** The partners themselves. */
export function createPartnerAccounts(deps: PartnerAccountsDeps) {
  const { db, clock, partners, createUser } = deps;
  return {
    /** Every partner with its logins and how many clients it registered (staff). */
    listPartners: (): Promise<PartnerSummary[]> => partners.listWithLogins(),

    /** A new partner; a name taken already is 409 partner_exists. */
    async addPartner(name: string, actorId: string | null): Promise<PartnerSummary> {
      const partner = await this.ensurePartner(name, actorId);
      if (!partner.created) {
        throw conflict("partner_exists", `A partner named ${partner.name} exists already.`, {
          id: partner.id,
        });
      }
      const added = (await partners.listWithLogins()).find((p) => p.id === partner.id);
      if (!added) throw new Error(`The partner ${partner.id} just added is missing`);
      return added;
    },

    /** A login of the partner's own: it then registers clients, authorises numbers, records subscriptions. */
    async addPartnerLogin(
      partnerId: string,
      input: { login: string; password: string; email?: string | null },
      actorId: string | null,
    ): Promise<PartnerSummary["logins"][number]> {
      const partner = await partners.find(partnerId);
      if (!partner)
        throw notFound("partner_not_found", `There is no partner ${partnerId}.`, { partner: partnerId });
      const user = await createUser(
        {
          login: input.login.trim(),
          password: input.password,
          role: "partner",
          email: input.email?.trim() || null,
          partnerId: partner.id,
        },
        actorId,
      );
      return { login: user.login, email: user.email, activeFrom: user.activeFrom };
    },

    /** Finds a partner by name or creates it (the admin CLI's `user add --role partner --partner NAME`). */
    async ensurePartner(name: string, actorId: string | null): Promise<Partner & { created: boolean }> {
      const trimmed = name.trim();
      if (!trimmed || trimmed.length > 200)
        throw badRequest("invalid_partner", "A partner's name has 1-200 characters.");
      const existing = await partners.findByName(trimmed);
      if (existing) return { id: existing.id, name: existing.name, created: false };
      const id = randomUUID();
      const now = clock.now();
      try {
        await inTransaction(db, async (repos) => {
          await repos.partners.insert({ id, name: trimmed }, now);
          await repos.audit.record(now, {
            actorId,
            action: "partner.create",
            subject: `partner:${id}`,
            details: { name: trimmed },
          });
        });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const row = await partners.findByName(trimmed);
        if (!row) throw error;
        return { id: row.id, name: row.name, created: false };
      }
      return { id, name: trimmed, created: true };
    },
  };
}
