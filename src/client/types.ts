/** The server's JSON shapes the client reads (see src/http/api/schemas.ts). */
export interface Distribution {
  readonly id: string;
  readonly kind: string;
  readonly fileName: string;
  readonly size: number;
  readonly sha256: string;
}

export interface Release {
  readonly id: string;
  readonly configuration: string;
  readonly version: string;
  readonly releasedOn: string;
  readonly minPlatformVersion: string | null;
  readonly status: string;
  readonly updateFrom: string[];
  readonly distributions: Distribution[];
}

export interface ReleaseWithDocuments extends Release {
  readonly documents: { readonly whatsNew?: string; readonly [name: string]: string | undefined };
}

export interface Configuration {
  readonly code: string;
  readonly name: string;
  readonly kind: string;
  readonly vendor: string;
  readonly programName: string | null;
}

export interface DownloadVerdict {
  readonly allowed: boolean;
  readonly code: string | null;
  readonly detail: string | null;
  readonly month: string | null;
}

export interface PlanStep {
  readonly version: string;
  readonly releaseId: string;
  readonly releasedOn: string;
  readonly minPlatformVersion: string | null;
  readonly distribution: Distribution | null;
}

export interface Plan {
  readonly status: "up-to-date" | "update-available" | "no-path";
  readonly configuration: string;
  readonly from: string;
  readonly to: string;
  readonly steps: PlanStep[];
  readonly platformUpgrade: null | { readonly requiredVersion: string };
  readonly totalSize: number;
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
