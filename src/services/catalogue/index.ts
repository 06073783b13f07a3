import type { Kysely } from "kysely";
import type {
  Configuration,
  Distribution,
  Product,
  Release,
  ReleaseWithDocuments,
} from "../../contract/catalogue.ts";
import type { ChangeFeed } from "../../db/change-feed.ts";
import { catalogueRepository } from "../../db/repositories/catalogue.ts";
import type { Database } from "../../db/schema.ts";
import type { Clock } from "../../domain/clock.ts";
import type { BlobStore } from "../../storage/blob-store.ts";
import type { EntitlementsService } from "../entitlements.ts";
import { createConfigurations } from "./configurations.ts";
import { createDistributions } from "./distributions.ts";
import { catalogueListeners } from "./listeners.ts";
import { createProducts } from "./products.ts";
import { catalogueRecords } from "./records.ts";
import { createReleases } from "./releases.ts";
import { createCatalogueViewing } from "./viewers.ts";

export type { StoredDistribution } from "../../db/repositories/catalogue.ts";
export type { CatalogueChangeListener } from "./listeners.ts";
export type { NewRelease } from "./releases.ts";
export type { Configuration, Distribution, Product, Release, ReleaseWithDocuments };

export interface CatalogueDeps {
  readonly db: Kysely<Database>;
  readonly blobs: BlobStore;
  readonly clock: Clock;
  /** Who may see which configuration, for the releases and files shown to users. */
  readonly entitlements: EntitlementsService;
  /** Tells every node whose cached entitlements a product's edit changed. */
  readonly changes: ChangeFeed;
}

/** The release catalogue: configurations, products, releases and their files, and what a user sees of them. */
export function createCatalogueService(deps: CatalogueDeps) {
  const { db, blobs, clock, entitlements, changes } = deps;
  const catalogue = catalogueRepository(db);
  const records = catalogueRecords(catalogue);
  const { onChange, changed } = catalogueListeners();
  const configurations = createConfigurations({ db, clock, catalogue });
  return {
    requireConfiguration: records.requireConfiguration,
    requireProduct: records.requireProduct,
    onChange,
    /** Tells the listeners that a change committed elsewhere (an import) altered the configuration's published catalogue. */
    announceChange: changed,
    /** The "what's new" document of each of these releases that has one, by release id (for plans). */
    whatsNewOf: catalogue.whatsNewOf,
    ...configurations,
    ...createProducts({ db, clock, changes }),
    ...createReleases({ db, clock, catalogue, records, changed }),
    ...createDistributions({ db, blobs, clock, catalogue, records, changed }),
    ...createCatalogueViewing({
      records,
      listConfigurations: configurations.listConfigurations,
      entitlements,
    }),
  };
}

export type CatalogueService = ReturnType<typeof createCatalogueService>;
/** The part of the catalogue other use cases read: products by code. */
export type ProductCatalogue = Pick<CatalogueService, "requireProduct">;
