// Runs every unit test file in this one process (node:test without --test), which is several
// times quicker than a process per file: the mutation run starts the unit suite once per mutant.
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const dir = resolve("test/unit");
const files = readdirSync(dir)
  .filter((name) => name.endsWith(".test.ts"))
  .sort();
for (const name of files) await import(pathToFileURL(join(dir, name)).href);
