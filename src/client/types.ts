/**
 * The server's JSON shapes the client reads. Type-only imports: nothing of the server is loaded
 * at run time, and the client cannot drift from what the server sends.
 */
import type { PlanDescription, PlannedStep } from "../domain/plan-description.ts";
import type { DownloadVerdict } from "../http/api/plan-responses.ts";
import type { Configuration, Distribution, Release, ReleaseWithDocuments } from "../services/catalog.ts";
import type { PlanRequest } from "../services/updates.ts";

export type { Configuration, Distribution, PlanRequest, Release, ReleaseWithDocuments };
export type PlanStep = PlannedStep;

export type { DownloadVerdict };

export interface Plan extends PlanDescription {
  readonly download: DownloadVerdict;
}

export interface Problem {
  readonly status?: number;
  readonly code?: string;
  readonly detail?: string;
}
