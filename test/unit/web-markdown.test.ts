import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderMarkdown } from "../../src/web/markdown.ts";

describe("release documents as Markdown", () => {
  it("shows raw HTML as text", () => {
    const html = renderMarkdown('<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">');
    assert.doesNotMatch(html, /<script|<img/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });

  it("keeps links to web pages and this site, and leaves any other scheme as text", () => {
    const html = renderMarkdown(
      [
        "[a](https://example.com/a) [b](http://example.com/b) [c](/configurations/HRM) [d](#top)",
        "[e](javascript:alert(1)) [f](JAVAScript&#58;alert(1)) [g](data:text/html;base64,PHNjcmlwdD4=)",
        "[h](vbscript:msgbox) [i](file:///etc/passwd) [j](mailto:a@example.com)",
      ].join("\n\n"),
    );
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    assert.deepEqual(hrefs, ["https://example.com/a", "http://example.com/b", "/configurations/HRM", "#top"]);
    assert.match(html, /<a href="https:\/\/example\.com\/a" rel="noopener noreferrer nofollow">a<\/a>/);
    assert.match(html, /<a href="\/configurations\/HRM">c<\/a>/, "a link on this site stays plain");
  });

  it("shows no pictures and puts a document's headings below the page's", () => {
    const html = renderMarkdown("# Title\n\n## Part\n\n![logo](https://example.com/logo.png)");
    assert.match(html, /<h3>Title<\/h3>/);
    assert.match(html, /<h4>Part<\/h4>/);
    assert.doesNotMatch(html, /<img/);
  });

  it("gives the same HTML for a text seen before", () => {
    const text = `* item ${Math.random()}`;
    assert.equal(renderMarkdown(text), renderMarkdown(text));
  });
});
