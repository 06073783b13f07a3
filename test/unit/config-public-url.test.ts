import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadConfig } from "../../src/config.ts";

describe("UPKEEP_PUBLIC_URL", () => {
  it("defaults to the address the service listens on", () => {
    assert.equal(loadConfig({}).publicUrl, "http://127.0.0.1:8080");
    assert.equal(loadConfig({ HOST: "0.0.0.0", PORT: "9000" }).publicUrl, "http://0.0.0.0:9000");
    assert.equal(loadConfig({ HOST: "::1" }).publicUrl, "http://[::1]:8080");
  });

  it("keeps a configured base without its trailing slash, with a path prefix if given", () => {
    assert.equal(
      loadConfig({ UPKEEP_PUBLIC_URL: "https://updates.example.com/" }).publicUrl,
      "https://updates.example.com",
    );
    assert.equal(
      loadConfig({ UPKEEP_PUBLIC_URL: "https://example.com/upkeep/" }).publicUrl,
      "https://example.com/upkeep",
    );
  });

  it("refuses what cannot be a base of links", () => {
    for (const bad of [
      "updates.example.com",
      "ftp://example.com",
      "https://example.com/?a=1",
      "https://u:p@example.com",
    ]) {
      assert.throws(() => loadConfig({ UPKEEP_PUBLIC_URL: bad }), /UPKEEP_PUBLIC_URL/, bad);
    }
  });
});
