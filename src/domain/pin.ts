/**
 * PIN codes and registration numbers. Randomness is passed in as bytes; the generators use
 * rejection sampling so every value is equally likely, and return null when the bytes fall in
 * the rejected range: the caller then draws fresh bytes and asks again.
 */
import { badRequest, conflict, notFound } from "./errors.ts";

/** 16 decimal digits: log2(10^16) ≈ 53 bits of entropy, above the required 40. */
export const PIN_DIGITS = 16;
/** pinFromRandomBytes reads exactly this many bytes (a 64-bit unsigned integer). */
export const PIN_RANDOM_BYTES = 8;

const PIN_RANGE = 10n ** BigInt(PIN_DIGITS);
// The largest multiple of 10^16 not above 2^64; values at or above it would bias the low PINs.
const PIN_LIMIT = (2n ** 64n / PIN_RANGE) * PIN_RANGE;

/** A uniformly distributed 16-digit PIN (leading zeros allowed), or null (p ≈ 0.04%) to draw again. */
export function pinFromRandomBytes(bytes: Uint8Array): string | null {
  if (bytes.length !== PIN_RANDOM_BYTES) {
    throw new RangeError(`pinFromRandomBytes needs ${PIN_RANDOM_BYTES} bytes, got ${bytes.length}`);
  }
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  if (value >= PIN_LIMIT) return null;
  return (value % PIN_RANGE).toString().padStart(PIN_DIGITS, "0");
}

/** Strips spaces and dashes: the 16 digits of a well-formed PIN, or null for anything else. */
export function parsePin(text: unknown): string | null {
  if (typeof text !== "string" || text.length > 64) return null;
  const pin = text.replace(/[\s-]/g, "");
  return /^[0-9]{16}$/.test(pin) ? pin : null;
}

/**
 * Strips spaces and dashes; the PIN itself never appears in the error (it is a secret). For
 * formatting only: checking a PIN treats a malformed one as a wrong one (parsePin), never as a 400.
 */
export function normalizePin(text: unknown): string {
  const pin = parsePin(text);
  if (pin === null) {
    throw badRequest(
      "invalid_pin_format",
      `A PIN is ${PIN_DIGITS} digits, optionally grouped by spaces or dashes, e.g. 1234-5678-9012-3456.`,
    );
  }
  return pin;
}

/** "1234567890123456" -> "1234-5678-9012-3456", as printed in the PIN envelope. */
export function formatPin(pin: string): string {
  return normalizePin(pin)
    .match(/[0-9]{4}/g)!
    .join("-");
}

export const REGISTRATION_NUMBER = /^[0-9]{8,12}$/;
/** registrationNumberFromRandomBytes reads exactly this many bytes (a 40-bit unsigned integer). */
export const REGISTRATION_NUMBER_RANDOM_BYTES = 5;
/** How many registration numbers one request may issue. */
export const MAX_ISSUE_COUNT = 100_000;

const NUMBER_LOW = 1_000_000_000; // 10 digits, no leading zero: [10^9, 10^10)
const NUMBER_RANGE = 9_000_000_000;
const NUMBER_LIMIT = Math.floor(2 ** 40 / NUMBER_RANGE) * NUMBER_RANGE;

/** Why a value is not a registration number, or null when it is one. */
export function registrationNumberProblem(text: unknown): string | null {
  const value = typeof text === "string" ? text.trim() : text;
  if (typeof value === "string" && REGISTRATION_NUMBER.test(value)) return null;
  return "must be a registration number of 8 to 12 digits";
}

/**
 * The trimmed number, or 400 validation_failed in the shape of every form validation:
 * `fields: [{ field, message }]`.
 */
export function validateRegistrationNumber(text: unknown, field = "registrationNumber"): string {
  const message = registrationNumberProblem(text);
  if (message === null) return (text as string).trim();
  throw badRequest("validation_failed", `${field} ${message}, got ${JSON.stringify(text)}.`, {
    fields: [{ field, message }],
  });
}

/** A uniformly distributed 10-digit registration number not starting with 0, or null (p ≈ 0.14%) to draw again. */
export function registrationNumberFromRandomBytes(bytes: Uint8Array): string | null {
  if (bytes.length !== REGISTRATION_NUMBER_RANDOM_BYTES) {
    throw new RangeError(
      `registrationNumberFromRandomBytes needs ${REGISTRATION_NUMBER_RANDOM_BYTES} bytes, got ${bytes.length}`,
    );
  }
  let value = 0;
  for (const byte of bytes) value = value * 256 + byte;
  if (value >= NUMBER_LIMIT) return null;
  return String(NUMBER_LOW + (value % NUMBER_RANGE));
}

/** A number already on an account (this one or another): it joins no second one. */
export const alreadyRegistered = (number: string) =>
  conflict("already_registered", `The registration number ${number} is registered on the site already.`, {
    registrationNumber: number,
  });

export const registrationNumberNotFound = (number: string) =>
  notFound("registration_number_not_found", `There is no registration number ${number}.`, {
    registrationNumber: number,
  });
