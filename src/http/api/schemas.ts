import { type StringOptions, type TSchema, Type } from "@sinclair/typebox";
import { DISTRIBUTION_KINDS, type DistributionKind, PACKAGE_FORMATS } from "../../domain/catalogue.ts";
import {
  MAX_TEXT_LENGTH,
  MAX_WORKSTATIONS,
  ORGANIZATION_FIELDS,
  type OrganizationField,
} from "../../domain/organization.ts";

/** Shared shapes for validation, serialisation and the OpenAPI document. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** Marks a string schema as free text: see `FreeText`. */
export const FREE_TEXT = "x-free-text";

/**
 * Text that may span lines and hold tabs (documents, addresses). Every other string is one line,
 * with no control characters at all (see src/http/input-text.ts).
 */
export const FreeText = (options: StringOptions = {}) => Type.String({ ...options, [FREE_TEXT]: true });

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

const ORGANIZATION_FIELD_RULES: Partial<Record<OrganizationField, string>> = {
  address: `Text of at most ${MAX_TEXT_LENGTH} characters; may span lines.`,
  phone: "5-30 characters of digits, spaces, +, -, ( and ), with at least 5 digits.",
  email: "An e-mail address such as name@example.com.",
  purchaseDate: "A date as YYYY-MM-DD, not later than today.",
  workstations: `A whole number from 1 to ${MAX_WORKSTATIONS}, as a number or in digits.`,
};

/**
 * The registration form's organisation. Each field is described here but checked by the domain
 * (src/domain/organization.ts), which trims the text and names every missing or invalid field at
 * once (validation_failed with `fields`); so the validator lets any value through.
 */
export const OrganizationSchema = Type.Object(
  Object.fromEntries(
    ORGANIZATION_FIELDS.map((field) => [
      field,
      Type.Optional(
        Type.Unknown({
          description: `Mandatory. ${ORGANIZATION_FIELD_RULES[field] ?? `Text of at most ${MAX_TEXT_LENGTH} characters.`}`,
          ...(field === "address" ? { [FREE_TEXT]: true } : {}),
        }),
      ),
    ]),
  ),
  {
    additionalProperties: true,
    description: "The organisation's details: every field is mandatory; other fields are ignored.",
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
    whatsNew: Type.Optional(FreeText()),
    changes: Type.Optional(FreeText()),
    majorChanges: Type.Optional(FreeText()),
    changedObjects: Type.Optional(FreeText()),
    updateOrder: Type.Optional(FreeText()),
    readme: Type.Optional(FreeText()),
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
