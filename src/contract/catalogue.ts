import { type Static, type TOptional, type TString, Type } from "@sinclair/typebox";
import {
  CONFIGURATION_KINDS,
  type ConfigurationKind,
  DISTRIBUTION_KINDS,
  type DistributionKind,
  EDITIONS,
  type Edition,
  PACKAGE_FORMATS,
  RELEASE_DOCUMENTS,
  type ReleaseDocumentName,
  type ReleaseStatus,
} from "../domain/catalogue.ts";
import { FreeText, Nullable, StringOf } from "./shapes.ts";

/** A release or distribution named in the path. */
export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const CodeParams = Type.Object({ code: Type.String({ maxLength: 64 }) });

/** The closed list of distribution kinds, as an enum in the OpenAPI document. */
export const DistributionKindSchema = Type.Unsafe<DistributionKind>({
  type: "string",
  enum: [...DISTRIBUTION_KINDS],
  description:
    "update, full and basic-to-prof on configurations and report forms; the platform-* installers on platform releases",
});

export const PackageFormatSchema = Type.Union(
  PACKAGE_FORMATS.map((format) => Type.Literal(format)),
  {
    description:
      "1c: the update is a 1C update package (a zip whose UpdInfo.txt names the release), unpacked into the templates folder; file: any installer or archive, placed as one file",
  },
);

export const DistributionSchema = Type.Object({
  id: Type.String(),
  // Not the enum: files stored before the list was closed keep their kinds.
  kind: Type.String(),
  fileName: Type.String(),
  size: Type.Integer(),
  sha256: Type.String(),
});
export type Distribution = Static<typeof DistributionSchema>;

/** A release's Markdown documents, each optional, as the domain lists them. */
export const ReleaseDocumentsSchema = Type.Object(
  Object.fromEntries(RELEASE_DOCUMENTS.map((name) => [name, Type.Optional(FreeText())])) as Record<
    ReleaseDocumentName,
    TOptional<TString>
  >,
  { additionalProperties: false },
);

const releaseFields = {
  id: Type.String(),
  configuration: Type.String(),
  version: Type.String(),
  releasedOn: Type.String(),
  itsIssue: Nullable(Type.String()),
  minPlatformVersion: Nullable(Type.String()),
  channel: Type.String(),
  status: StringOf<ReleaseStatus>(),
  updateFrom: Type.Array(Type.String()),
  publishedAt: Nullable(Type.String()),
  distributions: Type.Array(DistributionSchema),
  hasUpdateDistribution: Type.Boolean({
    description: "Whether the release has its update file (a plan step through it downloads that file)",
  }),
};

export const ReleaseSchema = Type.Object(releaseFields);
export type Release = Static<typeof ReleaseSchema>;
/** A configuration's published releases, newest first. */
export const ReleaseListSchema = Type.Array(ReleaseSchema);

export const ReleaseWithDocumentsSchema = Type.Object({
  ...releaseFields,
  documents: ReleaseDocumentsSchema,
});
export type ReleaseWithDocuments = Static<typeof ReleaseWithDocumentsSchema>;

export const ConfigurationSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  kind: StringOf<ConfigurationKind>(),
  vendor: Type.String(),
  programName: Nullable(Type.String()),
  packageFormat: PackageFormatSchema,
});
export type Configuration = Static<typeof ConfigurationSchema>;
export const ConfigurationListSchema = Type.Array(ConfigurationSchema);

/** A published release as the home page lists the latest ones (published releases are public, as in /tuf/). */
export const PublishedReleaseSummarySchema = Type.Object({
  id: Type.String(),
  configuration: Type.String(),
  configurationName: Type.String(),
  version: Type.String(),
  releasedOn: Type.String(),
  publishedAt: Type.String(),
});
export type PublishedReleaseSummary = Static<typeof PublishedReleaseSummarySchema>;

export const ProductSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  edition: StringOf<Edition>(),
  freeSupportMonths: Type.Integer(),
  configurations: Type.Array(Type.String()),
});
export type Product = Static<typeof ProductSchema>;

/** POST /api/v1/admin/configurations */
export const NewConfigurationSchema = Type.Object({
  code: Type.String({ maxLength: 64 }),
  name: Type.String({ minLength: 1, maxLength: 300 }),
  kind: Type.Union(CONFIGURATION_KINDS.map((k) => Type.Literal(k))),
  vendor: Type.Optional(Type.String({ maxLength: 64, description: "Vendor folder in templates paths" })),
  programName: Type.Optional(Type.String({ maxLength: 300, description: "The program's own name" })),
  packageFormat: Type.Optional(PackageFormatSchema),
});
export type NewConfiguration = Static<typeof NewConfigurationSchema>;

/** POST /api/v1/admin/products */
export const NewProductSchema = Type.Object({
  code: Type.String({ maxLength: 64 }),
  name: Type.String({ minLength: 1, maxLength: 300 }),
  edition: Type.Union(EDITIONS.map((e) => Type.Literal(e))),
  configurations: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 100 }),
  freeSupportMonths: Type.Optional(Type.Integer({ minimum: 0, maximum: 120 })),
});
export type NewProduct = Static<typeof NewProductSchema>;

/** POST /api/v1/admin/releases */
export const NewReleaseSchema = Type.Object({
  configuration: Type.String({ maxLength: 64 }),
  version: Type.String({ maxLength: 64 }),
  releasedOn: Type.String({ maxLength: 10 }),
  itsIssue: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
  minPlatformVersion: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  channel: Type.Optional(Type.String({ maxLength: 32 })),
  updateFrom: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 1000 }),
  documents: Type.Optional(ReleaseDocumentsSchema),
});
export type NewReleaseRequest = Static<typeof NewReleaseSchema>;

/** PUT /api/v1/admin/releases/:id/distributions/:kind: the file comes as the raw body. */
export const DistributionUploadParams = Type.Object({
  id: Type.String({ maxLength: 64 }),
  kind: DistributionKindSchema,
});
export const DistributionUploadHeaders = Type.Object({
  "x-filename": Type.String({ minLength: 1, maxLength: 1000 }),
  "x-checksum-sha256": Type.Optional(Type.String()),
});
