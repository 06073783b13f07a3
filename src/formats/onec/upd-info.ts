/**
 * UpdInfo.txt, the three lines every update package, templates folder and legacy feed carries:
 *
 *     Version=3.0.23.148
 *     FromVersions=;3.0.23.132;3.0.23.139;
 *     UpdateDate=22.09.2015
 *
 * The keys are always in this order, with no spaces around `=`: tools in the field read them by line
 * position or with one regular expression, so a file in another order is refused. CRLF; the feed's
 * copy starts with a UTF-8 BOM, the copy inside a package has none (both are read).
 */
import {
  BOM,
  crlfLines,
  decodeUtf8,
  type Fail,
  failOf,
  isIsoDate,
  notLower,
  readDate,
  readVersion,
  splitLines,
  writeDate,
} from "./text.ts";

export interface UpdInfo {
  /** The version the package brings, canonical. */
  readonly version: string;
  /** The versions it updates from, canonical, in file order, without duplicates. */
  readonly fromVersions: readonly string[];
  /** UpdateDate as an ISO date (YYYY-MM-DD), or null when the file leaves it empty. */
  readonly updateDate: string | null;
}

export const UPD_INFO_FILE = "UpdInfo.txt";
const KEYS = ["Version", "FromVersions", "UpdateDate"] as const;

export function readUpdInfo(bytes: Uint8Array, file = UPD_INFO_FILE): UpdInfo {
  const fail = failOf(file);
  const lines = splitLines(decodeUtf8(bytes, file).text);
  const values = KEYS.map((key, index) => {
    const line = lines[index];
    const number = index + 1;
    if (line === undefined)
      throw fail(number, "missing", `line ${number} must be ${key}=, the file ends before it.`);
    const equals = line.indexOf("=");
    const found = equals < 0 ? null : line.slice(0, equals);
    if (found === key) return line.slice(equals + 1);
    if (found !== null && (KEYS as readonly string[]).includes(found)) {
      throw fail(number, "order", `${found}= stands where ${key}= must (the order is ${KEYS.join(", ")}).`);
    }
    if (found !== null && found.trim() === key)
      throw fail(number, "syntax", `${key}= is written with no spaces around "=".`);
    throw fail(number, "syntax", `expected ${key}=, found ${JSON.stringify(line.slice(0, 60))}.`);
  }) as [string, string, string];
  const extra = lines.findIndex((line, index) => index >= KEYS.length && line !== "");
  if (extra >= 0)
    throw fail(extra + 1, "syntax", "UpdInfo.txt has three lines only (Version, FromVersions, UpdateDate).");

  const [versionText, fromText, dateText] = values;
  const version = readVersion(versionText);
  if (version === null)
    throw fail(1, "value", `Version ${JSON.stringify(versionText)} is not four numbers such as 3.0.23.148.`);
  const fromVersions = readFromVersions(fromText, fail);
  const later = notLower(fromVersions, version);
  if (later !== undefined)
    throw fail(2, "value", `FromVersions names ${later}, which is not lower than Version ${version}.`);
  return { version, fromVersions, updateDate: readUpdateDate(dateText, fail) };
}

/** `;a;b;` (empty, or a lone `;`, for a first release). */
function readFromVersions(text: string, fail: Fail): string[] {
  if (text === "" || text === ";") return [];
  if (!text.startsWith(";") || !text.endsWith(";")) {
    throw fail(
      2,
      "syntax",
      'FromVersions starts and ends with ";" (";3.0.10.32;3.0.11.1;"): tools search it for ";<version>;".',
    );
  }
  const versions: string[] = [];
  for (const item of text.slice(1, -1).split(";")) {
    const version = readVersion(item);
    if (version === null)
      throw fail(2, "value", `FromVersions holds ${JSON.stringify(item)}, not a version such as 3.0.23.148.`);
    if (!versions.includes(version)) versions.push(version);
  }
  return versions;
}

function readUpdateDate(text: string, fail: Fail): string | null {
  if (text === "") return null;
  const date = readDate(text);
  if (date === null)
    throw fail(3, "value", `UpdateDate ${JSON.stringify(text)} is not a day written DD.MM.YYYY.`);
  return date;
}

/**
 * The file as 1C writes it: CRLF, FromVersions wrapped in `;`. `bom`: the legacy feed's copy has a
 * UTF-8 BOM, the copy inside an update package none.
 */
export function writeUpdInfo(info: UpdInfo, options: { readonly bom: boolean }): Buffer {
  const fail = failOf(UPD_INFO_FILE);
  const versions = [info.version, ...info.fromVersions];
  const bad = versions.find((version) => readVersion(version) !== version);
  if (bad !== undefined) throw fail(null, "value", `${JSON.stringify(bad)} is not a canonical version.`);
  if (new Set(info.fromVersions).size !== info.fromVersions.length) {
    throw fail(null, "value", "FromVersions names a version twice.");
  }
  const later = notLower(info.fromVersions, info.version);
  if (later !== undefined)
    throw fail(null, "value", `FromVersions names ${later}, not lower than ${info.version}.`);
  if (info.updateDate !== null && !isIsoDate(info.updateDate)) {
    throw fail(null, "value", `the update date ${JSON.stringify(info.updateDate)} is not YYYY-MM-DD.`);
  }
  const from = info.fromVersions.length === 0 ? "" : `;${info.fromVersions.join(";")};`;
  const text = crlfLines([
    `Version=${info.version}`,
    `FromVersions=${from}`,
    `UpdateDate=${info.updateDate === null ? "" : writeDate(info.updateDate)}`,
  ]);
  return Buffer.from(options.bom ? `${BOM}${text}` : text, "utf8");
}
