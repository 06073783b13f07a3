import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { AppError } from "../../src/domain/errors.ts";
import { describeUpdatePlan } from "../../src/domain/plan-description.ts";
import {
  type PlannableRelease,
  planUpdate,
  ReleaseGraph,
  type UpdatePlan,
} from "../../src/domain/update-planner.ts";
import { compareVersions } from "../../src/domain/version.ts";
import { readUpdateList } from "../../src/formats/onec/update-list.ts";

interface TestRelease extends PlannableRelease {
  readonly label: string;
}

function release(
  version: string,
  updateFrom: string[],
  minPlatformVersion: string | null = null,
): TestRelease {
  return { version, updateFrom, minPlatformVersion, label: `release ${version}` };
}

const versionsOf = (plan: UpdatePlan<unknown>) => plan.steps.map((step) => step.version);

function assertAppError(action: () => unknown, kind: string, code: string, field?: string) {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof AppError, "expected an AppError");
    assert.equal(error.kind, kind);
    assert.equal(error.code, code);
    if (field !== undefined) assert.equal(error.details.field, field);
    return true;
  });
}

/** Every step must apply on top of the version before it, starting from `from`, ending at `to`. */
function assertAppliesInOrder(plan: UpdatePlan<PlannableRelease>) {
  let installed = plan.from;
  for (const step of plan.steps) {
    assert.equal(step.version, step.release.version);
    assert.ok(
      step.release.updateFrom.includes(installed),
      `${step.version} does not update from ${installed}`,
    );
    installed = step.version;
  }
  if (plan.status === "update-available") assert.equal(installed, plan.to);
}

// 1.0.0.0 --> 1.0.1.0 --> 1.0.2.0 --> 1.0.3.0, each release updating only from the one before.
const linear = [
  release("1.0.1.0", ["1.0.0.0"]),
  release("1.0.2.0", ["1.0.1.0"]),
  release("1.0.3.0", ["1.0.2.0"]),
];

describe("ReleaseGraph", () => {
  it("finds the newest release by version, not by input order or text", () => {
    const graph = new ReleaseGraph([release("3.0.10.1", ["3.0.9.5"]), release("3.0.9.5", [])]);
    assert.equal(graph.newest?.version, "3.0.10.1");
    assert.equal(new ReleaseGraph([]).newest, null);
  });

  it("looks releases up by version and knows interim builds are not releases", () => {
    const releases = [release("1.0.1.0", ["1.0.0.7"])];
    const graph = new ReleaseGraph(releases);
    assert.equal(graph.get("1.0.1.0"), releases[0]);
    assert.equal(graph.get("1.0.0.7"), undefined);
    assert.equal(graph.get("9.9.9.9"), undefined);
  });

  it("rejects a version listed twice with duplicate_release", () => {
    assertAppError(
      () =>
        new ReleaseGraph([release("1.0.1.0", []), release("1.0.2.0", []), release("1.0.1.0", ["1.0.0.0"])]),
      "bad_request",
      "duplicate_release",
    );
  });

  it("rejects malformed versions anywhere in the releases", () => {
    assertAppError(
      () => new ReleaseGraph([release("1.0.1", [])]),
      "bad_request",
      "invalid_version",
      "version",
    );
    assertAppError(
      () => new ReleaseGraph([release("1.0.1.0", ["1.0.0"])]),
      "bad_request",
      "invalid_version",
      "updateFrom",
    );
    assertAppError(
      () => new ReleaseGraph([release("1.0.1.0", [], "8.3")]),
      "bad_request",
      "invalid_version",
      "minPlatformVersion",
    );
  });
});

describe("planUpdate", () => {
  it("reports up-to-date when the installed version is the target", () => {
    const plan = planUpdate(new ReleaseGraph(linear), { from: "1.0.3.0" });
    assert.deepEqual(plan, {
      status: "up-to-date",
      from: "1.0.3.0",
      to: "1.0.3.0",
      steps: [],
      platformUpgrade: null,
    });
  });

  it("reports up-to-date when the installed version is newer than the target", () => {
    const graph = new ReleaseGraph(linear);
    const preview = planUpdate(graph, { from: "1.0.10.0" });
    assert.equal(preview.status, "up-to-date");
    assert.equal(preview.to, "1.0.3.0");
    assert.deepEqual(preview.steps, []);
    const pastExplicitTarget = planUpdate(graph, { from: "1.0.2.0", target: "1.0.1.0" });
    assert.equal(pastExplicitTarget.status, "up-to-date");
    assert.equal(pastExplicitTarget.to, "1.0.1.0");
  });

  it("follows a simple chain to the newest release, in the order the steps are applied", () => {
    const plan = planUpdate(new ReleaseGraph(linear), { from: "1.0.0.0" });
    assert.equal(plan.status, "update-available");
    assert.equal(plan.from, "1.0.0.0");
    assert.equal(plan.to, "1.0.3.0");
    assert.deepEqual(versionsOf(plan), ["1.0.1.0", "1.0.2.0", "1.0.3.0"]);
    assert.equal(plan.platformUpgrade, null);
    assertAppliesInOrder(plan);
  });

  it("returns the caller's own release objects in the steps", () => {
    const releases = [...linear].reverse();
    const plan = planUpdate(new ReleaseGraph(releases), { from: "1.0.1.0" });
    assert.equal(plan.steps[0]!.release, releases[1]);
    assert.equal(plan.steps[1]!.release, releases[0]);
    assert.equal(plan.steps[1]!.release.label, "release 1.0.3.0");
  });

  it("skips intermediate releases when a later one updates straight from the installed one", () => {
    const graph = new ReleaseGraph([
      release("1.0.1.0", ["1.0.0.0"]),
      release("1.0.2.0", ["1.0.1.0"]),
      release("1.0.3.0", ["1.0.2.0"]),
      release("1.0.4.0", ["1.0.1.0", "1.0.3.0"]),
    ]);
    assert.deepEqual(versionsOf(planUpdate(graph, { from: "1.0.0.0" })), ["1.0.1.0", "1.0.4.0"]);
    assert.deepEqual(versionsOf(planUpdate(graph, { from: "1.0.1.0" })), ["1.0.4.0"]);
    assert.deepEqual(versionsOf(planUpdate(graph, { from: "1.0.2.0" })), ["1.0.3.0", "1.0.4.0"]);
  });

  it("takes the fewest steps even when the newest applicable release leads the long way", () => {
    // A client taking the newest applicable update would go 1.0.5.0 -> 1.0.8.0 -> 1.0.9.0.
    const graph = new ReleaseGraph([
      release("1.0.1.0", ["1.0.0.0"]),
      release("1.0.5.0", ["1.0.0.0"]),
      release("1.0.8.0", ["1.0.5.0"]),
      release("1.0.9.0", ["1.0.1.0", "1.0.8.0"]),
    ]);
    assert.deepEqual(versionsOf(planUpdate(graph, { from: "1.0.0.0" })), ["1.0.1.0", "1.0.9.0"]);

    // Here the newer 1.0.2.0 is exactly as far from the target as the installed version itself.
    const sibling = new ReleaseGraph([
      release("1.0.1.0", ["1.0.0.0"]),
      release("1.0.2.0", ["1.0.0.0"]),
      release("1.0.2.5", ["1.0.2.0"]),
      release("1.0.3.0", ["1.0.2.5", "1.0.1.0"]),
    ]);
    assert.deepEqual(versionsOf(planUpdate(sibling, { from: "1.0.0.0" })), ["1.0.1.0", "1.0.3.0"]);
    assert.deepEqual(versionsOf(planUpdate(sibling, { from: "1.0.2.0" })), ["1.0.2.5", "1.0.3.0"]);
  });

  it("breaks ties between equally short chains toward the newer release at every step", () => {
    const releases = [
      release("1.0.1.0", ["1.0.0.0"]),
      release("1.0.2.0", ["1.0.0.0"]),
      release("1.0.3.0", ["1.0.1.0", "1.0.2.0"]),
      release("1.0.4.0", ["1.0.1.0", "1.0.2.0"]),
      release("1.0.5.0", ["1.0.3.0", "1.0.4.0"]),
    ];
    for (const order of [releases, [...releases].reverse()]) {
      const plan = planUpdate(new ReleaseGraph(order), { from: "1.0.0.0" });
      assert.deepEqual(versionsOf(plan), ["1.0.2.0", "1.0.4.0", "1.0.5.0"]);
    }
  });

  it("prefers a newer release only while it stays on a shortest chain", () => {
    // 1.0.2.0 is newer than 1.0.1.0 but needs two more steps from there, 1.0.1.0 only one.
    const graph = new ReleaseGraph([
      release("1.0.1.0", ["1.0.0.0"]),
      release("1.0.2.0", ["1.0.0.0"]),
      release("1.0.3.0", ["1.0.2.0"]),
      release("1.0.4.0", ["1.0.1.0", "1.0.3.0"]),
    ]);
    assert.deepEqual(versionsOf(planUpdate(graph, { from: "1.0.0.0" })), ["1.0.1.0", "1.0.4.0"]);
  });

  it("starts from an interim build that is not itself a release", () => {
    const graph = new ReleaseGraph([
      release("1.0.1.0", ["1.0.0.0", "1.0.0.9"]),
      release("1.0.2.0", ["1.0.1.0", "1.0.1.3"]),
    ]);
    assert.equal(graph.get("1.0.1.3"), undefined);
    const plan = planUpdate(graph, { from: "1.0.1.3" });
    assert.equal(plan.status, "update-available");
    assert.deepEqual(versionsOf(plan), ["1.0.2.0"]);
    assert.deepEqual(versionsOf(planUpdate(graph, { from: "1.0.0.9" })), ["1.0.1.0", "1.0.2.0"]);
  });

  it("reports no-path, never a guess, when no chain reaches the target", () => {
    const graph = new ReleaseGraph([
      release("1.0.1.0", ["1.0.0.0"]),
      release("1.0.2.0", ["1.0.0.0"]), // a dead branch: nothing updates from 1.0.2.0
      release("1.0.3.0", ["1.0.1.0"]),
    ]);
    const unknown = planUpdate(graph, { from: "0.9.0.0" });
    assert.deepEqual(unknown, {
      status: "no-path",
      from: "0.9.0.0",
      to: "1.0.3.0",
      steps: [],
      platformUpgrade: null,
    });
    const deadBranch = planUpdate(graph, { from: "1.0.2.0", platformVersion: "1.0.0.0" });
    assert.deepEqual(deadBranch, {
      status: "no-path",
      from: "1.0.2.0",
      to: "1.0.3.0",
      steps: [],
      platformUpgrade: null,
    });
    // An update list pointing the wrong way (older from newer) is no way forward either.
    const backwards = new ReleaseGraph([release("1.0.1.0", ["1.0.2.0"]), release("1.0.2.0", [])]);
    assert.equal(planUpdate(backwards, { from: "1.0.0.0" }).status, "no-path");
  });

  it("reports no-path when the installed version updates only into the oldest release, a dead end", () => {
    const graph = new ReleaseGraph([
      release("1.0.1.0", ["1.0.0.0"]), // the oldest release: nothing updates from it
      release("1.0.2.0", ["1.0.0.5"]),
      release("1.0.3.0", ["1.0.2.0"]),
    ]);
    assert.deepEqual(planUpdate(graph, { from: "1.0.0.0" }), {
      status: "no-path",
      from: "1.0.0.0",
      to: "1.0.3.0",
      steps: [],
      platformUpgrade: null,
    });
  });

  it("has nothing to plan over an empty graph", () => {
    const plan = planUpdate(new ReleaseGraph([]), { from: "1.0.0.0" });
    assert.deepEqual(plan, {
      status: "no-path",
      from: "1.0.0.0",
      to: null,
      steps: [],
      platformUpgrade: null,
    });
  });

  it("ignores a release listed as updating from itself", () => {
    const graph = new ReleaseGraph([
      release("1.0.1.0", ["1.0.0.0", "1.0.1.0"]),
      release("1.0.2.0", ["1.0.1.0"]),
    ]);
    assert.deepEqual(versionsOf(planUpdate(graph, { from: "1.0.0.0" })), ["1.0.1.0", "1.0.2.0"]);
  });

  it("plans to an explicit target older than the newest release", () => {
    const graph = new ReleaseGraph(linear);
    const plan = planUpdate(graph, { from: "1.0.0.0", target: "1.0.2.0" });
    assert.equal(plan.status, "update-available");
    assert.equal(plan.to, "1.0.2.0");
    assert.deepEqual(versionsOf(plan), ["1.0.1.0", "1.0.2.0"]);
  });

  it("rejects a target that is not a release in the graph with unknown_target", () => {
    const graph = new ReleaseGraph([
      release("1.0.1.0", ["1.0.0.0"]),
      release("1.0.2.0", ["1.0.1.0", "1.0.1.5"]),
    ]);
    assertAppError(
      () => planUpdate(graph, { from: "1.0.0.0", target: "1.0.9.0" }),
      "not_found",
      "unknown_target",
    );
    // An interim build is a version, but not something one can be given.
    assertAppError(
      () => planUpdate(graph, { from: "1.0.0.0", target: "1.0.1.5" }),
      "not_found",
      "unknown_target",
    );
    assertAppError(
      () => planUpdate(graph, { from: "1.0.0.0", target: "1.0.0.0" }),
      "not_found",
      "unknown_target",
    );
  });

  it("validates every version in the request, naming its field", () => {
    const graph = new ReleaseGraph(linear);
    assertAppError(
      () => planUpdate(graph, { from: "1.0" }),
      "bad_request",
      "invalid_version",
      "installedVersion",
    );
    assertAppError(
      () => planUpdate(graph, { from: "1.0.3.0", target: "1.0.03.0" }),
      "bad_request",
      "invalid_version",
      "target",
    );
    assertAppError(
      () => planUpdate(graph, { from: "1.0.0.0", platformVersion: "8.3" }),
      "bad_request",
      "invalid_version",
      "platformVersion",
    );
  });

  describe("platform requirements", () => {
    const graph = new ReleaseGraph([
      release("2.0.1.0", ["2.0.0.0"], null),
      release("2.0.2.0", ["2.0.1.0"], "8.3.10.100"),
      release("2.0.3.0", ["2.0.2.0"], "8.3.9.5"), // lower than the step before: the highest one counts
      release("2.0.4.0", ["2.0.3.0"], "8.3.20.1"),
    ]);

    it("carries each release's minimum platform on its step", () => {
      const plan = planUpdate(graph, { from: "2.0.0.0" });
      assert.deepEqual(
        plan.steps.map((step) => step.minPlatformVersion),
        [null, "8.3.10.100", "8.3.9.5", "8.3.20.1"],
      );
    });

    it("asks for the highest minimum along the chain when the installed platform is lower", () => {
      const plan = planUpdate(graph, { from: "2.0.0.0", target: "2.0.3.0", platformVersion: "8.3.9.200" });
      assert.deepEqual(plan.platformUpgrade, { requiredVersion: "8.3.10.100" });
      const toNewest = planUpdate(graph, { from: "2.0.0.0", platformVersion: "8.3.19.999" });
      assert.deepEqual(toNewest.platformUpgrade, { requiredVersion: "8.3.20.1" });
    });

    it("asks for nothing when the installed platform meets every minimum", () => {
      assert.equal(planUpdate(graph, { from: "2.0.0.0", platformVersion: "8.3.20.1" }).platformUpgrade, null);
      assert.equal(planUpdate(graph, { from: "2.0.0.0", platformVersion: "8.5.1.1" }).platformUpgrade, null);
      // Releases past the target and steps already installed do not count.
      assert.equal(
        planUpdate(graph, { from: "2.0.0.0", target: "2.0.3.0", platformVersion: "8.3.10.100" })
          .platformUpgrade,
        null,
      );
      assert.equal(planUpdate(graph, { from: "2.0.3.0", platformVersion: "8.3.20.1" }).platformUpgrade, null);
    });

    it("keeps an earlier step's minimum when a later release names none", () => {
      const mixed = new ReleaseGraph([
        release("3.0.1.0", ["3.0.0.0"], "8.3.12.1"),
        release("3.0.2.0", ["3.0.1.0"], null),
      ]);
      assert.deepEqual(planUpdate(mixed, { from: "3.0.0.0", platformVersion: "8.3.11.9" }).platformUpgrade, {
        requiredVersion: "8.3.12.1",
      });
      assert.equal(planUpdate(mixed, { from: "3.0.0.0", platformVersion: "8.3.12.1" }).platformUpgrade, null);
    });

    it("asks for nothing when the installed platform is not given or nothing is to be applied", () => {
      assert.equal(planUpdate(graph, { from: "2.0.0.0" }).platformUpgrade, null);
      assert.equal(planUpdate(graph, { from: "2.0.4.0", platformVersion: "8.2.0.0" }).platformUpgrade, null);
    });
  });
});

describe("the real 1C update list (v8upd11.xml, 54 updates)", () => {
  const list = readUpdateList(readFileSync(new URL("../fixtures/1c/v8upd11.xml", import.meta.url)));
  const releases = list.updates;
  const graph = new ReleaseGraph(releases);
  const newest = "3.0.23.148";
  const allVersions = [...new Set(releases.flatMap((update) => [update.version, ...update.updateFrom]))];

  const successorsOf = (version: string) => releases.filter((update) => update.updateFrom.includes(version));

  /** Independent check: forward BFS over the raw list, rebuilding the neighbours at every step. */
  function bruteForceDistance(from: string, target: string): number | null {
    const seen = new Set([from]);
    let frontier = [from];
    for (let distance = 0; frontier.length > 0; distance++) {
      if (frontier.includes(target)) return distance;
      const next: string[] = [];
      for (const version of frontier) {
        for (const update of successorsOf(version)) {
          if (!seen.has(update.version)) {
            seen.add(update.version);
            next.push(update.version);
          }
        }
      }
      frontier = next;
    }
    return null;
  }

  /** How 1C clients walk the list: repeatedly take the newest update that applies to the current version. */
  function newestFirstWalk(from: string, target: string): string[] | null {
    const walked: string[] = [];
    let current = from;
    while (current !== target) {
      const [newestApplicable] = successorsOf(current).sort((a, b) => compareVersions(b.version, a.version));
      if (!newestApplicable || walked.length > releases.length) return null;
      current = newestApplicable.version;
      walked.push(current);
    }
    return walked;
  }

  it("parses every update with its sizes, platforms and targets", () => {
    assert.equal(list.date, "22.09.2015T18:07:21");
    assert.equal(releases.length, 54);
    assert.equal(allVersions.length, 78);
    assert.deepEqual(releases[0], {
      configuration: "ЗарплатаИУправлениеПерсоналом",
      vendor: 'Фирма "1С"',
      file: "1c/HRM/3_0_8_46/1cv8.zip",
      size: 36877298,
      version: "3.0.8.46",
      minPlatformVersion: null,
      updateFrom: ["3.0.7.74"],
    });
    const hrm31970 = releases.find((update) => update.version === "3.0.19.70");
    assert.deepEqual(hrm31970, {
      configuration: "ЗарплатаИУправлениеПерсоналом",
      vendor: 'Фирма "1С"',
      file: "1c/HRM/3_0_19_70/1cv8.zip",
      size: 33963988,
      version: "3.0.19.70",
      minPlatformVersion: "8.3.5.1119",
      updateFrom: ["3.0.18.63", "3.0.19.55", "3.0.19.61"],
    });
    assert.equal(releases.find((update) => update.version === "3.0.17.29")?.size, 822110);
    assert.equal(releases.filter((update) => update.minPlatformVersion === null).length, 29);
    assert.equal(graph.newest?.version, newest);
  });

  it("plans 3.0.7.74 -> 3.0.23.148 in 25 steps", () => {
    const plan = planUpdate(graph, { from: "3.0.7.74" });
    assert.equal(plan.status, "update-available");
    assert.equal(plan.to, newest);
    assert.deepEqual(versionsOf(plan), [
      "3.0.8.46",
      "3.0.9.28",
      "3.0.10.33", // not 3.0.10.32: both lead on to 3.0.11.x, the newer one wins
      "3.0.11.39", // not 3.0.11.36
      "3.0.11.41",
      "3.0.12.40", // not 3.0.12.38; 3.0.12.41 would cost a step
      "3.0.13.38",
      "3.0.14.24", // skips 3.0.13.41, 3.0.14.17, 3.0.14.20
      "3.0.15.39", // skips 3.0.14.27 ... 3.0.15.37
      "3.0.16.32",
      "3.0.17.24",
      "3.0.17.34",
      "3.0.18.48",
      "3.0.18.63",
      "3.0.19.70",
      "3.0.19.71",
      "3.0.20.43",
      "3.0.20.45",
      "3.0.21.22",
      "3.0.22.204",
      "3.0.22.223", // 3.0.22.219 is as short; 3.0.22.233 would cost a step
      "3.0.22.230",
      "3.0.23.120",
      "3.0.23.139",
      "3.0.23.148",
    ]);
    assertAppliesInOrder(plan);
    assert.equal(plan.platformUpgrade, null);
  });

  it("plans from 3.0.11.34, an interim build that appears only as a target", () => {
    assert.equal(graph.get("3.0.11.34"), undefined);
    const plan = planUpdate(graph, { from: "3.0.11.34" });
    assert.equal(plan.status, "update-available");
    assert.deepEqual(versionsOf(plan).slice(0, 4), ["3.0.11.39", "3.0.11.41", "3.0.12.40", "3.0.13.38"]);
    assert.equal(plan.steps.length, 22);
    assert.deepEqual(versionsOf(plan), versionsOf(planUpdate(graph, { from: "3.0.7.74" })).slice(3));
    assertAppliesInOrder(plan);
  });

  it("is up to date on the newest release", () => {
    assert.deepEqual(planUpdate(graph, { from: newest, platformVersion: "8.3.4.0" }), {
      status: "up-to-date",
      from: newest,
      to: newest,
      steps: [],
      platformUpgrade: null,
    });
  });

  it("has no path from a build the list does not know", () => {
    assert.equal(planUpdate(graph, { from: "3.0.11.35" }).status, "no-path");
    assert.equal(planUpdate(graph, { from: "3.0.6.1", target: "3.0.8.46" }).status, "no-path");
  });

  it("asks for the platform the chain's highest minimum needs", () => {
    assert.deepEqual(planUpdate(graph, { from: "3.0.7.74", platformVersion: "8.3.4.0" }).platformUpgrade, {
      requiredVersion: "8.3.6.2076",
    });
    const to22204 = planUpdate(graph, {
      from: "3.0.19.70",
      target: "3.0.22.204",
      platformVersion: "8.3.5.1119",
    });
    assert.deepEqual(versionsOf(to22204), ["3.0.19.71", "3.0.20.43", "3.0.20.45", "3.0.21.22", "3.0.22.204"]);
    assert.deepEqual(to22204.platformUpgrade, { requiredVersion: "8.3.5.1383" });
    const withinOld = planUpdate(graph, {
      from: "3.0.7.74",
      target: "3.0.18.63",
      platformVersion: "8.2.19.130",
    });
    assert.equal(withinOld.steps.length, 14);
    assert.equal(withinOld.platformUpgrade, null);
    assert.equal(
      planUpdate(graph, { from: "3.0.22.230", platformVersion: "8.3.6.2076" }).platformUpgrade,
      null,
    );
  });

  it("finds a shortest chain for every version and every target, matching a brute-force search", () => {
    let plans = 0;
    for (const target of releases.map((update) => update.version)) {
      for (const from of allVersions) {
        const plan = planUpdate(graph, { from, target });
        plans++;
        if (compareVersions(from, target) >= 0) {
          assert.equal(plan.status, "up-to-date", `${from} -> ${target}`);
          continue;
        }
        const expected = bruteForceDistance(from, target);
        if (expected === null) {
          assert.equal(plan.status, "no-path", `${from} -> ${target}`);
          continue;
        }
        assert.equal(plan.status, "update-available", `${from} -> ${target}`);
        assert.equal(plan.steps.length, expected, `${from} -> ${target}`);
        assertAppliesInOrder(plan);
        // Tie-break: no newer release applicable at any step would have kept the chain as short.
        let installed = from;
        plan.steps.forEach((step, index) => {
          const remaining = plan.steps.length - index - 1;
          for (const other of successorsOf(installed)) {
            if (compareVersions(other.version, step.version) > 0) {
              const distance = bruteForceDistance(other.version, target);
              assert.ok(
                distance === null || distance > remaining,
                `${from} -> ${target}: ${other.version} was newer`,
              );
            }
          }
          installed = step.version;
        });
      }
    }
    assert.equal(plans, 54 * 78);
  });

  it("agrees with the newest-first walk of 1C clients, which is never shorter", () => {
    for (const from of allVersions) {
      const plan = planUpdate(graph, { from });
      const walked = newestFirstWalk(from, newest);
      assert.ok(walked !== null, `1C clients cannot reach ${newest} from ${from}`);
      assert.ok(walked.length >= plan.steps.length, `${from}: the walk is shorter than the plan`);
      // When the walk is a shortest chain, the newest-first tie-break must give the very same chain.
      if (walked.length === plan.steps.length) assert.deepEqual(versionsOf(plan), walked, from);
    }
  });
});

describe("describeUpdatePlan", () => {
  const graph = new ReleaseGraph(
    linear.map((r) => ({ ...r, id: r.label, releasedOn: "2026-01-01", distributions: [] })),
  );

  it("plans to the newest release when target and platform are left out", () => {
    const plan = describeUpdatePlan(
      graph,
      {
        configuration: "HRM",
        version: "1.0.0.0",
        target: null,
        platformVersion: null,
      },
      "1c",
    );
    assert.equal(plan.to, "1.0.3.0");
  });

  it("refuses an empty target or platform version instead of ignoring it", () => {
    const plan = (request: { target?: string; platformVersion?: string }) => () =>
      describeUpdatePlan(graph, { configuration: "HRM", version: "1.0.0.0", ...request }, "1c");
    assertAppError(plan({ target: "" }), "bad_request", "invalid_version", "target");
    assertAppError(plan({ platformVersion: "" }), "bad_request", "invalid_version", "platformVersion");
    assertAppError(
      () => describeUpdatePlan(graph, { configuration: "HRM", version: "1.0" }, "1c"),
      "bad_request",
      "invalid_version",
      "version",
    );
  });
});
