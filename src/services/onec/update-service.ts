/**
 * The update service 1C programs' online-support library and third-party downloaders talk to
 * (`/update-platform/...`), over the same catalogue, planner, accounts and entitlement rules as the
 * API. Field names, order and types are the protocol's: answers are built as object literals in
 * the protocol's key order, and optional parts are left out rather than sent as null.
 */
import type { Configuration, Distribution, Release } from "../../contract/catalogue.ts";
import { UPDATE_DISTRIBUTION } from "../../domain/catalogue.ts";
import { AppError, badRequest, notFound } from "../../domain/errors.ts";
import { compareVersions, isVersion, parseVersion } from "../../domain/version.ts";
import { feedPath, PACKAGE_FILE, templatePath } from "../../formats/onec/layout.ts";
import { UPDATE_FILE } from "../../formats/onec/update-package.ts";
import type { AccountsService, User } from "../accounts.ts";
import type { CatalogueService } from "../catalogue/index.ts";
import type { Plan, UpdatesService } from "../updates.ts";
import { FEED_ROOT } from "./feed.ts";
import { type MessageLanguage, message } from "./messages.ts";

export const UPDATE_TYPES = [
  "NewConfigurationAndOrPlatform",
  "NewProgramOrRedaction",
  "NewPlatform",
] as const;
export type UpdateType = (typeof UPDATE_TYPES)[number];

export interface InfoRequest {
  readonly programName: string;
  readonly versionNumber: string;
  readonly platformVersion?: string | null;
  readonly programNewName?: string | null;
  readonly redactionNumber?: string | null;
  readonly updateType?: string | null;
}

export interface ConfigurationUpdateResponse {
  configurationVersion: string;
  size: number;
  platformVersion: string;
  updateInfoUrl: string;
  howToUpdateInfoUrl: string;
  upgradeSequence: string[];
  programVersionUin: string;
}

export interface PlatformUpdateResponse {
  platformVersion: string;
  transitionInfoUrl: string;
  releaseUrl: string;
  distributionUin: string;
  size: number;
  recommended: boolean;
}

export interface InfoResponse {
  configurationUpdateResponse: ConfigurationUpdateResponse;
  platformUpdateResponse?: PlatformUpdateResponse;
  additionalReleaseUpdate: never[];
}

export interface UpdateRequest {
  readonly upgradeSequence?: readonly string[] | null;
  readonly programVersionUin?: string | null;
  readonly platformDistributionUin?: string | null;
  readonly login: string;
  readonly password: string;
}

export interface ConfigurationUpdateData {
  templatePath: string;
  executeUpdateProcess: boolean;
  updateFileUrl: string;
  updateFileName: string;
  updateFileFormat: string;
  size: number;
  hashSum: string;
}

export type UpdateResponse =
  | { configurationUpdateDataList: ConfigurationUpdateData[]; platformDistributionUrl: string }
  | RefusalResponse;

export interface RefusalResponse {
  errorName: string;
  errorMessage: string;
}

export interface PlatformInfo {
  platformVersionMin: string;
  platformVersionRecommended: string;
}

/** Where the update service lets a client fetch a platform installer (HTTP Basic, like the feed's packages). */
export const PLATFORM_FILES_PATH = "/update-platform/files";

const NO_UPDATE: ConfigurationUpdateResponse = Object.freeze({
  configurationVersion: "",
  size: 0,
  platformVersion: "",
  updateInfoUrl: "",
  howToUpdateInfoUrl: "",
  upgradeSequence: [],
  programVersionUin: "",
}) as ConfigurationUpdateResponse;

/** How long a node trusts its list of configurations (program names, platforms) without a change of its own. */
const CONFIGURATIONS_TTL_MS = 5_000;

export interface UpdateServiceDeps {
  readonly catalogue: Pick<
    CatalogueService,
    "listConfigurations" | "onChange" | "distributionForViewer" | "getDistribution"
  >;
  readonly updates: Pick<
    UpdatesService,
    "plan" | "cachedPlan" | "publishedReleases" | "keptPublishedReleases"
  >;
  readonly accounts: Pick<AccountsService, "authenticate">;
  readonly publicUrl: string;
}

export type UpdateService = ReturnType<typeof createUpdateService>;

const unknownProgram = (programName: string) =>
  notFound("unknown_program", `There is no program ${programName}.`, { programName });
const unknownVersion = (programName: string, version: string) =>
  notFound("unknown_version", `${programName} has no version ${version}.`, { programName, version });

const MAX_KEPT_ANSWERS = 50_000;

/** Everything of an info request its answer depends on. */
const infoKey = (r: InfoRequest) =>
  [
    r.programName,
    r.versionNumber,
    r.platformVersion ?? "",
    r.updateType ?? "",
    r.programNewName ?? "",
    r.redactionNumber ?? "",
  ].join("\u0000");

const edition = (version: string) => parseVersion(version).slice(0, 2).join(".");

export function createUpdateService(deps: UpdateServiceDeps) {
  const { catalogue, updates, accounts, publicUrl } = deps;
  let configurations: {
    at: number;
    list: Promise<Configuration[]>;
    byName: Promise<Map<string, Configuration>>;
  } | null = null;
  catalogue.onChange(() => {
    configurations = null;
    keptAnswers.clear();
  });
  // Versions a configuration knows (releases and the versions they update from), per release list.
  const knownVersions = new WeakMap<readonly Release[], Set<string>>();
  const newestByEdition = new WeakMap<readonly Release[], Map<string, string>>();
  const answers = new WeakMap<Plan, ConfigurationUpdateResponse>();
  // Whole info answers, for the busiest call: valid while the program's kept releases are the same
  // list (its revision) and for CONFIGURATIONS_TTL_MS at most (platform releases of other nodes).
  const keptAnswers = new Map<
    string,
    {
      readonly code: string;
      readonly releases: readonly Release[];
      readonly at: number;
      readonly answer: InfoResponse;
    }
  >();

  function cachedConfigurations() {
    const now = performance.now();
    if (!configurations || now - configurations.at >= CONFIGURATIONS_TTL_MS) {
      const list = catalogue.listConfigurations();
      // Programs by code, then by their own name where no code is spelt so.
      const byName = list.then((all) => {
        const programs = all.filter((c) => c.kind !== "platform");
        const map = new Map<string, Configuration>();
        for (const c of programs) if (c.programName !== null) map.set(c.programName, c);
        for (const c of programs) map.set(c.code, c);
        return map;
      });
      configurations = { at: now, list, byName };
      byName.catch(() => {
        if (configurations?.list === list) configurations = null;
      });
    }
    return configurations;
  }

  const allConfigurations = (): Promise<Configuration[]> => cachedConfigurations().list;

  /** A configuration by its code or its own (1C) name. */
  async function program(programName: unknown): Promise<Configuration> {
    if (typeof programName !== "string" || programName === "") {
      throw badRequest("invalid_program_name", "programName must be a configuration's name.");
    }
    const found = (await cachedConfigurations().byName).get(programName);
    if (!found) throw unknownProgram(programName);
    return found;
  }

  function versionOf(value: unknown, field: string): string {
    if (typeof value !== "string" || !isVersion(value)) {
      throw badRequest("invalid_version", `${field} must be a version such as 3.0.23.148.`, { field });
    }
    return parseVersion(value).join(".");
  }

  /** The configuration's published releases, from the planner's cache as the plan route takes them. */
  const releasesOf = async (code: string) =>
    updates.keptPublishedReleases(code) ?? (await updates.publishedReleases(code));

  async function isKnownVersion(code: string, version: string): Promise<boolean> {
    const releases = await releasesOf(code);
    let known = knownVersions.get(releases);
    if (!known) {
      known = new Set(releases.flatMap((release) => [release.version, ...release.updateFrom]));
      knownVersions.set(releases, known);
    }
    return known.has(version);
  }

  const releaseUrl = (code: string, version: string) =>
    `${publicUrl}/configurations/${encodeURIComponent(code)}/releases/${version}`;

  /** The newest published platform release at or above `required` (any platform configuration). */
  async function platformRelease(
    required: string,
  ): Promise<{ configuration: Configuration; release: Release; installer: Distribution | null } | null> {
    let best: { configuration: Configuration; release: Release } | null = null;
    for (const configuration of (await allConfigurations()).filter((c) => c.kind === "platform")) {
      const [newest] = await releasesOf(configuration.code);
      if (newest && compareVersions(newest.version, required) >= 0) {
        if (!best || compareVersions(newest.version, best.release.version) > 0)
          best = { configuration, release: newest };
      }
    }
    if (!best) return null;
    const installers = best.release.distributions;
    const installer = installers.find((d) => d.kind === "platform-windows-x64") ?? installers[0] ?? null;
    return { ...best, installer };
  }

  async function platformUpdate(
    required: string,
    recommended: boolean,
  ): Promise<PlatformUpdateResponse | null> {
    const found = await platformRelease(required);
    if (!found) return null;
    const url = releaseUrl(found.configuration.code, found.release.version);
    return {
      platformVersion: found.release.version,
      transitionInfoUrl: url,
      releaseUrl: url,
      distributionUin: found.installer?.id ?? "",
      size: found.installer?.size ?? 0,
      recommended,
    };
  }

  /** The chain to `target`, cut before the first release without its update file (a client cannot fetch it). */
  async function configurationUpdate(
    configuration: Configuration,
    version: string,
    platformVersion: string | null,
    target: string | null,
  ): Promise<ConfigurationUpdateResponse> {
    if (target === null || compareVersions(target, version) <= 0) return NO_UPDATE;
    const request = {
      configuration: configuration.code,
      version,
      target,
      ...(platformVersion ? { platformVersion } : {}),
    };
    const plan = updates.cachedPlan(request) ?? (await updates.plan(request));
    let answer = answers.get(plan);
    if (!answer) {
      answer = describe(configuration, plan);
      answers.set(plan, answer);
    }
    return answer;
  }

  /** The protocol's view of a plan; kept with the plan (the planner keeps plans per catalogue revision). */
  function describe(configuration: Configuration, plan: Plan): ConfigurationUpdateResponse {
    if (plan.status !== "update-available") return NO_UPDATE;
    const firstMissing = plan.steps.findIndex((step) => step.distribution === null);
    const steps = firstMissing < 0 ? plan.steps : plan.steps.slice(0, firstMissing);
    const last = steps.at(-1);
    if (!last) return NO_UPDATE;
    const minimum = steps
      .map((step) => step.minPlatformVersion)
      .filter((v): v is string => v !== null)
      .sort(compareVersions)
      .at(-1);
    const url = releaseUrl(configuration.code, last.version);
    return {
      configurationVersion: last.version,
      size: steps.reduce((sum, step) => sum + step.distribution!.size, 0),
      platformVersion: minimum ?? "",
      updateInfoUrl: url,
      howToUpdateInfoUrl: `${url}#update-order`,
      upgradeSequence: steps.map((step) => step.distribution!.id),
      programVersionUin: last.releaseId,
    };
  }

  /** The newest published release of an edition (`3.0`), or null. */
  async function newestOfEdition(code: string, wanted: string): Promise<string | null> {
    const releases = await releasesOf(code);
    let newest = newestByEdition.get(releases);
    if (!newest) {
      newest = new Map();
      // Newest first: the first release of an edition is its newest.
      for (const release of releases) {
        const key = edition(release.version);
        if (!newest.has(key)) newest.set(key, release.version);
      }
      newestByEdition.set(releases, newest);
    }
    return newest.get(wanted) ?? null;
  }

  return {
    /** The info answer already given to the same request, without waiting for anything; undefined if none is kept. */
    keptInfo(request: InfoRequest): InfoResponse | undefined {
      const kept = keptAnswers.get(infoKey(request));
      if (!kept || performance.now() - kept.at >= CONFIGURATIONS_TTL_MS) return undefined;
      return updates.keptPublishedReleases(kept.code) === kept.releases ? kept.answer : undefined;
    },

    /** POST programs/update/info */
    async info(request: InfoRequest): Promise<InfoResponse> {
      const configuration = await program(request.programName);
      const releases = await releasesOf(configuration.code);
      const version = versionOf(request.versionNumber, "versionNumber");
      const platformVersion =
        request.platformVersion == null || request.platformVersion === ""
          ? null
          : versionOf(request.platformVersion, "platformVersion");
      const updateType = request.updateType ?? "NewConfigurationAndOrPlatform";
      if (!(UPDATE_TYPES as readonly unknown[]).includes(updateType)) {
        throw badRequest("invalid_update_type", `updateType is one of ${UPDATE_TYPES.join(", ")}.`);
      }
      if (!(await isKnownVersion(configuration.code, version))) {
        throw unknownVersion(String(request.programName), version);
      }
      let update = NO_UPDATE;
      if (updateType === "NewConfigurationAndOrPlatform") {
        const target = await newestOfEdition(configuration.code, edition(version));
        update = await configurationUpdate(configuration, version, platformVersion, target);
      } else if (updateType === "NewProgramOrRedaction") {
        if (request.programNewName && (await program(request.programNewName)).code !== configuration.code) {
          // Moving to another program is a new purchase, not an update this service plans.
          update = NO_UPDATE;
        } else {
          const redaction = request.redactionNumber?.trim() || edition(version);
          const target = /^\d+\.\d+$/.test(redaction)
            ? await newestOfEdition(configuration.code, redaction)
            : null;
          update = await configurationUpdate(configuration, version, platformVersion, target);
        }
      }
      const answer: InfoResponse = { configurationUpdateResponse: update } as InfoResponse;
      if (platformVersion !== null) {
        const required = update.platformVersion;
        const platform =
          updateType === "NewPlatform"
            ? await platformUpdate(platformVersion, false)
            : required !== "" && compareVersions(required, platformVersion) > 0
              ? await platformUpdate(required, true)
              : null;
        if (platform && compareVersions(platform.platformVersion, platformVersion) > 0) {
          answer.platformUpdateResponse = platform;
        }
      }
      answer.additionalReleaseUpdate = [];
      if (keptAnswers.size >= MAX_KEPT_ANSWERS) keptAnswers.clear();
      keptAnswers.set(infoKey(request), {
        code: configuration.code,
        releases,
        at: performance.now(),
        answer,
      });
      return answer;
    },

    /** POST programs/update/: the files of a sequence, for an account that may download them. */
    async update(request: UpdateRequest, language: MessageLanguage): Promise<UpdateResponse> {
      let user: User;
      try {
        user = await accounts.authenticate(request.login, request.password);
      } catch (error) {
        return refusal(error, language);
      }
      const sequence = request.upgradeSequence ?? [];
      const list: ConfigurationUpdateData[] = [];
      try {
        for (const id of sequence) list.push(await updateData(id, user));
        const platformDistributionUrl = request.platformDistributionUin
          ? await platformUrl(request.platformDistributionUin, user)
          : "";
        return { configurationUpdateDataList: list, platformDistributionUrl };
      } catch (error) {
        return refusal(error, language);
      }
    },

    /** POST platform/getInfo */
    async platformInfo(request: { programName: unknown; versionNumber: unknown }): Promise<PlatformInfo[]> {
      const configuration = await program(request.programName);
      const version = versionOf(request.versionNumber, "versionNumber");
      const releases = await releasesOf(configuration.code);
      const release = releases.find((candidate) => candidate.version === version);
      if (!release) throw unknownVersion(String(request.programName), version);
      const minimum = release.minPlatformVersion ?? "";
      const recommended = minimum === "" ? null : await platformRelease(minimum);
      const sameLine =
        recommended && edition(recommended.release.version) === edition(minimum)
          ? recommended.release.version
          : minimum;
      return [{ platformVersionMin: minimum, platformVersionRecommended: sameLine }];
    },
  };

  async function updateData(id: unknown, user: User): Promise<ConfigurationUpdateData> {
    if (typeof id !== "string" || !/^[0-9a-f-]{36}$/i.test(id)) throw updateNotFound(String(id));
    const distribution = await viewable(id, user);
    const releases = await releasesOf(distribution.configuration);
    const release = releases.find((candidate) => candidate.id === distribution.releaseId);
    if (distribution.kind !== UPDATE_DISTRIBUTION || !release) throw updateNotFound(id);
    const configuration = (await allConfigurations()).find((c) => c.code === distribution.configuration);
    if (!configuration) throw updateNotFound(id);
    const destination = { vendorFolder: configuration.vendor.toLowerCase(), code: configuration.code };
    return {
      templatePath: templatePath(destination, release.version),
      executeUpdateProcess: true,
      updateFileUrl: `${publicUrl}/${feedPath({ vendorFolder: FEED_ROOT, code: configuration.code }, release.version, PACKAGE_FILE)}`,
      updateFileName: UPDATE_FILE,
      updateFileFormat: "ZIP",
      size: distribution.size,
      hashSum: distribution.hashSum ?? "",
    };
  }

  async function platformUrl(id: string, user: User): Promise<string> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw updateNotFound(id);
    const distribution = await viewable(id, user);
    return `${publicUrl}${PLATFORM_FILES_PATH}/${distribution.id}/${encodeURIComponent(distribution.fileName)}`;
  }

  /** The distribution if the user may download it; an unknown one or one they may not see is "not found". */
  async function viewable(id: string, user: User) {
    try {
      return await catalogue.distributionForViewer(id, user);
    } catch (error) {
      if (error instanceof AppError && error.kind === "not_found") throw updateNotFound(id);
      throw error;
    }
  }

  function refusal(error: unknown, language: MessageLanguage): RefusalResponse {
    if (!(error instanceof AppError)) throw error;
    const details = (error.details ?? {}) as Record<string, unknown>;
    switch (error.code) {
      case "invalid_credentials":
        return message(language, "LoginError", details);
      case "not_active_yet":
        return message(language, "AccountNotActiveError", details);
      case "not_registered":
        return message(language, "NotRegisteredError", details);
      case "support_subscription_required":
        return message(language, "SupportSubscriptionRequiredError", details);
      case "update_not_found":
        return message(language, "UpdateNotFoundError", details);
      default:
        throw error;
    }
  }
}

const updateNotFound = (id: string) =>
  notFound("update_not_found", `There is no update ${id} you may download.`, { id });
