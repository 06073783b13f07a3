/**
 * The server's JSON shapes the client reads. Type-only imports: nothing of the server is loaded
 * at run time, and the client cannot drift from what the server sends.
 */
import type { PlanDescription, PlannedStep } from "../domain/plan-description.ts";
import type { Configuration, Distribution, Release, ReleaseWithDocuments } from "../services/catalog.ts";

export type { Configuration, Distribution, Release, ReleaseWithDocuments };
export type PlanStep = PlannedStep;

export interface DownloadVerdict {
  readonly allowed: boolean;
  readonly code: string | null;
  readonly detail: string | null;
  readonly month: string | null;
}

export interface Plan extends PlanDescription {
  readonly download: DownloadVerdict;
}

export interface PlanRequest {
  readonly configuration: string;
  readonly version: string;
  readonly platformVersion?: string;
  readonly target?: string;
}

export interface Problem {
  readonly status?: number;
  readonly code?: string;
  readonly detail?: string;
}
