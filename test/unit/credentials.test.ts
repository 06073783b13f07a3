import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { validateLogin, validatePassword } from "../../src/domain/credentials.ts";
import { AppError } from "../../src/domain/errors.ts";

const refusedWith = (code: string) => (error: unknown) => error instanceof AppError && error.code === code;

describe("validateLogin", () => {
  it("accepts 2 to 64 letters, digits and . _ @ -, in any script, starting with a letter or digit", () => {
    for (const login of [
      "ab",
      "ops",
      "anna.k",
      "user_1",
      "a@b.example",
      "Бухгалтер-2",
      "x".repeat(64),
      "1c",
    ]) {
      assert.equal(validateLogin(login), login);
    }
  });

  it("refuses the rest", () => {
    for (const login of [
      "",
      "a",
      "x".repeat(65),
      ".dot",
      "-dash",
      "two words",
      "semi;colon",
      "a/b",
      42,
      null,
    ]) {
      assert.throws(() => validateLogin(login), refusedWith("invalid_login"), String(login));
    }
  });
});

describe("validatePassword", () => {
  it("accepts 8 to 256 characters", () => {
    for (const password of ["12345678", "p".repeat(256), "пароль-длинный"]) {
      assert.equal(validatePassword(password), password);
    }
  });

  it("refuses shorter, longer and non-text passwords", () => {
    for (const password of ["", "1234567", "p".repeat(257), 12345678, undefined]) {
      assert.throws(() => validatePassword(password), refusedWith("weak_password"), String(password));
    }
  });
});
