import type { ClientDetail } from "../../contract/partners.ts";
import { Layout } from "../layout.tsx";
import { Alert } from "../ui.tsx";
import type { ViewContext } from "../view.ts";
import { editionLabel, SupportText } from "./fields.tsx";
import { letterPath } from "./letter-secret.ts";

/** What the page says after a form of the area succeeded (`?done=`). */
export type PartnerNotice = "authorised" | "subscription" | null;

export function partnerNotice(value: unknown): PartnerNotice {
  return value === "authorised" || value === "subscription" ? value : null;
}

function PartnerActions({ view }: { view: ViewContext }) {
  const { t } = view;
  return (
    <ul class="partner-actions">
      <li>
        <a class="button" href="/partner/clients/new">
          {t("partner:nav.register")}
        </a>
      </li>
      <li>
        <a class="button button-quiet" href="/partner/authorise">
          {t("partner:nav.authorise")}
        </a>
      </li>
      <li>
        <a class="button button-quiet" href="/partner/subscriptions/new">
          {t("partner:nav.subscription")}
        </a>
      </li>
    </ul>
  );
}

function ClientRow({ view, client }: { view: ViewContext; client: ClientDetail }) {
  const { t } = view;
  return (
    <tr>
      <td data-label={t("partner:clients.userCode")}>
        <span class="mono">{client.userCode}</span>
      </td>
      <td data-label={t("partner:clients.organization")}>
        {/* One child: a stacked cell on a phone is a grid of its label and one value. */}
        {client.registeredByYou ? (
          <div>
            {client.organization ?? "—"}
            <br />
            <a href={letterPath(client.userCode)}>{t("partner:clients.letter")}</a>
          </div>
        ) : (
          <span class="muted">{t("partner:clients.registeredElsewhere")}</span>
        )}
      </td>
      <td data-label={t("partner:clients.products")}>
        <ul class="client-products">
          {client.products.map((product) => (
            <li key={product.registrationNumber}>
              <span class="mono">{product.registrationNumber}</span> {product.productName}{" "}
              <span class="edition">{editionLabel(product.edition)}</span>
              <br />
              <SupportText view={view} support={product.support} />
            </li>
          ))}
        </ul>
      </td>
    </tr>
  );
}

export function ClientsPage(props: { view: ViewContext; clients: ClientDetail[]; notice: PartnerNotice }) {
  const { view, clients, notice } = props;
  const { t } = view;
  return (
    <Layout view={view} title={t("partner:clients.title")}>
      <h1>{t("partner:clients.title")}</h1>
      <p class="lead">{t("partner:clients.intro")}</p>
      {notice === "authorised" && <Alert kind="success">{<p>{t("partner:clients.authorised")}</p>}</Alert>}
      {notice === "subscription" && <Alert kind="success">{<p>{t("partner:clients.subscribed")}</p>}</Alert>}
      <PartnerActions view={view} />
      {clients.length === 0 ? (
        <p class="muted">{t("partner:clients.empty")}</p>
      ) : (
        <div class="table-scroll">
          <table class="data-table stack-on-phone">
            <caption>{t("partner:clients.count", { count: clients.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("partner:clients.userCode")}</th>
                <th scope="col">{t("partner:clients.organization")}</th>
                <th scope="col">{t("partner:clients.products")}</th>
              </tr>
            </thead>
            <tbody>
              {clients.map((client) => (
                <ClientRow key={client.userCode} view={view} client={client} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}
