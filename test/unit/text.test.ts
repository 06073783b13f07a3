import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { controlCharacterProblem } from "../../src/domain/text.ts";

const codePoint = (n: number) => String.fromCodePoint(n);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const C0_C1_DEL = [...range(0x00, 0x1f), ...range(0x7f, 0x9f)];

describe("controlCharacterProblem", () => {
  it("accepts ordinary text in both kinds, including non-Latin letters", () => {
    for (const kind of ["line", "free"] as const) {
      assert.equal(controlCharacterProblem("", kind), null);
      assert.equal(controlCharacterProblem("Romashka LLC, 1 Garden St. — Ромашка № 5 ✓", kind), null);
      assert.equal(controlCharacterProblem("\u00a0non-breaking\u2028separator", kind), null);
    }
  });

  it("refuses every C0 and C1 control and DEL in a line of text", () => {
    for (const n of C0_C1_DEL) {
      assert.ok(controlCharacterProblem(`a${codePoint(n)}b`, "line"), `U+${n.toString(16)}`);
    }
  });

  it("lets free text hold tabs and line breaks, and nothing else of the controls", () => {
    for (const n of C0_C1_DEL) {
      const layout = n === 0x09 || n === 0x0a || n === 0x0d;
      const problem = controlCharacterProblem(`a${codePoint(n)}b`, "free");
      assert.equal(problem === null, layout, `U+${n.toString(16)}`);
    }
    assert.equal(controlCharacterProblem("# Notes\r\n\n\t- one\n", "free"), null);
  });

  it("refuses NUL wherever it stands", () => {
    for (const text of ["\u0000", "abc\u0000", "\u0000abc", "line\n\u0000"]) {
      assert.ok(controlCharacterProblem(text, "line"));
      assert.ok(controlCharacterProblem(text, "free"));
    }
  });
});
