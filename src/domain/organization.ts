/** The organisation's details on the registration form: every field is mandatory. */
import { parseIsoDate, purchaseDateProblem } from "./dates.ts";
import { type AppError, badRequest } from "./errors.ts";

export const ORGANIZATION_FIELDS = [
  "name",
  "activity",
  "postalCode",
  "address",
  "head",
  "responsiblePerson",
  "phone",
  "email",
  "purchasedFrom",
  "purchaseDate",
  "workstations",
] as const;
export type OrganizationField = (typeof ORGANIZATION_FIELDS)[number];

export interface Organization {
  name: string;
  activity: string;
  postalCode: string;
  address: string;
  head: string;
  responsiblePerson: string;
  phone: string;
  email: string;
  purchasedFrom: string;
  /** YYYY-MM-DD */
  purchaseDate: string;
  workstations: number;
}

/** One field's problem in a form; `field` may name a nested or indexed field, e.g. registrationNumbers[1]. */
export interface FieldProblem {
  field: string;
  message: string;
}

export const MAX_TEXT_LENGTH = 300;
export const MAX_WORKSTATIONS = 100_000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^[0-9 +\-()]{5,30}$/;

type Check = (value: string, today: string) => string | null;

/** Each field's check on the trimmed text: null when valid, else why not. */
const CHECKS: Partial<Record<OrganizationField, Check>> = {
  phone: (v) =>
    PHONE.test(v) && (v.match(/[0-9]/g)?.length ?? 0) >= 5
      ? null
      : "must be 5-30 characters of digits, spaces, +, -, ( and ), with at least 5 digits",
  email: (v) => emailProblem(v),
  purchaseDate: (v, today) => purchaseDateProblem(v, today),
  workstations: (v) => {
    const n = /^[0-9]{1,6}$/.test(v) ? Number(v) : Number.NaN;
    return n >= 1 && n <= MAX_WORKSTATIONS ? null : `must be a whole number from 1 to ${MAX_WORKSTATIONS}`;
  },
};

/** Trimmed text of a string, or the decimal spelling of an integer (workstations may come as a number). */
function textOf(value: unknown): string | null {
  if (typeof value === "string") return value.trim();
  if (typeof value === "number" && Number.isInteger(value)) return String(value);
  return null;
}

/** Why a value is not an e-mail address, or null when it is one. */
export function emailProblem(value: unknown): string | null {
  return typeof value === "string" && value.trim().length <= 254 && EMAIL.test(value.trim())
    ? null
    : "must be an e-mail address such as name@example.com";
}

/** A form's problems as one validation_failed listing every field. */
export function formProblem(subject: string, problems: readonly FieldProblem[]): AppError {
  const list = problems.map((p) => `${p.field} ${p.message}`).join("; ");
  return badRequest("validation_failed", `${subject} incomplete or invalid: ${list}.`, { fields: problems });
}

/**
 * The normalised organisation, or null with every missing or invalid field listed. `today`
 * (YYYY-MM-DD) is the caller's date, against which the purchase date is checked.
 */
export function checkOrganization(
  input: unknown,
  today: string,
): { organization: Organization | null; problems: FieldProblem[] } {
  parseIsoDate(today, "today");
  const raw = (typeof input === "object" && input !== null ? input : {}) as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  const values: Record<string, string> = {};
  for (const field of ORGANIZATION_FIELDS) {
    const text = textOf(raw[field]);
    let message: string | null;
    if (text === null || text === "") message = "is required";
    else if (text.length > MAX_TEXT_LENGTH) message = `must be at most ${MAX_TEXT_LENGTH} characters`;
    else message = CHECKS[field]?.(text, today) ?? null;
    if (message) problems.push({ field, message });
    else values[field] = text!;
  }
  if (problems.length > 0) return { organization: null, problems };
  const { workstations, ...text } = values;
  return {
    organization: { ...(text as Omit<Organization, "workstations">), workstations: Number(workstations) },
    problems,
  };
}

/** Returns the normalised form or throws validation_failed listing every missing or invalid field. */
export function validateOrganization(input: unknown, today: string): Organization {
  const { organization, problems } = checkOrganization(input, today);
  if (!organization) throw formProblem("The organisation's details are", problems);
  return organization;
}
