import type { TestApp } from "./harness.ts";
import { updatePackage as buildUpdatePackage } from "./update-package.ts";

/** Small helpers that drive the admin API the way vendor staff would. */
export async function createConfiguration(
  t: TestApp,
  code = "HRM",
  kind = "configuration",
  packageFormat?: "1c" | "file",
) {
  const response = await t.request({
    method: "POST",
    url: "/api/v1/admin/configurations",
    token: t.adminToken,
    body: {
      code,
      name: `Configuration ${code}`,
      kind,
      vendor: "1c",
      ...(packageFormat ? { packageFormat } : {}),
    },
  });
  if (response.statusCode !== 201) throw new Error(`configuration: ${response.statusCode} ${response.body}`);
  return response.json();
}

/** A 1C update package of `version` with `payload` as its 1cv8.cfu (see update-package.ts). */
export function updatePackage(version: string, payload = Buffer.from(`update to ${version}`)): Buffer {
  return buildUpdatePackage({ code: "HRM", version, fromVersions: [], cfu: payload });
}

export async function createRelease(
  t: TestApp,
  input: {
    configuration?: string;
    version: string;
    updateFrom?: string[];
    minPlatformVersion?: string;
    publish?: boolean;
    releasedOn?: string;
    itsIssue?: string;
    documents?: Record<string, string>;
  },
) {
  const response = await t.request({
    method: "POST",
    url: "/api/v1/admin/releases",
    token: t.adminToken,
    body: {
      configuration: input.configuration ?? "HRM",
      version: input.version,
      releasedOn: input.releasedOn ?? "2026-11-01",
      updateFrom: input.updateFrom ?? [],
      ...(input.minPlatformVersion ? { minPlatformVersion: input.minPlatformVersion } : {}),
      ...(input.itsIssue ? { itsIssue: input.itsIssue } : {}),
      ...(input.documents ? { documents: input.documents } : {}),
    },
  });
  if (response.statusCode !== 201) throw new Error(`release: ${response.statusCode} ${response.body}`);
  const release = response.json() as { id: string; version: string };
  if (input.publish !== false) {
    // Only a release with a file is published; a full distribution leaves the update to the test.
    await uploadDistribution(
      t,
      release.id,
      Buffer.from(`full distribution of ${input.version}`),
      "full",
      "setup.zip",
    );
    const published = await t.request({
      method: "POST",
      url: `/api/v1/admin/releases/${release.id}/publish`,
      token: t.adminToken,
    });
    if (published.statusCode !== 200) throw new Error(`publish: ${published.statusCode} ${published.body}`);
  }
  return release;
}

export async function uploadDistribution(
  t: TestApp,
  releaseId: string,
  bytes: Buffer,
  kind = "update",
  fileName = "1cv8.zip",
) {
  const response = await t.request({
    method: "PUT",
    url: `/api/v1/admin/releases/${releaseId}/distributions/${kind}`,
    token: t.adminToken,
    headers: { "content-type": "application/octet-stream", "x-filename": fileName },
    payload: bytes,
  });
  if (response.statusCode !== 201) throw new Error(`upload: ${response.statusCode} ${response.body}`);
  return response.json() as { id: string; kind: string; fileName: string; size: number; sha256: string };
}

/**
 * A published release of `configuration` with a full distribution and an update package (1cv8.zip)
 * that users may download: the release, the update's stored file and its bytes.
 */
export async function releaseWithUpdate(t: TestApp, configuration: string, version: string) {
  const release = await createRelease(t, { configuration, version });
  const bytes = buildUpdatePackage({
    code: configuration,
    version,
    fromVersions: [],
    cfu: Buffer.from(`the ${configuration} ${version} update, byte for byte`),
  });
  const update = await uploadDistribution(t, release.id, bytes);
  return { release, update, bytes };
}
