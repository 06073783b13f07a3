// Runs every test file under test/ with node:test through tsx (Node 20 does not expand globs).
// The browser tests (test/browser) run after the others, one file at a time: each drives a
// Chromium, and two of them beside the other files would crowd a two-core machine.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join, sep } from "node:path";

function collect(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return collect(path);
    return entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

function run(files, concurrency) {
  if (files.length === 0) return 0;
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", "--test", `--test-concurrency=${concurrency}`, "--test-reporter=spec", ...files],
    { stdio: "inherit" },
  );
  return result.status ?? 1;
}

const filters = process.argv.slice(2);
const files = collect("test")
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();
const isBrowserTest = (file) => file.startsWith(`test${sep}browser${sep}`);
const status = Math.max(
  run(
    files.filter((file) => !isBrowserTest(file)),
    2,
  ),
  run(files.filter(isBrowserTest), 1),
);
process.exit(status);
