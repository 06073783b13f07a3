import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { AppError } from "../../src/domain/errors.ts";
import { formatUpdInfo, parseUpdInfo } from "../../src/domain/upd-info.ts";

const FIXTURE = new URL("../fixtures/1c/UpdInfo.txt", import.meta.url);

function assertInvalid(text: string) {
  assert.throws(
    () => parseUpdInfo(text),
    (error: unknown) => error instanceof AppError && error.code === "invalid_upd_info",
  );
}

describe("parseUpdInfo", () => {
  it("reads the real file: BOM, CRLF, ;-separated FromVersions, DD.MM.YYYY", () => {
    const bytes = readFileSync(FIXTURE);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "the fixture starts with a BOM");
    assert.deepEqual(parseUpdInfo(bytes.toString("utf8")), {
      version: "3.0.23.148",
      fromVersions: ["3.0.23.132", "3.0.23.139", "3.0.23.142", "3.0.23.143"],
      updateDate: "2015-09-22",
    });
  });

  it("accepts LF line ends, no BOM, no surrounding semicolons and spaces", () => {
    assert.deepEqual(
      parseUpdInfo("Version=1.2.3.4\nFromVersions=1.2.3.1; 1.2.3.2\nUpdateDate=01.02.2020\n"),
      {
        version: "1.2.3.4",
        fromVersions: ["1.2.3.1", "1.2.3.2"],
        updateDate: "2020-02-01",
      },
    );
  });

  it("takes keys case-insensitively and ignores blank lines and unknown keys", () => {
    const info = parseUpdInfo("\r\nversion=2.0.1.1\r\nSomething=else\r\nfromversions=;;2.0.0.9;;\r\n");
    assert.deepEqual(info, { version: "2.0.1.1", fromVersions: ["2.0.0.9"], updateDate: null });
  });

  it("drops duplicate FromVersions and canonicalises leading zeros", () => {
    const info = parseUpdInfo("Version=3.0.05.1\r\nFromVersions=;3.0.04.7;3.0.4.7;\r\nUpdateDate=31.12.2013");
    assert.equal(info.version, "3.0.5.1");
    assert.deepEqual(info.fromVersions, ["3.0.4.7"]);
    assert.equal(info.updateDate, "2013-12-31");
  });

  it("an empty FromVersions is a first release", () => {
    assert.deepEqual(parseUpdInfo("Version=1.0.0.1\r\nFromVersions=\r\nUpdateDate=\r\n").fromVersions, []);
  });

  it("rejects files without a version, bad versions, bad dates and garbage lines", () => {
    assertInvalid("");
    assertInvalid("FromVersions=;1.0.0.1;");
    assertInvalid("Version=1.0.0");
    assertInvalid("Version=1.0.0.1\r\nFromVersions=;1.0.x.1;");
    assertInvalid("Version=1.0.0.1\r\nUpdateDate=2015-09-22");
    assertInvalid("Version=1.0.0.1\r\nUpdateDate=31.02.2015");
    assertInvalid("Version=1.0.0.1\r\nthis is not a key");
  });

  it("formatUpdInfo writes what parseUpdInfo reads", () => {
    const info = { version: "3.0.11.36", fromVersions: ["3.0.10.32", "3.0.11.34"], updateDate: "2013-12-16" };
    const text = formatUpdInfo(info);
    assert.ok(text.startsWith("\uFEFFVersion=3.0.11.36\r\n"));
    assert.ok(text.includes("FromVersions=;3.0.10.32;3.0.11.34;\r\n"));
    assert.deepEqual(parseUpdInfo(text), info);
  });
});
