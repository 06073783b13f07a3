import { Layout } from "../layout.tsx";
import { Alert, PostForm, TextAreaField, TextField } from "../ui.tsx";
import type { ViewContext } from "../view.ts";
import type { FieldErrors } from "./form-errors.ts";

/** The form's values as typed, kept when it comes back with errors. */
export type ClientFormValues = Record<string, string>;

export function RegisterClientPage(props: {
  view: ViewContext;
  values: ClientFormValues;
  errors: FieldErrors;
}) {
  const { view, values, errors } = props;
  const { t } = view;
  const text = (
    name: string,
    label: string,
    options: {
      type?: "text" | "email" | "tel" | "number" | "date";
      autocomplete?: string;
      hint?: string;
      inputmode?: "numeric";
    } = {},
  ) => (
    <TextField
      name={name}
      label={label}
      value={values[name]}
      error={errors[name]}
      required
      maxLength={300}
      {...options}
    />
  );
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <Layout view={view} title={t("partner:register.title")}>
      <h1>{t("partner:register.title")}</h1>
      <p class="lead">{t("partner:register.intro")}</p>
      {hasErrors && (
        <Alert kind="error" title={t("partner:errors.title")}>
          <p>{t("partner:errors.fix")}</p>
        </Alert>
      )}
      <PostForm view={view} action="/partner/clients/new" class="stacked-form partner-form">
        <fieldset>
          <legend>{t("partner:register.organization")}</legend>
          {text("name", t("partner:organization.name"), { autocomplete: "organization" })}
          {text("activity", t("partner:organization.activity"))}
          {text("postalCode", t("partner:organization.postalCode"), { autocomplete: "postal-code" })}
          {text("address", t("partner:organization.address"), { autocomplete: "street-address" })}
          {text("head", t("partner:organization.head"))}
          {text("responsiblePerson", t("partner:organization.responsiblePerson"))}
          {text("phone", t("partner:organization.phone"), { type: "tel", autocomplete: "tel" })}
          {text("email", t("partner:organization.email"), {
            type: "email",
            autocomplete: "email",
            hint: t("partner:organization.emailHint"),
          })}
          {text("purchasedFrom", t("partner:organization.purchasedFrom"))}
          {text("purchaseDate", t("partner:organization.purchaseDate"), { type: "date" })}
          {text("workstations", t("partner:organization.workstations"), {
            type: "number",
            inputmode: "numeric",
          })}
        </fieldset>
        <fieldset>
          <legend>{t("partner:register.numbers")}</legend>
          <TextAreaField
            name="registrationNumbers"
            label={t("partner:register.numbersLabel")}
            hint={t("partner:register.numbersHint")}
            value={values.registrationNumbers}
            error={errors.registrationNumbers}
            required
          />
        </fieldset>
        <button type="submit" class="button">
          {t("partner:register.submit")}
        </button>
      </PostForm>
    </Layout>
  );
}
