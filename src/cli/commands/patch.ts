/**
 * patch publish: publishes a fix between releases, a file for listed versions of a 1C
 * configuration, which the update service then offers (patches/getInfo, patches/getFiles).
 */
import { createReadStream } from "node:fs";
import { basename } from "node:path";
import type { Command } from "commander";
import { openUpkeep } from "../../app.ts";
import { loadConfig } from "../../config.ts";

interface PatchOptions {
  configuration: string;
  name: string;
  versions: string;
  description?: string;
  metadata?: string;
}

export function addPatchCommand(program: Command): void {
  program
    .command("publish")
    .description("Publish a patch: a file for listed versions of a 1C configuration")
    .argument("<file>", "the patch file, served byte for byte")
    .requiredOption("--configuration <code>", "the configuration's code")
    .requiredOption("--name <name>", "the patch's name")
    .requiredOption("--versions <list>", "comma-separated versions it applies to, e.g. 3.0.23.148,3.0.23.143")
    .option("--description <text>", "what it fixes")
    .option("--metadata <text>", "the metadata objects it changes")
    .action(publishPatch);
}

async function publishPatch(file: string, options: PatchOptions): Promise<void> {
  const upkeep = await openUpkeep(loadConfig());
  try {
    const patch = await upkeep.services.onecPatches.publishPatch(
      {
        configuration: options.configuration,
        name: options.name,
        ...(options.description ? { description: options.description } : {}),
        ...(options.metadata ? { modifiedMetadata: options.metadata } : {}),
        applyTo: options.versions.split(",").map((version) => version.trim()),
        fileName: basename(file),
        body: createReadStream(file),
      },
      null,
    );
    console.log(`Published patch ${patch.ueid} of ${patch.configuration} for ${patch.applyTo.join(", ")}.`);
  } finally {
    await upkeep.close();
  }
}
