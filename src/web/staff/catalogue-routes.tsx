import multipart from "@fastify/multipart";
import type { FastifyInstance, FastifyRequest } from "fastify";
import {
  RELEASE_DOCUMENTS,
  type ReleaseDocumentName,
  type ReleaseDocuments,
} from "../../domain/catalogue.ts";
import { utcDay } from "../../domain/dates.ts";
import { AppError } from "../../domain/errors.ts";
import type { WebContext } from "../area.ts";
import { formField } from "../forms.ts";
import { render } from "../render.tsx";
import { ConfigurationPage, emptyReleaseForm, type ReleaseForm } from "./configuration-page.tsx";
import {
  type ConfigurationForm,
  ConfigurationsPage,
  EMPTY_CONFIGURATION_FORM,
} from "./configurations-page.tsx";
import { formErrors, formStatus } from "./problems.ts";
import { type ReleaseNotice, ReleasePage } from "./release-page.tsx";

const STAFF = { access: ["admin", "support"] } as const;
const ADMIN = { access: ["admin"] } as const;
const NOTICES = new Set(["created", "uploaded", "published", "withdrawn", "documents"]);

type CodeParams = { Params: { code: string } };
type IdParams = { Params: { id: string } };

const versions = (text: string) => text.split(/[\s,;]+/).filter(Boolean);

function noticeOf(request: FastifyRequest): ReleaseNotice {
  const value = (request.query as Record<string, unknown>).done;
  return typeof value === "string" && NOTICES.has(value) ? (value as ReleaseNotice) : null;
}

/** Configurations, their releases, files (multipart uploads), publication and documents. */
export async function staffCataloguePages(app: FastifyInstance, { services }: WebContext) {
  const { catalogue } = services;
  // Files arrive as multipart forms and are streamed to the blob store, never buffered; the
  // distributions use case holds the same checks and limits as the API's upload.
  await app.register(multipart, {
    limits: { fileSize: Number.MAX_SAFE_INTEGER, files: 1, fields: 10, fieldSize: 1000 },
  });

  const configurationsPage = async (
    request: FastifyRequest,
    form: ConfigurationForm,
    errors?: Record<string, string>,
  ) => (
    <ConfigurationsPage
      view={request.view}
      configurations={await catalogue.listConfigurations()}
      form={form}
      errors={errors}
    />
  );

  app.get("/staff/configurations", { config: STAFF }, async (request, reply) =>
    render(reply, await configurationsPage(request, EMPTY_CONFIGURATION_FORM)),
  );

  app.post("/staff/configurations", { config: ADMIN }, async (request, reply) => {
    const form: ConfigurationForm = {
      code: formField(request, "code").trim(),
      name: formField(request, "name"),
      kind: formField(request, "kind"),
      vendor: formField(request, "vendor").trim(),
      programName: formField(request, "programName").trim(),
      packageFormat: formField(request, "packageFormat"),
    };
    try {
      await catalogue.createConfiguration(
        {
          code: form.code,
          name: form.name,
          kind: form.kind,
          vendor: form.vendor || undefined,
          programName: form.programName || null,
          packageFormat: form.packageFormat || undefined,
        },
        request.view.user!.id,
      );
    } catch (error) {
      // The code and the vendor folder are both codes: the problem names the value refused.
      const refusedVendor =
        error instanceof AppError && error.code === "invalid_code" && error.details.value === form.vendor;
      const errors = formErrors(request.view, error, {
        invalid_code: refusedVendor ? "vendor" : "code",
        configuration_exists: "code",
        invalid_name: "name",
        invalid_kind: "kind",
        invalid_package_format: "packageFormat",
      });
      return render(reply, await configurationsPage(request, form, errors), formStatus(error));
    }
    return reply.redirect(`/staff/configurations/${encodeURIComponent(form.code)}`, 303);
  });

  const configurationPage = async (
    request: FastifyRequest,
    code: string,
    form?: ReleaseForm,
    errors?: Record<string, string>,
  ) => {
    const configuration = await catalogue.requireConfiguration(code);
    const releases = await catalogue.listReleases(code, ["draft", "published", "withdrawn"]);
    return (
      <ConfigurationPage
        view={request.view}
        configuration={configuration}
        releases={releases}
        form={form ?? emptyReleaseForm(utcDay(new Date()))}
        errors={errors}
      />
    );
  };

  app.get<CodeParams>("/staff/configurations/:code", { config: STAFF }, async (request, reply) =>
    render(reply, await configurationPage(request, request.params.code)),
  );

  app.post<CodeParams>("/staff/configurations/:code/releases", { config: ADMIN }, async (request, reply) => {
    const { code } = request.params;
    const form: ReleaseForm = {
      version: formField(request, "version").trim(),
      releasedOn: formField(request, "releasedOn").trim(),
      updateFrom: formField(request, "updateFrom").trim(),
      minPlatformVersion: formField(request, "minPlatformVersion").trim(),
      itsIssue: formField(request, "itsIssue"),
    };
    let id: string;
    try {
      ({ id } = await catalogue.createRelease(
        {
          configuration: code,
          version: form.version,
          releasedOn: form.releasedOn,
          updateFrom: versions(form.updateFrom),
          minPlatformVersion: form.minPlatformVersion || null,
          itsIssue: form.itsIssue || null,
        },
        request.view.user!.id,
      ));
    } catch (error) {
      const errors = formErrors(request.view, error, {
        invalid_date: "releasedOn",
        invalid_update_from: "updateFrom",
        release_exists: "version",
      });
      // Version problems name their input: version, minPlatformVersion or updateFrom[i].
      const field =
        error instanceof AppError ? String(error.details.field ?? "").replace(/\[\d+\]$/, "") : "";
      if (errors._form && ["version", "minPlatformVersion", "updateFrom"].includes(field)) {
        errors[field] = errors._form;
        delete errors._form;
      }
      return render(reply, await configurationPage(request, code, form, errors), formStatus(error));
    }
    return reply.redirect(`/staff/releases/${encodeURIComponent(id)}?done=created`, 303);
  });

  const releasePage = async (
    request: FastifyRequest,
    id: string,
    extra: Omit<Parameters<typeof ReleasePage>[0], "view" | "configuration" | "release"> = {},
  ) => {
    const release = await catalogue.getRelease(id);
    const configuration = await catalogue.requireConfiguration(release.configuration);
    return <ReleasePage view={request.view} configuration={configuration} release={release} {...extra} />;
  };

  app.get<IdParams>("/staff/releases/:id", { config: STAFF }, async (request, reply) =>
    render(reply, await releasePage(request, request.params.id, { notice: noticeOf(request) })),
  );

  app.post<IdParams>(
    "/staff/releases/:id/distributions",
    { config: ADMIN, bodyLimit: Number.MAX_SAFE_INTEGER },
    async (request, reply) => {
      const { id } = request.params;
      if (!request.isMultipart()) {
        return render(
          reply,
          await releasePage(request, id, { uploadErrors: { file: request.view.t("staff:problems.noFile") } }),
          400,
        );
      }
      const part = await request.file();
      const kindField = part?.fields.kind;
      const kind =
        kindField && !Array.isArray(kindField) && kindField.type === "field" ? String(kindField.value) : "";
      if (!part?.filename) {
        part?.file.resume();
        return render(
          reply,
          await releasePage(request, id, {
            uploadKind: kind,
            uploadErrors: { file: request.view.t("staff:problems.noFile") },
          }),
          400,
        );
      }
      try {
        await catalogue.putDistribution(
          { releaseId: id, kind, fileName: part.filename, body: part.file },
          request.view.user!.id,
        );
      } catch (error) {
        // A refusal before the bytes were read leaves them in the request: read them away.
        part.file.resume();
        const errors = formErrors(request.view, error, {
          invalid_distribution_kind: "kind",
          distribution_kind_not_allowed: "kind",
          invalid_file_name: "file",
          empty_file: "file",
          not_a_package: "file",
          package_unsafe_path: "file",
          package_too_large: "file",
          package_without_updinfo: "file",
          invalid_upd_info: "file",
          package_version_mismatch: "file",
          release_files_immutable: "kind",
        });
        return render(
          reply,
          await releasePage(request, id, { uploadKind: kind, uploadErrors: errors }),
          formStatus(error),
        );
      }
      return reply.redirect(`/staff/releases/${encodeURIComponent(id)}?done=uploaded#files`, 303);
    },
  );

  for (const action of ["publish", "withdraw"] as const) {
    app.post<IdParams>(`/staff/releases/:id/${action}`, { config: ADMIN }, async (request, reply) => {
      const { id } = request.params;
      try {
        if (action === "publish") await catalogue.publishRelease(id, request.view.user!.id);
        else await catalogue.withdrawRelease(id, request.view.user!.id);
      } catch (error) {
        const errors = formErrors(request.view, error);
        return render(reply, await releasePage(request, id, { statusErrors: errors }), formStatus(error));
      }
      const done = action === "publish" ? "published" : "withdrawn";
      return reply.redirect(`/staff/releases/${encodeURIComponent(id)}?done=${done}`, 303);
    });
  }

  app.post<IdParams>(
    "/staff/releases/:id/documents",
    { config: ADMIN, bodyLimit: 8 * 1024 * 1024 },
    async (request, reply) => {
      const { id } = request.params;
      const documents: ReleaseDocuments = {};
      for (const name of RELEASE_DOCUMENTS) {
        // Browsers send line breaks as CRLF; documents keep LF.
        const text = formField(request, name).replace(/\r\n?/g, "\n");
        if (text.trim()) documents[name as ReleaseDocumentName] = text;
      }
      try {
        await catalogue.updateDocuments(id, documents, request.view.user!.id);
      } catch (error) {
        const errors = formErrors(request.view, error);
        return render(
          reply,
          await releasePage(request, id, { documents, documentErrors: errors }),
          formStatus(error),
        );
      }
      return reply.redirect(`/staff/releases/${encodeURIComponent(id)}?done=documents`, 303);
    },
  );
}
