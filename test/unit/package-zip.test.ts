/** The one safe zip reader (src/formats/zip.ts) and the update package reader built on it. */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { FormatError, type FormatProblem } from "../../src/formats/format-error.ts";
import { readUpdatePackage } from "../../src/formats/onec/update-package.ts";
import { openSafeZip, type ZipLimits } from "../../src/formats/zip.ts";
import { writeZip, type ZipWriterEntry } from "../../src/formats/zip-writer.ts";
import { cp866, updatePackage, whatsNewName } from "../support/update-package.ts";

const AT = new Date("2024-03-15T12:00:00Z");
const file = (name: string | Buffer, data = "x", extra: Partial<ZipWriterEntry> = {}): ZipWriterEntry => ({
  name,
  data: Buffer.from(data),
  ...extra,
});

async function refused(
  bytes: Buffer,
  expected: { problem: FormatProblem; reason?: RegExp; entry?: string },
  limits?: ZipLimits,
) {
  await assert.rejects(openSafeZip({ buffer: bytes }, "1cv8.zip", limits), (error: unknown) => {
    assert.ok(error instanceof FormatError, String(error));
    assert.equal(error.problem, expected.problem, error.message);
    assert.equal(error.file, "1cv8.zip");
    if (expected.reason) assert.match(error.reason, expected.reason);
    if (expected.entry !== undefined) assert.equal(error.entry, expected.entry);
    return true;
  });
}

describe("the safe zip reader", () => {
  it("lists the entries of a package with their CP866 names, and reads them", async () => {
    const zip = await openSafeZip(
      { buffer: updatePackage({ code: "HRM", version: "3.0.11.36", fromVersions: ["3.0.10.32"] }) },
      "1cv8.zip",
    );
    try {
      assert.deepEqual(
        zip.entries.map((entry) => entry.name),
        ["1cv8.mft", "1cv8upd.htm", "UpdInfo.txt", whatsNewName("3.0.11.36"), "1cv8.cfu"],
      );
      const cfu = zip.entries.at(-1)!;
      assert.deepEqual(await zip.read(cfu), Buffer.from("HRM 3.0.11.36\n"));
      assert.equal(cfu.size, cfu.compressedSize, "stored");
    } finally {
      zip.close();
    }
  });

  it("refuses names that climb out, absolute paths, drive letters and control characters", async () => {
    for (const [name, reason] of [
      ["../evil.txt", /climbs out/],
      ["a/../../evil.txt", /climbs out/],
      ["..\\evil.txt", /climbs out/],
      ["/etc/passwd", /absolute/],
      ["\\\\server\\share\\x", /absolute/],
      ["C:/Windows/x", /absolute/],
      ["a//b", /empty/],
      ["a\u0001b", /control/],
    ] as const) {
      await refused(writeZip([file("UpdInfo.txt"), file(Buffer.from(name, "latin1"))], AT), {
        problem: "unsafe-entry",
        reason,
        entry: name.replaceAll("\\", "/"),
      });
    }
  });

  it("refuses symbolic links and other special files, and names given twice in any letter case", async () => {
    await refused(writeZip([file("link", "/etc/passwd", { mode: 0o120777 })], AT), {
      problem: "unsafe-entry",
      reason: /symbolic link/,
    });
    await refused(writeZip([file("fifo", "", { mode: 0o010644 })], AT), {
      problem: "unsafe-entry",
      reason: /special file/,
    });
    await refused(writeZip([file("UpdInfo.txt"), file("updinfo.TXT")], AT), {
      problem: "unsafe-entry",
      reason: /twice/,
    });
  });

  it("refuses zip bombs: an entry inflating too much, too many bytes, too many entries", async () => {
    const zeros = Buffer.alloc(4 * 1024 * 1024);
    await refused(writeZip([{ name: "1cv8.cfu", data: zeros }], AT), {
      problem: "too-large",
      reason: /inflates more than 200 times/,
      entry: "1cv8.cfu",
    });
    const limits = { maxEntries: 3, maxTotalBytes: 1000, maxRatio: 200 };
    await refused(
      writeZip([file("a", "x".repeat(600)), file("b", "y".repeat(600))], AT),
      { problem: "too-large" },
      limits,
    );
    await refused(
      writeZip([file("a"), file("b"), file("c"), file("d")], AT),
      { problem: "too-large" },
      limits,
    );
    // Stored, the same bytes are no bomb.
    const stored = await openSafeZip(
      { buffer: writeZip([{ name: "1cv8.cfu", data: zeros, stored: true }], AT) },
      "x",
    );
    stored.close();
  });

  it("refuses bytes that are not a zip, a truncated zip, and encrypted entries", async () => {
    await refused(Buffer.from("MZ an installer"), { problem: "damaged" });
    const good = writeZip([file("UpdInfo.txt")], AT);
    await refused(good.subarray(0, good.length - 30), { problem: "damaged" });
    const encrypted = Buffer.from(good);
    const central = encrypted.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    encrypted.writeUInt16LE(1, central + 8);
    await refused(encrypted, { problem: "unsafe-entry", reason: /encrypted/ });
  });

  it("stops an entry whose data inflates beyond its declared size", async () => {
    const bytes = writeZip([file("UpdInfo.txt", "a longer text than declared")], AT);
    const central = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bytes.writeUInt32LE(4, central + 24); // the central directory's uncompressed size
    const zip = await openSafeZip({ buffer: bytes }, "1cv8.zip");
    try {
      await assert.rejects(zip.read(zip.entries[0]!), (error: unknown) => {
        assert.ok(error instanceof FormatError && error.problem === "damaged", String(error));
        return true;
      });
    } finally {
      zip.close();
    }
  });
});

describe("reading an update package", () => {
  it("gives its manifest, UpdInfo.txt, where it installs, the update file's MD5 and its pages", async () => {
    const cfu = Buffer.from("the update itself");
    const contents = await readUpdatePackage(
      {
        buffer: updatePackage({
          code: "HRM",
          version: "3.0.11.36",
          fromVersions: ["3.0.10.32", "3.0.11.34"],
          cfu,
        }),
      },
      "HRM_3_0_11_36/1cv8.zip",
    );
    assert.equal(contents.manifest.name, "КадровыйУчёт");
    assert.deepEqual(contents.updInfo, {
      version: "3.0.11.36",
      fromVersions: ["3.0.10.32", "3.0.11.34"],
      updateDate: "2024-03-15",
    });
    assert.deepEqual(contents.destination, { vendorFolder: "1c", code: "HRM" });
    assert.deepEqual(contents.updateFile, {
      name: "1cv8.cfu",
      size: cfu.length,
      md5: createHash("md5").update(cfu).digest("base64"),
    });
    assert.equal(contents.updateOrder?.name, "1cv8upd.htm");
    assert.deepEqual(
      contents.otherPages.map((page) => page.name),
      [whatsNewName("3.0.11.36")],
    );
  });

  it("names the package and the file inside it, and the line, when one is malformed", async () => {
    const rejects = async (bytes: Buffer, file: string, problem: FormatProblem, line: number | null) =>
      assert.rejects(readUpdatePackage({ buffer: bytes }, "pkg/1cv8.zip"), (error: unknown) => {
        assert.ok(error instanceof FormatError, String(error));
        assert.equal(error.file, file);
        assert.equal(error.problem, problem, error.message);
        assert.equal(error.line, line, error.message);
        return true;
      });
    const replace = (name: string, data: string | null) => (entries: ZipWriterEntry[]) =>
      entries.flatMap((entry) =>
        entry.name.toString() !== cp866(name).toString()
          ? [entry]
          : data === null
            ? []
            : [{ ...entry, data: Buffer.from(data) }],
      );
    const base = { code: "HRM", version: "3.0.11.36", fromVersions: ["3.0.10.32"] };
    await rejects(
      updatePackage({ ...base, entries: replace("1cv8.cfu", null) }),
      "pkg/1cv8.zip",
      "missing",
      null,
    );
    await rejects(
      updatePackage({ ...base, entries: replace("1cv8.mft", null) }),
      "pkg/1cv8.zip",
      "missing",
      null,
    );
    await rejects(
      updatePackage({ ...base, entries: replace("UpdInfo.txt", null) }),
      "pkg/1cv8.zip",
      "missing",
      null,
    );
    await rejects(
      updatePackage({
        ...base,
        entries: replace("UpdInfo.txt", "Version=3.0.11.36\r\nUpdateDate=\r\nFromVersions=\r\n"),
      }),
      "pkg/1cv8.zip: UpdInfo.txt",
      "order",
      2,
    );
    await rejects(
      updatePackage({
        ...base,
        entries: replace("UpdInfo.txt", "Version=3.0.11.37\r\nFromVersions=\r\nUpdateDate=\r\n"),
      }),
      "pkg/1cv8.zip",
      "value",
      null,
    );
    await rejects(
      updatePackage({ ...base, destination: "1C\\..\\HRM" }),
      "pkg/1cv8.zip: 1cv8.mft",
      "value",
      7,
    );
  });
});
