import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, it } from "node:test";
import ts from "typescript";

const ROOT = resolve(import.meta.dirname, "../..");

interface Import {
  readonly file: string;
  readonly specifier: string;
  /** Erased at run time: `import type`, `export type`, `import("...").T` in a type. */
  readonly typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.[cm]?tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Every module a file names: static imports and re-exports, dynamic imports, import types. */
function importsOf(file: string): Import[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const found: Import[] = [];
  const add = (node: ts.Node | undefined, typeOnly: boolean) => {
    if (node && ts.isStringLiteralLike(node)) found.push({ file, specifier: node.text, typeOnly });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const bindings = clause?.namedBindings;
      const everyNameTyped =
        !!bindings &&
        !clause?.name &&
        ts.isNamedImports(bindings) &&
        bindings.elements.length > 0 &&
        bindings.elements.every((element) => element.isTypeOnly);
      add(node.moduleSpecifier, !!clause?.isTypeOnly || everyNameTyped);
    } else if (ts.isExportDeclaration(node)) {
      add(node.moduleSpecifier, node.isTypeOnly);
    } else if (ts.isImportTypeNode(node)) {
      const argument = node.argument;
      if (ts.isLiteralTypeNode(argument)) add(argument.literal, true);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node.arguments[0], false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The src/ folder a relative import lands in (`client`, `domain`, ...), or null for a package. */
function landsIn(entry: Import): string | null {
  if (!entry.specifier.startsWith(".")) return null;
  const target = relative(join(ROOT, "src"), resolve(dirname(entry.file), entry.specifier));
  return target.startsWith("..") ? `outside src: ${target}` : (target.split("/")[0] ?? "");
}

const describeImport = (entry: Import) =>
  `${relative(ROOT, entry.file)} imports ${entry.typeOnly ? "type " : ""}${entry.specifier}`;

const folderImports = new Map<string, Import[]>();

function importsOfFolder(folder: string): Import[] {
  let imports = folderImports.get(folder);
  if (!imports) {
    const files = sourceFiles(join(ROOT, "src", folder));
    assert.ok(files.length > 0, `src/${folder} has source files`);
    imports = files.flatMap(importsOf);
    folderImports.set(folder, imports);
  }
  return imports;
}

describe("module layering", () => {
  it("reads every kind of import a file can make", () => {
    const imports = importsOfFolder("client");
    assert.ok(imports.some((entry) => entry.specifier.startsWith("node:")));
    assert.ok(imports.some((entry) => landsIn(entry) === "contract" && entry.typeOnly));
    assert.ok(imports.some((entry) => landsIn(entry) === "contract" && !entry.typeOnly));
  });

  it("the client imports only the client, the domain, the API contract, the file formats and packages", () => {
    const allowed = new Set(["client", "domain", "contract", "formats"]);
    const stray = importsOfFolder("client").filter((entry) => {
      const folder = landsIn(entry);
      return folder !== null && !allowed.has(folder);
    });
    assert.deepEqual(stray.map(describeImport), []);
  });

  it("the client loads no schema at run time: the contract modules it runs hold none", () => {
    const loaded = new Set(
      importsOfFolder("client")
        .filter((entry) => landsIn(entry) === "contract" && !entry.typeOnly)
        .map((entry) => resolve(dirname(entry.file), entry.specifier)),
    );
    const withSchemas = [...loaded].filter((file) =>
      importsOf(file).some((entry) => !entry.typeOnly && entry.specifier.startsWith("@sinclair/typebox")),
    );
    assert.deepEqual(
      withSchemas.map((file) => relative(ROOT, file)),
      [],
    );
  });

  it("routes build no schema of their own: every one comes from the contract", () => {
    const building = importsOfFolder("http").filter(
      (entry) => !entry.typeOnly && entry.specifier.startsWith("@sinclair/typebox"),
    );
    assert.deepEqual(building.map(describeImport), []);
  });

  it("the file formats import only the formats, the domain and packages", () => {
    const stray = importsOfFolder("formats").filter((entry) => {
      const folder = landsIn(entry);
      return folder !== null && folder !== "formats" && folder !== "domain";
    });
    assert.deepEqual(stray.map(describeImport), []);
  });

  it("the domain imports only the domain and packages, and the contract's types", () => {
    const stray = importsOfFolder("domain").filter((entry) => {
      const folder = landsIn(entry);
      if (folder === null || folder === "domain") return false;
      // Erased at run time: the domain loads nothing of the contract.
      return !(folder === "contract" && entry.typeOnly);
    });
    assert.deepEqual(stray.map(describeImport), []);
  });
});
