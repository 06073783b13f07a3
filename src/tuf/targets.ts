import type { Kysely } from "kysely";
import { tufTargetPath } from "../contract/tuf.ts";
import type { Database } from "../db/schema.ts";

/** What the TUF targets metadata says about one distribution file. */
export interface TufTarget {
  /** `<configuration>/<version with underscores>/<kind>/<fileName>`, e.g. `HRM/3_0_11_36/update/1cv8.zip`. */
  readonly path: string;
  readonly length: number;
  readonly sha256: string;
  readonly custom: {
    readonly distributionId: string;
    readonly configuration: string;
    readonly version: string;
    readonly kind: string;
  };
}

/** Every distribution of every published release, in a stable order. */
export async function listPublishedTargets(db: Kysely<Database>): Promise<TufTarget[]> {
  const rows = await db
    .selectFrom("distributions")
    .innerJoin("releases", "releases.id", "distributions.release_id")
    .select([
      "distributions.id",
      "distributions.kind",
      "distributions.file_name",
      "distributions.size",
      "distributions.sha256",
      "releases.configuration_code",
      "releases.version",
    ])
    .where("releases.status", "=", "published")
    .execute();
  return rows
    .map((row) => ({
      path: tufTargetPath(row.configuration_code, row.version, row.kind, row.file_name),
      length: Number(row.size),
      sha256: row.sha256,
      custom: {
        distributionId: row.id,
        configuration: row.configuration_code,
        version: row.version,
        kind: row.kind,
      },
    }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
