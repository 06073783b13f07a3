/** Helpers more than one command uses: plans, entitlement errors and verified downloads. */
import { existsSync, renameSync, rmSync } from "node:fs";
import type { Updater } from "tuf-js";
import { discardPart, partPaths } from "../download.ts";
import { ClientError, EXIT, verificationFailed } from "../errors.ts";
import type { Output } from "../output.ts";
import type { Session } from "../session.ts";
import type { UpdateSource } from "../source.ts";
import { targetCustom, targetInfo, targetSha256, verifyFile } from "../tuf.ts";
import type { Distribution, Plan, PlanStep } from "../types.ts";

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

/** The steps' versions that have no update file to download (yet), in chain order. */
export function withoutUpdate(steps: readonly PlanStep[]): string[] {
  return steps.filter((step) => !step.distribution).map((step) => step.version);
}

export function updateMissingError(configuration: string, versions: readonly string[]): ClientError {
  const releases =
    versions.length === 1
      ? `Release ${versions[0]} of ${configuration} has`
      : `Releases ${versions.join(", ")} of ${configuration} have`;
  return new ClientError(
    `${releases} no update file yet, so the chain cannot be downloaded; ask the vendor or try again later.`,
    EXIT.updateMissing,
    "update_missing",
  );
}

/** Downloads (resuming), verifies against the TUF target; returns the verified complete file. */
export async function fetchVerified(
  out: Output,
  source: UpdateSource,
  updater: Updater,
  path: string,
  distribution: Pick<Distribution, "size" | "sha256" | "id">,
  destination: string,
  label: string,
): Promise<string> {
  const info = await targetInfo(updater, source.server, path);
  const expected = { length: info.length, sha256: targetSha256(info) };
  if (expected.length !== distribution.size || expected.sha256 !== distribution.sha256) {
    throw verificationFailed(
      `the server's catalogue and its signed metadata disagree about ${path} ` +
        `(catalogue: ${distribution.size} bytes, sha256 ${distribution.sha256}; signed: ${expected.length} bytes, sha256 ${expected.sha256})`,
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
  const progress = out.progress(label);
  const distributionId = targetCustom(info).distributionId ?? distribution.id;
  const result = await source.fetchTarget(path, distributionId, destination, expected, progress);
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
