import { Layout } from "../layout.tsx";
import { Alert } from "../ui.tsx";
import type { ViewContext } from "../view.ts";

/** The answer to a successful registration: the password, shown this once, and when access opens. */
export function RegisteredPage(props: {
  view: ViewContext;
  userCode: string;
  password: string;
  activeFrom: string;
}) {
  const { view, userCode, password, activeFrom } = props;
  const { t, format } = view;
  return (
    <Layout view={view} title={t("registration:registered.title")}>
      <div class="narrow card">
        <h1>{t("registration:registered.title")}</h1>
        <Alert kind="info" title={t("registration:registered.writeDownTitle")}>
          <p>{t("registration:registered.writeDown")}</p>
        </Alert>
        <dl class="credentials">
          <dt>{t("registration:registered.userCode")}</dt>
          <dd class="mono" id="user-code">
            {userCode}
          </dd>
          <dt>{t("registration:registered.password")}</dt>
          <dd class="mono" id="password">
            {password}
          </dd>
        </dl>
        <p>
          {t("registration:registered.opensAt")}{" "}
          <strong>
            <time dateTime={activeFrom}>{format.dateTime(activeFrom)}</time>
          </strong>
        </p>
        <p class="muted">{t("registration:registered.signInLater")}</p>
        <p>
          <a class="button" href="/sign-in?next=%2Faccount">
            {t("registration:registered.signIn")}
          </a>
        </p>
      </div>
    </Layout>
  );
}
