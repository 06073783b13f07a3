import type { Configuration } from "../../contract/catalogue.ts";
import type { Plan } from "../../services/updates.ts";
import { Layout } from "../layout.tsx";
import { Alert, TextField } from "../ui.tsx";
import type { ViewContext } from "../view.ts";
import {
  Breadcrumbs,
  configurationPath,
  type Denial,
  DenialNotice,
  filePath,
  MarkdownBlock,
  planPath,
  releasePath,
} from "./parts.tsx";

export interface PlanForm {
  readonly version: string;
  readonly platform: string;
  readonly errors: { readonly version?: string; readonly platform?: string };
}

function Headline({ view, plan }: { view: ViewContext; plan: Plan }) {
  const { t } = view;
  switch (plan.status) {
    case "up-to-date":
      return <Alert kind="success">{t("catalogue:plan.upToDate", { version: plan.from })}</Alert>;
    case "no-path":
      return <Alert kind="error">{t("catalogue:plan.noPath", { from: plan.from, to: plan.to })}</Alert>;
    case "update-available":
      return (
        <Alert kind="info">
          {t("catalogue:plan.available", { from: plan.from, to: plan.to, count: plan.steps.length })}
        </Alert>
      );
  }
}

function Chain({ view, plan, denial }: { view: ViewContext; plan: Plan; denial: Denial | null }) {
  const { t, format } = view;
  const code = plan.configuration;
  return (
    <div class="table-scroll">
      <table class="data-table stack-on-phone plan-table">
        <caption>{t("catalogue:plan.total", { size: format.bytes(plan.totalSize) })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("catalogue:plan.step")}</th>
            <th scope="col">{t("catalogue:table.version")}</th>
            <th scope="col">{t("catalogue:table.date")}</th>
            <th scope="col">{t("catalogue:table.platform")}</th>
            <th scope="col" class="numeric">
              {t("catalogue:release.size")}
            </th>
            <th scope="col">{t("catalogue:release.action")}</th>
          </tr>
        </thead>
        <tbody>
          {plan.steps.map((step, index) => (
            <tr key={step.releaseId}>
              <td data-label={t("catalogue:plan.step")}>{index + 1}</td>
              <th scope="row" data-label={t("catalogue:table.version")}>
                <a href={releasePath(code, step.version)}>{step.version}</a>
              </th>
              <td data-label={t("catalogue:table.date")}>
                <time dateTime={step.releasedOn}>{format.date(step.releasedOn)}</time>
              </td>
              <td data-label={t("catalogue:table.platform")}>{step.minPlatformVersion ?? "—"}</td>
              <td data-label={t("catalogue:release.size")} class="numeric">
                {step.distribution ? format.bytes(step.distribution.size) : "—"}
              </td>
              <td data-label={t("catalogue:release.action")}>
                {!step.distribution ? (
                  <span class="badge badge-warning">{t("catalogue:table.noUpdateFile")}</span>
                ) : denial ? (
                  <span class="muted">{t("catalogue:release.refused")}</span>
                ) : (
                  <a
                    class="button"
                    href={filePath(code, step.version, step.distribution.id)}
                    download={step.distribution.fileName}
                    aria-label={t("catalogue:plan.downloadStep", { version: step.version })}
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

/** /configurations/:code/plan: "I have version X on platform Y" (a GET form) and the plan for it. */
export function PlanPage(props: {
  view: ViewContext;
  configuration: Configuration;
  form: PlanForm;
  plan: Plan | null;
  denial: Denial | null;
}) {
  const { view, configuration, form, plan, denial } = props;
  const { t } = view;
  return (
    <Layout view={view} title={t("catalogue:plan.title", { name: configuration.name })}>
      <Breadcrumbs
        view={view}
        items={[{ href: configurationPath(configuration.code), label: configuration.name }]}
      />
      <h1>{t("catalogue:plan.title", { name: configuration.name })}</h1>
      <p class="lead">{t("catalogue:plan.intro")}</p>
      <form method="get" action={planPath(configuration.code)} class="stacked-form card plan-form">
        <TextField
          name="version"
          label={t("catalogue:plan.version")}
          hint={t("catalogue:plan.versionHint")}
          value={form.version}
          error={form.errors.version}
          required
          maxLength={64}
        />
        <TextField
          name="platform"
          label={t("catalogue:plan.platform")}
          hint={t("catalogue:plan.platformHint")}
          value={form.platform}
          error={form.errors.platform}
          maxLength={64}
        />
        <button type="submit" class="button">
          {t("catalogue:plan.submit")}
        </button>
      </form>
      {plan && (
        <section aria-labelledby="plan-heading" class="plan-result">
          <h2 id="plan-heading">{t("catalogue:plan.result")}</h2>
          <Headline view={view} plan={plan} />
          {plan.platformUpgrade && (
            <Alert kind="error" title={t("catalogue:plan.platformFirstTitle")}>
              <p>{t("catalogue:plan.platformFirst", { version: plan.platformUpgrade.requiredVersion })}</p>
            </Alert>
          )}
          {plan.missingUpdates.length > 0 && (
            <Alert kind="info" title={t("catalogue:configuration.waitingTitle")}>
              <p>{t("catalogue:configuration.waiting", { versions: plan.missingUpdates.join(", ") })}</p>
            </Alert>
          )}
          {denial && plan.steps.length > 0 && (
            <DenialNotice view={view} denial={denial} name={configuration.name} />
          )}
          {plan.steps.length > 0 && <Chain view={view} plan={plan} denial={denial} />}
          {plan.steps.length > 0 && (
            <section aria-labelledby="whats-new-heading" class="whats-new">
              <h2 id="whats-new-heading">{t("catalogue:plan.whatsNew")}</h2>
              {plan.whatsNew.length === 0 ? (
                <p class="muted">{t("catalogue:plan.noWhatsNew")}</p>
              ) : (
                plan.whatsNew.map((entry) => (
                  <article key={entry.version} class="document">
                    <h3>{entry.version}</h3>
                    <MarkdownBlock text={entry.text} />
                  </article>
                ))
              )}
            </section>
          )}
        </section>
      )}
    </Layout>
  );
}
