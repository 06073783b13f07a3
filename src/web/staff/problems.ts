import { AppError } from "../../domain/errors.ts";
import type { ViewContext } from "../view.ts";

/** A form's errors by field name; `_form` is shown above the form. */
export type FormErrors = Record<string, string>;

/** What a refusal of the use cases says, in the reader's language. */
export function problemText(view: ViewContext, error: AppError): string {
  const { t } = view;
  switch (error.code) {
    case "invalid_code":
      return t("staff:problems.invalidCode");
    case "invalid_name":
      return t("staff:problems.invalidName");
    case "invalid_kind":
    case "invalid_package_format":
    case "invalid_distribution_kind":
      return t("staff:problems.invalidChoice");
    case "configuration_exists":
      return t("staff:problems.configurationExists");
    case "configuration_not_found":
      return t("staff:problems.configurationNotFound");
    case "invalid_version":
      return t("staff:problems.invalidVersion");
    case "invalid_date":
      return t("staff:problems.invalidDate");
    case "invalid_date_range":
      return t("staff:problems.invalidDateRange");
    case "invalid_update_from":
      return t("staff:problems.invalidUpdateFrom");
    case "invalid_channel":
      return t("staff:problems.invalidChannel");
    case "release_exists":
      return t("staff:problems.releaseExists");
    case "invalid_documents":
      return t("staff:problems.invalidDocuments");
    case "release_without_files":
      return t("staff:problems.releaseWithoutFiles");
    case "distribution_kind_not_allowed":
      return t("staff:problems.kindNotAllowed");
    case "invalid_file_name":
      return t("staff:problems.noFile");
    case "empty_file":
      return t("staff:problems.emptyFile");
    case "not_a_package":
      return t("staff:problems.notAPackage");
    case "package_unsafe_path":
      return t("staff:problems.unsafePath");
    case "package_too_large":
      return t("staff:problems.tooLarge");
    case "package_without_updinfo":
      return t("staff:problems.withoutUpdInfo");
    case "invalid_upd_info":
      return t("staff:problems.invalidUpdInfo");
    case "package_version_mismatch":
      return t("staff:problems.versionMismatch");
    case "release_files_immutable":
      return t("staff:problems.filesImmutable");
    case "upload_conflict":
      return t("staff:problems.uploadConflict");
    case "invalid_checksum":
      return t("staff:problems.checksum");
    case "invalid_free_support_months":
      return t("staff:problems.invalidMonths");
    case "invalid_configurations":
      return t("staff:problems.invalidConfigurations");
    case "product_not_found":
      return t("staff:problems.productNotFound");
    case "validation_failed":
      return t("staff:problems.invalidCount");
    case "invalid_registration_number":
      return t("staff:problems.invalidNumber");
    case "registration_number_not_found":
      return t("staff:problems.numberNotFound");
    case "invalid_paging":
      return t("staff:problems.invalidPaging");
    case "invalid_state":
    case "invalid_action":
      return t("staff:problems.invalidFilter");
    case "invalid_partner":
      return t("staff:problems.invalidPartner");
    case "partner_exists":
      return t("staff:problems.partnerExists");
    case "invalid_login":
      return t("staff:problems.invalidLogin");
    case "login_taken":
      return t("staff:problems.loginTaken");
    case "weak_password":
      return t("staff:problems.weakPassword");
    default:
      return t("staff:problems.other");
  }
}

/**
 * The errors a form shows for a refusal: on the field `fieldOf` names for its code (or the one the
 * problem names itself), else above the form. Anything but a refusal of the input is thrown on.
 */
export function formErrors(
  view: ViewContext,
  error: unknown,
  fieldOf: Record<string, string> = {},
): FormErrors {
  if (
    !(error instanceof AppError) ||
    !["bad_request", "unprocessable", "conflict", "not_found"].includes(error.kind)
  ) {
    throw error;
  }
  const named =
    typeof error.details.field === "string" ? error.details.field.replace(/\[\d+\]$/, "") : undefined;
  const field = fieldOf[error.code] ?? (named && Object.values(fieldOf).includes(named) ? named : "_form");
  return { [field]: problemText(view, error) };
}

/** The HTTP status of a form shown again with errors. */
export function formStatus(error: unknown): number {
  if (error instanceof AppError) {
    if (error.kind === "unprocessable") return 422;
    if (error.kind === "conflict") return 409;
    if (error.kind === "not_found") return 404;
  }
  return 400;
}
