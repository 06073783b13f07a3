/**
 * Plans the chain of updates that brings an installed configuration to a target release.
 * Shared by the server (over published releases) and the offline client (over a templates
 * directory), so both always give the same answer.
 *
 * The graph's nodes are versions; an edge leads from version v to release r when r can be
 * applied on top of v (r.updateFrom contains v). The installed version need not be a
 * release: interim and preview builds appear only in other releases' updateFrom lists.
 */
import { badRequest, notFound } from "./errors.ts";
import { compareVersions, normalizeVersion, versionSortKey } from "./version.ts";

export interface PlannableRelease {
  readonly version: string;
  readonly updateFrom: readonly string[];
  readonly minPlatformVersion: string | null;
}

export type PlanStatus = "up-to-date" | "update-available" | "no-path";

export interface PlanStep<R> {
  readonly version: string;
  readonly minPlatformVersion: string | null;
  readonly release: R;
}

export interface UpdatePlan<R> {
  readonly status: PlanStatus;
  readonly from: string;
  readonly to: string | null;
  /** In the order they are applied. */
  readonly steps: readonly PlanStep<R>[];
  readonly platformUpgrade: null | { readonly requiredVersion: string };
}

export interface PlanRequest {
  readonly from: string;
  /** Defaults to the newest release in the graph. */
  readonly target?: string;
  /** The installed platform; when given, the plan says whether the chain needs a newer one. */
  readonly platformVersion?: string;
}

/**
 * An immutable, indexed view of a configuration's releases. Build it once and reuse it for
 * many plans: every index a plan needs is computed here, so a plan only walks integers.
 *
 * Node ids: releases take 0..size-1 in ascending version order (so a higher id is a newer
 * release), versions seen only in updateFrom lists take the ids after them.
 */
export class ReleaseGraph<R extends PlannableRelease> {
  readonly newest: R | null;
  readonly size: number;
  private readonly releasesByRank: readonly R[];
  /** One frozen step per release, shared by every plan that applies it. */
  private readonly stepsByRank: readonly PlanStep<R>[];
  private readonly nodeByVersion: ReadonlyMap<string, number>;
  private readonly nodeCount: number;
  // Adjacency in compressed form: the neighbours of node n are list[start[n]] .. list[start[n+1]-1].
  private readonly predecessorStart: Int32Array;
  private readonly predecessorList: Int32Array;
  /** Successors of each node: the releases applicable on top of it, newest first. */
  private readonly successorStart: Int32Array;
  private readonly successorList: Int32Array;

  constructor(releases: readonly R[]) {
    // The same versions recur in many updateFrom lists; each is parsed once.
    const normalized = new Map<string, string>();
    const normalize = (text: string, field: string) => {
      const known = normalized.get(text);
      if (known !== undefined) return known;
      const version = normalizeVersion(text, field);
      normalized.set(text, version);
      return version;
    };
    const entries = releases.map((release) => ({
      release,
      version: normalize(release.version, "version"),
      sortKey: versionSortKey(release.version),
      updateFrom: release.updateFrom.map((version) => normalize(version, "updateFrom")),
      minPlatformVersion:
        release.minPlatformVersion === null
          ? null
          : normalize(release.minPlatformVersion, "minPlatformVersion"),
    }));
    entries.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    for (let i = 1; i < entries.length; i++) {
      if (entries[i]!.version === entries[i - 1]!.version) {
        const version = entries[i]!.version;
        throw badRequest("duplicate_release", `Release ${version} is listed more than once`, { version });
      }
    }

    this.size = entries.length;
    this.releasesByRank = entries.map((entry) => entry.release);
    this.stepsByRank = entries.map(({ version, minPlatformVersion, release }) =>
      Object.freeze({ version, minPlatformVersion, release }),
    );
    this.newest = this.releasesByRank[this.size - 1] ?? null;

    const nodeByVersion = new Map<string, number>();
    for (const [rank, entry] of entries.entries()) nodeByVersion.set(entry.version, rank);
    for (const entry of entries) {
      for (const version of entry.updateFrom) {
        if (!nodeByVersion.has(version)) nodeByVersion.set(version, nodeByVersion.size);
      }
    }
    this.nodeByVersion = nodeByVersion;
    this.nodeCount = nodeByVersion.size;

    const predecessors = entries.map((entry, rank) => {
      const ids = new Set(entry.updateFrom.map((version) => nodeByVersion.get(version)!));
      ids.delete(rank); // a release "updating from itself" is no step at all
      return [...ids];
    });
    const successors: number[][] = Array.from({ length: this.nodeCount }, () => []);
    // Visiting releases newest first leaves every successor list sorted newest first.
    for (let rank = this.size - 1; rank >= 0; rank--) {
      for (const node of predecessors[rank]!) successors[node]!.push(rank);
    }
    [this.predecessorStart, this.predecessorList] = compress(predecessors, this.nodeCount);
    [this.successorStart, this.successorList] = compress(successors, this.nodeCount);
  }

  get(version: string): R | undefined {
    const node = this.nodeByVersion.get(version);
    return node !== undefined && node < this.size ? this.releasesByRank[node] : undefined;
  }

  /**
   * The fewest releases that lead from `from` to `target` (both canonical versions), in the
   * order they are applied, or null when no chain exists. Among equally short chains it
   * takes, at every step, the newest release that still lies on a shortest chain.
   */
  shortestChain(from: string, target: string): PlanStep<R>[] | null {
    const start = this.nodeByVersion.get(from);
    const goal = this.nodeByVersion.get(target);
    if (start === undefined || goal === undefined || goal >= this.size) return null;
    if (start === goal) return [];

    // Backward BFS from the target; stepsToGoal holds distance + 1 so that 0 means "not reached".
    const stepsToGoal = new Int32Array(this.nodeCount);
    const queue = new Int32Array(this.nodeCount);
    let head = 0;
    let tail = 0;
    stepsToGoal[goal] = 1;
    queue[tail++] = goal;
    // BFS discovers nodes level by level, so once `start` is reached every node closer to
    // the goal already has its final distance, which is all the forward walk reads.
    search: while (head < tail) {
      const node = queue[head++]!;
      const next = stepsToGoal[node]! + 1;
      for (let i = this.predecessorStart[node]!; i < this.predecessorStart[node + 1]!; i++) {
        const predecessor = this.predecessorList[i]!;
        if (stepsToGoal[predecessor] !== 0) continue;
        stepsToGoal[predecessor] = next;
        if (predecessor === start) break search;
        // Only releases have predecessors; other versions are ends of chains.
        if (predecessor < this.size) queue[tail++] = predecessor;
      }
    }
    if (stepsToGoal[start] === 0) return null;

    const steps: PlanStep<R>[] = [];
    let current = start;
    while (current !== goal) {
      const wanted = stepsToGoal[current]! - 1;
      let chosen = -1;
      for (let i = this.successorStart[current]!; i < this.successorStart[current + 1]!; i++) {
        const candidate = this.successorList[i]!;
        if (stepsToGoal[candidate] === wanted) {
          chosen = candidate;
          break;
        }
      }
      // Unreachable by construction: a node at distance d always has a successor at d - 1.
      if (chosen < 0) throw new Error(`update planner: broken chain at ${from}`);
      steps.push(this.stepsByRank[chosen]!);
      current = chosen;
    }
    return steps;
  }
}

function compress(lists: readonly (readonly number[])[], nodeCount: number): [Int32Array, Int32Array] {
  const start = new Int32Array(nodeCount + 1);
  for (let node = 0; node < nodeCount; node++) start[node + 1] = start[node]! + (lists[node]?.length ?? 0);
  const list = new Int32Array(start[nodeCount]!);
  for (let node = 0; node < lists.length; node++) list.set(lists[node]!, start[node]!);
  return [start, list];
}

export function planUpdate<R extends PlannableRelease>(
  graph: ReleaseGraph<R>,
  request: PlanRequest,
): UpdatePlan<R> {
  const from = normalizeVersion(request.from, "installedVersion");
  const platformVersion =
    request.platformVersion === undefined
      ? null
      : normalizeVersion(request.platformVersion, "platformVersion");
  const target = resolveTarget(graph, request.target);

  if (target === null) return { status: "no-path", from, to: null, steps: [], platformUpgrade: null };
  if (compareVersions(from, target) >= 0) {
    return { status: "up-to-date", from, to: target, steps: [], platformUpgrade: null };
  }
  const steps = graph.shortestChain(from, target);
  if (steps === null) return { status: "no-path", from, to: target, steps: [], platformUpgrade: null };
  return {
    status: "update-available",
    from,
    to: target,
    steps,
    platformUpgrade: platformUpgrade(steps, platformVersion),
  };
}

function resolveTarget(graph: ReleaseGraph<PlannableRelease>, requested: string | undefined): string | null {
  if (requested === undefined) {
    return graph.newest === null ? null : normalizeVersion(graph.newest.version, "version");
  }
  const target = normalizeVersion(requested, "target");
  if (!graph.get(target)) {
    throw notFound("unknown_target", `Target version ${target} is not a release of this configuration`, {
      target,
    });
  }
  return target;
}

function platformUpgrade(
  steps: readonly PlanStep<unknown>[],
  installed: string | null,
): UpdatePlan<unknown>["platformUpgrade"] {
  if (installed === null) return null;
  let required: string | null = null;
  for (const step of steps) {
    const minimum = step.minPlatformVersion;
    // Consecutive releases mostly share a minimum; comparing only on change keeps long chains cheap.
    if (minimum === null || minimum === required) continue;
    if (required === null || compareVersions(minimum, required) > 0) required = minimum;
  }
  if (required === null || compareVersions(installed, required) >= 0) return null;
  return { requiredVersion: required };
}
