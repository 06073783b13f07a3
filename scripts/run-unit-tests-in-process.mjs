// Runs the unit test files in this one process (node:test without --test), which is several
// times quicker than a process per file: the mutation run starts the unit suite once per mutant.
// With --domain-only, only the files that import src/domain, the rules the mutation run changes.
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const domainOnly = process.argv.includes("--domain-only");
const dir = resolve("test/unit");
const files = readdirSync(dir)
  .filter((name) => name.endsWith(".test.ts"))
  .filter((name) => !domainOnly || readFileSync(join(dir, name), "utf8").includes("src/domain/"))
  .sort();
for (const name of files) await import(pathToFileURL(join(dir, name)).href);
