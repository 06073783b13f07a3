/**
 * Update packages (1cv8.zip) with the byte-level traits of the vendor's real ones: entry names in
 * code page 866 with the zip's UTF-8 flag (bit 11) off, `1cv8.cfu` stored and the rest deflated, in
 * the vendor's order; `1cv8.mft` UTF-8 with a BOM and CRLF; `UpdInfo.txt` plain with CRLF and no BOM;
 * the .htm pages UTF-8 with a BOM and CRLF, as the vendor's current packages have them, or in
 * windows-1251 as older packages and other vendors' tools write them. The texts are this project's own.
 *
 * yazl always sets the UTF-8 flag, so the zips are written by src/formats/zip-writer.ts.
 */
import iconv from "iconv-lite";
import { writeUpdInfo } from "../../src/formats/onec/upd-info.ts";
import { writeZip, type ZipWriterEntry } from "../../src/formats/zip-writer.ts";

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
  /** The manifest's Name (the configuration's own name); `КадровыйУчёт` by default. */
  readonly name?: string;
  /** The manifest's first Destination; `1C\<code>` by default. */
  readonly destination?: string;
  /** The what's-new page's HTML, instead of the built one (encoded as `pageEncoding` says). */
  readonly whatsNewHtml?: string;
  /** Changes the entries before they are written (bad packages for tests of refusals). */
  readonly entries?: (entries: ZipWriterEntry[]) => ZipWriterEntry[];
}

export type PageEncoding = "utf-8" | "windows-1251";

const CONFIGURATION_TITLE = "Кадровый учёт";
const BOM = "\uFEFF";

/** The what's-new page is named after the first three parts of the version, as the vendor does. */
export function whatsNewName(version: string): string {
  return `${CONFIGURATION_TITLE}. Версия ${version.split(".").slice(0, 3).join(".")}. Новое в версии.htm`;
}

const crlf = (lines: readonly string[]) => lines.map((line) => `${line}\r\n`).join("");

function manifest(name: string, destination: string, version: string): string {
  return `${BOM}${crlf([
    'Vendor=ООО "Пример"',
    `Name=${name}`,
    `Version=${version}`,
    "AppVersion=8.3",
    "[Config1]",
    `Catalog=Пример/${CONFIGURATION_TITLE}`,
    `Destination=${destination}`,
    "Source=1cv8.cf",
  ])}`;
}

function encodePage(html: string, encoding: PageEncoding): Buffer {
  return encoding === "utf-8" ? Buffer.from(`${BOM}${html}`) : iconv.encode(html, encoding);
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
  return encodePage(html, encoding);
}

/** An entry name as the vendor's archiver writes it: code page 866, no UTF-8 flag. */
export const cp866 = (name: string) => iconv.encode(name, "cp866");

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
  const whatsNew =
    options.whatsNewHtml === undefined
      ? page(
          `Новое в версии ${version}`,
          ["Отпуска по графику считаются с учётом праздников.", "Табель заполняется по сменам."],
          pageEncoding,
        )
      : encodePage(options.whatsNewHtml, pageEncoding);
  const mft = manifest(options.name ?? "КадровыйУчёт", options.destination ?? `1C\\${code}`, version);
  const entries: ZipWriterEntry[] = [
    { name: cp866("1cv8.mft"), data: Buffer.from(mft) },
    { name: cp866("1cv8upd.htm"), data: howTo },
    { name: cp866("UpdInfo.txt"), data: updInfo, text: true },
    { name: cp866(whatsNewName(version)), data: whatsNew },
    { name: cp866("1cv8.cfu"), data: cfu, stored: true },
  ];
  return writeZip(options.entries ? options.entries(entries) : entries, new Date(`${updateDate}T12:00:00Z`));
}
