import type { Kysely, Transaction } from "kysely";
import type { Database } from "../schema.ts";
import { auditRepository } from "./audit.ts";
import { catalogueRepository } from "./catalogue.ts";
import { downloadLogRepository } from "./download-log.ts";
import { holdingsRepository } from "./holdings.ts";
import { organizationsRepository } from "./organizations.ts";
import { partnersRepository } from "./partners.ts";
import { patchesRepository } from "./patches.ts";
import { registrationNumbersRepository } from "./registration-numbers.ts";
import { subscriptionsRepository } from "./subscriptions.ts";
import { tufMetadataRepository } from "./tuf-metadata.ts";
import { usersRepository } from "./users.ts";
import { webSessionsRepository } from "./web-sessions.ts";

/**
 * Every repository over one executor: the database, or a transaction. Prepared queries are
 * compiled on first use by the repositories made over the database, never per transaction.
 */
export function repositories(db: Kysely<Database>) {
  return {
    catalogue: catalogueRepository(db),
    audit: auditRepository(db),
    downloadLog: downloadLogRepository(db),
    tufMetadata: tufMetadataRepository(db),
    users: usersRepository(db),
    registrationNumbers: registrationNumbersRepository(db),
    holdings: holdingsRepository(db),
    subscriptions: subscriptionsRepository(db),
    partners: partnersRepository(db),
    organizations: organizationsRepository(db),
    webSessions: webSessionsRepository(db),
    patches: patchesRepository(db),
  };
}

export type Repositories = ReturnType<typeof repositories>;

/** Runs `work` in one transaction: every repository it is given writes in it, and all roll back together. */
export function inTransaction<T>(
  db: Kysely<Database>,
  work: (repos: Repositories, trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute((trx) => work(repositories(trx), trx));
}
