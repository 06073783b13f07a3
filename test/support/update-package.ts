/**
 * Update packages (1cv8.zip) with the byte-level traits of the vendor's real ones: entry names in
 * code page 866 with the zip's UTF-8 flag (bit 11) off, `1cv8.cfu` stored and the rest deflated, in
 * the vendor's order; `1cv8.mft` UTF-8 with a BOM and CRLF; `UpdInfo.txt` plain with CRLF and no BOM;
 * the .htm pages UTF-8 with a BOM and CRLF, as the vendor's current packages have them, or in
 * windows-1251 as older packages and other vendors' tools write them. The texts are this project's own.
 *
 * yazl always sets the UTF-8 flag, so the few records of the zip format are written here.
 */
import { crc32, deflateRawSync } from "node:zlib";
import iconv from "iconv-lite";
import { writeUpdInfo } from "../../src/formats/onec/upd-info.ts";

export interface UpdatePackageOptions {
  /** The configuration's code: the manifest installs into `1C\<code>`. */
  readonly code: string;
  readonly version: string;
  readonly fromVersions: readonly string[];
  /** ISO date: UpdInfo.txt's UpdateDate and the entries' timestamps. */
  readonly updateDate?: string;
  /** The update itself; a few bytes naming the version by default. */
  readonly cfu?: Buffer;
  /** How the .htm pages are encoded: UTF-8 with a BOM (the default) or windows-1251. */
  readonly pageEncoding?: PageEncoding;
}

export type PageEncoding = "utf-8" | "windows-1251";

const CONFIGURATION_TITLE = "Кадровый учёт";
const BOM = "\uFEFF";

/** The what's-new page is named after the first three parts of the version, as the vendor does. */
export function whatsNewName(version: string): string {
  return `${CONFIGURATION_TITLE}. Версия ${version.split(".").slice(0, 3).join(".")}. Новое в версии.htm`;
}

const crlf = (lines: readonly string[]) => lines.map((line) => `${line}\r\n`).join("");

function manifest(code: string, version: string): string {
  return `${BOM}${crlf([
    'Vendor=ООО "Пример"',
    "Name=КадровыйУчёт",
    `Version=${version}`,
    "AppVersion=8.3",
    "[Config1]",
    `Catalog=Пример/${CONFIGURATION_TITLE}`,
    `Destination=1C\\${code}`,
    "Source=1cv8.cf",
  ])}`;
}

function page(title: string, paragraphs: readonly string[], encoding: PageEncoding): Buffer {
  const html = crlf([
    "<HTML><HEAD>",
    `<META content="text/html; charset=${encoding}" http-equiv=Content-Type></HEAD>`,
    "<BODY>",
    `<H2>${title}</H2>`,
    ...paragraphs.map((text) => `<P>${text}</P>`),
    "</BODY></HTML>",
  ]);
  return encoding === "utf-8" ? Buffer.from(`${BOM}${html}`) : iconv.encode(html, encoding);
}

/** The update package of `version`, as bytes. */
export function updatePackage(options: UpdatePackageOptions): Buffer {
  const { code, version, fromVersions, updateDate = "2024-03-15", pageEncoding = "utf-8" } = options;
  const cfu = options.cfu ?? Buffer.from(`${code} ${version}\n`);
  const updInfo = writeUpdInfo({ version, fromVersions, updateDate }, { bom: false });
  const howTo = page(
    `${CONFIGURATION_TITLE}, версия ${version}`,
    [`Обновление с версий ${fromVersions.join(", ")} до версии ${version}.`, "Файл обновления: 1cv8.cfu."],
    pageEncoding,
  );
  const whatsNew = page(
    `Новое в версии ${version}`,
    ["Отпуска по графику считаются с учётом праздников.", "Табель заполняется по сменам."],
    pageEncoding,
  );
  return writeZip(
    [
      { name: "1cv8.mft", data: Buffer.from(manifest(code, version)) },
      { name: "1cv8upd.htm", data: howTo },
      { name: "UpdInfo.txt", data: updInfo, text: true },
      { name: whatsNewName(version), data: whatsNew },
      { name: "1cv8.cfu", data: cfu, stored: true },
    ],
    new Date(`${updateDate}T12:00:00Z`),
  );
}

// --- The zip records (APPNOTE 4.3), without the UTF-8 flag. ---

const MADE_BY_FAT_2_0 = 20;
/** MS-DOS "archive" attribute, with rw-rw-rw- in the high word, as the vendor's archiver writes. */
const EXTERNAL_ATTRIBUTES = 0x81b60020;
const STORED = 0;
const DEFLATED = 8;

interface ZipEntry {
  readonly name: string;
  readonly data: Buffer;
  readonly stored?: boolean;
  /** Marked as text in the central directory, as the vendor's archiver marks UpdInfo.txt. */
  readonly text?: boolean;
}

function dosDateTime(at: Date): { date: number; time: number } {
  return {
    date: ((at.getUTCFullYear() - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate(),
    time: (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | (at.getUTCSeconds() >> 1),
  };
}

/** The "extended timestamp" extra field with the modification time. */
function unixTime(at: Date): Buffer {
  const field = Buffer.alloc(9);
  field.writeUInt16LE(0x5455, 0);
  field.writeUInt16LE(5, 2);
  field.writeUInt8(1, 4);
  field.writeUInt32LE(Math.floor(at.getTime() / 1000), 5);
  return field;
}

function writeZip(entries: readonly ZipEntry[], modified: Date): Buffer {
  const { date, time } = dosDateTime(modified);
  const extra = unixTime(modified);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = iconv.encode(entry.name, "cp866");
    const method = entry.stored ? STORED : DEFLATED;
    const body = entry.stored ? entry.data : deflateRawSync(entry.data);
    const needed = entry.stored ? 10 : 20;
    const crc = crc32(entry.data);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(needed, 4);
    local.writeUInt16LE(0, 6); // flags: no UTF-8 names, no data descriptor
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(extra.length, 28);
    locals.push(local, name, extra, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(MADE_BY_FAT_2_0, 4);
    local.copy(central, 6, 4, 30); // needed .. extra length, the same as the local header's
    central.writeUInt16LE(0, 32); // comment length
    central.writeUInt16LE(0, 34); // disk
    central.writeUInt16LE(entry.text ? 1 : 0, 36); // internal attributes
    central.writeUInt32LE(EXTERNAL_ATTRIBUTES, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name, extra);

    offset += local.length + name.length + extra.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
