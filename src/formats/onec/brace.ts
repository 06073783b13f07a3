/**
 * 1C's brace format, the text form of its nested lists: `{0,"text with ""quotes""",12,{...}}`.
 * A value is a list in braces, a string in double quotes (a doubled quote stands for one), or a
 * bare atom (numbers, GUIDs). Whitespace between values is free. Each value keeps its line, so a
 * reader of a file in this format can name the line of a problem.
 */
import type { Fail } from "./text.ts";

export type BraceValue =
  | { readonly kind: "list"; readonly items: readonly BraceValue[]; readonly line: number }
  | { readonly kind: "string"; readonly value: string; readonly line: number }
  | { readonly kind: "atom"; readonly value: string; readonly line: number };

const ATOM = /[^{},"\s]+/y;
/** Deep enough for any 1C file; a deeper one is refused instead of exhausting the stack. */
const MAX_DEPTH = 64;

export function parseBraces(text: string, fail: Fail): BraceValue {
  let at = 0;
  let line = 1;
  const skipSpace = () => {
    while (at < text.length && /\s/.test(text[at]!)) {
      if (text[at] === "\n") line++;
      at++;
    }
  };
  const value = (depth: number): BraceValue => {
    skipSpace();
    const start = line;
    const char = text[at];
    if (char === undefined) throw fail(line, "syntax", "the text ends where a value should be.");
    if (char === "{") {
      if (depth >= MAX_DEPTH) throw fail(line, "syntax", `lists are nested deeper than ${MAX_DEPTH}.`);
      at++;
      const items: BraceValue[] = [];
      skipSpace();
      if (text[at] === "}") {
        at++;
        return { kind: "list", items, line: start };
      }
      for (;;) {
        items.push(value(depth + 1));
        skipSpace();
        const next = text[at];
        at++;
        if (next === "}") return { kind: "list", items, line: start };
        if (next !== ",") {
          throw fail(
            line,
            "syntax",
            next === undefined
              ? `the list opened on line ${start} is not closed.`
              : `expected "," or "}", found ${JSON.stringify(next)}.`,
          );
        }
      }
    }
    if (char === '"') {
      let result = "";
      at++;
      for (;;) {
        const quote = text.indexOf('"', at);
        if (quote < 0) throw fail(start, "syntax", "a string is not closed.");
        const piece = text.slice(at, quote);
        line += piece.split("\n").length - 1;
        result += piece;
        at = quote + 1;
        if (text[at] !== '"') return { kind: "string", value: result, line: start };
        result += '"';
        at++;
      }
    }
    ATOM.lastIndex = at;
    const match = ATOM.exec(text);
    if (!match) throw fail(line, "syntax", `expected a value, found ${JSON.stringify(char)}.`);
    at += match[0].length;
    return { kind: "atom", value: match[0], line: start };
  };
  const root = value(0);
  skipSpace();
  if (at < text.length) throw fail(line, "syntax", "there is more text after the outer list.");
  return root;
}

/** A string value: quoted, a quote doubled. */
export const braceString = (value: string) => `"${value.replaceAll('"', '""')}"`;

/** A list of already written values. */
export const braceList = (items: readonly string[], separator = ",") => `{${items.join(separator)}}`;
