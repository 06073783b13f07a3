import { type TSchema, Type } from "@sinclair/typebox";
import { DISTRIBUTION_KINDS, type DistributionKind, PACKAGE_FORMATS } from "../../domain/catalogue.ts";

/** Shared shapes for validation, serialisation and the OpenAPI document. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: "Stable machine-readable error code" }),
    detail: Type.String(),
  },
  { additionalProperties: true, $id: "Problem" },
);

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

export const ReleaseDocumentsSchema = Type.Object(
  {
    whatsNew: Type.Optional(Type.String()),
    changes: Type.Optional(Type.String()),
    majorChanges: Type.Optional(Type.String()),
    changedObjects: Type.Optional(Type.String()),
    updateOrder: Type.Optional(Type.String()),
    readme: Type.Optional(Type.String()),
  },
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
  status: Type.String(),
  updateFrom: Type.Array(Type.String()),
  publishedAt: Nullable(Type.String()),
  distributions: Type.Array(DistributionSchema),
  hasUpdateDistribution: Type.Boolean({
    description: "Whether the release has its update file (a plan step through it downloads that file)",
  }),
};

export const ReleaseSchema = Type.Object(releaseFields);
export const ReleaseWithDocumentsSchema = Type.Object({
  ...releaseFields,
  documents: ReleaseDocumentsSchema,
});

export const ConfigurationSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  vendor: Type.String(),
  programName: Nullable(Type.String()),
  packageFormat: PackageFormatSchema,
});

export const ProductSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  edition: Type.String(),
  freeSupportMonths: Type.Integer(),
  configurations: Type.Array(Type.String()),
});

export const PlanSchema = Type.Object({
  status: Type.Union([Type.Literal("up-to-date"), Type.Literal("update-available"), Type.Literal("no-path")]),
  configuration: Type.String(),
  from: Type.String(),
  to: Type.String(),
  steps: Type.Array(
    Type.Object({
      version: Type.String(),
      releaseId: Type.String(),
      releasedOn: Type.String(),
      minPlatformVersion: Nullable(Type.String()),
      distribution: Nullable(DistributionSchema),
      updateAvailable: Type.Boolean({ description: "False while the release has no update file yet" }),
    }),
  ),
  platformUpgrade: Nullable(Type.Object({ requiredVersion: Type.String() })),
  totalSize: Type.Integer(),
  packageFormat: PackageFormatSchema,
  missingUpdates: Type.Array(Type.String(), {
    description: "Versions of the chain that have no update file yet: the chain cannot be downloaded whole",
  }),
  download: Type.Object(
    {
      allowed: Type.Boolean(),
      code: Nullable(Type.String()),
      detail: Nullable(Type.String()),
      month: Nullable(Type.String()),
    },
    { description: "Whether the caller may download the chain now; code is the entitlement reason" },
  ),
});

/** A registration number whose PIN lock was lifted; wasLocked tells whether a lock was running. */
export const UnlockedSchema = Type.Object({ registrationNumber: Type.String(), wasLocked: Type.Boolean() });

/** Error responses every route may give, for the OpenAPI document. */
export const problemResponses = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
};
