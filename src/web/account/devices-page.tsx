import type { OwnToken } from "../../services/accounts.ts";
import type { WebSession } from "../../services/sessions.ts";
import { Alert, DataTable, PostForm } from "../ui.tsx";
import type { ViewContext } from "../view.ts";
import { AccountLayout } from "./account-nav.tsx";

export type Revoked = "token" | "session" | null;

function TokensTable({ view, tokens }: { view: ViewContext; tokens: OwnToken[] }) {
  const { t, format } = view;
  if (tokens.length === 0) return <p class="muted">{t("account:devices.noTokens")}</p>;
  return (
    <DataTable
      caption={t("account:devices.tokenCount", { count: tokens.length })}
      rows={tokens}
      rowKey={(token) => token.id}
      columns={[
        { label: t("account:devices.name"), cell: (token) => token.name },
        { label: t("account:devices.created"), cell: (token) => format.dateTime(token.createdAt) },
        { label: t("account:devices.expires"), cell: (token) => format.dateTime(token.expiresAt) },
        {
          label: t("account:devices.actions"),
          labelHidden: true,
          cell: (token) => (
            <RevokeButton
              view={view}
              action={`/account/devices/tokens/${encodeURIComponent(token.id)}/revoke`}
              label={t("account:devices.revokeToken", { name: token.name })}
              text={t("account:devices.revoke")}
            />
          ),
        },
      ]}
    />
  );
}

function SessionsTable(props: { view: ViewContext; sessions: WebSession[]; currentId: string | null }) {
  const { view, sessions, currentId } = props;
  const { t, format } = view;
  return (
    <DataTable
      caption={t("account:devices.sessionCount", { count: sessions.length })}
      rows={sessions}
      rowKey={(session) => session.id}
      columns={[
        {
          label: t("account:devices.browser"),
          class: "user-agent",
          cell: (session) => session.userAgent ?? t("account:devices.unknownBrowser"),
        },
        { label: t("account:devices.signedIn"), cell: (session) => format.dateTime(session.createdAt) },
        { label: t("account:devices.lastSeen"), cell: (session) => format.dateTime(session.lastSeenAt) },
        {
          label: t("account:devices.actions"),
          labelHidden: true,
          cell: (session) =>
            session.id === currentId ? (
              <strong>{t("account:devices.thisBrowser")}</strong>
            ) : (
              <RevokeButton
                view={view}
                action={`/account/devices/sessions/${encodeURIComponent(session.id)}/revoke`}
                label={t("account:devices.revokeSession", { time: format.dateTime(session.createdAt) })}
                text={t("account:devices.signOut")}
              />
            ),
        },
      ]}
    />
  );
}

function RevokeButton(props: { view: ViewContext; action: string; label: string; text: string }) {
  return (
    <PostForm view={props.view} action={props.action} class="inline-form">
      <button type="submit" class="button button-danger" aria-label={props.label}>
        {props.text}
      </button>
    </PostForm>
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
