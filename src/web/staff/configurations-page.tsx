import type { Configuration } from "../../contract/catalogue.ts";
import { CONFIGURATION_KINDS, PACKAGE_FORMATS } from "../../domain/catalogue.ts";
import { Alert, DataTable, PostForm, SelectField, TextField } from "../ui.tsx";
import type { ViewContext } from "../view.ts";
import { canChange, StaffLayout } from "./components.tsx";
import type { FormErrors } from "./problems.ts";

export interface ConfigurationForm {
  readonly code: string;
  readonly name: string;
  readonly kind: string;
  readonly vendor: string;
  readonly programName: string;
  readonly packageFormat: string;
}

export const EMPTY_CONFIGURATION_FORM: ConfigurationForm = {
  code: "",
  name: "",
  kind: "configuration",
  vendor: "1c",
  programName: "",
  packageFormat: "1c",
};

export function kindLabel(view: ViewContext, kind: string): string {
  if (kind === "platform") return view.t("staff:kinds.platform");
  if (kind === "report-forms") return view.t("staff:kinds.reportForms");
  return view.t("staff:kinds.configuration");
}

function formatLabel(view: ViewContext, format: string): string {
  return format === "file" ? view.t("staff:formats.file") : view.t("staff:formats.onec");
}

/** The configurations releases are published for, and the form that adds one (admin). */
export function ConfigurationsPage(props: {
  view: ViewContext;
  configurations: Configuration[];
  form: ConfigurationForm;
  errors?: FormErrors;
}) {
  const { view, configurations, form } = props;
  const { t } = view;
  const errors = props.errors ?? {};
  return (
    <StaffLayout view={view} title={t("staff:configurations.title")}>
      <h1>{t("staff:configurations.title")}</h1>
      {configurations.length === 0 ? (
        <p class="muted">{t("staff:configurations.none")}</p>
      ) : (
        <DataTable
          rows={configurations}
          rowKey={(c) => c.code}
          columns={[
            {
              label: t("staff:configurations.code"),
              cell: (c) => <a href={`/staff/configurations/${encodeURIComponent(c.code)}`}>{c.code}</a>,
            },
            { label: t("staff:configurations.name"), cell: (c) => c.name },
            { label: t("staff:configurations.kind"), cell: (c) => kindLabel(view, c.kind) },
            { label: t("staff:configurations.format"), cell: (c) => formatLabel(view, c.packageFormat) },
            { label: t("staff:configurations.vendor"), cell: (c) => <code>{c.vendor}</code> },
          ]}
        />
      )}
      {canChange(view) && (
        <section class="card staff-form-card" aria-labelledby="new-configuration">
          <h2 id="new-configuration">{t("staff:configurations.create")}</h2>
          {errors._form && (
            <Alert kind="error">
              <p>{errors._form}</p>
            </Alert>
          )}
          <PostForm view={view} action="/staff/configurations" class="stacked-form">
            <TextField
              name="code"
              label={t("staff:configurations.code")}
              hint={t("staff:configurations.codeHint")}
              value={form.code}
              error={errors.code}
              required
              maxLength={64}
            />
            <TextField
              name="name"
              label={t("staff:configurations.name")}
              value={form.name}
              error={errors.name}
              required
              maxLength={300}
            />
            <SelectField
              name="kind"
              label={t("staff:configurations.kind")}
              value={form.kind}
              error={errors.kind}
              options={CONFIGURATION_KINDS.map((kind) => ({ value: kind, label: kindLabel(view, kind) }))}
            />
            <SelectField
              name="packageFormat"
              label={t("staff:configurations.format")}
              hint={t("staff:configurations.formatHint")}
              value={form.packageFormat}
              error={errors.packageFormat}
              options={PACKAGE_FORMATS.map((format) => ({ value: format, label: formatLabel(view, format) }))}
            />
            <TextField
              name="vendor"
              label={t("staff:configurations.vendor")}
              hint={t("staff:configurations.vendorHint")}
              value={form.vendor}
              error={errors.vendor}
              maxLength={64}
            />
            <TextField
              name="programName"
              label={t("staff:configurations.programName")}
              hint={t("staff:configurations.programNameHint")}
              value={form.programName}
              error={errors.programName}
              maxLength={300}
            />
            <button type="submit" class="button">
              {t("staff:configurations.submit")}
            </button>
          </PostForm>
        </section>
      )}
    </StaffLayout>
  );
}
