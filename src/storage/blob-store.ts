import type { Readable } from "node:stream";

export interface StoredBlob {
  readonly size: number;
  readonly sha256: string;
}

export interface ByteRange {
  readonly start: number;
  /** Inclusive. */
  readonly end: number;
}

/**
 * Where distributions live. A blob becomes visible under its key only after its
 * size and sha256 were checked, so a failed or interrupted upload leaves nothing behind.
 */
export interface BlobStore {
  put(key: string, source: Readable, expected?: { sha256?: string | null }): Promise<StoredBlob>;
  read(key: string, range?: ByteRange): Readable;
  delete(key: string): Promise<void>;
  /** A URL the client may fetch directly (S3 presigned); null when the server streams the bytes itself. */
  directUrl(key: string, fileName: string): Promise<string | null>;
}
