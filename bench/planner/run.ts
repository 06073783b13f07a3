/**
 * Update planner benchmark: one planUpdate on a 5,000-release configuration must take well
 * under a millisecond (p99), since a graph is built once and serves many plans.
 *
 *   node --import tsx bench/planner/run.ts
 *
 * Compares against a naive planner that BFSes the raw release list, rebuilding the
 * adjacency for every plan, to show what the prebuilt index buys.
 */
import { type PlannableRelease, planUpdate, ReleaseGraph } from "../../src/domain/update-planner.ts";
import { randomGenerator } from "../support.ts";

const RELEASE_COUNT = 5_000;
const INDEXED_PLANS = 20_000;
const NAIVE_PLANS = 500;
const WARMUP_PLANS = 2_000;
const NAIVE_WARMUP_PLANS = 50;
const BUILD_RUNS = 5;
const GOAL_P99_MICROSECONDS = 1_000;
const SEED = 20_240_601;

interface SyntheticRelease extends PlannableRelease {
  readonly updateFrom: string[];
}

/**
 * Versions 3.0.x.y in release order, a new x every 10-30 releases; each release updates from
 * its last 1-6 predecessors and sometimes from interim builds published only to testers;
 * the minimum platform is absent on the oldest releases, then rises over time.
 */
function syntheticReleases(
  count: number,
  random: () => number,
): { releases: SyntheticRelease[]; interim: string[] } {
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const releases: SyntheticRelease[] = [];
  const interim: string[] = [];
  let minor = 1;
  let build = 1;
  let releasesLeftInMinor = between(10, 30);
  for (let index = 0; index < count; index++) {
    if (releasesLeftInMinor-- === 0) {
      minor++;
      build = between(1, 20);
      releasesLeftInMinor = between(10, 30);
    }
    const previousBuild = build;
    build += between(3, 12);
    const updateFrom = releases.slice(-between(1, 6)).map((earlier) => earlier.version);
    if (random() < 0.25) {
      const interimVersion = `3.0.${minor}.${between(previousBuild + 1, build - 1)}`;
      interim.push(interimVersion);
      updateFrom.push(interimVersion);
    }
    const platformStep = Math.floor(index / 400);
    releases.push({
      version: `3.0.${minor}.${build}`,
      updateFrom,
      minPlatformVersion: index < count / 10 ? null : `8.3.${5 + platformStep}.${1000 + 37 * platformStep}`,
    });
  }
  return { releases, interim };
}

/** The baseline: forward BFS over the raw list, building the successor map from scratch every time. */
function naiveShortestChainLength(
  releases: readonly PlannableRelease[],
  from: string,
  target: string,
): number | null {
  const successors = new Map<string, string[]>();
  for (const release of releases) {
    for (const version of release.updateFrom) {
      const list = successors.get(version);
      if (list) list.push(release.version);
      else successors.set(version, [release.version]);
    }
  }
  const distance = new Map([[from, 0]]);
  const queue = [from];
  for (let head = 0; head < queue.length; head++) {
    const version = queue[head]!;
    if (version === target) return distance.get(version)!;
    for (const next of successors.get(version) ?? []) {
      if (!distance.has(next)) {
        distance.set(next, distance.get(version)! + 1);
        queue.push(next);
      }
    }
  }
  return null;
}

function microseconds(startedAt: bigint): number {
  return Number(process.hrtime.bigint() - startedAt) / 1_000;
}

function percentile(sortedAscending: readonly number[], fraction: number): number {
  const index = Math.min(sortedAscending.length - 1, Math.ceil(fraction * sortedAscending.length) - 1);
  return sortedAscending[Math.max(0, index)]!;
}

const summary = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted.at(-1)! };
};
const format = (value: number) => value.toFixed(1).padStart(9);

const random = randomGenerator(SEED);
const { releases, interim } = syntheticReleases(RELEASE_COUNT, random);
const fromCandidates = [...releases.map((release) => release.version), ...interim];
const pickFrom = () => fromCandidates[Math.floor(random() * fromCandidates.length)]!;

const buildTimes: number[] = [];
let graph = new ReleaseGraph(releases);
for (let run = 0; run < BUILD_RUNS; run++) {
  const startedAt = process.hrtime.bigint();
  graph = new ReleaseGraph(releases);
  buildTimes.push(microseconds(startedAt) / 1_000);
}
const target = graph.newest!.version;

for (let i = 0; i < WARMUP_PLANS; i++) planUpdate(graph, { from: pickFrom() });

const indexedTimes: number[] = [];
const stepCounts: number[] = [];
let noPath = 0;
for (let i = 0; i < INDEXED_PLANS; i++) {
  const from = pickFrom();
  const startedAt = process.hrtime.bigint();
  const plan = planUpdate(graph, { from, platformVersion: "8.3.10.0" });
  indexedTimes.push(microseconds(startedAt));
  stepCounts.push(plan.steps.length);
  if (plan.status === "no-path") noPath++;
}

// The baseline is far slower, so it plans fewer requests; each answer is checked against the planner's.
for (let i = 0; i < NAIVE_WARMUP_PLANS; i++) naiveShortestChainLength(releases, pickFrom(), target);
const naiveTimes: number[] = [];
for (let i = 0; i < NAIVE_PLANS; i++) {
  const from = pickFrom();
  const startedAt = process.hrtime.bigint();
  const length = naiveShortestChainLength(releases, from, target);
  naiveTimes.push(microseconds(startedAt));
  const plan = planUpdate(graph, { from });
  const expected = plan.status === "no-path" ? null : plan.steps.length;
  if (length !== expected)
    throw new Error(`baseline disagrees from ${from}: ${length} steps, planner ${expected}`);
}

const indexed = summary(indexedTimes);
const naive = summary(naiveTimes);
const steps = summary(stepCounts);
const goalMet = indexed.p99 < GOAL_P99_MICROSECONDS;

console.log(`update planner benchmark (node ${process.version}, seed ${SEED})`);
console.log(
  `graph: ${releases.length} releases, ${interim.length} interim builds, ` +
    `${releases.reduce((sum, release) => sum + release.updateFrom.length, 0)} update-from edges, target ${target}`,
);
console.log(`graph build (median of ${BUILD_RUNS}): ${summary(buildTimes).median.toFixed(2)} ms`);
console.log(
  `chain length: median ${steps.median} steps, p99 ${steps.p99}, max ${steps.max}; no-path plans: ${noPath}`,
);
console.log("                         median µs    p99 µs     max µs");
console.log(
  `indexed (${INDEXED_PLANS} plans) ${format(indexed.median)} ${format(indexed.p99)} ${format(indexed.max)}`,
);
console.log(
  `naive   (${NAIVE_PLANS} plans)   ${format(naive.median)} ${format(naive.p99)} ${format(naive.max)}`,
);
console.log(
  `ratio naive/indexed: median ${(naive.median / indexed.median).toFixed(1)}x, p99 ${(naive.p99 / indexed.p99).toFixed(1)}x`,
);
console.log(
  `goal: p99 per plan < ${GOAL_P99_MICROSECONDS} µs -> ${goalMet ? "MET" : "NOT MET"} (p99 ${indexed.p99.toFixed(1)} µs)`,
);
