import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ASSETS_DIR } from "./files.ts";

/** Each file under /assets/ with a digest of its content, so browsers may keep it for a year. */
const versions = new Map(
  readdirSync(ASSETS_DIR).map((file) => [
    file,
    createHash("sha256")
      .update(readFileSync(join(ASSETS_DIR, file)))
      .digest("hex")
      .slice(0, 12),
  ]),
);

/** `/assets/<file>?v=<digest>`; an unknown file is a mistake in a template, found at once. */
export function assetUrl(file: string): string {
  const version = versions.get(file);
  if (!version) throw new Error(`There is no asset ${file} in ${ASSETS_DIR}`);
  return `/assets/${file}?v=${version}`;
}
