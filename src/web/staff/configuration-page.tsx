import type { Configuration, Release } from "../../contract/catalogue.ts";
import { Alert, DataTable, PostForm, TextField } from "../ui.tsx";
import type { ViewContext } from "../view.ts";
import { canChange, StaffLayout, StatusBadge } from "./components.tsx";
import { kindLabel } from "./configurations-page.tsx";
import type { FormErrors } from "./problems.ts";

export interface ReleaseForm {
  readonly version: string;
  readonly releasedOn: string;
  readonly updateFrom: string;
  readonly minPlatformVersion: string;
  readonly itsIssue: string;
}

export const emptyReleaseForm = (today: string): ReleaseForm => ({
  version: "",
  releasedOn: today,
  updateFrom: "",
  minPlatformVersion: "",
  itsIssue: "",
});

/** A configuration's releases of every state, newest first, and the form that adds a draft (admin). */
export function ConfigurationPage(props: {
  view: ViewContext;
  configuration: Configuration;
  releases: Release[];
  form: ReleaseForm;
  errors?: FormErrors;
}) {
  const { view, configuration, releases, form } = props;
  const { t } = view;
  const errors = props.errors ?? {};
  const title = `${configuration.name} (${configuration.code})`;
  return (
    <StaffLayout
      view={view}
      title={title}
      trail={[{ href: "/staff/configurations", label: t("staff:nav.configurations") }]}
    >
      <h1>{title}</h1>
      <p class="muted">
        {kindLabel(view, configuration.kind)} ·{" "}
        {t("staff:configuration.releaseCount", { count: releases.length })}
      </p>
      {releases.length === 0 ? (
        <p class="muted">{t("staff:configuration.none")}</p>
      ) : (
        <DataTable
          rows={releases}
          rowKey={(release) => release.id}
          columns={[
            {
              label: t("staff:release.version"),
              cell: (release) => (
                <a href={`/staff/releases/${encodeURIComponent(release.id)}`}>{release.version}</a>
              ),
            },
            { label: t("staff:release.releasedOn"), cell: (release) => view.format.date(release.releasedOn) },
            {
              label: t("staff:release.status"),
              cell: (release) => <StatusBadge view={view} status={release.status} />,
            },
            {
              label: t("staff:release.updateFrom"),
              cell: (release) => (release.updateFrom.length > 0 ? release.updateFrom.join(", ") : "—"),
            },
            {
              label: t("staff:release.files"),
              cell: (release) =>
                release.distributions.length > 0
                  ? release.distributions.map((d) => d.kind).join(", ")
                  : t("staff:release.noFiles"),
            },
          ]}
        />
      )}
      {canChange(view) && (
        <section class="card staff-form-card" aria-labelledby="new-release">
          <h2 id="new-release">{t("staff:configuration.create")}</h2>
          <p class="muted">{t("staff:configuration.createIntro")}</p>
          {errors._form && (
            <Alert kind="error">
              <p>{errors._form}</p>
            </Alert>
          )}
          <PostForm
            view={view}
            action={`/staff/configurations/${encodeURIComponent(configuration.code)}/releases`}
            class="stacked-form"
          >
            <TextField
              name="version"
              label={t("staff:release.version")}
              hint={t("staff:release.versionHint")}
              value={form.version}
              error={errors.version}
              required
              maxLength={64}
            />
            <TextField
              name="releasedOn"
              type="date"
              label={t("staff:release.releasedOn")}
              value={form.releasedOn}
              error={errors.releasedOn}
              required
              maxLength={10}
            />
            <TextField
              name="updateFrom"
              label={t("staff:release.updateFrom")}
              hint={t("staff:release.updateFromHint")}
              value={form.updateFrom}
              error={errors.updateFrom}
              maxLength={4000}
            />
            <TextField
              name="minPlatformVersion"
              label={t("staff:release.minPlatform")}
              value={form.minPlatformVersion}
              error={errors.minPlatformVersion}
              maxLength={64}
            />
            <TextField
              name="itsIssue"
              label={t("staff:release.itsIssue")}
              value={form.itsIssue}
              error={errors.itsIssue}
              maxLength={100}
            />
            <button type="submit" class="button">
              {t("staff:configuration.submit")}
            </button>
          </PostForm>
        </section>
      )}
    </StaffLayout>
  );
}
