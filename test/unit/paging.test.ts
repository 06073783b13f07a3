import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../../src/domain/errors.ts";
import {
  DEFAULT_PAGE_LIMIT,
  MAX_PAGE_LIMIT,
  MAX_PAGE_OFFSET,
  pageOf,
  parsePaging,
  previousOffset,
  rowsToRead,
} from "../../src/domain/paging.ts";

function refusal(input: { limit?: unknown; offset?: unknown }): { code: string; field: unknown } {
  try {
    parsePaging(input);
  } catch (error) {
    assert.ok(error instanceof AppError);
    assert.equal(error.kind, "bad_request");
    return { code: error.code, field: error.details.field };
  }
  assert.fail(`accepted ${JSON.stringify(input)}`);
}

describe("paging", () => {
  it("takes the defaults for missing or empty values", () => {
    assert.deepEqual(parsePaging({}), { limit: DEFAULT_PAGE_LIMIT, offset: 0 });
    assert.deepEqual(parsePaging({ limit: "", offset: null }), { limit: DEFAULT_PAGE_LIMIT, offset: 0 });
  });

  it("accepts numbers and digits within the bounds, the bounds included", () => {
    assert.deepEqual(parsePaging({ limit: "1", offset: "0" }), { limit: 1, offset: 0 });
    assert.deepEqual(parsePaging({ limit: MAX_PAGE_LIMIT, offset: MAX_PAGE_OFFSET }), {
      limit: MAX_PAGE_LIMIT,
      offset: MAX_PAGE_OFFSET,
    });
    assert.deepEqual(parsePaging({ limit: "25", offset: "75" }), { limit: 25, offset: 75 });
  });

  it("refuses limits outside 1..MAX and names the field", () => {
    for (const limit of [0, "0", MAX_PAGE_LIMIT + 1, "-1", "1.5", 2.5, "ten", " 5", "1e2", true, "0x10"]) {
      assert.deepEqual(refusal({ limit }), { code: "invalid_paging", field: "limit" }, String(limit));
    }
  });

  it("refuses offsets below 0, above the maximum or not whole", () => {
    for (const offset of [-1, "-5", MAX_PAGE_OFFSET + 1, "3.0", 0.5, "abc", "9999999999", {}]) {
      assert.deepEqual(refusal({ offset }), { code: "invalid_paging", field: "offset" }, String(offset));
    }
  });

  it("reads one row more than a page shows, and tells the next offset only when there is more", () => {
    const paging = { limit: 2, offset: 4 };
    assert.equal(rowsToRead(paging), 3);
    assert.deepEqual(pageOf(["a", "b", "c"], paging), { items: ["a", "b"], nextOffset: 6 });
    assert.deepEqual(pageOf(["a", "b"], paging), { items: ["a", "b"], nextOffset: null });
    assert.deepEqual(pageOf([], paging), { items: [], nextOffset: null });
  });

  it("goes back a page, never before the first", () => {
    assert.equal(previousOffset({ limit: 10, offset: 0 }), null);
    assert.equal(previousOffset({ limit: 10, offset: 5 }), 0);
    assert.equal(previousOffset({ limit: 10, offset: 30 }), 20);
  });
});
