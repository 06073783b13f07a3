import type { PublishedReleaseSummary } from "../../contract/catalogue.ts";
import { Layout } from "../layout.tsx";
import type { ViewContext } from "../view.ts";

function LatestReleases({ view, releases }: { view: ViewContext; releases: PublishedReleaseSummary[] }) {
  const { t, format } = view;
  if (releases.length === 0) return <p class="muted">{t("home:releases.empty")}</p>;
  return (
    <div class="table-scroll">
      <table class="data-table stack-on-phone">
        <caption>{t("home:releases.count", { count: releases.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("home:releases.configuration")}</th>
            <th scope="col">{t("home:releases.version")}</th>
            <th scope="col">{t("home:releases.date")}</th>
          </tr>
        </thead>
        <tbody>
          {releases.map((release) => (
            <tr key={release.id}>
              <td data-label={t("home:releases.configuration")}>{release.configurationName}</td>
              <td data-label={t("home:releases.version")}>
                <a
                  href={`/configurations/${encodeURIComponent(release.configuration)}/releases/${encodeURIComponent(release.version)}`}
                >
                  {release.version}
                </a>
              </td>
              <td data-label={t("home:releases.date")}>
                <time dateTime={release.releasedOn}>{format.date(release.releasedOn)}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function HomePage({ view, releases }: { view: ViewContext; releases: PublishedReleaseSummary[] }) {
  const { t } = view;
  return (
    <Layout view={view} title={t("home:title")}>
      <section class="hero" aria-labelledby="home-heading">
        <h1 id="home-heading">{t("home:intro.heading")}</h1>
        <p class="lead">{t("home:intro.text")}</p>
      </section>
      <div class="columns">
        <section class="card" aria-labelledby="register-heading">
          <h2 id="register-heading">{t("home:register.heading")}</h2>
          <ol class="steps">
            <li>{t("home:register.step1")}</li>
            <li>{t("home:register.step2")}</li>
            <li>{t("home:register.step3")}</li>
          </ol>
          <p>
            <a class="button" href="/register">
              {t("home:register.action")}
            </a>
          </p>
          <p class="muted">
            {t("home:register.signUpIntro")} <a href="/sign-up">{t("home:register.signUp")}</a>
          </p>
          <p class="muted">{t("home:register.partner")}</p>
        </section>
        <section class="card" aria-labelledby="news-heading">
          <h2 id="news-heading">{t("home:news.heading")}</h2>
          <p class="muted">{t("home:news.placeholder")}</p>
        </section>
      </div>
      <section aria-labelledby="releases-heading">
        <h2 id="releases-heading">{t("home:releases.heading")}</h2>
        <LatestReleases view={view} releases={releases} />
      </section>
    </Layout>
  );
}
