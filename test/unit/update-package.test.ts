/** The built update package really has the byte-level traits of the vendor's packages, read from its raw bytes. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inflateRawSync } from "node:zlib";
import { readUpdInfo } from "../../src/formats/onec/upd-info.ts";
import { updatePackage, whatsNewName } from "../support/update-package.ts";

interface RawEntry {
  nameBytes: Buffer;
  name: string;
  flags: number;
  localFlags: number;
  method: number;
  internalAttributes: number;
  data: Buffer;
}

/** Walks the central directory from the end record and reads each entry's local header and data. */
function readEntries(file: Buffer): RawEntry[] {
  const end = file.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(end >= 0, "an end of central directory record");
  const count = file.readUInt16LE(end + 10);
  let at = file.readUInt32LE(end + 16);
  const entries: RawEntry[] = [];
  for (let index = 0; index < count; index++) {
    assert.equal(file.readUInt32LE(at), 0x02014b50, "a central directory record");
    const nameLength = file.readUInt16LE(at + 28);
    const nameBytes = file.subarray(at + 46, at + 46 + nameLength);
    const local = file.readUInt32LE(at + 42);
    assert.equal(file.readUInt32LE(local), 0x04034b50, "a local header");
    const dataStart = local + 30 + file.readUInt16LE(local + 26) + file.readUInt16LE(local + 28);
    const method = file.readUInt16LE(at + 10);
    const stored = file.subarray(dataStart, dataStart + file.readUInt32LE(at + 20));
    const data = method === 8 ? inflateRawSync(stored) : stored;
    assert.equal(data.length, file.readUInt32LE(at + 24), "the uncompressed size");
    entries.push({
      nameBytes,
      name: new TextDecoder("ibm866").decode(nameBytes),
      flags: file.readUInt16LE(at + 8),
      localFlags: file.readUInt16LE(local + 6),
      method,
      internalAttributes: file.readUInt16LE(at + 36),
      data,
    });
    at += 46 + nameLength + file.readUInt16LE(at + 30) + file.readUInt16LE(at + 32);
  }
  return entries;
}

const BOM = [0xef, 0xbb, 0xbf];
const startsWithBom = (data: Buffer) => BOM.every((byte, index) => data[index] === byte);
/** Every line break is CRLF and the text ends with one. */
const isCrlf = (text: string) => text.endsWith("\r\n") && !/\r(?!\n)|(?<!\r)\n/.test(text);

describe("a built update package (1cv8.zip)", () => {
  const entries = readEntries(
    updatePackage({ code: "HRM", version: "3.0.11.36", fromVersions: ["3.0.10.32", "3.0.11.34"] }),
  );
  const entry = (name: string) => entries.find((candidate) => candidate.name === name)!;

  it("holds the vendor's five files in the vendor's order", () => {
    assert.deepEqual(
      entries.map((candidate) => candidate.name),
      [
        "1cv8.mft",
        "1cv8upd.htm",
        "UpdInfo.txt",
        "Кадровый учёт. Версия 3.0.11. Новое в версии.htm",
        "1cv8.cfu",
      ],
    );
    assert.equal(whatsNewName("3.0.11.36"), entries[3]!.name);
  });

  it("names entries in code page 866 with the UTF-8 flag off", () => {
    for (const candidate of entries) {
      assert.equal(candidate.flags & 0x800, 0, `${candidate.name}: central flag`);
      assert.equal(candidate.localFlags & 0x800, 0, `${candidate.name}: local flag`);
    }
    const whatsNew = entries[3]!;
    assert.equal(whatsNew.nameBytes[0], 0x8a, "К is 0x8A in code page 866");
    assert.ok(whatsNew.nameBytes.includes(0xf1), "ё is 0xF1 in code page 866");
    assert.throws(() => new TextDecoder("utf-8", { fatal: true }).decode(whatsNew.nameBytes));
  });

  it("stores 1cv8.cfu and deflates the rest", () => {
    for (const candidate of entries) {
      assert.equal(candidate.method, candidate.name === "1cv8.cfu" ? 0 : 8, candidate.name);
    }
  });

  it("writes 1cv8.mft in UTF-8 with a BOM and CRLF, the keys in the vendor's order", () => {
    const mft = entry("1cv8.mft").data;
    assert.ok(startsWithBom(mft));
    const text = mft.subarray(3).toString("utf8");
    assert.ok(isCrlf(text), JSON.stringify(text));
    assert.deepEqual(
      text
        .trimEnd()
        .split("\r\n")
        .map((line) => line.replace(/=.*/, "=")),
      ["Vendor=", "Name=", "Version=", "AppVersion=", "[Config1]", "Catalog=", "Destination=", "Source="],
    );
    assert.match(text, /\r\nVersion=3\.0\.11\.36\r\n/);
    assert.match(text, /\r\nDestination=1C\\HRM\r\n/);
  });

  it("writes UpdInfo.txt without a BOM, with CRLF, and marks it as text", () => {
    const updInfo = entry("UpdInfo.txt");
    assert.ok(!startsWithBom(updInfo.data));
    const text = updInfo.data.toString("latin1");
    assert.ok(isCrlf(text), JSON.stringify(text));
    assert.match(
      text,
      /^Version=3\.0\.11\.36\r\nFromVersions=;3\.0\.10\.32;3\.0\.11\.34;\r\nUpdateDate=\d\d\.\d\d\.\d{4}\r\n$/,
    );
    assert.deepEqual(readUpdInfo(updInfo.data).fromVersions, ["3.0.10.32", "3.0.11.34"]);
    assert.equal(updInfo.internalAttributes & 1, 1);
  });

  it("writes both .htm pages in UTF-8 with a BOM and CRLF, in Russian", () => {
    for (const candidate of [entry("1cv8upd.htm"), entries[3]!]) {
      assert.ok(startsWithBom(candidate.data), candidate.name);
      const text = new TextDecoder("utf-8", { fatal: true }).decode(candidate.data);
      assert.ok(isCrlf(text), candidate.name);
      assert.match(text, /charset=utf-8/);
      assert.match(text, /[а-яё]/);
    }
    assert.match(
      entry("1cv8upd.htm").data.toString("utf8"),
      /с версий 3\.0\.10\.32, 3\.0\.11\.34 до версии 3\.0\.11\.36/,
    );
  });

  it("writes the .htm pages in windows-1251 when asked, with no BOM, as older packages have them", () => {
    const built = readEntries(
      updatePackage({
        code: "HRM",
        version: "3.0.11.36",
        fromVersions: ["3.0.10.32"],
        pageEncoding: "windows-1251",
      }),
    );
    const whatsNew = built.find((candidate) => candidate.name === whatsNewName("3.0.11.36"))!;
    assert.ok(!startsWithBom(whatsNew.data));
    assert.throws(() => new TextDecoder("utf-8", { fatal: true }).decode(whatsNew.data), "not UTF-8");
    const text = new TextDecoder("windows-1251", { fatal: true }).decode(whatsNew.data);
    assert.ok(isCrlf(text));
    assert.match(text, /charset=windows-1251/);
    assert.match(text, /Табель заполняется по сменам/);
  });

  it("carries the given update file", () => {
    const cfu = Buffer.from("the update");
    const built = readEntries(
      updatePackage({ code: "HRM", version: "3.0.12.5", fromVersions: ["3.0.11.36"], cfu }),
    );
    assert.deepEqual(built.at(-1)!.data, cfu);
  });
});
