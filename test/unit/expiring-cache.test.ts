import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { expiringCache } from "../../src/cache/expiring-cache.ts";
import { TestClock } from "../support/harness.ts";

const START = new Date("2026-11-16T10:00:00.000Z");
const TTL = 30_000;
const MIN_LIFE = (TTL * 2) / 3;

interface Value {
  name: string;
}

function setup(options: { max?: number; ttlMs?: number } = {}) {
  const clock = new TestClock(new Date(START));
  const cache = expiringCache<Value>(clock, { max: options.max ?? 1000, ttlMs: options.ttlMs ?? TTL });
  const at = (ms: number) => clock.set(new Date(START.getTime() + ms));
  return { clock, cache, at };
}

const keys = (n: number) => Array.from({ length: n }, (_, i) => `key-${i}`);

describe("expiringCache", () => {
  it("returns nothing for a key never set", () => {
    const { cache } = setup();
    assert.equal(cache.get("missing"), undefined);
  });

  it("returns a value set after beforeLoad, the same object, until it expires", () => {
    const { cache, at } = setup();
    const value = { name: "a" };
    cache.set("a", value, cache.beforeLoad());
    assert.equal(cache.get("a"), value);
    at(MIN_LIFE - 1);
    assert.equal(cache.get("a"), value);
    at(TTL);
    assert.equal(cache.get("a"), undefined);
  });

  it("keeps every entry at least two thirds of ttlMs and none of them ttlMs", () => {
    const { cache, at } = setup();
    const all = keys(300);
    const loadStarted = cache.beforeLoad();
    for (const key of all) cache.set(key, { name: key }, loadStarted);
    at(MIN_LIFE - 1);
    for (const key of all) assert.deepEqual(cache.get(key), { name: key }, `${key} at 2/3 ttl - 1 ms`);
    at(TTL);
    for (const key of all) assert.equal(cache.get(key), undefined, `${key} at ttl`);
  });

  it("draws each life from [2/3 ttlMs, ttlMs): the shortest at Math.random() = 0", (t) => {
    t.mock.method(Math, "random", () => 0);
    const { cache, at } = setup();
    cache.set("a", { name: "a" }, cache.beforeLoad());
    at(MIN_LIFE - 1);
    assert.deepEqual(cache.get("a"), { name: "a" });
    at(MIN_LIFE);
    assert.equal(cache.get("a"), undefined);
  });

  it("draws each life from [2/3 ttlMs, ttlMs): the longest just under ttlMs", (t) => {
    t.mock.method(Math, "random", () => 0.99999999);
    const { cache, at } = setup();
    cache.set("a", { name: "a" }, cache.beforeLoad());
    at(TTL - 1);
    assert.deepEqual(cache.get("a"), { name: "a" });
    at(TTL);
    assert.equal(cache.get("a"), undefined);
  });

  it("maxTtlMs shortens an entry's life below ttlMs", () => {
    const { cache, at } = setup({ ttlMs: 600_000 });
    cache.set("short", { name: "short" }, cache.beforeLoad(), 1_000);
    cache.set("long", { name: "long" }, cache.beforeLoad());
    at(999);
    assert.deepEqual(cache.get("short"), { name: "short" });
    at(1_000);
    assert.equal(cache.get("short"), undefined);
    assert.deepEqual(cache.get("long"), { name: "long" });
  });

  it("maxTtlMs never lengthens an entry's life beyond ttlMs", () => {
    const { cache, at } = setup();
    const all = keys(50);
    for (const key of all) cache.set(key, { name: key }, cache.beforeLoad(), TTL * 10);
    at(MIN_LIFE - 1);
    for (const key of all) assert.deepEqual(cache.get(key), { name: key });
    at(TTL);
    for (const key of all) assert.equal(cache.get(key), undefined);
  });

  it("maxTtlMs below 1 ms does not cache at all", () => {
    const { cache } = setup();
    cache.set("zero", { name: "zero" }, cache.beforeLoad(), 0);
    cache.set("half", { name: "half" }, cache.beforeLoad(), 0.5);
    cache.set("negative", { name: "negative" }, cache.beforeLoad(), -5_000);
    assert.equal(cache.get("zero"), undefined);
    assert.equal(cache.get("half"), undefined);
    assert.equal(cache.get("negative"), undefined);
    cache.set("one", { name: "one" }, cache.beforeLoad(), 1);
    assert.deepEqual(cache.get("one"), { name: "one" });
  });

  it("does not keep a load that straddles a delete of any key", () => {
    const { cache } = setup();
    const loadStarted = cache.beforeLoad();
    cache.delete("another key");
    cache.set("a", { name: "stale" }, loadStarted);
    assert.equal(cache.get("a"), undefined);
    cache.set("a", { name: "fresh" }, cache.beforeLoad());
    assert.deepEqual(cache.get("a"), { name: "fresh" });
  });

  it("does not keep a load that straddles a clear", () => {
    const { cache } = setup();
    const loadStarted = cache.beforeLoad();
    cache.clear();
    cache.set("a", { name: "stale" }, loadStarted);
    assert.equal(cache.get("a"), undefined);
    cache.set("a", { name: "fresh" }, cache.beforeLoad());
    assert.deepEqual(cache.get("a"), { name: "fresh" });
  });

  it("a straddling load does not replace the value cached after the change", () => {
    const { cache } = setup();
    const slowLoad = cache.beforeLoad();
    cache.delete("a");
    cache.set("a", { name: "fresh" }, cache.beforeLoad());
    cache.set("a", { name: "stale" }, slowLoad);
    assert.deepEqual(cache.get("a"), { name: "fresh" });
  });

  it("delete and clear drop entries", () => {
    const { cache } = setup();
    for (const key of ["a", "b", "c"]) cache.set(key, { name: key }, cache.beforeLoad());
    cache.delete("a");
    assert.equal(cache.get("a"), undefined);
    assert.deepEqual(cache.get("b"), { name: "b" });
    cache.clear();
    assert.equal(cache.get("b"), undefined);
    assert.equal(cache.get("c"), undefined);
  });

  it("past max entries drops the oldest inserted first", () => {
    const { cache } = setup({ max: 3 });
    for (const key of ["a", "b", "c", "d"]) cache.set(key, { name: key }, cache.beforeLoad());
    assert.equal(cache.get("a"), undefined);
    assert.deepEqual(cache.get("b"), { name: "b" });
    assert.deepEqual(cache.get("c"), { name: "c" });
    assert.deepEqual(cache.get("d"), { name: "d" });
    cache.set("e", { name: "e" }, cache.beforeLoad());
    assert.equal(cache.get("b"), undefined);
    assert.deepEqual(cache.get("c"), { name: "c" });
    assert.deepEqual(cache.get("d"), { name: "d" });
    assert.deepEqual(cache.get("e"), { name: "e" });
  });

  it("a key set again counts as newly inserted", () => {
    const { cache } = setup({ max: 3 });
    for (const key of ["a", "b", "c"]) cache.set(key, { name: key }, cache.beforeLoad());
    cache.set("a", { name: "a again" }, cache.beforeLoad());
    cache.set("d", { name: "d" }, cache.beforeLoad());
    assert.equal(cache.get("b"), undefined);
    assert.deepEqual(cache.get("a"), { name: "a again" });
    assert.deepEqual(cache.get("c"), { name: "c" });
    assert.deepEqual(cache.get("d"), { name: "d" });
  });

  it("spreads the expiry of entries loaded together", () => {
    const { cache, at } = setup();
    const all = keys(200);
    const loadStarted = cache.beforeLoad();
    for (const key of all) cache.set(key, { name: key }, loadStarted);
    const remaining = (key: string) => cache.get(key) !== undefined;
    const expiredAt = new Map<string, number>();
    for (let ms = 0; ms <= TTL; ms += 1_000) {
      at(ms);
      for (const key of all) {
        if (!expiredAt.has(key) && !remaining(key)) expiredAt.set(key, ms);
      }
      if (ms === 25_000) {
        const left = all.filter((key) => !expiredAt.has(key)).length;
        assert.ok(left > 0 && left < all.length, `at 25 s ${left} of ${all.length} remain`);
      }
    }
    assert.equal(expiredAt.size, all.length);
    const moments = new Set(expiredAt.values());
    assert.ok(Math.min(...moments) > MIN_LIFE - 1_000, `earliest expiry at ${Math.min(...moments)} ms`);
    assert.ok(moments.size >= 5, `expiry moments: ${[...moments].sort((a, b) => a - b).join(", ")}`);
  });
});

describe("expiringCache onRemove", () => {
  it("is told of every entry that leaves: expired, evicted, dropped, replaced, cleared", () => {
    const clock = new TestClock(new Date("2026-11-16T10:00:00.000Z"));
    const removed: string[] = [];
    const cache = expiringCache<{ n: number }>(clock, {
      max: 2,
      ttlMs: 1_000,
      onRemove: (key, value) => removed.push(`${key}=${value.n}`),
    });
    assert.equal(cache.set("a", { n: 1 }, cache.beforeLoad()), true);
    cache.set("a", { n: 2 }, cache.beforeLoad());
    assert.deepEqual(removed, ["a=1"], "replaced");
    cache.set("b", { n: 3 }, cache.beforeLoad());
    cache.set("c", { n: 4 }, cache.beforeLoad());
    assert.deepEqual(removed, ["a=1", "a=2"], "evicted, the oldest first");
    cache.delete("b");
    assert.deepEqual(removed.at(-1), "b=3", "dropped");
    clock.advanceMinutes(1);
    assert.equal(cache.get("c"), undefined);
    assert.deepEqual(removed.at(-1), "c=4", "expired when read");
    cache.set("d", { n: 5 }, cache.beforeLoad());
    cache.clear();
    assert.deepEqual(removed.at(-1), "d=5", "cleared");
  });

  it("set says whether it kept the value", () => {
    const cache = expiringCache<{ n: number }>(new TestClock(), { max: 10, ttlMs: 1_000 });
    const started = cache.beforeLoad();
    cache.delete("other");
    assert.equal(cache.set("a", { n: 1 }, started), false);
    assert.equal(cache.set("a", { n: 1 }, cache.beforeLoad(), 0), false);
    assert.equal(cache.set("a", { n: 1 }, cache.beforeLoad()), true);
  });
});

describe("expiringCache entries", () => {
  it("an entry handed out stays live until it is dropped, replaced, evicted or expires", () => {
    const clock = new TestClock(new Date("2026-11-16T10:00:00.000Z"));
    const cache = expiringCache<{ n: number }>(clock, { max: 2, ttlMs: 60_000 });
    cache.set("a", { n: 1 }, cache.beforeLoad());
    const a = cache.entry("a")!;
    assert.equal(a.value.n, 1);
    assert.equal(cache.isLive(a), true);
    cache.set("a", { n: 2 }, cache.beforeLoad());
    assert.equal(cache.isLive(a), false, "replaced");
    const replaced = cache.entry("a")!;
    cache.delete("a");
    assert.equal(cache.isLive(replaced), false, "dropped");
    cache.set("b", { n: 3 }, cache.beforeLoad());
    const b = cache.entry("b")!;
    cache.set("c", { n: 4 }, cache.beforeLoad());
    cache.set("d", { n: 5 }, cache.beforeLoad());
    assert.equal(cache.isLive(b), false, "evicted");
    const d = cache.entry("d")!;
    clock.advanceMinutes(1);
    assert.equal(cache.isLive(d), false, "expired, though never read again");
    assert.equal(cache.entry("missing"), undefined);
  });
});
