// Starts a TypeScript entry point without a build step by hand: the sources are bundled with
// esbuild into .build/ whenever they changed (dependencies stay in node_modules), which starts
// several times faster than transpiling every module on the fly. If bundling is impossible
// (read-only checkout), tsx runs the sources directly.
import { mkdirSync, readdirSync, renameSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function isFresh(bundle) {
  try {
    const built = statSync(bundle).mtimeMs;
    return (
      built >= newestSource(join(root, "src")) && built >= statSync(join(root, "package-lock.json")).mtimeMs
    );
  } catch {
    return false;
  }
}

export async function launch(entry, name) {
  const source = join(root, entry);
  const bundle = join(root, ".build", `${name}.mjs`);
  if (process.env.UPKEEP_NO_BUNDLE !== "1" && (isFresh(bundle) || (await bundled(source, bundle)))) {
    return import(pathToFileURL(bundle).href);
  }
  const { register } = await import("tsx/esm/api");
  register();
  return import(pathToFileURL(source).href);
}

async function bundled(source, bundle) {
  try {
    const { build } = await import("esbuild");
    mkdirSync(dirname(bundle), { recursive: true });
    const temporary = `${bundle}.${process.pid}.tmp`;
    await build({
      entryPoints: [source],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      sourcemap: "inline",
      outfile: temporary,
      logLevel: "error",
    });
    renameSync(temporary, bundle);
    return true;
  } catch (error) {
    if (process.env.UPKEEP_DEBUG) console.error("bundling failed, running the sources:", error);
    return false;
  }
}
