/**
 * 1cv8.mft, the manifest of an update package: UTF-8 with a BOM, CRLF.
 *
 *     Vendor=Фирма "1С"
 *     Name=ЗарплатаИУправлениеПерсоналом
 *     Version=3.0.11.36
 *     AppVersion=8.3
 *     [Config1]
 *     Catalog=1С:Зарплата и Управление Персоналом/Зарплата и Управление Персоналом
 *     Destination=1C\HRM
 *     Source=1cv8.cf
 *
 * The order is the format's: tools find the version with a plain `Version=(.*)` search, which would
 * hit `AppVersion=` first if it came earlier, so a manifest in another order is refused. The first
 * section's Destination is where the package installs (src/formats/onec/layout.ts); later sections
 * name further templates (a demo database) of the same package.
 */
import { isDeepStrictEqual } from "node:util";
import { FormatError } from "../format-error.ts";
import { parseDestination } from "./layout.ts";
import {
  BOM,
  crlfLines,
  decodeUtf8,
  type Fail,
  failOf,
  hasControlCharacters,
  readVersion,
  splitLines,
} from "./text.ts";

export interface ManifestConfig {
  /** The template catalogue shown in the 1C program, `/`-separated. */
  readonly catalog: string;
  /** `<vendor>\<code>`, e.g. `1C\HRM`. */
  readonly destination: string;
  /** The template's file in the package: `1cv8.cf`, `1Cv8.dt`. */
  readonly source: string;
}

export interface Manifest {
  readonly vendor: string;
  /** The configuration's own name (its metadata name), e.g. `ЗарплатаИУправлениеПерсоналом`. */
  readonly name: string;
  readonly version: string;
  /** The platform line, e.g. `8.3`. */
  readonly appVersion: string;
  readonly configs: readonly ManifestConfig[];
}

export const MANIFEST_FILE = "1cv8.mft";
const HEADER_KEYS = ["Vendor", "Name", "Version", "AppVersion"] as const;
const CONFIG_KEYS = ["Catalog", "Destination", "Source"] as const;
const APP_VERSION = /^\d{1,4}\.\d{1,4}$/;

/** Reads `Key=value` lines in a fixed order, naming the line of any problem. */
class LineReader {
  private index = 0;
  constructor(
    private readonly lines: readonly string[],
    private readonly fail: Fail,
    private readonly allKeys: readonly string[],
  ) {}

  get done(): boolean {
    return this.index >= this.lines.length;
  }

  get lineNumber(): number {
    return this.index + 1;
  }

  next(): string | undefined {
    return this.lines[this.index++];
  }

  value(key: string): { value: string; line: number } {
    const line = this.lineNumber;
    const text = this.next();
    if (text === undefined) throw this.fail(line, "missing", `${key}= is missing: the file ends before it.`);
    const equals = text.indexOf("=");
    const found = equals < 0 ? null : text.slice(0, equals);
    if (found !== key) {
      if (found !== null && this.allKeys.includes(found)) {
        throw this.fail(line, "order", `${found}= stands where ${key}= must.`);
      }
      throw this.fail(line, "missing", `expected ${key}=, found ${JSON.stringify(text.slice(0, 60))}.`);
    }
    const value = text.slice(equals + 1);
    if (value === "" || value.trim() !== value || hasControlCharacters(value)) {
      throw this.fail(
        line,
        "value",
        `${key}= needs a value without surrounding spaces or control characters.`,
      );
    }
    return { value, line };
  }
}

export function readManifest(bytes: Uint8Array, file = MANIFEST_FILE): Manifest {
  const fail = failOf(file);
  const lines = splitLines(decodeUtf8(bytes, file).text);
  const reader = new LineReader(lines, fail, [...HEADER_KEYS, ...CONFIG_KEYS]);
  const [vendor, name, version, appVersion] = HEADER_KEYS.map((key) => reader.value(key)) as [
    { value: string; line: number },
    { value: string; line: number },
    { value: string; line: number },
    { value: string; line: number },
  ];
  const canonical = readVersion(version.value);
  if (canonical === null) {
    throw fail(
      version.line,
      "value",
      `Version ${JSON.stringify(version.value)} is not four numbers such as 3.0.11.36.`,
    );
  }
  if (!APP_VERSION.test(appVersion.value)) {
    throw fail(
      appVersion.line,
      "value",
      `AppVersion ${JSON.stringify(appVersion.value)} is not a platform line such as 8.3.`,
    );
  }
  const configs: ManifestConfig[] = [];
  while (!reader.done) {
    const line = reader.lineNumber;
    const header = reader.next();
    const expected = `[Config${configs.length + 1}]`;
    if (header !== expected) {
      if (header === "" && lines.slice(line).every((rest) => rest === "")) break;
      throw fail(
        line,
        /^\[Config\d+\]$/.test(header ?? "") ? "order" : "syntax",
        `expected ${expected}, found ${JSON.stringify(header?.slice(0, 60))}.`,
      );
    }
    const [catalog, destination, source] = CONFIG_KEYS.map((key) => reader.value(key)) as [
      { value: string; line: number },
      { value: string; line: number },
      { value: string; line: number },
    ];
    if (catalog.value.split("/").some((part) => part.trim() === "")) {
      throw fail(catalog.line, "value", `Catalog ${JSON.stringify(catalog.value)} has an empty part.`);
    }
    if (parseDestination(destination.value) === null) {
      throw fail(
        destination.line,
        "value",
        `Destination ${JSON.stringify(destination.value)} is not <vendor>\\<code> of plain names, such as 1C\\HRM.`,
      );
    }
    if (/[\\/:]/.test(source.value) || source.value === "." || source.value === "..") {
      throw fail(source.line, "value", `Source ${JSON.stringify(source.value)} is not a plain file name.`);
    }
    configs.push({ catalog: catalog.value, destination: destination.value, source: source.value });
  }
  if (configs.length === 0)
    throw fail(reader.lineNumber, "missing", "the manifest has no [Config1] section.");
  return {
    vendor: vendor.value,
    name: name.value,
    version: canonical,
    appVersion: appVersion.value,
    configs,
  };
}

/** The manifest as 1C writes it: BOM, CRLF, the format's order. */
export function writeManifest(manifest: Manifest): Buffer {
  const fail = failOf(MANIFEST_FILE);
  const lines = [
    `Vendor=${manifest.vendor}`,
    `Name=${manifest.name}`,
    `Version=${manifest.version}`,
    `AppVersion=${manifest.appVersion}`,
    ...manifest.configs.flatMap((config, index) => [
      `[Config${index + 1}]`,
      `Catalog=${config.catalog}`,
      `Destination=${config.destination}`,
      `Source=${config.source}`,
    ]),
  ];
  const bytes = Buffer.from(`${BOM}${crlfLines(lines)}`, "utf8");
  // Whatever would not read back as given (a line break in a value, a bad version) is refused.
  let read: Manifest;
  try {
    read = readManifest(bytes);
  } catch (error) {
    throw error instanceof FormatError ? fail(null, "value", `it cannot be written: ${error.reason}`) : error;
  }
  const given: Manifest = {
    vendor: manifest.vendor,
    name: manifest.name,
    version: manifest.version,
    appVersion: manifest.appVersion,
    configs: manifest.configs.map(({ catalog, destination, source }) => ({ catalog, destination, source })),
  };
  if (!isDeepStrictEqual(read, given)) {
    throw fail(
      null,
      "value",
      `it cannot be written: version ${JSON.stringify(manifest.version)} is not canonical.`,
    );
  }
  return bytes;
}
