import type { Kysely } from "kysely";
import type { Database } from "../schema.ts";

/** One signed version of a role's metadata; `body` is the exact JSON served. */
export interface TufMetadataRow {
  readonly role: string;
  readonly version: number;
  readonly body: string;
  readonly expires: string;
}

/** Signed TUF metadata, every version of every role; (role, version) is unique. */
export function tufMetadataRepository(db: Kysely<Database>) {
  return {
    /** The newest version of each role that has any. */
    async latestVersions(): Promise<Map<string, number>> {
      const rows = await db
        .selectFrom("tuf_metadata")
        .select(["role", (eb) => eb.fn.max("version").as("version")])
        .groupBy("role")
        .execute();
      return new Map(rows.map((row) => [row.role, Number(row.version)]));
    },

    /** The stored version; throws when it is not there. */
    async read(role: string, version: number): Promise<TufMetadataRow> {
      const row = await db
        .selectFrom("tuf_metadata")
        .selectAll()
        .where("role", "=", role)
        .where("version", "=", version)
        .executeTakeFirstOrThrow();
      return { ...row, version: Number(row.version) };
    },

    async findBody(role: string, version: number): Promise<string | undefined> {
      const row = await db
        .selectFrom("tuf_metadata")
        .select("body")
        .where("role", "=", role)
        .where("version", "=", version)
        .executeTakeFirst();
      return row?.body;
    },

    /**
     * One multi-row INSERT: atomic on both dialects (all roles or none), and no transaction left open
     * across awaits, which on SQLite would make a second connection of this process wait on the lock.
     * A version another node wrote first fails it with a unique violation.
     */
    async insert(rows: readonly TufMetadataRow[]): Promise<void> {
      await db.insertInto("tuf_metadata").values(rows).execute();
    },

    /** Drops the role's versions up to and including `version`. */
    async deleteUpTo(role: string, version: number): Promise<void> {
      await db.deleteFrom("tuf_metadata").where("role", "=", role).where("version", "<=", version).execute();
    },
  };
}

export type TufMetadataRepository = ReturnType<typeof tufMetadataRepository>;
