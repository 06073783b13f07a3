/**
 * The package list `v8cscdsc.lst`, which older tools read instead of the XML update list: one
 * list in 1C's brace format (src/formats/onec/brace.ts), UTF-8 with a BOM, served beside the
 * packages.
 *
 *     {0,"<date>","<url>",<number of configurations>,{<records>}}
 *
 * `<records>` is flat: six values per configuration version,
 *
 *     {"<name>","<vendor>","<version>","<null GUID>"},   the configuration version
 *     0,{},                                             full distributions: none listed here
 *     1,{<id>,<n>,{<id of each version it updates from>...},"<path of 1cv8.cfu>"},
 *     "<path of 1cv8.mft>"
 *
 * where an id is `{"<name>","<vendor>","<version>","<null GUID>"}`. Readers in the field walk the
 * records six at a time and take the .cfu path from the update; the date and URL are kept as written.
 */
import type { BraceValue } from "./brace.ts";
import { braceList, braceString, parseBraces } from "./brace.ts";
import { BOM, decodeUtf8, type Fail, failOf, hasControlCharacters, notLower, readVersion } from "./text.ts";
import { isFeedRelativePath } from "./update-list.ts";

export const PACKAGE_LIST_FILE = "v8cscdsc.lst";
export const NULL_GUID = "00000000-0000-0000-0000-000000000000";
const VALUES_PER_RECORD = 6;

export interface PackageListEntry {
  /** The configuration's own name (the manifest's Name). */
  readonly configuration: string;
  readonly vendor: string;
  readonly version: string;
  readonly updateFrom: readonly string[];
  /** The update file's path below the feed root, e.g. `1c/HRM/3_0_11_36/1cv8.cfu`. */
  readonly updateFile: string;
  /** The manifest's path below the feed root, e.g. `1c/HRM/3_0_11_36/1cv8.mft`. */
  readonly manifestFile: string;
}

export interface PackageList {
  /** As written; the list's own date. */
  readonly date: string;
  /** Where the list is published, as written. */
  readonly url: string;
  readonly entries: readonly PackageListEntry[];
}

type List = Extract<BraceValue, { kind: "list" }>;

function list(value: BraceValue | undefined, what: string, fail: Fail, line: number): List {
  if (value?.kind !== "list")
    throw fail(value?.line ?? line, "syntax", `${what} should be a list in braces.`);
  return value;
}

function text(value: BraceValue | undefined, what: string, fail: Fail, line: number): string {
  if (value?.kind !== "string")
    throw fail(value?.line ?? line, "syntax", `${what} should be a quoted string.`);
  if (hasControlCharacters(value.value)) throw fail(value.line, "value", `${what} holds control characters.`);
  return value.value;
}

function count(value: BraceValue | undefined, what: string, fail: Fail, line: number): number {
  if (value?.kind !== "atom" || !/^\d{1,9}$/.test(value.value)) {
    throw fail(value?.line ?? line, "syntax", `${what} should be a number.`);
  }
  return Number(value.value);
}

function path(value: BraceValue | undefined, what: string, fail: Fail, line: number): string {
  const result = text(value, what, fail, line);
  if (!isFeedRelativePath(result))
    throw fail(value!.line, "value", `${what} ${JSON.stringify(result)} is not a path below the feed root.`);
  return result;
}

/** `{"name","vendor","version","guid"}` */
function readId(value: BraceValue | undefined, what: string, fail: Fail, line: number) {
  const id = list(value, what, fail, line);
  if (id.items.length !== 4) throw fail(id.line, "syntax", `${what} holds name, vendor, version and GUID.`);
  const version = text(id.items[2], `${what}'s version`, fail, id.line);
  const canonical = readVersion(version);
  if (canonical === null)
    throw fail(id.line, "value", `${what}'s version ${JSON.stringify(version)} is not a version.`);
  return {
    name: text(id.items[0], `${what}'s name`, fail, id.line),
    vendor: text(id.items[1], `${what}'s vendor`, fail, id.line),
    version: canonical,
  };
}

export function readPackageList(bytes: Uint8Array, file = PACKAGE_LIST_FILE): PackageList {
  const fail = failOf(file);
  const root = list(parseBraces(decodeUtf8(bytes, file).text, fail), "the file", fail, 1);
  if (root.items.length !== 5)
    throw fail(root.line, "syntax", "the outer list holds 0, date, URL, count and records.");
  if (root.items[0]?.kind !== "atom" || root.items[0].value !== "0") {
    throw fail(root.items[0]!.line, "syntax", "the outer list starts with 0.");
  }
  const date = text(root.items[1], "the date", fail, root.line);
  const url = text(root.items[2], "the URL", fail, root.line);
  const declared = count(root.items[3], "the number of configurations", fail, root.line);
  const records = list(root.items[4], "the records", fail, root.line);
  if (
    records.items.length % VALUES_PER_RECORD !== 0 ||
    records.items.length / VALUES_PER_RECORD !== declared
  ) {
    throw fail(
      records.line,
      "syntax",
      `the records hold ${records.items.length} values: ${declared} configurations take ${declared * VALUES_PER_RECORD}.`,
    );
  }
  const entries: PackageListEntry[] = [];
  for (let at = 0; at < records.items.length; at += VALUES_PER_RECORD) {
    entries.push(readRecord(records.items.slice(at, at + VALUES_PER_RECORD), fail));
  }
  return { date, url, entries };
}

function readRecord(values: readonly BraceValue[], fail: Fail): PackageListEntry {
  const line = values[0]!.line;
  const id = readId(values[0], "the configuration", fail, line);
  const distributions = count(values[1], "the number of distributions", fail, line);
  if (list(values[2], "the distributions", fail, line).items.length !== distributions) {
    throw fail(values[2]!.line, "syntax", `the distributions do not number ${distributions}.`);
  }
  if (count(values[3], "the number of updates", fail, line) !== 1) {
    throw fail(values[3]!.line, "value", "a record holds one update.");
  }
  const update = list(values[4], "the update", fail, line);
  if (update.items.length !== 4)
    throw fail(
      update.line,
      "syntax",
      "the update holds its id, the count and list of versions it updates from, and its file.",
    );
  const target = readId(update.items[0], "the update's id", fail, update.line);
  if (target.version !== id.version || target.name !== id.name) {
    throw fail(
      update.line,
      "value",
      `the update is of ${target.name} ${target.version}, its record of ${id.name} ${id.version}.`,
    );
  }
  const fromList = list(update.items[2], "the versions it updates from", fail, update.line);
  if (
    count(update.items[1], "the number of versions it updates from", fail, update.line) !==
    fromList.items.length
  ) {
    throw fail(update.line, "syntax", "the number of versions it updates from does not match their list.");
  }
  const updateFrom: string[] = [];
  for (const from of fromList.items) {
    const version = readId(from, "a version it updates from", fail, fromList.line).version;
    if (!updateFrom.includes(version)) updateFrom.push(version);
  }
  const later = notLower(updateFrom, id.version);
  if (later !== undefined) {
    throw fail(fromList.line, "value", `${id.version} updates from ${later}, which is not lower.`);
  }
  return {
    configuration: id.name,
    vendor: id.vendor,
    version: id.version,
    updateFrom,
    updateFile: path(update.items[3], "the update file", fail, update.line),
    manifestFile: path(values[5], "the manifest file", fail, line),
  };
}

/** The list with a BOM and a line per record value (CRLF). */
export function writePackageList(packages: PackageList): Buffer {
  const fail = failOf(PACKAGE_LIST_FILE);
  const checked = (value: string, what: string) => {
    if (hasControlCharacters(value))
      throw fail(null, "value", `${what} ${JSON.stringify(value)} holds control characters.`);
    return braceString(value);
  };
  const id = (entry: PackageListEntry, version: string) => {
    if (readVersion(version) !== version)
      throw fail(null, "value", `${JSON.stringify(version)} is not a canonical version.`);
    return braceList([
      checked(entry.configuration, "the name"),
      checked(entry.vendor, "the vendor"),
      braceString(version),
      braceString(NULL_GUID),
    ]);
  };
  const records = packages.entries.flatMap((entry) => {
    if (new Set(entry.updateFrom).size !== entry.updateFrom.length)
      throw fail(null, "value", `${entry.version} names a version it updates from twice.`);
    const later = notLower(entry.updateFrom, entry.version);
    if (later !== undefined)
      throw fail(null, "value", `${entry.version} updates from ${later}, which is not lower.`);
    for (const file of [entry.updateFile, entry.manifestFile]) {
      if (!isFeedRelativePath(file))
        throw fail(null, "value", `${JSON.stringify(file)} is not a path below the feed root.`);
    }
    return [
      id(entry, entry.version),
      "0",
      "{}",
      "1",
      braceList([
        id(entry, entry.version),
        String(entry.updateFrom.length),
        braceList(entry.updateFrom.map((from) => id(entry, from))),
        braceString(entry.updateFile),
      ]),
      braceString(entry.manifestFile),
    ];
  });
  const body = records.length === 0 ? "{}" : `{\r\n${records.join(",\r\n")}\r\n}`;
  const header = [
    "0",
    checked(packages.date, "the date"),
    checked(packages.url, "the URL"),
    String(packages.entries.length),
  ];
  return Buffer.from(`${BOM}{${header.join(",")},${body}}\r\n`, "utf8");
}
