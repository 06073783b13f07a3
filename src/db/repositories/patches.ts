import type { Kysely, Selectable } from "kysely";
import type { Database, PatchesTable } from "../schema.ts";

/** A published patch and where its file's bytes are. */
export interface StoredPatch {
  readonly ueid: string;
  readonly configuration: string;
  readonly name: string;
  readonly description: string;
  readonly modifiedMetadata: string;
  readonly applyTo: readonly string[];
  readonly fileName: string;
  readonly size: number;
  readonly sha256: string;
  readonly hashSum: string;
  readonly storageKey: string;
  /** ISO timestamp. */
  readonly builtAt: string;
}

function toPatch(row: Selectable<PatchesTable>): StoredPatch {
  return {
    ueid: row.ueid,
    configuration: row.configuration_code,
    name: row.name,
    description: row.description,
    modifiedMetadata: row.modified_metadata,
    applyTo: JSON.parse(row.apply_to) as string[],
    fileName: row.file_name,
    size: Number(row.size),
    sha256: row.sha256,
    hashSum: row.hash_sum,
    storageKey: row.storage_key,
    builtAt: row.built_at,
  };
}

/** Patches of configurations, published by staff. */
export function patchesRepository(db: Kysely<Database>) {
  return {
    async insert(patch: StoredPatch, createdAt: string): Promise<void> {
      await db
        .insertInto("patches")
        .values({
          ueid: patch.ueid,
          configuration_code: patch.configuration,
          name: patch.name,
          description: patch.description,
          modified_metadata: patch.modifiedMetadata,
          apply_to: JSON.stringify(patch.applyTo),
          file_name: patch.fileName,
          size: patch.size,
          sha256: patch.sha256,
          hash_sum: patch.hashSum,
          storage_key: patch.storageKey,
          built_at: patch.builtAt,
          created_at: createdAt,
        })
        .execute();
    },

    /** The configuration's patches, oldest first. */
    async listOf(configuration: string): Promise<StoredPatch[]> {
      const rows = await db
        .selectFrom("patches")
        .selectAll()
        .where("configuration_code", "=", configuration)
        .orderBy("built_at")
        .orderBy("ueid")
        .execute();
      return rows.map(toPatch);
    },

    async find(ueid: string): Promise<StoredPatch | undefined> {
      const row = await db.selectFrom("patches").selectAll().where("ueid", "=", ueid).executeTakeFirst();
      return row && toPatch(row);
    },
  };
}

export type PatchesRepository = ReturnType<typeof patchesRepository>;
