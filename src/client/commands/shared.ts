/** Helpers more than one command uses: plans, entitlement errors, TUF target paths and verified downloads. */
import { existsSync, renameSync, rmSync } from "node:fs";
import type { Updater } from "tuf-js";
import { versionToUnderscore } from "../../domain/version.ts";
import { copyFromMirror, discardPart, downloadDistribution, partPaths } from "../download.ts";
import { ClientError, EXIT, verificationFailed } from "../errors.ts";
import type { Output } from "../output.ts";
import type { Session } from "../session.ts";
import { ServerSource } from "../source.ts";
import { planTemplates, type TemplateFolder } from "../templates.ts";
import { targetCustom, targetInfo, targetSha256, verifyFile } from "../tuf.ts";
import type { Distribution, Plan } from "../types.ts";

/** `<configuration>/<x_y_z_w>/<kind>/<fileName>`, as the server names TUF targets. */
export function targetPath(configuration: string, version: string, kind: string, fileName: string): string {
  return `${configuration}/${versionToUnderscore(version)}/${kind}/${fileName}`;
}

export interface PlanOptions {
  server?: string;
  configuration: string;
  version: string;
  platform?: string;
  target?: string;
}

export async function fetchPlan(session: Session, options: PlanOptions): Promise<Plan> {
  return session.source.plan({
    configuration: options.configuration,
    version: options.version,
    ...(options.platform ? { platformVersion: options.platform } : {}),
    ...(options.target ? { target: options.target } : {}),
  });
}

export function entitlementError(plan: Plan): ClientError {
  return new ClientError(
    `This account may not download updates of ${plan.configuration}: ${plan.download.code ?? "not_entitled"}: ` +
      `${plan.download.detail ?? "no entitlement"}${plan.download.month ? ` (month ${plan.download.month})` : ""}`,
    EXIT.entitlement,
    plan.download.code ?? "not_entitled",
  );
}

/** The chain through the local templates directory from `options.version`, as templates and update plan it. */
export function planLocalTemplates(
  folders: readonly TemplateFolder[],
  options: { version: string; target?: string; platform?: string },
): ReturnType<typeof planTemplates> {
  return planTemplates(folders, {
    from: options.version,
    ...(options.target ? { target: options.target } : {}),
    ...(options.platform ? { platformVersion: options.platform } : {}),
  });
}

/** Downloads (resuming), verifies against the TUF target; returns the verified complete file. */
export async function fetchVerified(
  out: Output,
  session: Session,
  updater: Updater,
  path: string,
  distribution: Pick<Distribution, "size" | "sha256" | "id">,
  destination: string,
  label: string,
): Promise<string> {
  const expectedSize = distribution.size;
  const expectedSha256 = distribution.sha256;
  const fallbackId = distribution.id;
  const info = await targetInfo(updater, session.server, path);
  if (info.length !== expectedSize || targetSha256(info) !== expectedSha256) {
    throw verificationFailed(
      `the server's catalogue and its signed metadata disagree about ${path} ` +
        `(catalogue: ${expectedSize} bytes, sha256 ${expectedSha256}; signed: ${info.length} bytes, sha256 ${targetSha256(info)})`,
    );
  }
  if (existsSync(destination)) {
    try {
      await verifyFile(info, destination);
      out.note(`  ${label}: already downloaded and verified`, "verified", { label, path, cached: true });
      return destination;
    } catch {
      rmSync(destination, { force: true });
    }
  }
  const expected = { length: info.length, sha256: targetSha256(info) };
  const progress = out.progress(label);
  let result: { resumedFrom: number; status: number };
  if (session.source instanceof ServerSource) {
    const distributionId = targetCustom(info).distributionId ?? fallbackId;
    result = await downloadDistribution(session.source.api, distributionId, destination, expected, progress);
  } else {
    result = await copyFromMirror(session.server, path, destination, expected, progress);
  }
  progress.finish();
  const { part, state } = partPaths(destination);
  try {
    await verifyFile(info, part);
  } catch (error) {
    discardPart(destination);
    out.event("refused", { label, path, reason: (error as Error).message });
    throw error;
  }
  renameSync(part, destination);
  rmSync(state, { force: true });
  out.note(`  ${label}: verified (sha256 ${expected.sha256})`, "verified", {
    label,
    path,
    sha256: expected.sha256,
    bytes: expected.length,
    resumedFrom: result.resumedFrom,
  });
  return destination;
}
