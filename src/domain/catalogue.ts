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

/**
 * What a configuration's packages are. `1c`: an `update` is a 1C update package (a zip whose
 * UpdInfo.txt names the release's version), unpacked by the client into the templates folder.
 * `file`: any other vendor's installer or archive, placed by the client as one file.
 */
export const PACKAGE_FORMATS = ["1c", "file"] as const;
export type PackageFormat = (typeof PACKAGE_FORMATS)[number];
export const DEFAULT_PACKAGE_FORMAT: PackageFormat = "1c";

/** The distribution an update step downloads. */
export const UPDATE_DISTRIBUTION = "update";

/** The files of a configuration's (or report forms') release. */
export const PACKAGE_DISTRIBUTION_KINDS = [UPDATE_DISTRIBUTION, "full", "basic-to-prof"] as const;
/** The installers of a platform release. */
export const PLATFORM_DISTRIBUTION_KINDS = [
  "platform-windows-x86",
  "platform-windows-x64",
  "platform-linux-x86",
  "platform-linux-x64",
  "platform-linux-deb-x64",
  "platform-linux-rpm-x64",
  "platform-macos",
] as const;
export const DISTRIBUTION_KINDS = [...PACKAGE_DISTRIBUTION_KINDS, ...PLATFORM_DISTRIBUTION_KINDS] as const;
export type DistributionKind = (typeof DISTRIBUTION_KINDS)[number];

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

export const invalidDistributionKind = (value?: unknown) =>
  badRequest(
    "invalid_distribution_kind",
    `A distribution kind is one of ${DISTRIBUTION_KINDS.join(", ")}.`,
    value === undefined ? {} : { value },
  );

export function validateDistributionKind(value: unknown): DistributionKind {
  if (!(DISTRIBUTION_KINDS as readonly unknown[]).includes(value)) throw invalidDistributionKind(value);
  return value as DistributionKind;
}

/** Platform releases carry platform installers; every other configuration carries packages. */
export function distributionKindsOf(configurationKind: ConfigurationKind): readonly DistributionKind[] {
  return configurationKind === "platform" ? PLATFORM_DISTRIBUTION_KINDS : PACKAGE_DISTRIBUTION_KINDS;
}

/** Whether the bytes of this kind must be a 1C update package (checked at upload, unpacked by the client). */
export function isUpdatePackage(format: PackageFormat, kind: DistributionKind): boolean {
  return format === "1c" && kind === UPDATE_DISTRIBUTION;
}

export function validatePackageFormat(value: unknown): PackageFormat {
  if (!(PACKAGE_FORMATS as readonly unknown[]).includes(value)) {
    throw badRequest("invalid_package_format", `packageFormat is one of ${PACKAGE_FORMATS.join(", ")}.`, {
      value,
    });
  }
  return value as PackageFormat;
}

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
