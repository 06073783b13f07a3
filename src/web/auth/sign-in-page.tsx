import { Layout } from "../layout.tsx";
import { Alert, PostForm, TextField } from "../ui.tsx";
import type { ViewContext } from "../view.ts";

export interface SignInForm {
  readonly login: string;
  /** Where to go after signing in: a local path. */
  readonly next: string;
  /** Already in the user's language. */
  readonly error?: string;
}

export function SignInPage({ view, form }: { view: ViewContext; form: SignInForm }) {
  const { t } = view;
  return (
    <Layout view={view} title={t("auth:signIn.title")}>
      <div class="narrow card">
        <h1>{t("auth:signIn.title")}</h1>
        <p>{t("auth:signIn.intro")}</p>
        {form.error && (
          <Alert kind="error" title={t("auth:errors.title")}>
            <p>{form.error}</p>
          </Alert>
        )}
        <PostForm view={view} action="/sign-in" class="stacked-form">
          <input type="hidden" name="next" value={form.next} />
          <TextField
            name="login"
            label={t("auth:signIn.login")}
            value={form.login}
            autocomplete="username"
            required
            autofocus={!form.login}
            maxLength={200}
          />
          <TextField
            name="password"
            type="password"
            label={t("auth:signIn.password")}
            autocomplete="current-password"
            required
            autofocus={!!form.login}
            maxLength={500}
          />
          <button type="submit" class="button">
            {t("auth:signIn.submit")}
          </button>
        </PostForm>
        <p class="muted">
          {t("auth:signIn.noAccount")} <a href="/register">{t("auth:signIn.register")}</a>
        </p>
      </div>
    </Layout>
  );
}
