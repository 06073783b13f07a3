import { Layout } from "../layout.tsx";
import { Alert, PostForm, TextAreaField, TextField } from "../ui.tsx";
import type { ViewContext } from "../view.ts";
import type { FieldErrors } from "./form-errors.ts";

export interface SubscriptionValues {
  readonly registrationNumber: string;
  readonly fromMonth: string;
  readonly months: string;
  readonly additionalNumbers: string;
}

/** Recording a support subscription the partner sold: main number, first month, months, additional numbers. */
export function SubscriptionPage(props: {
  view: ViewContext;
  values: SubscriptionValues;
  errors: FieldErrors;
}) {
  const { view, values, errors } = props;
  const { t } = view;
  return (
    <Layout view={view} title={t("partner:subscription.title")}>
      <div class="partner-step">
        <h1>{t("partner:subscription.title")}</h1>
        <p class="lead">{t("partner:subscription.intro")}</p>
        {Object.keys(errors).length > 0 && (
          <Alert kind="error" title={t("partner:errors.title")}>
            <p>{t("partner:errors.fix")}</p>
          </Alert>
        )}
        <PostForm view={view} action="/partner/subscriptions/new" class="stacked-form">
          <TextField
            name="registrationNumber"
            label={t("partner:subscription.number")}
            value={values.registrationNumber}
            error={errors.registrationNumber}
            required
            inputmode="numeric"
            maxLength={32}
          />
          <TextField
            name="fromMonth"
            label={t("partner:subscription.fromMonth")}
            hint={t("partner:subscription.fromMonthHint")}
            value={values.fromMonth}
            error={errors.fromMonth}
            required
            maxLength={7}
          />
          <TextField
            name="months"
            type="number"
            label={t("partner:subscription.months")}
            value={values.months}
            error={errors.months}
            required
            inputmode="numeric"
            maxLength={3}
          />
          <TextAreaField
            name="additionalNumbers"
            label={t("partner:subscription.additional")}
            hint={t("partner:subscription.additionalHint")}
            value={values.additionalNumbers}
            error={errors.additionalNumbers}
          />
          <button type="submit" class="button">
            {t("partner:subscription.submit")}
          </button>
        </PostForm>
      </div>
    </Layout>
  );
}
