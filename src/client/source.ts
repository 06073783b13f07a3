/**
 * Where updates come from: an Upkeep server (http/https, with the saved token) or a mirror folder
 * written by `upkeep-client mirror` (`file://DIR`). Both give the same catalogue shapes; a mirror
 * plans locally with the planner the server uses.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_PACKAGE_FORMAT, type PackageFormat } from "../domain/catalogue.ts";
import { describeUpdatePlan, whatsNewOfChain } from "../domain/plan-description.ts";
import { ReleaseGraph } from "../domain/update-planner.ts";
import { ApiClient } from "./api.ts";
import {
  copyFromMirror,
  type DownloadProgress,
  type DownloadResult,
  downloadDistribution,
  type Expected,
} from "./download.ts";
import { ClientError } from "./errors.ts";
import type {
  Configuration,
  DownloadVerdict,
  Plan,
  PlanRequest,
  Release,
  ReleaseWithDocuments,
} from "./types.ts";

export interface MirrorConfiguration extends Configuration {
  readonly download: DownloadVerdict;
}

export interface MirrorIndex {
  readonly format: 1;
  readonly createdAt: string;
  readonly server: string;
  readonly configurations: MirrorConfiguration[];
}

export interface UpdateSource {
  readonly server: string;
  /** Where the source's unsigned names (vendor, configuration code) come from, for refusals. */
  readonly origin: string;
  configurations(): Promise<Configuration[]>;
  configuration(code: string): Promise<Configuration>;
  /** Published releases, newest first. */
  releases(code: string): Promise<Release[]>;
  release(id: string): Promise<ReleaseWithDocuments>;
  plan(request: PlanRequest): Promise<Plan>;
  /** Fetches the TUF target `path` (distribution `distributionId`) into `<destination>.part`, unverified. */
  fetchTarget(
    path: string,
    distributionId: string,
    destination: string,
    expected: Expected,
    progress: DownloadProgress,
  ): Promise<DownloadResult>;
}

export class ServerSource implements UpdateSource {
  readonly api: ApiClient;
  readonly origin: string;
  private configurationList: Promise<Configuration[]> | null = null;

  constructor(
    readonly server: string,
    token: string | null,
  ) {
    this.api = new ApiClient(server, token);
    this.origin = `the server ${server}`;
  }

  configurations(): Promise<Configuration[]> {
    this.configurationList ??= this.api.json<Configuration[]>("GET", "/api/v1/configurations");
    return this.configurationList;
  }

  async configuration(code: string): Promise<Configuration> {
    const found = (await this.configurations()).find((c) => c.code === code);
    if (!found) throw new ClientError(`${this.server} lists no configuration ${code} for this account.`);
    return found;
  }

  releases(code: string): Promise<Release[]> {
    return this.api.json("GET", `/api/v1/configurations/${encodeURIComponent(code)}/releases`);
  }

  release(id: string): Promise<ReleaseWithDocuments> {
    return this.api.json("GET", `/api/v1/releases/${encodeURIComponent(id)}`);
  }

  plan(request: PlanRequest): Promise<Plan> {
    return this.api.json("POST", "/api/v1/updates/plan", request, "Planning the update");
  }

  fetchTarget(
    _path: string,
    distributionId: string,
    destination: string,
    expected: Expected,
    progress: DownloadProgress,
  ): Promise<DownloadResult> {
    return downloadDistribution(this.api, distributionId, destination, expected, progress);
  }
}

/**
 * The same plan the server gives (src/services/updates.ts), over a list of published releases;
 * `whatsNewOf` gives a release's what's new document by id.
 */
export function planFromReleases(
  releases: readonly Release[],
  request: PlanRequest,
  download: DownloadVerdict,
  packageFormat: PackageFormat = DEFAULT_PACKAGE_FORMAT,
  whatsNewOf: (releaseId: string) => string | null | undefined = () => null,
): Plan {
  const chain = describeUpdatePlan(new ReleaseGraph(releases), request, packageFormat);
  return { ...chain, whatsNew: whatsNewOfChain(chain.steps, whatsNewOf), download };
}

const MIRROR_INDEX = "mirror.json";

export function mirrorPaths(root: string) {
  return {
    index: join(root, MIRROR_INDEX),
    releases: (code: string) => join(root, "configurations", code, "releases.json"),
    release: (id: string) => join(root, "releases", `${id}.json`),
    tuf: join(root, "tuf"),
    target: (path: string) => join(root, "tuf", "targets", path),
  };
}

export class MirrorSource implements UpdateSource {
  readonly origin = `the mirror's ${MIRROR_INDEX}`;
  private readonly root: string;
  private index: MirrorIndex | null = null;

  constructor(readonly server: string) {
    this.root = fileURLToPath(server);
  }

  private read<T>(path: string, what: string): T {
    if (!existsSync(path)) throw new ClientError(`The mirror ${this.root} has no ${what} (${path}).`);
    try {
      return JSON.parse(readFileSync(path, "utf8")) as T;
    } catch (error) {
      throw new ClientError(`The mirror file ${path} is unreadable: ${error}`);
    }
  }

  private mirrorIndex(): MirrorIndex {
    this.index ??= this.read<MirrorIndex>(
      mirrorPaths(this.root).index,
      "mirror.json: is it a mirror folder?",
    );
    return this.index;
  }

  async configurations(): Promise<Configuration[]> {
    return this.mirrorIndex().configurations;
  }

  async configuration(code: string): Promise<MirrorConfiguration> {
    const found = this.mirrorIndex().configurations.find((c) => c.code === code);
    if (!found) throw new ClientError(`The mirror ${this.root} holds no configuration ${code}.`);
    return found;
  }

  async releases(code: string): Promise<Release[]> {
    await this.configuration(code);
    return this.read(mirrorPaths(this.root).releases(code), `release list of ${code}`);
  }

  async release(id: string): Promise<ReleaseWithDocuments> {
    return this.read(mirrorPaths(this.root).release(id), `release ${id}`);
  }

  async plan(request: PlanRequest): Promise<Plan> {
    const configuration = await this.configuration(request.configuration);
    // A mirror written before configurations had a package format holds 1c configurations only.
    return planFromReleases(
      await this.releases(request.configuration),
      request,
      configuration.download,
      configuration.packageFormat ?? DEFAULT_PACKAGE_FORMAT,
      // The mirror holds every release it lists with its documents.
      (id) =>
        this.read<ReleaseWithDocuments>(mirrorPaths(this.root).release(id), `release ${id}`).documents
          ?.whatsNew,
    );
  }

  async fetchTarget(
    path: string,
    _distributionId: string,
    destination: string,
    expected: Expected,
    progress: DownloadProgress,
  ): Promise<DownloadResult> {
    const file = mirrorPaths(this.root).target(path);
    if (!existsSync(file)) {
      throw new ClientError(`The mirror ${this.server} does not hold ${path}; refresh the mirror.`);
    }
    return copyFromMirror(file, destination, expected, progress);
  }
}
