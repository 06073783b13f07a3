import {
  ErrorSummary,
  type FormValues,
  NumberAndPinFields,
  registrationLabels,
} from "../registration/form-parts.tsx";
import { type FormErrors, NO_ERRORS } from "../registration/form-problems.ts";
import { Alert, PostForm } from "../ui.tsx";
import type { ViewContext } from "../view.ts";
import { AccountLayout } from "./account-nav.tsx";

/** "Register software product": a number and its PIN join the signed-in account. */
export function AddProductPage(props: {
  view: ViewContext;
  values?: FormValues;
  errors?: FormErrors;
  welcome?: boolean;
}) {
  const { view } = props;
  const { t } = view;
  const errors = props.errors ?? NO_ERRORS;
  return (
    <AccountLayout view={view} title={t("account:addProduct.title")}>
      <div class="narrow">
        {props.welcome && (
          <Alert kind="success">
            <p>{t("account:addProduct.welcome")}</p>
          </Alert>
        )}
        <p>{t("account:addProduct.intro")}</p>
        <ErrorSummary view={view} errors={errors} labels={registrationLabels(view)} />
        <PostForm view={view} action="/account/products/add" class="stacked-form">
          <NumberAndPinFields view={view} values={props.values ?? {}} errors={errors} />
          <button type="submit" class="button">
            {t("account:addProduct.submit")}
          </button>
        </PostForm>
        <p class="muted">{t("account:addProduct.partner")}</p>
      </div>
    </AccountLayout>
  );
}
