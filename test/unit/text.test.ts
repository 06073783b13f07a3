import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { controlCharacterProblem, countOf, isSafeDisplayName } from "../../src/domain/text.ts";

describe("isSafeDisplayName", () => {
  it("accepts names in any script, with spaces, punctuation and emoji", () => {
    for (const name of [
      "api",
      "Office PC",
      "Ноутбук бухгалтера",
      "مكتب",
      "1C:Enterprise 8.3 (x64)",
      "laptop 💻",
    ]) {
      assert.equal(isSafeDisplayName(name), true, name);
    }
  });

  it("refuses control characters", () => {
    for (const name of [
      "a\u0000b",
      "tab\there",
      "line\nbreak",
      "cr\r",
      "del\u007F",
      "c1\u0085",
      "esc\u001B[31m",
    ]) {
      assert.equal(isSafeDisplayName(name), false, JSON.stringify(name));
    }
  });

  it("refuses bidirectional embeddings, overrides, isolates and marks", () => {
    const marks = [
      0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c,
    ];
    for (const mark of marks) {
      const name = `invoice${String.fromCodePoint(mark)}fdp.exe`;
      assert.equal(isSafeDisplayName(name), false, `U+${mark.toString(16).toUpperCase()}`);
    }
  });

  it("refuses a lone surrogate (half of a character)", () => {
    assert.equal(isSafeDisplayName("broken \uD83D"), false);
  });
});

describe("countOf", () => {
  it("uses the singular for one and the plural otherwise", () => {
    assert.equal(countOf(1, "registration number"), "1 registration number");
    assert.equal(countOf(2, "registration number"), "2 registration numbers");
    assert.equal(countOf(0, "file"), "0 files");
  });

  it("takes an irregular plural", () => {
    assert.equal(countOf(1, "entry", "entries"), "1 entry");
    assert.equal(countOf(3, "entry", "entries"), "3 entries");
  });
});

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
