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

/** A partner as staff see it: its logins and how many clients it registered. */
export interface PartnerWithLogins {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly logins: { login: string; email: string | null; activeFrom: string }[];
  readonly clients: number;
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

    async find(partnerId: string): Promise<PartnerRow | undefined> {
      return db.selectFrom("partners").select(["id", "name"]).where("id", "=", partnerId).executeTakeFirst();
    },

    /** Every partner by name, with its partner logins and the number of its client accounts. */
    async listWithLogins(): Promise<PartnerWithLogins[]> {
      const [partners, users] = await Promise.all([
        db.selectFrom("partners").select(["id", "name", "created_at"]).orderBy("name").execute(),
        db
          .selectFrom("users")
          .select(["partner_id", "login", "email", "active_from", "role"])
          .where("partner_id", "is not", null)
          .where("role", "in", ["partner", "user"])
          .orderBy("login")
          .execute(),
      ]);
      const byId = new Map(
        partners.map((p) => [
          p.id,
          {
            id: p.id,
            name: p.name,
            createdAt: p.created_at,
            logins: [] as PartnerWithLogins["logins"],
            clients: 0,
          },
        ]),
      );
      for (const user of users) {
        const partner = byId.get(user.partner_id ?? "");
        if (!partner) continue;
        if (user.role === "partner") {
          partner.logins.push({ login: user.login, email: user.email, activeFrom: user.active_from });
        } else {
          partner.clients++;
        }
      }
      return [...byId.values()];
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
