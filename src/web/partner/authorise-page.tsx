import type { NumberCheck } from "../../contract/partners.ts";
import { Layout } from "../layout.tsx";
import { Alert, PostForm, TextField } from "../ui.tsx";
import type { ViewContext } from "../view.ts";
import { editionLabel, SupportText } from "./fields.tsx";
import type { FieldErrors } from "./form-errors.ts";

export interface AuthoriseValues {
  readonly userCode: string;
  readonly registrationNumber: string;
}

/** First step: the user code the client gave and the number it bought; checking changes nothing. */
export function AuthorisePage(props: { view: ViewContext; values: AuthoriseValues; errors: FieldErrors }) {
  const { view, values, errors } = props;
  const { t } = view;
  return (
    <Layout view={view} title={t("partner:authorise.title")}>
      <div class="partner-step">
        <h1>{t("partner:authorise.title")}</h1>
        <p class="lead">{t("partner:authorise.intro")}</p>
        {Object.keys(errors).length > 0 && (
          <Alert kind="error" title={t("partner:errors.title")}>
            <p>{t("partner:errors.fix")}</p>
          </Alert>
        )}
        <form method="get" action="/partner/authorise/check" class="stacked-form">
          <TextField
            name="userCode"
            label={t("partner:authorise.userCode")}
            hint={t("partner:authorise.userCodeHint")}
            value={values.userCode}
            error={errors.userCode}
            required
            inputmode="numeric"
            maxLength={64}
          />
          <TextField
            name="registrationNumber"
            label={t("partner:authorise.number")}
            value={values.registrationNumber}
            error={errors.registrationNumber}
            required
            inputmode="numeric"
            maxLength={32}
          />
          <button type="submit" class="button">
            {t("partner:authorise.check")}
          </button>
        </form>
      </div>
    </Layout>
  );
}

/** Second step: what would be authorised, its support this month, the warning, and the confirmation. */
export function AuthoriseConfirmPage({ view, check }: { view: ViewContext; check: NumberCheck }) {
  const { t } = view;
  const back = `/partner/authorise?${new URLSearchParams({
    userCode: check.userCode,
    registrationNumber: check.registrationNumber,
  })}`;
  return (
    <Layout view={view} title={t("partner:authorise.confirmTitle")}>
      <div class="partner-step">
        <h1>{t("partner:authorise.confirmTitle")}</h1>
        <dl class="summary-list">
          <dt>{t("partner:authorise.userCode")}</dt>
          <dd class="mono">{check.userCode}</dd>
          <dt>{t("partner:authorise.number")}</dt>
          <dd class="mono">{check.registrationNumber}</dd>
          <dt>{t("partner:authorise.product")}</dt>
          <dd>
            {check.productName} <span class="edition">{editionLabel(check.edition)}</span>
          </dd>
          <dt>{t("partner:authorise.support")}</dt>
          <dd>
            <SupportText view={view} support={check.support} />
          </dd>
        </dl>
        {check.supportWarning && (
          <Alert kind="error" title={t("partner:authorise.warningTitle")}>
            <p>{t("partner:authorise.warning", { edition: editionLabel(check.edition) })}</p>
            <p>
              <a href="/partner/subscriptions/new">{t("partner:nav.subscription")}</a>
            </p>
          </Alert>
        )}
        <PostForm view={view} action="/partner/authorise" class="stacked-form">
          <input type="hidden" name="userCode" value={check.userCode} />
          <input type="hidden" name="registrationNumber" value={check.registrationNumber} />
          <p class="form-actions">
            <button type="submit" class={check.supportWarning ? "button button-danger" : "button"}>
              {check.supportWarning ? t("partner:authorise.confirmAnyway") : t("partner:authorise.confirm")}
            </button>{" "}
            <a href={back}>{t("partner:authorise.change")}</a>
          </p>
        </PostForm>
      </div>
    </Layout>
  );
}
