import { join } from "node:path";
import type { Config } from "../config.ts";
import type { BlobStore } from "./blob-store.ts";
import { LocalBlobStore } from "./local-blob-store.ts";

/** The configured blob store, with temporary files an interrupted upload left behind swept away. */
export async function openBlobStore(config: Config): Promise<BlobStore> {
  if (config.storageUrl) {
    throw new Error(
      `STORAGE_URL=${config.storageUrl}: only the local disk store is available in this version.`,
    );
  }
  const store = new LocalBlobStore(join(config.dataDir, "blobs"));
  await store.sweepTemporaryFiles();
  return store;
}
