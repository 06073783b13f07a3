import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, it } from "node:test";
import ts from "typescript";
import { LANGUAGES, loadResources } from "../../src/web/i18n.ts";

const WEB = resolve(import.meta.dirname, "../../src/web");
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

/** Every leaf of a namespace as "ns:a.b.c" with its text. */
function flatten(namespace: string, value: unknown, prefix = ""): [string, unknown][] {
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, inner]) =>
      flatten(namespace, inner, prefix ? `${prefix}.${key}` : key),
    );
  }
  return [[`${namespace}:${prefix}`, value]];
}

const resources = loadResources();
const keysOf = (language: (typeof LANGUAGES)[number]) =>
  new Map(Object.entries(resources[language]).flatMap(([ns, tree]) => flatten(ns, tree)));

/** Base key → the plural categories a language gives it (empty set: not a plural). */
function pluralGroups(keys: Iterable<string>): Map<string, Set<string>> {
  const groups = new Map<string, Set<string>>();
  for (const key of keys) {
    const match = PLURAL_SUFFIX.exec(key);
    const base = match ? key.slice(0, match.index) : key;
    const group = groups.get(base) ?? new Set<string>();
    if (match) group.add(match[1]!);
    groups.set(base, group);
  }
  return groups;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Keys used in src/web: the first argument of every call of `t` or `<something>.t`, which must be a literal. */
function usedKeys(): { used: Set<string>; dynamic: string[] } {
  const used = new Set<string>();
  const dynamic: string[] = [];
  for (const file of sourceFiles(WEB)) {
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        const name = ts.isIdentifier(callee)
          ? callee.text
          : ts.isPropertyAccessExpression(callee)
            ? callee.name.text
            : "";
        const [key] = node.arguments;
        if (name === "t" && key) {
          if (ts.isStringLiteralLike(key) && /^[\w-]+:[\w.-]+$/.test(key.text)) used.add(key.text);
          else dynamic.push(`${file.slice(WEB.length + 1)}: ${node.getText(source).slice(0, 80)}`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { used, dynamic };
}

describe("web portal translations", () => {
  it("has the same namespaces in every language", () => {
    const expected = Object.keys(resources.en).sort();
    for (const language of LANGUAGES) {
      assert.deepEqual(Object.keys(resources[language]).sort(), expected, `namespaces of ${language}`);
    }
  });

  it("has every key in every language, with exactly the plural forms of the language", () => {
    const english = pluralGroups(keysOf("en").keys());
    for (const language of LANGUAGES) {
      const groups = pluralGroups(keysOf(language).keys());
      const categories = new Set(new Intl.PluralRules(language).resolvedOptions().pluralCategories);
      assert.deepEqual([...groups.keys()].sort(), [...english.keys()].sort(), `keys of ${language}`);
      for (const [base, forms] of groups) {
        const plural = (english.get(base)?.size ?? 0) > 0;
        if (!plural) {
          assert.equal(forms.size, 0, `${language} ${base} is not a plural in English`);
          continue;
        }
        assert.deepEqual(
          [...forms].sort(),
          [...categories].sort(),
          `${language} ${base} needs the forms ${[...categories].join(", ")}`,
        );
      }
    }
  });

  it("has no empty texts and the same {{placeholders}} in every language", () => {
    const english = keysOf("en");
    const placeholders = (text: unknown) =>
      [...String(text).matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();
    for (const language of LANGUAGES) {
      for (const [key, text] of keysOf(language)) {
        assert.ok(typeof text === "string" && text.trim() !== "", `${language} ${key} is empty`);
        const base = key.replace(PLURAL_SUFFIX, "");
        const englishText = english.get(key) ?? english.get(`${base}_other`);
        assert.deepEqual(placeholders(text), placeholders(englishText), `placeholders of ${language} ${key}`);
      }
    }
  });

  it("uses every key and knows every key used, always written literally", () => {
    const { used, dynamic } = usedKeys();
    assert.deepEqual(dynamic, [], 'write keys literally, t("namespace:key"), so this test can find them');
    const defined = pluralGroups(keysOf("en").keys());
    const unknown = [...used].filter((key) => !defined.has(key));
    assert.deepEqual(unknown, [], "keys used in src/web but missing from src/web/locales/en");
    const unused = [...defined.keys()].filter((key) => !used.has(key));
    assert.deepEqual(unused, [], "keys in src/web/locales never used in src/web");
  });

  it("says 1 релиз, 2 релиза, 5 релизов", async () => {
    const { translator } = await import("../../src/web/i18n.ts");
    const t = translator("ru");
    assert.match(t("home:releases.count", { count: 1 }), /^1 релиз,/);
    assert.match(t("home:releases.count", { count: 2 }), /^2 релиза,/);
    assert.match(t("home:releases.count", { count: 5 }), /^5 релизов,/);
    assert.match(t("home:releases.count", { count: 21 }), /^21 релиз,/);
  });
});
