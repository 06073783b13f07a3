/**
 * templates: lists the local templates directory and, for an installed version, the chain through
 * it, offline. Every folder counts, whoever installed it (this client or the 1C program itself):
 * its update-from versions come from its own UpdInfo.txt.
 */
import { resolve } from "node:path";
import { countOf } from "../../domain/text.ts";
import { EXIT } from "../errors.ts";
import type { Output } from "../output.ts";
import { planTemplates, scanTemplates, type TemplateFolder } from "../templates.ts";

export interface TemplatesOptions {
  templates: string;
  /** Only this configuration's templates; all of them when left out. */
  configuration?: string;
  /** The installed version: with a configuration, the chain from it is shown. */
  version?: string;
  target?: string;
  platform?: string;
}

function describe(folder: TemplateFolder, withCode: boolean): string {
  const info = folder.info;
  const from = info?.fromVersions.length ? `from ${info.fromVersions.join(", ")}` : "";
  const date = info?.updateDate ? `dated ${info.updateDate}` : "";
  const problem = folder.problem ? `UNUSABLE: ${folder.problem}` : "";
  const where = withCode ? `${folder.vendor}/${folder.code}` : folder.vendor;
  return `  ${folder.folderVersion}  ${where}  ${[from, date, problem].filter(Boolean).join("  ")}`;
}

export function templates(out: Output, options: TemplatesOptions): number {
  const root = resolve(options.templates);
  const folders = scanTemplates(root, options.configuration);
  out.info(
    options.configuration ? `Templates of ${options.configuration} in ${root}:` : `Templates in ${root}:`,
  );
  if (folders.length === 0) out.info("  (none)");
  for (const folder of folders) out.info(describe(folder, options.configuration === undefined));
  const listed = folders.map((f) => ({
    vendor: f.vendor,
    code: f.code,
    path: f.path,
    version: f.folderVersion,
    fromVersions: f.info?.fromVersions ?? null,
    updateDate: f.info?.updateDate ?? null,
    minPlatformVersion: f.minPlatformVersion,
    problem: f.problem,
  }));
  if (!options.configuration || !options.version) {
    out.event("templates", { folders: listed, plan: null });
    return EXIT.ok;
  }
  const plan = planTemplates(folders, { ...options, version: options.version });
  out.info("");
  if (plan.status === "up-to-date")
    out.info(`${plan.from} is up to date with the templates (newest ${plan.to ?? "none"}).`);
  else if (plan.status === "no-path")
    out.info(`No chain of templates leads from ${plan.from} to ${plan.to ?? "anything"}.`);
  else {
    out.info(`Chain from ${plan.from} to ${plan.to} (${countOf(plan.steps.length, "step")}):`);
    for (const [index, step] of plan.steps.entries()) {
      out.info(`  ${index + 1}. ${step.version}  ${step.release.folder.path}`);
    }
    if (plan.platformUpgrade) {
      out.info(
        `The chain needs platform ${plan.platformUpgrade.requiredVersion} (installed ${options.platform}).`,
      );
    }
  }
  out.event("templates", {
    folders: listed,
    plan: {
      status: plan.status,
      from: plan.from,
      to: plan.to,
      steps: plan.steps.map((s) => ({ version: s.version, folder: s.release.folder.path })),
      platformUpgrade: plan.platformUpgrade,
    },
  });
  return plan.status === "no-path" ? EXIT.failure : EXIT.ok;
}
