/**
 * Where updates come from: an Upkeep server (http/https, with the saved token) or a mirror folder
 * written by `upkeep-client mirror` (`file://DIR`). Both give the same catalogue shapes; a mirror
 * plans locally with the planner the server uses.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AppError } from "../domain/errors.ts";
import { describeUpdatePlan } from "../domain/plan-description.ts";
import { ReleaseGraph } from "../domain/update-planner.ts";
import { normalizeVersion } from "../domain/version.ts";
import { ApiClient, ApiError } from "./api.ts";
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
  readonly api: ApiClient | null;
  configurations(): Promise<Configuration[]>;
  configuration(code: string): Promise<Configuration>;
  /** Published releases, newest first. */
  releases(code: string): Promise<Release[]>;
  release(id: string): Promise<ReleaseWithDocuments>;
  plan(request: PlanRequest): Promise<Plan>;
}

export class ServerSource implements UpdateSource {
  readonly api: ApiClient;
  private configurationList: Promise<Configuration[]> | null = null;

  constructor(
    readonly server: string,
    token: string | null,
  ) {
    this.api = new ApiClient(server, token);
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
}

/** The same plan the server gives (src/services/updates.ts), over a list of published releases. */
export function planFromReleases(
  releases: readonly Release[],
  request: PlanRequest,
  download: DownloadVerdict,
): Plan {
  const graph = new ReleaseGraph(releases);
  if (!graph.newest) throw new ClientError(`${request.configuration} has no published release yet.`);
  try {
    const description = describeUpdatePlan(graph as typeof graph & { newest: Release }, {
      ...request,
      from: normalizeVersion(request.version),
    });
    return { ...description, download };
  } catch (error) {
    if (error instanceof AppError) throw new ClientError(error.message);
    throw error;
  }
}

export const MIRROR_INDEX = "mirror.json";

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
  readonly api = null;
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
    return planFromReleases(await this.releases(request.configuration), request, configuration.download);
  }
}

export function isApiError(error: unknown, status: number): error is ApiError {
  return error instanceof ApiError && error.status === status;
}
