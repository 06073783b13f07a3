import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formattersFor, isTimeZone } from "../../src/web/format.ts";
import { languageFromAcceptLanguage } from "../../src/web/i18n.ts";
import { safeLocalPath } from "../../src/web/safe-redirect.ts";

describe("the language of a first visit", () => {
  it("takes the best-rated of our languages from Accept-Language", () => {
    assert.equal(languageFromAcceptLanguage("ru-RU,ru;q=0.9,en-US;q=0.8"), "ru");
    assert.equal(languageFromAcceptLanguage("de-DE,id;q=0.7,en;q=0.5"), "id");
    assert.equal(languageFromAcceptLanguage("en;q=0.4, ru;q=0.8"), "ru");
    assert.equal(languageFromAcceptLanguage("in-ID"), "id", "the old code of Indonesian");
    assert.equal(languageFromAcceptLanguage("ru;q=0, fr"), "en", "q=0 refuses a language");
    assert.equal(languageFromAcceptLanguage("de, fr"), "en");
    assert.equal(languageFromAcceptLanguage(undefined), "en");
  });
});

describe("where a form may send the user next", () => {
  it("keeps local paths with their query", () => {
    assert.equal(safeLocalPath("/account/devices?x=1"), "/account/devices?x=1");
    assert.equal(
      safeLocalPath("/configurations/ACC/releases/3.0.1.5"),
      "/configurations/ACC/releases/3.0.1.5",
    );
  });

  it("refuses other sites however they are spelled", () => {
    for (const target of [
      "https://evil.example/",
      "//evil.example/",
      "/\\evil.example",
      "/\t/evil.example",
      "javascript:alert(1)",
      "evil.example",
      "",
      undefined,
      ["/account"],
    ]) {
      assert.equal(safeLocalPath(target), "/", JSON.stringify(target));
    }
    assert.equal(safeLocalPath("//evil", "/account"), "/account");
  });
});

describe("formatting per language", () => {
  it("formats dates, times in the reader's zone, numbers and sizes", () => {
    const en = formattersFor("en", "Asia/Jakarta");
    const ru = formattersFor("ru", "Europe/Moscow");
    const id = formattersFor("id", "Asia/Jakarta");
    assert.equal(en.date("2026-12-01"), "Dec 1, 2026");
    assert.equal(ru.date("2026-12-01"), "1 дек. 2026 г.");
    assert.equal(id.date("2026-12-01"), "1 Des 2026");
    // 10:00 UTC is 17:00 in Jakarta and 13:00 in Moscow.
    assert.match(en.dateTime("2026-11-16T10:00:00Z"), /05:00\sPM/);
    assert.match(ru.dateTime("2026-11-16T10:00:00Z"), /13:00/);
    assert.match(id.dateTime("2026-11-16T10:00:00Z"), /17[.:]00/);
    assert.equal(en.number(1234567.5), "1,234,567.5");
    assert.match(ru.number(1234567.5), /^1\s234\s567,5$/);
    assert.equal(en.bytes(512), "512 byte");
    assert.equal(en.bytes(1_500_000), "1.5 MB");
    assert.match(ru.bytes(1_500_000), /^1,5\sМБ$/);
    assert.equal(id.bytes(2_000_000_000), "2 GB");
  });

  it("accepts only real time zones", () => {
    assert.equal(isTimeZone("Asia/Jakarta"), true);
    assert.equal(isTimeZone("UTC"), true);
    assert.equal(isTimeZone("Mars/Olympus"), false);
    assert.equal(isTimeZone(undefined), false);
    assert.equal(isTimeZone("x".repeat(100)), false);
  });
});
