/**
 * Imports what a 1C vendor already builds into the catalogue: an update package (`1cv8.zip`)
 * becomes its configuration (found by its own name, the manifest's `Name`), its release (version,
 * the versions it updates from, date, update order and what's new) and the release's `update`
 * file, stored byte for byte; an update list (`v8upd11.zip`) becomes releases with the versions
 * they update from and their minimum platforms. Each import runs in one transaction with its audit
 * events, so a refusal leaves nothing behind; importing the same thing again changes nothing.
 *
 * A configuration is the one whose `programName` is the package's Name; failing that, the one of
 * the code the package installs into (`Destination=1C\HRM` -> HRM) if it names no other program;
 * failing that, a new `1c` configuration with that code and vendor folder. The code a package
 * installs into must be its configuration's (the client installs nothing else).
 */
import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import type { Kysely } from "kysely";
import type { Configuration } from "../../contract/catalogue.ts";
import { conflictOnDuplicate } from "../../db/errors.ts";
import type { StoredRelease } from "../../db/repositories/catalogue.ts";
import { inTransaction, type Repositories, repositories } from "../../db/repositories/index.ts";
import type { Database } from "../../db/schema.ts";
import { type ReleaseDocuments, UPDATE_DISTRIBUTION, validateCode } from "../../domain/catalogue.ts";
import type { Clock } from "../../domain/clock.ts";
import { conflict, unprocessable } from "../../domain/errors.ts";
import { compareVersions } from "../../domain/version.ts";
import { PACKAGE_FILE, parseFeedPath } from "../../formats/onec/layout.ts";
import { pageToMarkdown } from "../../formats/onec/pages.ts";
import type { UpdateList, UpdateListEntry } from "../../formats/onec/update-list.ts";
import type { UpdatePackage } from "../../formats/onec/update-package.ts";
import type { BlobStore } from "../../storage/blob-store.ts";
import type { CatalogueService } from "./index.ts";
import { MAX_DOCUMENT_LENGTH } from "./releases.ts";
import { checkUpdatePackage } from "./update-packages.ts";

export type ImportOutcome = "created" | "updated" | "unchanged";

export interface ImportedRelease {
  readonly configuration: string;
  readonly version: string;
  readonly outcome: ImportOutcome;
  /** What changed, in words ("configuration created", "update file stored", ...); empty when unchanged. */
  readonly changes: readonly string[];
}

export interface PackageImport {
  readonly contents: UpdatePackage;
  /** The package's bytes, opened once more to store them. */
  readonly body: () => Readable;
  readonly size: number;
  readonly sha256: string;
  /** Publish the release once its update file is there. */
  readonly publish?: boolean;
}

export interface CatalogueImportDeps {
  readonly db: Kysely<Database>;
  readonly blobs: BlobStore;
  readonly clock: Clock;
  /** Told after the commit which configuration's published catalogue changed. */
  readonly catalogue: Pick<CatalogueService, "announceChange">;
}

/** Who a configuration is, as a package or an update list names it. */
interface ConfigurationIdentity {
  readonly programName: string;
  readonly code: string;
  readonly vendorFolder: string;
}

/** What an import says of a release; null leaves the stored value as it is. */
interface ReleaseFacts {
  readonly version: string;
  readonly updateFrom: readonly string[];
  readonly releasedOn: string | null;
  /** Used for a release created by the import when `releasedOn` is null. */
  readonly releasedOnIfNew: string;
  readonly minPlatformVersion: string | null;
  readonly documents: ReleaseDocuments;
}

/** The changes of one import inside its transaction. */
class Changes {
  readonly words: string[] = [];
  /** Configurations whose published catalogue changed: plans and signed metadata follow after the commit. */
  readonly published = new Set<string>();
}

const sortedVersions = (versions: readonly string[]) => [...new Set(versions)].sort(compareVersions);
const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((value, index) => value === b[index]);

/** The documents a package's pages give: the update order and what's new (every other page, in name order). */
export async function packageDocuments(contents: UpdatePackage): Promise<ReleaseDocuments> {
  const documents: ReleaseDocuments = {};
  const updateOrder = contents.updateOrder && (await pageToMarkdown(contents.updateOrder.bytes));
  if (updateOrder) documents.updateOrder = updateOrder;
  const pages = await Promise.all(contents.otherPages.map((page) => pageToMarkdown(page.bytes)));
  const whatsNew = pages.filter((text): text is string => text !== null);
  if (whatsNew.length > 0) documents.whatsNew = whatsNew.join("\n\n---\n\n");
  for (const [name, text] of Object.entries(documents)) {
    if (text.length > MAX_DOCUMENT_LENGTH) {
      throw unprocessable(
        "invalid_documents",
        `The package's ${name} page is longer than a release document may be (1 MB).`,
      );
    }
  }
  return documents;
}

/** The configuration and code an update list entry names; refused unless its file lies at `<vendor>/<CODE>/<x_y_z_w>/<file>`. */
export function listedIdentity(update: UpdateListEntry): ConfigurationIdentity {
  const path = parseFeedPath(update.file);
  if (path === null) {
    throw unprocessable(
      "invalid_update_list",
      `The update to ${update.version} lies at ${update.file}, not at <vendor>/<code>/<x_y_z_w>/${PACKAGE_FILE}.`,
    );
  }
  if (path.version !== update.version) {
    throw unprocessable(
      "invalid_update_list",
      `The update to ${update.version} lies in the folder of ${path.version} (${update.file}).`,
    );
  }
  return { programName: update.configuration, code: path.code, vendorFolder: path.vendorFolder };
}

/** `22.09.2015T18:07:21` -> `2015-09-22`. */
const listDay = (date: string) => date.slice(0, 10).split(".").reverse().join("-");

export function createCatalogueImportService(deps: CatalogueImportDeps) {
  const { db, blobs, clock, catalogue: announcer } = deps;

  const today = () => clock.now().toISOString().slice(0, 10);

  /** The configuration the identity names, created or given its program name when needed. */
  async function ensureConfiguration(
    repos: Repositories,
    identity: ConfigurationIdentity,
    changes: Changes,
    actorId: string | null,
  ): Promise<Configuration> {
    const { catalogue, audit } = repos;
    const fits = (configuration: Configuration) => {
      if (configuration.code.toLowerCase() !== identity.code.toLowerCase()) {
        throw unprocessable(
          "import_code_mismatch",
          `${identity.programName} is configuration ${configuration.code} here, but installs into ${identity.code}.`,
          { configuration: configuration.code, code: identity.code },
        );
      }
      if (configuration.kind === "platform" || configuration.packageFormat !== "1c") {
        throw unprocessable(
          "import_configuration_mismatch",
          `Configuration ${configuration.code} is not a 1C configuration (kind ${configuration.kind}, packages ${configuration.packageFormat}).`,
          { configuration: configuration.code },
        );
      }
      return configuration;
    };
    const named = await catalogue.findConfigurationByProgramName(identity.programName);
    if (named) return fits(named);
    const code = validateCode(identity.code, "configuration code");
    const existing = await catalogue.findConfiguration(code);
    if (existing) {
      if (existing.programName !== null) {
        throw unprocessable(
          "import_configuration_mismatch",
          `Configuration ${code} is the program ${existing.programName}, not ${identity.programName}.`,
          { configuration: code },
        );
      }
      fits(existing);
      await catalogue.setConfigurationProgramName(code, identity.programName);
      await audit.record(clock.now(), {
        actorId,
        action: "configuration.update",
        subject: `configuration:${code}`,
        details: { programName: identity.programName, via: "import" },
      });
      changes.words.push("configuration named");
      return { ...existing, programName: identity.programName };
    }
    const configuration: Configuration = {
      code,
      name: identity.programName,
      kind: "configuration",
      vendor: validateCode(identity.vendorFolder, "vendor folder"),
      programName: identity.programName,
      packageFormat: "1c",
    };
    await catalogue.insertConfiguration(configuration, clock.now().toISOString());
    await audit.record(clock.now(), {
      actorId,
      action: "configuration.create",
      subject: `configuration:${code}`,
      details: { ...configuration, via: "import" },
    });
    changes.words.push("configuration created");
    return configuration;
  }

  /** The release the facts describe, created or brought up to them; its id and status. */
  async function ensureRelease(
    repos: Repositories,
    configuration: Configuration,
    facts: ReleaseFacts,
    changes: Changes,
    actorId: string | null,
  ): Promise<Pick<StoredRelease, "id" | "status" | "version">> {
    const { catalogue, audit } = repos;
    const updateFrom = sortedVersions(facts.updateFrom);
    const id = await catalogue.findReleaseId(configuration.code, facts.version);
    if (!id) {
      const release: StoredRelease = {
        id: randomUUID(),
        configuration: configuration.code,
        version: facts.version,
        releasedOn: facts.releasedOn ?? facts.releasedOnIfNew,
        itsIssue: null,
        minPlatformVersion: facts.minPlatformVersion,
        channel: "stable",
        status: "draft",
        updateFrom,
        publishedAt: null,
      };
      await catalogue.insertRelease({ ...release, documents: facts.documents }, clock.now().toISOString());
      await audit.record(clock.now(), {
        actorId,
        action: "release.create",
        subject: `release:${release.id}`,
        details: { configuration: configuration.code, version: facts.version, via: "import" },
      });
      changes.words.push("release created");
      return release;
    }
    const existing = (await catalogue.findReleaseWithFiles(id))!;
    const next = {
      releasedOn: facts.releasedOn ?? existing.releasedOn,
      updateFrom,
      minPlatformVersion: facts.minPlatformVersion ?? existing.minPlatformVersion,
      documents: { ...existing.documents, ...facts.documents },
    };
    const changed = [
      next.releasedOn !== existing.releasedOn && "date",
      !sameList(next.updateFrom, existing.updateFrom) && "update-from versions",
      next.minPlatformVersion !== existing.minPlatformVersion && "minimum platform",
      Object.entries(facts.documents).some(
        ([name, text]) => existing.documents[name as keyof ReleaseDocuments] !== text,
      ) && "documents",
    ].filter((word): word is string => word !== false);
    if (changed.length > 0) {
      await catalogue.updateRelease(id, next);
      await audit.record(clock.now(), {
        actorId,
        action: "release.update",
        subject: `release:${id}`,
        details: { configuration: configuration.code, version: facts.version, changed, via: "import" },
      });
      if (existing.status !== "draft") {
        await catalogue.bumpConfigurationRevision(configuration.code);
        changes.published.add(configuration.code);
      }
      changes.words.push(`release ${changed.join(", ")} updated`);
    }
    return existing;
  }

  /** The package's configuration and release facts, the same every time the same package is read. */
  async function packageFacts(
    contents: UpdatePackage,
  ): Promise<{ identity: ConfigurationIdentity; facts: ReleaseFacts }> {
    return {
      identity: {
        programName: contents.manifest.name,
        code: contents.destination.code,
        vendorFolder: contents.destination.vendorFolder,
      },
      facts: {
        version: contents.updInfo.version,
        updateFrom: contents.updInfo.fromVersions,
        releasedOn: contents.updInfo.updateDate,
        releasedOnIfNew: today(),
        minPlatformVersion: null,
        documents: await packageDocuments(contents),
      },
    };
  }

  /** Whether the stored update of the package's release is not these very bytes (it must be stored). */
  async function needsStoring(
    identity: ConfigurationIdentity,
    version: string,
    sha256: string,
  ): Promise<boolean> {
    const repos = repositories(db);
    const configuration =
      (await repos.catalogue.findConfigurationByProgramName(identity.programName)) ??
      (await repos.catalogue.findConfiguration(identity.code));
    if (!configuration) return true;
    const id = await repos.catalogue.findReleaseId(configuration.code, version);
    const release = id && (await repos.catalogue.findReleaseWithFiles(id));
    const stored = release ? release.distributions.find((d) => d.kind === UPDATE_DISTRIBUTION) : undefined;
    return stored?.sha256 !== sha256;
  }

  /**
   * Makes the package the release's update file unless it is already: `stored` when nothing is left
   * over, else the storage key of bytes no longer needed (the replaced file's, or this import's own
   * copy when the same bytes were stored meanwhile).
   */
  async function putUpdateFile(
    repos: Repositories,
    configuration: Configuration,
    release: Pick<StoredRelease, "id" | "status" | "version">,
    input: PackageImport,
    stored: { readonly storageKey: string | null; readonly hashSum: string | null },
    changes: Changes,
    actorId: string | null,
  ): Promise<string | "stored"> {
    const { catalogue, audit } = repos;
    const { storageKey, hashSum } = stored;
    const current = await catalogue.findReleaseWithFiles(release.id);
    const previous = current?.distributions.find((d) => d.kind === UPDATE_DISTRIBUTION);
    if (previous?.sha256 === input.sha256) return storageKey ?? "stored";
    if (storageKey === null) throw importRaced();
    const wasDraft = await catalogue.lockDraftRelease(release.id);
    let replaced: string | "stored" = "stored";
    if (previous) {
      if (!wasDraft) {
        throw conflict(
          "release_files_immutable",
          `${configuration.code} ${release.version} is no longer a draft and has another update file; publish a new release instead.`,
          { release: release.id, kind: UPDATE_DISTRIBUTION },
        );
      }
      replaced = (await catalogue.findDistributionOfKind(release.id, UPDATE_DISTRIBUTION))!.storageKey;
      await catalogue.deleteDistribution(previous.id);
    }
    await catalogue.insertDistribution(
      {
        id: randomUUID(),
        releaseId: release.id,
        kind: UPDATE_DISTRIBUTION,
        fileName: PACKAGE_FILE,
        size: input.size,
        sha256: input.sha256,
        storageKey,
        hashSum,
      },
      clock.now().toISOString(),
    );
    await audit.record(clock.now(), {
      actorId,
      action: "distribution.put",
      subject: `release:${release.id}`,
      details: {
        kind: UPDATE_DISTRIBUTION,
        fileName: PACKAGE_FILE,
        size: input.size,
        sha256: input.sha256,
        replaced: previous?.id ?? null,
        via: "import",
      },
    });
    if (!wasDraft) {
      await catalogue.bumpConfigurationRevision(configuration.code);
      changes.published.add(configuration.code);
    }
    changes.words.push(previous ? "update file replaced" : "update file stored");
    return replaced;
  }

  return {
    /** Imports one update package; nothing is written when it changes nothing. */
    async importPackage(input: PackageImport, actorId: string | null): Promise<ImportedRelease> {
      const { identity, facts } = await packageFacts(input.contents);
      const version = facts.version;
      let storageKey: string | null = null;
      let hashSum: string | null = null;
      if (await needsStoring(identity, version, input.sha256)) {
        storageKey = `distributions/imports/${randomUUID()}`;
        const stored = await blobs.put(storageKey, input.body(), { sha256: input.sha256 });
        try {
          hashSum = (await checkUpdatePackage(blobs, storageKey, stored.size, version)).hashSum;
        } catch (error) {
          await blobs.delete(storageKey);
          throw error;
        }
      }
      const changes = new Changes();
      let replaced: string | null = null;
      let configuration = identity.code;
      try {
        await conflictOnDuplicate(
          () =>
            inTransaction(db, async (repos) => {
              const { catalogue, audit } = repos;
              const found = await ensureConfiguration(repos, identity, changes, actorId);
              configuration = found.code;
              const release = await ensureRelease(repos, found, facts, changes, actorId);
              const kept = await putUpdateFile(
                repos,
                found,
                release,
                input,
                { storageKey, hashSum },
                changes,
                actorId,
              );
              replaced = kept === "stored" ? null : kept;
              if (input.publish && release.status === "draft") {
                await catalogue.markReleasePublished(release.id, clock.now().toISOString());
                await catalogue.bumpConfigurationRevision(found.code);
                await audit.record(clock.now(), {
                  actorId,
                  action: "release.publish",
                  subject: `release:${release.id}`,
                  details: { configuration: found.code, version, via: "import" },
                });
                changes.published.add(found.code);
                changes.words.push("published");
              }
            }),
          importRaced,
        );
      } catch (error) {
        if (storageKey !== null) await blobs.delete(storageKey);
        throw error;
      }
      if (replaced) await blobs.delete(replaced);
      for (const code of changes.published) await announcer.announceChange(code);
      return outcomeOf(configuration, version, changes);
    },

    /**
     * Imports an update list: every update's release, the versions it updates from and its minimum
     * platform. Releases it creates are drafts dated with the list's date (a list holds no
     * release dates) until their packages are imported.
     */
    async importUpdateList(list: UpdateList, actorId: string | null): Promise<ImportedRelease[]> {
      const entries = list.updates.map((update) => ({ update, identity: listedIdentity(update) }));
      const results: ImportedRelease[] = [];
      const published = new Set<string>();
      await conflictOnDuplicate(
        () =>
          inTransaction(db, async (repos) => {
            results.length = 0;
            for (const { update, identity } of entries) {
              const changes = new Changes();
              const configuration = await ensureConfiguration(repos, identity, changes, actorId);
              await ensureRelease(
                repos,
                configuration,
                {
                  version: update.version,
                  updateFrom: update.updateFrom,
                  releasedOn: null,
                  releasedOnIfNew: listDay(list.date),
                  minPlatformVersion: update.minPlatformVersion,
                  documents: {},
                },
                changes,
                actorId,
              );
              for (const code of changes.published) published.add(code);
              results.push(outcomeOf(configuration.code, update.version, changes));
            }
          }),
        importRaced,
      );
      for (const code of published) await announcer.announceChange(code);
      return results;
    },
  };
}

const importRaced = () =>
  conflict(
    "import_conflict",
    "The catalogue changed under this import (another import or upload at the same moment); run it again.",
  );

function outcomeOf(configuration: string, version: string, changes: Changes): ImportedRelease {
  const created = changes.words.includes("release created");
  return {
    configuration,
    version,
    outcome: created ? "created" : changes.words.length > 0 ? "updated" : "unchanged",
    changes: changes.words,
  };
}

export type CatalogueImportService = ReturnType<typeof createCatalogueImportService>;
