import type { ClientLetter } from "../../services/partners/index.ts";
import { assetUrl } from "../asset-urls.ts";
import { Layout } from "../layout.tsx";
import { Alert } from "../ui.tsx";
import type { ViewContext } from "../view.ts";
import { editionLabel, SupportText } from "./fields.tsx";
import type { LetterSecret } from "./letter-secret.ts";

/** The letter a partner prints for a client it registered: one A4 page, without the site around it. */
export function LetterPage(props: {
  view: ViewContext;
  letter: ClientLetter;
  /** Only right after the registration. */
  secret: LetterSecret | null;
  signInUrl: string;
}) {
  const { view, letter, secret, signInUrl } = props;
  const { t, format } = view;
  return (
    <Layout view={view} title={t("partner:letter.title", { userCode: letter.userCode })}>
      <div class="no-print letter-tools">
        {secret?.mailedVia === "failed" && (
          <Alert kind="error">
            <p>{t("partner:letter.notMailed")}</p>
          </Alert>
        )}
        {secret && secret.mailedVia !== "failed" && (
          <Alert kind="success">
            <p>{t("partner:letter.mailed")}</p>
          </Alert>
        )}
        {secret && (
          <Alert kind="info">
            <p>{t("partner:letter.printNow")}</p>
          </Alert>
        )}
        <p class="form-actions">
          <button type="button" class="button" id="print-letter" hidden>
            {t("partner:letter.print")}
          </button>{" "}
          <a href="/partner">{t("partner:letter.back")}</a>
        </p>
      </div>
      <article class="letter print-page" aria-labelledby="letter-heading">
        <p class="letter-from">{letter.partner}</p>
        <p class="letter-to">
          {t("partner:letter.to")} <strong>{letter.organization ?? letter.userCode}</strong>
        </p>
        <p class="letter-date">
          <time dateTime={letter.date}>{format.date(letter.date)}</time>
        </p>
        <h1 id="letter-heading">{t("partner:letter.heading")}</h1>
        <p>{t("partner:letter.intro", { partner: letter.partner })}</p>
        <dl class="letter-credentials">
          <dt>{t("partner:letter.signIn")}</dt>
          <dd class="mono">{signInUrl}</dd>
          <dt>{t("partner:letter.userCode")}</dt>
          <dd class="mono">{letter.userCode}</dd>
          <dt>{t("partner:letter.password")}</dt>
          {secret ? (
            <dd class="mono letter-password">{secret.password}</dd>
          ) : (
            <dd>{t("partner:letter.passwordGone", { partner: letter.partner })}</dd>
          )}
        </dl>
        <h2>{t("partner:letter.products")}</h2>
        <table class="data-table letter-products stack-on-phone">
          <thead>
            <tr>
              <th scope="col">{t("partner:letter.number")}</th>
              <th scope="col">{t("partner:letter.product")}</th>
              <th scope="col">{t("partner:letter.support")}</th>
            </tr>
          </thead>
          <tbody>
            {letter.products.map((product) => (
              <tr key={product.registrationNumber}>
                <td data-label={t("partner:letter.number")}>
                  <span class="mono">{product.registrationNumber}</span>
                </td>
                <td data-label={t("partner:letter.product")}>
                  <span>
                    {product.productName} <span class="edition">{editionLabel(product.edition)}</span>
                  </span>
                </td>
                <td data-label={t("partner:letter.support")}>
                  <SupportText view={view} support={product.support} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>{t("partner:letter.keep")}</p>
        <p>{t("partner:letter.nextPurchase", { partner: letter.partner })}</p>
      </article>
      <script src={assetUrl("print-letter.js")} defer />
    </Layout>
  );
}
