import { ORGANIZATION_FIELDS, type OrganizationField } from "../../domain/organization.ts";
import { Alert, PostForm, TextAreaField, TextField } from "../ui.tsx";
import type { ViewContext } from "../view.ts";
import { StaffLayout } from "./components.tsx";
import type { FormErrors } from "./problems.ts";

export function organizationFieldLabel(view: ViewContext, field: OrganizationField): string {
  const { t } = view;
  switch (field) {
    case "name":
      return t("staff:card.fields.name");
    case "activity":
      return t("staff:card.fields.activity");
    case "postalCode":
      return t("staff:card.fields.postalCode");
    case "address":
      return t("staff:card.fields.address");
    case "head":
      return t("staff:card.fields.head");
    case "responsiblePerson":
      return t("staff:card.fields.responsiblePerson");
    case "phone":
      return t("staff:card.fields.phone");
    case "email":
      return t("staff:card.fields.email");
    case "purchasedFrom":
      return t("staff:card.fields.purchasedFrom");
    case "purchaseDate":
      return t("staff:card.fields.purchaseDate");
    case "workstations":
      return t("staff:card.fields.workstations");
  }
}

const INPUT_TYPES: Partial<Record<OrganizationField, "email" | "tel" | "date" | "number">> = {
  email: "email",
  phone: "tel",
  purchaseDate: "date",
  workstations: "number",
};

export type CardForm = Record<"registrationNumber" | OrganizationField, string>;

export const emptyCardForm = (): CardForm =>
  Object.fromEntries(["registrationNumber", ...ORGANIZATION_FIELDS].map((field) => [field, ""])) as CardForm;

/** A registration card received by mail: the number is then registered with the vendor. */
export function CardsPage(props: {
  view: ViewContext;
  form: CardForm;
  errors?: FormErrors;
  recorded?: string;
}) {
  const { view, form } = props;
  const { t } = view;
  const errors = props.errors ?? {};
  return (
    <StaffLayout view={view} title={t("staff:card.title")}>
      <h1>{t("staff:card.title")}</h1>
      <p class="lead">{t("staff:card.intro")}</p>
      {props.recorded && (
        <Alert kind="success">
          <p>{t("staff:card.recorded", { number: props.recorded })}</p>
        </Alert>
      )}
      {Object.keys(errors).length > 0 && (
        <Alert kind="error" title={t("staff:card.errorsTitle")}>
          {errors._form && <p>{errors._form}</p>}
        </Alert>
      )}
      <PostForm view={view} action="/staff/registration-cards" class="stacked-form card staff-form-card">
        <TextField
          name="registrationNumber"
          label={t("staff:card.number")}
          value={form.registrationNumber}
          error={errors.registrationNumber}
          inputmode="numeric"
          required
          maxLength={12}
        />
        {ORGANIZATION_FIELDS.map((field) =>
          field === "address" ? (
            <TextAreaField
              key={field}
              name={field}
              label={organizationFieldLabel(view, field)}
              value={form[field]}
              error={errors[field]}
              rows={3}
            />
          ) : (
            <TextField
              key={field}
              name={field}
              type={INPUT_TYPES[field] ?? "text"}
              label={organizationFieldLabel(view, field)}
              value={form[field]}
              error={errors[field]}
              required
              maxLength={300}
            />
          ),
        )}
        <button type="submit" class="button">
          {t("staff:card.submit")}
        </button>
      </PostForm>
    </StaffLayout>
  );
}
