import MarkdownIt from "markdown-it";

/** Links may lead to web pages or stay on this site; any other scheme (javascript:, data:, file:) stays text. */
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
function allowedLink(url: string): boolean {
  const scheme = SCHEME.exec(url.trim())?.[1]?.toLowerCase();
  return scheme === undefined || scheme === "http" || scheme === "https";
}

/**
 * Release documents as HTML: raw HTML in the text is shown as text (`html: false`), images are
 * off (the page's CSP would block other sites' pictures anyway), and a document's headings sit
 * below the page's own (`#` becomes h3).
 */
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });
markdown.validateLink = allowedLink;
markdown.disable("image");

const HEADING_SHIFT = 2;
for (const rule of ["heading_open", "heading_close"] as const) {
  markdown.renderer.rules[rule] = (tokens, index, options, _env, self) => {
    const token = tokens[index]!;
    const level = Math.min(6, Number(token.tag.slice(1)) + HEADING_SHIFT);
    token.tag = `h${level}`;
    return self.renderToken(tokens, index, options);
  };
}

markdown.renderer.rules.link_open = (tokens, index, options, _env, self) => {
  const token = tokens[index]!;
  if (SCHEME.test(String(token.attrGet("href") ?? ""))) token.attrSet("rel", "noopener noreferrer nofollow");
  return self.renderToken(tokens, index, options);
};

/** Rendered documents are kept (most recently used first out) up to about this many characters. */
const CACHE_CHARACTERS = 16_000_000;
const rendered = new Map<string, string>();
let cachedCharacters = 0;

/**
 * A Markdown text as safe HTML, for `dangerouslySetInnerHTML`. The same texts are shown again
 * and again (a release page, a plan's what's new), so their HTML is kept.
 */
export function renderMarkdown(text: string): string {
  const kept = rendered.get(text);
  if (kept !== undefined) {
    rendered.delete(text);
    rendered.set(text, kept);
    return kept;
  }
  const html = markdown.render(text);
  const size = text.length + html.length;
  if (size <= CACHE_CHARACTERS / 4) {
    rendered.set(text, html);
    cachedCharacters += size;
    for (const [oldText, oldHtml] of rendered) {
      if (cachedCharacters <= CACHE_CHARACTERS) break;
      rendered.delete(oldText);
      cachedCharacters -= oldText.length + oldHtml.length;
    }
  }
  return html;
}
