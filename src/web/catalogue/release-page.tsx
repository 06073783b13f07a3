import type { Configuration, Distribution, ReleaseWithDocuments } from "../../contract/catalogue.ts";
import { DISTRIBUTION_KINDS, RELEASE_DOCUMENTS } from "../../domain/catalogue.ts";
import { Layout } from "../layout.tsx";
import type { ViewContext } from "../view.ts";
import {
  Breadcrumbs,
  configurationPath,
  type Denial,
  DenialNotice,
  documentTitle,
  Facts,
  filePath,
  kindLabel,
  MarkdownBlock,
  planPath,
} from "./parts.tsx";

/** The files in the catalogue's order of kinds (the update first), unknown kinds last. */
function byKind(distributions: readonly Distribution[]): Distribution[] {
  const rank = (kind: string) => {
    const index = (DISTRIBUTION_KINDS as readonly string[]).indexOf(kind);
    return index < 0 ? DISTRIBUTION_KINDS.length : index;
  };
  return [...distributions].sort((a, b) => rank(a.kind) - rank(b.kind));
}

function Distributions(props: {
  view: ViewContext;
  configuration: Configuration;
  release: ReleaseWithDocuments;
  denial: Denial | null;
}) {
  const { view, configuration, release, denial } = props;
  const { t, format } = view;
  if (release.distributions.length === 0) return <p class="muted">{t("catalogue:release.noFiles")}</p>;
  return (
    <div class="table-scroll">
      <table class="data-table stack-on-phone file-table">
        <caption>{t("catalogue:release.fileCount", { count: release.distributions.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("catalogue:release.kind")}</th>
            <th scope="col">{t("catalogue:release.file")}</th>
            <th scope="col" class="numeric">
              {t("catalogue:release.size")}
            </th>
            <th scope="col">SHA-256</th>
            <th scope="col">{t("catalogue:release.action")}</th>
          </tr>
        </thead>
        <tbody>
          {byKind(release.distributions).map((distribution) => (
            <tr key={distribution.id}>
              <th scope="row" data-label={t("catalogue:release.kind")}>
                {kindLabel(view, distribution.kind)}
              </th>
              <td data-label={t("catalogue:release.file")} class="file-name">
                {distribution.fileName}
              </td>
              <td data-label={t("catalogue:release.size")} class="numeric">
                {format.bytes(distribution.size)}
              </td>
              <td data-label="SHA-256">
                <code class="digest">{distribution.sha256}</code>
              </td>
              <td data-label={t("catalogue:release.action")}>
                {denial ? (
                  <span class="muted">{t("catalogue:release.refused")}</span>
                ) : (
                  <a
                    class="button"
                    href={filePath(configuration.code, release.version, distribution.id)}
                    download={distribution.fileName}
                    aria-label={t("catalogue:release.downloadFile", {
                      kind: kindLabel(view, distribution.kind),
                      file: distribution.fileName,
                    })}
                  >
                    {t("catalogue:release.download")}
                  </a>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** /configurations/:code/releases/:version: the release's facts, every document and each file. */
export function ReleasePage(props: {
  view: ViewContext;
  configuration: Configuration;
  release: ReleaseWithDocuments;
  denial: Denial | null;
}) {
  const { view, configuration, release, denial } = props;
  const { t, format } = view;
  const documents = RELEASE_DOCUMENTS.flatMap((name) => {
    const text = release.documents[name]?.trim();
    return text ? [{ name, text }] : [];
  });
  const title = `${configuration.name} ${release.version}`;
  return (
    <Layout view={view} title={title}>
      <Breadcrumbs
        view={view}
        items={[{ href: configurationPath(configuration.code), label: configuration.name }]}
      />
      <h1>{title}</h1>
      {release.status !== "published" && (
        <p class="badge badge-warning">
          {release.status === "draft" ? t("catalogue:status.draft") : t("catalogue:status.withdrawn")}
        </p>
      )}
      <Facts
        items={[
          [
            t("catalogue:table.date"),
            <time key="date" dateTime={release.releasedOn}>
              {format.date(release.releasedOn)}
            </time>,
          ],
          [t("catalogue:table.issue"), release.itsIssue ?? "—"],
          [t("catalogue:table.platform"), release.minPlatformVersion ?? t("catalogue:release.anyPlatform")],
          [
            t("catalogue:table.updateFrom"),
            release.updateFrom.length > 0
              ? release.updateFrom.join(", ")
              : t("catalogue:release.noUpdateFrom"),
          ],
        ]}
      />
      <p>
        <a href={`${planPath(configuration.code)}`}>{t("catalogue:configuration.plan")}</a>
      </p>
      <section aria-labelledby="files-heading">
        <h2 id="files-heading">{t("catalogue:release.files")}</h2>
        {denial && release.distributions.length > 0 && (
          <DenialNotice view={view} denial={denial} name={configuration.name} />
        )}
        <Distributions view={view} configuration={configuration} release={release} denial={denial} />
      </section>
      {documents.length > 0 && (
        <nav class="document-index" aria-label={t("catalogue:release.documents")}>
          <ul>
            {documents.map(({ name }) => (
              <li key={name}>
                <a href={`#document-${name}`}>{documentTitle(view, name)}</a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      {documents.length === 0 ? (
        <p class="muted">{t("catalogue:release.noDocuments")}</p>
      ) : (
        documents.map(({ name, text }) => (
          <section key={name} class="document" aria-labelledby={`document-${name}`}>
            <h2 id={`document-${name}`}>{documentTitle(view, name)}</h2>
            <MarkdownBlock text={text} />
          </section>
        ))
      )}
    </Layout>
  );
}
