import type { Kysely } from "kysely";
import { tufTargetPath } from "../contract/tuf.ts";
import { catalogueRepository } from "../db/repositories/catalogue.ts";
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
  const distributions = await catalogueRepository(db).listPublishedDistributions();
  return distributions
    .map((file) => ({
      path: tufTargetPath(file.configuration, file.version, file.kind, file.fileName),
      length: file.size,
      sha256: file.sha256,
      custom: {
        distributionId: file.distributionId,
        configuration: file.configuration,
        version: file.version,
        kind: file.kind,
      },
    }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
