import { LRUCache } from "lru-cache";
import type { Clock } from "../domain/clock.ts";

export type ExpiringCache<V extends object> = LRUCache<string, V>;

/**
 * A bounded cache (least recently used entries go first) whose entries live at most `ttlMs` on
 * the service clock, so tests that move the clock see entries expire. Used for what the busiest
 * path reads on every request: token owners and entitlement holdings.
 */
export function expiringCache<V extends object>(
  clock: Clock,
  options: { max: number; ttlMs: number },
): ExpiringCache<V> {
  return new LRUCache<string, V>({
    max: options.max,
    ttl: options.ttlMs,
    perf: { now: () => clock.now().getTime() },
  });
}
