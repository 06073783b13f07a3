import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

const KEY_BYTES = 32;

function parseHexKey(text: string, where: string): Buffer {
  const hex = text.trim();
  if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length < 32 || hex.length % 2 !== 0) {
    throw new Error(`${where} must hold a key of at least 16 bytes as hex, e.g. 64 hex digits.`);
  }
  return Buffer.from(hex, "hex");
}

/**
 * The server's PIN key: PINs are stored only as HMAC-SHA256 under it. From UPKEEP_PIN_KEY (hex) when
 * set, else read from `file`, created once with 32 random bytes and mode 0600. Losing it makes every
 * unused PIN unverifiable, so back it up with the database.
 */
export function loadOrCreatePinKey(file: string, fromEnv: string | null = null): Buffer {
  if (fromEnv) return parseHexKey(fromEnv, "UPKEEP_PIN_KEY");
  if (existsSync(file)) return parseHexKey(readFileSync(file, "utf8"), file);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(KEY_BYTES);
  try {
    // "wx": two processes starting at once do not overwrite each other's key.
    writeFileSync(file, `${key.toString("hex")}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST")
      return parseHexKey(readFileSync(file, "utf8"), file);
    throw error;
  }
  chmodSync(file, 0o600);
  return key;
}
