import type { Readable } from "node:stream";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  ConfigurationSchema,
  DistributionSchema,
  DistributionUploadHeaders,
  DistributionUploadParams,
  IdParams,
  NewConfigurationSchema,
  NewProductSchema,
  NewReleaseSchema,
  ProductSchema,
  ReleaseWithDocumentsSchema,
} from "../../contract/catalogue.ts";
import { ProblemSchema, problemResponses } from "../../contract/problem.ts";
import { invalidDistributionKind } from "../../domain/catalogue.ts";
import type { ApiContext } from "../app.ts";
import { requireUser } from "../auth.ts";
import { assertLineOfText } from "../input-text.ts";

const adminResponses = { ...problemResponses, 409: ProblemSchema, 422: ProblemSchema };
const ADMIN = { access: ["admin"] } as const;

/** X-Filename may be percent-encoded, since header values cannot carry most non-ASCII names. */
function decodeHeader(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return undefined;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export const adminCatalogueRoutes =
  ({ services }: ApiContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { catalogue } = services;

    app.post(
      "/api/v1/admin/configurations",
      {
        schema: {
          tags: ["admin"],
          summary: "Add a configuration",
          body: NewConfigurationSchema,
          response: { 201: ConfigurationSchema, ...adminResponses },
        },
        config: ADMIN,
      },
      async (request, reply) => {
        const admin = requireUser(request);
        return reply.status(201).send(await catalogue.createConfiguration(request.body, admin.id));
      },
    );

    app.post(
      "/api/v1/admin/products",
      {
        schema: {
          tags: ["admin"],
          summary: "Add a product (a delivery of one or more configurations)",
          body: NewProductSchema,
          response: { 201: ProductSchema, ...adminResponses },
        },
        config: ADMIN,
      },
      async (request, reply) => {
        const admin = requireUser(request);
        return reply.status(201).send(await catalogue.createProduct(request.body, admin.id));
      },
    );

    app.post(
      "/api/v1/admin/releases",
      {
        schema: {
          tags: ["admin"],
          summary: "Add a release (as a draft)",
          body: NewReleaseSchema,
          response: { 201: ReleaseWithDocumentsSchema, ...adminResponses },
        },
        config: ADMIN,
      },
      async (request, reply) => {
        const admin = requireUser(request);
        return reply.status(201).send(await catalogue.createRelease(request.body, admin.id));
      },
    );

    for (const action of ["publish", "withdraw"] as const) {
      app.post(
        `/api/v1/admin/releases/:id/${action}`,
        {
          schema: {
            tags: ["admin"],
            summary:
              action === "publish"
                ? "Publish a release (refused with 422 release_without_files while it has no file)"
                : "Withdraw a release",
            params: IdParams,
            response: { 200: ReleaseWithDocumentsSchema, ...adminResponses },
          },
          config: ADMIN,
        },
        async (request) => {
          const admin = requireUser(request);
          return action === "publish"
            ? catalogue.publishRelease(request.params.id, admin.id)
            : catalogue.withdrawRelease(request.params.id, admin.id);
        },
      );
    }

    // Distributions arrive as the raw request body and are streamed to the blob store, never buffered.
    app.register(async (uploads) => {
      uploads.removeAllContentTypeParsers();
      uploads.addContentTypeParser("*", (_request, payload, done) => done(null, payload));
      uploads.withTypeProvider<import("@fastify/type-provider-typebox").TypeBoxTypeProvider>().put(
        "/api/v1/admin/releases/:id/distributions/:kind",
        {
          bodyLimit: Number.MAX_SAFE_INTEGER,
          // An unknown kind keeps its own code rather than the generic validation_failed.
          schemaErrorFormatter: (errors, context) =>
            context === "params" && errors.some((error) => error.instancePath === "/kind")
              ? invalidDistributionKind()
              : new Error(
                  errors.map((error) => `${context}${error.instancePath} ${error.message}`).join("; "),
                ),
          schema: {
            tags: ["admin"],
            summary:
              "Upload a distribution file (raw bytes); replaces one of the same kind while the release is a draft",
            description:
              "Refused with 422 when the file is empty (empty_file), when the kind does not fit the configuration " +
              "(distribution_kind_not_allowed), and for the update of a 1c configuration when it is not a 1C update " +
              "package of the release's version (not_a_package, package_unsafe_path, package_too_large, package_without_updinfo, " +
              "invalid_upd_info, package_version_mismatch); with 409 release_files_immutable when a published or " +
              "withdrawn release already has a file of this kind.",
            params: DistributionUploadParams,
            headers: DistributionUploadHeaders,
            response: { 201: DistributionSchema, ...adminResponses },
          },
          config: ADMIN,
        },
        async (request, reply) => {
          const admin = requireUser(request);
          const body = (request.body as Readable | undefined) ?? request.raw;
          const fileName = decodeHeader(request.headers["x-filename"]) ?? "";
          // Percent-decoding can make characters no header could carry.
          assertLineOfText("headers/x-filename", fileName);
          const distribution = await catalogue.putDistribution(
            {
              releaseId: request.params.id,
              kind: request.params.kind,
              fileName,
              sha256: request.headers["x-checksum-sha256"] ?? null,
              body,
            },
            admin.id,
          );
          return reply.status(201).send(distribution);
        },
      );
    });
  };
