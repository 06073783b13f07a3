/**
 * UpdInfo.txt, the three-line description every 1C update package and templates folder carries:
 *
 *     Version=3.0.23.148
 *     FromVersions=;3.0.23.132;3.0.23.139;
 *     UpdateDate=22.09.2015
 *
 * UTF-8, usually with a BOM and CRLF line ends. Pure: no file system, so the client, the server and
 * the tests share it.
 */
import { badRequest } from "./errors.ts";
import { isVersion } from "./version.ts";

export interface UpdInfo {
  /** The version the package brings, canonical. */
  readonly version: string;
  /** The versions it updates from, canonical, in file order, without duplicates. */
  readonly fromVersions: string[];
  /** UpdateDate as an ISO date (YYYY-MM-DD), or null when the file has none. */
  readonly updateDate: string | null;
}

function invalid(message: string, details: Record<string, unknown> = {}) {
  return badRequest("invalid_upd_info", `UpdInfo.txt: ${message}`, details);
}

/** `1C` writes versions as it likes in old files (`3.0.05.1`): leading zeros are dropped here. */
function canonical(text: string, what: string): string {
  const parts = text.trim().split(".");
  if (parts.length !== 4 || parts.some((part) => !/^\d{1,9}$/.test(part))) {
    throw invalid(`${what} ${JSON.stringify(text)} is not a version of four numbers such as 3.0.23.148.`, {
      version: text,
    });
  }
  const version = parts.map((part) => String(Number(part))).join(".");
  if (!isVersion(version)) throw invalid(`${what} ${JSON.stringify(text)} is not a valid version.`);
  return version;
}

/** DD.MM.YYYY -> YYYY-MM-DD, checking the day exists. */
function isoDate(text: string): string {
  const match = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text.trim());
  if (!match) throw invalid(`UpdateDate ${JSON.stringify(text)} is not a date DD.MM.YYYY.`, { date: text });
  const [, day, month, year] = match as unknown as [string, string, string, string];
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (
    date.getUTCFullYear() !== Number(year) ||
    date.getUTCMonth() !== Number(month) - 1 ||
    date.getUTCDate() !== Number(day)
  ) {
    throw invalid(`UpdateDate ${JSON.stringify(text)} is not a real day.`, { date: text });
  }
  return date.toISOString().slice(0, 10);
}

export function parseUpdInfo(text: string): UpdInfo {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const values = new Map<string, string>();
  for (const line of body.split(/\r\n|\r|\n/)) {
    if (line.trim() === "") continue;
    const equals = line.indexOf("=");
    if (equals < 0) throw invalid(`the line ${JSON.stringify(line)} is not Key=Value.`);
    const key = line.slice(0, equals).trim().toLowerCase();
    // The first occurrence wins, as the platform reads the file.
    if (!values.has(key)) values.set(key, line.slice(equals + 1).trim());
  }
  const versionText = values.get("version");
  if (versionText === undefined || versionText === "") throw invalid("there is no Version=.");
  const version = canonical(versionText, "Version");
  const fromVersions: string[] = [];
  for (const item of (values.get("fromversions") ?? "").split(";")) {
    if (item.trim() === "") continue;
    const from = canonical(item, "FromVersions entry");
    if (!fromVersions.includes(from)) fromVersions.push(from);
  }
  const dateText = values.get("updatedate");
  return {
    version,
    fromVersions,
    updateDate: dateText === undefined || dateText === "" ? null : isoDate(dateText),
  };
}

/** The file as the platform writes it: BOM, CRLF, FromVersions wrapped in `;`. */
export function formatUpdInfo(info: UpdInfo): string {
  const date = info.updateDate === null ? "" : info.updateDate.split("-").reverse().join(".");
  const from = info.fromVersions.length === 0 ? "" : `;${info.fromVersions.join(";")};`;
  return `\uFEFFVersion=${info.version}\r\nFromVersions=${from}\r\nUpdateDate=${date}\r\n`;
}
