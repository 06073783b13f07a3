import type { OwnToken } from "../../services/accounts.ts";
import type { WebSession } from "../../services/sessions.ts";
import { Alert, PostForm } from "../ui.tsx";
import type { ViewContext } from "../view.ts";
import { AccountLayout } from "./account-nav.tsx";

export type Revoked = "token" | "session" | null;

function TokensTable({ view, tokens }: { view: ViewContext; tokens: OwnToken[] }) {
  const { t, format } = view;
  if (tokens.length === 0) return <p class="muted">{t("account:devices.noTokens")}</p>;
  return (
    <div class="table-scroll">
      <table class="data-table stack-on-phone">
        <caption>{t("account:devices.tokenCount", { count: tokens.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("account:devices.name")}</th>
            <th scope="col">{t("account:devices.created")}</th>
            <th scope="col">{t("account:devices.expires")}</th>
            <th scope="col">
              <span class="visually-hidden">{t("account:devices.actions")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => (
            <tr key={token.id}>
              <td data-label={t("account:devices.name")}>{token.name}</td>
              <td data-label={t("account:devices.created")}>{format.dateTime(token.createdAt)}</td>
              <td data-label={t("account:devices.expires")}>{format.dateTime(token.expiresAt)}</td>
              <td>
                <PostForm
                  view={view}
                  action={`/account/devices/tokens/${encodeURIComponent(token.id)}/revoke`}
                  class="inline-form"
                >
                  <button
                    type="submit"
                    class="button button-danger"
                    aria-label={t("account:devices.revokeToken", { name: token.name })}
                  >
                    {t("account:devices.revoke")}
                  </button>
                </PostForm>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SessionsTable(props: { view: ViewContext; sessions: WebSession[]; currentId: string | null }) {
  const { view, sessions, currentId } = props;
  const { t, format } = view;
  return (
    <div class="table-scroll">
      <table class="data-table stack-on-phone">
        <caption>{t("account:devices.sessionCount", { count: sessions.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("account:devices.browser")}</th>
            <th scope="col">{t("account:devices.signedIn")}</th>
            <th scope="col">{t("account:devices.lastSeen")}</th>
            <th scope="col">
              <span class="visually-hidden">{t("account:devices.actions")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((session) => (
            <tr key={session.id}>
              <td data-label={t("account:devices.browser")} class="user-agent">
                {session.userAgent ?? t("account:devices.unknownBrowser")}
              </td>
              <td data-label={t("account:devices.signedIn")}>{format.dateTime(session.createdAt)}</td>
              <td data-label={t("account:devices.lastSeen")}>{format.dateTime(session.lastSeenAt)}</td>
              <td>
                {session.id === currentId ? (
                  <strong>{t("account:devices.thisBrowser")}</strong>
                ) : (
                  <PostForm
                    view={view}
                    action={`/account/devices/sessions/${encodeURIComponent(session.id)}/revoke`}
                    class="inline-form"
                  >
                    <button
                      type="submit"
                      class="button button-danger"
                      aria-label={t("account:devices.revokeSession", {
                        time: format.dateTime(session.createdAt),
                      })}
                    >
                      {t("account:devices.signOut")}
                    </button>
                  </PostForm>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The program's tokens and the browsers signed in, each with a way to end it. */
export function DevicesPage(props: {
  view: ViewContext;
  tokens: OwnToken[];
  sessions: WebSession[];
  currentSessionId: string | null;
  revoked: Revoked;
}) {
  const { view, revoked } = props;
  const { t } = view;
  return (
    <AccountLayout view={view} title={t("account:devices.title")}>
      {revoked === "token" && (
        <Alert kind="success">
          <p>{t("account:devices.tokenRevoked")}</p>
        </Alert>
      )}
      {revoked === "session" && (
        <Alert kind="success">
          <p>{t("account:devices.sessionRevoked")}</p>
        </Alert>
      )}
      <section aria-labelledby="tokens-heading">
        <h2 id="tokens-heading">{t("account:devices.tokensHeading")}</h2>
        <p class="muted">{t("account:devices.tokensIntro")}</p>
        <TokensTable view={view} tokens={props.tokens} />
      </section>
      <section aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">{t("account:devices.sessionsHeading")}</h2>
        <SessionsTable view={view} sessions={props.sessions} currentId={props.currentSessionId} />
      </section>
    </AccountLayout>
  );
}
