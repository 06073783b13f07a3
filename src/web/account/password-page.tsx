import { ErrorSummary } from "../registration/form-parts.tsx";
import { type FormErrors, NO_ERRORS } from "../registration/form-problems.ts";
import { Alert, PostForm, TextField } from "../ui.tsx";
import type { ViewContext } from "../view.ts";
import { AccountLayout } from "./account-nav.tsx";

/** Change password: the current one, the new one twice. No value is ever shown again. */
export function PasswordPage(props: { view: ViewContext; errors?: FormErrors; changed?: boolean }) {
  const { view } = props;
  const { t } = view;
  const errors = props.errors ?? NO_ERRORS;
  const labels = {
    currentPassword: t("account:password.current"),
    newPassword: t("account:password.new"),
    newPasswordAgain: t("account:password.again"),
  };
  return (
    <AccountLayout view={view} title={t("account:password.title")}>
      <div class="narrow">
        {props.changed && (
          <Alert kind="success">
            <p>{t("account:password.changed")}</p>
          </Alert>
        )}
        <p>{t("account:password.intro")}</p>
        <ErrorSummary view={view} errors={errors} labels={labels} />
        <PostForm view={view} action="/account/password" class="stacked-form">
          <TextField
            name="currentPassword"
            type="password"
            label={labels.currentPassword}
            error={errors.fields.currentPassword}
            autocomplete="current-password"
            required
            maxLength={256}
          />
          <TextField
            name="newPassword"
            type="password"
            label={labels.newPassword}
            hint={t("account:password.rules")}
            error={errors.fields.newPassword}
            autocomplete="new-password"
            required
            maxLength={256}
          />
          <TextField
            name="newPasswordAgain"
            type="password"
            label={labels.newPasswordAgain}
            error={errors.fields.newPasswordAgain}
            autocomplete="new-password"
            required
            maxLength={256}
          />
          <button type="submit" class="button">
            {t("account:password.submit")}
          </button>
        </PostForm>
      </div>
    </AccountLayout>
  );
}
