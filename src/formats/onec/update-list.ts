/**
 * The update list `v8cscdsc.xml` (inside `v8upd11.zip`): every update of a configuration with the
 * versions it applies to. Written byte for byte as 1C writes it, because strict readers in the
 * field depend on it: UTF-8 with a BOM, CRLF, the literal `v8u:` prefix (never a default
 * namespace), `date` first, `configuration` on every update, no empty element, sizes grouped by
 * U+00A0 NO-BREAK SPACE (`33 963 988`), no line end after the root's end tag:
 *
 *     <?xml version="1.0" encoding="UTF-8" ?>
 *     <v8u:updateList xmlns:v8u="http://v8.1c.ru/configuration-updates" version="1.1">
 *     	<v8u:date>22.09.2015T18:07:21</v8u:date>
 *         <v8u:update configuration="ЗарплатаИУправлениеПерсоналом">
 *             <v8u:vendor>Фирма "1С"</v8u:vendor>
 *             <v8u:file>1c/HRM/3_0_19_70/1cv8.zip</v8u:file>
 *             <v8u:size>33 963 988</v8u:size>
 *             <v8u:version platform="8.3.5.1119">3.0.19.70</v8u:version>
 *             <v8u:target>3.0.18.63</v8u:target>
 *         </v8u:update>
 *     </v8u:updateList>
 *
 * The reader takes any prefix of the namespace, and refuses what the format does not hold (a
 * DOCTYPE, unknown or misplaced elements, an encoding other than UTF-8), naming the line.
 */
import { SaxesParser, type SaxesTagNS } from "saxes";
import { FormatError } from "../format-error.ts";
import {
  BOM,
  crlfLines,
  decodeUtf8,
  type Fail,
  failOf,
  hasControlCharacters,
  notLower,
  readVersion,
} from "./text.ts";

export const UPDATE_LIST_NAMESPACE = "http://v8.1c.ru/configuration-updates";
export const UPDATE_LIST_FILE = "v8cscdsc.xml";

export interface UpdateListEntry {
  /** The configuration's own name (the manifest's Name). */
  readonly configuration: string;
  readonly vendor: string;
  /** The package's path relative to the feed root, e.g. `1c/HRM/3_0_19_70/1cv8.zip`. */
  readonly file: string;
  /** The package's size in bytes. */
  readonly size: number;
  readonly version: string;
  /** The `platform` attribute of `<version>`: the minimum platform; absent on old entries. */
  readonly minPlatformVersion: string | null;
  /** The `<target>` elements: the versions this update applies on top of, in file order. */
  readonly updateFrom: readonly string[];
}

export interface UpdateList {
  /** As written, `DD.MM.YYYYTHH:MM:SS` (e.g. `22.09.2015T18:07:21`). */
  readonly date: string;
  readonly updates: readonly UpdateListEntry[];
}

/** `22.09.2015T18:07:21`; the time of day is as the vendor's clock shows it. */
export function updateListDate(at: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return (
    `${two(at.getUTCDate())}.${two(at.getUTCMonth() + 1)}.${at.getUTCFullYear()}` +
    `T${two(at.getUTCHours())}:${two(at.getUTCMinutes())}:${two(at.getUTCSeconds())}`
  );
}

function isUpdateListDate(text: string): boolean {
  const match = /^(\d{2})\.(\d{2})\.(\d{4})T(\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!match) return false;
  const [day, month, year, hours, minutes, seconds] = match.slice(1).map(Number) as number[];
  const at = new Date(Date.UTC(year!, month! - 1, day!, hours, minutes, seconds));
  at.setUTCFullYear(year!);
  return updateListDate(at) === text;
}

/** `33963988` -> `33 963 988` with U+00A0 between the groups. */
export function formatSize(size: number): string {
  return String(size).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00A0");
}

/** Digits grouped by threes with U+00A0 (or a space, U+202F), or not grouped at all. */
function readSize(text: string): number | null {
  if (!/^\d{1,3}([\u00A0 \u202F]\d{3})*$/.test(text) && !/^\d+$/.test(text)) return null;
  const size = Number(text.replace(/[\u00A0 \u202F]/g, ""));
  return Number.isSafeInteger(size) ? size : null;
}

/** A `/`-separated path that stays below the feed root. */
export function isFeedRelativePath(path: string): boolean {
  return (
    !hasControlCharacters(path) &&
    !path.includes("\\") &&
    path.split("/").every((part) => part !== "" && part !== "." && part !== "..")
  );
}

type Child = "vendor" | "file" | "size" | "version" | "target";
const CHILD_ORDER: readonly Child[] = ["vendor", "file", "size", "version", "target"];

interface OpenUpdate {
  readonly line: number;
  readonly configuration: string;
  readonly values: Partial<Record<Exclude<Child, "target">, string>>;
  readonly targets: string[];
  minPlatformVersion: string | null;
  /** The index in CHILD_ORDER of the last child read. */
  last: number;
}

export interface ReadUpdateListOptions {
  /** The name the errors give the file. */
  readonly file?: string;
  /** Further checks of each update (e.g. its file path's layout); a thrown Error names the update's line. */
  readonly checkUpdate?: (update: UpdateListEntry) => void;
}

export function readUpdateList(bytes: Uint8Array, options: ReadUpdateListOptions = {}): UpdateList {
  const file = options.file ?? UPDATE_LIST_FILE;
  const fail = failOf(file);
  const { text } = decodeUtf8(bytes, file);
  const parser = new SaxesParser({ xmlns: true, position: true });
  const line = () => parser.line;
  let depth = 0;
  let sawRoot = false;
  let date: string | null = null;
  let leaf: { name: string; line: number; text: string; tag: SaxesTagNS } | null = null;
  let update: OpenUpdate | null = null;
  const updates: UpdateListEntry[] = [];

  parser.on("error", (error) => {
    throw fail(
      line(),
      "syntax",
      `the XML is not well-formed: ${error.message.replace(/^.*?:\d+:\d+: /, "")}`,
    );
  });
  parser.on("xmldecl", (declaration) => {
    if (declaration.encoding !== undefined && declaration.encoding.toUpperCase() !== "UTF-8") {
      throw fail(
        line(),
        "encoding",
        `the declaration names ${declaration.encoding}; an update list is UTF-8.`,
      );
    }
  });
  parser.on("doctype", () => {
    throw fail(line(), "syntax", "an update list has no DOCTYPE.");
  });
  parser.on("opentag", (tag) => {
    const at = line();
    if (tag.uri !== UPDATE_LIST_NAMESPACE) {
      throw fail(at, "syntax", `<${tag.name}> is not of the namespace ${UPDATE_LIST_NAMESPACE}.`);
    }
    depth++;
    if (depth === 1) {
      if (tag.local !== "updateList") throw fail(at, "syntax", `the root is <${tag.name}>, not updateList.`);
      sawRoot = true;
    } else if (depth === 2 && tag.local === "date") {
      if (date !== null || updates.length > 0)
        throw fail(at, "order", "<date> comes once, first in the list.");
      leaf = { name: "date", line: at, text: "", tag };
    } else if (depth === 2 && tag.local === "update") {
      if (date === null) throw fail(at, "order", "<date> must come before the first <update>.");
      const configuration = tag.attributes.configuration?.value.trim() ?? "";
      if (configuration === "") throw fail(at, "missing", "<update> has no configuration attribute.");
      update = { line: at, configuration, values: {}, targets: [], minPlatformVersion: null, last: -1 };
    } else if (depth === 3 && update !== null && (CHILD_ORDER as readonly string[]).includes(tag.local)) {
      const index = CHILD_ORDER.indexOf(tag.local as Child);
      if (index < update.last || (index === update.last && tag.local !== "target")) {
        throw fail(
          at,
          "order",
          `<${tag.local}> is out of place: an update holds ${CHILD_ORDER.join(", ")} in this order.`,
        );
      }
      if (
        index > update.last + 1 &&
        CHILD_ORDER.slice(update.last + 1, index).some((name) => name !== "target")
      ) {
        const skipped = CHILD_ORDER[update.last + 1]!;
        throw fail(at, "missing", `<${skipped}> must come before <${tag.local}>.`);
      }
      update.last = index;
      leaf = { name: tag.local, line: at, text: "", tag };
    } else {
      throw fail(at, "syntax", `<${tag.name}> does not belong here.`);
    }
  });
  const addText = (chunk: string) => {
    if (leaf !== null) leaf.text += chunk;
    else if (chunk.trim() !== "")
      throw fail(line(), "syntax", `text ${JSON.stringify(chunk.trim().slice(0, 40))} outside an element.`);
  };
  parser.on("text", addText);
  parser.on("cdata", addText);
  parser.on("closetag", () => {
    depth--;
    if (leaf !== null) {
      const closed: { name: string; line: number; text: string; tag: SaxesTagNS } = leaf;
      leaf = null;
      const value = closed.text.trim();
      if (value === "") throw fail(closed.line, "missing", `<${closed.name}> is empty.`);
      if (hasControlCharacters(value))
        throw fail(closed.line, "value", `<${closed.name}> holds control characters.`);
      if (closed.name === "date") {
        if (!isUpdateListDate(value))
          throw fail(closed.line, "value", `<date> ${JSON.stringify(value)} is not DD.MM.YYYYTHH:MM:SS.`);
        date = value;
      } else if (update !== null) {
        readChild(update, closed.name as Child, value, closed.tag, closed.line, fail);
      }
      return;
    }
    if (depth === 1 && update !== null) {
      const entry = finishUpdate(update, fail);
      if (options.checkUpdate) {
        try {
          options.checkUpdate(entry);
        } catch (error) {
          throw fail(
            update.line,
            "value",
            error instanceof FormatError ? error.reason : (error as Error).message,
          );
        }
      }
      updates.push(entry);
      update = null;
    }
  });
  parser.write(text).close();
  if (!sawRoot) throw fail(null, "missing", "there is no updateList element.");
  if (date === null) throw fail(null, "missing", "the list has no <date>.");
  return { date, updates };
}

function readChild(
  update: OpenUpdate,
  name: Child,
  value: string,
  tag: SaxesTagNS,
  line: number,
  fail: Fail,
) {
  if (name === "target") {
    const version = readVersion(value);
    if (version === null) throw fail(line, "value", `<target> ${JSON.stringify(value)} is not a version.`);
    if (!update.targets.includes(version)) update.targets.push(version);
    return;
  }
  if (name === "version") {
    const platform = tag.attributes.platform?.value.trim();
    if (platform !== undefined) {
      update.minPlatformVersion = readVersion(platform);
      if (update.minPlatformVersion === null) {
        throw fail(
          line,
          "value",
          `platform ${JSON.stringify(platform)} is not a version such as 8.3.5.1119.`,
        );
      }
    }
  }
  update.values[name] = value;
}

function finishUpdate(update: OpenUpdate, fail: Fail): UpdateListEntry {
  const { vendor, file, size, version } = update.values;
  const missing = CHILD_ORDER.find((name) => name !== "target" && update.values[name] === undefined);
  if (missing !== undefined || !vendor || !file || !size || !version) {
    throw fail(update.line, "missing", `the update has no <${missing}>.`);
  }
  const bytes = readSize(size);
  if (bytes === null)
    throw fail(update.line, "value", `<size> ${JSON.stringify(size)} is not a number of bytes.`);
  const canonical = readVersion(version);
  if (canonical === null)
    throw fail(update.line, "value", `<version> ${JSON.stringify(version)} is not a version.`);
  const later = notLower(update.targets, canonical);
  if (later !== undefined) {
    throw fail(
      update.line,
      "value",
      `the update to ${canonical} has the target ${later}, which is not lower.`,
    );
  }
  if (!isFeedRelativePath(file)) {
    throw fail(update.line, "value", `<file> ${JSON.stringify(file)} is not a path below the feed root.`);
  }
  return {
    configuration: update.configuration,
    vendor,
    file,
    size: bytes,
    version: canonical,
    minPlatformVersion: update.minPlatformVersion,
    updateFrom: update.targets,
  };
}

const escapeText = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
const escapeAttribute = (text: string) => escapeText(text).replaceAll('"', "&quot;");

/** The list byte for byte as 1C writes it (see the top of this file). */
export function writeUpdateList(list: UpdateList): Buffer {
  const fail = failOf(UPDATE_LIST_FILE);
  if (!isUpdateListDate(list.date))
    throw fail(null, "value", `the date ${JSON.stringify(list.date)} is not DD.MM.YYYYTHH:MM:SS.`);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8" ?>',
    `<v8u:updateList xmlns:v8u="${UPDATE_LIST_NAMESPACE}" version="1.1">`,
    `\t<v8u:date>${list.date}</v8u:date>`,
  ];
  for (const update of list.updates) {
    checkEntry(update, fail);
    const platform = update.minPlatformVersion === null ? "" : ` platform="${update.minPlatformVersion}"`;
    lines.push(
      `    <v8u:update configuration="${escapeAttribute(update.configuration)}">`,
      `        <v8u:vendor>${escapeText(update.vendor)}</v8u:vendor>`,
      `        <v8u:file>${escapeText(update.file)}</v8u:file>`,
      `        <v8u:size>${formatSize(update.size)}</v8u:size>`,
      `        <v8u:version${platform}>${update.version}</v8u:version>`,
      ...update.updateFrom.map((from) => `        <v8u:target>${from}</v8u:target>`),
      "    </v8u:update>",
    );
  }
  return Buffer.from(`${BOM}${crlfLines(lines)}</v8u:updateList>`, "utf8");
}

/** What would not read back as given is refused: an empty element breaks strict readers. */
function checkEntry(update: UpdateListEntry, fail: Fail): void {
  const where = `the update to ${update.version}`;
  for (const [name, value] of [
    ["configuration", update.configuration],
    ["vendor", update.vendor],
    ["file", update.file],
  ] as const) {
    if (value === "" || value.trim() !== value || hasControlCharacters(value)) {
      throw fail(
        null,
        "value",
        `${where}: ${name} ${JSON.stringify(value)} is empty, padded or holds control characters.`,
      );
    }
  }
  if (!isFeedRelativePath(update.file))
    throw fail(null, "value", `${where}: ${update.file} is not a path below the feed root.`);
  if (!Number.isSafeInteger(update.size) || update.size < 0)
    throw fail(null, "value", `${where}: the size ${update.size} is not a number of bytes.`);
  const versions = [
    update.version,
    ...update.updateFrom,
    ...(update.minPlatformVersion === null ? [] : [update.minPlatformVersion]),
  ];
  const bad = versions.find((version) => readVersion(version) !== version);
  if (bad !== undefined)
    throw fail(null, "value", `${where}: ${JSON.stringify(bad)} is not a canonical version.`);
  if (new Set(update.updateFrom).size !== update.updateFrom.length)
    throw fail(null, "value", `${where} names a target twice.`);
  const later = notLower(update.updateFrom, update.version);
  if (later !== undefined) throw fail(null, "value", `${where}: the target ${later} is not lower.`);
}
