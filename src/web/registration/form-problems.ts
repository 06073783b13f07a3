import { AppError } from "../../domain/errors.ts";
import { type FieldProblem, MAX_TEXT_LENGTH, MAX_WORKSTATIONS } from "../../domain/organization.ts";
import { controlCharacterProblem } from "../../domain/text.ts";
import type { ViewContext } from "../view.ts";

/** Errors of one posted form, already in the user's language: per field, and one for the whole form. */
export interface FormErrors {
  readonly fields: Record<string, string>;
  readonly form?: string;
}

export const NO_ERRORS: FormErrors = { fields: {} };

/**
 * Fields holding control characters, which no stored text may (the API refuses them before its
 * use cases; a form is checked here the same way): only `freeText` fields may break lines.
 */
export function controlCharacterErrors(
  view: ViewContext,
  values: Readonly<Record<string, string>>,
  freeText: readonly string[] = [],
): FormErrors {
  const fields: Record<string, string> = {};
  for (const [field, value] of Object.entries(values)) {
    if (controlCharacterProblem(value, freeText.includes(field) ? "free" : "line")) {
      fields[field] = view.t("registration:problems.controlCharacters");
    }
  }
  return { fields };
}

/** One field's problem, as the domain words it in validation_failed, in the user's language. */
function fieldProblemText(view: ViewContext, { field, message }: FieldProblem): string {
  const { t, format } = view;
  if (message === "is required") return t("registration:problems.required");
  if (message.startsWith("must be at most")) {
    return t("registration:problems.tooLong", { max: format.number(MAX_TEXT_LENGTH) });
  }
  switch (field) {
    case "registrationNumber":
      return t("registration:problems.registrationNumber");
    case "phone":
      return t("registration:problems.phone");
    case "email":
      return t("registration:problems.email");
    case "workstations":
      return t("registration:problems.workstations", { max: format.number(MAX_WORKSTATIONS) });
    case "purchaseDate":
      if (message.startsWith("cannot be later")) return t("registration:problems.purchaseDateFuture");
      if (message.startsWith("cannot be earlier")) return t("registration:problems.purchaseDateEarly");
      return t("registration:problems.purchaseDateFormat");
    default:
      return t("registration:problems.invalid");
  }
}

/**
 * What a refused PIN registration tells the person at the form: every refusal code of the
 * registration use cases (first registration and adding a product) in the user's language, on
 * the field it concerns or for the whole form. Null for an error that is not the form's: the
 * error page shows it.
 */
export function pinRegistrationErrors(view: ViewContext, error: unknown): FormErrors | null {
  if (!(error instanceof AppError)) return null;
  const { t, format } = view;
  const details = error.details;
  switch (error.code) {
    case "validation_failed": {
      const problems = (details.fields ?? []) as FieldProblem[];
      const fields: Record<string, string> = {};
      for (const problem of problems) fields[problem.field] ??= fieldProblemText(view, problem);
      return { fields };
    }
    case "invalid_pin": {
      const left = details.attemptsLeft;
      const pin =
        typeof left !== "number"
          ? t("registration:problems.invalidPin")
          : left > 0
            ? t("registration:problems.invalidPinLeft", { count: left })
            : t("registration:problems.invalidPinLast");
      return { fields: { pin } };
    }
    case "pin_locked":
      return {
        fields: {},
        form: t("registration:problems.pinLocked", {
          time: format.dateTime(String(details.lockedUntil)),
        }),
      };
    case "not_vendor_registered":
      return { fields: { registrationNumber: t("registration:problems.notVendorRegistered") } };
    case "already_registered":
      return { fields: { registrationNumber: t("registration:problems.alreadyRegistered") } };
    case "registration_number_not_found":
      return { fields: { registrationNumber: t("registration:problems.unknownNumber") } };
    case "support_subscription_required":
      return {
        fields: {},
        form: t("registration:problems.supportRequired", { month: format.month(String(details.month)) }),
      };
    default:
      return null;
  }
}

/** The form's errors in one list for the summary above it, each naming its field's label. */
export function errorSummary(
  errors: FormErrors,
  labels: Record<string, string>,
): { field: string; label: string; text: string }[] {
  return Object.entries(errors.fields).map(([field, text]) => ({
    field,
    label: labels[field] ?? field,
    text,
  }));
}

/** The status of a form shown again with a use case's refusal: as the API would answer it. */
export function formErrorStatus(error: unknown): number {
  if (!(error instanceof AppError)) return 400;
  switch (error.kind) {
    case "forbidden":
      return 403;
    case "conflict":
      return 409;
    default:
      return 400;
  }
}
