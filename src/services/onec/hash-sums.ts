import type { Kysely } from "kysely";
import { catalogueRepository } from "../../db/repositories/catalogue.ts";
import type { Database } from "../../db/schema.ts";
import type { BlobStore } from "../../storage/blob-store.ts";
import { storedPackageHashSum } from "../catalogue/update-packages.ts";

/**
 * Fills in the `hashSum` of 1C update packages stored before it was kept (migration 007): read once
 * from their blobs at start-up. A package that cannot be read keeps none and is told as a warning;
 * the update service then answers its hashSum empty.
 */
export async function backfillHashSums(db: Kysely<Database>, blobs: BlobStore): Promise<number> {
  const catalogue = catalogueRepository(db);
  let filled = 0;
  for (const pending of await catalogue.listPackagesWithoutHashSum()) {
    try {
      const hashSum = await storedPackageHashSum(blobs, pending.storageKey, pending.size);
      if (hashSum === null) continue;
      await catalogue.setHashSum(pending.id, hashSum);
      filled++;
    } catch (error) {
      process.emitWarning(`The hashSum of distribution ${pending.id} could not be read: ${error}`);
    }
  }
  return filled;
}
