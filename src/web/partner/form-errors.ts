import { AppError } from "../../domain/errors.ts";
import type { ViewContext } from "../view.ts";

/** The messages of one form by field name, in the user's language. */
export type FieldErrors = Record<string, string>;

const STATUS: Partial<Record<AppError["kind"], number>> = {
  bad_request: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
};

/** The status a form shown again with its errors answers with. */
export function formErrorStatus(error: AppError): number {
  return STATUS[error.kind] ?? 400;
}

interface FieldProblem {
  field: string;
  message: string;
}

function problemFields(error: AppError): FieldProblem[] {
  const fields = error.details.fields;
  return Array.isArray(fields) ? (fields as FieldProblem[]) : [];
}

/** One organisation field's problem (src/domain/organization.ts), in the user's language. */
function organizationFieldError(view: ViewContext, problem: FieldProblem): string {
  const { t } = view;
  if (problem.message === "is required") return t("partner:errors.required");
  if (problem.message.startsWith("must be at most")) return t("partner:errors.tooLong");
  switch (problem.field) {
    case "phone":
      return t("partner:errors.phone");
    case "email":
      return t("partner:errors.email");
    case "purchaseDate":
      return t("partner:errors.purchaseDate");
    case "workstations":
      return t("partner:errors.workstations");
    default:
      return t("partner:errors.invalid");
  }
}

/** The message of a refused registration number; null for a problem that is not about one. */
function numberError(view: ViewContext, error: AppError): string | null {
  const { t } = view;
  const number = String(error.details.registrationNumber ?? "");
  switch (error.code) {
    case "registration_number_not_found":
      return t("partner:errors.numberNotFound", { number });
    case "not_vendor_registered":
      return t("partner:errors.notVendorRegistered", { number });
    case "already_registered": {
      const numbers = Array.isArray(error.details.registrationNumbers)
        ? (error.details.registrationNumbers as string[]).join(", ")
        : number;
      return t("partner:errors.alreadyRegistered", { number: numbers });
    }
    default:
      return null;
  }
}

/**
 * The errors of the client registration form: organisation fields by name, and every problem of
 * the list of numbers on `registrationNumbers`. Null for an error the form cannot show.
 */
export function clientFormErrors(view: ViewContext, error: unknown): FieldErrors | null {
  if (!(error instanceof AppError)) return null;
  const errors: FieldErrors = {};
  if (error.code === "validation_failed") {
    for (const problem of problemFields(error)) {
      if (problem.field === "registrationNumbers") {
        errors.registrationNumbers = view.t("partner:errors.numbersList");
      } else if (problem.field.startsWith("registrationNumbers[")) {
        errors.registrationNumbers ??= view.t("partner:errors.numberFormat");
      } else {
        errors[problem.field] = organizationFieldError(view, problem);
      }
    }
    return Object.keys(errors).length > 0 ? errors : null;
  }
  const message = numberError(view, error);
  return message === null ? null : { registrationNumbers: message };
}

/** The errors of the authorisation form (user code, number). */
export function authorizationErrors(view: ViewContext, error: unknown): FieldErrors | null {
  if (!(error instanceof AppError)) return null;
  if (error.code === "user_not_found") return { userCode: view.t("partner:errors.userNotFound") };
  if (error.code === "validation_failed")
    return { registrationNumber: view.t("partner:errors.numberFormat") };
  const message = numberError(view, error);
  return message === null ? null : { registrationNumber: message };
}

/** The errors of the subscription form (main number as posted); the use case reports the first problem it meets. */
export function subscriptionErrors(
  view: ViewContext,
  error: unknown,
  mainNumber: string,
): FieldErrors | null {
  if (!(error instanceof AppError)) return null;
  const { t } = view;
  switch (error.code) {
    case "invalid_subscription":
      switch (error.details.field) {
        case "mainNumber":
          return { registrationNumber: t("partner:errors.numberFormat") };
        case "fromMonth":
          return { fromMonth: t("partner:errors.fromMonth") };
        case "months":
        case "toMonth":
          return { months: t("partner:errors.months") };
        case "additionalNumbers":
          return { additionalNumbers: t("partner:errors.additionalNumbers") };
        default:
          return null;
      }
    case "validation_failed":
      return { registrationNumber: t("partner:errors.numberFormat") };
    case "registration_number_not_found": {
      const missing = (error.details.missing as string[] | undefined) ?? [];
      const errors: FieldErrors = {};
      const main = missing.find((n) => n === mainNumber);
      if (main) errors.registrationNumber = t("partner:errors.numberNotFound", { number: main });
      const others = missing.filter((n) => n !== main);
      if (others.length > 0)
        errors.additionalNumbers = t("partner:errors.numberNotFound", { number: others.join(", ") });
      return errors;
    }
    case "subscription_overlap": {
      const overlaps = error.details.overlaps as { fromMonth: string; toMonth: string };
      return { fromMonth: t("partner:errors.overlap", { from: overlaps.fromMonth, to: overlaps.toMonth }) };
    }
    default:
      return null;
  }
}
