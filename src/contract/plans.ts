import { type Static, Type } from "@sinclair/typebox";
import { type DownloadAccess, entitlementProblem } from "../domain/entitlement.ts";
import { DistributionSchema, PackageFormatSchema } from "./catalogue.ts";
import { Nullable } from "./shapes.ts";

/** POST /api/v1/updates/plan */
export const PlanRequestSchema = Type.Object({
  configuration: Type.String({ maxLength: 64 }),
  version: Type.String({ maxLength: 64 }),
  // Empty is no version: refused here rather than planned as if left out.
  platformVersion: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  target: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});
export type PlanRequest = Static<typeof PlanRequestSchema>;

export const PlanStepSchema = Type.Object({
  version: Type.String(),
  releaseId: Type.String(),
  releasedOn: Type.String(),
  minPlatformVersion: Nullable(Type.String()),
  distribution: Nullable(DistributionSchema),
  updateAvailable: Type.Boolean({ description: "False while the release has no update file yet" }),
});
export type PlanStep = Static<typeof PlanStepSchema>;

export const DownloadVerdictSchema = Type.Object(
  {
    allowed: Type.Boolean(),
    code: Nullable(Type.String()),
    detail: Nullable(Type.String()),
    month: Nullable(Type.String()),
  },
  { description: "Whether the caller may download the chain now; code is the entitlement reason" },
);
export type DownloadVerdict = Static<typeof DownloadVerdictSchema>;

export const WhatsNewEntrySchema = Type.Object({
  version: Type.String(),
  text: Type.String({ description: "The release's what's new document (Markdown)" }),
});
export type WhatsNewEntry = Static<typeof WhatsNewEntrySchema>;

export const PlanSchema = Type.Object({
  status: Type.Union([Type.Literal("up-to-date"), Type.Literal("update-available"), Type.Literal("no-path")]),
  configuration: Type.String(),
  from: Type.String(),
  to: Type.String(),
  steps: Type.Array(PlanStepSchema),
  platformUpgrade: Nullable(Type.Object({ requiredVersion: Type.String() })),
  totalSize: Type.Integer(),
  packageFormat: PackageFormatSchema,
  missingUpdates: Type.Array(Type.String(), {
    description: "Versions of the chain that have no update file yet: the chain cannot be downloaded whole",
  }),
  whatsNew: Type.Array(WhatsNewEntrySchema, {
    description:
      "What is new in every release the chain passes, in the order they are installed; releases without the document are left out",
  }),
  download: DownloadVerdictSchema,
});
export type Plan = Static<typeof PlanSchema>;

/** The plan without its download verdict: the same for every caller (src/domain/plan-description.ts). */
export type PlanDescription = Omit<Plan, "download">;

/** The chain of a plan as the planner alone describes it, before the releases' documents are read. */
export type PlanChain = Omit<PlanDescription, "whatsNew">;

/** Whether the planned chain may be downloaded now, and if not, why (the same problem the download gives). */
export function downloadVerdict(decision: DownloadAccess): DownloadVerdict {
  if (decision.allowed) return { allowed: true, code: null, detail: null, month: null };
  const problem = entitlementProblem(decision);
  const month = "month" in decision ? decision.month : null;
  return { allowed: false, code: problem.code, detail: problem.message, month };
}
