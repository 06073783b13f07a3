import { createHash, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream, mkdirSync } from "node:fs";
import { mkdir, readdir, rename, rm } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { type Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { unprocessable } from "../domain/errors.ts";
import type { BlobStore, ByteRange, StoredBlob } from "./blob-store.ts";

/** Chunk size of blob reads: large enough for full loopback/LAN speed, small enough for many downloads at once. */
const READ_CHUNK_BYTES = 1024 * 1024;

/** Blobs as files under one folder; uploads land in .tmp and are renamed into place once verified. */
export class LocalBlobStore implements BlobStore {
  private readonly root: string;
  private readonly tmpDir: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.tmpDir = join(root, ".tmp");
    mkdirSync(this.tmpDir, { recursive: true });
  }

  /** Removes uploads that a crash interrupted. */
  async sweepTemporaryFiles(): Promise<void> {
    for (const name of await readdir(this.tmpDir)) await rm(join(this.tmpDir, name), { force: true });
  }

  async put(key: string, source: Readable, expected: { sha256?: string | null } = {}): Promise<StoredBlob> {
    const target = this.pathOf(key);
    const temporary = join(this.tmpDir, randomUUID());
    const hash = createHash("sha256");
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });
    try {
      await pipeline(source, measure, createWriteStream(temporary, { flags: "wx" }));
      const sha256 = hash.digest("hex");
      if (expected.sha256 && expected.sha256.toLowerCase() !== sha256) {
        throw unprocessable(
          "checksum_mismatch",
          `The uploaded bytes have sha256 ${sha256}, not the ${expected.sha256} that was announced.`,
          { expected: expected.sha256, actual: sha256 },
        );
      }
      await mkdir(dirname(target), { recursive: true });
      await rename(temporary, target);
      return { size, sha256 };
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  read(key: string, range?: ByteRange): Readable {
    // 1 MiB reads instead of the default 64 KiB: 1/16 of the read syscalls and event-loop turns per
    // byte, about 3x the loopback throughput (bench/download), at 1-2 MiB of buffer per download.
    return createReadStream(this.pathOf(key), {
      highWaterMark: READ_CHUNK_BYTES,
      ...(range ? { start: range.start, end: range.end } : {}),
    });
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async directUrl(): Promise<string | null> {
    return null;
  }

  private pathOf(key: string): string {
    const path = resolve(this.root, key);
    if (!path.startsWith(this.root + sep) || key.startsWith("."))
      throw new Error(`Blob key outside the store: ${key}`);
    return path;
  }
}
