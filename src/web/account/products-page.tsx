import type { MyProduct } from "../../contract/registration.ts";
import { Alert } from "../ui.tsx";
import type { ViewContext } from "../view.ts";
import { AccountLayout } from "./account-nav.tsx";

function Support({ view, product }: { view: ViewContext; product: MyProduct }) {
  const { t, format } = view;
  const { coveredThisMonth, until } = product.support;
  if (product.edition === "basic") return <span class="status">{t("account:products.supportBasic")}</span>;
  if (!coveredThisMonth) return <span class="status status-bad">{t("account:products.supportNone")}</span>;
  return (
    <span class="status status-good">
      {until
        ? t("account:products.supportUntil", { date: format.date(until) })
        : t("account:products.supportCovered")}
    </span>
  );
}

function registeredBy(view: ViewContext, product: MyProduct): string {
  const { t } = view;
  if (product.registeredBy === "pin") return t("account:products.byPin");
  return product.registeredByPartner
    ? t("account:products.byNamedPartner", { partner: product.registeredByPartner })
    : t("account:products.byPartner");
}

/** "Software products": the account's registration numbers with their support this month. */
export function ProductsPage(props: { view: ViewContext; products: MyProduct[]; added?: string }) {
  const { view, products, added } = props;
  const { t } = view;
  const canAdd = view.role === "user";
  return (
    <AccountLayout view={view} title={t("account:products.title")}>
      {added && (
        <Alert kind="success">
          <p>{t("account:products.added", { number: added })}</p>
        </Alert>
      )}
      {products.length === 0 ? (
        <p class="muted">{t("account:products.empty")}</p>
      ) : (
        <div class="table-scroll">
          <table class="data-table stack-on-phone wrapping-heads">
            <caption>{t("account:products.count", { count: products.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("account:products.number")}</th>
                <th scope="col">{t("account:products.product")}</th>
                <th scope="col">{t("account:products.edition")}</th>
                <th scope="col">{t("account:products.configurations")}</th>
                <th scope="col">{t("account:products.support")}</th>
                <th scope="col">{t("account:products.registeredBy")}</th>
              </tr>
            </thead>
            <tbody>
              {products.map((product) => (
                <tr key={product.registrationNumber}>
                  <td data-label={t("account:products.number")}>
                    <span class="mono">{product.registrationNumber}</span>
                  </td>
                  <td data-label={t("account:products.product")} class="nowrap">
                    {product.product}
                  </td>
                  <td data-label={t("account:products.edition")}>{product.edition.toUpperCase()}</td>
                  <td data-label={t("account:products.configurations")}>
                    <ul class="plain-list">
                      {product.configurations.map((code) => (
                        <li key={code}>
                          <a href={`/configurations/${encodeURIComponent(code)}`}>{code}</a>
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td data-label={t("account:products.support")}>
                    <Support view={view} product={product} />
                  </td>
                  <td data-label={t("account:products.registeredBy")}>{registeredBy(view, product)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canAdd && (
        <p class="page-actions">
          <a class="button" href="/account/products/add">
            {t("account:products.add")}
          </a>
        </p>
      )}
    </AccountLayout>
  );
}
