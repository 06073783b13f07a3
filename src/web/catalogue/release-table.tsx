import { renderToString } from "preact-render-to-string";
import type { Release } from "../../contract/catalogue.ts";
import type { Language } from "../i18n.ts";
import type { ViewContext } from "../view.ts";
import { releasePath } from "./parts.tsx";

/** A release others update to whose update file is not there yet: a chain through it cannot be downloaded. */
export const awaitsUpdateFile = (release: Release) =>
  release.updateFrom.length > 0 && !release.hasUpdateDistribution;

function ReleaseTable({
  view,
  code,
  releases,
  withStatus,
}: {
  view: ViewContext;
  code: string;
  releases: readonly Release[];
  withStatus: boolean;
}) {
  const { t, format } = view;
  return (
    <div class="table-scroll">
      <table class="data-table stack-on-phone release-table">
        <caption>{t("catalogue:releaseCount", { count: releases.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("catalogue:table.version")}</th>
            <th scope="col">{t("catalogue:table.date")}</th>
            <th scope="col">{t("catalogue:table.issue")}</th>
            <th scope="col">{t("catalogue:table.updateFrom")}</th>
            <th scope="col">{t("catalogue:table.platform")}</th>
            {withStatus && <th scope="col">{t("catalogue:table.status")}</th>}
          </tr>
        </thead>
        <tbody>
          {releases.map((release) => (
            <tr key={release.id}>
              <th scope="row" data-label={t("catalogue:table.version")}>
                <a href={releasePath(code, release.version)}>{release.version}</a>
                {awaitsUpdateFile(release) && (
                  <span class="badge badge-warning">{t("catalogue:table.noUpdateFile")}</span>
                )}
              </th>
              <td data-label={t("catalogue:table.date")}>
                <time dateTime={release.releasedOn}>{format.date(release.releasedOn)}</time>
              </td>
              <td data-label={t("catalogue:table.issue")}>{release.itsIssue ?? "—"}</td>
              <td data-label={t("catalogue:table.updateFrom")} class="version-list">
                {release.updateFrom.length > 0 ? release.updateFrom.join(", ") : "—"}
              </td>
              <td data-label={t("catalogue:table.platform")}>{release.minPlatformVersion ?? "—"}</td>
              {withStatus && (
                <td data-label={t("catalogue:table.status")}>
                  {release.status === "published"
                    ? t("catalogue:status.published")
                    : release.status === "draft"
                      ? t("catalogue:status.draft")
                      : t("catalogue:status.withdrawn")}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The release table is the same for every reader of a language while the catalogue's revision
 * stands, and the published list is one array per revision (src/services/updates.ts): its HTML
 * is kept per array and language, and dropped with the array when the revision moves on.
 */
const renderedTables = new WeakMap<readonly Release[], Map<Language, string>>();

export function releaseTableHtml(
  view: ViewContext,
  code: string,
  releases: readonly Release[],
  options: { withStatus: boolean; cache: boolean },
): string {
  const render = () =>
    renderToString(
      <ReleaseTable view={view} code={code} releases={releases} withStatus={options.withStatus} />,
    );
  if (!options.cache) return render();
  let byLanguage = renderedTables.get(releases);
  if (!byLanguage) {
    byLanguage = new Map();
    renderedTables.set(releases, byLanguage);
  }
  let html = byLanguage.get(view.language);
  if (html === undefined) {
    html = render();
    byLanguage.set(view.language, html);
  }
  return html;
}
