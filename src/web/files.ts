import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The folder of the web portal's files (stylesheet, scripts, translations): src/web of the
 * checkout, found from this module whether it runs from the sources or from the bundle in .build/.
 */
function findWebDirectory(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return join(dir, "src", "web");
    if (dirname(dir) === dir) throw new Error(`No package.json above ${start}`);
  }
}

export const WEB_DIR = findWebDirectory(import.meta.dirname);
export const ASSETS_DIR = join(WEB_DIR, "assets");
export const LOCALES_DIR = join(WEB_DIR, "locales");
