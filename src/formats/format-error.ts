/**
 * The one error every reader of src/formats throws, whatever its input: which file, which line
 * (when the file has lines), and what is wrong. Callers turn it into their own answer (a 422 at an
 * upload, an exit code in the CLIs) by `problem`.
 */
export type FormatProblem =
  /** The bytes are not in the file's encoding (e.g. not UTF-8). */
  | "encoding"
  /** A line, element or token that does not belong to the format. */
  | "syntax"
  /** A key, element, attribute or file that must be there is not. */
  | "missing"
  /** Keys or elements in another order than the format's. */
  | "order"
  /** A value of the wrong shape: a version, a date, a size, a path. */
  | "value"
  /** A zip entry that cannot be unpacked safely: a path leaving the folder, a link, a duplicate. */
  | "unsafe-entry"
  /** A zip that unpacks to more than the limits allow (a zip bomb). */
  | "too-large"
  /** Not a readable zip at all. */
  | "damaged";

export class FormatError extends Error {
  constructor(
    /** The file as the reader was told to call it, e.g. `UpdInfo.txt` or `1cv8.zip: 1cv8.mft`. */
    readonly file: string,
    /** 1-based; null when the problem is not on one line (a zip, a missing file). */
    readonly line: number | null,
    readonly problem: FormatProblem,
    /** The problem in a sentence, without the file and line. */
    readonly reason: string,
    /** For a zip, the entry at fault, if one is. */
    readonly entry: string | null = null,
  ) {
    super(`${file}${line === null ? "" : `, line ${line}`}: ${reason}`);
    this.name = "FormatError";
  }

  /** The same problem of a file found inside `outer` (a zip, a folder). */
  within(outer: string): FormatError {
    return new FormatError(`${outer}: ${this.file}`, this.line, this.problem, this.reason, this.entry);
  }
}
