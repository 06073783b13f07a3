import type { Kysely } from "kysely";
import type { Database } from "../schema.ts";

export interface PartnerRow {
  readonly id: string;
  readonly name: string;
}

/** A customer account as a partner's listing reads it, before the partner view is applied. */
export interface PartnerAccountRow {
  readonly userId: string;
  readonly userCode: string;
  /** The partner that registered the account; null for a self-registered one. */
  readonly registeredBy: string | null;
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

    /**
     * The customer accounts a partner has to do with, by user code: those it registered and those
     * it authorised a number on. `registeredBy` says which; the rest is for the caller to filter.
     */
    async accountsOf(partnerId: string): Promise<PartnerAccountRow[]> {
      const rows = await db
        .selectFrom("users")
        .leftJoin("organizations", "organizations.id", "users.organization_id")
        .select([
          "users.id",
          "users.login",
          "users.email",
          "users.partner_id",
          "organizations.name as organization",
        ])
        .where("users.role", "=", "user")
        .where((eb) =>
          eb.or([
            eb("users.partner_id", "=", partnerId),
            eb(
              "users.id",
              "in",
              eb.selectFrom("authorizations as a").select("a.user_id").where("a.partner_id", "=", partnerId),
            ),
          ]),
        )
        .orderBy("users.login")
        .execute();
      return rows.map((r) => ({
        userId: r.id,
        userCode: r.login,
        registeredBy: r.partner_id,
        organization: r.organization,
        email: r.email,
      }));
    },
  };
}
