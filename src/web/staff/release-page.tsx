import type { Configuration, ReleaseWithDocuments } from "../../contract/catalogue.ts";
import { distributionKindsOf, RELEASE_DOCUMENTS, type ReleaseDocumentName } from "../../domain/catalogue.ts";
import { assetUrl } from "../asset-urls.ts";
import { Alert, PostForm, SelectField, TextAreaField } from "../ui.tsx";
import type { ViewContext } from "../view.ts";
import { canChange, StaffLayout, StatusBadge } from "./components.tsx";
import type { FormErrors } from "./problems.ts";

export function documentLabel(view: ViewContext, name: ReleaseDocumentName): string {
  const { t } = view;
  switch (name) {
    case "whatsNew":
      return t("staff:documents.whatsNew");
    case "changes":
      return t("staff:documents.changes");
    case "majorChanges":
      return t("staff:documents.majorChanges");
    case "changedObjects":
      return t("staff:documents.changedObjects");
    case "updateOrder":
      return t("staff:documents.updateOrder");
    case "readme":
      return t("staff:documents.readme");
  }
}

/** What this page shows after a change: told by the address the change redirected to. */
export type ReleaseNotice = "created" | "uploaded" | "published" | "withdrawn" | "documents" | null;

function noticeText(view: ViewContext, notice: ReleaseNotice): string | null {
  switch (notice) {
    case "created":
      return view.t("staff:release.notices.created");
    case "uploaded":
      return view.t("staff:release.notices.uploaded");
    case "published":
      return view.t("staff:release.notices.published");
    case "withdrawn":
      return view.t("staff:release.notices.withdrawn");
    case "documents":
      return view.t("staff:release.notices.documents");
    default:
      return null;
  }
}

/** One release for staff: its files (upload), its state (publish, withdraw) and its documents. */
export function ReleasePage(props: {
  view: ViewContext;
  configuration: Configuration;
  release: ReleaseWithDocuments;
  notice?: ReleaseNotice;
  uploadErrors?: FormErrors;
  uploadKind?: string;
  statusErrors?: FormErrors;
  documents?: Partial<Record<ReleaseDocumentName, string>>;
  documentErrors?: FormErrors;
}) {
  const { view, configuration, release } = props;
  const { t } = view;
  const admin = canChange(view);
  const base = `/staff/releases/${encodeURIComponent(release.id)}`;
  const kinds = distributionKindsOf(configuration.kind);
  const notice = noticeText(view, props.notice ?? null);
  const uploadErrors = props.uploadErrors ?? {};
  const statusErrors = props.statusErrors ?? {};
  const documentErrors = props.documentErrors ?? {};
  const documents = props.documents ?? release.documents;
  const title = `${configuration.code} ${release.version}`;
  return (
    <StaffLayout
      view={view}
      title={title}
      trail={[
        { href: "/staff/configurations", label: t("staff:nav.configurations") },
        {
          href: `/staff/configurations/${encodeURIComponent(configuration.code)}`,
          label: configuration.name,
        },
      ]}
    >
      <h1>
        {title} <StatusBadge view={view} status={release.status} />
      </h1>
      {notice && (
        <Alert kind="success">
          <p>{notice}</p>
        </Alert>
      )}
      <dl class="staff-facts">
        <div>
          <dt>{t("staff:release.releasedOn")}</dt>
          <dd>{view.format.date(release.releasedOn)}</dd>
        </div>
        <div>
          <dt>{t("staff:release.updateFrom")}</dt>
          <dd>{release.updateFrom.length > 0 ? release.updateFrom.join(", ") : "—"}</dd>
        </div>
        <div>
          <dt>{t("staff:release.minPlatform")}</dt>
          <dd>{release.minPlatformVersion ?? "—"}</dd>
        </div>
        <div>
          <dt>{t("staff:release.itsIssue")}</dt>
          <dd>{release.itsIssue ?? "—"}</dd>
        </div>
        {release.publishedAt && (
          <div>
            <dt>{t("staff:release.publishedAt")}</dt>
            <dd>{view.format.dateTime(release.publishedAt)}</dd>
          </div>
        )}
      </dl>

      <h2 id="files">{t("staff:release.files")}</h2>
      {release.distributions.length === 0 ? (
        <p class="muted">{t("staff:release.noFiles")}</p>
      ) : (
        <div class="table-scroll">
          <table class="data-table stack-on-phone">
            <thead>
              <tr>
                <th scope="col">{t("staff:release.kind")}</th>
                <th scope="col">{t("staff:release.fileName")}</th>
                <th scope="col" class="numeric">
                  {t("staff:release.size")}
                </th>
                <th scope="col">SHA-256</th>
              </tr>
            </thead>
            <tbody>
              {release.distributions.map((d) => (
                <tr key={d.id}>
                  <td data-label={t("staff:release.kind")}>
                    <code>{d.kind}</code>
                  </td>
                  <td data-label={t("staff:release.fileName")}>{d.fileName}</td>
                  <td data-label={t("staff:release.size")} class="numeric">
                    {view.format.bytes(d.size)}
                  </td>
                  <td data-label="SHA-256">
                    <code class="staff-digest">{d.sha256}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {admin && (
        <section class="card staff-form-card" aria-labelledby="upload">
          <h2 id="upload">{t("staff:upload.title")}</h2>
          <p class="muted">
            {release.status === "draft" ? t("staff:upload.introDraft") : t("staff:upload.introPublished")}
          </p>
          {uploadErrors._form && (
            <Alert kind="error">
              <p>{uploadErrors._form}</p>
            </Alert>
          )}
          <PostForm
            view={view}
            action={`${base}/distributions?_csrf=${encodeURIComponent(view.csrfToken)}`}
            enctype="multipart/form-data"
            class="stacked-form upload-form"
          >
            <SelectField
              name="kind"
              label={t("staff:release.kind")}
              value={props.uploadKind ?? kinds[0] ?? "update"}
              options={kinds.map((kind) => ({ value: kind, label: kind }))}
              error={uploadErrors.kind}
            />
            <div class={uploadErrors.file ? "field field-invalid" : "field"}>
              <label for="field-file">{t("staff:upload.file")}</label>
              {uploadErrors.file && (
                <p class="field-error" id="field-file-error">
                  {uploadErrors.file}
                </p>
              )}
              <input
                id="field-file"
                name="file"
                type="file"
                required
                aria-invalid={uploadErrors.file ? "true" : undefined}
                aria-describedby={uploadErrors.file ? "field-file-error" : undefined}
              />
            </div>
            <div class="upload-status" hidden>
              <label for="upload-progress">{t("staff:upload.progress")}</label>
              <progress id="upload-progress" class="upload-progress" max={100} value={0} />
              <output for="field-file" class="upload-percent" aria-live="polite" />
            </div>
            <button type="submit" class="button">
              {t("staff:upload.submit")}
            </button>
          </PostForm>
          <script src={assetUrl("upload-progress.js")} defer />
        </section>
      )}

      {admin && (
        <section class="card staff-form-card" aria-labelledby="state">
          <h2 id="state">{t("staff:release.state")}</h2>
          {statusErrors._form && (
            <Alert kind="error">
              <p>{statusErrors._form}</p>
            </Alert>
          )}
          {release.status === "published" ? (
            <>
              <p class="muted">{t("staff:release.withdrawIntro")}</p>
              <PostForm view={view} action={`${base}/withdraw`}>
                <button type="submit" class="button button-danger">
                  {t("staff:release.withdraw")}
                </button>
              </PostForm>
            </>
          ) : (
            <>
              <p class="muted">{t("staff:release.publishIntro")}</p>
              <PostForm view={view} action={`${base}/publish`}>
                <button type="submit" class="button">
                  {t("staff:release.publish")}
                </button>
              </PostForm>
            </>
          )}
        </section>
      )}

      <section class="card staff-form-card" aria-labelledby="documents">
        <h2 id="documents">{t("staff:documents.title")}</h2>
        {admin ? (
          <>
            <p class="muted">{t("staff:documents.intro")}</p>
            {documentErrors._form && (
              <Alert kind="error">
                <p>{documentErrors._form}</p>
              </Alert>
            )}
            <PostForm view={view} action={`${base}/documents`} class="stacked-form">
              {RELEASE_DOCUMENTS.map((name) => (
                <TextAreaField
                  key={name}
                  name={name}
                  label={documentLabel(view, name)}
                  value={documents[name] ?? ""}
                  error={documentErrors[name]}
                  rows={6}
                />
              ))}
              <button type="submit" class="button">
                {t("staff:documents.submit")}
              </button>
            </PostForm>
          </>
        ) : (
          <dl class="staff-documents">
            {RELEASE_DOCUMENTS.filter((name) => documents[name]).map((name) => (
              <div key={name}>
                <dt>{documentLabel(view, name)}</dt>
                <dd>
                  <pre>{documents[name]}</pre>
                </dd>
              </div>
            ))}
          </dl>
        )}
      </section>
    </StaffLayout>
  );
}
