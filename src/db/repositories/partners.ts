import type { Kysely } from "kysely";
import type { Database } from "../schema.ts";

export interface PartnerRow {
  readonly id: string;
  readonly name: string;
}

export interface PartnerClient {
  readonly userCode: string;
  readonly organization: string | null;
  readonly email: string | null;
}

export type PartnersRepository = ReturnType<typeof partnersRepository>;

/** Partners (resellers) and the client accounts they registered. */
export function partnersRepository(db: Kysely<Database>) {
  return {
    async findByName(name: string): Promise<PartnerRow | undefined> {
      return db.selectFrom("partners").select(["id", "name"]).where("name", "=", name).executeTakeFirst();
    },

    async nameOf(partnerId: string): Promise<string | undefined> {
      const row = await db
        .selectFrom("partners")
        .select("name")
        .where("id", "=", partnerId)
        .executeTakeFirst();
      return row?.name;
    },

    /** A taken name surfaces as the driver's unique violation. */
    async insert(partner: PartnerRow, now: Date): Promise<void> {
      await db
        .insertInto("partners")
        .values({ id: partner.id, name: partner.name, created_at: now.toISOString() })
        .execute();
    },

    /** The partner's customer accounts, by user code. */
    async clientsOf(partnerId: string): Promise<PartnerClient[]> {
      const rows = await db
        .selectFrom("users")
        .leftJoin("organizations", "organizations.id", "users.organization_id")
        .select(["users.login", "users.email", "organizations.name as organization"])
        .where("users.role", "=", "user")
        .where("users.partner_id", "=", partnerId)
        .orderBy("users.login")
        .execute();
      return rows.map((r) => ({ userCode: r.login, organization: r.organization, email: r.email }));
    },
  };
}
