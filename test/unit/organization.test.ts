import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../../src/domain/errors.ts";
import { emailProblem, ORGANIZATION_FIELDS, validateOrganization } from "../../src/domain/organization.ts";

const TODAY = "2026-04-10";

const valid = {
  name: "  Horns and Hooves LLC ",
  activity: "Wholesale",
  postalCode: "101000",
  address: "1 Main Street, Moscow",
  head: "I. Ivanov",
  responsiblePerson: "P. Petrov",
  phone: "+7 (495) 123-45-67",
  email: "accounts@horns.example",
  purchasedFrom: "Partner Ltd",
  purchaseDate: "2026-04-10",
  workstations: 5,
};

function problemsOf(input: unknown): { field: string; message: string }[] {
  try {
    validateOrganization(input, TODAY);
  } catch (error) {
    assert.ok(error instanceof AppError);
    assert.equal(error.kind, "bad_request");
    assert.equal(error.code, "validation_failed");
    const fields = error.details.fields as { field: string; message: string }[];
    for (const { field } of fields) assert.ok(error.message.includes(field), `message omits ${field}`);
    return fields;
  }
  assert.fail("expected validation_failed");
}

const fieldsOf = (input: unknown) => problemsOf(input).map((p) => p.field);

describe("validateOrganization", () => {
  it("has exactly the eleven fields of the form", () => {
    assert.deepEqual([...ORGANIZATION_FIELDS].sort(), [
      "activity",
      "address",
      "email",
      "head",
      "name",
      "phone",
      "postalCode",
      "purchaseDate",
      "purchasedFrom",
      "responsiblePerson",
      "workstations",
    ]);
  });

  it("returns the trimmed form and drops unknown fields", () => {
    assert.deepEqual(validateOrganization({ ...valid, extra: "ignored" }, TODAY), {
      ...valid,
      name: "Horns and Hooves LLC",
    });
  });

  it("accepts workstations given as text", () => {
    assert.equal(validateOrganization({ ...valid, workstations: " 12 " }, TODAY).workstations, 12);
  });

  it("requires every field, listing all of them at once", () => {
    assert.deepEqual(fieldsOf({}), [...ORGANIZATION_FIELDS]);
    assert.deepEqual(fieldsOf(null), [...ORGANIZATION_FIELDS]);
    assert.ok(problemsOf({}).every((p) => p.message === "is required"));
  });

  for (const field of ORGANIZATION_FIELDS) {
    it(`requires ${field}`, () => {
      assert.deepEqual(fieldsOf({ ...valid, [field]: undefined }), [field]);
      assert.deepEqual(fieldsOf({ ...valid, [field]: "   " }), [field]);
    });
  }

  it("rejects text that is not a string", () => {
    assert.deepEqual(fieldsOf({ ...valid, name: ["x"], head: { a: 1 } }), ["name", "head"]);
  });

  it("rejects overlong text, and takes text of exactly the limit", () => {
    assert.deepEqual(fieldsOf({ ...valid, address: "x".repeat(301) }), ["address"]);
    assert.equal(
      validateOrganization({ ...valid, address: "x".repeat(300) }, TODAY).address,
      "x".repeat(300),
    );
  });

  it("takes a number only where it is a whole one, and only as the spelling of that number", () => {
    assert.equal(validateOrganization({ ...valid, postalCode: 101000 }, TODAY).postalCode, "101000");
    assert.deepEqual(fieldsOf({ ...valid, postalCode: Number.NaN, activity: 1.5 }), [
      "activity",
      "postalCode",
    ]);
  });

  it("checks the purchase date is a real date not after today", () => {
    assert.equal(
      validateOrganization({ ...valid, purchaseDate: "2024-02-29" }, TODAY).purchaseDate,
      "2024-02-29",
    );
    for (const purchaseDate of ["2026-04-11", "2025-02-29", "10.04.2026", "2026-4-1", "1990-12-31"]) {
      assert.deepEqual(fieldsOf({ ...valid, purchaseDate }), ["purchaseDate"], purchaseDate);
    }
  });

  it("checks workstations is a whole number from 1 to 100000", () => {
    assert.equal(validateOrganization({ ...valid, workstations: 100_000 }, TODAY).workstations, 100_000);
    assert.equal(validateOrganization({ ...valid, workstations: 1 }, TODAY).workstations, 1);
    for (const workstations of [0, 100_001, 2.5, -1, "many", "1e3", true]) {
      assert.deepEqual(fieldsOf({ ...valid, workstations }), ["workstations"], String(workstations));
    }
  });

  it("checks the e-mail address is plausible", () => {
    for (const email of [
      "nobody",
      "a@b",
      "a b@c.d",
      "@c.de",
      "a@@c.de",
      "a@c.de x",
      `${"a".repeat(250)}@c.de`,
    ]) {
      assert.deepEqual(fieldsOf({ ...valid, email }), ["email"], email);
    }
    const longest = `${"a".repeat(249)}@c.de`;
    assert.equal(validateOrganization({ ...valid, email: `  ${longest} ` }, TODAY).email, longest);
    // Asked directly (the sign-up form does), the rule itself ignores the padding.
    assert.equal(emailProblem(`  ${longest} `), null);
    assert.equal(emailProblem(" name@example.com\t"), null);
    assert.notEqual(emailProblem(`${longest}x`), null);
    for (const value of [5, null, undefined, ["name@example.com"]])
      assert.notEqual(emailProblem(value), null);
  });

  it("checks the phone", () => {
    assert.equal(validateOrganization({ ...valid, phone: "12345" }, TODAY).phone, "12345");
    for (const phone of ["1234", "call me", "+7 495 123 45 67 ext 2", "1".repeat(31), "(((-)))"]) {
      assert.deepEqual(fieldsOf({ ...valid, phone }), ["phone"], phone);
    }
  });

  it("reports every invalid field with its own message", () => {
    const problems = problemsOf({ ...valid, name: "", email: "x", workstations: 0 });
    assert.deepEqual(
      problems.map((p) => p.field),
      ["name", "email", "workstations"],
    );
    assert.ok(problems.every((p) => p.message.length > 0));
  });
});
