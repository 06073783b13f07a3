/**
 * import: update packages (a 1cv8.zip, or every 1cv8.zip below a folder) into the catalogue. Every
 * package is read and checked first: one that is malformed or unsafe stops the command before
 * anything is imported. Then each is imported in its own transaction.
 */
import { createReadStream, statSync } from "node:fs";
import type { Command } from "commander";
import { openUpkeep } from "../../app.ts";
import { loadConfig } from "../../config.ts";
import { countOf } from "../../domain/text.ts";
import { FormatError } from "../../formats/format-error.ts";
import { readUpdatePackage, type UpdatePackage } from "../../formats/onec/update-package.ts";
import type { ImportedRelease } from "../../services/catalogue/import.ts";
import { fileSha256, findPackages, progressBar, shownPath } from "../import-files.ts";
import { printSummary } from "../import-summary.ts";

interface ImportOptions {
  publish?: boolean;
}

interface CheckedPackage {
  readonly path: string;
  readonly contents: UpdatePackage;
  readonly size: number;
  readonly sha256: string;
}

export function addImportCommand(program: Command): void {
  program
    .command("import")
    .description("Import 1C update packages: a 1cv8.zip, or every 1cv8.zip below a folder")
    .argument("<package>", "a 1cv8.zip, or a folder holding packages")
    .option("--publish", "publish each imported release (it has its update file)")
    .action(importPackages);
}

async function checkAll(paths: readonly string[]): Promise<CheckedPackage[]> {
  const progress = progressBar("checking", paths.length);
  const checked: CheckedPackage[] = [];
  const refused: FormatError[] = [];
  try {
    for (const path of paths) {
      const shown = shownPath(path);
      try {
        const contents = await readUpdatePackage({ path }, shown);
        checked.push({ path, contents, size: statSync(path).size, sha256: await fileSha256(path) });
      } catch (error) {
        if (!(error instanceof FormatError)) throw error;
        refused.push(error);
      }
      progress.tick(shown);
    }
  } finally {
    progress.stop();
  }
  if (refused.length > 1) for (const error of refused.slice(0, -1)) console.error(`upkeep: ${error.message}`);
  if (refused.length > 0) throw refused.at(-1)!;
  return checked;
}

async function importPackages(path: string, options: ImportOptions): Promise<void> {
  const packages = await checkAll(findPackages(path));
  const upkeep = await openUpkeep(loadConfig());
  const results: ImportedRelease[] = [];
  const progress = progressBar("importing", packages.length);
  try {
    for (const item of packages) {
      const result = await upkeep.services.catalogueImport.importPackage(
        {
          contents: item.contents,
          body: () => createReadStream(item.path),
          size: item.size,
          sha256: item.sha256,
          publish: Boolean(options.publish),
        },
        null,
      );
      results.push(result);
      progress.tick(`${result.configuration} ${result.version}`);
    }
  } finally {
    progress.stop();
    await upkeep.close();
  }
  printSummary(results, countOf(results.length, "package"));
}
