import type { Clock } from "../domain/clock.ts";

export interface ExpiringCache<V extends object> {
  get(key: string): V | undefined;
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

/** The least time an entry set with the full `ttlMs` is kept (unless dropped or evicted). */
export const minimumLifeMs = (ttlMs: number) => (ttlMs * 2) / 3;

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
  const entries = new Map<string, { value: V; expiresAt: number }>();
  const onRemove = options.onRemove ?? (() => undefined);
  let drops = 0;
  const remove = (key: string) => {
    const entry = entries.get(key);
    if (entry === undefined) return;
    entries.delete(key);
    onRemove(key, entry.value);
  };
  return {
    get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (clock.now().getTime() < entry.expiresAt) return entry.value;
      remove(key);
      return undefined;
    },
    beforeLoad: () => drops,
    set(key, value, loadStarted, maxTtlMs = options.ttlMs) {
      if (loadStarted !== drops) return false;
      const spread = (options.ttlMs - minimumLifeMs(options.ttlMs)) * Math.random();
      const ttl = Math.min(maxTtlMs, minimumLifeMs(options.ttlMs) + spread);
      if (ttl < 1) return false;
      remove(key);
      entries.set(key, { value, expiresAt: clock.now().getTime() + ttl });
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
