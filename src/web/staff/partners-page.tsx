import type { PartnerSummary } from "../../contract/staff.ts";
import { Alert, PostForm, TextField } from "../ui.tsx";
import type { ViewContext } from "../view.ts";
import { canChange, StaffLayout } from "./components.tsx";
import type { FormErrors } from "./problems.ts";

export interface PartnerForms {
  readonly name: string;
  /** The partner whose login form was posted, with its values. */
  readonly login?: { partnerId: string; login: string; email: string };
}

/** Partners (resellers), their logins and clients; admin adds partners and logins. */
export function PartnersPage(props: {
  view: ViewContext;
  partners: PartnerSummary[];
  forms: PartnerForms;
  partnerErrors?: FormErrors;
  loginErrors?: FormErrors;
  notice?: string;
}) {
  const { view, partners, forms } = props;
  const { t } = view;
  const admin = canChange(view);
  const partnerErrors = props.partnerErrors ?? {};
  const loginErrors = props.loginErrors ?? {};
  return (
    <StaffLayout view={view} title={t("staff:partners.title")}>
      <h1>{t("staff:partners.title")}</h1>
      {props.notice && (
        <Alert kind="success">
          <p>{props.notice}</p>
        </Alert>
      )}
      {partners.length === 0 && <p class="muted">{t("staff:partners.none")}</p>}
      {partners.map((partner) => {
        const posted = forms.login?.partnerId === partner.id ? forms.login : undefined;
        const errors = posted ? loginErrors : {};
        return (
          <section key={partner.id} class="card staff-partner" aria-labelledby={`partner-${partner.id}`}>
            <h2 id={`partner-${partner.id}`}>{partner.name}</h2>
            <p class="muted">
              {t("staff:partners.since", { date: view.format.dateTime(partner.createdAt) })} ·{" "}
              {t("staff:partners.clients", { count: partner.clients })}
            </p>
            {partner.logins.length === 0 ? (
              <p class="muted">{t("staff:partners.noLogins")}</p>
            ) : (
              <ul class="staff-logins">
                {partner.logins.map((login) => (
                  <li key={login.login}>
                    <code>{login.login}</code>
                    {login.email && <span class="muted"> · {login.email}</span>}
                  </li>
                ))}
              </ul>
            )}
            {admin && (
              <details class="staff-details" open={posted !== undefined}>
                <summary>{t("staff:partners.addLogin")}</summary>
                {errors._form && (
                  <Alert kind="error">
                    <p>{errors._form}</p>
                  </Alert>
                )}
                <PostForm
                  view={view}
                  action={`/staff/partners/${encodeURIComponent(partner.id)}/logins`}
                  class="stacked-form"
                >
                  <LoginFields view={view} id={partner.id} values={posted} errors={errors} />
                  <button type="submit" class="button">
                    {t("staff:partners.addLoginSubmit")}
                  </button>
                </PostForm>
              </details>
            )}
          </section>
        );
      })}
      {admin && (
        <section class="card staff-form-card" aria-labelledby="new-partner">
          <h2 id="new-partner">{t("staff:partners.add")}</h2>
          {partnerErrors._form && (
            <Alert kind="error">
              <p>{partnerErrors._form}</p>
            </Alert>
          )}
          <PostForm view={view} action="/staff/partners" class="stacked-form">
            <TextField
              name="name"
              label={t("staff:partners.name")}
              value={forms.name}
              error={partnerErrors.name}
              required
              maxLength={200}
            />
            <button type="submit" class="button">
              {t("staff:partners.addSubmit")}
            </button>
          </PostForm>
        </section>
      )}
    </StaffLayout>
  );
}

/** The login form's fields; ids carry the partner's id, as every partner has one on the page. */
function LoginFields(props: {
  view: ViewContext;
  id: string;
  values?: { login: string; email: string };
  errors: FormErrors;
}) {
  const { view, id, values, errors } = props;
  const { t } = view;
  const field = (name: string) => `${name}-${id}`;
  return (
    <>
      {[
        {
          name: "login",
          label: t("staff:partners.login"),
          type: "text",
          value: values?.login ?? "",
          auto: "off",
        },
        {
          name: "password",
          label: t("staff:partners.password"),
          type: "password",
          value: "",
          auto: "new-password",
        },
        {
          name: "email",
          label: t("staff:partners.email"),
          type: "email",
          value: values?.email ?? "",
          auto: "off",
        },
      ].map((input) => (
        <div key={input.name} class={errors[input.name] ? "field field-invalid" : "field"}>
          <label for={field(input.name)}>{input.label}</label>
          {errors[input.name] && (
            <p class="field-error" id={`${field(input.name)}-error`}>
              {errors[input.name]}
            </p>
          )}
          <input
            id={field(input.name)}
            name={input.name}
            type={input.type as "text"}
            value={input.value}
            autocomplete={input.auto}
            required={input.name !== "email"}
            maxLength={input.name === "password" ? 256 : 64}
            aria-invalid={errors[input.name] ? "true" : undefined}
            aria-describedby={errors[input.name] ? `${field(input.name)}-error` : undefined}
          />
        </div>
      ))}
    </>
  );
}
