/**
 * Parses a 1C update list (`v8cscdsc.xml` inside `v8upd11.zip`, namespace
 * http://v8.1c.ru/configuration-updates). The format is flat and fixed, one
 * `<update>` element per release with simple text children, so a string parser is enough.
 * The namespace prefix is not assumed (`v8u:` in practice).
 */
import { badRequest } from "./errors.ts";
import { normalizeVersion } from "./version.ts";

export interface UpdateListEntry {
  configuration: string;
  vendor: string;
  /** Package path relative to the feed root, e.g. `1c/HRM/3_0_19_70/1cv8.zip`. */
  file: string;
  size: number;
  version: string;
  /** The `platform` attribute of `<version>`; absent on old entries. */
  minPlatformVersion: string | null;
  /** The `<target>` elements: the versions this update applies on top of. */
  updateFrom: string[];
}

export interface UpdateList {
  /** As written, e.g. `22.09.2015T18:07:21`. */
  date: string | null;
  updates: UpdateListEntry[];
}

const PREFIX = "(?:[\\w.-]+:)?";
const UPDATE_ELEMENT = new RegExp(`<${PREFIX}update\\b([^>]*)>([\\s\\S]*?)</${PREFIX}update\\s*>`, "g");
const DATE_ELEMENT = new RegExp(`<${PREFIX}date\\b[^>]*>([^<]*)</${PREFIX}date\\s*>`);

export function parseUpdateList(xml: string): UpdateList {
  const text = xml.replace(/^\uFEFF/, "");
  if (!new RegExp(`<${PREFIX}updateList\\b`).test(text)) {
    throw invalidList("the document has no updateList root element");
  }
  const date = DATE_ELEMENT.exec(text)?.[1];
  const updates = [...text.matchAll(UPDATE_ELEMENT)].map((match, index) =>
    parseUpdate(match[1] ?? "", match[2] ?? "", index + 1),
  );
  return { date: date === undefined ? null : decodeEntities(date).trim() || null, updates };
}

function parseUpdate(attributes: string, body: string, position: number): UpdateListEntry {
  const where = `update #${position}`;
  const required = (name: string) => {
    const value = elements(body, name)[0];
    if (value === undefined) throw invalidList(`${where} has no <${name}> element`);
    return value.text;
  };
  const versionElement = elements(body, "version")[0];
  if (versionElement === undefined) throw invalidList(`${where} has no <version> element`);
  const platform = attribute(versionElement.attributes, "platform");
  return {
    configuration: attribute(attributes, "configuration") ?? "",
    vendor: required("vendor"),
    file: required("file"),
    size: parseSize(required("size"), where),
    version: normalizeVersion(versionElement.text, `${where} <version>`),
    minPlatformVersion:
      platform === undefined || platform === "" ? null : normalizeVersion(platform, `${where} platform`),
    updateFrom: elements(body, "target").map((target, i) =>
      normalizeVersion(target.text, `${where} <target> #${i + 1}`),
    ),
  };
}

function elements(body: string, name: string): { attributes: string; text: string }[] {
  const pattern = new RegExp(`<${PREFIX}${name}\\b([^>]*)>([^<]*)</${PREFIX}${name}\\s*>`, "g");
  return [...body.matchAll(pattern)].map((match) => ({
    attributes: match[1] ?? "",
    text: decodeEntities(match[2] ?? "").trim(),
  }));
}

function attribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(attributes);
  if (!match) return undefined;
  return decodeEntities(match[1] ?? match[2] ?? "").trim();
}

/** Sizes group their digits with spaces (`33 963 988`), sometimes non-breaking ones. */
function parseSize(text: string, where: string): number {
  const digits = text.replace(/[\s\u00A0\u202F]/g, "");
  if (!/^\d+$/.test(digits) || !Number.isSafeInteger(Number(digits))) {
    throw invalidList(`${where} has an invalid <size> ${JSON.stringify(text)}`);
  }
  return Number(digits);
}

const NAMED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, entity: string) => {
    if (!entity.startsWith("#")) return NAMED_ENTITIES[entity] ?? whole;
    const codePoint = entity.startsWith("#x")
      ? Number.parseInt(entity.slice(2), 16)
      : Number(entity.slice(1));
    return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : whole;
  });
}

function invalidList(message: string) {
  return badRequest("invalid_update_list", `Invalid update list: ${message}`);
}
