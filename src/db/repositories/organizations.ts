import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../schema.ts";

export type OrganizationsRepository = ReturnType<typeof organizationsRepository>;

/** The organisations of registration forms, each stored with the whole form. */
export function organizationsRepository(db: Kysely<Database>) {
  return {
    /** Stores a registration form's organisation and returns its id. */
    async insert(
      now: Date,
      organization: { readonly name: string },
      partnerId: string | null,
    ): Promise<string> {
      const id = randomUUID();
      await db
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
    },

    /** The registration form an organisation was stored with (JSON), or undefined. */
    async detailsOf(id: string): Promise<string | undefined> {
      const row = await db
        .selectFrom("organizations")
        .select("details")
        .where("id", "=", id)
        .executeTakeFirst();
      return row?.details;
    },

    async nameOf(id: string): Promise<string | undefined> {
      const row = await db.selectFrom("organizations").select("name").where("id", "=", id).executeTakeFirst();
      return row?.name;
    },
  };
}
