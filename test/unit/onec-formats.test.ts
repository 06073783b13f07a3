/** The 1C formats of src/formats/onec against the real files in test/fixtures/1c and crafted bad ones. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import iconv from "iconv-lite";
import { FormatError, type FormatProblem } from "../../src/formats/format-error.ts";
import {
  feedPath,
  parseDestination,
  parseFeedPath,
  readVersionFolderName,
  templatePath,
} from "../../src/formats/onec/layout.ts";
import { type Manifest, readManifest, writeManifest } from "../../src/formats/onec/manifest.ts";
import { type PackageList, readPackageList, writePackageList } from "../../src/formats/onec/package-list.ts";
import { decodePage, pageToMarkdown } from "../../src/formats/onec/pages.ts";
import { readUpdInfo, writeUpdInfo } from "../../src/formats/onec/upd-info.ts";
import { formatSize, readUpdateList, writeUpdateList } from "../../src/formats/onec/update-list.ts";
import { readUpdateListZip, writeUpdateListZip } from "../../src/formats/onec/update-list-zip.ts";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/1c/${name}`, import.meta.url));
const bytes = (text: string) => Buffer.from(text, "utf8");

/** Asserts the reader refuses with a FormatError of this problem, file and line. */
function refuses(
  read: () => unknown,
  expected: { problem: FormatProblem; line?: number | null; file?: string; reason?: RegExp },
) {
  assert.throws(read, (error: unknown) => {
    assert.ok(error instanceof FormatError, `a FormatError, got ${error}`);
    assert.equal(error.problem, expected.problem, error.message);
    if (expected.line !== undefined) assert.equal(error.line, expected.line, error.message);
    if (expected.file !== undefined) assert.equal(error.file, expected.file);
    if (expected.reason) assert.match(error.reason, expected.reason);
    if (error.line !== null) assert.match(error.message, new RegExp(`, line ${error.line}: `));
    return true;
  });
}

describe("UpdInfo.txt", () => {
  it("reads the feed's copy (BOM, CRLF) and writes it back byte for byte", () => {
    const real = fixture("UpdInfo.txt");
    const info = readUpdInfo(real);
    assert.deepEqual(info, {
      version: "3.0.23.148",
      fromVersions: ["3.0.23.132", "3.0.23.139", "3.0.23.142", "3.0.23.143"],
      updateDate: "2015-09-22",
    });
    assert.deepEqual(writeUpdInfo(info, { bom: true }), real);
  });

  it("writes the package's copy without a BOM, and reads both", () => {
    const info = { version: "3.0.11.36", fromVersions: ["3.0.10.32", "3.0.11.34"], updateDate: "2013-12-16" };
    const plain = writeUpdInfo(info, { bom: false });
    assert.equal(
      plain.toString("latin1"),
      "Version=3.0.11.36\r\nFromVersions=;3.0.10.32;3.0.11.34;\r\nUpdateDate=16.12.2013\r\n",
    );
    assert.deepEqual(readUpdInfo(plain), info);
    assert.deepEqual(readUpdInfo(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), plain])), info);
  });

  it("reads LF line ends, a first release, an empty date and old leading zeros", () => {
    assert.deepEqual(readUpdInfo(bytes("Version=3.0.05.1\nFromVersions=;3.0.04.7;3.0.4.7;\nUpdateDate=\n")), {
      version: "3.0.5.1",
      fromVersions: ["3.0.4.7"],
      updateDate: null,
    });
    assert.deepEqual(
      readUpdInfo(bytes("Version=1.0.0.1\r\nFromVersions=\r\nUpdateDate=01.02.2020")).fromVersions,
      [],
    );
    assert.deepEqual(readUpdInfo(bytes("Version=1.0.0.1\r\nFromVersions=;\r\nUpdateDate=")).fromVersions, []);
  });

  it("refuses keys out of order, missing keys, spaces and other lines, naming the line", () => {
    refuses(() => readUpdInfo(bytes("FromVersions=;1.0.0.1;\r\nVersion=1.0.0.2\r\nUpdateDate=\r\n")), {
      problem: "order",
      line: 1,
      file: "UpdInfo.txt",
    });
    refuses(() => readUpdInfo(bytes("Version=1.0.0.2\r\nUpdateDate=\r\nFromVersions=\r\n")), {
      problem: "order",
      line: 2,
    });
    refuses(() => readUpdInfo(bytes("Version=1.0.0.2\r\nFromVersions=;1.0.0.1;\r\n")), {
      problem: "missing",
      line: 3,
    });
    refuses(() => readUpdInfo(bytes("")), { problem: "missing", line: 1 });
    refuses(() => readUpdInfo(bytes("Version = 1.0.0.2\r\nFromVersions=\r\nUpdateDate=\r\n")), {
      problem: "syntax",
      line: 1,
    });
    refuses(() => readUpdInfo(bytes("version=1.0.0.2\r\nFromVersions=\r\nUpdateDate=\r\n")), {
      problem: "syntax",
      line: 1,
    });
    refuses(() => readUpdInfo(bytes("Version=1.0.0.2\r\nFromVersions=\r\nUpdateDate=\r\nExtra=1\r\n")), {
      problem: "syntax",
      line: 4,
    });
  });

  it("refuses bad versions, updates from later versions, bad dates and other encodings", () => {
    const file = (version: string, from: string, date = "") =>
      bytes(`Version=${version}\r\nFromVersions=${from}\r\nUpdateDate=${date}\r\n`);
    refuses(() => readUpdInfo(file("1.0.0", "")), { problem: "value", line: 1 });
    refuses(() => readUpdInfo(file("1.0.0.2", ";1.0.x.1;")), { problem: "value", line: 2 });
    refuses(() => readUpdInfo(file("1.0.0.2", "1.0.0.1")), {
      problem: "syntax",
      line: 2,
      reason: /starts and ends with ";"/,
    });
    refuses(() => readUpdInfo(file("1.0.0.2", ";1.0.0.3;")), {
      problem: "value",
      line: 2,
      reason: /not lower/,
    });
    refuses(() => readUpdInfo(file("1.0.0.2", "", "31.02.2015")), { problem: "value", line: 3 });
    refuses(() => readUpdInfo(file("1.0.0.2", "", "2015-09-22")), { problem: "value", line: 3 });
    const cp1251 = Buffer.concat([file("1.0.0.2", ""), iconv.encode("Дата=сегодня", "windows-1251")]);
    refuses(() => readUpdInfo(cp1251, "1cv8.zip: UpdInfo.txt"), {
      problem: "encoding",
      line: 4,
      file: "1cv8.zip: UpdInfo.txt",
    });
  });

  it("refuses to write what it could not read back", () => {
    refuses(() => writeUpdInfo({ version: "1.0.0", fromVersions: [], updateDate: null }, { bom: true }), {
      problem: "value",
    });
    refuses(
      () =>
        writeUpdInfo(
          { version: "1.0.0.2", fromVersions: ["1.0.0.1", "1.0.0.1"], updateDate: null },
          { bom: true },
        ),
      { problem: "value" },
    );
    refuses(
      () => writeUpdInfo({ version: "1.0.0.2", fromVersions: [], updateDate: "2015-02-31" }, { bom: true }),
      {
        problem: "value",
      },
    );
  });
});

/** The real package's manifest, as its bytes are laid out (this project's copy of the facts). */
const REAL_MANIFEST: Manifest = {
  vendor: 'Фирма "1С"',
  name: "ЗарплатаИУправлениеПерсоналом",
  version: "3.0.11.36",
  appVersion: "8.3",
  configs: [
    {
      catalog: "1С:Зарплата и Управление Персоналом/Зарплата и Управление Персоналом",
      destination: "1C\\HRM",
      source: "1cv8.cf",
    },
    {
      catalog: "1С:Зарплата и Управление Персоналом/Зарплата и Управление Персоналом (демо)",
      destination: "1C\\DemoHRM",
      source: "1Cv8.dt",
    },
  ],
};

describe("1cv8.mft", () => {
  it("writes the vendor's layout (BOM, CRLF, Version before AppVersion) and reads it back", () => {
    const written = writeManifest(REAL_MANIFEST);
    assert.deepEqual([...written.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const text = written.subarray(3).toString("utf8");
    assert.equal(text.split("\r\n").length, 13, "twelve CRLF-ended lines");
    assert.match(
      text,
      /^Vendor=Фирма "1С"\r\nName=ЗарплатаИУправлениеПерсоналом\r\nVersion=3\.0\.11\.36\r\nAppVersion=8\.3\r\n\[Config1\]\r\n/,
    );
    assert.equal(written.length, 511, "the real manifest's length");
    assert.deepEqual(readManifest(written), REAL_MANIFEST);
  });

  it("takes the first section's Destination as where the package installs", () => {
    assert.deepEqual(parseDestination(readManifest(writeManifest(REAL_MANIFEST)).configs[0]!.destination), {
      vendorFolder: "1c",
      code: "HRM",
    });
  });

  it("refuses AppVersion before Version, missing keys and sections out of order, naming the line", () => {
    const lines = (...rows: string[]) => bytes(`\uFEFF${rows.map((row) => `${row}\r\n`).join("")}`);
    const section = ["[Config1]", "Catalog=A/B", "Destination=1C\\HRM", "Source=1cv8.cf"];
    refuses(
      () => readManifest(lines("Vendor=V", "Name=N", "AppVersion=8.3", "Version=1.0.0.1", ...section)),
      {
        problem: "order",
        line: 3,
        file: "1cv8.mft",
      },
    );
    refuses(() => readManifest(lines("Vendor=V", "Version=1.0.0.1", "AppVersion=8.3", ...section)), {
      problem: "order",
      line: 2,
    });
    refuses(() => readManifest(lines("Vendor=V", "Name=N", "Version=1.0.0.1", "AppVersion=8.3")), {
      problem: "missing",
    });
    refuses(
      () =>
        readManifest(
          lines("Vendor=V", "Name=N", "Version=1.0.0.1", "AppVersion=8.3", "[Config2]", ...section.slice(1)),
        ),
      { problem: "order", line: 5 },
    );
    refuses(
      () =>
        readManifest(
          lines(
            "Vendor=V",
            "Name=N",
            "Version=1.0.0.1",
            "AppVersion=8.3",
            "[Config1]",
            "Destination=1C\\HRM",
            "Catalog=A",
          ),
        ),
      { problem: "order", line: 6 },
    );
  });

  it("refuses bad values: versions, platform lines, destinations that leave the folder, file paths", () => {
    const with_ = (change: Partial<Manifest>, config: Partial<Manifest["configs"][0]> = {}) => {
      const manifest = {
        ...REAL_MANIFEST,
        ...change,
        configs: [{ ...REAL_MANIFEST.configs[0]!, ...config }],
      };
      const lines = [
        `Vendor=${manifest.vendor}`,
        `Name=${manifest.name}`,
        `Version=${manifest.version}`,
        `AppVersion=${manifest.appVersion}`,
        "[Config1]",
        `Catalog=${manifest.configs[0]!.catalog}`,
        `Destination=${manifest.configs[0]!.destination}`,
        `Source=${manifest.configs[0]!.source}`,
      ];
      return bytes(lines.map((line) => `${line}\r\n`).join(""));
    };
    refuses(() => readManifest(with_({ version: "3.0.11" })), { problem: "value", line: 3 });
    refuses(() => readManifest(with_({ appVersion: "8.3.5.1119" })), { problem: "value", line: 4 });
    refuses(() => readManifest(with_({ name: "" })), { problem: "value", line: 2 });
    refuses(() => readManifest(with_({}, { destination: "..\\HRM" })), { problem: "value", line: 7 });
    refuses(() => readManifest(with_({}, { destination: "1C\\HRM\\x" })), { problem: "value", line: 7 });
    refuses(() => readManifest(with_({}, { destination: "HRM" })), { problem: "value", line: 7 });
    refuses(() => readManifest(with_({}, { source: "../1cv8.cf" })), { problem: "value", line: 8 });
    refuses(() => readManifest(with_({}, { catalog: "A//B" })), { problem: "value", line: 6 });
    refuses(() => readManifest(iconv.encode("Vendor=Фирма\r\n", "windows-1251")), {
      problem: "encoding",
      line: 1,
    });
    refuses(() => writeManifest({ ...REAL_MANIFEST, name: "two\r\nlines" }), { problem: "value" });
    refuses(() => writeManifest({ ...REAL_MANIFEST, version: "3.0.011.36" }), { problem: "value" });
  });
});

describe("the update list v8cscdsc.xml", () => {
  it("reads the real list and writes it back byte for byte", () => {
    const real = fixture("v8upd11.xml");
    const list = readUpdateList(real);
    assert.equal(list.date, "22.09.2015T18:07:21");
    assert.equal(list.updates.length, 54);
    assert.deepEqual(list.updates[0], {
      configuration: "ЗарплатаИУправлениеПерсоналом",
      vendor: 'Фирма "1С"',
      file: "1c/HRM/3_0_8_46/1cv8.zip",
      size: 36877298,
      version: "3.0.8.46",
      minPlatformVersion: null,
      updateFrom: ["3.0.7.74"],
    });
    assert.equal(list.updates.filter((update) => update.minPlatformVersion !== null).length, 25);
    const written = writeUpdateList(list);
    assert.equal(written.length, real.length);
    assert.ok(written.equals(real), "the same bytes as the real file");
  });

  it("writes what strict readers need: v8u: prefixes, date first, platform attribute, U+00A0 groups, no empty element", () => {
    const text = writeUpdateList({
      date: "01.02.2020T10:00:00",
      updates: [
        {
          configuration: 'Бухгалтерия "ПРОФ" & Ко',
          vendor: "A <B>",
          file: "1c/Acc/3_0_52_32/1cv8.zip",
          size: 1234567,
          version: "3.0.52.32",
          minPlatformVersion: "8.3.14.1993",
          updateFrom: [],
        },
      ],
    }).toString("utf8");
    assert.ok(text.startsWith('\uFEFF<?xml version="1.0" encoding="UTF-8" ?>\r\n<v8u:updateList xmlns:v8u='));
    assert.match(text, /\r\n\t<v8u:date>01\.02\.2020T10:00:00<\/v8u:date>\r\n {4}<v8u:update /);
    assert.match(text, /configuration="Бухгалтерия &quot;ПРОФ&quot; &amp; Ко"/);
    assert.match(text, /<v8u:vendor>A &lt;B&gt;<\/v8u:vendor>/);
    assert.match(text, /<v8u:size>1\u00A0234\u00A0567<\/v8u:size>/);
    assert.match(text, /<v8u:version platform="8\.3\.14\.1993">3\.0\.52\.32<\/v8u:version>/);
    assert.doesNotMatch(text, /<v8u:target>|<([\w:]+)[^>]*><\/\1>|<[^>]*\/>/, "no empty element, no target");
    assert.ok(text.endsWith("</v8u:updateList>"), "no line end after the root");
    assert.equal(formatSize(998), "998");
    assert.equal(formatSize(1000), "1\u00A0000");
  });

  it("reads another prefix of the namespace, entities, CDATA, and sizes grouped by spaces", () => {
    const list = readUpdateList(
      bytes(
        '<?xml version="1.0"?><u:updateList xmlns:u="http://v8.1c.ru/configuration-updates">' +
          "<u:date>01.02.2020T10:00:00</u:date>" +
          '<u:update configuration="A&amp;B"><u:vendor><![CDATA[V <1>]]></u:vendor><u:file>v/A/1_0_0_2/1cv8.zip</u:file>' +
          "<u:size>1 234</u:size><u:version>1.0.0.2</u:version><u:target>1.0.0.1</u:target></u:update></u:updateList>",
      ),
    );
    assert.deepEqual(list.updates[0], {
      configuration: "A&B",
      vendor: "V <1>",
      file: "v/A/1_0_0_2/1cv8.zip",
      size: 1234,
      version: "1.0.0.2",
      minPlatformVersion: null,
      updateFrom: ["1.0.0.1"],
    });
  });

  it("refuses broken lists, naming the line", () => {
    const list = (updates: string, head = "\t<v8u:date>22.09.2015T18:07:21</v8u:date>\r\n") =>
      bytes(
        `\uFEFF<?xml version="1.0" encoding="UTF-8" ?>\r\n<v8u:updateList xmlns:v8u="http://v8.1c.ru/configuration-updates" version="1.1">\r\n${head}${updates}</v8u:updateList>`,
      );
    const update = (inner: string, attributes = ' configuration="C"') =>
      `    <v8u:update${attributes}>\r\n${inner}    </v8u:update>\r\n`;
    const good = [
      "<v8u:vendor>V</v8u:vendor>\r\n",
      "<v8u:file>v/C/1_0_0_2/1cv8.zip</v8u:file>\r\n",
      "<v8u:size>10</v8u:size>\r\n",
      "<v8u:version>1.0.0.2</v8u:version>\r\n",
    ];
    assert.equal(readUpdateList(list(update(good.join("")))).updates.length, 1);
    refuses(() => readUpdateList(bytes("<html><body>Not found</body></html>")), {
      problem: "syntax",
      line: 1,
    });
    refuses(() => readUpdateList(list(update(good.join("")), "")), { problem: "order", line: 3 });
    refuses(() => readUpdateList(list(update(good.join("")), "")), {
      file: "v8cscdsc.xml",
      problem: "order",
    });
    refuses(() => readUpdateList(list(update(good.join(""), ""))), { problem: "missing", line: 4 });
    refuses(() => readUpdateList(list(update([good[1], good[0], good[2], good[3]].join("")))), {
      problem: "missing",
      line: 5,
      reason: /<vendor> must come before <file>/,
    });
    refuses(() => readUpdateList(list(update([...good, good[0]].join("")))), { problem: "order", line: 9 });
    refuses(() => readUpdateList(list(update([good[0], good[1], good[3]].join("")))), {
      problem: "missing",
      line: 7,
    });
    refuses(
      () => readUpdateList(list(update([good[0], "<v8u:file></v8u:file>\r\n", good[2], good[3]].join("")))),
      {
        problem: "missing",
        line: 6,
        reason: /empty/,
      },
    );
    refuses(
      () =>
        readUpdateList(list(update([...good.slice(0, 2), "<v8u:size>1x</v8u:size>\r\n", good[3]].join("")))),
      {
        problem: "value",
        line: 4,
      },
    );
    refuses(() => readUpdateList(list(update([...good, "<v8u:target>1.0.0.3</v8u:target>\r\n"].join("")))), {
      problem: "value",
      reason: /not lower/,
    });
    refuses(() => readUpdateList(list(update([...good, "<v8u:extra>1</v8u:extra>\r\n"].join("")))), {
      problem: "syntax",
      line: 9,
    });
    refuses(
      () =>
        readUpdateList(
          list(update([good[0], "<v8u:file>../x/1cv8.zip</v8u:file>\r\n", ...good.slice(2)].join(""))),
        ),
      {
        problem: "value",
      },
    );
    refuses(() => readUpdateList(list(update(good.join("")).replace("<v8u:vendor>V", "<v8u:vendor>V<b/>"))), {
      problem: "syntax",
    });
    refuses(() => readUpdateList(list("<v8u:update")), { problem: "syntax" });
    refuses(() => readUpdateList(bytes('<!DOCTYPE x [<!ENTITY a "b">]><x/>')), {
      problem: "syntax",
      line: 1,
    });
    refuses(() => readUpdateList(bytes('<?xml version="1.0" encoding="windows-1251"?><x/>')), {
      problem: "encoding",
    });
    refuses(() => readUpdateList(Buffer.concat([list(""), Buffer.from([0xc0])])), { problem: "encoding" });
    refuses(() => readUpdateList(bytes('<updateList xmlns="urn:other"><date>x</date></updateList>')), {
      problem: "syntax",
      line: 1,
    });
  });

  it("lets the caller check each update, naming its line", () => {
    refuses(
      () =>
        readUpdateList(fixture("v8upd11.xml"), {
          checkUpdate: (update) => {
            if (update.version === "3.0.9.28") throw new Error("not wanted");
          },
        }),
      { problem: "value", line: 11, reason: /not wanted/ },
    );
  });

  it("travels in v8upd11.zip: the real archive reads, and a written one reads back", async () => {
    const list = await readUpdateListZip({ buffer: fixture("v8upd11.zip") }, "v8upd11.zip");
    assert.deepEqual(list, readUpdateList(fixture("v8upd11.xml")));
    const at = new Date("2015-09-22T15:07:32Z");
    const written = writeUpdateListZip(list, at);
    assert.ok(written.equals(writeUpdateListZip(list, at)), "the same list gives the same bytes");
    assert.deepEqual(await readUpdateListZip({ buffer: written }, "v8upd11.zip"), list);
  });
});

describe("the package list v8cscdsc.lst", () => {
  const packages: PackageList = {
    date: "20150922180721",
    url: "https://updates.example/tmplts/v8cscdsc.lst",
    entries: [
      {
        configuration: 'Бухгалтерия "ПРОФ"',
        vendor: 'Фирма "1С"',
        version: "3.0.52.32",
        updateFrom: ["3.0.51.20", "3.0.52.10"],
        updateFile: "1c/Accounting/3_0_52_32/1cv8.cfu",
        manifestFile: "1c/Accounting/3_0_52_32/1cv8.mft",
      },
      {
        configuration: "ЗарплатаИУправлениеПерсоналом",
        vendor: 'Фирма "1С"',
        version: "3.0.8.46",
        updateFrom: [],
        updateFile: "1c/HRM/3_0_8_46/1cv8.cfu",
        manifestFile: "1c/HRM/3_0_8_46/1cv8.mft",
      },
    ],
  };

  it("writes the brace format (BOM, quotes doubled, six values a record) and reads it back", () => {
    const written = writePackageList(packages);
    const text = written.toString("utf8");
    assert.ok(
      text.startsWith('\uFEFF{0,"20150922180721","https://updates.example/tmplts/v8cscdsc.lst",2,{\r\n'),
    );
    assert.match(
      text,
      /\{"Бухгалтерия ""ПРОФ""","Фирма ""1С""","3\.0\.52\.32","00000000-0000-0000-0000-000000000000"\},\r\n0,\r\n\{\},\r\n1,\r\n/,
    );
    assert.match(text, /,2,\{\{"Бухгалтерия ""ПРОФ""","Фирма ""1С""","3\.0\.51\.20",/);
    assert.match(text, /"1c\/Accounting\/3_0_52_32\/1cv8\.cfu"\},\r\n"1c\/Accounting\/3_0_52_32\/1cv8\.mft"/);
    assert.deepEqual(readPackageList(written), packages);
    assert.deepEqual(readPackageList(writePackageList({ ...packages, entries: [] })), {
      ...packages,
      entries: [],
    });
  });

  it("reads whitespace and line breaks anywhere between values", () => {
    const text = writePackageList(packages).toString("utf8").replaceAll(",", " ,\n\t ");
    assert.deepEqual(readPackageList(bytes(text)), packages);
  });

  it("refuses broken lists, naming the line", () => {
    const text = writePackageList(packages).toString("utf8");
    refuses(() => readPackageList(bytes(text.replace(",2,{\r\n", ",3,{\r\n"))), {
      problem: "syntax",
      line: 1,
    });
    refuses(() => readPackageList(bytes(text.slice(0, -5))), { problem: "syntax", file: "v8cscdsc.lst" });
    refuses(
      () => readPackageList(bytes(text.replace('"1c/HRM/3_0_8_46/1cv8.mft"', '"1c/HRM/3_0_8_46/1cv8.mft'))),
      {
        problem: "syntax",
        line: 13,
      },
    );
    refuses(() => readPackageList(bytes(text.replace('"3.0.8.46"', '"3.0.8"'))), {
      problem: "value",
      line: 8,
    });
    refuses(() => readPackageList(bytes(text.replace('"1c/HRM/3_0_8_46/1cv8.mft"', '"../1cv8.mft"'))), {
      problem: "value",
      line: 13,
    });
    refuses(() => readPackageList(bytes(text.replace("{0,", "{1,"))), { problem: "syntax", line: 1 });
    refuses(() => readPackageList(bytes(`${text}{}`)), { problem: "syntax" });
    refuses(() => readPackageList(bytes("{".repeat(100))), { problem: "syntax" });
  });
});

describe("the package layout", () => {
  it("installs 1C\\HRM of 3.0.11.36 into 1c/HRM/3_0_11_36 and serves it at 1c/HRM/3_0_11_36/1cv8.zip", () => {
    const destination = parseDestination("1C\\HRM")!;
    assert.deepEqual(destination, { vendorFolder: "1c", code: "HRM" });
    assert.equal(templatePath(destination, "3.0.11.36"), "1c\\HRM\\3_0_11_36");
    assert.equal(feedPath(destination, "3.0.11.36"), "1c/HRM/3_0_11_36/1cv8.zip");
    assert.deepEqual(parseFeedPath("1c/HRM/3_0_19_70/1cv8.zip"), {
      vendorFolder: "1c",
      code: "HRM",
      version: "3.0.19.70",
      fileName: "1cv8.zip",
    });
    assert.equal(readVersionFolderName("3_0_11_36"), "3.0.11.36");
    for (const bad of ["1C", "1C\\", "\\HRM", "1C\\..", "1C/HRM", "..\\..\\x", "1C\\HRM\\3"]) {
      assert.equal(parseDestination(bad), null, bad);
    }
    for (const bad of [
      "1c/HRM/1cv8.zip",
      "1c/HRM/3_0_11/1cv8.zip",
      "../HRM/3_0_11_36/1cv8.zip",
      "1c/HRM/3_0_11_36/a/b",
    ]) {
      assert.equal(parseFeedPath(bad), null, bad);
    }
    assert.equal(readVersionFolderName("3.0.11.36"), null);
  });
});

describe("package pages to Markdown", () => {
  const html = (body: string) =>
    `<HTML><HEAD><TITLE>t</TITLE><STYLE>p { color: red }</STYLE></HEAD><BODY>${body}</BODY></HTML>`;

  it("decodes UTF-8 with a BOM, a declared windows-1251, and undeclared windows-1251", () => {
    const text = "<P>Табель заполняется по сменам.</P>";
    assert.match(decodePage(Buffer.from(`\uFEFF${html(text)}`)), /Табель/);
    const declared = iconv.encode(
      `<META content="text/html; charset=windows-1251" http-equiv=Content-Type>${text}`,
      "windows-1251",
    );
    assert.match(decodePage(declared), /Табель/);
    assert.match(decodePage(iconv.encode(text, "windows-1251")), /Табель/);
    assert.match(decodePage(Buffer.from(text)), /Табель/, "UTF-8 without a BOM or a declaration");
  });

  it("keeps headings, lists and safe links; drops scripts, styles, frames, forms and unsafe links", async () => {
    const markdown = await pageToMarkdown(
      Buffer.from(
        html(
          "<H2>Новое</H2><UL><LI>один<LI>два</UL><SCRIPT>alert(1)</SCRIPT><IFRAME src=x></IFRAME>" +
            "<FORM><INPUT value=secret></FORM><P>&lt;script&gt;alert(2)&lt;/script&gt;</P>" +
            '<A href="javascript:alert(3)">ссылка</A> <A href="v8config://x">объект</A> <A href="https://its.example/a">ИТС</A>' +
            '<IMG src="x" onerror="alert(4)" alt="схема">',
        ),
      ),
    );
    assert.ok(markdown);
    assert.match(markdown, /^## Новое/m);
    assert.match(markdown, /^- {1,3}один$/m);
    assert.match(markdown, /\[ИТС\]\(https:\/\/its\.example\/a\)/);
    assert.match(markdown, /ссылка объект/);
    assert.match(markdown, /\\<script>alert\(2\)\\<\/script>/, "text that looks like a tag is escaped");
    assert.doesNotMatch(
      markdown,
      /alert\(1\)|alert\(3\)|alert\(4\)|javascript|v8config|secret|color|(^|[^\\])<[a-z]/i,
    );
    assert.doesNotMatch(markdown, /^t$/m, "the title is not text");
    assert.match(markdown, /схема/);
    assert.equal(await pageToMarkdown(Buffer.from(html("<SCRIPT>x</SCRIPT>"))), null);
  });
});
