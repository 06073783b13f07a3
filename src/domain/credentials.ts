/** What a login and a password look like, for every way an account is made. */
import { badRequest } from "./errors.ts";

const LOGIN = /^[\p{L}\p{N}][\p{L}\p{N}._@-]{1,63}$/u;
const MIN_PASSWORD = 8;

export function validateLogin(login: unknown): string {
  if (typeof login !== "string" || !LOGIN.test(login)) {
    throw badRequest(
      "invalid_login",
      "A login is 2-64 letters, digits, dots, dashes, underscores or @, starting with a letter or digit.",
    );
  }
  return login;
}

export function validatePassword(password: unknown): string {
  if (typeof password !== "string" || password.length < MIN_PASSWORD || password.length > 256) {
    throw badRequest("weak_password", `A password has ${MIN_PASSWORD} to 256 characters.`);
  }
  return password;
}
