/**
 * import-list: an update list (v8upd11.zip, or the v8cscdsc.xml inside it) into the catalogue: its
 * releases, the versions each updates from, and their minimum platforms, in one transaction.
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { openUpkeep } from "../../app.ts";
import { loadConfig } from "../../config.ts";
import { countOf } from "../../domain/text.ts";
import { readUpdateList, type UpdateList } from "../../formats/onec/update-list.ts";
import { readUpdateListZip } from "../../formats/onec/update-list-zip.ts";
import { listedIdentity } from "../../services/catalogue/import.ts";
import { shownPath } from "../import-files.ts";
import { printSummary } from "../import-summary.ts";

export function addImportListCommand(program: Command): void {
  program
    .command("import-list")
    .description(
      "Import a 1C update list (v8upd11.zip or v8cscdsc.xml): releases, update-from versions, minimum platforms",
    )
    .argument("<list>", "v8upd11.zip, or the v8cscdsc.xml inside it")
    .action(importList);
}

/** A zip starts with "PK"; anything else is read as the XML itself. */
async function readList(path: string): Promise<UpdateList> {
  const shown = shownPath(path);
  // Each update's file must lie where the catalogue will serve it: refused with the update's line.
  const options = { checkUpdate: listedIdentity };
  const bytes = readFileSync(path);
  if (bytes.subarray(0, 2).toString("latin1") === "PK")
    return readUpdateListZip({ buffer: bytes }, shown, options);
  return readUpdateList(bytes, { ...options, file: shown });
}

async function importList(path: string): Promise<void> {
  const list = await readList(path);
  const upkeep = await openUpkeep(loadConfig());
  try {
    const results = await upkeep.services.catalogueImport.importUpdateList(list, null);
    printSummary(results, `the list of ${list.date} (${countOf(results.length, "update")})`);
  } finally {
    await upkeep.close();
  }
}
