/** The lines the import commands end with: each release that changed, then the counts. */
import type { ImportedRelease, ImportOutcome } from "../services/catalogue/import.ts";

export function printSummary(results: readonly ImportedRelease[], what: string): void {
  for (const result of results) {
    if (result.outcome === "unchanged" && results.length > 1) continue;
    const changes = result.changes.length > 0 ? ` (${result.changes.join(", ")})` : "";
    console.log(`${result.configuration} ${result.version}: ${result.outcome}${changes}`);
  }
  const count = (outcome: ImportOutcome) => results.filter((result) => result.outcome === outcome).length;
  console.log(
    `Imported ${what}: ${count("created")} created, ${count("updated")} updated, ${count("unchanged")} unchanged.`,
  );
}
