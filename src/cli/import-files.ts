/**
 * What the import commands share: finding update packages under a path, hashing a file, and a
 * progress bar on a terminal (nothing drawn when standard error is not one).
 */
import { createHash } from "node:crypto";
import { createReadStream, existsSync, lstatSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import cliProgress from "cli-progress";
import { badRequest } from "../domain/errors.ts";
import { PACKAGE_FILE } from "../formats/onec/layout.ts";
import { MANIFEST_FILE } from "../formats/onec/manifest.ts";

/**
 * The packages a path names: the file itself, or every `1cv8.zip` below a folder (symbolic links are
 * not followed), in path order. An unpacked package is refused: packages are kept byte for byte.
 */
export function findPackages(path: string): string[] {
  if (!existsSync(path)) throw badRequest("not_found", `${path} does not exist.`);
  const stat = lstatSync(path);
  if (stat.isFile()) return [path];
  if (!stat.isDirectory()) throw badRequest("not_a_package", `${path} is neither a file nor a folder.`);
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const child = join(dir, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile() && entry.name.toLowerCase() === PACKAGE_FILE) found.push(child);
    }
  };
  walk(path);
  if (found.length > 0) return found;
  const unpacked = readdirSync(path).some((name) => name.toLowerCase() === MANIFEST_FILE);
  throw badRequest(
    "not_a_package",
    unpacked
      ? `${path} is an unpacked package: import its ${PACKAGE_FILE} (packages are stored byte for byte, never packed again).`
      : `There is no ${PACKAGE_FILE} in ${path} or below it.`,
  );
}

/** The path as the messages show it: relative to the working folder when below it. */
export function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === "" || rel.startsWith("..") ? path : rel;
}

export async function fileSha256(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export interface Progress {
  tick(label: string): void;
  stop(): void;
}

/** A bar over `total` steps on a terminal's standard error; silent elsewhere or for a single step. */
export function progressBar(title: string, total: number): Progress {
  if (!process.stderr.isTTY || total < 2) return { tick() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: ` ${title} [{bar}] {value}/{total} {label}`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { label: "" });
  return {
    tick: (label) => bar.increment(1, { label }),
    stop: () => bar.stop(),
  };
}
