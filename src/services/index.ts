import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import type { Clock } from "../domain/clock.ts";
import type { BlobStore } from "../storage/blob-store.ts";
import { createAccountsService } from "./accounts.ts";
import { createCatalogService } from "./catalog.ts";
import { createDownloadsService } from "./downloads.ts";
import { createEntitlementsService } from "./entitlements.ts";
import { createUpdatesService } from "./updates.ts";

export interface ServiceDeps {
  readonly db: Kysely<Database>;
  readonly blobs: BlobStore;
  readonly clock: Clock;
  readonly tokenTtlDays: number;
  readonly activationDelayMinutes: number;
}

/** Every use case of the service, wired by hand; HTTP routes and the admin CLI both call these. */
export function createServices(deps: ServiceDeps) {
  const accounts = createAccountsService(deps);
  const catalog = createCatalogService(deps);
  const updates = createUpdatesService({ catalog });
  const entitlements = createEntitlementsService(deps);
  const downloads = createDownloadsService(deps);
  return { accounts, catalog, updates, entitlements, downloads };
}

export type Services = ReturnType<typeof createServices>;
