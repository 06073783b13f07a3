import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isDeepStrictEqual } from "node:util";
import { EDITIONS } from "../../src/domain/catalogue.ts";
import {
  type AuthorizedNumber,
  accessStableUntil,
  configurationAccess,
  downloadAccess,
  type Viewer,
} from "../../src/domain/entitlement.ts";
import { addMonths, monthStart } from "../../src/domain/months.ts";
import { freeSupportEnd, type Subscription } from "../../src/domain/subscriptions.ts";
import { randomGenerator } from "../support/random.ts";

const MINUTE = 60_000;
const DAY = 86_400_000;

const user = (activeFrom: string): Viewer => ({ role: "user", activeFrom });
const stableUntil = (viewer: Viewer, now: string) => new Date(accessStableUntil(viewer, new Date(now)));

describe("accessStableUntil", () => {
  const active = user("2026-01-01T00:00:00Z");

  it("is the next UTC midnight when the account is already active", () => {
    assert.deepEqual(stableUntil(active, "2026-11-16T10:00:00Z"), new Date("2026-11-17T00:00:00Z"));
  });

  it("crosses into the next month, and the next year, at midnight", () => {
    assert.deepEqual(stableUntil(active, "2026-11-30T23:59:00Z"), new Date("2026-12-01T00:00:00Z"));
    assert.deepEqual(stableUntil(active, "2026-12-31T23:59:59.999Z"), new Date("2027-01-01T00:00:00Z"));
    assert.deepEqual(stableUntil(active, "2028-02-28T12:00:00Z"), new Date("2028-02-29T00:00:00Z"));
  });

  it("counts years before 100 as themselves (not as 19xx)", () => {
    const ancient = user("0001-01-01T00:00:00Z");
    assert.deepEqual(stableUntil(ancient, "0050-03-15T12:00:00Z"), new Date("0050-03-16T00:00:00Z"));
  });

  it("at midnight itself is the following midnight", () => {
    assert.deepEqual(stableUntil(active, "2026-11-17T00:00:00Z"), new Date("2026-11-18T00:00:00Z"));
  });

  it("is the activation moment when the account becomes active before midnight", () => {
    const viewer = user("2026-11-16T10:15:00Z");
    assert.deepEqual(stableUntil(viewer, "2026-11-16T10:00:00Z"), new Date("2026-11-16T10:15:00Z"));
  });

  it("is the next midnight when the activation comes later than that", () => {
    const viewer = user("2026-11-18T08:00:00Z");
    assert.deepEqual(stableUntil(viewer, "2026-11-16T10:00:00Z"), new Date("2026-11-17T00:00:00Z"));
  });

  it("is the next midnight from the activation moment on", () => {
    const viewer = user("2026-11-16T10:15:00Z");
    assert.deepEqual(stableUntil(viewer, "2026-11-16T10:15:00Z"), new Date("2026-11-17T00:00:00Z"));
  });
});

function generator(seed: number) {
  const random = randomGenerator(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  const chance = (p: number) => random() < p;
  return { random, int, pick, chance };
}

const CONFIGURATIONS = ["accounting-2.0", "payroll-2.5", "retail-1.1"];
const NUMBER_POOL = ["8100000001", "8100000002", "8100000003", "8100000004", "8100000005"];
const PERIOD_START = Date.parse("2025-01-01T00:00:00Z");
const PERIOD_DAYS = 365 * 2 + 180;

interface Situation {
  viewer: Viewer;
  numbers: AuthorizedNumber[];
  subscriptions: Subscription[];
  configuration: string;
  now: Date;
}

function situation(g: ReturnType<typeof generator>): Situation {
  const held = [...NUMBER_POOL].sort(() => g.random() - 0.5).slice(0, g.int(1, 3));
  const dayOf = (days: number) => new Date(PERIOD_START + days * DAY).toISOString().slice(0, 10);
  const numbers = held.map(
    (registrationNumber): AuthorizedNumber => ({
      registrationNumber,
      product: `product of ${registrationNumber}`,
      edition: g.pick(EDITIONS),
      configurations: CONFIGURATIONS.filter(() => g.chance(0.6)),
      purchaseDate: g.chance(0.7) ? dayOf(g.int(0, PERIOD_DAYS)) : null,
      freeSupportMonths: g.int(0, 12),
    }),
  );
  const subscriptions = Array.from({ length: g.int(0, 3) }, (): Subscription => {
    const mainNumber = g.chance(0.75) ? g.pick(held) : g.pick(NUMBER_POOL);
    const additionalNumbers = g.chance(0.4) ? [g.pick(NUMBER_POOL.filter((n) => n !== mainNumber))] : [];
    return {
      mainNumber,
      fromMonth: addMonths("2025-01", g.int(-3, 30)),
      months: g.int(1, 12),
      additionalNumbers,
    };
  });

  // Many situations sit close to a moment the rules may react to.
  const uniform = PERIOD_START + Math.floor(g.random() * PERIOD_DAYS * DAY);
  const freeEnds = numbers.flatMap((n) => {
    const end = n.purchaseDate === null ? null : freeSupportEnd(n.purchaseDate, n.freeSupportMonths);
    return end ? [end.getTime()] : [];
  });
  const before = (moment: number) => moment - g.int(1, 6 * 60) * MINUTE - g.int(0, 59_999);
  const now = new Date(
    g.pick([
      () => uniform,
      () => before(Math.ceil(uniform / DAY) * DAY),
      () => before(monthStart(addMonths("2025-01", g.int(0, 30))).getTime()),
      () => (freeEnds.length > 0 ? before(g.pick(freeEnds)) : uniform),
    ])(),
  );
  const activeFrom = g.pick([
    () => now.getTime() - g.int(0, 400) * DAY - g.int(0, DAY),
    () => now.getTime() + g.int(1, 90) * MINUTE + g.int(0, 59_999),
    () => now.getTime() + g.int(1, 5) * DAY + g.int(0, DAY),
    () => now.getTime(),
  ])();
  return {
    viewer: user(new Date(activeFrom).toISOString()),
    numbers,
    subscriptions,
    configuration: g.pick(CONFIGURATIONS),
    now,
  };
}

describe("accessStableUntil: the answers do not change before it", () => {
  it("holds for random holdings, subscriptions, activations and moments", () => {
    const g = generator(20261116);
    const cases = 600;
    let changedAtMidnight = 0;
    let changedAtActivation = 0;
    for (let i = 0; i < cases; i++) {
      const s = situation(g);
      const until = accessStableUntil(s.viewer, s.now);
      const at = (t: number) => ({ ...s, now: new Date(t) });
      const context = () => `case ${i}: ${JSON.stringify({ ...s, stableUntil: new Date(until) })}`;
      assert.ok(until > s.now.getTime(), context());
      const download = downloadAccess(s);
      const configuration = configurationAccess(s);
      const span = until - s.now.getTime();
      const moments = [
        s.now.getTime() + 1,
        until - 1,
        ...Array.from({ length: 6 }, () => s.now.getTime() + Math.floor(g.random() * span)),
      ].filter((t) => t < until);
      for (const t of moments) {
        const when = () => `${context()} at ${new Date(t).toISOString()}`;
        assert.deepEqual(downloadAccess(at(t)), download, when());
        assert.deepEqual(configurationAccess(at(t)), configuration, when());
      }
      if (!isDeepStrictEqual(downloadAccess(at(until)), download)) {
        if (until === Date.parse(s.viewer.activeFrom)) changedAtActivation++;
        else changedAtMidnight++;
      }
    }
    // The situations reach the boundaries: otherwise the checks above would prove little.
    assert.ok(changedAtActivation > 0, `changed at the activation in ${changedAtActivation} of ${cases}`);
    assert.ok(changedAtMidnight > 0, `changed at midnight in ${changedAtMidnight} of ${cases}`);
  });
});
