/** templates: lists the local templates directory and the chain through it, offline. */
import { resolve } from "node:path";
import { countOf } from "../../domain/text.ts";
import { EXIT } from "../errors.ts";
import type { Output } from "../output.ts";
import { planTemplates, scanTemplates } from "../templates.ts";

export function templates(
  out: Output,
  options: { templates: string; configuration: string; version: string; target?: string; platform?: string },
): number {
  const root = resolve(options.templates);
  const folders = scanTemplates(root, options.configuration);
  out.info(`Templates of ${options.configuration} in ${root}:`);
  if (folders.length === 0) out.info("  (none)");
  for (const folder of folders) {
    const info = folder.info;
    const from = info?.fromVersions.length ? `from ${info.fromVersions.join(", ")}` : "";
    const date = info?.updateDate ? `dated ${info.updateDate}` : "";
    const problem = folder.problem ? `UNUSABLE: ${folder.problem}` : "";
    out.info(
      `  ${folder.folderVersion}  ${folder.vendor}  ${[from, date, problem].filter(Boolean).join("  ")}`,
    );
  }
  const plan = planTemplates(folders, options);
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
    folders: folders.map((f) => ({
      vendor: f.vendor,
      path: f.path,
      version: f.folderVersion,
      fromVersions: f.info?.fromVersions ?? null,
      updateDate: f.info?.updateDate ?? null,
      minPlatformVersion: f.minPlatformVersion,
      problem: f.problem,
    })),
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
