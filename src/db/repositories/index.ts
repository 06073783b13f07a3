import type { Kysely } from "kysely";
import type { Database } from "../schema.ts";
import { auditRepository } from "./audit.ts";
import { catalogueRepository } from "./catalogue.ts";
import { downloadLogRepository } from "./download-log.ts";
import { tufMetadataRepository } from "./tuf-metadata.ts";

/** Every repository on one executor: the database, or a transaction. */
export function repositories(db: Kysely<Database>) {
  return {
    catalogue: catalogueRepository(db),
    audit: auditRepository(db),
    downloadLog: downloadLogRepository(db),
    tufMetadata: tufMetadataRepository(db),
  };
}

export type Repositories = ReturnType<typeof repositories>;

/** Runs `work` in one transaction: every repository it is given writes in it, and all roll back together. */
export function inTransaction<T>(
  db: Kysely<Database>,
  work: (repos: Repositories) => Promise<T>,
): Promise<T> {
  return db.transaction().execute((trx) => work(repositories(trx)));
}
