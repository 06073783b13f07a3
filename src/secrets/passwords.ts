import { randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

/** Argon2id with the OWASP-recommended minimum: m=19456 KiB, t=2, p=1. */
const ARGON2ID = 2; // Algorithm.Argon2id, a const enum that isolated modules cannot import
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** A password the service chooses (a first administrator, a client registered with a PIN or by a partner). */
export function generatePassword(): string {
  // 15 characters of base64url: 90 bits.
  return (
    randomBytes(12).toString("base64url").replace(/[-_]/g, "x") + randomBytes(2).toString("hex").slice(0, 3)
  );
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash of a password nobody knows, so that an unknown login costs as much time as a wrong password. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(`decoy-${Math.random()}`);
  return decoy;
}
