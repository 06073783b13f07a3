/** check: the update plan from the server or mirror, with what's new in every step. */
import { EXIT } from "../errors.ts";
import { formatBytes, type Output } from "../output.ts";
import { openSession } from "../session.ts";
import type { Plan } from "../types.ts";
import {
  entitlementError,
  fetchPlan,
  type PlanOptions,
  updateMissingError,
  withoutUpdate,
} from "./shared.ts";

function describePlan(out: Output, plan: Plan, platform: string | undefined): void {
  const headline = {
    "up-to-date": "up to date",
    "update-available": `update available to ${plan.to}`,
    "no-path": `no update path to ${plan.to}`,
  }[plan.status];
  out.info(`${plan.configuration} ${plan.from}: ${headline}`);
  if (plan.steps.length > 0) {
    out.info(`Steps (${plan.steps.length}):`);
    plan.steps.forEach((step, index) => {
      const size = step.distribution ? formatBytes(step.distribution.size) : "no update file";
      const platformText = step.minPlatformVersion
        ? `platform >= ${step.minPlatformVersion}`
        : "any platform";
      out.info(`  ${index + 1}. ${step.version}  ${size}  ${platformText}  (released ${step.releasedOn})`);
    });
    out.info(`Total download: ${formatBytes(plan.totalSize)}`);
  }
  if (plan.platformUpgrade) {
    out.info(
      `Platform update needed first: the chain needs platform ${plan.platformUpgrade.requiredVersion}, ` +
        `installed ${platform}.`,
    );
  } else if (platform && plan.steps.length > 0) {
    out.info(`Platform ${platform} is recent enough for every step.`);
  }
}

export async function check(out: Output, options: PlanOptions): Promise<number> {
  const session = openSession(options);
  const plan = await fetchPlan(session, options);
  // The plan carries every step's what's new, as the web portal's planner shows it.
  const texts = new Map(plan.whatsNew.map((entry) => [entry.version, entry.text]));
  const whatsNew = plan.steps.map((step) => ({
    version: step.version,
    releaseId: step.releaseId,
    whatsNew: texts.get(step.version) ?? null,
  }));
  describePlan(out, plan, options.platform);
  if (whatsNew.length > 0) {
    out.info("");
    out.info("What's new:");
    for (const entry of whatsNew) {
      out.info("");
      out.info(`## ${entry.version}`);
      out.info(entry.whatsNew?.trim() || "(no description)");
    }
  }
  out.event("plan", { plan, whatsNew });
  if (!plan.download.allowed) {
    const error = entitlementError(plan);
    out.info("");
    out.info(error.message);
    out.event("not-allowed", {
      code: plan.download.code,
      detail: plan.download.detail,
      month: plan.download.month,
    });
    return EXIT.entitlement;
  }
  const missing = withoutUpdate(plan.steps);
  if (missing.length > 0) {
    const error = updateMissingError(plan.configuration, missing);
    out.info("");
    out.info(error.message);
    out.event("update-missing", { versions: missing });
    return error.exitCode;
  }
  return plan.status === "no-path" ? EXIT.failure : EXIT.ok;
}
