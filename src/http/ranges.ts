import type { ByteRange } from "../storage/blob-store.ts";

type RangeDecision =
  | { readonly kind: "full" }
  | { readonly kind: "partial"; readonly range: ByteRange }
  | { readonly kind: "unsatisfiable" };

/**
 * Interprets a Range header against a file of `size` bytes (RFC 9110 §14). One range is served;
 * a multi-range or malformed header is answered with the whole file, which the RFC allows.
 */
export function decideRange(header: string | undefined, size: number): RangeDecision {
  if (!header) return { kind: "full" };
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return { kind: "full" };
  const [, first, last] = match as unknown as [string, string, string];
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: "unsatisfiable" };
    return { kind: "partial", range: { start: Math.max(0, size - suffix), end: size - 1 } };
  }
  const start = Number(first);
  if (start >= size) return { kind: "unsatisfiable" };
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  if (end < start) return { kind: "full" };
  return { kind: "partial", range: { start, end } };
}

/** If-Range holds a strong ETag or an HTTP date; only a matching ETag keeps the range (we send no Last-Modified). */
export function ifRangeAllows(ifRange: string | undefined, etag: string): boolean {
  return ifRange === undefined || ifRange.trim() === etag;
}
