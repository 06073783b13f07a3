import type { Clock } from "../domain/clock.ts";

/** One cached value; `isLive` tells later whether it is still the cache's, without a look-up. */
export interface CacheEntry<V> {
  readonly value: V;
}

export interface ExpiringCache<V extends object> {
  get(key: string): V | undefined;
  /** The live entry for `key`, to be kept and re-checked with `isLive` instead of looked up again. */
  entry(key: string): CacheEntry<V> | undefined;
  /** False once the entry was dropped, replaced, evicted or has expired. */
  isLive(entry: CacheEntry<V>): boolean;
  /** Call before reading what will be cached, and pass the result to set. */
  beforeLoad(): number;
  /**
   * Keeps what was read since `beforeLoad` unless an entry was dropped meanwhile (the read may
   * predate that change). `maxTtlMs` shortens this entry's life below the cache's, never lengthens it.
   * Says whether the value was kept.
   */
  set(key: string, value: V, loadStarted: number, maxTtlMs?: number): boolean;
  delete(key: string): void;
  clear(): void;
}

/**
 * A bounded cache for what the busiest path reads on every request: token owners and entitlement
 * holdings. Changes drop entries through the change feed; the time limit is a safety net for
 * changes made outside the service. Entries live on the service clock (tests that move the clock
 * see them expire) for a random time between two thirds of `ttlMs` and `ttlMs`, so that entries
 * loaded together are not all reloaded at once; past `max` entries the oldest go first. A plain
 * Map: a general LRU cache (lru-cache) cost a microsecond per read here, a tenth of the budget.
 */
export function expiringCache<V extends object>(
  clock: Clock,
  options: {
    max: number;
    ttlMs: number;
    /** Told of every entry that leaves the cache (expired, evicted, dropped, replaced). */
    onRemove?: (key: string, value: V) => void;
  },
): ExpiringCache<V> {
  const entries = new Map<string, Entry<V>>();
  const onRemove = options.onRemove ?? (() => undefined);
  const minimumLifeMs = (options.ttlMs * 2) / 3;
  let drops = 0;
  const remove = (key: string) => {
    const entry = entries.get(key);
    if (entry === undefined) return;
    entries.delete(key);
    entry.removed = true;
    onRemove(key, entry.value);
  };
  const isLive = (entry: Entry<V>) => !entry.removed && clock.now().getTime() < entry.expiresAt;
  const liveEntry = (key: string) => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (isLive(entry)) return entry;
    remove(key);
    return undefined;
  };
  return {
    get: (key) => liveEntry(key)?.value,
    entry: liveEntry,
    isLive: (entry) => isLive(entry as Entry<V>),
    beforeLoad: () => drops,
    set(key, value, loadStarted, maxTtlMs = options.ttlMs) {
      if (loadStarted !== drops) return false;
      const ttl = Math.min(maxTtlMs, minimumLifeMs + (options.ttlMs - minimumLifeMs) * Math.random());
      if (ttl < 1) return false;
      remove(key);
      entries.set(key, { value, expiresAt: clock.now().getTime() + ttl, removed: false });
      if (entries.size > options.max) remove(entries.keys().next().value!);
      return true;
    },
    delete(key) {
      drops++;
      remove(key);
    },
    clear() {
      drops++;
      for (const key of [...entries.keys()]) remove(key);
    },
  };
}

interface Entry<V> extends CacheEntry<V> {
  readonly expiresAt: number;
  removed: boolean;
}
