import { Layout } from "../layout.tsx";
import { PostForm, TextField } from "../ui.tsx";
import type { ViewContext } from "../view.ts";
import { ErrorSummary, type FormValues } from "./form-parts.tsx";
import { type FormErrors, NO_ERRORS } from "./form-problems.ts";

/** A login made first (login, e-mail, password twice); products are added later with their PINs. */
export function SignUpPage(props: { view: ViewContext; values?: FormValues; errors?: FormErrors }) {
  const { view } = props;
  const { t } = view;
  const values = props.values ?? {};
  const errors = props.errors ?? NO_ERRORS;
  const labels = {
    login: t("registration:signUp.login"),
    email: t("registration:signUp.email"),
    password: t("registration:signUp.password"),
    passwordAgain: t("registration:signUp.passwordAgain"),
  };
  return (
    <Layout view={view} title={t("registration:signUp.title")}>
      <div class="narrow card">
        <h1>{t("registration:signUp.title")}</h1>
        <p>{t("registration:signUp.intro")}</p>
        <ErrorSummary view={view} errors={errors} labels={labels} />
        <PostForm view={view} action="/sign-up" class="stacked-form">
          <TextField
            name="login"
            label={labels.login}
            hint={t("registration:signUp.loginHint")}
            value={values.login ?? ""}
            error={errors.fields.login}
            autocomplete="username"
            required
            maxLength={64}
          />
          <TextField
            name="email"
            type="email"
            label={labels.email}
            value={values.email ?? ""}
            error={errors.fields.email}
            autocomplete="email"
            required
            maxLength={254}
          />
          <TextField
            name="password"
            type="password"
            label={labels.password}
            hint={t("registration:signUp.passwordHint")}
            error={errors.fields.password}
            autocomplete="new-password"
            required
            maxLength={256}
          />
          <TextField
            name="passwordAgain"
            type="password"
            label={labels.passwordAgain}
            error={errors.fields.passwordAgain}
            autocomplete="new-password"
            required
            maxLength={256}
          />
          <button type="submit" class="button">
            {t("registration:signUp.submit")}
          </button>
        </PostForm>
        <p class="muted">
          {t("registration:signUp.haveEnvelope")}{" "}
          <a href="/register">{t("registration:signUp.registerLink")}</a>
        </p>
      </div>
    </Layout>
  );
}
