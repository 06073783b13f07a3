/** download: fetches and verifies every missing step of the plan, then installs them into the templates directory. */
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { tufTargetPath } from "../../contract/tuf.ts";
import { DEFAULT_PACKAGE_FORMAT } from "../../domain/catalogue.ts";
import { countOf } from "../../domain/text.ts";
import { ClientError, EXIT, verificationFailed } from "../errors.ts";
import { downloadsDir } from "../home.ts";
import type { Output } from "../output.ts";
import { openSession, openVerifiedUpdater } from "../session.ts";
import {
  configurationFolder,
  hasTemplate,
  installFile,
  installPackage,
  isFileInstalled,
  manifestFolder,
  scanTemplates,
  sweepTemplates,
  sweepTemporaryFolders,
  versionFolder,
} from "../templates.ts";
import type { PlanStep } from "../types.ts";
import {
  entitlementError,
  fetchPlan,
  fetchVerified,
  type PlanOptions,
  updateMissingError,
  withoutUpdate,
} from "./shared.ts";

interface Fetched {
  readonly step: PlanStep;
  readonly file: string;
  readonly folder: string;
}

export interface DownloadOptions extends PlanOptions {
  templates: string;
  force?: boolean;
}

export async function download(out: Output, options: DownloadOptions): Promise<number> {
  const session = openSession(options);
  const { source } = session;
  const templates = resolve(options.templates);
  const [configuration, plan] = await Promise.all([
    source.configuration(options.configuration),
    fetchPlan(session, options),
  ]);
  // The vendor and code name folders of the templates directory but are not signed: plain names only.
  const dir = configurationFolder(templates, configuration.vendor, configuration.code, source.origin);
  out.event("plan", { plan });
  if (plan.configuration !== configuration.code) {
    throw verificationFailed(
      `${source.origin} planned ${JSON.stringify(plan.configuration)} when asked for ${configuration.code}`,
    );
  }
  if (!plan.download.allowed) throw entitlementError(plan);
  if (plan.status === "up-to-date") {
    out.note(`${plan.configuration} ${plan.from} is up to date.`, "done", { installed: [] });
    return EXIT.ok;
  }
  if (plan.status === "no-path") {
    throw new ClientError(
      `There is no chain of updates from ${plan.from} to ${plan.to} for ${plan.configuration}.`,
    );
  }
  // A server from before package formats serves 1c configurations only.
  const asFile = (plan.packageFormat ?? DEFAULT_PACKAGE_FORMAT) === "file";
  mkdirSync(templates, { recursive: true });
  if (asFile) sweepTemporaryFolders(templates, configuration.vendor, plan.configuration);
  else sweepTemplates(templates, plan.configuration);
  // A 1c package installs where its manifest says: any vendor folder may hold a step already.
  const installedTemplates = asFile ? [] : scanTemplates(templates, plan.configuration);
  const alreadyInstalled = async (step: PlanStep, folder: string) =>
    asFile && step.distribution
      ? isFileInstalled(folder, step.distribution.fileName, step.distribution)
      : hasTemplate(installedTemplates, step.version);
  const missing: { step: PlanStep; folder: string }[] = [];
  for (const step of plan.steps) {
    const folder = versionFolder(dir, step.version);
    if (options.force || !(await alreadyInstalled(step, folder))) missing.push({ step, folder });
  }
  const withoutFile = withoutUpdate(missing.map(({ step }) => step));
  if (withoutFile.length > 0) throw updateMissingError(plan.configuration, withoutFile);
  out.info(
    `Downloading ${missing.length} of ${countOf(plan.steps.length, "step")} of ${plan.configuration} ${plan.from} -> ${plan.to} ` +
      `into ${dir}`,
  );
  if (missing.length === 0) {
    out.note("Every step is already in the templates directory.", "done", { installed: [] });
    return EXIT.ok;
  }
  const updater = await openVerifiedUpdater(session, (text) => out.info(text));
  const cache = downloadsDir(source.server);
  // Every file is downloaded and verified before the first is unpacked: a refusal installs nothing.
  const fetched: Fetched[] = [];
  try {
    for (const { step, folder } of missing) {
      const distribution = step.distribution!;
      const path = tufTargetPath(plan.configuration, step.version, distribution.kind, distribution.fileName);
      const file = await fetchVerified(
        out,
        source,
        updater,
        path,
        distribution,
        join(cache, path),
        step.version,
      );
      fetched.push({ step, file, folder });
    }
  } finally {
    out.close();
  }
  // Where each package installs is read from its manifest before the first is unpacked.
  const placed = asFile
    ? fetched
    : await Promise.all(
        fetched.map(async (item) => ({
          ...item,
          folder:
            (await manifestFolder(item.file, templates, plan.configuration, item.step.version)) ??
            item.folder,
        })),
      );
  const installed: string[] = [];
  for (const { step, file, folder } of placed) {
    const files = asFile
      ? await installFile(file, folder, step.distribution!.fileName, { root: templates })
      : await installPackage(file, folder, step.version, {
          root: templates,
          minPlatformVersion: step.minPlatformVersion,
        });
    rmSync(file, { force: true });
    installed.push(step.version);
    out.note(`Installed ${step.version} into ${folder} (${countOf(files.length, "file")})`, "installed", {
      version: step.version,
      folder,
      files,
    });
  }
  out.note(`Done: ${plan.configuration} templates now reach ${plan.to}.`, "done", { installed, to: plan.to });
  return EXIT.ok;
}
