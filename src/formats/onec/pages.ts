/**
 * The .htm pages of an update package (the update order, what's new) as Markdown for a release's
 * documents. The vendor's current packages write them in UTF-8 with a BOM, older ones and other
 * vendors' tools in windows-1251, saying so (or not) in a `<META charset>`. The Markdown is safe
 * to render: scripts, styles, frames and forms are dropped with their content, links keep only
 * http(s) and mailto targets (1C's own `v8config://` links become their text), images their alt
 * text, and a `<` in the text is escaped so no HTML passes through.
 */
import type TurndownService from "turndown";

const UTF8_BOM = [0xef, 0xbb, 0xbf];

function declaredCharset(bytes: Buffer): string | null {
  const head = bytes.subarray(0, 4096).toString("latin1");
  return /<meta[^>]*charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head)?.[1]?.toLowerCase() ?? null;
}

function tryDecode(bytes: Uint8Array, label: string): string | null {
  try {
    return new TextDecoder(label, { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return null;
  }
}

/** The page's text: UTF-8 with a BOM; else the declared charset; else UTF-8 if it is valid; else windows-1251. */
export function decodePage(bytes: Buffer): string {
  if (UTF8_BOM.every((byte, index) => bytes[index] === byte)) {
    return tryDecode(bytes.subarray(3), "utf-8") ?? new TextDecoder("windows-1251").decode(bytes.subarray(3));
  }
  const declared = declaredCharset(bytes);
  if (declared !== null && declared !== "utf-8" && declared !== "utf8") {
    const text = tryDecode(bytes, declared);
    if (text !== null) return text;
  }
  return tryDecode(bytes, "utf-8") ?? new TextDecoder("windows-1251").decode(bytes);
}

const SAFE_LINK = /^(https?:\/\/|mailto:)[^\s()<>"'`\\]+$/i;
const DROPPED = [
  "head",
  "title",
  "meta",
  "link",
  "base",
  "script",
  "style",
  "noscript",
  "template",
  "iframe",
  "frame",
  "frameset",
  "object",
  "embed",
  "applet",
  "form",
  "input",
  "button",
  "select",
  "textarea",
  "svg",
  "math",
  "canvas",
] as const;

/** Turndown hands rules DOM nodes; this project compiles without the DOM's types. */
const attribute = (node: unknown, name: string): string | null =>
  (node as { getAttribute(name: string): string | null }).getAttribute(name);

/** Turndown (and the DOM it parses with) is loaded on first use: the server does not start with it. */
async function converter(): Promise<TurndownService> {
  const { default: Turndown } = await import("turndown");
  const service = new Turndown({
    headingStyle: "atx",
    bulletListMarker: "-",
    codeBlockStyle: "fenced",
  });
  service.remove([...DROPPED] as TurndownService.Filter);
  const escapeMarkdown = service.escape.bind(service);
  service.escape = (text: string) => escapeMarkdown(text).replaceAll("<", "\\<");
  service.addRule("safe-links", {
    filter: "a",
    replacement: (content, node) => {
      const href = attribute(node, "href")?.trim() ?? "";
      return SAFE_LINK.test(href) && content.trim() !== "" ? `[${content}](${href})` : content;
    },
  });
  service.addRule("image-alt", {
    filter: "img",
    replacement: (_content, node) => service.escape(attribute(node, "alt")?.trim() ?? ""),
  });
  return service;
}

let shared: Promise<TurndownService> | null = null;

/** A page as safe Markdown; null when it has no text. */
export async function pageToMarkdown(bytes: Buffer): Promise<string | null> {
  shared ??= converter();
  const markdown = (await shared)
    .turndown(decodePage(bytes))
    .replaceAll("\u00A0", " ")
    .replace(/[ \t]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return markdown === "" ? null : markdown;
}
