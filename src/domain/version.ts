/**
 * Release versions: four numeric parts, as 1C numbers configurations (`2.0.38.6`) and
 * platforms (`8.2.15.319`). Only the canonical spelling is accepted (no leading zeros,
 * no signs, no spaces), so a valid version string is already its own normal form and
 * two spellings of one version can never coexist in the catalogue.
 */
import { badRequest } from "./errors.ts";

export type VersionParts = readonly [number, number, number, number];

// At most 9 digits keeps every part a safe integer and lets versionSortKey pad to a fixed width.
const PART = "(0|[1-9][0-9]{0,8})";
const VERSION_PATTERN = new RegExp(`^${PART}\\.${PART}\\.${PART}\\.${PART}$`);
const SORT_KEY_WIDTH = 9;

/** `field` names the input that held the version (`target`, `updateFrom[2]`), for problems people read. */
function invalidVersion(text: unknown, expected: string, field?: string) {
  const shown = typeof text === "string" ? JSON.stringify(text) : String(text);
  return badRequest(
    "invalid_version",
    `Invalid ${field ?? "version"} ${shown}: expected ${expected}`,
    field === undefined ? { version: text } : { field, version: text },
  );
}

export function parseVersion(text: string, field?: string): VersionParts {
  const match = typeof text === "string" ? VERSION_PATTERN.exec(text) : null;
  if (!match) {
    throw invalidVersion(text, "four dot-separated numbers such as 3.0.23.148 (no leading zeros)", field);
  }
  return [Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4])];
}

export function isVersion(text: unknown): text is string {
  return typeof text === "string" && VERSION_PATTERN.test(text);
}

export function formatVersion(parts: VersionParts): string {
  return parts.join(".");
}

/** The canonical spelling of `text`; an invalid version is a problem naming `field`. */
export function normalizeVersion(text: string, field: string): string {
  return formatVersion(parseVersion(text, field));
}

export function compareVersions(a: string, b: string): number {
  const left = parseVersion(a);
  const right = parseVersion(b);
  for (let i = 0; i < 4; i++) {
    const difference = left[i]! - right[i]!;
    if (difference !== 0) return difference;
  }
  return 0;
}

/** `2.0.38.6` -> `2_0_38_6`, the spelling used for template and package folders. */
export function versionToUnderscore(v: string): string {
  return parseVersion(v).join("_");
}

export function versionFromUnderscore(s: string): string {
  if (typeof s !== "string" || s.includes(".")) {
    throw invalidVersion(s, "four underscore-separated numbers such as 3_0_23_148");
  }
  const dotted = s.replaceAll("_", ".");
  if (!isVersion(dotted)) {
    throw invalidVersion(s, "four underscore-separated numbers such as 3_0_23_148");
  }
  return dotted;
}

/** A fixed-width key whose plain string order is the version order (for SQL ORDER BY). */
export function versionSortKey(v: string): string {
  return parseVersion(v)
    .map((part) => String(part).padStart(SORT_KEY_WIDTH, "0"))
    .join(".");
}

/** "8.3.5.1119" -> "83": the platform line that names a directory of the legacy 1C feed. */
export function platformLine(v: string): string {
  const [major, minor] = parseVersion(v);
  return `${major}${minor}`;
}
