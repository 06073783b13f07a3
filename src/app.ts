import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import type { Config } from "./config.ts";
import { type DatabaseHandle, migrateToLatest, openDatabase } from "./db/connection.ts";
import { type Clock, systemClock } from "./domain/clock.ts";
import { buildHttpApp, type HttpOptions } from "./http/app.ts";
import { createMailer } from "./mail/transport.ts";
import { loadOrCreatePinKey } from "./secrets/pin-key.ts";
import { loadOrCreateTufKeys } from "./secrets/tuf-keys.ts";
import { createServices, type Services } from "./services/index.ts";
import { backfillHashSums } from "./services/onec/hash-sums.ts";
import type { BlobStore } from "./storage/blob-store.ts";
import { openBlobStore } from "./storage/open.ts";

export interface Upkeep {
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly blobs: BlobStore;
  readonly services: Services;
  close(): Promise<void>;
}

/** The composition root: opens the database (migrating it) and the blob store, and wires the services. */
export async function openUpkeep(config: Config, options: { clock?: Clock } = {}): Promise<Upkeep> {
  const database = await openDatabase(config);
  try {
    await migrateToLatest(database);
    const blobs = await openBlobStore(config);
    const services = createServices({
      db: database.db,
      changes: database.changes,
      blobs,
      clock: options.clock ?? systemClock,
      tokenTtlDays: config.tokenTtlDays,
      activationDelayMinutes: config.activationDelayMinutes,
      sessionIdleMinutes: config.sessionIdleMinutes,
      sessionMaxMinutes: config.sessionMaxMinutes,
      tufKeys: loadOrCreateTufKeys(join(config.dataDir, "tuf", "keys")),
      pinKey: loadOrCreatePinKey(join(config.dataDir, "secrets", "pin-key"), config.pinKeyHex),
      mailer: createMailer({
        smtpUrl: config.smtpUrl,
        outboxDir: join(config.dataDir, "outbox"),
        from: config.mailFrom,
      }),
      publicUrl: config.publicUrl,
    });
    await backfillHashSums(database.db, blobs);
    // Signs root 1 on the first start, and catches up with changes a failed re-sign missed.
    await services.tuf.refresh();
    return { config, database, blobs, services, close: () => database.close() };
  } catch (error) {
    await database.close();
    throw error;
  }
}

export async function startServer(upkeep: Upkeep, options: HttpOptions = {}): Promise<FastifyInstance> {
  const app = await buildHttpApp(upkeep.services, {
    logLevel: upkeep.config.logLevel,
    trustProxy: upkeep.config.trustProxy,
    timeZone: upkeep.config.timeZone,
    ...options,
  });
  app.addHook("onClose", () => upkeep.close());
  await app.listen({ port: upkeep.config.port, host: upkeep.config.host });
  return app;
}
