/**
 * Patches: a fix staff publish between releases, one file for listed versions of a 1C
 * configuration. The update service lists those that apply to a program's version and are not
 * installed yet (`patches/getInfo`) and where to fetch them (`patches/getFiles`); the file is
 * fetched with HTTP Basic under the configuration's download rules. `hashSum` is Base64 of the MD5
 * of the file as served.
 */
import { createHash, randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import type { Kysely } from "kysely";
import type { Configuration } from "../../contract/catalogue.ts";
import { inTransaction } from "../../db/repositories/index.ts";
import { patchesRepository, type StoredPatch } from "../../db/repositories/patches.ts";
import type { Database } from "../../db/schema.ts";
import { validateFileName } from "../../domain/catalogue.ts";
import type { Clock } from "../../domain/clock.ts";
import { badRequest, notFound, unprocessable } from "../../domain/errors.ts";
import { controlCharacterProblem } from "../../domain/text.ts";
import { isVersion, normalizeVersion } from "../../domain/version.ts";
import type { BlobStore } from "../../storage/blob-store.ts";
import type { User } from "../accounts.ts";
import type { CatalogueService } from "../catalogue/index.ts";
import type { EntitlementsService } from "../entitlements.ts";

export const PATCH_FILES_PATH = "/update-platform/patches/files";

export interface NewPatch {
  readonly configuration: string;
  readonly name: string;
  readonly description?: string;
  readonly modifiedMetadata?: string;
  /** The versions the patch applies to: releases of the configuration. */
  readonly applyTo: readonly string[];
  readonly fileName: string;
  readonly body: Readable;
}

export interface PatchUpdate {
  ueid: string;
  name: string;
  description: string;
  buildDate: string;
  modificatedMetadata: string;
  status: string;
  size: number;
  applyToVersion: string[];
}

export interface PatchDistributionData {
  patchUeid: string;
  patchFileUrl: string;
  patchFileName: string;
  patchFileFormat: string;
  size: number;
  hashSum: string;
}

export interface PatchesDeps {
  readonly db: Kysely<Database>;
  readonly blobs: BlobStore;
  readonly clock: Clock;
  readonly catalogue: Pick<CatalogueService, "requireConfiguration" | "listConfigurations" | "listReleases">;
  readonly entitlements: Pick<EntitlementsService, "assertCanDownload">;
  readonly publicUrl: string;
}

export type PatchesService = ReturnType<typeof createPatchesService>;

const oneLine = (value: unknown, what: string, max: number) => {
  if (
    typeof value !== "string" ||
    value.trim() === "" ||
    value.length > max ||
    controlCharacterProblem(value, "line") !== null
  ) {
    throw badRequest("invalid_patch", `A patch's ${what} is one line of 1-${max} characters.`);
  }
  return value.trim();
};

async function md5Of(stream: Readable): Promise<string> {
  const hash = createHash("md5");
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest("base64");
}

const isUuid = (value: unknown): value is string =>
  typeof value === "string" && /^[0-9a-f-]{36}$/i.test(value);

export function createPatchesService(deps: PatchesDeps) {
  const { db, blobs, clock, catalogue, entitlements, publicUrl } = deps;
  const patches = patchesRepository(db);

  async function programOf(name: unknown): Promise<Configuration | undefined> {
    if (typeof name !== "string" || name === "") return undefined;
    const all = (await catalogue.listConfigurations()).filter((c) => c.kind !== "platform");
    return all.find((c) => c.code === name) ?? all.find((c) => c.programName === name);
  }

  return {
    /** Stores the file and publishes the patch, audited; 422 for an empty file or a version that is no release. */
    async publishPatch(input: NewPatch, actorId: string | null): Promise<StoredPatch> {
      const configuration = await catalogue.requireConfiguration(input.configuration);
      if (configuration.kind === "platform" || configuration.packageFormat !== "1c") {
        throw unprocessable(
          "patch_not_allowed",
          `${configuration.code} is not a 1C configuration; it takes no patches.`,
        );
      }
      const name = oneLine(input.name, "name", 200);
      const description = input.description ? oneLine(input.description, "description", 2000) : "";
      const modifiedMetadata = input.modifiedMetadata
        ? oneLine(input.modifiedMetadata, "modified metadata", 2000)
        : "";
      const fileName = validateFileName(input.fileName);
      const applyTo = [...new Set(input.applyTo.map((v, i) => normalizeVersion(v, `applyTo[${i}]`)))];
      if (applyTo.length === 0) throw badRequest("invalid_patch", "A patch applies to at least one version.");
      const releases = new Set(
        (await catalogue.listReleases(configuration.code, ["published"])).map((r) => r.version),
      );
      const unknown = applyTo.filter((version) => !releases.has(version));
      if (unknown.length > 0) {
        throw unprocessable(
          "unknown_patch_version",
          `${configuration.code} has no published release ${unknown.join(", ")} to patch.`,
          { versions: unknown },
        );
      }
      const ueid = randomUUID();
      const storageKey = `patches/${configuration.code}/${ueid}`;
      const stored = await blobs.put(storageKey, input.body);
      try {
        if (stored.size === 0)
          throw unprocessable("empty_file", `The patch file ${fileName} is empty; nothing was stored.`);
        const patch: StoredPatch = {
          ueid,
          configuration: configuration.code,
          name,
          description,
          modifiedMetadata,
          applyTo,
          fileName,
          size: stored.size,
          sha256: stored.sha256,
          hashSum: await md5Of(blobs.read(storageKey)),
          storageKey,
          builtAt: clock.now().toISOString(),
        };
        await inTransaction(db, async ({ patches, audit }) => {
          await patches.insert(patch, clock.now().toISOString());
          await audit.record(clock.now(), {
            actorId,
            action: "patch.publish",
            subject: `patch:${ueid}`,
            details: { configuration: configuration.code, name, applyTo, fileName, size: stored.size },
          });
        });
        return patch;
      } catch (error) {
        await blobs.delete(storageKey);
        throw error;
      }
    },

    /** patches/getInfo: the patches of the listed program versions that are not installed yet. */
    async updates(request: {
      programVersionList?: unknown;
      installedPatchesList?: unknown;
    }): Promise<PatchUpdate[]> {
      const versions = Array.isArray(request.programVersionList) ? request.programVersionList : [];
      const installed = new Set(
        Array.isArray(request.installedPatchesList) ? request.installedPatchesList : [],
      );
      const found: PatchUpdate[] = [];
      const seen = new Set<string>();
      for (const item of versions) {
        const { programName, versionNumber } = (item ?? {}) as Record<string, unknown>;
        const configuration = await programOf(programName);
        if (!configuration || !isVersion(versionNumber)) continue;
        const version = normalizeVersion(versionNumber, "versionNumber");
        for (const patch of await patches.listOf(configuration.code)) {
          if (!patch.applyTo.includes(version) || installed.has(patch.ueid) || seen.has(patch.ueid)) continue;
          seen.add(patch.ueid);
          found.push({
            ueid: patch.ueid,
            name: patch.name,
            description: patch.description,
            buildDate: patch.builtAt.slice(0, 19),
            modificatedMetadata: patch.modifiedMetadata,
            status: "published",
            size: patch.size,
            applyToVersion: [...patch.applyTo],
          });
        }
      }
      return found;
    },

    /** patches/getFiles: where each known patch's file is; unknown ids are left out. */
    async files(request: { patchUinList?: unknown }): Promise<PatchDistributionData[]> {
      const ids = Array.isArray(request.patchUinList) ? request.patchUinList.filter(isUuid) : [];
      const found: PatchDistributionData[] = [];
      for (const ueid of ids) {
        const patch = await patches.find(ueid);
        if (!patch) continue;
        const dot = patch.fileName.lastIndexOf(".");
        found.push({
          patchUeid: patch.ueid,
          patchFileUrl: `${publicUrl}${PATCH_FILES_PATH}/${patch.ueid}/${encodeURIComponent(patch.fileName)}`,
          patchFileName: patch.fileName,
          patchFileFormat: dot > 0 ? patch.fileName.slice(dot + 1).toUpperCase() : "ZIP",
          size: patch.size,
          hashSum: patch.hashSum,
        });
      }
      return found;
    },

    /** A patch the user may download under its configuration's rules; 404 for an unknown one. */
    async patchForDownload(ueid: string, user: User): Promise<StoredPatch> {
      const patch = isUuid(ueid) ? await patches.find(ueid) : undefined;
      if (!patch) throw notFound("patch_not_found", `There is no patch ${ueid}.`);
      await entitlements.assertCanDownload(user, patch.configuration);
      return patch;
    },
  };
}
