import { badRequest } from "./errors.ts";

/** Rules for the names and enumerations of the catalogue, shared by the API, the CLI and the importers. */
export const CONFIGURATION_KINDS = ["configuration", "platform", "report-forms"] as const;
export type ConfigurationKind = (typeof CONFIGURATION_KINDS)[number];

export const EDITIONS = ["basic", "prof", "corp"] as const;
export type Edition = (typeof EDITIONS)[number];

export const RELEASE_STATUSES = ["draft", "published", "withdrawn"] as const;
export type ReleaseStatus = (typeof RELEASE_STATUSES)[number];

/** The documents a release page carries, as Markdown. */
export const RELEASE_DOCUMENTS = [
  "whatsNew",
  "changes",
  "majorChanges",
  "changedObjects",
  "updateOrder",
  "readme",
] as const;
export type ReleaseDocumentName = (typeof RELEASE_DOCUMENTS)[number];
export type ReleaseDocuments = Partial<Record<ReleaseDocumentName, string>>;

/** The distribution an update step downloads. */
export const UPDATE_DISTRIBUTION = "update";
/** update, full and basic-to-prof are the usual kinds; platform files take free names such as platform-windows-x64. */
const DISTRIBUTION_KIND = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const CHANNEL = /^[a-z][a-z0-9-]{0,31}$/;

function check(pattern: RegExp, value: unknown, code: string, message: string): string {
  if (typeof value !== "string" || !pattern.test(value)) throw badRequest(code, message, { value });
  return value;
}

/** Whether `value` is a code: also a plain file or folder name (never `.`, `..` or a path). */
export function isCode(value: unknown): value is string {
  return typeof value === "string" && CODE.test(value);
}

export const validateCode = (value: unknown, what = "code") =>
  check(CODE, value, "invalid_code", `A ${what} is 1-64 letters, digits, dots, dashes or underscores.`);

export const validateDistributionKind = (value: unknown) =>
  check(
    DISTRIBUTION_KIND,
    value,
    "invalid_distribution_kind",
    "A distribution kind is update, full, basic-to-prof or another lower-case name of up to 64 characters.",
  );

export const validateChannel = (value: unknown) =>
  check(
    CHANNEL,
    value,
    "invalid_channel",
    "A channel is a lower-case name of up to 32 characters, e.g. stable.",
  );

/** A file name as the user will save it: no folders, no control characters. */
export function validateFileName(value: unknown): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this rejects
  const bad = /[/\\\u0000-\u001f\u007f]/;
  if (
    typeof value !== "string" ||
    value.length === 0 ||
    value.length > 255 ||
    bad.test(value) ||
    value === "." ||
    value === ".."
  ) {
    throw badRequest("invalid_file_name", "X-Filename must name a file (1-255 characters, no slashes).", {
      value,
    });
  }
  return value;
}

export function validateSha256(value: unknown): string {
  if (typeof value !== "string" || !/^[0-9a-fA-F]{64}$/.test(value)) {
    throw badRequest("invalid_checksum", "X-Checksum-Sha256 must be 64 hexadecimal digits.");
  }
  return value.toLowerCase();
}
