import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { isUniqueViolation } from "../../db/errors.ts";
import { inTransaction } from "../../db/repositories/index.ts";
import type { PartnersRepository } from "../../db/repositories/partners.ts";
import type { Database } from "../../db/schema.ts";
import type { Clock } from "../../domain/clock.ts";
import { badRequest } from "../../domain/errors.ts";

export interface Partner {
  readonly id: string;
  readonly name: string;
}

export interface PartnerAccountsDeps {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  /** The repository made over `db`. */
  readonly partners: PartnersRepository;
}

/** The partners themselves. */
export function createPartnerAccounts(deps: PartnerAccountsDeps) {
  const { db, clock, partners } = deps;
  return {
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
