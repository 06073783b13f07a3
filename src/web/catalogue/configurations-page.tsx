import type { Configuration, Release } from "../../contract/catalogue.ts";
import { Layout } from "../layout.tsx";
import type { ViewContext } from "../view.ts";
import { configurationPath, releasePath } from "./parts.tsx";

/** A configuration the user may open, with its published releases (newest first). */
export interface OpenConfiguration {
  readonly configuration: Configuration;
  readonly releases: readonly Release[];
}

function MyConfigurations({
  view,
  entries,
  caption,
}: {
  view: ViewContext;
  entries: readonly OpenConfiguration[];
  caption: string;
}) {
  const { t, format } = view;
  return (
    <div class="table-scroll">
      <table class="data-table stack-on-phone">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("catalogue:list.name")}</th>
            <th scope="col">{t("catalogue:list.newest")}</th>
            <th scope="col">{t("catalogue:list.releases")}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map(({ configuration, releases }) => {
            const newest = releases[0];
            return (
              <tr key={configuration.code}>
                <td data-label={t("catalogue:list.name")}>
                  <a href={configurationPath(configuration.code)}>{configuration.name}</a>{" "}
                  <span class="muted mono">{configuration.code}</span>
                </td>
                <td data-label={t("catalogue:list.newest")}>
                  {newest ? (
                    <>
                      <a href={releasePath(configuration.code, newest.version)}>{newest.version}</a>{" "}
                      <span class="muted">
                        <time dateTime={newest.releasedOn}>{format.date(newest.releasedOn)}</time>
                      </span>
                    </>
                  ) : (
                    <span class="muted">{t("catalogue:list.noReleases")}</span>
                  )}
                </td>
                <td data-label={t("catalogue:list.releases")}>
                  {t("catalogue:releaseCount", { count: releases.length })}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Offers({ view, others }: { view: ViewContext; others: readonly Configuration[] }) {
  const { t } = view;
  return (
    <section class="card offers" aria-labelledby="others-heading">
      <h2 id="others-heading">{t("catalogue:list.others")}</h2>
      <p>{t("catalogue:list.othersText")}</p>
      <ul class="offer-list">
        {others.map((configuration) => (
          <li key={configuration.code}>
            {configuration.name} <span class="muted mono">{configuration.code}</span>
          </li>
        ))}
      </ul>
      <p>
        <a class="button" href="/account/products/add">
          {t("catalogue:offer.action")}
        </a>
      </p>
    </section>
  );
}

/** /configurations: what my products give, the platform apart, and the offer for the rest. */
export function ConfigurationsPage(props: {
  view: ViewContext;
  mine: readonly OpenConfiguration[];
  others: readonly Configuration[];
}) {
  const { view, mine, others } = props;
  const { t } = view;
  const programs = mine.filter((entry) => entry.configuration.kind !== "platform");
  const platform = mine.filter((entry) => entry.configuration.kind === "platform");
  return (
    <Layout view={view} title={t("catalogue:list.title")}>
      <h1>{t("catalogue:list.title")}</h1>
      <p class="lead">{t("catalogue:list.intro")}</p>
      <section aria-labelledby="mine-heading">
        <h2 id="mine-heading">{t("catalogue:list.mine")}</h2>
        {programs.length > 0 ? (
          <MyConfigurations
            view={view}
            entries={programs}
            caption={t("catalogue:list.count", { count: programs.length })}
          />
        ) : (
          <p class="muted">{t("catalogue:list.empty")}</p>
        )}
      </section>
      {platform.length > 0 && (
        <section aria-labelledby="platform-heading">
          <h2 id="platform-heading">{t("catalogue:list.platform")}</h2>
          <MyConfigurations view={view} entries={platform} caption={t("catalogue:list.platformCaption")} />
        </section>
      )}
      {others.length > 0 && <Offers view={view} others={others} />}
    </Layout>
  );
}
