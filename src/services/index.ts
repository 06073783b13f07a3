import type { Kysely } from "kysely";
import type { ChangeFeed } from "../db/change-feed.ts";
import type { Database } from "../db/schema.ts";
import type { Clock } from "../domain/clock.ts";
import type { Mailer } from "../mail/transport.ts";
import type { TufKeys } from "../secrets/tuf-keys.ts";
import type { BlobStore } from "../storage/blob-store.ts";
import { createTufRepository } from "../tuf/repository.ts";
import { listPublishedTargets } from "../tuf/targets.ts";
import { createAccountsService } from "./accounts.ts";
import { createAuditLogService } from "./audit-log.ts";
import { createCatalogueImportService } from "./catalogue/import.ts";
import { createCatalogueService } from "./catalogue/index.ts";
import { createDownloadsService } from "./downloads.ts";
import { createEntitlementsService } from "./entitlements.ts";
import { createFeedService } from "./onec/feed.ts";
import { createPatchesService } from "./onec/patches.ts";
import { createUpdateService } from "./onec/update-service.ts";
import { createPartnersService } from "./partners/index.ts";
import { createRegistrationNumbersService } from "./registration-numbers/index.ts";
import { createRegistrationsService } from "./registrations.ts";
import { createSessionsService } from "./sessions.ts";
import { createSubscriptionsService } from "./subscriptions.ts";
import { createUpdatesService } from "./updates.ts";

export interface ServiceDeps {
  readonly db: Kysely<Database>;
  /** Tells every node which cached tokens and holdings changed (DatabaseHandle.changes). */
  readonly changes: ChangeFeed;
  readonly blobs: BlobStore;
  readonly clock: Clock;
  readonly tokenTtlDays: number;
  readonly activationDelayMinutes: number;
  /** Web portal sessions: the idle limit and the absolute lifetime. */
  readonly sessionIdleMinutes: number;
  readonly sessionMaxMinutes: number;
  /** Signing keys of the TUF repository (loadOrCreateTufKeys). */
  readonly tufKeys: TufKeys;
  /** Server key under which PINs are stored as HMAC-SHA256 (loadOrCreatePinKey). */
  readonly pinKey: Buffer;
  /** Sends partners' letters to clients: SMTP, or .eml files in the outbox (createMailer). */
  readonly mailer: Mailer;
  /** UPKEEP_PUBLIC_URL: the base of the absolute links the 1C feeds and the update service give. */
  readonly publicUrl?: string;
}

/** Every use case of the service, wired by hand; HTTP routes and the admin CLI both call these. */
export function createServices(deps: ServiceDeps) {
  const { db, changes, blobs, clock, tokenTtlDays, activationDelayMinutes, tufKeys, pinKey, mailer } = deps;
  const accounts = createAccountsService({ db, clock, changes, tokenTtlDays });
  const sessions = createSessionsService({
    db,
    clock,
    idleMinutes: deps.sessionIdleMinutes,
    maxMinutes: deps.sessionMaxMinutes,
  });
  const entitlements = createEntitlementsService({ db, clock, changes });
  const catalogue = createCatalogueService({ db, blobs, clock, entitlements, changes });
  const catalogueImport = createCatalogueImportService({ db, blobs, clock, catalogue });
  const updates = createUpdatesService({ catalogue, entitlements });
  const downloads = createDownloadsService({ db, blobs, clock });
  const publicUrl = deps.publicUrl ?? "http://127.0.0.1:8080";
  const onecFeed = createFeedService({ catalogue, updates, publicUrl });
  const onecUpdates = createUpdateService({ catalogue, updates, accounts, publicUrl });
  const onecPatches = createPatchesService({ db, blobs, clock, catalogue, entitlements, publicUrl });
  const registrationNumbers = createRegistrationNumbersService({
    db,
    clock,
    changes,
    pinKey,
    products: catalogue,
  });
  const registrations = createRegistrationsService({
    db,
    clock,
    changes,
    activationDelayMinutes,
    accounts,
    numbers: registrationNumbers,
    entitlements,
  });
  const partners = createPartnersService({
    db,
    clock,
    mailer,
    changes,
    numbers: registrationNumbers,
    products: catalogue,
    accounts,
  });
  const subscriptions = createSubscriptionsService({ db, clock, changes });
  const tuf = createTufRepository({
    db,
    clock,
    keys: tufKeys,
    listTargets: () => listPublishedTargets(db),
  });
  // The change is committed already: a failed re-sign is reported, and the next change or start catches up.
  catalogue.onChange(() =>
    tuf.refresh().then(
      () => undefined,
      (error) => process.emitWarning(`TUF metadata was not re-signed after a catalogue change: ${error}`),
    ),
  );
  const auditLog = createAuditLogService({ db });
  return {
    accounts,
    auditLog,
    sessions,
    catalogue,
    catalogueImport,
    updates,
    entitlements,
    downloads,
    onecFeed,
    onecUpdates,
    onecPatches,
    tuf,
    registrationNumbers,
    registrations,
    partners,
    subscriptions,
  };
}

export type Services = ReturnType<typeof createServices>;
