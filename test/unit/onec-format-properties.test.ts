/**
 * Properties of every 1C format: what a writer writes, its reader gives back unchanged; and a reader
 * given anything (random bytes, a valid file with bytes changed) either reads it or throws a
 * FormatError, never anything else.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { FormatError } from "../../src/formats/format-error.ts";
import { type Manifest, readManifest, writeManifest } from "../../src/formats/onec/manifest.ts";
import { type PackageList, readPackageList, writePackageList } from "../../src/formats/onec/package-list.ts";
import { readUpdInfo, type UpdInfo, writeUpdInfo } from "../../src/formats/onec/upd-info.ts";
import {
  readUpdateList,
  type UpdateList,
  updateListDate,
  writeUpdateList,
} from "../../src/formats/onec/update-list.ts";
import { readUpdatePackage } from "../../src/formats/onec/update-package.ts";
import { updatePackage } from "../support/update-package.ts";

const version = fc
  .tuple(fc.nat(999_999), fc.nat(999), fc.nat(99_999), fc.nat(99_999))
  .map((parts) => parts.join("."));

/** Numeric order of four-part versions (kept here: the mutation run of src/domain skips this file). */
const byVersion = (a: string, b: string) => {
  const left = a.split(".").map(Number);
  const right = b.split(".").map(Number);
  return left.map((part, index) => part - right[index]!).find((difference) => difference !== 0) ?? 0;
};

/** A version and distinct lower versions it updates from. */
const release = fc.uniqueArray(version, { minLength: 1, maxLength: 6 }).map((versions) => {
  const sorted = [...versions].sort(byVersion);
  return { version: sorted.at(-1)!, from: sorted.slice(0, -1) };
});

const day = fc.date({
  min: new Date("1000-01-01T00:00:00Z"),
  max: new Date("9999-12-31T23:59:59Z"),
  noInvalidDate: true,
});
const isoDay = day.map((date) => date.toISOString().slice(0, 10));

/** One-line text as the formats carry it: no control characters, no surrounding spaces, legal in XML. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this leaves out
const NOT_IN_FORMATS = /[\u0000-\u001f\u007f\uFFFE\uFFFF]/;
const text = fc
  .string({ unit: "grapheme", minLength: 1, maxLength: 30 })
  .filter((value) => value.trim() === value && value !== "" && !NOT_IN_FORMATS.test(value));
const code = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,15}$/);
const path = fc.array(code, { minLength: 1, maxLength: 5 }).map((parts) => parts.join("/"));

const updInfo: fc.Arbitrary<UpdInfo> = fc
  .tuple(release, fc.option(isoDay, { nil: null }))
  .map(([{ version, from }, updateDate]) => ({ version, fromVersions: from, updateDate }));

const manifest: fc.Arbitrary<Manifest> = fc.record({
  vendor: text,
  name: text,
  version,
  appVersion: fc.tuple(fc.nat(99), fc.nat(99)).map(([major, minor]) => `${major}.${minor}`),
  configs: fc.array(
    fc.record({
      catalog: fc
        .array(
          text.filter((part) => !part.includes("/")),
          { minLength: 1, maxLength: 3 },
        )
        .map((parts) => parts.join("/")),
      destination: fc.tuple(code, code).map(([vendor, name]) => `${vendor}\\${name}`),
      source: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,20}$/),
    }),
    { minLength: 1, maxLength: 3 },
  ),
});

const updateList: fc.Arbitrary<UpdateList> = fc.record({
  date: day.map(updateListDate),
  updates: fc.array(
    fc
      .tuple(text, text, path, fc.maxSafeNat(), release, fc.option(version, { nil: null }))
      .map(([configuration, vendor, file, size, { version, from }, minPlatformVersion]) => ({
        configuration,
        vendor,
        file,
        size,
        version,
        minPlatformVersion,
        updateFrom: from,
      })),
    { maxLength: 5 },
  ),
});

const packageList: fc.Arbitrary<PackageList> = fc.record({
  date: text,
  url: text,
  entries: fc.array(
    fc
      .tuple(text, text, release, path, path)
      .map(([configuration, vendor, { version, from }, updateFile, manifestFile]) => ({
        configuration,
        vendor,
        version,
        updateFrom: from,
        updateFile,
        manifestFile,
      })),
    { maxLength: 5 },
  ),
});

/** A valid file with a few bytes replaced, inserted or removed. */
function mutated(valid: fc.Arbitrary<Buffer>): fc.Arbitrary<Buffer> {
  const edit = fc.tuple(
    fc.constantFrom("replace", "insert", "delete"),
    fc.nat(),
    fc.integer({ min: 0, max: 255 }),
  );
  return fc.tuple(valid, fc.array(edit, { minLength: 1, maxLength: 4 })).map(([bytes, edits]) => {
    let result = Buffer.from(bytes);
    for (const [kind, position, value] of edits) {
      const at = result.length === 0 ? 0 : position % result.length;
      if (kind === "replace" && result.length > 0) result[at] = value;
      else if (kind === "insert")
        result = Buffer.concat([result.subarray(0, at), Buffer.from([value]), result.subarray(at)]);
      else result = Buffer.concat([result.subarray(0, at), result.subarray(at + 1)]);
    }
    return result;
  });
}

/** Reads, or refuses with a FormatError: anything else thrown fails the property. */
function readsOrRefuses(read: (bytes: Buffer) => unknown) {
  return (bytes: Buffer) => {
    try {
      read(bytes);
    } catch (error) {
      if (!(error instanceof FormatError)) throw error;
      assert.ok(error.message.length > 0);
    }
  };
}

const anyBytes = fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes));

const formats = [
  {
    name: "UpdInfo.txt",
    values: updInfo,
    write: (value: UpdInfo) => writeUpdInfo(value, { bom: true }),
    read: readUpdInfo,
  },
  { name: "1cv8.mft", values: manifest, write: writeManifest, read: (bytes: Buffer) => readManifest(bytes) },
  {
    name: "v8cscdsc.xml",
    values: updateList,
    write: writeUpdateList,
    read: (bytes: Buffer) => readUpdateList(bytes),
  },
  {
    name: "v8cscdsc.lst",
    values: packageList,
    write: writePackageList,
    read: (bytes: Buffer) => readPackageList(bytes),
  },
] as const;

for (const format of formats) {
  describe(format.name, () => {
    const { values, write, read } = format as unknown as {
      values: fc.Arbitrary<unknown>;
      write: (value: unknown) => Buffer;
      read: (bytes: Buffer) => unknown;
    };

    it("reads back what it writes", () => {
      // fast-check builds records without a prototype; the readers give plain objects.
      const plain = (value: unknown) => JSON.parse(JSON.stringify(value));
      fc.assert(fc.property(values, (value) => assert.deepEqual(read(write(value)), plain(value))));
    });

    it("refuses random bytes only with a FormatError", () => {
      fc.assert(fc.property(anyBytes, readsOrRefuses(read)));
    });

    it("refuses a written file with bytes changed only with a FormatError", () => {
      fc.assert(fc.property(mutated(values.map(write)), readsOrRefuses(read)));
    });
  });
}

describe("an update package", () => {
  it("with bytes changed, is read or refused only with a FormatError", async () => {
    const valid = updatePackage({ code: "HRM", version: "3.0.11.36", fromVersions: ["3.0.10.32"] });
    await fc.assert(
      fc.asyncProperty(mutated(fc.constant(valid)), async (bytes) => {
        try {
          await readUpdatePackage({ buffer: bytes }, "1cv8.zip");
        } catch (error) {
          if (!(error instanceof FormatError)) throw error;
        }
      }),
      { numRuns: 200 },
    );
  });
});
