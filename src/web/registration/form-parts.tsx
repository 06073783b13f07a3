import { ORGANIZATION_FIELDS, type OrganizationField } from "../../domain/organization.ts";
import { Alert, TextAreaField, TextField } from "../ui.tsx";
import type { ViewContext } from "../view.ts";
import { errorSummary, type FormErrors } from "./form-problems.ts";

/** Field values as posted, kept to show the form again on error (never a PIN or a password). */
export type FormValues = Readonly<Record<string, string>>;

/** The label of each organisation field, and of the number and PIN. */
export function registrationLabels(
  view: ViewContext,
): Record<OrganizationField | "registrationNumber" | "pin", string> {
  const { t } = view;
  return {
    registrationNumber: t("registration:fields.registrationNumber"),
    pin: t("registration:fields.pin"),
    name: t("registration:fields.name"),
    activity: t("registration:fields.activity"),
    postalCode: t("registration:fields.postalCode"),
    address: t("registration:fields.address"),
    head: t("registration:fields.head"),
    responsiblePerson: t("registration:fields.responsiblePerson"),
    phone: t("registration:fields.phone"),
    email: t("registration:fields.email"),
    purchasedFrom: t("registration:fields.purchasedFrom"),
    purchaseDate: t("registration:fields.purchaseDate"),
    workstations: t("registration:fields.workstations"),
  };
}

/** The list of a refused form's problems, each a link to its field, and the form's own error. */
export function ErrorSummary(props: {
  view: ViewContext;
  errors: FormErrors;
  labels: Record<string, string>;
}) {
  const { view, errors } = props;
  const items = errorSummary(errors, props.labels);
  if (items.length === 0 && !errors.form) return null;
  return (
    <Alert kind="error" title={view.t("registration:errorSummary")}>
      {errors.form && <p>{errors.form}</p>}
      {items.length > 0 && (
        <ul class="error-list">
          {items.map((item) => (
            <li key={item.field}>
              <a href={`#field-${item.field}`}>{item.label}</a>: {item.text}
            </li>
          ))}
        </ul>
      )}
    </Alert>
  );
}

/** Every organisation field of the registration form (all mandatory), with their values and errors. */
export function OrganizationFields(props: { view: ViewContext; values: FormValues; errors: FormErrors }) {
  const { view, values, errors } = props;
  const { t } = view;
  const labels = registrationLabels(view);
  const hints: Partial<Record<OrganizationField, string>> = {
    phone: t("registration:hints.phone"),
    purchaseDate: t("registration:hints.purchaseDate"),
    workstations: t("registration:hints.workstations"),
  };
  const kinds: Partial<
    Record<OrganizationField, { type?: "email" | "tel" | "date"; autocomplete?: string }>
  > = {
    name: { autocomplete: "organization" },
    postalCode: { autocomplete: "postal-code" },
    phone: { type: "tel", autocomplete: "tel" },
    email: { type: "email", autocomplete: "email" },
    purchaseDate: { type: "date", autocomplete: "off" },
  };
  return (
    <fieldset class="form-section">
      <legend>{t("registration:organizationLegend")}</legend>
      {ORGANIZATION_FIELDS.map((field) =>
        field === "address" ? (
          <TextAreaField
            key={field}
            name={field}
            label={labels[field]}
            value={values[field] ?? ""}
            error={errors.fields[field]}
            autocomplete="street-address"
            rows={3}
            required
            maxLength={300}
          />
        ) : (
          <TextField
            key={field}
            name={field}
            label={labels[field]}
            value={values[field] ?? ""}
            error={errors.fields[field]}
            hint={hints[field]}
            type={kinds[field]?.type}
            autocomplete={kinds[field]?.autocomplete}
            inputmode={field === "workstations" ? "numeric" : undefined}
            required
            maxLength={300}
          />
        ),
      )}
    </fieldset>
  );
}

/** The registration number and PIN fields; the PIN is never shown again. */
export function NumberAndPinFields(props: { view: ViewContext; values: FormValues; errors: FormErrors }) {
  const { view, values, errors } = props;
  const { t } = view;
  return (
    <>
      <TextField
        name="registrationNumber"
        label={t("registration:fields.registrationNumber")}
        hint={t("registration:hints.registrationNumber")}
        value={values.registrationNumber ?? ""}
        error={errors.fields.registrationNumber}
        inputmode="numeric"
        autocomplete="off"
        required
        maxLength={32}
      />
      <TextField
        name="pin"
        label={t("registration:fields.pin")}
        hint={t("registration:hints.pin")}
        error={errors.fields.pin}
        inputmode="numeric"
        autocomplete="off"
        required
        maxLength={64}
      />
    </>
  );
}
