import type { Configuration, Release } from "../../contract/catalogue.ts";
import { Layout } from "../layout.tsx";
import { Alert } from "../ui.tsx";
import type { ViewContext } from "../view.ts";
import { Breadcrumbs, type Denial, DenialNotice, planPath, releasePath } from "./parts.tsx";
import { awaitsUpdateFile } from "./release-table.tsx";

/** "Update to the newest from ...": the versions the newest published release installs over directly. */
function NewestHint({
  view,
  code,
  releases,
}: {
  view: ViewContext;
  code: string;
  releases: readonly Release[];
}) {
  const { t } = view;
  const newest = releases.find((release) => release.status === "published");
  if (!newest) return null;
  return (
    <div class="card newest-hint">
      <p>
        {newest.updateFrom.length > 0
          ? t("catalogue:configuration.newestFrom", {
              version: newest.version,
              versions: newest.updateFrom.join(", "),
            })
          : t("catalogue:configuration.newestFull", { version: newest.version })}
      </p>
      <p class="actions">
        <a class="button" href={releasePath(code, newest.version)}>
          {t("catalogue:configuration.openNewest", { version: newest.version })}
        </a>
        <a class="button button-quiet" href={planPath(code)}>
          {t("catalogue:configuration.plan")}
        </a>
      </p>
    </div>
  );
}

/** /configurations/:code: the release table, newest first, with what to update from and what is missing. */
export function ConfigurationPage(props: {
  view: ViewContext;
  configuration: Configuration;
  releases: readonly Release[];
  /** The release table's HTML (kept per catalogue revision and language, see release-table.tsx). */
  tableHtml: string;
  /** Why this user may not download the configuration's files now, if so. */
  denial: Denial | null;
}) {
  const { view, configuration, releases, denial } = props;
  const { t } = view;
  const waiting = releases.filter(awaitsUpdateFile).map((release) => release.version);
  return (
    <Layout view={view} title={configuration.name}>
      <Breadcrumbs view={view} items={[]} />
      <h1>{configuration.name}</h1>
      <p class="muted">
        <span class="mono">{configuration.code}</span> ·{" "}
        {configuration.kind === "platform"
          ? t("catalogue:configuration.kindPlatform")
          : configuration.kind === "report-forms"
            ? t("catalogue:configuration.kindReportForms")
            : t("catalogue:configuration.kindConfiguration")}
      </p>
      {denial && <DenialNotice view={view} denial={denial} name={configuration.name} />}
      {releases.length === 0 ? (
        <p class="muted">{t("catalogue:configuration.empty")}</p>
      ) : (
        <>
          <NewestHint view={view} code={configuration.code} releases={releases} />
          {waiting.length > 0 && (
            <Alert kind="info" title={t("catalogue:configuration.waitingTitle")}>
              <p>{t("catalogue:configuration.waiting", { versions: waiting.join(", ") })}</p>
            </Alert>
          )}
          <h2>{t("catalogue:configuration.releases")}</h2>
          <div dangerouslySetInnerHTML={{ __html: props.tableHtml }} />
        </>
      )}
    </Layout>
  );
}
