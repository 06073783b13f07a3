import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { canonicalize } from "@tufjs/canonical-json";
import { Key } from "@tufjs/models";

/** The four top-level TUF roles; each has one Ed25519 key and a threshold of 1. */
export const TUF_ROLES = ["root", "targets", "snapshot", "timestamp"] as const;
export type TufRole = (typeof TUF_ROLES)[number];

export interface TufKey {
  readonly role: TufRole;
  /** sha256 (hex) of the canonical JSON of the public key object, as the TUF specification defines it. */
  readonly keyId: string;
  /** The public half as TUF metadata lists it (keytype and scheme ed25519, hex public key). */
  readonly publicKey: Key;
  readonly privateKey: KeyObject;
}

export type TufKeys = Readonly<Record<TufRole, TufKey>>;

/** The public key object of an Ed25519 key, keyid computed per the specification. */
function tufPublicKey(privateOrPublic: KeyObject): Key {
  const publicKey = privateOrPublic.type === "private" ? createPublicKey(privateOrPublic) : privateOrPublic;
  const jwk = publicKey.export({ format: "jwk" });
  if (jwk.crv !== "Ed25519" || !jwk.x) throw new Error("TUF keys are Ed25519 keys.");
  const hex = Buffer.from(jwk.x, "base64url").toString("hex");
  const unidentified = new Key({ keyID: "", keyType: "ed25519", scheme: "ed25519", keyVal: { public: hex } });
  const keyID = createHash("sha256").update(canonicalize(unidentified.toJSON())).digest("hex");
  return new Key({ keyID, keyType: "ed25519", scheme: "ed25519", keyVal: { public: hex } });
}

function toTufKey(role: TufRole, privateKey: KeyObject): TufKey {
  if (privateKey.asymmetricKeyType !== "ed25519") {
    throw new Error(`The TUF ${role} key is a ${privateKey.asymmetricKeyType} key; it must be Ed25519.`);
  }
  const publicKey = tufPublicKey(privateKey);
  return { role, keyId: publicKey.keyID, publicKey, privateKey };
}

/** Generates a fresh, unsaved key set (tests, tools). */
export function generateTufKeys(): TufKeys {
  const entries = TUF_ROLES.map((role) => [role, toTufKey(role, generateKeyPairSync("ed25519").privateKey)]);
  return Object.fromEntries(entries) as Record<TufRole, TufKey>;
}

function loadOrCreate(dir: string, role: TufRole): TufKey {
  const file = join(dir, `${role}.pem`);
  try {
    return toTufKey(role, createPrivateKey(readFileSync(file, "utf8")));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new Error(`Cannot read the TUF ${role} key ${file}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  const { privateKey } = generateKeyPairSync("ed25519");
  const pem = privateKey.export({ format: "pem", type: "pkcs8" }) as string;
  try {
    // wx: another process starting at the same moment wins, and we read its key instead.
    writeFileSync(file, pem, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return toTufKey(role, createPrivateKey(readFileSync(file, "utf8")));
  }
  return toTufKey(role, privateKey);
}

/**
 * The signing keys, PKCS#8 PEM files `<role>.pem` in `dir` (normally `<dataDir>/tuf/keys`): created on
 * first start (folder 0700, files 0600) and read on later starts. Every node of a deployment must hold
 * the same files, or it will refuse to sign (see the TUF repository).
 */
export function loadOrCreateTufKeys(dir: string): TufKeys {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const entries = TUF_ROLES.map((role) => [role, loadOrCreate(dir, role)]);
  return Object.fromEntries(entries) as Record<TufRole, TufKey>;
}
