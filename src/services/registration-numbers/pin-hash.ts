import { createHmac, timingSafeEqual } from "node:crypto";

/** PINs are bound to their number: HMAC-SHA256(key, number ":" pin), hex. */
export function pinHash(key: Buffer, number: string, pin: string): string {
  return createHmac("sha256", key).update(`${number}:${pin}`).digest("hex");
}

/** Constant-time equality of two PIN hashes. */
export function pinHashesEqual(expected: Buffer, actual: Buffer): boolean {
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
