import { Layout } from "../layout.tsx";
import { PostForm } from "../ui.tsx";
import type { ViewContext } from "../view.ts";
import {
  ErrorSummary,
  type FormValues,
  NumberAndPinFields,
  OrganizationFields,
  registrationLabels,
} from "./form-parts.tsx";
import { type FormErrors, NO_ERRORS } from "./form-problems.ts";

/** The first-time registration: number, PIN and every organisation field. */
export function RegisterPage(props: { view: ViewContext; values?: FormValues; errors?: FormErrors }) {
  const { view } = props;
  const { t } = view;
  const values = props.values ?? {};
  const errors = props.errors ?? NO_ERRORS;
  return (
    <Layout view={view} title={t("registration:register.title")}>
      <div class="form-page">
        <h1>{t("registration:register.title")}</h1>
        <p class="lead">{t("registration:register.intro")}</p>
        <p class="muted">
          {t("registration:register.haveLogin")}{" "}
          <a href="/sign-up">{t("registration:register.signUpLink")}</a>
        </p>
        <p class="muted">{t("registration:register.allMandatory")}</p>
        <ErrorSummary view={view} errors={errors} labels={registrationLabels(view)} />
        <PostForm view={view} action="/register" class="stacked-form">
          <fieldset class="form-section">
            <legend>{t("registration:productLegend")}</legend>
            <NumberAndPinFields view={view} values={values} errors={errors} />
          </fieldset>
          <OrganizationFields view={view} values={values} errors={errors} />
          <button type="submit" class="button">
            {t("registration:register.submit")}
          </button>
        </PostForm>
      </div>
    </Layout>
  );
}
