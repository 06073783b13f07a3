/**
 * What the 1C text files share: UTF-8 with or without a byte order mark, CRLF written (LF read
 * too), versions of four numbers, dates DD.MM.YYYY. Every failure is a FormatError naming the line.
 */
import { compareVersions, isVersion } from "../../domain/version.ts";
import { FormatError, type FormatProblem } from "../format-error.ts";

export const BOM = "\uFEFF";
const BOM_BYTES = [0xef, 0xbb, 0xbf];
const LF = 0x0a;

/** A problem of `file`, at `line` (1-based) or of the whole file (null). */
export type Fail = (line: number | null, problem: FormatProblem, reason: string) => FormatError;

export function failOf(file: string): Fail {
  return (line, problem, reason) => new FormatError(file, line, problem, reason);
}

export function startsWithBom(bytes: Uint8Array): boolean {
  return BOM_BYTES.every((byte, index) => bytes[index] === byte);
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * The text of UTF-8 bytes without their BOM. An LF byte never occurs inside a multi-byte UTF-8
 * sequence, so the file is checked line by line to name the line holding a bad byte.
 */
export function decodeUtf8(bytes: Uint8Array, file: string): { text: string; bom: boolean } {
  const bom = startsWithBom(bytes);
  const body = bom ? bytes.subarray(3) : bytes;
  try {
    return { text: utf8.decode(body), bom };
  } catch {
    let start = 0;
    for (let line = 1; ; line++) {
      const end = body.indexOf(LF, start);
      try {
        utf8.decode(body.subarray(start, end < 0 ? body.length : end));
      } catch {
        throw new FormatError(file, line, "encoding", "the text is not UTF-8.");
      }
      if (end < 0) throw new FormatError(file, null, "encoding", "the text is not UTF-8.");
      start = end + 1;
    }
  }
}

/** The lines of a text with CRLF or LF line ends; a final line end opens no further line. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/** Lines as 1C writes them: each ended by CRLF. */
export function crlfLines(lines: readonly string[]): string {
  return lines.map((line) => `${line}\r\n`).join("");
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this finds
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/** Whether a value holds a control character (a tab aside), or a line end it could not be written back with. */
export function hasControlCharacters(value: string): boolean {
  return CONTROL.test(value) || value.includes("\r") || value.includes("\n");
}

/**
 * A version of four numbers in its canonical spelling. Old 1C files write parts with leading
 * zeros (`3.0.05.1`); they are dropped, so the same release is never spelt twice.
 */
export function readVersion(text: string): string | null {
  const parts = text.split(".");
  if (parts.length !== 4 || parts.some((part) => !/^\d{1,9}$/.test(part))) return null;
  const version = parts.map((part) => String(Number(part))).join(".");
  return isVersion(version) ? version : null;
}

/** The first of `versions` that is not lower than `version` (an update never comes from a later release). */
export function notLower(versions: readonly string[], version: string): string | undefined {
  return versions.find((from) => compareVersions(from, version) >= 0);
}

/** DD.MM.YYYY (1C's date) -> YYYY-MM-DD, or null unless it is a real day. */
export function readDate(text: string): string | null {
  const match = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text);
  if (!match) return null;
  const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  date.setUTCFullYear(year);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return null;
  }
  return `${match[3]}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** YYYY-MM-DD -> DD.MM.YYYY. */
export function writeDate(isoDate: string): string {
  const [year, month, day] = isoDate.split("-");
  return `${day}.${month}.${year}`;
}

/** Whether `isoDate` is a real day written YYYY-MM-DD (what readDate gives). */
export function isIsoDate(isoDate: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  return match !== null && readDate(`${match[3]}.${match[2]}.${match[1]}`) === isoDate;
}
